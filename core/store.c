/* store.c - the git-backed incident store (libgit2). */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>

#include "error.h"
#include "incfile.h"
#include "store.h"
#include "tlsdefer.h"
#include "xmalloc.h"
#include "zone.h"

struct store {
	git_repository	*repo;
	char		*root;		/* work tree, no trailing slash */
	int		 lock_fd;	/* .git/pmtool.lock while held */
	int		 lock_evidence;	/* a dead holder's line stays in it */
	time_t		 lock_start;	/* when this holder took it */
	char		*warning;
};

/* One file a commit writes: its path from the top and its new blob. */
struct change {
	const char	*path;
	git_oid		 blob;
	int		 worktree_differs; /* the user's edits stay unstaged */
	int		 keep_index;	   /* the user staged this path */
};

/* What HEAD is: the ref a commit moves and the commit it points to. */
struct head {
	char		*refname;	/* "refs/heads/main", or "HEAD" */
	int		 unborn;	/* no commit yet */
	git_oid		 oid;
	git_commit	*commit;
	git_tree	*tree;
};

static const char store_marker_text[] =
    "# This folder is a pmtool store: incidents live under incidents/.\n"
    "# Settings, in git-config syntax; see pmtool(1).\n"
    "[pmtool]\n"
    "\tformat = 1\n"
    "[status]\n"
    "\t# Warn when the public status page has not been updated for this\n"
    "\t# long during an open incident.\n"
    "\tcadence = 30m\n";

/* Append-only files merge by union: both sides' new lines are kept. */
static const char *store_attributes_lines[] = {
	"incidents/*/timeline.txt merge=union text eol=lf\n",
	"incidents/*/actions.txt merge=union text eol=lf\n",
};

int
store_global_init(void)
{
	tls_defer_certificates();
	if (git_libgit2_init() < 0)
		return pm_error_git("cannot initialise libgit2");
	/* When pmtool says an event is logged, its commit must survive a
	 * crash: libgit2 does not fsync objects and refs unless asked. */
	if (git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1) < 0)
		return pm_error_git("cannot enable fsync");
	return 0;
}

void
store_global_shutdown(void)
{
	git_libgit2_shutdown();
}

static char *
store_path(const struct store *st, const char *rel)
{
	return xasprintf("%s/%s", st->root, rel);
}

const char *
store_root(const struct store *st)
{
	return st->root;
}

const char *
store_gitdir(const struct store *st)
{
	return git_repository_path(st->repo);
}

const char *
store_warning(const struct store *st)
{
	return st->warning;
}

static void
store_set_warning(struct store *st, const char *msg)
{
	free(st->warning);
	st->warning = msg != NULL ? xstrdup(msg) : NULL;
}

static struct store *
store_from_repo(git_repository *repo)
{
	struct store	*st;
	const char	*wd;
	size_t		 len;

	st = xcalloc(1, sizeof *st);
	st->repo = repo;
	st->lock_fd = -1;
	wd = git_repository_workdir(repo);
	len = strlen(wd);
	while (len > 1 && wd[len - 1] == '/')
		len--;
	st->root = xstrndup(wd, len);
	return st;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	if (st->lock_fd != -1)
		close(st->lock_fd);
	git_repository_free(st->repo);
	free(st->root);
	free(st->warning);
	free(st);
}

static int
is_file(const char *path)
{
	struct stat	 sb;

	return lstat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

int
store_open(struct store **out, const char *dir)
{
	git_repository	*repo = NULL;
	struct store	*st;
	char		 cwd[PATH_MAX], *marker;
	const char	*start = dir;

	if (start == NULL) {
		if (getcwd(cwd, sizeof cwd) == NULL)
			return pm_error_sys("cannot find the current folder");
		start = cwd;
	}
	if (git_repository_open_ext(&repo, start, dir != NULL ?
	    GIT_REPOSITORY_OPEN_NO_SEARCH : 0, NULL) < 0) {
		if (dir != NULL)
			return pm_error_set("%s is not a pmtool store (not a git "
			    "repository); create one with 'pmtool init %s'",
			    dir, dir);
		return pm_error_set("not in a pmtool store (nor in any parent "
		    "folder); create one with 'pmtool init DIR', or name one "
		    "with -C DIR");
	}
	if (git_repository_is_bare(repo)) {
		git_repository_free(repo);
		return pm_error_set("%s is a bare git repository; a store needs "
		    "a work tree (clone it first)", start);
	}
	st = store_from_repo(repo);
	marker = store_path(st, STORE_MARKER);
	if (!is_file(marker)) {
		pm_error_set("%s is a git repository but not a pmtool store (no "
		    "%s file); make it one with 'pmtool init %s'", st->root,
		    STORE_MARKER, st->root);
		free(marker);
		store_close(st);
		return -1;
	}
	free(marker);
	*out = st;
	return 0;
}

static int	 replace_file(const char *, const char *, size_t);

/* --- locking ----------------------------------------------------------- */

static void	 note_git_lock(struct store *, const char *);
static off_t	 file_size(const char *);

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
	off_t	 size = file_size(path), end;
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
	note_git_lock(st, "-");
}

/*
 * Serialise pmtool writers on an flock of .git/pmtool.lock. The kernel
 * releases it when the holder exits or dies, so it can never be stale.
 */
static int
store_lock(struct store *st)
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

static void
store_unlock(struct store *st)
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
static int
check_index_lock(struct store *st)
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

/* --- commits ----------------------------------------------------------- */

static void
head_free(struct head *h)
{
	free(h->refname);
	git_tree_free(h->tree);
	git_commit_free(h->commit);
	memset(h, 0, sizeof *h);
}

static int
head_read(struct head *h, git_repository *repo)
{
	git_reference	*ref = NULL;
	const char	*target;
	int		 rc;

	memset(h, 0, sizeof *h);
	if (git_reference_lookup(&ref, repo, "HEAD") < 0)
		return pm_error_git("cannot read HEAD");
	if (git_reference_type(ref) == GIT_REFERENCE_SYMBOLIC) {
		target = git_reference_symbolic_target(ref);
		h->refname = xstrdup(target);
		rc = git_reference_name_to_id(&h->oid, repo, target);
		if (rc == GIT_ENOTFOUND) {
			h->unborn = 1;
			git_reference_free(ref);
			return 0;
		}
	} else {
		h->refname = xstrdup("HEAD");
		git_oid_cpy(&h->oid, git_reference_target(ref));
		rc = 0;
	}
	git_reference_free(ref);
	if (rc < 0 || git_commit_lookup(&h->commit, repo, &h->oid) < 0 ||
	    git_commit_tree(&h->tree, h->commit) < 0) {
		pm_error_git("cannot read the commit at HEAD");
		head_free(h);
		return -1;
	}
	return 0;
}

/* An author or committer: git config user.name and user.email,
 * overridden by GIT_AUTHOR_* or GIT_COMMITTER_* (role) as git does, else
 * the login name at the host name. The time honours PMTOOL_TEST_TIME. */
