/*
 * index.c - the sqlite3 cache of the store's incidents.
 *
 * Every statement is a constant string: values are bound, never pasted
 * in. Every prepared statement is finalized on every path.
 *
 * Change detection: each row keeps the git blob id of the timeline bytes
 * it was built from, and the file's size, mtime (ns) and inode. A sync
 * skips a file whose stat still matches; otherwise it reads and hashes it
 * and parses it only when the hash changed. A file modified within the
 * last STAT_RACY_NS of the sync gets no stat stored (the "racily clean"
 * case of git: a second write in the same clock tick would keep size and
 * mtime), so the next sync hashes it again.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>
#include <sqlite3.h>

#include "actfile.h"
#include "actions.h"
#include "error.h"
#include "incfile.h"
#include "incident.h"
#include "index.h"
#include "metrics.h"
#include "store.h"
#include "tstamp.h"
#include "xmalloc.h"

#define STAT_RACY_NS	(2LL * 1000000000LL)
#define BUSY_MS		5000
#define STR_(x)		#x
#define STR(x)		STR_(x)

struct index {
	sqlite3		*db;
	int		 fresh;		/* created empty by this open */
	char		*path;
	char		**problems;
	size_t		 nproblems;
};

static const char *const schema[] = {
	/* rid is the rowid, made stable (an alias) so that search's rowids
	 * keep pointing at their incidents whatever sqlite does. */
	"CREATE TABLE incidents ("
	" rid INTEGER PRIMARY KEY,"
	" id TEXT UNIQUE NOT NULL,"
	" title TEXT NOT NULL,"
	" severity TEXT NOT NULL,"
	" services TEXT NOT NULL,"
	" commander TEXT NOT NULL,"
	" zone TEXT NOT NULL,"
	" state TEXT NOT NULL,"
	" started_utc INTEGER,"
	" detected_utc INTEGER,"
	" mitigated_utc INTEGER,"
	" resolved_utc INTEGER,"
	" start_utc INTEGER,"
	" last_status_utc INTEGER,"
	" start_at TEXT,"
	" last_status_at TEXT,"
	" nevents INTEGER NOT NULL,"
	" blob TEXT NOT NULL,"
	" file_size INTEGER,"
	" file_mtime_ns INTEGER,"
	" file_ino INTEGER,"
	" actions_blob TEXT,"
	" act_size INTEGER,"
	" act_mtime_ns INTEGER,"
	" act_ino INTEGER,"
	" declared_severity TEXT NOT NULL,"
	" peak_severity TEXT NOT NULL,"
	" excluded INTEGER NOT NULL,"
	" exclude_reason TEXT NOT NULL,"
	" reopenings INTEGER NOT NULL)",
	/* Keyed by the incident's rid: a fresh build appends every row at
	 * the end of the tree, and no key repeats an id's text. */
	"CREATE TABLE events ("
	" rid INTEGER NOT NULL,"
	" seq INTEGER NOT NULL,"
	" epoch INTEGER NOT NULL,"
	" offset_s INTEGER NOT NULL,"
	" kind TEXT NOT NULL,"
	" state TEXT,"
	" text TEXT NOT NULL,"
	" PRIMARY KEY (rid, seq)) WITHOUT ROWID",
	"CREATE TABLE metrics ("
	" incident_id TEXT NOT NULL,"
	" key TEXT NOT NULL,"
	" seconds INTEGER,"
	" PRIMARY KEY (incident_id, key)) WITHOUT ROWID",
	"CREATE TABLE actions ("
	" incident_id TEXT NOT NULL,"
	" n INTEGER NOT NULL,"
	" key TEXT NOT NULL,"
	" text TEXT NOT NULL,"
	" owner TEXT NOT NULL,"
	" due TEXT,"
	" done INTEGER NOT NULL,"
	" added_utc INTEGER NOT NULL,"
	" done_utc INTEGER,"
	" PRIMARY KEY (incident_id, n)) WITHOUT ROWID",
	/* In parentheses: one string, not two elements (clang asks). */
	("PRAGMA user_version = " STR(INDEX_SCHEMA_VERSION)),
};

/* Page size of a new file; page caches (negative: KiB) of a connection,
 * and of one filling a new file. */
static const char pragma_page_size[] = "PRAGMA page_size = 8192";
static const char pragma_cache[] = "PRAGMA cache_size = -65536";
static const char pragma_fresh_cache[] = "PRAGMA cache_size = -8192";

/* --- small sqlite helpers ---------------------------------------------- */

static int
db_error(struct index *ix, const char *what)
{
	return pm_error_set("%s: %s: %s", ix->path, what,
	    ix->db != NULL ? sqlite3_errmsg(ix->db) : "cannot open");
}

/* sqlite's verdict that the file is not a usable database. */
static int
is_corrupt(int rc)
{
	rc &= 0xff;
	return rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT;
}

/* Run a constant statement to its end; rows are ignored. */
static int
exec_sql(sqlite3 *db, const char *sql)
{
	sqlite3_stmt	*stmt = NULL;
	int		 rc;

	rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
	if (rc == SQLITE_OK) {
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
			;
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
	}
	sqlite3_finalize(stmt);
	return rc;
}

/* Binders that do nothing once *rc holds an error. */
static void
bind_text(int *rc, sqlite3_stmt *stmt, int i, const char *s)
{
	if (*rc == SQLITE_OK)
		*rc = sqlite3_bind_text(stmt, i, s, -1, SQLITE_STATIC);
}

static void
bind_int64(int *rc, sqlite3_stmt *stmt, int i, int64_t v)
{
	if (*rc == SQLITE_OK)
		*rc = sqlite3_bind_int64(stmt, i, (sqlite3_int64)v);
}

static void
bind_null(int *rc, sqlite3_stmt *stmt, int i)
{
	if (*rc == SQLITE_OK)
		*rc = sqlite3_bind_null(stmt, i);
}

/* Step a bound statement that returns no rows, then make it reusable. */
static void
step_done(int *rc, sqlite3_stmt *stmt)
{
	int	 r;

	if (*rc == SQLITE_OK) {
		r = sqlite3_step(stmt);
		*rc = r == SQLITE_DONE ? SQLITE_OK : r;
	}
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
}

/* --- opening ----------------------------------------------------------- */

static void
db_close(struct index *ix)
{
	if (ix->db != NULL)
		sqlite3_close(ix->db);
	ix->db = NULL;
}

static int
remove_db_files(struct index *ix)
{
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
	char	*p;
	size_t	 i;

	for (i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		p = xasprintf("%s%s", ix->path, sfx[i]);
		if (unlink(p) == -1 && errno != ENOENT) {
			pm_error_sys("cannot remove the old index %s", p);
			free(p);
			return -1;
		}
		free(p);
	}
	return 0;
}

/* Make the folder db_path is in, one level, if it is missing. */
static int
make_parent(const char *path)
{
	char	*dir, *slash;
	int	 rc = 0;

	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0777) == -1 && errno != EEXIST)
			rc = pm_error_sys("cannot create %s", dir);
	}
	free(dir);
	return rc;
}

static int
read_version(sqlite3 *db, int *version)
{
	sqlite3_stmt	*stmt = NULL;
	int		 rc;

	rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW) {
			*version = sqlite3_column_int(stmt, 0);
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(stmt);
	return rc;
}

