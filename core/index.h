/*
 * index.h - a sqlite3 cache of the store's incidents (formats/index-schema.md).
 *
 * The index lives inside the git directory (<gitdir>/pmtool/index.sqlite)
 * and is derived data only: deleting it loses nothing, the next
 * index_open() + index_sync() rebuilds it from the timelines. A file of an
 * older or unknown schema version, or one sqlite cannot read as a
 * database, is deleted and recreated silently; only real I/O errors are
 * reported.
 */
#ifndef PM_INDEX_H
#define PM_INDEX_H

#include <stddef.h>
#include <stdint.h>

#define INDEX_SCHEMA_VERSION	1
#define INDEX_DIR		"pmtool"
#define INDEX_FILE		"index.sqlite"

struct index;
struct store;

/* One incident as index_each_incident() hands it out. The strings are
 * borrowed: valid only during the callback. */
struct index_row {
	const char	*id;
	const char	*title;
	const char	*severity;	/* "" when unset */
	int		 state_open;	/* 1 unless resolved */
	int		 has_start;
	int64_t		 start_utc;	/* incident_start(), when has_start */
	int		 has_last_status;
	int64_t		 last_status_utc;	/* when has_last_status */
	size_t		 nevents;
};

/*
 * Open (creating it and its parent folder if needed) the index at db_path,
 * normally "<gitdir>/pmtool/index.sqlite". Close with index_close().
 */
int	 index_open(struct index **out, const char *db_path);
void	 index_close(struct index *);

/*
 * Make the index match the work tree, in one transaction: new and changed
 * timelines are parsed again, rows of vanished incidents go. *updated (may
 * be NULL) is the number of incidents whose rows were written or removed.
 * A timeline that cannot be read or parsed does not fail the sync: its
 * rows are removed and its error text is kept for index_problem().
 */
int	 index_sync(struct index *, struct store *st, size_t *updated);
/* Drop every row and read every timeline again (one transaction). */
int	 index_rebuild(struct index *, struct store *st);

/* The incidents skipped by the last index_sync() or index_rebuild(): how
 * many, and the i-th one's error text ("FILE:LINE:COL: error: ..."). */
size_t	 index_nproblems(const struct index *);
const char *index_problem(const struct index *, size_t i);

/*
 * Call fn for every incident: open ones first, then the latest start
 * first (no start last), then by id. A non-zero return from fn stops the
 * walk and is returned; else 0, or -1 on a database error.
 */
int	 index_each_incident(struct index *,
	    int (*fn)(void *ctx, const struct index_row *row), void *ctx);

#endif