static int
make_signature(git_signature **out, git_repository *repo, const char *role)
{
	char		 name_var[32], email_var[32];

	git_config	*cfg = NULL;
	git_buf		 name = GIT_BUF_INIT, email = GIT_BUF_INIT;
	struct passwd	*pw;
	const char	*n, *e;
	char		 host[256], *fallback_email = NULL;
	const char	*login;
	int64_t		 now;
	int32_t		 off;
	int		 rc;

	if (git_repository_config_snapshot(&cfg, repo) == 0) {
		git_config_get_string_buf(&name, cfg, "user.name");
		git_config_get_string_buf(&email, cfg, "user.email");
	}
	snprintf(name_var, sizeof name_var, "GIT_%s_NAME", role);
	snprintf(email_var, sizeof email_var, "GIT_%s_EMAIL", role);
	n = getenv(name_var);
	if (n == NULL || *n == '\0')
		n = name.size > 0 ? name.ptr : NULL;
	e = getenv(email_var);
	if (e == NULL || *e == '\0')
		e = email.size > 0 ? email.ptr : NULL;
	pw = getpwuid(getuid());
	login = pw != NULL ? pw->pw_name : getenv("USER");
	if (login == NULL || *login == '\0')
		login = "pmtool";
	if (n == NULL)
		n = pw != NULL && pw->pw_gecos != NULL && *pw->pw_gecos !=
		    '\0' && *pw->pw_gecos != ',' ? pw->pw_gecos : login;
	if (e == NULL) {
		if (gethostname(host, sizeof host) == -1 || *host == '\0')
			snprintf(host, sizeof host, "localhost");
		host[sizeof host - 1] = '\0';
		fallback_email = xasprintf("%s@%s", login, host);
		e = fallback_email;
	}
	now = tstamp_now();
	if (zone_system_offset(&off, now) < 0)
		off = 0;
	rc = git_signature_new(out, n, e, (git_time_t)now, off / 60);
	if (rc < 0)
		pm_error_git("cannot make a commit signature from name '%s' "
		    "and email '%s'", n, e);
	free(fallback_email);
	git_buf_dispose(&name);
	git_buf_dispose(&email);
	git_config_free(cfg);
	return rc < 0 ? -1 : 0;
}

/*
 * The blob git would store for work-tree bytes at path: through the
 * clean filters its attributes select (text eol=lf turns a hand edit's
 * CRLF into LF), so that git status agrees with the commit.
 */
static int
blob_from_worktree(git_oid *out, git_repository *repo, const char *path,
    const char *buf, size_t len)
{
	git_filter_list	*fl = NULL;
	git_buf		 clean = GIT_BUF_INIT;
	int		 rc;

	if (git_filter_list_load(&fl, repo, NULL, path, GIT_FILTER_TO_ODB,
	    GIT_FILTER_DEFAULT) < 0)
		return pm_error_git("cannot load the git filters for %s", path);
	if (fl == NULL)
		rc = git_blob_create_from_buffer(out, repo, buf, len);
	else if ((rc = git_filter_list_apply_to_buffer(&clean, fl, buf,
	    len)) == 0)
		rc = git_blob_create_from_buffer(out, repo, clean.ptr,
		    clean.size);
	git_buf_dispose(&clean);
	git_filter_list_free(fl);
	if (rc < 0)
		return pm_error_git("cannot store %s", path);
	return 0;
}

/* Build the commit of changes on top of HEAD's tree; not yet on a ref. */
static int
commit_build(git_oid *out, struct store *st, const struct head *h,
    const struct change *changes, size_t n, const char *message)
{
	git_tree_update	*upd;
	git_oid		 tree_oid;
	git_tree	*tree = NULL;
	git_signature	*author = NULL, *committer = NULL;
	const git_commit *parents[1];
	size_t		 i;
	int		 rc = -1;

	upd = xcalloc(n, sizeof *upd);
	for (i = 0; i < n; i++) {
		upd[i].action = GIT_TREE_UPDATE_UPSERT;
		upd[i].id = changes[i].blob;
		upd[i].filemode = GIT_FILEMODE_BLOB;
		upd[i].path = changes[i].path;
	}
	if (git_tree_create_updated(&tree_oid, st->repo, h->tree, n, upd) < 0) {
		pm_error_git("cannot build the tree");
		goto out;
	}
	if (git_tree_lookup(&tree, st->repo, &tree_oid) < 0) {
		pm_error_git("cannot read the new tree");
		goto out;
	}
	if (make_signature(&author, st->repo, "AUTHOR") < 0 ||
	    make_signature(&committer, st->repo, "COMMITTER") < 0)
		goto out;
	parents[0] = h->commit;
	if (git_commit_create(out, st->repo, NULL, author, committer, NULL,
	    message,
	    tree, h->unborn ? 0 : 1, parents) < 0) {
		pm_error_git("cannot create the commit");
		goto out;
	}
	rc = 0;
out:
	git_signature_free(author);
	git_signature_free(committer);
	git_tree_free(tree);
	free(upd);
	return rc;
}

/*
 * The writers' lock file names the git lock its holder is about to take
 * ("index" or "ref") and when, so that after a crash the next writer
 * removes that lock only, made no earlier than that (recover_after_crash).
 * "-" when it holds none of git's locks.
 */
static void
note_git_lock(struct store *st, const char *which)
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

/* The size of a reflog before a ref update, to cut a failed one's half
 * entry back off (libgit2 leaves it). -1 when there is none. */
static off_t
file_size(const char *path)
{
	struct stat	 sb;

	return lstat(path, &sb) == 0 && S_ISREG(sb.st_mode) ? sb.st_size :
	    -1;
}

static void
cut_back(const char *path, off_t size)
{
	if (size >= 0 && file_size(path) > size && truncate(path, size) == 0) {
		/* A half-written reflog entry is gone. */
	}
}

/* Move HEAD's branch to commit, only if it still is where h saw it. */
static int
commit_publish(struct store *st, const struct head *h, const git_oid *commit,
    const char *message)
{
	git_reference	*ref = NULL;
	char		*log;
	const char	*nl;
	int		 rc;

	char		*reflogs[2];
	off_t		 sizes[2];
	size_t		 i;

	nl = strchr(message, '\n');
	log = xasprintf("commit%s: %.*s", h->unborn ? " (initial)" : "",
	    nl != NULL ? (int)(nl - message) : (int)strlen(message), message);
	reflogs[0] = xasprintf("%slogs/%s", git_repository_path(st->repo),
	    h->refname);
	reflogs[1] = xasprintf("%slogs/HEAD", git_repository_path(st->repo));
	for (i = 0; i < 2; i++)
		sizes[i] = file_size(reflogs[i]);
	note_git_lock(st, "ref");
	if (h->unborn)
		rc = git_reference_create(&ref, st->repo, h->refname, commit, 0,
		    log);
	else
		rc = git_reference_create_matching(&ref, st->repo, h->refname,
		    commit, 1, &h->oid, log);
	note_git_lock(st, "-");
	for (i = 0; i < 2; i++) {
		if (rc < 0)
			cut_back(reflogs[i], sizes[i]);
		free(reflogs[i]);
	}
	free(log);
	git_reference_free(ref);
	if (rc == GIT_EMODIFIED || rc == GIT_EEXISTS)
		return pm_error_set("%s moved while pmtool was committing "
		    "(another git process?); nothing was changed, try again",
		    h->refname);
	if (rc == GIT_ELOCKED)
		return pm_error_git("%s is locked by another git process "
		    "(a stale %s.lock?); nothing was changed", h->refname,
		    h->refname);
	if (rc < 0)
		return pm_error_git("cannot update %s", h->refname);
	return 0;
}

