/*
 * gitcommit.h - the store's commit plumbing (libgit2).
 *
 * A commit touches only pmtool's own files: their blobs go on top of
 * HEAD's tree (gitcommit_build()), HEAD's branch moves by compare-and-swap
 * (gitcommit_publish()), and only their index entries are updated
 * (gitcommit_update_index()), so whatever else the user has staged or
 * changed stays as it was. gitcommit_changes() does all three.
 *
 * The caller holds the writers' lock (core/storelock.h): publishing and
 * the index update note in it the git lock they take. Private to
 * core/store*.c (see store_internal.h).
 */
#ifndef PM_GITCOMMIT_H
#define PM_GITCOMMIT_H

#include <stddef.h>

#include <git2.h>

struct buf;
struct store;

/* One file a commit writes: its path from the top and its new blob. */
struct gitcommit_change {
	const char	*path;
	git_oid		 blob;
	int		 worktree_differs; /* the user's edits stay unstaged */
	int		 keep_index;	   /* the user staged this path */
};

/* What HEAD is: the ref a commit moves and the commit it points to. */
struct gitcommit_head {
	char		*refname;	/* "refs/heads/main", or "HEAD" */
	int		 unborn;	/* no commit yet */
	git_oid		 oid;
	git_commit	*commit;
	git_tree	*tree;
};

/* Read HEAD into *out; an unborn branch is no error (out->unborn, no
 * commit, no tree). Free with gitcommit_head_free(), which also takes a
 * zeroed one; on failure there is nothing to free. */
int	 gitcommit_head_read(struct gitcommit_head *out, git_repository *);
void	 gitcommit_head_free(struct gitcommit_head *);
/* path's content in h's tree appended to out, its blob's id in *id;
 * *found is 0 (and 0 returned) when HEAD has no such file. */
int	 gitcommit_head_file(struct buf *out, git_repository *,
	    const struct gitcommit_head *h, const char *path, git_oid *id,
	    int *found);
/* 1 when the index holds something else than HEAD for path (head_id,
 * when in_head says HEAD has it), else 0; 0 too when the index cannot be
 * read. */
int	 gitcommit_index_staged(git_repository *, const char *path,
	    const git_oid *head_id, int in_head);

/* A commit's signature (role "AUTHOR" or "COMMITTER"), as
 * store_signature() describes it. Free with git_signature_free(). */
int	 gitcommit_signature(git_signature **out, git_repository *,
	    const char *role);
/* Store the blob for buf, the work-tree bytes of path (from the top), as
 * git add would: through the filters path's attributes select. */
int	 gitcommit_worktree_blob(git_oid *out, git_repository *,
	    const char *path, const char *buf, size_t len);
/* Build the commit of n changes on top of h's tree (h's commit its
 * parent), into the object database only; no ref moves. */
int	 gitcommit_build(git_oid *out, struct store *,
	    const struct gitcommit_head *h,
	    const struct gitcommit_change *changes, size_t n,
	    const char *message);
/* Move h's ref to commit, only if it still is where h saw it; else -1
 * with an error that says nothing was changed. A failed update's half
 * reflog entry is taken back. */
int	 gitcommit_publish(struct store *, const struct gitcommit_head *h,
	    const git_oid *commit, const char *message);
/* Update the index entries of just these paths to the committed blobs
 * (keep_index ones are left alone). Cannot fail: a failure is a
 * store_warning() with the command that repairs it. */
void	 gitcommit_update_index(struct store *,
	    const struct gitcommit_change *changes, size_t n);
/* Commit n changes whose files are already in the work tree: read HEAD,
 * build, publish, update the index. On failure no ref has moved. */
int	 gitcommit_changes(struct store *,
	    const struct gitcommit_change *changes, size_t n,
	    const char *message);

#endif
