/*
 * logjob.c - run one store_append() on a thread of its own, so that the
 * screen keeps ticking (and shows a spinner) while git commits, or while
 * the store's lock is held by another writer.
 *
 * Ownership: while a job runs, the store belongs to the job's thread; the
 * UI must not touch it until logjob_finish() has joined the thread. The
 * job owns copies of the id and the event. Errors are kept per thread
 * (core/error.c), so the worker copies its message into the job.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "xmalloc.h"
#include "logjob.h"

static void *
logjob_main(void *arg)
{
	struct logjob	*job = arg;
	const char	*warning;
	char		 byte = 1;
	ssize_t		 n;

	job->rc = store_append(job->st, job->id, &job->ev);
	if (job->rc < 0)
		job->error = xstrdup(pm_error_last());
	else if ((warning = store_warning(job->st)) != NULL)
		job->warning = xstrdup(warning);
	/* Wake the UI; the pipe holds far more than one byte. */
	do
		n = write(job->wake[1], &byte, 1);
	while (n < 0 && errno == EINTR);
	return NULL;
}

int
logjob_start(struct logjob *job, struct store *st, const char *id,
    const struct event *ev)
{
	int	 err;

	memset(job, 0, sizeof *job);
	job->wake[0] = job->wake[1] = -1;
	job->st = st;
	job->id = xstrdup(id);
	job->ev = *ev;
	job->ev.text = xstrdup(ev->text != NULL ? ev->text : "");
	/* The job owns its copy; what is not copied is not carried. */
	job->ev.arg = ev->arg != NULL ? xstrdup(ev->arg) : NULL;
	job->ev.amend = NULL;
	job->ev.logged_by = NULL;
	if (pipe2(job->wake, O_CLOEXEC) < 0) {
		logjob_free(job);
		return pm_error_sys("cannot create a pipe");
	}
	if ((err = pthread_create(&job->thread, NULL, logjob_main, job)) != 0) {
		logjob_free(job);
		errno = err;
		return pm_error_sys("cannot start a thread");
	}
	job->running = 1;
	return 0;
}

int
logjob_wait(struct logjob *job, int timeout_ms)
{
	struct pollfd	 pfd;
	int		 n;

	if (!job->running)
		return 1;
	pfd.fd = job->wake[0];
	pfd.events = POLLIN;
	n = poll(&pfd, 1, timeout_ms);
	return n > 0;
}

void
logjob_finish(struct logjob *job)
{
	if (job->running) {
		pthread_join(job->thread, NULL);
		job->running = 0;
	}
}

void
logjob_free(struct logjob *job)
{
	if (job->st == NULL)	/* zeroed, never started: nothing to free */
		return;
	logjob_finish(job);
	if (job->wake[0] >= 0)
		close(job->wake[0]);
	if (job->wake[1] >= 0)
		close(job->wake[1]);
	free(job->id);
	free(job->ev.text);
	free(job->ev.arg);
	free(job->error);
	free(job->warning);
	memset(job, 0, sizeof *job);
}
