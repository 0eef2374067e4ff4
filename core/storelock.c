/*
 * storelock.c - the writers' lock of a store (an flock of
 * .git/pmtool.lock) and the recovery after a holder died holding it.
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>

#include "error.h"
#include "fileio.h"
#include "store.h"
#include "store_internal.h"
#include "storelock.h"
#include "xmalloc.h"

/*
 * git's lock files that a pmtool killed while committing can leave: the
 * index's, HEAD's and the branch's. The branch is read from HEAD by hand:
 * libgit2 would refuse while the lock is there.
 */
static char *
head_branch(struct store *st)
{
	const char	*gitdir = git_repository_path(st->repo);
	char		 head[512], *path;
	ssize_t		 n = 0;
	int		 fd;

	path = xasprintf("%sHEAD", gitdir);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) != -1) {
		n = read(fd, head, sizeof head - 1);
		close(fd);
	}
	free(path);
	if (n <= 5 || strncmp(head, "ref: ", 5) != 0)
		return NULL;
	head[n] = '\0';
	head[strcspn(head, "\n")] = '\0';
	/* Only a plain ref name below refs/ can name a file of ours. */
	if (strncmp(head + 5, "refs/", 5) != 0 || strstr(head, "..") != NULL)
		return NULL;
	return xstrdup(head + 5);
}

/* The reflog of HEAD's branch, or NULL. */
static char *
branch_reflog(struct store *st)
{
	char	*b = head_branch(st), *path = NULL;

	if (b != NULL)
		path = xasprintf("%slogs/%s", git_repository_path(st->repo), b);
	free(b);
	return path;
}

static void
leftover_locks(struct store *st, char *out[3])
{
	const char	*gitdir = git_repository_path(st->repo);
	char		*b = head_branch(st);

	out[0] = xasprintf("%sindex.lock", gitdir);
	out[1] = xasprintf("%sHEAD.lock", gitdir);
	out[2] = b != NULL ? xasprintf("%s%s.lock", gitdir, b) : NULL;
	free(b);
}

/*
 * 1 unless no process has the file open, as far as /proc shows: git and
 * libgit2 keep a lock file open for as long as they hold the lock. A
 * process whose descriptors cannot be read counts as having it open.
 */
static int
open_elsewhere(const struct stat *lock)
{
	struct dirent	*p, *f;
	struct stat	 sb;
	DIR		*procs, *fds;
	char		 path[2 * NAME_MAX + 32];
	int		 found = 0;

	if ((procs = opendir("/proc")) == NULL)
		return 1;
	while (!found && (p = readdir(procs)) != NULL) {
		if (p->d_name[0] < '1' || p->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "/proc/%s/fd", p->d_name);
		if ((fds = opendir(path)) == NULL) {
			/* Gone meanwhile is fine; unreadable is not. */
			found = errno != ENOENT;
			continue;
		}
		while (!found && (f = readdir(fds)) != NULL) {
			snprintf(path, sizeof path, "/proc/%s/fd/%s",
			    p->d_name, f->d_name);
			found = stat(path, &sb) == 0 && sb.st_dev ==
			    lock->st_dev && sb.st_ino == lock->st_ino;
		}
		closedir(fds);
	}
	closedir(procs);
	return found;
}

/* 1 when process pid is gone: no such process, or a zombie not reaped
 * yet (it holds nothing any more). */
