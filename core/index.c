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
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>
#include <sqlite3.h>

#include "error.h"
#include "incfile.h"
#include "incident.h"
#include "index.h"
#include "metrics.h"
#include "store.h"
#include "xmalloc.h"

#define STAT_RACY_NS	(2LL * 1000000000LL)
#define BUSY_MS		5000
#define STR_(x)		#x
#define STR(x)		STR_(x)

struct index {
	sqlite3		*db;
	char		*path;
	char		**problems;
	size_t		 nproblems;
};

static const char *const schema[] = {
	"CREATE TABLE incidents ("
	" id TEXT PRIMARY KEY NOT NULL,"
	" title TEXT NOT NULL,"
	" severity TEXT NOT NULL,"
	" services TEXT NOT NULL,"
	" commander TEXT NOT NULL,"
	" zone TEXT NOT NULL,"
	" state TEXT NOT NULL,"
	" started_utc INTEGER,"
	" start_utc INTEGER,"
	" last_status_utc INTEGER,"
	" nevents INTEGER NOT NULL,"
	" blob TEXT NOT NULL,"
	" file_size INTEGER,"
	" file_mtime_ns INTEGER,"
	" file_ino INTEGER)",
	"CREATE TABLE events ("
	" incident_id TEXT NOT NULL,"
	" seq INTEGER NOT NULL,"
	" epoch INTEGER NOT NULL,"
	" offset_s INTEGER NOT NULL,"
	" kind TEXT NOT NULL,"
	" state TEXT,"
	" text TEXT NOT NULL,"
	" PRIMARY KEY (incident_id, seq))",
	"CREATE TABLE metrics ("
	" incident_id TEXT NOT NULL,"
	" key TEXT NOT NULL,"
	" seconds INTEGER,"
	" PRIMARY KEY (incident_id, key))",
	"PRAGMA user_version = " STR(INDEX_SCHEMA_VERSION),
};

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

	rc = sqlite3_open_v2(ix->path, &ix->db,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
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
	if (rc == SQLITE_OK)
		rc = exec_sql(ix->db, "PRAGMA journal_mode = WAL");
	if (rc == SQLITE_OK)
		rc = exec_sql(ix->db, "PRAGMA synchronous = NORMAL");
	if (rc == SQLITE_OK && version != INDEX_SCHEMA_VERSION)
		rc = create_schema(ix->db);
	if (rc == SQLITE_OK)
		return 0;
	if (is_corrupt(rc) && !fresh)
		return 1;
	return db_error(ix, "cannot open the index");
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

/* --- syncing ----------------------------------------------------------- */

/* A row as it was before the sync. */
struct old_row {
	char	*id;
	char	 blob[GIT_OID_HEXSZ + 1];
	int	 has_stat;
	int64_t	 size, mtime_ns, ino;
	int	 seen;
};

/* What a timeline looks like on disk now. */
struct file_stat {
	int64_t	 size, mtime_ns, ino;
};

enum {
	S_SELECT, S_DEL_INC, S_DEL_EV, S_DEL_MET, S_INS_INC, S_INS_EV,
	S_INS_MET, S_SET_STAT, S__COUNT
};

static const char *const stmt_sql[S__COUNT] = {
	"SELECT id, blob, file_size, file_mtime_ns, file_ino FROM incidents"
	" ORDER BY id",
	"DELETE FROM incidents WHERE id = ?1",
	"DELETE FROM events WHERE incident_id = ?1",
	"DELETE FROM metrics WHERE incident_id = ?1",
	"INSERT INTO incidents (id, title, severity, services, commander,"
	" zone, state, started_utc, start_utc, last_status_utc, nevents, blob,"
	" file_size, file_mtime_ns, file_ino)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
	" ?15)",
	"INSERT INTO events (incident_id, seq, epoch, offset_s, kind, state,"
	" text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	"INSERT INTO metrics (incident_id, key, seconds) VALUES (?1, ?2, ?3)",
	"UPDATE incidents SET file_size = ?2, file_mtime_ns = ?3,"
	" file_ino = ?4 WHERE id = ?1",
};

struct sync {
	struct index	*ix;
	struct store	*st;
	sqlite3_stmt	*s[S__COUNT];
	struct old_row	*old;
	size_t		 nold;
	int64_t		 now_ns;
	size_t		 updated;
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

static int
load_old(struct sync *s)
{
	sqlite3_stmt	*stmt = s->s[S_SELECT];
	struct old_row	*o;
	const char	*blob;
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
		blob = (const char *)sqlite3_column_text(stmt, 1);
		if (blob != NULL)
			strncpy(o->blob, blob, sizeof o->blob - 1);
		o->has_stat = sqlite3_column_type(stmt, 2) != SQLITE_NULL &&
		    sqlite3_column_type(stmt, 3) != SQLITE_NULL &&
		    sqlite3_column_type(stmt, 4) != SQLITE_NULL;
		o->size = sqlite3_column_int64(stmt, 2);
		o->mtime_ns = sqlite3_column_int64(stmt, 3);
		o->ino = sqlite3_column_int64(stmt, 4);
	}
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static struct old_row *
find_old(struct sync *s, const char *id)
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
	static const int which[] = { S_DEL_EV, S_DEL_MET, S_DEL_INC };
	size_t	 i;

	for (i = 0; i < sizeof which / sizeof which[0]; i++) {
		bind_text(rc, s->s[which[i]], 1, id);
		step_done(rc, s->s[which[i]]);
	}
}

/* Bind a file's stat, or NULLs when it may still change unseen. */
static void
bind_stat(int *rc, struct sync *s, sqlite3_stmt *stmt, int first,
    const struct file_stat *fs)
{
	if (fs->mtime_ns + STAT_RACY_NS >= s->now_ns) {
		bind_null(rc, stmt, first);
		bind_null(rc, stmt, first + 1);
		bind_null(rc, stmt, first + 2);
	} else {
		bind_int64(rc, stmt, first, fs->size);
		bind_int64(rc, stmt, first + 1, fs->mtime_ns);
		bind_int64(rc, stmt, first + 2, fs->ino);
	}
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
insert_incident(int *rc, struct sync *s, const struct incident *inc,
    const char *blob, const struct file_stat *fs)
{
	sqlite3_stmt		*stmt;
	const struct event	*ev;
	struct metrics		 m;
	struct buf		 services = BUF_INIT;
	size_t			 i;

	metrics_compute(&m, inc);
	for (i = 0; i < inc->nservices; i++)
		buf_printf(&services, "%s%s", i > 0 ? ", " : "",
		    inc->services[i]);

	stmt = s->s[S_INS_INC];
	bind_text(rc, stmt, 1, inc->id);
	bind_text(rc, stmt, 2, inc->title);
	bind_text(rc, stmt, 3, inc->severity);
	bind_text(rc, stmt, 4, buf_str(&services));
	bind_text(rc, stmt, 5, inc->commander);
	bind_text(rc, stmt, 6, inc->zone);
	bind_text(rc, stmt, 7, incident_is_resolved(inc) ? "resolved" : "open");
	bind_time(rc, stmt, 8, m.at[P_STARTED]);
	bind_time(rc, stmt, 9, incident_start(inc));
	bind_time(rc, stmt, 10, incident_last_status(inc));
	bind_int64(rc, stmt, 11, (int64_t)inc->nevents);
	bind_text(rc, stmt, 12, blob);
	bind_stat(rc, s, stmt, 13, fs);
	step_done(rc, stmt);
	buf_free(&services);

	stmt = s->s[S_INS_EV];
	for (i = 0; i < inc->nevents; i++) {
		ev = &inc->events[i];
		bind_text(rc, stmt, 1, inc->id);
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

	stmt = s->s[S_INS_MET];
	for (i = 0; i < M__COUNT; i++) {
		bind_text(rc, stmt, 1, inc->id);
		bind_text(rc, stmt, 2, metric_key((enum metric)i));
		if (m.has[i])
			bind_int64(rc, stmt, 3, m.value[i]);
		else
			bind_null(rc, stmt, 3);
		step_done(rc, stmt);
	}
	bind_text(rc, stmt, 1, inc->id);
	bind_text(rc, stmt, 2, "status_updates");
	bind_int64(rc, stmt, 3, m.status_updates);
	step_done(rc, stmt);
}

/* Read the file at path, and its stat, from one descriptor. */
static int
read_timeline(struct buf *out, struct file_stat *fs, const char *path)
{
	struct stat	 sb;
	char		 chunk[65536];
	ssize_t		 n;
	int		 fd, rc = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1)
		return pm_error_sys("cannot read %s", path);
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

/*
 * Bring one incident's rows up to date. Returns a sqlite code; a timeline
 * that cannot be read or parsed is a problem, not an error.
 */
static int
sync_one(struct sync *s, const char *id)
{
	struct old_row	*old;
	struct file_stat fs;
	struct stat	 sb;
	struct buf	 b = BUF_INIT;
	struct incident	*inc = NULL;
	git_oid		 oid;
	char		 hex[GIT_OID_HEXSZ + 1], *rel, *abs;
	int		 rc = SQLITE_OK, ok;

	old = find_old(s, id);
	if (old != NULL)
		old->seen = 1;
	rel = store_timeline_relpath(id);
	abs = xasprintf("%s/%s", store_root(s->st), rel);

	if (old != NULL && old->has_stat && lstat(abs, &sb) == 0) {
		to_file_stat(&fs, &sb);
		if (fs.size == old->size && fs.mtime_ns == old->mtime_ns &&
		    fs.ino == old->ino)
			goto out;
	}
	hex[0] = '\0';
	ok = read_timeline(&b, &fs, abs) == 0;
	if (ok && git_odb_hash(&oid, buf_str(&b), b.len,
	    GIT_OBJECT_BLOB) < 0) {
		pm_error_git("cannot hash %s", rel);
		ok = 0;
	}
	if (ok) {
		git_oid_tostr(hex, sizeof hex, &oid);
		if (old != NULL && strcmp(old->blob, hex) == 0) {
			/* Touched, not changed: refresh the stat only. */
			bind_text(&rc, s->s[S_SET_STAT], 1, id);
			bind_stat(&rc, s, s->s[S_SET_STAT], 2, &fs);
			step_done(&rc, s->s[S_SET_STAT]);
			goto out;
		}
		ok = incfile_parse(&inc, rel, buf_str(&b), b.len) == 0;
	}
	if (!ok)
		add_problem(s->ix, pm_error_last());
	if (old != NULL)
		delete_rows(&rc, s, id);
	if (ok) {
		incident_set(&inc->id, id);
		insert_incident(&rc, s, inc, hex, &fs);
	}
	if (ok || old != NULL)
		s->updated++;
out:
	incident_free(inc);
	buf_free(&b);
	free(rel);
	free(abs);
	return rc;
}

static int
sync_run(struct index *ix, struct store *st, size_t *updated, int full)
{
	static const char *const wipe[] = {
		"DELETE FROM events", "DELETE FROM metrics",
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
	if (store_list(&ids, &nids, st) < 0)
		return -1;
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
		rc = load_old(&s);
	for (i = 0; i < nids && rc == SQLITE_OK; i++)
		rc = sync_one(&s, ids[i]);
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
	if (began)
		exec_sql(ix->db, "ROLLBACK");
	for (i = 0; i < S__COUNT; i++)
		sqlite3_finalize(s.s[i]);
	for (i = 0; i < s.nold; i++)
		free(s.old[i].id);
	free(s.old);
	store_free_ids(ids, nids);
	return ret;
}

int
index_sync(struct index *ix, struct store *st, size_t *updated)
{
	return sync_run(ix, st, updated, 0);
}

int
index_rebuild(struct index *ix, struct store *st)
{
	return sync_run(ix, st, NULL, 1);
}

/* --- reading ----------------------------------------------------------- */

int
index_each_incident(struct index *ix,
    int (*fn)(void *ctx, const struct index_row *row), void *ctx)
{
	static const char sql[] =
	    "SELECT id, title, severity, state, start_utc, last_status_utc,"
	    " nevents FROM incidents"
	    " ORDER BY state = 'open' DESC, start_utc IS NULL,"
	    " start_utc DESC, id";
	sqlite3_stmt	*stmt = NULL;
	struct index_row row;
	int		 rc, ret = 0;

	rc = sqlite3_prepare_v2(ix->db, sql, -1, &stmt, NULL);
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
		if ((ret = fn(ctx, &row)) != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_error(ix, "cannot read the index");
	sqlite3_finalize(stmt);
	return ret;
}
