/*
 * logjob.h - one event logged through store_append() off the UI thread.
 */
#ifndef PM_LOGJOB_H
#define PM_LOGJOB_H

#include <pthread.h>

#include "incident.h"
#include "store.h"

struct logjob {
	pthread_t	 thread;
	int		 running;	/* the thread has not been joined */
	int		 wake[2];	/* the thread writes a byte when done */
	struct store	*st;		/* borrowed; the thread's until joined */
	char		*id;		/* owned */
	struct event	 ev;		/* owned copy (text included) */
	int		 rc;		/* store_append()'s result */
	char		*error;		/* owned; its message when rc < 0 */
	char		*warning;	/* owned; store_warning() after success */
};

/* Start logging ev to incident id. On failure nothing runs and the error
 * is set; the job needs no logjob_free(). */
int	 logjob_start(struct logjob *, struct store *, const char *id,
	    const struct event *ev);
/* Wait up to timeout_ms for the job; 1 when it has finished. */
int	 logjob_wait(struct logjob *, int timeout_ms);
/* Join the thread: afterwards rc, error and warning are final and the
 * store is the caller's again. */
void	 logjob_finish(struct logjob *);
/* Join if needed and free what the job owns; a zeroed job is fine. */
void	 logjob_free(struct logjob *);

#endif
