/*
 * autosync.h - the TUI's automatic 'pmtool sync': every sync.interval
 * (core/config.h) a child process runs it, so that git's network waits
 * never freeze the screen. The loop calls autosync_tick() each tick;
 * nothing here blocks.
 */
#ifndef PM_AUTOSYNC_H
#define PM_AUTOSYNC_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "child.h"

#define AUTOSYNC_OUT_MAX	4096	/* bytes of a sync's output kept */
#define AUTOSYNC_ERR_MAX	256	/* bytes of its error line kept */

struct autosync {
	long long	 interval_ms;	/* 0: off, and nothing else applies */
	char		**argv;		/* owned: pmtool -C ROOT sync [REMOTE] */
	char		**envp;		/* owned: ours, no terminal prompts */
	struct child	 ch;		/* the running sync (pid 0: none) */
	long long	 next_ms;	/* monotonic: when the next is due */
	long long	 done_ms;	/* when the last one ended; -1: none yet */
	int		 failed;	/* the last one failed */
	char		 error[AUTOSYNC_ERR_MAX]; /* ... and why, one line */
};

/*
 * Set up syncs of the store at root with remote (NULL or "": the one
 * 'pmtool sync' picks) every interval_s seconds, the first one soon after
 * now_ms (monotonic). interval_s 0 turns it off: every other call does
 * nothing then. Free with autosync_free().
 */
void	 autosync_init(struct autosync *, const char *root, const char *remote,
	    int64_t interval_s, long long now_ms);
/*
 * Collect the running sync's output and reap it when it has exited;
 * start the next one when it is due and may_start is set. Returns 1 when
 * a sync has just succeeded (the store may have changed), else 0.
 */
int	 autosync_tick(struct autosync *, long long now_ms, int may_start);
/*
 * A short status for a header: "synced 12s ago", "syncing...", "sync
 * failed 40s ago: why". Returns 1 when it reports a failure, else 0;
 * out is "" when syncing is off.
 */
int	 autosync_status(const struct autosync *, char *out, size_t size,
	    long long now_ms);
/* 1 while a sync runs. */
int	 autosync_running(const struct autosync *);
/*
 * Wait up to bound_ms for a running sync, then let go of it: one that is
 * still going finishes on its own (it is a separate process, and holds
 * the store's lock itself). Frees what the autosync owns.
 */
void	 autosync_free(struct autosync *, int bound_ms);

#endif