static int
create_schema(sqlite3 *db)
{
	size_t	 i;
	int	 rc;

	if ((rc = exec_sql(db, "BEGIN IMMEDIATE")) != SQLITE_OK)
		return rc;
	for (i = 0; i < sizeof schema / sizeof schema[0]; i++)
		if ((rc = exec_sql(db, schema[i])) != SQLITE_OK) {
			exec_sql(db, "ROLLBACK");
			return rc;
		}
	return exec_sql(db, "COMMIT");
}

/*
 * One try at opening: 0 done, 1 the file must be deleted and the open
 * tried again (fresh is 0 only), -1 a real error (set).
 */
static int
open_once(struct index *ix, int fresh)
{
	int	 rc, version = -1;

	/* NOMUTEX: a connection is only ever used by the thread that
	 * opened it (sync_all()'s loaders never touch it). */
	rc = sqlite3_open_v2(ix->path, &ix->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		if (is_corrupt(rc) && !fresh)
			return 1;
		return db_error(ix, "cannot open the index");
	}
	sqlite3_busy_timeout(ix->db, BUSY_MS);
	sqlite3_extended_result_codes(ix->db, 1);
	rc = read_version(ix->db, &version);
	if (rc == SQLITE_OK && version != INDEX_SCHEMA_VERSION && !fresh)
		return 1;
	/* A new file: bigger pages hold more events each (fewer splits,
	 * less per-page work); only possible before WAL is on. */
	if (rc == SQLITE_OK && version != INDEX_SCHEMA_VERSION)
		rc = exec_sql(ix->db, pragma_page_size);
	if (rc == SQLITE_OK)
		rc = exec_sql(ix->db, "PRAGMA journal_mode = WAL");
	if (rc == SQLITE_OK)
		rc = exec_sql(ix->db, "PRAGMA synchronous = NORMAL");
	if (rc == SQLITE_OK)
		rc = exec_sql(ix->db, pragma_cache);
	if (rc == SQLITE_OK && version != INDEX_SCHEMA_VERSION) {
		rc = create_schema(ix->db);
		ix->fresh = 1;
	}
	if (rc == SQLITE_OK)
		return 0;
	if (is_corrupt(rc) && !fresh)
		return 1;
	return db_error(ix, "cannot open the index");
}

void
index_global_init(void)
{
	/* sqlite's memory statistics take a global mutex on every
	 * allocation; nothing here reads them. Only possible before
	 * sqlite's first use, so a no-op (an error ignored) after it. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int
index_open(struct index **out, const char *db_path)
{
	struct index	*ix;
	int		 r;

	if (make_parent(db_path) < 0)
		return -1;
	ix = xcalloc(1, sizeof *ix);
	ix->path = xstrdup(db_path);
	r = open_once(ix, 0);
	if (r == 1) {
		/* Old, unknown or unreadable: it is a cache, start over. */
		db_close(ix);
		r = remove_db_files(ix);
		if (r == 0)
			r = open_once(ix, 1);
	}
	if (r != 0) {
		index_close(ix);
		return -1;
	}
	*out = ix;
	return 0;
}

int
index_open_store(struct index **out, struct store *st)
{
	char	*path;
	int	 rc;

	path = xasprintf("%s%s/%s", store_gitdir(st), INDEX_DIR, INDEX_FILE);
	rc = index_open(out, path);
	free(path);
	return rc;
}

static void
clear_problems(struct index *ix)
{
	size_t	 i;

	for (i = 0; i < ix->nproblems; i++)
		free(ix->problems[i]);
	free(ix->problems);
	ix->problems = NULL;
	ix->nproblems = 0;
}

void
index_close(struct index *ix)
{
	if (ix == NULL)
		return;
	db_close(ix);
	clear_problems(ix);
	free(ix->path);
	free(ix);
}

size_t
index_nproblems(const struct index *ix)
{
	return ix->nproblems;
}

const char *
index_problem(const struct index *ix, size_t i)
{
	return i < ix->nproblems ? ix->problems[i] : NULL;
}

static void
add_problem(struct index *ix, const char *msg)
{
	ix->problems = xreallocarray(ix->problems, ix->nproblems + 1,
	    sizeof *ix->problems);
	ix->problems[ix->nproblems++] = xstrdup(msg);
}

/* --- the full-text table ---------------------------------------------- */

/*
 * The full-text table is made the first time a search needs it, not with
 * the rest of the index: tokenizing every event's text is most of the
 * work of a build, and most commands never search. Once it exists, every
 * sync keeps it up to date along with the other tables.
 */
static int
search_exists(sqlite3 *db, int *exists)
{
	sqlite3_stmt	*stmt = NULL;
	int		 rc;

	*exists = 0;
	rc = sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master"
	    " WHERE type = 'table' AND name = 'search'", -1, &stmt, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(stmt);
		*exists = rc == SQLITE_ROW;
		rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	sqlite3_finalize(stmt);
	return rc;
}

/* One document per incident, its rowid the incident's rid: the title,
 * and its events' texts one per line, in file order (insert_search()
 * makes the same). */
static const char *const search_sql[] = {
	"CREATE VIRTUAL TABLE search USING fts5(title, body)",
	"INSERT INTO search (rowid, title, body)"
	" SELECT i.rid, i.title, coalesce((SELECT group_concat(text, char(10))"
	"  FROM (SELECT text FROM events e WHERE e.rid = i.rid"
	"  AND text <> '' ORDER BY seq)), '')"
	" FROM incidents i",
};

static int
ensure_search(struct index *ix)
{
	size_t	 i;
	int	 rc, exists;

	if ((rc = search_exists(ix->db, &exists)) != SQLITE_OK || exists)
		return rc;
	if ((rc = exec_sql(ix->db, "BEGIN IMMEDIATE")) != SQLITE_OK)
		return rc;
	/* Another process may have made it while this one waited. */
	rc = search_exists(ix->db, &exists);
	for (i = 0; !exists && i < sizeof search_sql / sizeof search_sql[0] &&
	    rc == SQLITE_OK; i++)
		rc = exec_sql(ix->db, search_sql[i]);
	if (rc == SQLITE_OK)
		return exec_sql(ix->db, "COMMIT");
	exec_sql(ix->db, "ROLLBACK");
	return rc;
}

/* --- syncing ----------------------------------------------------------- */

/* What one file of an incident was when its rows were written. */
struct file_sig {
	int	 exists;
	char	 blob[GIT_OID_HEXSZ + 1];	/* "" when unknown */
	int	 has_stat;
	int64_t	 size, mtime_ns, ino;
};

/* A row as it was before the sync. */
struct old_row {
	char		*id;
	struct file_sig	 tl, act;	/* timeline.txt, actions.txt */
	int		 seen;
};

/* What a file looks like on disk now. */
struct file_stat {
	int64_t	 size, mtime_ns, ino;
};

enum {
	S_SELECT, S_DEL_EV, S_DEL_INC, S_DEL_MET, S_DEL_ACT, S_INS_INC,
	S_INS_EV, S_INS_MET, S_INS_ACT, S_SET_STAT, S__COUNT,
	/* Only when the full-text table exists (see ensure_search()). */
	S_DEL_SEARCH = S__COUNT, S_INS_SEARCH, S__ALL
};