/*
 * Make the index agree with the commit for just these paths, taking the
 * work-tree file's stat data so that git status sees them as clean.
 */
static int
index_update(struct store *st, const struct change *changes, size_t n)
{
	git_index	*idx = NULL;
	git_index_entry	 e;
	struct stat	 sb;
	char		*abs;
	size_t		 i;
	int		 rc = -1;

	if (git_repository_index(&idx, st->repo) < 0 ||
	    git_index_read(idx, 0) < 0) {
		pm_error_git("cannot read the git index");
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (changes[i].keep_index)
			continue;
		memset(&e, 0, sizeof e);
		abs = store_path(st, changes[i].path);
		/* Stat data tells git the file is clean: only give it when
		 * the file holds what was committed. */
		if (!changes[i].worktree_differs && lstat(abs, &sb) == 0) {
			e.ctime.seconds = (int32_t)sb.st_ctim.tv_sec;
			e.ctime.nanoseconds = (uint32_t)sb.st_ctim.tv_nsec;
			e.mtime.seconds = (int32_t)sb.st_mtim.tv_sec;
			e.mtime.nanoseconds = (uint32_t)sb.st_mtim.tv_nsec;
			e.dev = (uint32_t)sb.st_dev;
			e.ino = (uint32_t)sb.st_ino;
			e.uid = (uint32_t)sb.st_uid;
			e.gid = (uint32_t)sb.st_gid;
			e.file_size = (uint32_t)sb.st_size;
		}
		free(abs);
		e.mode = GIT_FILEMODE_BLOB;
		e.id = changes[i].blob;
		e.path = changes[i].path;
		if (git_index_add(idx, &e) < 0) {
			pm_error_git("cannot update the index entry of %s",
			    changes[i].path);
			goto out;
		}
	}
	if (git_index_write(idx) < 0) {
		pm_error_git("cannot write the git index");
		goto out;
	}
	rc = 0;
out:
	git_index_free(idx);
	return rc;
}

/*
 * After the commit is on the branch the event is safe; an index that
 * could not follow only makes git status show the file as changed, so it
 * is a warning, with the command that repairs it.
 */
static void
index_update_or_warn(struct store *st, const struct change *changes,
    size_t n)
{
	char	*msg;

	int	 rc;

	note_git_lock(st, "index");
	rc = index_update(st, changes, n);
	note_git_lock(st, "-");
	if (rc == 0)
		return;
	msg = xasprintf("committed, but the git index was not updated (%s); "
	    "'git reset -q -- %s' repairs it", pm_error_last(),
	    changes[0].path);
	store_set_warning(st, msg);
	free(msg);
}

/* --- files --------------------------------------------------------------- */

static int
fsync_dir(const char *path)
{
	int	 fd, rc;

	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return pm_error_sys("cannot open %s", path);
	rc = fsync(fd);
	close(fd);
	if (rc == -1)
		return pm_error_sys("cannot sync %s", path);
	return 0;
}

