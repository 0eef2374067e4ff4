/*
 * autosync.c - 'pmtool sync' every so often, in a child process.
 *
 * A child, not a thread: a sync may wait on the network for a long time,
 * and the store's lock, git's credential helpers and libgit2's state are
 * then all the child's, never the UI's. The child runs this very binary
 * (/proc/self/exe, no shell) in a session of its own, with no terminal:
 * stdin is /dev/null, its output goes to a pipe, and GIT_TERMINAL_PROMPT=0
 * keeps git's credential helpers from asking anything, so nothing can
 * write over the screen or wait for a key the TUI would take.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tstamp.h"
#include "xmalloc.h"
#include "autosync.h"
#include "child.h"

#define AUTOSYNC_FIRST_MS	1000	/* after start: let the screen draw */

void
autosync_init(struct autosync *a, const char *root, const char *remote,
    int64_t interval_s, long long now_ms)
{
	size_t	 n = 0;

	memset(a, 0, sizeof *a);
	a->ch.fd = -1;
	a->done_ms = -1;
	if (interval_s <= 0)
		return;
	a->interval_ms = (long long)interval_s * 1000;
	a->next_ms = now_ms + AUTOSYNC_FIRST_MS;
	a->argv = xcalloc(6, sizeof *a->argv);
	a->argv[n++] = xstrdup("pmtool");
	a->argv[n++] = xstrdup("-C");
	a->argv[n++] = xstrdup(root);
	a->argv[n++] = xstrdup("sync");
	if (remote != NULL && *remote != '\0')
		a->argv[n++] = xstrdup(remote);
	a->envp = child_env();
}

int
autosync_running(const struct autosync *a)
{
	return a->ch.pid != 0;
}

/* A sync that could not even start counts as a failed one. */
static void
start_failed(struct autosync *a, long long now_ms, const char *why)
{
	a->failed = 1;
	snprintf(a->error, sizeof a->error, "cannot start pmtool sync: %s: %s",
	    why, strerror(errno));
	a->done_ms = now_ms;
	a->next_ms = now_ms + a->interval_ms;
}

static void
start(struct autosync *a, long long now_ms)
{
	const char	*why;

	if (child_start(&a->ch, a->argv, a->envp, AUTOSYNC_OUT_MAX,
	    &why) < 0)
		start_failed(a, now_ms, why);
}

/* The first line of s[0..len) that starts with prefix, without it;
 * NULL when there is none. */
static const char *
line_after(const char *s, const char *prefix, size_t *len)
{
	const char	*end;
	size_t		 plen = strlen(prefix);

	for (; *s != '\0'; s = *end != '\0' ? end + 1 : end) {
		end = s + strcspn(s, "\n");
		if ((size_t)(end - s) > plen && strncmp(s, prefix, plen) == 0) {
			*len = (size_t)(end - s) - plen;
			return s + plen;
		}
	}
	return NULL;
}

/*
 * Why the sync failed, in one line: pmtool's own error (not a warning).
 * Output and errors share the pipe, so any other first line may well be
 * output; a sync that printed no error is described by how it ended.
 */
static void
failure_line(struct autosync *a, int status)
{
	const char	*s = a->ch.out != NULL ? a->ch.out : "", *line;
	size_t		 len;

	while ((line = line_after(s, "pmtool: ", &len)) != NULL &&
	    strncmp(line, "warning: ", 9) == 0)
		s = line + len;
	if (line != NULL)
		snprintf(a->error, sizeof a->error, "%.*s", (int)len, line);
	else if (WIFEXITED(status) && WEXITSTATUS(status) == CHILD_NOEXEC)
		snprintf(a->error, sizeof a->error, "cannot run %s",
		    CHILD_EXE);
	else if (WIFSIGNALED(status))
		snprintf(a->error, sizeof a->error, "pmtool sync was killed "
		    "(%s)", strsignal(WTERMSIG(status)));
	else
		snprintf(a->error, sizeof a->error, "pmtool sync ended with "
		    "exit status %d", WIFEXITED(status) ?
		    WEXITSTATUS(status) : -1);
}

/* The child has ended with status: record how it went. */
static void
finish(struct autosync *a, int status, long long now_ms)
{
	a->done_ms = now_ms;
	a->next_ms = now_ms + a->interval_ms;
	a->failed = !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	if (a->failed)
		failure_line(a, status);
	child_release(&a->ch);
}

int
autosync_tick(struct autosync *a, long long now_ms, int may_start)
{
	int	 status, r;

	if (a->interval_ms == 0)
		return 0;
	if (a->ch.pid == 0) {
		if (may_start && now_ms >= a->next_ms)
			start(a, now_ms);
		return 0;
	}
	if ((r = child_reap(&a->ch, &status)) == 0)
		return 0;
	finish(a, status, now_ms);
	if (r == -1) {	/* not ours any more: we cannot know how it went */
		a->failed = 1;
		snprintf(a->error, sizeof a->error, "lost track of the sync");
	}
	return !a->failed;
}

int
autosync_status(const struct autosync *a, char *out, size_t size,
    long long now_ms)
{
	char	 ago[32] = "";

	*out = '\0';
	if (a->interval_ms == 0)
		return 0;
	if (a->done_ms >= 0)
		duration_format(ago, sizeof ago, (now_ms - a->done_ms) / 1000);
	if (a->ch.pid != 0 && a->failed)
		snprintf(out, size, "syncing\xe2\x80\xa6 (the last failed %s "
		    "ago)", ago);
	else if (a->ch.pid != 0)
		snprintf(out, size, "syncing\xe2\x80\xa6");
	else if (a->done_ms < 0)
		snprintf(out, size, "not synced yet");
	else if (a->failed)
		snprintf(out, size, "sync failed %s ago: %s", ago, a->error);
	else
		snprintf(out, size, "synced %s ago", ago);
	return a->failed;
}

void
autosync_free(struct autosync *a, int bound_ms)
{
	int	 waited = 0, status;

	if (a->argv == NULL)	/* off, or never set up */
		return;
	while (a->ch.pid != 0 && waited < bound_ms) {
		if (child_reap(&a->ch, &status) == 0) {
			poll(NULL, 0, 20);
			waited += 20;
		}
	}
	/* A sync still running keeps going without us; it is reaped by
	 * init once we exit. It prints only after its work is done, so
	 * the pipe closing under it can cost no more than that output. */
	child_release(&a->ch);
	child_free_vec(a->argv);
	child_free_vec(a->envp);
	memset(a, 0, sizeof *a);
	a->ch.fd = -1;
}