static int
process_gone(long long pid)
{
	char	 path[64], buf[256], *paren;
	ssize_t	 n;
	int	 fd;

	if (kill((pid_t)pid, 0) == -1)
		return errno == ESRCH;
	snprintf(path, sizeof path, "/proc/%lld/stat", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* "PID (comm) STATE ...": the comm may hold anything but its end. */
	paren = strrchr(buf, ')');
	return paren != NULL && paren[1] == ' ' && paren[2] == 'Z';
}

/* A reflog cut off in the middle of an entry loses its half line, so
 * that the next entry starts on a line of its own. */
static void
mend_reflog(const char *path)
{
	char	 c;
	off_t	 size = fileio_size(path), end;
	int	 fd;

	if (size <= 0 || (fd = open(path, O_RDWR | O_CLOEXEC |
	    O_NOFOLLOW)) == -1)
		return;
	for (end = size; end > 0; end--) {
		if (pread(fd, &c, 1, end - 1) != 1)
			break;
		if (c == '\n')
			break;
	}
	if (end < size && ftruncate(fd, end) == 0)
		fsync(fd);
	close(fd);
}

/*
 * The last holder of the writers' lock died holding it: its line "PID
 * START WHICH T" is still in the file (a clean release empties it), WHICH
 * naming the git lock it was taking at time T ("index", "ref", or "-").
 * That lock, and only that one, is removed, and only when the holder is
 * really gone, the lock file is no older than T and no process has it
 * open: no lock of a live process is taken away. A ref update cut short
 * may also have left half a reflog entry, which goes.
 */
static void
recover_after_crash(struct store *st, int fd)
{
	struct stat	 sb;
	char		 line[96], which[8] = "-", *locks[3], *msg;
	long long	 pid = 0, start = 0, t = 0;
	ssize_t		 n;
	size_t		 i;
	int		 k;

	n = pread(fd, line, sizeof line - 1, 0);
	if (n > 0) {
		line[n] = '\0';
		k = sscanf(line, "%lld %lld %7s %lld", &pid, &start, which, &t);
		if (k == 2)	/* no phase known: no lock can be judged */
			snprintf(which, sizeof which, "-");
		else if (k != 4)
			pid = 0;
	}
	if (pid > 0 && !process_gone(pid)) {
		st->lock_evidence = 1;	/* not ours to judge: keep it */
		return;
	}
	if (pid > 0 && strcmp(which, "-") != 0) {
		leftover_locks(st, locks);
		for (i = 0; i < 3; i++) {
			/* locks[0] is the index's, the others the refs'. */
			if (locks[i] == NULL ||
			    (i == 0) != (strcmp(which, "index") == 0) ||
			    lstat(locks[i], &sb) == -1 ||
			    !S_ISREG(sb.st_mode) ||
			    (long long)sb.st_mtime + 1 < t) {
				free(locks[i]);
				continue;
			}
			/* Still open somewhere: not now, and the dead
			 * holder's line stays for the next writer. */
			if (open_elsewhere(&sb) || unlink(locks[i]) == -1)
				st->lock_evidence = 1;
			else {
				msg = xasprintf("removed %s, left by pmtool "
				    "process %lld that was killed while "
				    "committing", locks[i], pid);
				store_set_warning(st, msg);
				free(msg);
			}
			free(locks[i]);
		}
		if (strcmp(which, "index") != 0)
			for (i = 0; i < 2; i++) {
				msg = i == 0 ? xasprintf("%slogs/HEAD",
				    git_repository_path(st->repo)) :
				    branch_reflog(st);
				if (msg != NULL)
					mend_reflog(msg);
				free(msg);
			}
	}
	if (st->lock_evidence)
		return;
	/* This holder's line, for the next one to judge. */
	st->lock_start = time(NULL);
	storelock_note_git_lock(st, "-");
}

/*
 * Serialise pmtool writers on an flock of .git/pmtool.lock. The kernel
 * releases it when the holder exits or dies, so it can never be stale.
 */
int
storelock_take(struct store *st)
{
	struct timespec	 ts;
	char		*path;
	int		 fd, waited = 0, step;

	if (st->lock_fd != -1)
		return 0;
	path = xasprintf("%s/pmtool.lock", git_repository_path(st->repo));
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd == -1) {
		pm_error_sys("cannot open %s", path);
		free(path);
		return -1;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			pm_error_sys("cannot lock %s", path);
			goto fail;
		}
		if (waited >= STORE_LOCK_WAIT_MS) {
			pm_error_set("gave up after %d s waiting for another "
			    "pmtool writing to this store (lock %s); nothing "
			    "was changed, try again", STORE_LOCK_WAIT_MS / 1000,
			    path);
			goto fail;
		}
		/* Jitter keeps waiters from waking in lockstep. */
		step = 2 + rand() % 15;
		ts.tv_sec = 0;
		ts.tv_nsec = step * 1000000L;
		nanosleep(&ts, NULL);
		waited += step;
	}
	free(path);
	st->lock_fd = fd;
	recover_after_crash(st, fd);
	return 0;
fail:
	close(fd);
	free(path);
	return -1;
}

void
storelock_release(struct store *st)
{
	if (st->lock_fd != -1) {
		/* Emptied on a clean release: a holder's line left in the
		 * file means it died holding the lock. */
		if (!st->lock_evidence && ftruncate(st->lock_fd, 0) == -1) {
			/* The next holder then looks for leftovers. */
		}
		st->lock_evidence = 0;
		close(st->lock_fd);	/* drops the flock */
		st->lock_fd = -1;
	}
}

/*
 * git's own lock on the index. A git process killed at the wrong moment
 * leaves it behind; refusing early, before anything is written, means
 * nothing is half-done when it is there.
 */
int
storelock_check_index(struct store *st)
{
	struct stat	 sb;
	char		*path;
	long		 age;

	path = xasprintf("%sindex.lock", git_repository_path(st->repo));
	if (lstat(path, &sb) == -1) {
		free(path);
		return 0;
	}
	age = (long)(time(NULL) - sb.st_mtime);
	pm_error_set("the git index is locked: %s exists (%ld s old). Another "
	    "git process may be running; if none is, remove that file and "
	    "try again. Nothing was changed", path, age < 0 ? 0 : age);
	free(path);
	return -1;
}

/*
 * The writers' lock file names the git lock its holder is about to take
 * ("index" or "ref") and when, so that after a crash the next writer
 * removes that lock only, made no earlier than that (recover_after_crash).
 * "-" when it holds none of git's locks.
 */
void
storelock_note_git_lock(struct store *st, const char *which)
{
	char	 line[96];
	int	 n;

	if (st->lock_fd == -1 || st->lock_evidence)
		return;
	n = snprintf(line, sizeof line, "%lld %lld %s %lld\n",
	    (long long)getpid(), (long long)st->lock_start, which,
	    (long long)time(NULL));
	if (ftruncate(st->lock_fd, 0) == -1 ||
	    pwrite(st->lock_fd, line, (size_t)n, 0) != n) {
		/* Without it a crash now is only not recovered later. */
	}
}
