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

#define AUTOSYNC_FIRST_MS	1000	/* after start: let the screen draw */
#define AUTOSYNC_EXE		"/proc/self/exe"
#define AUTOSYNC_PROMPT_ENV	"GIT_TERMINAL_PROMPT="
#define AUTOSYNC_NOEXEC		127	/* the child's exit when exec fails */

/* Our environment, with GIT_TERMINAL_PROMPT=0 in place of any other. */
static char **
child_env(void)
{
	char	**env;
	size_t	 n = 0, i, k = 0;

	while (environ[n] != NULL)
		n++;
	env = xcalloc(n + 2, sizeof *env);
	for (i = 0; i < n; i++)
		if (strncmp(environ[i], AUTOSYNC_PROMPT_ENV,
		    strlen(AUTOSYNC_PROMPT_ENV)) != 0)
			env[k++] = xstrdup(environ[i]);
	env[k] = xstrdup(AUTOSYNC_PROMPT_ENV "0");
	return env;
}

static void
free_vec(char **v)
{
	size_t	 i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

void
autosync_init(struct autosync *a, const char *root, const char *remote,
    int64_t interval_s, long long now_ms)
{
	size_t	 n = 0;

	memset(a, 0, sizeof *a);
	a->fd = -1;
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
	return a->pid != 0;
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
	int	 p[2], null;
	pid_t	 pid;

	if ((null = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1) {
		start_failed(a, now_ms, "/dev/null");
		return;
	}
	if (pipe2(p, O_CLOEXEC) == -1) {
		start_failed(a, now_ms, "pipe");
		close(null);
		return;
	}
	if ((pid = fork()) == -1) {
		start_failed(a, now_ms, "fork");
		close(null);
		close(p[0]);
		close(p[1]);
		return;
	}
	if (pid == 0) {
		/* Only async-signal-safe calls between fork and exec. */
		setsid();
		dup2(null, STDIN_FILENO);
		dup2(p[1], STDOUT_FILENO);
		dup2(p[1], STDERR_FILENO);
		execve(AUTOSYNC_EXE, a->argv, a->envp);
		_exit(AUTOSYNC_NOEXEC);
	}
	close(null);
	close(p[1]);
	fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
	a->pid = pid;
	a->fd = p[0];
	a->outlen = 0;
}

/* Read what the child has written so far; the end of it closes fd. What
 * does not fit is read and dropped, so the child never blocks on us. */
static void
drain(struct autosync *a)
{
	char	 junk[512], *dst;
	size_t	 room;
	ssize_t	 n;

	while (a->fd != -1) {
		room = sizeof a->out - 1 - a->outlen;
		dst = room > 0 ? a->out + a->outlen : junk;
		n = read(a->fd, dst, room > 0 ? room : sizeof junk);
		if (n > 0) {
			if (room > 0)
				a->outlen += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		close(a->fd);
		a->fd = -1;
	}
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
	const char	*s = a->out, *line;
	size_t		 len;

	a->out[a->outlen] = '\0';
	while ((line = line_after(s, "pmtool: ", &len)) != NULL &&
	    strncmp(line, "warning: ", 9) == 0)
		s = line + len;
	if (line != NULL)
		snprintf(a->error, sizeof a->error, "%.*s", (int)len, line);
	else if (WIFEXITED(status) && WEXITSTATUS(status) == AUTOSYNC_NOEXEC)
		snprintf(a->error, sizeof a->error, "cannot run %s",
		    AUTOSYNC_EXE);
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
	drain(a);
	if (a->fd != -1) {	/* something of its own still holds the pipe */
		close(a->fd);
		a->fd = -1;
	}
	a->pid = 0;
	a->done_ms = now_ms;
	a->next_ms = now_ms + a->interval_ms;
	a->failed = !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	if (a->failed)
		failure_line(a, status);
}

int
autosync_tick(struct autosync *a, long long now_ms, int may_start)
{
	pid_t	 r;
	int	 status = 0;

	if (a->interval_ms == 0)
		return 0;
	if (a->pid == 0) {
		if (may_start && now_ms >= a->next_ms)
			start(a, now_ms);
		return 0;
	}
	drain(a);
	while ((r = waitpid(a->pid, &status, WNOHANG)) == -1 && errno == EINTR)
		;
	if (r == 0)
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
	if (a->pid != 0 && a->failed)
		snprintf(out, size, "syncing\xe2\x80\xa6 (the last failed %s "
		    "ago)", ago);
	else if (a->pid != 0)
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
	while (a->pid != 0 && waited < bound_ms) {
		drain(a);
		if (waitpid(a->pid, &status, WNOHANG) == a->pid)
			a->pid = 0;
		else {
			poll(NULL, 0, 20);
			waited += 20;
		}
	}
	/* A sync still running keeps going without us; it is reaped by
	 * init once we exit. It prints only after its work is done, so
	 * the pipe closing under it can cost no more than that output. */
	if (a->fd != -1)
		close(a->fd);
	free_vec(a->argv);
	free_vec(a->envp);
	memset(a, 0, sizeof *a);
	a->fd = -1;
}
