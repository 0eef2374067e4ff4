/*
 * gitcommit.c - the commit plumbing of the store (libgit2): a commit of a
 * set of changed files on top of HEAD, published by compare-and-swap, and
 * just those paths' index entries brought in line.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "error.h"
#include "fileio.h"
#include "gitcommit.h"
#include "store_internal.h"
#include "storelock.h"
#include "xmalloc.h"
#include "zone.h"

void
gitcommit_head_free(struct gitcommit_head *h)
{
	free(h->refname);
	git_tree_free(h->tree);
	git_commit_free(h->commit);
	memset(h, 0, sizeof *h);
}

int
gitcommit_head_read(struct gitcommit_head *h, git_repository *repo)
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
		gitcommit_head_free(h);
		return -1;
	}
	return 0;
}

/* An author or committer: git config user.name and user.email,
 * overridden by GIT_AUTHOR_* or GIT_COMMITTER_* (role) as git does, else
 * the login name at the host name. The time honours PMTOOL_TEST_TIME. */
int
gitcommit_signature(git_signature **out, git_repository *repo,
    const char *role)
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
int
gitcommit_worktree_blob(git_oid *out, git_repository *repo, const char *path,
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
int
gitcommit_build(git_oid *out, struct store *st, const struct gitcommit_head *h,
    const struct gitcommit_change *changes, size_t n, const char *message)
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
	if (gitcommit_signature(&author, st->repo, "AUTHOR") < 0 ||
	    gitcommit_signature(&committer, st->repo, "COMMITTER") < 0)
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

/* The size of a reflog before a ref update (fileio_size(), -1 when there
 * is none) is kept, to cut a failed one's half entry back off (libgit2
 * leaves it). */
static void
cut_back(const char *path, off_t size)
{
	if (size >= 0 && fileio_size(path) > size &&
	    truncate(path, size) == 0) {
		/* A half-written reflog entry is gone. */
	}
}

/* Move HEAD's branch to commit, only if it still is where h saw it. */
int
gitcommit_publish(struct store *st, const struct gitcommit_head *h,
    const git_oid *commit, const char *message)
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
		sizes[i] = fileio_size(reflogs[i]);
	storelock_note_git_lock(st, "ref");
	if (h->unborn)
		rc = git_reference_create(&ref, st->repo, h->refname, commit, 0,
		    log);
	else
		rc = git_reference_create_matching(&ref, st->repo, h->refname,
		    commit, 1, &h->oid, log);
	storelock_note_git_lock(st, "-");
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
index_update(struct store *st, const struct gitcommit_change *changes,
    size_t n)
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
void
gitcommit_update_index(struct store *st,
    const struct gitcommit_change *changes, size_t n)
{
	char	*msg;

	int	 rc;

	storelock_note_git_lock(st, "index");
	rc = index_update(st, changes, n);
	storelock_note_git_lock(st, "-");
	if (rc == 0)
		return;
	msg = xasprintf("committed, but the git index was not updated (%s); "
	    "'git reset -q -- %s' repairs it", pm_error_last(),
	    changes[0].path);
	store_set_warning(st, msg);
	free(msg);
}

/* Commit changes whose files are already in the work tree. */
int
gitcommit_changes(struct store *st, const struct gitcommit_change *changes,
    size_t n, const char *message)
{
	struct gitcommit_head	 h;
	git_oid			 commit;
	int			 rc;

	if (gitcommit_head_read(&h, st->repo) < 0)
		return -1;
	rc = gitcommit_build(&commit, st, &h, changes, n, message);
	if (rc == 0)
		rc = gitcommit_publish(st, &h, &commit, message);
	gitcommit_head_free(&h);
	if (rc == 0)
		gitcommit_update_index(st, changes, n);
	return rc;
}

/* The content of path in HEAD's tree into out; 0 also when absent. */
int
gitcommit_head_file(struct buf *out, git_repository *repo,
    const struct gitcommit_head *h, const char *path, git_oid *id, int *found)
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
int
gitcommit_index_staged(git_repository *repo, const char *path,
    const git_oid *head_id, int in_head)
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