static const char *const stmt_sql[S__ALL] = {
	"SELECT id, blob, file_size, file_mtime_ns, file_ino, actions_blob,"
	" act_size, act_mtime_ns, act_ino FROM incidents ORDER BY id",
	"DELETE FROM events WHERE rid = (SELECT rid FROM incidents"
	" WHERE id = ?1)",
	"DELETE FROM incidents WHERE id = ?1",
	"DELETE FROM metrics WHERE incident_id = ?1",
	"DELETE FROM actions WHERE incident_id = ?1",
	"INSERT INTO incidents (id, title, severity, services, commander,"
	" zone, state, started_utc, start_utc, last_status_utc, nevents, blob,"
	" file_size, file_mtime_ns, file_ino, actions_blob, act_size,"
	" act_mtime_ns, act_ino, detected_utc, mitigated_utc, resolved_utc,"
	" start_at, last_status_at, declared_severity, peak_severity,"
	" excluded, exclude_reason, reopenings)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
	" ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27,"
	" ?28, ?29)",
	"INSERT INTO events (rid, seq, epoch, offset_s, kind, state,"
	" text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	"INSERT INTO metrics (incident_id, key, seconds) VALUES (?1, ?2, ?3)",
	"INSERT INTO actions (incident_id, n, key, text, owner, due, done,"
	" added_utc, done_utc) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	"UPDATE incidents SET file_size = ?2, file_mtime_ns = ?3,"
	" file_ino = ?4, act_size = ?5, act_mtime_ns = ?6, act_ino = ?7"
	" WHERE id = ?1",
	"DELETE FROM search WHERE rowid = (SELECT rid FROM incidents"
	" WHERE id = ?1)",
	"INSERT INTO search (rowid, title, body) VALUES (?1, ?2, ?3)",
};

struct sync {
	struct index	*ix;
	struct store	*st;
	sqlite3_stmt	*s[S__ALL];
	int		 has_search;	/* the full-text table exists */
	struct old_row	*old;
	size_t		 nold;
	int64_t		 now_ns;
	size_t		 updated;
	int		 root_fd;	/* the work tree: paths are relative */
};

static int64_t
mtime_ns(const struct stat *sb)
{
	return (int64_t)sb->st_mtim.tv_sec * 1000000000LL +
	    sb->st_mtim.tv_nsec;
}

static void
to_file_stat(struct file_stat *fs, const struct stat *sb)
{
	fs->size = (int64_t)sb->st_size;
	fs->mtime_ns = mtime_ns(sb);
	fs->ino = (int64_t)sb->st_ino;
}

/* Columns first.. first+3 of stmt (blob, size, mtime, ino) into sig. */
static void
column_sig(struct file_sig *sig, sqlite3_stmt *stmt, int first)
{
	const char	*blob;
	int		 i;

	memset(sig, 0, sizeof *sig);
	blob = (const char *)sqlite3_column_text(stmt, first);
	if (blob != NULL) {
		sig->exists = 1;
		strncpy(sig->blob, blob, sizeof sig->blob - 1);
	}
	sig->has_stat = 1;
	for (i = 1; i <= 3; i++)
		if (sqlite3_column_type(stmt, first + i) == SQLITE_NULL)
			sig->has_stat = 0;
	sig->size = sqlite3_column_int64(stmt, first + 1);
	sig->mtime_ns = sqlite3_column_int64(stmt, first + 2);
	sig->ino = sqlite3_column_int64(stmt, first + 3);
}

