/*
 * storelock.h - the writers' lock of a store, and the recovery after a
 * writer died holding it.
 *
 * Writers take an flock on .git/pmtool.lock, so pmtool processes queue
 * instead of racing; the kernel drops it when a process dies, so it is
 * never stale. While it holds the lock a writer keeps one line in the file
 * naming the git lock (index.lock, HEAD's or the branch's) it is taking;
 * a clean release empties the file. The next writer that finds a line
 * left there removes that git lock, when it can tell that no live process
 * has it, and mends the reflogs a ref update cut short may have left.
 *
 * Private to core/store*.c and core/gitcommit.c (see store_internal.h).
 */
#ifndef PM_STORELOCK_H
#define PM_STORELOCK_H

struct store;

/*
 * Take the writers' lock, waiting up to STORE_LOCK_WAIT_MS for another
 * holder; 0 at once when this store holds it already (it is not counted:
 * one storelock_release() drops it). Then cleans up after a holder that
 * died, leaving a store_warning() when it removed a lock file. -1 with an
 * error set when the lock was not had; nothing is changed then.
 */
int	 storelock_take(struct store *);
/* Drop the lock; nothing when it is not held. */
void	 storelock_release(struct store *);
/*
 * -1, with an error that says what to do, when git's index.lock exists
 * (another git process at work, or one killed at the wrong moment); else
 * 0. Nothing is changed either way.
 */
int	 storelock_check_index(struct store *);
/*
 * Note in the lock file which of git's locks the holder is about to take:
 * "index", "ref", or "-" once it holds none. Nothing when the writers'
 * lock is not held; a failed write is not reported.
 */
void	 storelock_note_git_lock(struct store *, const char *which);

#endif
