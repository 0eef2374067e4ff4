/*
 * store.h - a pmtool store: a git repository with a work tree, a .pmtool
 * file at its top and one folder per incident under incidents/.
 *
 * Every change is exactly one commit made with libgit2. A commit touches
 * only pmtool's own files: their blobs go on top of HEAD's tree, HEAD
 * moves by compare-and-swap, and only their index entries are updated, so
 * whatever else the user has staged or changed stays as it was. Writers
 * take an flock on .git/pmtool.lock, so pmtool processes queue instead of
 * racing; the kernel drops it when a process dies, so it is never stale.
 */
#ifndef PM_STORE_H
#define PM_STORE_H

#include <stddef.h>

#include "incident.h"

#define STORE_MARKER		".pmtool"
#define STORE_INCIDENTS		"incidents"
#define STORE_TIMELINE		"timeline.txt"
#define STORE_LOCK_WAIT_MS	30000

struct store;

/* Call once before any other store function, and store_global_shutdown()
 * at exit. Turns on libgit2's fsync of objects and refs. */
int	 store_global_init(void);
void	 store_global_shutdown(void);

/*
 * Open the store at dir, or when dir is NULL the one containing the
 * current directory (searching upwards, as git does). Errors: not in a
 * git repository, a bare repository, no .pmtool marker. Close with
 * store_close().
 */
int	 store_open(struct store **out, const char *dir);
/*
 * Make dir (created if needed) a store: a git repository (made if there
 * is none at dir), .pmtool and .gitattributes, and one commit. *created is
 * 0 when dir already was a store (nothing changed).
 */
int	 store_init(struct store **out, const char *dir, int *created);
void	 store_close(struct store *);
/* The work tree's top folder, without a trailing slash. Borrowed. */
const char *store_root(const struct store *);
/* The repository's .git folder, with a trailing slash. Borrowed. */
const char *store_gitdir(const struct store *);
/* A warning left by the last successful call (e.g. the index could not
 * be updated after a commit), or NULL. Borrowed. */
const char *store_warning(const struct store *);

/* The ids of all incidents (folders with a timeline), sorted. Free with
 * store_free_ids(). */
int	 store_list(char ***out, size_t *n, struct store *);
/* Every folder under incidents/ with a valid id, whether it holds a
 * timeline.txt or not: for a caller that looks at each one's timeline
 * anyway (one lstat fewer per incident). */
int	 store_list_folders(char ***out, size_t *n, struct store *);
void	 store_free_ids(char **, size_t);
/* Resolve what the user typed: an exact id, else a unique prefix of one.
 * *out is a new string (free()). */
int	 store_resolve_id(char **out, struct store *, const char *given);
/* Read an incident (id must be resolved). Errors carry FILE:LINE:COL. */
int	 store_load(struct incident **out, struct store *, const char *id);
/*
 * The incident as it would read with ev appended (settled, corrections
 * applied), without writing anything: for a caller that checks what an
 * event would do before store_append(). Errors as store_load()'s, and
 * the new line's own (it must read back as it is written).
 */
int	 store_preview_append(struct incident **out, struct store *,
	    const char *id, const struct event *ev);
/* The timeline's path relative to the store's top, new string. */
char	*store_timeline_relpath(const char *id);

/* A further file of a new incident: its name in the folder, its text. */
struct store_file {
	const char	*name;
	const char	*content;
};

/*
 * Create an incident from inc's header and events (inc->id is ignored):
 * picks a unique id from the date of start (in inc's zone) and the title,
 * writes incidents/<id>/timeline.txt and the extra files, and commits them
 * together. *out_id is a new string. On failure nothing is left behind.
 */
int	 store_create(char **out_id, struct store *, struct incident *inc,
	    const struct civil *start_date, const struct store_file *extra,
	    size_t nextra);
/*
 * Append ev to incident id: one write of its lines to the timeline, then
 * one commit, both fsynced before returning. The existing file must read
 * cleanly. On failure the file is as it was and nothing is committed.
 */
int	 store_append(struct store *, const char *id, const struct event *ev);

/* Checks a file's current content before pmtool adds to it: 0, or -1
 * with a FILE:LINE:COL error set. name is the path to report. */
typedef int (*store_check_fn)(const char *name, const char *buf,
	    size_t len);
/* The check of a timeline: it must parse cleanly. */
int	 store_check_timeline(const char *name, const char *buf, size_t len);

struct buf;
/*
 * Read incidents/<id>/<file> into out (appended). *exists is 0 and out
 * untouched when there is no such file. A link or folder is an error.
 */
int	 store_read_file(struct buf *out, int *exists, struct store *,
	    const char *id, const char *file);
/*
 * Append lines to incidents/<id>/<file> and commit, as store_append()
 * does. check (may be NULL) validates the current content first. When the
 * file does not exist and header is not NULL it is created with header
 * then lines; with a NULL header a missing file is an error.
 */
int	 store_append_file(struct store *, const char *id, const char *file,
	    const char *header, const char *lines, const char *message,
	    store_check_fn check);
/*
 * Replace incidents/<id>/<file> with content (written to a temporary
 * file, fsynced, renamed) and commit it. On failure the old file is put
 * back.
 */
int	 store_write_file(struct store *, const char *id, const char *file,
	    const char *content, size_t len, const char *message);

/*
 * A batch: several incidents created or appended to, all in one commit
 * (pmtool import). Begin takes the store's lock; nothing is written until
 * store_batch_commit(), which writes every file and commits them together
 * or, on failure, leaves every file as it was. store_batch_free() after
 * either (without a commit it takes back what the batch reserved).
 */
struct store_batch;

int	 store_batch_begin(struct store_batch **out, struct store *);
/* A new incident, as store_create() makes one; its id is chosen (and its
 * folder made, to reserve it) now. *out_id is a new string. */
int	 store_batch_create(struct store_batch *, char **out_id,
	    struct incident *inc, const struct civil *start_date,
	    const struct store_file *extra, size_t nextra);
/* Lines to append to incidents/<id>/<file>, as store_append_file() takes
 * them (check validates the current file; header makes a missing one).
 * Several appends to one file are written as one. */
int	 store_batch_append(struct store_batch *, const char *id,
	    const char *file, const char *header, const char *lines,
	    store_check_fn check);
/* Write and commit everything; 0 with no commit when there is nothing. */
int	 store_batch_commit(struct store_batch *, const char *message);
void	 store_batch_free(struct store_batch *);

/*
 * For core/sync.c, which merges whole histories: the repository, the
 * writers' lock (as every write takes it, and refusing a locked git
 * index), and the signature pmtool commits with ("AUTHOR" or
 * "COMMITTER").
 */
struct git_repository;
struct git_signature;
struct git_repository *store_repository(struct store *);
int	 store_lock_writers(struct store *);
void	 store_unlock_writers(struct store *);
int	 store_signature(struct git_signature **out, struct store *,
	    const char *role);

#endif