static int
load_old(struct sync *s)
{
	sqlite3_stmt	*stmt = s->s[S_SELECT];
	struct old_row	*o;
	size_t		 cap = 0;
	int		 rc;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (s->nold == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			s->old = xreallocarray(s->old, cap, sizeof *s->old);
		}
		o = &s->old[s->nold++];
		memset(o, 0, sizeof *o);
		o->id = xstrdup((const char *)sqlite3_column_text(stmt, 0));
		column_sig(&o->tl, stmt, 1);
		column_sig(&o->act, stmt, 5);
	}
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static struct old_row *
find_old(const struct sync *s, const char *id)
{
	size_t	 lo = 0, hi = s->nold, mid;
	int	 c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(id, s->old[mid].id);
		if (c == 0)
			return &s->old[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static void
delete_rows(int *rc, struct sync *s, const char *id)
{
	/* search and events first: they find their rows through the
	 * incident's rid. */
	static const int which[] = {
		S_DEL_SEARCH, S_DEL_EV, S_DEL_MET, S_DEL_ACT, S_DEL_INC
	};
	size_t	 i;

	for (i = 0; i < sizeof which / sizeof which[0]; i++) {
		if (which[i] == S_DEL_SEARCH && !s->has_search)
			continue;
		bind_text(rc, s->s[which[i]], 1, id);
		step_done(rc, s->s[which[i]]);
	}
}

/* Bind a file's stat, or NULLs when it may still change unseen (or is
 * missing, or must be read again next time). */
static void
bind_stat(int *rc, struct sync *s, sqlite3_stmt *stmt, int first,
    const struct file_sig *sig)
{
	if (!sig->has_stat || sig->mtime_ns + STAT_RACY_NS >= s->now_ns) {
		bind_null(rc, stmt, first);
		bind_null(rc, stmt, first + 1);
		bind_null(rc, stmt, first + 2);
	} else {
		bind_int64(rc, stmt, first, sig->size);
		bind_int64(rc, stmt, first + 1, sig->mtime_ns);
		bind_int64(rc, stmt, first + 2, sig->ino);
	}
}

/* An event's time as written (RFC 3339 with its offset), or NULL. */
static void
bind_stamp(int *rc, sqlite3_stmt *stmt, int i, const struct event *ev,
    char buf[TSTAMP_RFC3339_MAX])
{
	if (ev == NULL) {
		bind_null(rc, stmt, i);
		return;
	}
	tstamp_format_rfc3339(buf, ev->at);
	bind_text(rc, stmt, i, buf);
}

static void
bind_time(int *rc, sqlite3_stmt *stmt, int i, const struct event *ev)
{
	if (ev != NULL)
		bind_int64(rc, stmt, i, ev->at.t);
	else
		bind_null(rc, stmt, i);
}

static void
insert_events(int *rc, struct sync *s, const struct incident *inc,
    int64_t rid)
{
	sqlite3_stmt		*stmt = s->s[S_INS_EV];
	const struct event	*ev;
	size_t			 i;

	for (i = 0; i < inc->nevents && *rc == SQLITE_OK; i++) {
		ev = &inc->events[i];
		bind_int64(rc, stmt, 1, rid);
		bind_int64(rc, stmt, 2, (int64_t)ev->seq);
		bind_int64(rc, stmt, 3, ev->at.t);
		bind_int64(rc, stmt, 4, ev->at.off);
		bind_text(rc, stmt, 5, event_kind_name(ev->kind));
		if (ev->state != ST_NONE)
			bind_text(rc, stmt, 6, status_state_name(ev->state));
		else
			bind_null(rc, stmt, 6);
		bind_text(rc, stmt, 7, ev->text);
		step_done(rc, stmt);
	}
}

static void
insert_metrics(int *rc, struct sync *s, const struct incident *inc,
    const struct metrics *m)
{
	sqlite3_stmt	*stmt = s->s[S_INS_MET];
	size_t		 i;

	for (i = 0; i < M__COUNT; i++) {
		bind_text(rc, stmt, 1, inc->id);
		bind_text(rc, stmt, 2, metric_key((enum metric)i));
		if (m->has[i])
			bind_int64(rc, stmt, 3, m->value[i]);
		else
			bind_null(rc, stmt, 3);
		step_done(rc, stmt);
	}
	bind_text(rc, stmt, 1, inc->id);
	bind_text(rc, stmt, 2, "status_updates");
	bind_int64(rc, stmt, 3, m->status_updates);
	step_done(rc, stmt);
}

static void
insert_actions(int *rc, struct sync *s, const char *id,
    const struct action_list *al)
{
	sqlite3_stmt		*stmt = s->s[S_INS_ACT];
	const struct action	*a;
	char			 due[16];
	size_t			 i;

	for (i = 0; i < al->n && *rc == SQLITE_OK; i++) {
		a = &al->items[i];
		bind_text(rc, stmt, 1, id);
		bind_int64(rc, stmt, 2, a->n);
		bind_text(rc, stmt, 3, a->key);
		bind_text(rc, stmt, 4, a->text);
		bind_text(rc, stmt, 5, a->owner);
		if (a->has_due) {
			snprintf(due, sizeof due, "%04d-%02d-%02d",
			    a->due.year, a->due.mon, a->due.day);
			bind_text(rc, stmt, 6, due);
		} else
			bind_null(rc, stmt, 6);
		bind_int64(rc, stmt, 7, a->done);
		bind_int64(rc, stmt, 8, a->added.t);
		if (a->done)
			bind_int64(rc, stmt, 9, a->done_at.t);
		else
			bind_null(rc, stmt, 9);
		step_done(rc, stmt);
	}
}

/* The full-text document: the title, and every event's text, one per
 * line, as ensure_search() makes it from the events table. */
static void
insert_search(int *rc, struct sync *s, const struct incident *inc,
    int64_t rid)
{
	sqlite3_stmt	*stmt = s->s[S_INS_SEARCH];
	struct buf	 body = BUF_INIT;
	size_t		 i;

	if (!s->has_search)
		return;
	for (i = 0; i < inc->nevents; i++)
		if (inc->events[i].text[0] != '\0') {
			if (body.len > 0)
				buf_addc(&body, '\n');
			buf_adds(&body, inc->events[i].text);
		}
	bind_int64(rc, stmt, 1, rid);
	bind_text(rc, stmt, 2, inc->title);
	bind_text(rc, stmt, 3, buf_str(&body));
	step_done(rc, stmt);
	buf_free(&body);
}

static void
insert_incident(int *rc, struct sync *s, const struct incident *inc,
    const struct metrics *m, const struct file_sig *tl,
    const struct file_sig *act, const struct action_list *al)
{
	const struct event *start = incident_start(inc);
	const struct event *last = incident_last_status(inc);
	sqlite3_stmt	*stmt;
	struct buf	 services = BUF_INIT;
	char		 start_at[TSTAMP_RFC3339_MAX];
	char		 last_at[TSTAMP_RFC3339_MAX];
	char		**svc;
	int64_t		 rid;
	size_t		 i, nsvc;

	/* The current values: what list and the filters are about. */
	svc = incident_services(inc, &nsvc);
	for (i = 0; i < nsvc; i++)
		buf_printf(&services, "%s%s", i > 0 ? ", " : "", svc[i]);

	stmt = s->s[S_INS_INC];
	bind_text(rc, stmt, 1, inc->id);
	bind_text(rc, stmt, 2, incident_title(inc));
	bind_text(rc, stmt, 3, incident_severity(inc));
	bind_text(rc, stmt, 4, buf_str(&services));
	bind_text(rc, stmt, 5, incident_commander(inc));
	bind_text(rc, stmt, 6, inc->zone);
	bind_text(rc, stmt, 7, incident_is_resolved(inc) ? "resolved" : "open");
	bind_time(rc, stmt, 8, m->at[P_STARTED]);
	bind_time(rc, stmt, 9, start);
	bind_time(rc, stmt, 10, last);
	bind_int64(rc, stmt, 11, (int64_t)inc->nevents);
	bind_text(rc, stmt, 12, tl->blob);
	bind_stat(rc, s, stmt, 13, tl);
	if (act->exists && act->blob[0] != '\0')
		bind_text(rc, stmt, 16, act->blob);
	else
		bind_null(rc, stmt, 16);
	bind_stat(rc, s, stmt, 17, act);
	bind_time(rc, stmt, 20, m->at[P_DETECTED]);
	bind_time(rc, stmt, 21, m->at[P_MITIGATED]);
	bind_time(rc, stmt, 22, m->at[P_RESOLVED]);
	bind_stamp(rc, stmt, 23, start, start_at);
	bind_stamp(rc, stmt, 24, last, last_at);
	bind_text(rc, stmt, 25, inc->severity);
	bind_text(rc, stmt, 26, inc->cur.peak_severity != NULL ?
	    inc->cur.peak_severity : inc->severity);
	bind_int64(rc, stmt, 27, inc->cur.excluded);
	bind_text(rc, stmt, 28, inc->cur.exclude_reason != NULL ?
	    inc->cur.exclude_reason : "");
	bind_int64(rc, stmt, 29, (int64_t)inc->cur.reopenings);
	step_done(rc, stmt);
	buf_free(&services);
	rid = sqlite3_last_insert_rowid(s->ix->db);

	insert_search(rc, s, inc, rid);
	insert_events(rc, s, inc, rid);
	insert_metrics(rc, s, inc, m);
	insert_actions(rc, s, inc->id, al);
}

/* Read the file at path, and its stat, from one descriptor. *exists is 0
 * (and 0 returned) when there is no such file. */
static int
read_file(struct buf *out, int *exists, struct file_stat *fs, int root_fd,
    const char *path)
{
	struct stat	 sb;
	char		 chunk[65536];
	ssize_t		 n;
	int		 fd, rc = 0;

	*exists = 0;
	if ((fd = openat(root_fd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) ==
	    -1) {
		if (errno == ENOENT)
			return 0;
		return pm_error_sys("cannot read %s", path);
	}
	*exists = 1;
	if (fstat(fd, &sb) == -1) {
		rc = pm_error_sys("cannot read %s", path);
		goto out;
	}
	to_file_stat(fs, &sb);
	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			rc = pm_error_sys("cannot read %s", path);
			goto out;
		}
		if (n == 0)
			break;
		buf_add(out, chunk, (size_t)n);
	}
out:
	close(fd);
	return rc;
}

/* 1 when the file at path still is what sig saw: a missing file that
 * was missing, or an unchanged size, mtime and inode. */
static int
file_unchanged(const struct file_sig *sig, int root_fd, const char *path)
{
	struct stat	 sb;
	struct file_stat fs;

	if (fstatat(root_fd, path, &sb, AT_SYMLINK_NOFOLLOW) == -1)
		return !sig->exists && errno == ENOENT;
	if (!sig->exists || !sig->has_stat)
		return 0;
	to_file_stat(&fs, &sb);
	return fs.size == sig->size && fs.mtime_ns == sig->mtime_ns &&
	    fs.ino == sig->ino;
}

static int
is_regular(int root_fd, const char *path)
{
	struct stat	 sb;

	return fstatat(root_fd, path, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISREG(sb.st_mode);
}

/* Read and hash one file into sig (and its bytes into b). */
static int
read_sig(struct file_sig *sig, struct buf *b, int root_fd, const char *rel)
{
	struct file_stat fs;
	git_oid		 oid;

	memset(sig, 0, sizeof *sig);
	memset(&fs, 0, sizeof fs);
	if (read_file(b, &sig->exists, &fs, root_fd, rel) < 0)
		return -1;
	if (!sig->exists)
		return 0;
	if (git_odb_hash(&oid, buf_str(b), b->len, GIT_OBJECT_BLOB) < 0)
		return pm_error_git("cannot hash %s", rel);
	git_oid_tostr(sig->blob, sizeof sig->blob, &oid);
	sig->has_stat = 1;
	sig->size = fs.size;
	sig->mtime_ns = fs.mtime_ns;
	sig->ino = fs.ino;
	return 0;
}

static int
same_blob(const struct file_sig *a, const struct file_sig *b)
{
	return a->exists == b->exists && strcmp(a->blob, b->blob) == 0;
}

/*
 * One incident as the files on disk have it, ready to be written: made by
 * load_one() (files, hashes and parsing; no sqlite, so that loader
 * threads can run it while the writer writes), written by apply_one().
 */
struct loaded {
	const char	*id;
	struct old_row	*old;		/* its rows before the sync, or NULL */
	int		 absent;	/* no incident: not a timeline */
	int		 unchanged;	/* nothing to do */
	int		 touched;	/* same bytes: refresh the stat only */
	int		 ok;		/* inc holds the parsed timeline */
	struct file_sig	 tl, act;
	struct incident	*inc;
	struct action_list al;
	struct metrics	 m;
	char		*problems[3];	/* to report, in order */
	size_t		 nproblems;
	int		 ready;		/* loaded (pipeline) */
};

static void
note_problem(struct loaded *l)
{
	if (l->nproblems < sizeof l->problems / sizeof l->problems[0])
		l->problems[l->nproblems++] = xstrdup(pm_error_last());
}

static void
loaded_clear(struct loaded *l)
{
	size_t	 i;

	action_list_free(&l->al);
	incident_free(l->inc);
	for (i = 0; i < l->nproblems; i++)
		free(l->problems[i]);
	memset(l, 0, sizeof *l);
}

/*
 * Read what changed of one incident. A file that cannot be read or parsed
 * is a problem, not an error. A broken timeline drops the incident's
 * rows; a broken actions file only its actions (and it is read again on
 * the next sync). Reads s, never writes it.
 */
static void
load_one(const struct sync *s, struct loaded *l, const char *id)
{
	struct buf	 tb = BUF_INIT, ab = BUF_INIT;
	char		*tl_rel, *act_rel;

	l->id = id;
	l->old = find_old(s, id);
	tl_rel = store_timeline_relpath(id);
	act_rel = xasprintf("incidents/%s/%s", id, ACTFILE_NAME);

	if (l->old != NULL &&
	    file_unchanged(&l->old->tl, s->root_fd, tl_rel) &&
	    file_unchanged(&l->old->act, s->root_fd, act_rel)) {
		l->unchanged = 1;
		goto out;
	}
	/* A folder without a regular timeline.txt holds no incident (as
	 * for store_list()): its rows, if any, go. */
	if (!is_regular(s->root_fd, tl_rel)) {
		l->absent = 1;
		goto out;
	}
	if (read_sig(&l->tl, &tb, s->root_fd, tl_rel) < 0)
		l->ok = 0;
	else if (!l->tl.exists)
		l->ok = pm_error_set("%s: error: no such file", tl_rel) + 1;
	else
		l->ok = 1;
	if (l->ok && read_sig(&l->act, &ab, s->root_fd, act_rel) < 0) {
		note_problem(l);
		memset(&l->act, 0, sizeof l->act);
		l->act.exists = 1;	/* unknown: read it again next time */
	}
	if (l->ok && l->old != NULL && same_blob(&l->tl, &l->old->tl) &&
	    same_blob(&l->act, &l->old->act)) {
		l->touched = 1;
		goto out;
	}
	if (l->ok)
		l->ok = incfile_parse(&l->inc, tl_rel, buf_str(&tb),
		    tb.len) == 0;
	if (!l->ok)
		note_problem(l);
	if (l->ok && l->act.exists && l->act.blob[0] != '\0' &&
	    actfile_parse(&l->al, act_rel, buf_str(&ab), ab.len) < 0) {
		note_problem(l);
		l->act.blob[0] = '\0';	/* no actions kept; read it again */
		l->act.has_stat = 0;
	}
	if (l->ok) {
		incident_set(&l->inc->id, id);
		metrics_compute(&l->m, l->inc);
	}
out:
	buf_free(&tb);
	buf_free(&ab);
	free(tl_rel);
	free(act_rel);
}

/* Bring one incident's rows up to what load_one() found. Returns a
 * sqlite code. */
static int
apply_one(struct sync *s, struct loaded *l)
{
	size_t	 i;
	int	 rc = SQLITE_OK;

	if (l->absent)
		return rc;	/* unseen: deleted with the others */
	if (l->old != NULL)
		l->old->seen = 1;
	for (i = 0; i < l->nproblems; i++)
		add_problem(s->ix, l->problems[i]);
	if (l->unchanged)
		return rc;
	if (l->touched) {
		bind_text(&rc, s->s[S_SET_STAT], 1, l->id);
		bind_stat(&rc, s, s->s[S_SET_STAT], 2, &l->tl);
		bind_stat(&rc, s, s->s[S_SET_STAT], 5, &l->act);
		step_done(&rc, s->s[S_SET_STAT]);
		return rc;
	}
	if (l->old != NULL)
		delete_rows(&rc, s, l->id);
	if (l->ok)
		insert_incident(&rc, s, l->inc, &l->m, &l->tl, &l->act,
		    &l->al);
	if (l->ok || l->old != NULL)
		s->updated++;
	return rc;
}

/* --- loading in parallel ------------------------------------------------ */

/*
 * sqlite takes one writer, but reading, hashing and parsing the files can
 * run beside it: loader threads fill slots in any order, at most WINDOW
 * ahead of the writer (bounding the memory held), and the writer takes
 * them in order. Worth it only for many incidents (a new index, a big
 * pull); a sync that finds little changed stays on one thread.
 */
#define PARALLEL_MIN	64
#define LOADERS_MAX	4
#define WINDOW		256
#define CHUNK		16	/* ids a loader takes at once: fewer handoffs */

struct pipeline {
	const struct sync *s;
	char		**ids;
	struct loaded	*slots;
	size_t		 n, next, consumed;
	int		 stop;
	int		 writer_waits;	/* for ready */
	int		 loaders_wait;	/* for space */
	pthread_mutex_t	 mu;
	pthread_cond_t	 ready, space;
};

static void *
loader_main(void *arg)
{
	struct pipeline	*p = arg;
	size_t		 first, end, i;

	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (!p->stop && p->next < p->n &&
		    p->next >= p->consumed + WINDOW) {
			p->loaders_wait++;
			pthread_cond_wait(&p->space, &p->mu);
			p->loaders_wait--;
		}
		if (p->stop || p->next >= p->n) {
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		first = p->next;
		end = first + CHUNK < p->n ? first + CHUNK : p->n;
		p->next = end;
		pthread_mutex_unlock(&p->mu);

		for (i = first; i < end; i++)
			load_one(p->s, &p->slots[i], p->ids[i]);

		pthread_mutex_lock(&p->mu);
		for (i = first; i < end; i++)
			p->slots[i].ready = 1;
		if (p->writer_waits)
			pthread_cond_signal(&p->ready);
		pthread_mutex_unlock(&p->mu);
	}
}

static size_t
loader_count(size_t n)
{
	long	 cpus;

	if (n < PARALLEL_MIN)
		return 0;
	/* One per CPU, not one fewer: the writer waits for them as often
	 * as they wait for it (measured: faster both for a new index and
	 * for a sync that only stats). */
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (cpus < 2)
		return 0;
	return cpus < LOADERS_MAX ? (size_t)cpus : LOADERS_MAX;
}

/* Load and apply every id, the loading on loader threads when it pays. */
static int
sync_all(struct sync *s, char **ids, size_t n)
{
	struct pipeline	 p;
	pthread_t	 threads[LOADERS_MAX];
	struct loaded	 one;
	size_t		 nthreads, started = 0, i;
	int		 rc = SQLITE_OK;

	if ((nthreads = loader_count(n)) == 0) {
		for (i = 0; i < n && rc == SQLITE_OK; i++) {
			memset(&one, 0, sizeof one);
			load_one(s, &one, ids[i]);
			rc = apply_one(s, &one);
			loaded_clear(&one);
		}
		return rc;
	}
	memset(&p, 0, sizeof p);
	p.s = s;
	p.ids = ids;
	p.n = n;
	p.slots = xcalloc(n, sizeof *p.slots);
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.ready, NULL);
	pthread_cond_init(&p.space, NULL);
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&threads[started], NULL, loader_main,
		    &p) == 0)
			started++;
	if (started == 0)
		p.stop = 1;	/* no thread: the loop below loads */

	for (i = 0; i < n && rc == SQLITE_OK; i++) {
		if (started == 0)
			load_one(s, &p.slots[i], ids[i]);
		pthread_mutex_lock(&p.mu);
		while (started > 0 && !p.slots[i].ready) {
			p.writer_waits = 1;
			pthread_cond_wait(&p.ready, &p.mu);
			p.writer_waits = 0;
		}
		pthread_mutex_unlock(&p.mu);
		rc = apply_one(s, &p.slots[i]);
		loaded_clear(&p.slots[i]);
		pthread_mutex_lock(&p.mu);
		p.consumed = i + 1;
		if (p.loaders_wait > 0)
			pthread_cond_broadcast(&p.space);
		pthread_mutex_unlock(&p.mu);
	}

	pthread_mutex_lock(&p.mu);
	p.stop = 1;
	pthread_cond_broadcast(&p.space);
	pthread_mutex_unlock(&p.mu);
	for (i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	for (i = 0; i < n; i++)		/* loaded, then not applied */
		loaded_clear(&p.slots[i]);
	pthread_cond_destroy(&p.space);
	pthread_cond_destroy(&p.ready);
	pthread_mutex_destroy(&p.mu);
	free(p.slots);
	return rc;
}

