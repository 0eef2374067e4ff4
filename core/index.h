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

#include "metrics.h"

#define INDEX_SCHEMA_VERSION	6
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
	const char	*services;	/* joined with ", "; "" when none */
	const char	*zone;
	const char	*start_at;	/* the start as written (RFC 3339), or NULL */
	const char	*last_status_at;	/* the last status, likewise */
	int		 excluded;	/* left out of the figures */
};

/* Which incidents index_query() hands out; zero-initialised: all. */
struct index_filter {
	int		 open_only;	/* only incidents not resolved */
	const char	*severity;	/* NULL or equal, ignoring case */
	const char	*service;	/* NULL or one of the services, ignoring case */
	int		 has_since;
	int64_t		 since;		/* start at or after (UTC seconds) */
	int		 has_until;
	int64_t		 until;		/* start before */
	const char	*search;	/* NULL or words all found (FTS5) in the
					   title or the events' text */
};

/* One incident of a period with its metrics and action counts, as
 * index_each_in_period() hands it out. Strings are borrowed. */
struct index_period_row {
	const char	*id, *title, *severity, *services, *zone;
	int		 state_open;
	int64_t		 start_utc;
	int		 has_started, has_detected, has_resolved;
	int64_t		 started_utc, detected_utc, resolved_utc;
	size_t		 nevents;
	int		 has[M__COUNT];
	int64_t		 value[M__COUNT];	/* seconds, when has[] */
	int64_t		 status_updates;
	int64_t		 open_actions, overdue_actions;
	/* severity is the current one; these are the header's and the
	 * most severe it has been. */
	const char	*declared_severity, *peak_severity;
	int		 excluded;	/* left out of the figures */
	int64_t		 reopenings;
};

/*
 * Open (creating it and its parent folder if needed) the index at db_path,
 * normally "<gitdir>/pmtool/index.sqlite". Close with index_close().
 */
/* Process-wide sqlite settings: call once at start-up, before any other
 * index call and before any thread is started. */
void	 index_global_init(void);
int	 index_open(struct index **out, const char *db_path);
void	 index_close(struct index *);
/* index_open() at the store's own place, <gitdir>/pmtool/index.sqlite. */
int	 index_open_store(struct index **out, struct store *st);

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
/* The same walk over the incidents that pass every filter of f (NULL:
 * all). Search words are matched as whole tokens, ignoring case and
 * diacritics (FTS5's unicode61 tokenizer). */
int	 index_query(struct index *, const struct index_filter *f,
	    int (*fn)(void *ctx, const struct index_row *row), void *ctx);

/*
 * Call fn for each incident whose start (incident_start()) is in
 * [from, to), in start order, then by id. today ("YYYY-MM-DD") decides
 * which open actions are overdue (due before it). Return as above.
 */
int	 index_each_in_period(struct index *, int64_t from, int64_t to,
	    const char *today,
	    int (*fn)(void *ctx, const struct index_period_row *row),
	    void *ctx);

/*
 * Write the incidents of [from, to), with their events, metrics and
 * actions, into a new sqlite database at path (which must not exist yet;
 * the caller renames it into place). formats/index-schema.md lists the
 * tables.
 */
int	 index_export_sqlite(struct index *, const char *path, int64_t from,
	    int64_t to);

#endif