/* Write all of buf at fd's position (O_APPEND: at the end). */
static int
write_all(int fd, const char *buf, size_t len, const char *what)
{
	ssize_t	 n;

	while (len > 0) {
		n = write(fd, buf, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return pm_error_sys("cannot write %s", what);
		if (n == 0) {
			errno = EIO;
			return pm_error_sys("cannot write %s", what);
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Create path with content, fsynced; fails if it exists. */
static int
create_file(const char *path, const char *content, size_t len)
{
	int	 fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd == -1)
		return pm_error_sys("cannot create %s", path);
	if (write_all(fd, content, len, path) < 0 || fsync(fd) == -1) {
		if (errno != 0)
			pm_error_sys("cannot write %s", path);
		close(fd);
		unlink(path);
		return -1;
	}
	if (close(fd) == -1) {
		unlink(path);
		return pm_error_sys("cannot write %s", path);
	}
	return 0;
}

static int
read_file(struct buf *out, const char *path)
{
	char	 chunk[65536];
	ssize_t	 n;
	int	 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1)
		return pm_error_sys("cannot read %s", path);
	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			pm_error_sys("cannot read %s", path);
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		buf_add(out, chunk, (size_t)n);
	}
	close(fd);
	return 0;
}

/* --- incidents ---------------------------------------------------------- */

char *
store_timeline_relpath(const char *id)
{
	return xasprintf("%s/%s/%s", STORE_INCIDENTS, id, STORE_TIMELINE);
}

/* incidents/ is a real folder (or missing): a link there would lead
 * reads and writes out of the store. */
static int
incidents_dir_ok(struct store *st)
{
	struct stat	 sb;
	char		*dir = store_path(st, STORE_INCIDENTS);
	int		 ok;

	ok = lstat(dir, &sb) == 0 && S_ISDIR(sb.st_mode);
	free(dir);
	return ok;
}

static int
timeline_exists(struct store *st, const char *id)
{
	struct stat	 sb;
	char		*dir, *file;
	int		 ok;

	if (!incidents_dir_ok(st))
		return 0;

	dir = xasprintf("%s/%s/%s", st->root, STORE_INCIDENTS, id);
	file = xasprintf("%s/%s", dir, STORE_TIMELINE);
	/* Folders and files behind symbolic links are not the store's:
	 * following them could reach anywhere. */
	ok = lstat(dir, &sb) == 0 && S_ISDIR(sb.st_mode) &&
	    lstat(file, &sb) == 0 && S_ISREG(sb.st_mode);
	free(dir);
	free(file);
	return ok;
}

/* The same test as timeline_exists() for an entry of the incidents
 * folder as readdir() gave it, from the folder's descriptor: a listing
 * of thousands of incidents makes one short lookup each, not two long
 * ones. A DT_DIR entry is a folder, never a link to one. */
static int
entry_is_folder(int dir_fd, const struct dirent *de)
{
	struct stat	 sb;

	return de->d_type == DT_DIR || (de->d_type == DT_UNKNOWN &&
	    fstatat(dir_fd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISDIR(sb.st_mode));
}

static int
folder_has_timeline(int dir_fd, const char *name)
{
	struct stat	 sb;
	char		 rel[NAME_MAX + sizeof "/" STORE_TIMELINE];

	snprintf(rel, sizeof rel, "%s/%s", name, STORE_TIMELINE);
	return fstatat(dir_fd, rel, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISREG(sb.st_mode);
}

static int
id_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int	 list_ids(char ***, size_t *, struct store *, int);

int
store_list(char ***out, size_t *n, struct store *st)
{
	return list_ids(out, n, st, 1);
}

int
store_list_folders(char ***out, size_t *n, struct store *st)
{
	return list_ids(out, n, st, 0);
}

/* The incident folders, with a timeline.txt file or not (need_timeline
 * 0: the caller looks at it anyway). */
static int
list_ids(char ***out, size_t *n, struct store *st, int need_timeline)
{
	DIR		*d;
	struct dirent	*de;
	char		*dir, **ids = NULL;
	size_t		 count = 0, cap = 0;

	dir = store_path(st, STORE_INCIDENTS);
	if (!incidents_dir_ok(st)) {
		/* Missing, or not a real folder: no incidents of ours. */
		free(dir);
		*out = NULL;
		*n = 0;
		return 0;
	}
	if ((d = opendir(dir)) == NULL) {
		free(dir);
		if (errno == ENOENT) {
			*out = NULL;
			*n = 0;
			return 0;
		}
		return pm_error_sys("cannot read %s", STORE_INCIDENTS);
	}
	free(dir);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || incident_check_id(de->d_name) < 0 ||
		    !entry_is_folder(dirfd(d), de) || (need_timeline &&
		    !folder_has_timeline(dirfd(d), de->d_name)))
			continue;
		if (count == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			ids = xreallocarray(ids, cap, sizeof *ids);
		}
		ids[count++] = xstrdup(de->d_name);
	}
	closedir(d);
	pm_error_clear();
	if (count > 1)
		qsort(ids, count, sizeof *ids, id_cmp);
	*out = ids;
	*n = count;
	return 0;
}

void
store_free_ids(char **ids, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

int
store_resolve_id(char **out, struct store *st, const char *given)
{
	char	**ids;
	size_t	 n, i, len, matches = 0, match = 0;
	struct buf b = BUF_INIT;

	if (incident_check_id(given) < 0)
		return -1;
	if (timeline_exists(st, given)) {
		*out = xstrdup(given);
		return 0;
	}
	if (store_list(&ids, &n, st) < 0)
		return -1;
	len = strlen(given);
	for (i = 0; i < n; i++)
		if (strncmp(ids[i], given, len) == 0) {
			if (matches++ < 5)
				buf_printf(&b, "%s%s", matches > 1 ? ", " : "",
				    ids[i]);
			match = i;
		}
	if (matches == 1) {
		*out = xstrdup(ids[match]);
		store_free_ids(ids, n);
		buf_free(&b);
		return 0;
	}
	if (matches == 0)
		pm_error_set("no incident '%s' in this store (see 'pmtool "
		    "list')", given);
	else
		pm_error_set("'%s' could be any of %zu incidents: %s%s", given,
		    matches, buf_str(&b), matches > 5 ? ", ..." : "");
	store_free_ids(ids, n);
	buf_free(&b);
	return -1;
}

int
store_load(struct incident **out, struct store *st, const char *id)
{
	struct incident	*inc;
	struct buf	 b = BUF_INIT;
	char		*rel, *abs;
	int		 rc;

	if (incident_check_id(id) < 0)
		return -1;
	if (!timeline_exists(st, id))
		return pm_error_set("no incident '%s' in this store", id);
	rel = store_timeline_relpath(id);
	abs = store_path(st, rel);
	rc = read_file(&b, abs);
	if (rc == 0)
		rc = incfile_parse(&inc, rel, buf_str(&b), b.len);
	if (rc == 0) {
		incident_set(&inc->id, id);
		*out = inc;
	}
	buf_free(&b);
	free(rel);
	free(abs);
	return rc;
}

/* A file name inside an incident folder: one plain component. */
static int
check_file_name(const char *file)
{
	if (*file == '\0' || *file == '.' || strchr(file, '/') != NULL)
		return pm_error_set("bad incident file name '%s'", file);
	return 0;
}

/* Pick an unused id; the caller holds the lock. */
static char *
unique_id(struct store *st, const struct civil *date, const char *title)
{
	struct stat	 sb;
	char		*base, *id, *dir;
	int		 n;

	base = incident_make_id(date, title);
	id = xstrdup(base);
	for (n = 2; ; n++) {
		dir = xasprintf("%s/%s/%s", st->root, STORE_INCIDENTS, id);
		if (lstat(dir, &sb) == -1 && errno == ENOENT) {
			free(dir);
			break;
		}
		free(dir);
		free(id);
		id = xasprintf("%s-%d", base, n);
	}
	free(base);
	return id;
}

static int
ensure_dir(const char *path, int *made)
{
	struct stat	 sb;

	*made = 0;
	if (lstat(path, &sb) == 0) {
		if (!S_ISDIR(sb.st_mode))
			return pm_error_set("%s is not a folder", path);
		return 0;
	}
	if (mkdir(path, 0755) == -1)
		return pm_error_sys("cannot create %s", path);
	*made = 1;
	return 0;
}

/* Commit changes whose files are already in the work tree. */
static int
commit_changes(struct store *st, const struct change *changes, size_t n,
    const char *message)
{
	struct head	 h;
	git_oid		 commit;
	int		 rc;

	if (head_read(&h, st->repo) < 0)
		return -1;
	rc = commit_build(&commit, st, &h, changes, n, message);
	if (rc == 0)
		rc = commit_publish(st, &h, &commit, message);
	head_free(&h);
	if (rc == 0)
		index_update_or_warn(st, changes, n);
	return rc;
}

int
store_create(char **out_id, struct store *st, struct incident *inc,
    const struct civil *start_date, const struct store_file *extra,
    size_t nextra)
{
	struct buf	 content = BUF_INIT;
	struct change	*ch;
	char		*id = NULL, *incdir = NULL, *dir = NULL, *file = NULL;
	char		*msg = NULL, *header, *line, **paths;
	size_t		 i, made_files = 0;
	int		 made_top = 0, made_dir = 0, rc = -1;

	store_set_warning(st, NULL);
	if (incfile_check_header(inc) < 0)
		return -1;
	for (i = 0; i < nextra; i++)
		if (check_file_name(extra[i].name) < 0)
			return -1;
	if (store_lock(st) < 0)
		return -1;
	ch = xcalloc(nextra + 1, sizeof *ch);
	paths = xcalloc(nextra + 1, sizeof *paths);
	if (check_index_lock(st) < 0)
		goto out;
	id = unique_id(st, start_date, inc->title);
	header = incfile_format_header(inc);
	buf_adds(&content, header);
	free(header);
	for (i = 0; i < inc->nevents; i++) {
		line = incfile_format_event(&inc->events[i]);
		buf_adds(&content, line);
		free(line);
	}
	incdir = store_path(st, STORE_INCIDENTS);
	dir = xasprintf("%s/%s", incdir, id);
	if (ensure_dir(incdir, &made_top) < 0 || ensure_dir(dir, &made_dir) < 0)
		goto out;
	/* The timeline first, then the other files, each created whole. */
	for (i = 0; i <= nextra; i++) {
		const char	*name = i == 0 ? STORE_TIMELINE :
				    extra[i - 1].name;
		const char	*text = i == 0 ? buf_str(&content) :
				    extra[i - 1].content;

		paths[i] = xasprintf("%s/%s/%s", STORE_INCIDENTS, id, name);
		free(file);
		file = xasprintf("%s/%s", dir, name);
		if (create_file(file, text, strlen(text)) < 0)
			goto out;
		made_files++;
		if (blob_from_worktree(&ch[i].blob, st->repo, paths[i], text,
		    strlen(text)) < 0)
			goto out;
		ch[i].path = paths[i];
	}
	if (fsync_dir(dir) < 0 || fsync_dir(incdir) < 0)
		goto out;
	msg = xasprintf("%s: new incident\n\n%s\n", id, inc->title);
	if (commit_changes(st, ch, nextra + 1, msg) < 0)
		goto out;
	*out_id = id;
	id = NULL;
	rc = 0;
out:
	if (rc < 0) {
		/* Take back what this call made, and only that. */
		for (i = 0; i < made_files; i++) {
			free(file);
			file = xasprintf("%s/%s", st->root, paths[i]);
			unlink(file);
		}
		if (made_dir)
			rmdir(dir);
		if (made_top)
			rmdir(incdir);
	}
	store_unlock(st);
	for (i = 0; i <= nextra; i++)
		free(paths[i]);
	free(paths);
	free(ch);
	buf_free(&content);
	free(id);
	free(incdir);
	free(dir);
	free(file);
	free(msg);
	return rc;
}

/* Undo an append that could not be committed: cut the file back to its
 * old length, and only if nothing else has been added since. */
static void
append_undo(int fd, off_t old_size, off_t new_size)
{
	struct stat	 sb;

	if (fstat(fd, &sb) == 0 && sb.st_size == new_size &&
	    ftruncate(fd, old_size) == 0)
		fsync(fd);
}

static int
fsync_incident_dir(struct store *st, const char *id)
{
	char	*dir;
	int	 rc;

	dir = xasprintf("%s/%s/%s", st->root, STORE_INCIDENTS, id);
	rc = fsync_dir(dir);
	free(dir);
	return rc;
}

/* Before changing an incident: queue behind other pmtool writers, refuse
 * a locked git index, and make sure the incident is there. */
static int
begin_incident_write(struct store *st, const char *id)
{
	if (store_lock(st) < 0 || check_index_lock(st) < 0)
		return -1;
	if (!timeline_exists(st, id))
		return pm_error_set("no incident '%s' in this store", id);
	return 0;
}

int
store_read_file(struct buf *out, int *exists, struct store *st,
    const char *id, const char *file)
{
	struct stat	 sb;
	char		*abs;
	int		 rc = 0;

	*exists = 0;
	if (incident_check_id(id) < 0 || check_file_name(file) < 0)
		return -1;
	if (!timeline_exists(st, id))
		return pm_error_set("no incident '%s' in this store", id);
	abs = xasprintf("%s/%s/%s/%s", st->root, STORE_INCIDENTS, id, file);
	if (lstat(abs, &sb) == 0) {
		if (!S_ISREG(sb.st_mode))
			rc = pm_error_set("%s/%s/%s is not a plain file",
			    STORE_INCIDENTS, id, file);
		else if ((rc = read_file(out, abs)) == 0)
			*exists = 1;
	} else if (errno != ENOENT)
		rc = pm_error_sys("cannot read %s/%s/%s", STORE_INCIDENTS, id,
		    file);
	free(abs);
	return rc;
}

int
store_append_file(struct store *st, const char *id, const char *file,
    const char *header, const char *lines, const char *message,
    store_check_fn check)
{
	struct buf	 content = BUF_INIT;
	struct head	 h;
	struct change	 ch = { NULL, { { 0 } }, 0, 0 };
	struct stat	 sb;
	git_oid		 commit;
	char		*rel, *abs, *add_buf = NULL;
	const char	*add;
	size_t		 addlen;
	int		 fd = -1, rc = -1, have_head = 0, appended = 0;
	int		 created = 0;
	off_t		 old_size = 0;

	store_set_warning(st, NULL);
	if (incident_check_id(id) < 0 || check_file_name(file) < 0)
		return -1;
	rel = xasprintf("%s/%s/%s", STORE_INCIDENTS, id, file);
	abs = store_path(st, rel);
	if (begin_incident_write(st, id) < 0)
		goto out;
	if (lstat(abs, &sb) == -1 && errno == ENOENT && header != NULL) {
		/* The first record: the file starts with its header. */
		add_buf = xasprintf("%s%s", header, lines);
		created = 1;
	} else {
		/* The file must read cleanly before anything is added. */
		if (read_file(&content, abs) < 0 ||
		    (check != NULL && check(rel, content.data != NULL ?
		    content.data : "", content.len) < 0))
			goto out;
		/* A hand edit may have left the last line without its
		 * newline. */
		if (content.len > 0 && content.data[content.len - 1] != '\n')
			add_buf = xasprintf("\n%s", lines);
	}
	old_size = (off_t)content.len;
	add = add_buf != NULL ? add_buf : lines;
	addlen = strlen(add);
	buf_add(&content, add, addlen);
	if (blob_from_worktree(&ch.blob, st->repo, rel, content.data,
	    content.len) < 0)
		goto out;
	ch.path = rel;
	if (head_read(&h, st->repo) < 0)
		goto out;
	have_head = 1;
	if (commit_build(&commit, st, &h, &ch, 1, message) < 0)
		goto out;
	/* Objects first, then the line, then the branch: a crash at any
	 * point leaves either the old state or the line with its commit
	 * still to make, never a commit without its line. */
	fd = open(abs, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW |
	    (created ? O_CREAT | O_EXCL : 0), 0644);
	if (fd == -1) {
		pm_error_sys("cannot open %s", rel);
		goto out;
	}
	if (fstat(fd, &sb) == -1 || sb.st_size != old_size) {
		pm_error_set("%s changed while pmtool was writing; nothing was "
		    "added, try again", rel);
		goto out;
	}
	/* One write; a short one (a size limit reached part-way) goes on,
	 * so that the error is the one that stopped it. */
	if (write_all(fd, add, addlen, rel) < 0) {
		append_undo(fd, old_size, (off_t)lseek(fd, 0, SEEK_END));
		goto out;
	}
	appended = 1;
	if (fsync(fd) == -1) {
		pm_error_sys("cannot sync %s", rel);
		goto out;
	}
	if (created && fsync_incident_dir(st, id) < 0)
		goto out;
	if (commit_publish(st, &h, &commit, message) < 0)
		goto out;
	appended = 0;
	index_update_or_warn(st, &ch, 1);
	rc = 0;
out:
	if (appended)
		append_undo(fd, old_size, old_size + (off_t)addlen);
	if (fd != -1)
		close(fd);
	if (rc < 0 && created && fd != -1)
		unlink(abs);	/* this call made it */
	if (have_head)
		head_free(&h);
	store_unlock(st);
	buf_free(&content);
	free(add_buf);
	free(rel);
	free(abs);
	return rc;
}

int
store_check_timeline(const char *name, const char *buf, size_t len)
{
	struct incident	*inc;

	if (incfile_parse(&inc, name, buf, len) < 0)
		return -1;
	incident_free(inc);
	return 0;
}

int
store_append(struct store *st, const char *id, const struct event *ev)
{
	char	*lines, *msg;
	int	 rc;

	if (incfile_check_text("text", ev->text, 1) < 0)
		return -1;
	lines = incfile_format_event(ev);
	msg = xasprintf("%s: log %s%s%s\n\n%s", id, event_kind_name(ev->kind),
	    ev->kind == EV_STATUS ? " " : "", ev->kind == EV_STATUS ?
	    status_state_name(ev->state) : "", lines);
	rc = store_append_file(st, id, STORE_TIMELINE, NULL, lines, msg,
	    store_check_timeline);
	free(lines);
	free(msg);
	return rc;
}

int
store_write_file(struct store *st, const char *id, const char *file,
    const char *content, size_t len, const char *message)
{
	struct change	 ch = { NULL, { { 0 } }, 0, 0 };
	struct buf	 old = BUF_INIT;
	char		*rel, *abs, *dir;
	int		 rc = -1, existed = 0, replaced = 0;

	store_set_warning(st, NULL);
	if (incident_check_id(id) < 0 || check_file_name(file) < 0)
		return -1;
	rel = xasprintf("%s/%s/%s", STORE_INCIDENTS, id, file);
	abs = store_path(st, rel);
	dir = xasprintf("%s/%s/%s", st->root, STORE_INCIDENTS, id);
	if (begin_incident_write(st, id) < 0)
		goto out;
	if (is_file(abs)) {
		existed = 1;
		if (read_file(&old, abs) < 0)
			goto out;
	}
	if (blob_from_worktree(&ch.blob, st->repo, rel, content, len) < 0)
		goto out;
	ch.path = rel;
	/* The new file replaces the old one whole (write, fsync, rename),
	 * so a crash leaves one or the other, never a mix. */
	if (replace_file(abs, content, len) < 0 || fsync_dir(dir) < 0)
		goto out;
	replaced = 1;
	if (commit_changes(st, &ch, 1, message) < 0)
		goto out;
	replaced = 0;
	rc = 0;
out:
	if (replaced) {
		if (existed)
			replace_file(abs, buf_str(&old), old.len);
		else
			unlink(abs);
	}
	store_unlock(st);
	buf_free(&old);
	free(rel);
	free(abs);
	free(dir);
	return rc;
}

/* --- init ----------------------------------------------------------------- */

/* text with pmtool's attribute lines added, or NULL when it has them. */
static char *
attributes_with_ours(const char *text, size_t len)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;
	int		 added = 0;

	buf_add(&b, text, len);
	for (i = 0; i < sizeof store_attributes_lines /
	    sizeof store_attributes_lines[0]; i++) {
		if (strstr(buf_str(&b), store_attributes_lines[i]) != NULL)
			continue;
		if (b.len > 0 && b.data[b.len - 1] != '\n')
			buf_addc(&b, '\n');
		buf_adds(&b, store_attributes_lines[i]);
		added = 1;
	}
	if (!added) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

/* The content of path in HEAD's tree into out; 0 also when absent. */
static int
head_file(struct buf *out, git_repository *repo, const struct head *h,
    const char *path, git_oid *id, int *found)
{
	git_tree_entry	*te = NULL;
	git_blob	*blob = NULL;

	*found = 0;
	if (h->unborn || git_tree_entry_bypath(&te, h->tree, path) < 0)
		return 0;
	git_oid_cpy(id, git_tree_entry_id(te));
	git_tree_entry_free(te);
	if (git_blob_lookup(&blob, repo, id) < 0)
		return pm_error_git("cannot read %s at HEAD", path);
	buf_add(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	*found = 1;
	return 0;
}

/* 1 when the index holds something else than HEAD for path. */
static int
index_staged(git_repository *repo, const char *path, const git_oid *head_id,
    int in_head)
{
	git_index		*idx = NULL;
	const git_index_entry	*e;
	int			 staged;

	if (git_repository_index(&idx, repo) < 0)
		return 0;
	e = git_index_get_bypath(idx, path, 0);
	if (e == NULL)
		staged = in_head;	/* a staged deletion */
	else
		staged = !in_head || !git_oid_equal(&e->id, head_id);
	git_index_free(idx);
	return staged;
}

/* Replace path's content by writing a temporary file and renaming it. */
static int
replace_file(const char *path, const char *content, size_t len)
{
	char	*tmp;
	int	 rc;

	tmp = xasprintf("%s.pmtool-tmp", path);
	unlink(tmp);
	rc = create_file(tmp, content, len);
	if (rc == 0 && rename(tmp, path) == -1) {
		rc = pm_error_sys("cannot replace %s", path);
		unlink(tmp);
	}
	free(tmp);
	return rc;
}

/*
 * pmtool's line goes into .gitattributes twice: into the committed file
 * (HEAD's version plus the line) and into the work-tree file (as the user
 * has it, plus the line). Edits the user had not committed stay theirs,
 * uncommitted; a staged version stays staged.
 */
struct attrs_plan {
	struct buf	 worktree_old;
	int		 had_file;
	char		*worktree_new;	/* NULL: unchanged */
	char		*committed;	/* NULL: nothing to commit */
	int		 differs;
	int		 staged;
};

static int
attrs_plan_make(struct attrs_plan *p, struct store *st, const struct head *h,
    const char *path)
{
	struct buf	 head = BUF_INIT;
	git_oid		 head_id;
	int		 in_head;

	memset(p, 0, sizeof *p);
	p->had_file = is_file(path);
	if (p->had_file && read_file(&p->worktree_old, path) < 0)
		return -1;
	if (head_file(&head, st->repo, h, ".gitattributes", &head_id,
	    &in_head) < 0) {
		buf_free(&head);
		return -1;
	}
	p->worktree_new = attributes_with_ours(buf_str(&p->worktree_old),
	    p->worktree_old.len);
	p->committed = attributes_with_ours(buf_str(&head), head.len);
	if (p->committed != NULL) {
		p->differs = strcmp(p->committed, p->worktree_new != NULL ?
		    p->worktree_new : buf_str(&p->worktree_old)) != 0;
		p->staged = index_staged(st->repo, ".gitattributes", &head_id,
		    in_head);
	}
	buf_free(&head);
	return 0;
}

static void
attrs_plan_free(struct attrs_plan *p)
{
	buf_free(&p->worktree_old);
	free(p->worktree_new);
	free(p->committed);
}

int
store_init(struct store **out, const char *dir, int *created)
{
	git_repository	*repo = NULL;
	struct store	*st;
	struct change	 ch[2];
	struct head	 h;
	struct attrs_plan plan;
	char		*marker, *attrs_path;
	size_t		 n = 0;
	int		 rc = -1, wrote_marker = 0, wrote_attrs = 0;
	int		 have_head = 0, have_plan = 0;

	*created = 0;
	memset(ch, 0, sizeof ch);
	if (mkdir(dir, 0755) == -1 && errno != EEXIST)
		return pm_error_sys("cannot create %s", dir);
	if (git_repository_open_ext(&repo, dir, GIT_REPOSITORY_OPEN_NO_SEARCH,
	    NULL) < 0 && git_repository_init(&repo, dir, 0) < 0)
		return pm_error_git("cannot create a git repository in %s",
		    dir);
	if (git_repository_is_bare(repo)) {
		git_repository_free(repo);
		return pm_error_set("%s is a bare git repository; a store needs "
		    "a work tree", dir);
	}
	st = store_from_repo(repo);
	marker = store_path(st, STORE_MARKER);
	attrs_path = store_path(st, ".gitattributes");
	if (store_lock(st) < 0)
		goto out;
	if (is_file(marker)) {
		rc = 0;		/* already a store */
		goto out;
	}
	if (check_index_lock(st) < 0 || head_read(&h, st->repo) < 0)
		goto out;
	have_head = 1;
	if (attrs_plan_make(&plan, st, &h, attrs_path) < 0)
		goto out;
	have_plan = 1;
	if (create_file(marker, store_marker_text,
	    sizeof store_marker_text - 1) < 0)
		goto out;
	wrote_marker = 1;
	if (plan.worktree_new != NULL) {
		if (replace_file(attrs_path, plan.worktree_new,
		    strlen(plan.worktree_new)) < 0)
			goto out;
		wrote_attrs = 1;
	}
	if (git_blob_create_from_buffer(&ch[n].blob, repo, store_marker_text,
	    sizeof store_marker_text - 1) < 0)
		goto git_fail;
	ch[n++].path = STORE_MARKER;
	if (plan.committed != NULL) {
		if (git_blob_create_from_buffer(&ch[n].blob, repo,
		    plan.committed, strlen(plan.committed)) < 0)
			goto git_fail;
		ch[n].worktree_differs = plan.differs;
		ch[n].keep_index = plan.staged;
		ch[n++].path = ".gitattributes";
	}
	head_free(&h);
	have_head = 0;
	if (commit_changes(st, ch, n, "pmtool: create store\n") < 0)
		goto out;
	*created = 1;
	rc = 0;
	goto out;
git_fail:
	pm_error_git("cannot store the store's files");
out:
	/* A failed init leaves the folder as it found it. */
	if (rc < 0 && wrote_marker)
		unlink(marker);
	if (rc < 0 && wrote_attrs) {
		if (plan.had_file)
			replace_file(attrs_path, buf_str(&plan.worktree_old),
			    plan.worktree_old.len);
		else
			unlink(attrs_path);
	}
	if (have_plan)
		attrs_plan_free(&plan);
	if (have_head)
		head_free(&h);
	store_unlock(st);
	free(marker);
	free(attrs_path);
	if (rc < 0) {
		store_close(st);
		return -1;
	}
	*out = st;
	return 0;
}

/* --- batches: several incidents, one commit ------------------------------ */

/* One file a batch writes: created whole, or appended to. */
struct batch_op {
	char		*id;
	char		*rel;		/* incidents/<id>/<file> */
	char		*abs;
	int		 create;	/* a new file; else an append */
	struct buf	 add;		/* what is written: the whole new file,
					   or the bytes appended */
	struct buf	 content;	/* appends: the whole file afterwards */
	off_t		 old_size;	/* appends: the length when planned */
	int		 written;	/* on disk, to be undone on failure */
};

struct store_batch {
	struct store	*st;
	struct batch_op	*ops;
	size_t		 nops;
	char		**dirs;		/* incident folders this batch made */
	size_t		 ndirs;
	char		*incdir;	/* <root>/incidents */
	int		 made_top;	/* ... and whether this batch made it */
	int		 locked;
	int		 committed;
};

int
store_batch_begin(struct store_batch **out, struct store *st)
{
	struct store_batch	*b;

	store_set_warning(st, NULL);
	b = xcalloc(1, sizeof *b);
	b->st = st;
	b->incdir = store_path(st, STORE_INCIDENTS);
	if (store_lock(st) < 0) {
		free(b->incdir);
		free(b);
		return -1;
	}
	b->locked = 1;
	if (check_index_lock(st) < 0) {
		store_batch_free(b);
		return -1;
	}
	*out = b;
	return 0;
}

static struct batch_op *
batch_find(struct store_batch *b, const char *rel)
{
	size_t	 i;

	for (i = 0; i < b->nops; i++)
		if (strcmp(b->ops[i].rel, rel) == 0)
			return &b->ops[i];
	return NULL;
}

static struct batch_op *
batch_add_op(struct store_batch *b, const char *id, const char *file,
    int create)
{
	struct batch_op	*op;

	b->ops = xreallocarray(b->ops, b->nops + 1, sizeof *b->ops);
	op = &b->ops[b->nops++];
	memset(op, 0, sizeof *op);
	op->id = xstrdup(id);
	op->rel = xasprintf("%s/%s/%s", STORE_INCIDENTS, id, file);
	op->abs = store_path(b->st, op->rel);
	op->create = create;
	return op;
}

/* 1 when id is an incident folder this batch made. */
static int
batch_made(const struct store_batch *b, const char *id)
{
	size_t	 i;
	char	*dir = xasprintf("%s/%s", b->incdir, id);
	int	 found = 0;

	for (i = 0; i < b->ndirs && !found; i++)
		found = strcmp(b->dirs[i], dir) == 0;
	free(dir);
	return found;
}

int
store_batch_create(struct store_batch *b, char **out_id,
    struct incident *inc, const struct civil *start_date,
    const struct store_file *extra, size_t nextra)
{
	struct batch_op	*op;
	char		*id, *dir, *header, *line;
	size_t		 i;
	int		 made;

	if (incfile_check_header(inc) < 0)
		return -1;
	for (i = 0; i < nextra; i++)
		if (check_file_name(extra[i].name) < 0 ||
		    strcmp(extra[i].name, STORE_TIMELINE) == 0)
			return pm_error_set("bad incident file name '%s'",
			    extra[i].name);
	if (ensure_dir(b->incdir, &made) < 0)
		return -1;
	b->made_top |= made;
	/* Making the folder now reserves the id against the batch's other
	 * new incidents; it goes again if the batch does not commit. */
	id = unique_id(b->st, start_date, inc->title);
	dir = xasprintf("%s/%s", b->incdir, id);
	if (mkdir(dir, 0755) == -1) {
		pm_error_sys("cannot create %s", dir);
		free(dir);
		free(id);
		return -1;
	}
	b->dirs = xreallocarray(b->dirs, b->ndirs + 1, sizeof *b->dirs);
	b->dirs[b->ndirs++] = dir;
	op = batch_add_op(b, id, STORE_TIMELINE, 1);
	header = incfile_format_header(inc);
	buf_adds(&op->add, header);
	free(header);
	for (i = 0; i < inc->nevents; i++) {
		line = incfile_format_event(&inc->events[i]);
		buf_adds(&op->add, line);
		free(line);
	}
	for (i = 0; i < nextra; i++) {
		op = batch_add_op(b, id, extra[i].name, 1);
		buf_adds(&op->add, extra[i].content);
	}
	*out_id = id;
	return 0;
}

int
store_batch_append(struct store_batch *b, const char *id, const char *file,
    const char *header, const char *lines, store_check_fn check)
{
	struct batch_op	*op;
	struct stat	 sb;
	char		*rel;

	if (incident_check_id(id) < 0 || check_file_name(file) < 0)
		return -1;
	rel = xasprintf("%s/%s/%s", STORE_INCIDENTS, id, file);
	op = batch_find(b, rel);
	free(rel);
	if (op != NULL) {
		/* Planned already: the lines join what is to be written. */
		buf_adds(&op->add, lines);
		if (!op->create)
			buf_adds(&op->content, lines);
		return 0;
	}
	if (!batch_made(b, id) && !timeline_exists(b->st, id))
		return pm_error_set("no incident '%s' in this store", id);
	op = batch_add_op(b, id, file, 0);
	if (lstat(op->abs, &sb) == -1 && errno == ENOENT) {
		if (header == NULL) {
			pm_error_set("%s: no such file", op->rel);
			b->nops--;
			goto drop;
		}
		op->create = 1;
		buf_adds(&op->add, header);
		buf_adds(&op->add, lines);
		return 0;
	}
	if (read_file(&op->content, op->abs) < 0 || (check != NULL &&
	    check(op->rel, buf_str(&op->content), op->content.len) < 0)) {
		b->nops--;
		goto drop;
	}
	op->old_size = (off_t)op->content.len;
	/* A hand edit may have left the last line without its newline. */
	if (op->content.len > 0 && op->content.data[op->content.len - 1] !=
	    '\n')
		buf_addc(&op->add, '\n');
	buf_adds(&op->add, lines);
	buf_add(&op->content, op->add.data, op->add.len);
	return 0;
drop:
	free(op->id);
	free(op->rel);
	free(op->abs);
	buf_free(&op->add);
	buf_free(&op->content);
	return -1;
}

/* Put one op's file on disk. */
static int
batch_write(struct batch_op *op)
{
	struct stat	 sb;
	int		 fd, rc = 0;

	if (op->create) {
		if (create_file(op->abs, buf_str(&op->add), op->add.len) < 0)
			return -1;
		op->written = 1;
		return 0;
	}
	fd = open(op->abs, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
	if (fd == -1)
		return pm_error_sys("cannot open %s", op->rel);
	if (fstat(fd, &sb) == -1 || sb.st_size != op->old_size)
		rc = pm_error_set("%s changed while pmtool was writing; "
		    "nothing was added, try again", op->rel);
	else if (write_all(fd, op->add.data, op->add.len, op->rel) < 0) {
		append_undo(fd, op->old_size, (off_t)lseek(fd, 0, SEEK_END));
		rc = -1;
	} else if (fsync(fd) == -1) {
		op->written = 1;
		rc = pm_error_sys("cannot sync %s", op->rel);
	} else
		op->written = 1;
	close(fd);
	return rc;
}

/* Take back every file this batch wrote. */
static void
batch_undo(struct store_batch *b)
{
	struct batch_op	*op;
	size_t		 i;
	int		 fd;

	for (i = 0; i < b->nops; i++) {
		op = &b->ops[i];
		if (!op->written)
			continue;
		if (op->create)
			unlink(op->abs);
		else if ((fd = open(op->abs, O_WRONLY | O_CLOEXEC |
		    O_NOFOLLOW)) != -1) {
			append_undo(fd, op->old_size, op->old_size +
			    (off_t)op->add.len);
			close(fd);
		}
		op->written = 0;
	}
}

int
store_batch_commit(struct store_batch *b, const char *message)
{
	struct change	*ch;
	struct head	 h;
	git_oid		 commit;
	struct buf	*data;
	size_t		 i;
	int		 rc = -1, have_head = 0;

	if (b->nops == 0) {
		b->committed = 1;	/* nothing to do is done */
		return 0;
	}
	ch = xcalloc(b->nops, sizeof *ch);
	for (i = 0; i < b->nops; i++) {
		data = b->ops[i].create ? &b->ops[i].add : &b->ops[i].content;
		ch[i].path = b->ops[i].rel;
		if (blob_from_worktree(&ch[i].blob, b->st->repo, ch[i].path,
		    buf_str(data), data->len) < 0)
			goto out;
	}
	if (head_read(&h, b->st->repo) < 0)
		goto out;
	have_head = 1;
	/* As for one event: objects, then the files, then the branch. */
	if (commit_build(&commit, b->st, &h, ch, b->nops, message) < 0)
		goto out;
	for (i = 0; i < b->nops; i++)
		if (batch_write(&b->ops[i]) < 0)
			goto out;
	for (i = 0; i < b->ndirs; i++)
		if (fsync_dir(b->dirs[i]) < 0)
			goto out;
	if (fsync_dir(b->incdir) < 0)
		goto out;
	if (commit_publish(b->st, &h, &commit, message) < 0)
		goto out;
	b->committed = 1;
	index_update_or_warn(b->st, ch, b->nops);
	rc = 0;
out:
	if (rc < 0)
		batch_undo(b);
	if (have_head)
		head_free(&h);
	free(ch);
	return rc;
}

void
store_batch_free(struct store_batch *b)
{
	size_t	 i;

	if (b == NULL)
		return;
	if (!b->committed) {
		/* Folders reserved for new incidents go, with anything the
		 * batch put in them. */
		batch_undo(b);
		for (i = 0; i < b->ndirs; i++)
			rmdir(b->dirs[i]);
		if (b->made_top)
			rmdir(b->incdir);
	}
	for (i = 0; i < b->nops; i++) {
		free(b->ops[i].id);
		free(b->ops[i].rel);
		free(b->ops[i].abs);
		buf_free(&b->ops[i].add);
		buf_free(&b->ops[i].content);
	}
	free(b->ops);
	for (i = 0; i < b->ndirs; i++)
		free(b->dirs[i]);
	free(b->dirs);
	free(b->incdir);
	if (b->locked)
		store_unlock(b->st);
	free(b);
}

/* --- for core/sync.c ------------------------------------------------------ */

git_repository *
store_repository(struct store *st)
{
	return st->repo;
}

int
store_lock_writers(struct store *st)
{
	store_set_warning(st, NULL);
	if (store_lock(st) < 0)
		return -1;
	if (check_index_lock(st) < 0) {
		store_unlock(st);
		return -1;
	}
	return 0;
}

void
store_unlock_writers(struct store *st)
{
	store_unlock(st);
}

int
store_signature(git_signature **out, struct store *st, const char *role)
{
	return make_signature(out, st->repo, role);
}