static int
sync_run(struct index *ix, struct store *st, size_t *updated, int full,
    int *db_rc)
{
	static const char *const wipe[] = {
		"DROP TABLE IF EXISTS search", "DELETE FROM events",
		"DELETE FROM metrics", "DELETE FROM actions",
		"DELETE FROM incidents"
	};
	struct sync	 s;
	struct timespec	 ts;
	char		**ids = NULL;
	size_t		 nids = 0, i;
	int		 rc = SQLITE_OK, began = 0, ret = -1;

	memset(&s, 0, sizeof s);
	s.ix = ix;
	s.st = st;
	clear_problems(ix);
	if (updated != NULL)
		*updated = 0;
	if (store_list_folders(&ids, &nids, st) < 0)
		return -1;
	/* Paths from the work tree's descriptor: fewer lookups per file. */
	if ((s.root_fd = open(store_root(st), O_PATH | O_DIRECTORY |
	    O_CLOEXEC)) == -1) {
		store_free_ids(ids, nids);
		return pm_error_sys("cannot open %s", store_root(st));
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	s.now_ns = (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;

	for (i = 0; i < S__COUNT && rc == SQLITE_OK; i++)
		rc = sqlite3_prepare_v2(ix->db, stmt_sql[i], -1, &s.s[i], NULL);
	if (rc == SQLITE_OK && (rc = exec_sql(ix->db, "BEGIN IMMEDIATE")) ==
	    SQLITE_OK)
		began = 1;
	for (i = 0; full && i < sizeof wipe / sizeof wipe[0]; i++)
		if (rc == SQLITE_OK)
			rc = exec_sql(ix->db, wipe[i]);
	if (rc == SQLITE_OK)
		rc = search_exists(ix->db, &s.has_search);
	for (i = S__COUNT; s.has_search && i < S__ALL && rc == SQLITE_OK; i++)
		rc = sqlite3_prepare_v2(ix->db, stmt_sql[i], -1, &s.s[i], NULL);
	if (rc == SQLITE_OK)
		rc = load_old(&s);
	if (rc == SQLITE_OK)
		rc = sync_all(&s, ids, nids);
	for (i = 0; i < s.nold && rc == SQLITE_OK; i++)
		if (!s.old[i].seen) {
			delete_rows(&rc, &s, s.old[i].id);
			s.updated++;
		}
	if (rc == SQLITE_OK)
		rc = exec_sql(ix->db, "COMMIT");
	if (rc == SQLITE_OK) {
		began = 0;
		ret = 0;
		if (updated != NULL)
			*updated = s.updated;
	} else
		db_error(ix, "cannot update the index");
	*db_rc = rc;
	if (began)
		exec_sql(ix->db, "ROLLBACK");
	for (i = 0; i < S__ALL; i++)
		sqlite3_finalize(s.s[i]);
	for (i = 0; i < s.nold; i++)
		free(s.old[i].id);
	free(s.old);
	store_free_ids(ids, nids);
	close(s.root_fd);
	return ret;
}

/* Delete the database and create it anew (it is a cache). */
static int
start_over(struct index *ix)
{
	db_close(ix);
	if (remove_db_files(ix) < 0)
		return -1;
	return open_once(ix, 1);
}

/*
 * Damage that open_once() could not see (a bad page deep in the file, a
 * broken full-text table) shows up as the sync runs: then the index is
 * made anew and the sync tried once more.
 */
static int
sync_or_start_over(struct index *ix, struct store *st, size_t *updated,
    int full)
{
	int	 rc = SQLITE_OK;

	if (sync_run(ix, st, updated, full, &rc) == 0)
		return 0;
	if (!is_corrupt(rc) && (rc & 0xff) != SQLITE_ERROR)
		return -1;
	if (start_over(ix) < 0)
		return -1;
	return sync_run(ix, st, updated, 1, &rc);
}

/*
 * Fill a new, empty index. In WAL mode every page would be written twice
 * (to the log, then into the file); with a rollback journal the pages of
 * a new file are written once, as there is nothing to roll back to. WAL
 * comes back afterwards, for readers during later updates. If another
 * process has the file open already, the mode stays WAL: only slower.
 */
static int
fill_fresh(struct index *ix, struct store *st, size_t *updated)
{
	int	 rc;

	exec_sql(ix->db, "PRAGMA journal_mode = DELETE");
	/* Rows are only appended: a page, once full, is not read again,
	 * and a small cache is faster than a big one to fill and free. */
	exec_sql(ix->db, pragma_fresh_cache);
	rc = sync_or_start_over(ix, st, updated, 1);
	exec_sql(ix->db, pragma_cache);
	exec_sql(ix->db, "PRAGMA journal_mode = WAL");
	ix->fresh = 0;
	return rc;
}

int
index_sync(struct index *ix, struct store *st, size_t *updated)
{
	if (ix->fresh)
		return fill_fresh(ix, st, updated);
	return sync_or_start_over(ix, st, updated, 0);
}

int
index_rebuild(struct index *ix, struct store *st)
{
	/* From a new file: whatever was wrong with the old one goes too. */
	if (start_over(ix) < 0)
		return -1;
	return fill_fresh(ix, st, NULL);
}

/* --- reading ----------------------------------------------------------- */

/*
 * A search phrase as an FTS5 query that cannot be a syntax error: each
 * blank-separated word becomes a quoted string (quotes doubled), and all
 * of them must occur. NULL when there is no word at all.
 */
static char *
fts_query(const char *text)
{
	struct buf	 q = BUF_INIT;
	const char	*p = text;
	size_t		 n;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (*p == '\0')
			break;
		n = strcspn(p, " \t\n");
		buf_add(&q, q.len > 0 ? " \"" : "\"", q.len > 0 ? 2 : 1);
		for (; n > 0; n--, p++) {
			if (*p == '"')
				buf_add(&q, "\"", 1);
			buf_add(&q, p, 1);
		}
		buf_add(&q, "\"", 1);
	}
	return q.len > 0 ? buf_detach(&q) : (buf_free(&q), NULL);
}

int
index_query(struct index *ix, const struct index_filter *f,
    int (*fn)(void *ctx, const struct index_row *row), void *ctx)
{
	/* Every filter is a bound parameter that is NULL when unused; the
	 * search is a clause of its own, as its table may not exist yet. */
#define QUERY_SQL(search) \
	    "SELECT id, title, severity, state, start_utc, last_status_utc," \
	    " nevents, services, zone, start_at, last_status_at, excluded" \
	    " FROM incidents WHERE" \
	    " (?1 IS NULL OR state = 'open')" \
	    " AND (?2 IS NULL OR lower(severity) = lower(?2))" \
	    " AND (?3 IS NULL OR instr(', ' || lower(services) || ', '," \
	    "  ', ' || lower(?3) || ', ') > 0)" \
	    " AND (?4 IS NULL OR start_utc >= ?4)" \
	    " AND (?5 IS NULL OR start_utc < ?5)" \
	    search \
	    " ORDER BY state = 'open' DESC, start_utc IS NULL," \
	    " start_utc DESC, id"
	static const char sql_all[] = QUERY_SQL("");
	static const char sql_search[] = QUERY_SQL(" AND rid IN"
	    "  (SELECT rowid FROM search WHERE search MATCH ?6)");
#undef QUERY_SQL
	static const struct index_filter none;
	sqlite3_stmt	*stmt = NULL;
	struct index_row row;
	char		*match = NULL;
	int		 rc, ret = 0;

	if (f == NULL)
		f = &none;
	/* The full-text table is made now if missing; a failure to make it
	 * shows as the query's. */
	if (f->search != NULL)
		ensure_search(ix);
	if (f->search != NULL)
		rc = sqlite3_prepare_v2(ix->db, sql_search, -1, &stmt, NULL);
	else
		rc = sqlite3_prepare_v2(ix->db, sql_all, -1, &stmt, NULL);
	if (f->open_only)
		bind_int64(&rc, stmt, 1, 1);
	if (f->severity != NULL)
		bind_text(&rc, stmt, 2, f->severity);
	if (f->service != NULL)
		bind_text(&rc, stmt, 3, f->service);
	if (f->has_since)
		bind_int64(&rc, stmt, 4, f->since);
	if (f->has_until)
		bind_int64(&rc, stmt, 5, f->until);
	if (f->search != NULL) {
		/* No word at all matches nothing, as no text contains "". */
		match = fts_query(f->search);
		bind_text(&rc, stmt, 6, match != NULL ? match : "\"\"");
	}
	while (rc == SQLITE_OK || rc == SQLITE_ROW) {
		if ((rc = sqlite3_step(stmt)) != SQLITE_ROW)
			break;
		memset(&row, 0, sizeof row);
		row.id = (const char *)sqlite3_column_text(stmt, 0);
		row.title = (const char *)sqlite3_column_text(stmt, 1);
		row.severity = (const char *)sqlite3_column_text(stmt, 2);
		row.state_open = strcmp((const char *)
		    sqlite3_column_text(stmt, 3), "open") == 0;
		row.has_start = sqlite3_column_type(stmt, 4) != SQLITE_NULL;
		row.start_utc = sqlite3_column_int64(stmt, 4);
		row.has_last_status =
		    sqlite3_column_type(stmt, 5) != SQLITE_NULL;
		row.last_status_utc = sqlite3_column_int64(stmt, 5);
		row.nevents = (size_t)sqlite3_column_int64(stmt, 6);
		row.services = (const char *)sqlite3_column_text(stmt, 7);
		row.zone = (const char *)sqlite3_column_text(stmt, 8);
		row.start_at = (const char *)sqlite3_column_text(stmt, 9);
		row.last_status_at = (const char *)
		    sqlite3_column_text(stmt, 10);
		row.excluded = sqlite3_column_int(stmt, 11) != 0;
		if ((ret = fn(ctx, &row)) != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_error(ix, "cannot read the index");
	sqlite3_finalize(stmt);
	free(match);
	return ret;
}

int
index_each_incident(struct index *ix,
    int (*fn)(void *ctx, const struct index_row *row), void *ctx)
{
	return index_query(ix, NULL, fn, ctx);
}

/* --- periods ----------------------------------------------------------- */

/* The columns of a period row; the metric columns are appended from
 * the METRICS list (constant keys, never input). */
#define PERIOD_HEAD \
	"SELECT id, title, severity, services, zone, state, start_utc," \
	" started_utc, detected_utc, resolved_utc, nevents," \
	" (SELECT count(*) FROM actions a WHERE a.incident_id = i.id" \
	"  AND a.done = 0)," \
	" (SELECT count(*) FROM actions a WHERE a.incident_id = i.id" \
	"  AND a.done = 0 AND a.due IS NOT NULL AND a.due < ?3)," \
	" (SELECT seconds FROM metrics m WHERE m.incident_id = i.id" \
	"  AND m.key = 'status_updates')," \
	" declared_severity, peak_severity, excluded, reopenings"
#define PERIOD_NCOLS	18
#define X(e, key, label, def) \
	", (SELECT seconds FROM metrics m WHERE m.incident_id = i.id" \
	" AND m.key = '" key "')"
static const char period_sql[] = PERIOD_HEAD METRICS
	" FROM incidents i WHERE i.start_utc >= ?1 AND i.start_utc < ?2"
	" ORDER BY i.start_utc, i.id";
#undef X

static void
column_opt(int *has, int64_t *v, sqlite3_stmt *stmt, int i)
{
	*has = sqlite3_column_type(stmt, i) != SQLITE_NULL;
	*v = *has ? sqlite3_column_int64(stmt, i) : 0;
}

int
index_each_in_period(struct index *ix, int64_t from, int64_t to,
    const char *today, int (*fn)(void *ctx, const struct index_period_row *),
    void *ctx)
{
	sqlite3_stmt		*stmt = NULL;
	struct index_period_row	 row;
	int			 rc, ret = 0, i, has;

	rc = sqlite3_prepare_v2(ix->db, period_sql, -1, &stmt, NULL);
	bind_int64(&rc, stmt, 1, from);
	bind_int64(&rc, stmt, 2, to);
	bind_text(&rc, stmt, 3, today);
	while (rc == SQLITE_OK || rc == SQLITE_ROW) {
		if ((rc = sqlite3_step(stmt)) != SQLITE_ROW)
			break;
		memset(&row, 0, sizeof row);
		row.id = (const char *)sqlite3_column_text(stmt, 0);
		row.title = (const char *)sqlite3_column_text(stmt, 1);
		row.severity = (const char *)sqlite3_column_text(stmt, 2);
		row.services = (const char *)sqlite3_column_text(stmt, 3);
		row.zone = (const char *)sqlite3_column_text(stmt, 4);
		row.state_open = strcmp((const char *)
		    sqlite3_column_text(stmt, 5), "open") == 0;
		row.start_utc = sqlite3_column_int64(stmt, 6);
		column_opt(&row.has_started, &row.started_utc, stmt, 7);
		column_opt(&row.has_detected, &row.detected_utc, stmt, 8);
		column_opt(&row.has_resolved, &row.resolved_utc, stmt, 9);
		row.nevents = (size_t)sqlite3_column_int64(stmt, 10);
		row.open_actions = sqlite3_column_int64(stmt, 11);
		row.overdue_actions = sqlite3_column_int64(stmt, 12);
		column_opt(&has, &row.status_updates, stmt, 13);
		row.declared_severity = (const char *)
		    sqlite3_column_text(stmt, 14);
		row.peak_severity = (const char *)sqlite3_column_text(stmt, 15);
		row.excluded = sqlite3_column_int(stmt, 16) != 0;
		row.reopenings = sqlite3_column_int64(stmt, 17);
		for (i = 0; i < M__COUNT; i++)
			column_opt(&row.has[i], &row.value[i], stmt,
			    PERIOD_NCOLS + i);
		if ((ret = fn(ctx, &row)) != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_error(ix, "cannot read the index");
	sqlite3_finalize(stmt);
	return ret;
}

/* --- a self-contained copy for BI tools --------------------------------- */

static const char *const copy_sql[] = {
	"CREATE TABLE out.incidents (id TEXT PRIMARY KEY NOT NULL,"
	" title TEXT NOT NULL, severity TEXT NOT NULL, services TEXT NOT NULL,"
	" commander TEXT NOT NULL, zone TEXT NOT NULL, state TEXT NOT NULL,"
	" start_utc INTEGER, started_utc INTEGER, detected_utc INTEGER,"
	" mitigated_utc INTEGER, resolved_utc INTEGER, last_status_utc INTEGER,"
	" nevents INTEGER NOT NULL, severity_at_start TEXT NOT NULL,"
	" peak_severity TEXT NOT NULL, reopenings INTEGER NOT NULL)",
	"CREATE TABLE out.events (incident_id TEXT NOT NULL,"
	" seq INTEGER NOT NULL, epoch INTEGER NOT NULL,"
	" offset_s INTEGER NOT NULL, kind TEXT NOT NULL, state TEXT,"
	" text TEXT NOT NULL, PRIMARY KEY (incident_id, seq))",
	"CREATE TABLE out.metrics (incident_id TEXT NOT NULL,"
	" key TEXT NOT NULL, seconds INTEGER, PRIMARY KEY (incident_id, key))",
	"CREATE TABLE out.actions (incident_id TEXT NOT NULL,"
	" n INTEGER NOT NULL, key TEXT NOT NULL, text TEXT NOT NULL,"
	" owner TEXT NOT NULL, due TEXT, done INTEGER NOT NULL,"
	" added_utc INTEGER NOT NULL, done_utc INTEGER,"
	" PRIMARY KEY (incident_id, n))",
	"INSERT INTO out.incidents SELECT id, title, severity, services,"
	" commander, zone, state, start_utc, started_utc, detected_utc,"
	" mitigated_utc, resolved_utc, last_status_utc, nevents,"
	" declared_severity, peak_severity, reopenings"
	" FROM main.incidents WHERE start_utc >= ?1 AND start_utc < ?2"
	" AND excluded = 0"
	" ORDER BY start_utc, id",
	"INSERT INTO out.events SELECT m.id, e.seq, e.epoch, e.offset_s,"
	" e.kind, e.state, e.text FROM main.events e"
	" JOIN main.incidents m ON m.rid = e.rid"
	" JOIN out.incidents i ON i.id = m.id",
	"INSERT INTO out.metrics SELECT m.* FROM main.metrics m"
	" JOIN out.incidents i ON i.id = m.incident_id",
	"INSERT INTO out.actions SELECT a.* FROM main.actions a"
	" JOIN out.incidents i ON i.id = a.incident_id",
};

/* Run one statement with ?1 and ?2 bound when it has them. */
static int
exec_period(sqlite3 *db, const char *sql, int64_t from, int64_t to)
{
	sqlite3_stmt	*stmt = NULL;
	int		 rc;

	rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
	if (rc == SQLITE_OK && sqlite3_bind_parameter_count(stmt) == 2) {
		bind_int64(&rc, stmt, 1, from);
		bind_int64(&rc, stmt, 2, to);
	}
	if (rc == SQLITE_OK)
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
			;
	if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
	sqlite3_finalize(stmt);
	return rc;
}

int
index_export_sqlite(struct index *ix, const char *path, int64_t from,
    int64_t to)
{
	sqlite3_stmt	*stmt = NULL;
	size_t		 i;
	int		 rc, attached = 0, ret = -1;

	rc = sqlite3_prepare_v2(ix->db, "ATTACH ?1 AS out", -1, &stmt, NULL);
	bind_text(&rc, stmt, 1, path);
	if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_DONE)
		rc = SQLITE_OK;
	sqlite3_finalize(stmt);
	if (rc == SQLITE_OK)
		attached = 1;
	if (rc == SQLITE_OK)
		rc = exec_sql(ix->db, "BEGIN");
	for (i = 0; i < sizeof copy_sql / sizeof copy_sql[0]; i++)
		if (rc == SQLITE_OK)
			rc = exec_period(ix->db, copy_sql[i], from, to);
	if (rc == SQLITE_OK)
		rc = exec_sql(ix->db, "COMMIT");
	if (rc == SQLITE_OK)
		ret = 0;
	else {
		pm_error_set("%s: cannot write: %s", path,
		    sqlite3_errmsg(ix->db));
		exec_sql(ix->db, "ROLLBACK");
	}
	if (attached)
		exec_sql(ix->db, "DETACH out");
	return ret;
}
