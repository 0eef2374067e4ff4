/* test_index.c - the sqlite3 index of a real temporary store. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <check.h>
#include <sqlite3.h>

#include "error.h"
#include "incident.h"
#include "index.h"
#include "metrics.h"
#include "store.h"
#include "tstamp.h"
#include "xmalloc.h"

Suite *index_suite(void);

static char		 tmpdir[64];
static char		*db_path;
static struct store	*st;
static struct index	*ix;

static void
setup(void)
{
	static int	 inited;
	int		 created = 0;
	char		*dir;

	if (!inited) {
		ck_assert_int_eq(store_global_init(), 0);
		inited = 1;
	}
	setenv("GIT_AUTHOR_NAME", "Zoë Test", 1);
	setenv("GIT_AUTHOR_EMAIL", "zoe@example.com", 1);
	setenv("GIT_COMMITTER_NAME", "Zoë Test", 1);
	setenv("GIT_COMMITTER_EMAIL", "zoe@example.com", 1);
	setenv("PMTOOL_TEST_TIME", "2024-03-01T12:00:00Z", 1);
	strcpy(tmpdir, "/tmp/pmtool-index.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	dir = xasprintf("%s/store", tmpdir);
	ck_assert_msg(store_init(&st, dir, &created) == 0, "%s",
	    pm_error_last());
	free(dir);
	db_path = xasprintf("%s/store/.git/%s/%s", tmpdir, INDEX_DIR,
	    INDEX_FILE);
	ck_assert_msg(index_open(&ix, db_path) == 0, "%s", pm_error_last());
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *f)
{
	return remove(path);
}

static void
teardown(void)
{
	index_close(ix);
	ix = NULL;
	store_close(st);
	st = NULL;
	nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(db_path);
	db_path = NULL;
	unsetenv("PMTOOL_TEST_TIME");
}

static struct tstamp
at(const char *s)
{
	struct tstamp	 t;
	size_t		 pos;

	ck_assert_int_eq(tstamp_parse_rfc3339(&t, s, strlen(s), &pos), 0);
	return t;
}

/* Create an incident that started at start; resolved adds a resolved
 * status one hour later. Returns its id (free()). */
static char *
make(const char *title, const char *start, int resolved)
{
	struct incident	*inc;
	struct civil	 date;
	struct tstamp	 t;
	char		*id = NULL;

	inc = incident_new();
	incident_set(&inc->title, title);
	incident_set(&inc->severity, "SEV2");
	incident_set(&inc->zone, "UTC");
	incident_add_service(inc, "api");
	incident_add_service(inc, "zahlungsdienst");
	t = at(start);
	incident_add_event(inc, t, EV_STARTED, ST_NONE, "");
	t.t += 300;
	incident_add_event(inc, t, EV_DETECTED, ST_NONE, "alarm für Ölpumpe");
	t.t += 300;
	incident_add_event(inc, t, EV_STATUS, ST_INVESTIGATING, "looking");
	if (resolved) {
		t.t += 3000;
		incident_add_event(inc, t, EV_STATUS, ST_RESOLVED, "fixed");
	}
	incident_sort(inc);
	civil_from_time(&date, at(start).t, 0);
	ck_assert_msg(store_create(&id, st, inc, &date, NULL, 0) == 0, "%s",
	    pm_error_last());
	incident_free(inc);
	return id;
}

static char *
timeline_path(const char *id)
{
	return xasprintf("%s/%s/%s/%s", store_root(st), STORE_INCIDENTS, id,
	    STORE_TIMELINE);
}

static void
write_file(const char *path, const char *text)
{
	FILE	*f;

	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	ck_assert_int_eq(fputs(text, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
}

static size_t
sync_ok(void)
{
	size_t	 n = 999;

	ck_assert_msg(index_sync(ix, st, &n) == 0, "%s", pm_error_last());
	return n;
}

/* One integer from the db at path (a constant query with one text
 * parameter); -1 for NULL. */
static int64_t
query_int_in(const char *path, const char *sql, const char *param)
{
	sqlite3		*db;
	sqlite3_stmt	*stmt = NULL;
	int64_t		 v = -2;

	ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL),
	    SQLITE_OK);
	if (param != NULL)
		sqlite3_bind_text(stmt, 1, param, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_type(stmt, 0) == SQLITE_NULL ? -1 :
		    sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return v;
}

static int64_t
query_int(const char *sql, const char *param)
{
	return query_int_in(db_path, sql, param);
}

/* One text from the db at path, as a new string (NULL when none). */
static char *
query_text_in(const char *path, const char *sql, const char *param)
{
	sqlite3		*db;
	sqlite3_stmt	*stmt = NULL;
	char		*v = NULL;

	ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL),
	    SQLITE_OK);
	if (param != NULL)
		sqlite3_bind_text(stmt, 1, param, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW &&
	    sqlite3_column_type(stmt, 0) != SQLITE_NULL)
		v = xstrdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return v;
}

static char *
query_text(const char *sql, const char *param)
{
	return query_text_in(db_path, sql, param);
}

/* index_each_incident() into a list of "id open start nevents" lines. */
static int
collect(void *ctx, const struct index_row *r)
{
	buf_printf(ctx, "%s %s %s %lld %zu\n", r->id, r->title,
	    r->state_open ? "open" : "closed",
	    r->has_start ? (long long)r->start_utc : -1LL, r->nevents);
	return 0;
}

static char *
listing(void)
{
	struct buf	 b = BUF_INIT;

	ck_assert_msg(index_each_incident(ix, collect, &b) == 0, "%s",
	    pm_error_last());
	return buf_detach(&b);
}

static int64_t
count_rows(const char *id)
{
	return query_int("SELECT count(*) FROM incidents WHERE id = ?1", id);
}

START_TEST(sync_builds_rows_matching_store_load)
{
	struct incident		*inc;
	const struct event	*ev;
	struct metrics		 m;
	char			*a, *b, *s;

	a = make("Ölpumpe ausgefallen", "2024-02-01T10:00:00Z", 0);
	b = make("DNS outage", "2024-02-03T10:00:00Z", 1);
	ck_assert_uint_eq(sync_ok(), 2);
	ck_assert_uint_eq(index_nproblems(ix), 0);
	ck_assert_uint_eq(sync_ok(), 0);

	ck_assert_int_eq(store_load(&inc, st, b), 0);
	metrics_compute(&m, inc);
	s = query_text("SELECT title FROM incidents WHERE id = ?1", b);
	ck_assert_str_eq(s, inc->title);
	free(s);
	s = query_text("SELECT services FROM incidents WHERE id = ?1", b);
	ck_assert_str_eq(s, "api, zahlungsdienst");
	free(s);
	s = query_text("SELECT state FROM incidents WHERE id = ?1", b);
	ck_assert_str_eq(s, "resolved");
	free(s);
	s = query_text("SELECT zone FROM incidents WHERE id = ?1", b);
	ck_assert_str_eq(s, "UTC");
	free(s);
	s = query_text("SELECT blob FROM incidents WHERE id = ?1", b);
	ck_assert_uint_eq(strlen(s), 40);
	free(s);
	ck_assert_int_eq(query_int("SELECT nevents FROM incidents "
	    "WHERE id = ?1", b), (int64_t)inc->nevents);
	ck_assert_int_eq(query_int("SELECT start_utc FROM incidents "
	    "WHERE id = ?1", b), incident_start(inc)->at.t);
	ck_assert_int_eq(query_int("SELECT started_utc FROM incidents "
	    "WHERE id = ?1", b), m.at[P_STARTED]->at.t);
	ck_assert_int_eq(query_int("SELECT last_status_utc FROM incidents "
	    "WHERE id = ?1", b), incident_last_status(inc)->at.t);
	ck_assert_int_eq(query_int("SELECT count(*) FROM events "
	    "WHERE rid = (SELECT rid FROM incidents WHERE id = ?1)", b),
	    (int64_t)inc->nevents);
	ev = &inc->events[1];
	s = query_text("SELECT text FROM events WHERE rid = "
	    "(SELECT rid FROM incidents WHERE id = ?1) "
	    "ORDER BY epoch, seq LIMIT 1 OFFSET 1", b);
	ck_assert_str_eq(s, ev->text);
	free(s);
	ck_assert_int_eq(query_int("SELECT count(*) FROM metrics "
	    "WHERE incident_id = ?1", b), M__COUNT + 1);
	ck_assert_int_eq(query_int("SELECT seconds FROM metrics WHERE "
	    "incident_id = ?1 AND key = 'time_to_detect_s'", b),
	    m.value[M_DETECT]);
	ck_assert_int_eq(m.value[M_FIRST_STATUS], 600);
	ck_assert_int_eq(query_int("SELECT seconds FROM metrics WHERE "
	    "incident_id = ?1 AND key = 'time_to_first_status_s'", b),
	    m.value[M_FIRST_STATUS]);
	ck_assert_int_eq(query_int("SELECT seconds FROM metrics WHERE "
	    "incident_id = ?1 AND key = 'status_updates'", b), 2);
	/* No resolved event: no resolve time. */
	ck_assert_int_eq(query_int("SELECT seconds FROM metrics WHERE "
	    "incident_id = ?1 AND key = 'time_to_resolve_s'", a), -1);
	s = query_text("PRAGMA journal_mode", NULL);
	ck_assert_str_eq(s, "wal");
	free(s);
	ck_assert_int_eq(query_int("PRAGMA user_version", NULL),
	    INDEX_SCHEMA_VERSION);
	incident_free(inc);
	free(a);
	free(b);
}
END_TEST

START_TEST(append_rereads_only_that_incident)
{
	struct event	 ev;
	char		*a, *b, *blob_a, *blob_b, *s;

	a = make("First", "2024-02-01T10:00:00Z", 0);
	b = make("Second", "2024-02-02T10:00:00Z", 0);
	ck_assert_uint_eq(sync_ok(), 2);
	blob_a = query_text("SELECT blob FROM incidents WHERE id = ?1", a);
	blob_b = query_text("SELECT blob FROM incidents WHERE id = ?1", b);

	memset(&ev, 0, sizeof ev);
	ev.at = at("2024-02-01T12:00:00Z");
	ev.kind = EV_STATUS;
	ev.state = ST_RESOLVED;
	ev.text = "all good";
	ck_assert_msg(store_append(st, a, &ev) == 0, "%s", pm_error_last());
	ck_assert_uint_eq(sync_ok(), 1);

	s = query_text("SELECT blob FROM incidents WHERE id = ?1", a);
	ck_assert_str_ne(s, blob_a);
	free(s);
	s = query_text("SELECT blob FROM incidents WHERE id = ?1", b);
	ck_assert_str_eq(s, blob_b);
	free(s);
	ck_assert_int_eq(query_int("SELECT nevents FROM incidents "
	    "WHERE id = ?1", a), 4);
	ck_assert_int_eq(query_int("SELECT last_status_utc FROM incidents "
	    "WHERE id = ?1", a), ev.at.t);
	s = query_text("SELECT state FROM incidents WHERE id = ?1", a);
	ck_assert_str_eq(s, "resolved");
	free(s);
	ck_assert_int_eq(query_int("SELECT count(*) FROM events "
	    "WHERE rid = (SELECT rid FROM incidents WHERE id = ?1)", a), 4);
	free(blob_a);
	free(blob_b);
	free(a);
	free(b);
}
END_TEST

START_TEST(hand_edit_is_picked_up)
{
	char	*a, *path, *text, *p, *s;
	size_t	 len;
	FILE	*f;

	a = make("Old title", "2024-02-01T10:00:00Z", 0);
	ck_assert_uint_eq(sync_ok(), 1);
	path = timeline_path(a);
	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	text = xcalloc(1, 4096);
	len = fread(text, 1, 4095, f);
	fclose(f);
	text[len] = '\0';
	/* Same length, so only the content tells. */
	ck_assert_ptr_nonnull(p = strstr(text, "Old title"));
	memcpy(p, "New title", 9);
	write_file(path, text);
	ck_assert_uint_eq(sync_ok(), 1);
	s = query_text("SELECT title FROM incidents WHERE id = ?1", a);
	ck_assert_str_eq(s, "New title");
	free(s);
	free(text);
	free(path);
	free(a);
}
END_TEST

START_TEST(old_stat_takes_the_fast_path)
{
	struct timespec	 ts[2];
	char		*a, *path, *s;

	a = make("Quiet", "2024-02-01T10:00:00Z", 0);
	ck_assert_uint_eq(sync_ok(), 1);
	/* Just written: too recent to trust size and mtime. */
	ck_assert_int_eq(query_int("SELECT file_mtime_ns FROM incidents "
	    "WHERE id = ?1", a), -1);
	path = timeline_path(a);
	clock_gettime(CLOCK_REALTIME, &ts[0]);
	ts[0].tv_sec -= 3600;
	ts[1] = ts[0];
	ck_assert_int_eq(utimensat(AT_FDCWD, path, ts, 0), 0);
	ck_assert_uint_eq(sync_ok(), 0);
	ck_assert_int_eq(query_int("SELECT file_mtime_ns FROM incidents "
	    "WHERE id = ?1", a), (int64_t)ts[0].tv_sec * 1000000000LL +
	    ts[0].tv_nsec);
	ck_assert_uint_eq(sync_ok(), 0);
	/* A later edit changes the mtime and is seen. */
	write_file(path, "pmtool-incident 1\ntitle: Loud\nzone: UTC\n\n");
	ck_assert_uint_eq(sync_ok(), 1);
	s = query_text("SELECT title FROM incidents WHERE id = ?1", a);
	ck_assert_str_eq(s, "Loud");
	free(s);
	free(path);
	free(a);
}
END_TEST

START_TEST(deleted_incident_disappears)
{
	char	*a, *b, *path, *s;

	a = make("Stays", "2024-02-01T10:00:00Z", 0);
	b = make("Goes", "2024-02-02T10:00:00Z", 0);
	ck_assert_uint_eq(sync_ok(), 2);
	path = timeline_path(b);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_uint_eq(sync_ok(), 1);
	ck_assert_int_eq(count_rows(b), 0);
	ck_assert_int_eq(count_rows(a), 1);
	/* No event row is left without its incident. */
	ck_assert_int_eq(query_int("SELECT count(*) FROM events "
	    "WHERE rid NOT IN (SELECT rid FROM incidents)", NULL), 0);
	ck_assert_int_eq(query_int("SELECT count(*) FROM events", NULL),
	    query_int("SELECT sum(nevents) FROM incidents", NULL));
	ck_assert_int_eq(query_int("SELECT count(*) FROM metrics "
	    "WHERE incident_id = ?1", b), 0);
	s = listing();
	ck_assert_ptr_null(strstr(s, b));
	free(s);
	free(path);
	free(a);
	free(b);
}
END_TEST

START_TEST(corrupt_db_is_rebuilt)
{
	char	*a, *wal;

	a = make("Survivor", "2024-02-01T10:00:00Z", 0);
	ck_assert_uint_eq(sync_ok(), 1);
	index_close(ix);
	ix = NULL;
	wal = xasprintf("%s-wal", db_path);
	unlink(wal);
	free(wal);
	write_file(db_path, "this is not a database, just garbage text that "
	    "is long enough to look like a file header of some kind........"
	    "................................................................"
	    "................................................................"
	    "................................................................"
	    "................................................................"
	    "................................................................"
	    "................................................................");
	ck_assert_msg(index_open(&ix, db_path) == 0, "%s", pm_error_last());
	ck_assert_int_eq(count_rows(a), 0);
	ck_assert_uint_eq(sync_ok(), 1);
	ck_assert_int_eq(count_rows(a), 1);
	free(a);
}
END_TEST

START_TEST(older_or_unknown_version_is_rebuilt)
{
	sqlite3	*db;
	char	*a;

	a = make("Versioned", "2024-02-01T10:00:00Z", 0);
	ck_assert_uint_eq(sync_ok(), 1);
	index_close(ix);
	ix = NULL;
	/* An unknown (newer) version. */
	ck_assert_int_eq(sqlite3_open(db_path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "PRAGMA user_version = 99", NULL,
	    NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	ck_assert_msg(index_open(&ix, db_path) == 0, "%s", pm_error_last());
	ck_assert_int_eq(count_rows(a), 0);
	ck_assert_uint_eq(sync_ok(), 1);
	index_close(ix);
	ix = NULL;
	/* An older one, with a table of another shape that inserts would
	 * trip on if it were kept. */
	ck_assert_int_eq(sqlite3_open(db_path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "DROP TABLE incidents;"
	    "CREATE TABLE incidents (id TEXT);"
	    "INSERT INTO incidents VALUES ('stale');"
	    "PRAGMA user_version = " "0", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	ck_assert_msg(index_open(&ix, db_path) == 0, "%s", pm_error_last());
	ck_assert_int_eq(count_rows("stale"), 0);
	ck_assert_uint_eq(sync_ok(), 1);
	ck_assert_int_eq(count_rows(a), 1);
	ck_assert_int_eq(query_int("PRAGMA user_version", NULL),
	    INDEX_SCHEMA_VERSION);
	free(a);
}
END_TEST

START_TEST(unreadable_timeline_is_reported_and_skipped)
{
	char	*a, *b, *path, *s;

	a = make("Broken later", "2024-02-01T10:00:00Z", 0);
	b = make("Fine", "2024-02-02T10:00:00Z", 0);
	ck_assert_uint_eq(sync_ok(), 2);
	path = timeline_path(a);
	write_file(path, "pmtool-incident 1\nno colon here\n");
	ck_assert_uint_eq(sync_ok(), 1);
	ck_assert_uint_eq(index_nproblems(ix), 1);
	ck_assert_ptr_nonnull(strstr(index_problem(ix, 0), "timeline.txt"));
	ck_assert_ptr_nonnull(strstr(index_problem(ix, 0), a));
	ck_assert_ptr_null(index_problem(ix, 1));
	ck_assert_int_eq(count_rows(a), 0);
	ck_assert_int_eq(count_rows(b), 1);
	/* Still broken: reported again, nothing to change. */
	ck_assert_uint_eq(sync_ok(), 0);
	ck_assert_uint_eq(index_nproblems(ix), 1);
	/* Mended: back in, the problem gone. */
	write_file(path, "pmtool-incident 1\ntitle: Mended\nzone: UTC\n\n");
	ck_assert_uint_eq(sync_ok(), 1);
	ck_assert_uint_eq(index_nproblems(ix), 0);
	s = query_text("SELECT title FROM incidents WHERE id = ?1", a);
	ck_assert_str_eq(s, "Mended");
	free(s);
	free(path);
	free(a);
	free(b);
}
END_TEST

/*
 * Enough incidents for the loader threads (PARALLEL_MIN): the rows, the
 * problems and the counts must be what one thread gives, in id order.
 */
#define MANY	150

static int
read_whole(struct buf *b, const char *path)
{
	char	 chunk[4096];
	size_t	 n;
	FILE	*f;

	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(b, chunk, n);
	return fclose(f) == 0 ? 0 : -1;
}

static char *
many_id(int i)
{
	return xasprintf("2024-03-01-many-%03d", i);
}

/* Copy of the timeline text with its title made "Many I". */
static void
write_many(int i, const char *text, const char *extra)
{
	struct buf	 b = BUF_INIT;
	const char	*t = strstr(text, "\ntitle: "), *eol;
	char		*id = many_id(i), *dir, *path;

	ck_assert_ptr_nonnull(t);
	eol = strchr(t + 1, '\n');
	buf_add(&b, text, (size_t)(t - text));
	buf_printf(&b, "\ntitle: Many %d", i);
	buf_adds(&b, eol);
	if (extra != NULL)
		buf_adds(&b, extra);
	dir = xasprintf("%s/%s/%s", store_root(st), STORE_INCIDENTS, id);
	if (mkdir(dir, 0777) == -1)
		ck_assert_int_eq(errno, EEXIST);
	path = timeline_path(id);
	write_file(path, buf_str(&b));
	free(path);
	free(dir);
	free(id);
	buf_free(&b);
}

START_TEST(many_incidents_load_in_parallel)
{
	struct buf	 text = BUF_INIT;
	char		*a, *path, *id, *title;
	int		 i;

	a = make("Template", "2024-03-01T10:00:00Z", 1);
	path = timeline_path(a);
	ck_assert_int_eq(read_whole(&text, path), 0);
	free(path);
	for (i = 0; i < MANY; i++)
		write_many(i, buf_str(&text), i == 17 ? "garbage line\n" :
		    NULL);
	/* Every good one, the template too; one problem, the broken one. */
	ck_assert_uint_eq(sync_ok(), MANY);
	ck_assert_uint_eq(index_nproblems(ix), 1);
	ck_assert_ptr_nonnull(strstr(index_problem(ix, 0), "many-017"));
	ck_assert_int_eq(query_int("SELECT count(*) FROM incidents", NULL),
	    MANY);
	ck_assert_int_eq(query_int("SELECT count(*) FROM events", NULL),
	    query_int("SELECT sum(nevents) FROM incidents", NULL));
	ck_assert_int_eq(query_int("SELECT count(*) FROM events", NULL),
	    MANY * 4);
	for (i = 0; i < MANY; i += 7) {
		id = many_id(i);
		title = query_text("SELECT title FROM incidents WHERE id = ?1",
		    id);
		if (i == 17)
			ck_assert_ptr_null(title);
		else {
			ck_assert_ptr_nonnull(title);
			ck_assert_int_eq(atoi(title + 5), i);
		}
		free(title);
		free(id);
	}

	/* Every other one gets an event, the broken one is mended, ten go. */
	for (i = 0; i < MANY; i += 2)
		write_many(i, buf_str(&text),
		    "2024-03-01T12:00:00Z note one more\n");
	write_many(17, buf_str(&text), NULL);
	for (i = 100; i < 110; i++) {
		id = many_id(i);
		path = timeline_path(id);
		ck_assert_int_eq(unlink(path), 0);
		free(path);
		free(id);
	}
	/* 75 appended (5 of them then deleted), 1 mended, 5 more deleted. */
	ck_assert_uint_eq(sync_ok(), 75 + 1 + 5);
	ck_assert_uint_eq(index_nproblems(ix), 0);
	ck_assert_int_eq(query_int("SELECT count(*) FROM incidents", NULL),
	    MANY + 1 - 10);
	ck_assert_int_eq(query_int("SELECT count(*) FROM events", NULL),
	    (MANY + 1 - 10) * 4 + (MANY / 2 - 5));
	ck_assert_int_eq(query_int("SELECT count(*) FROM events "
	    "WHERE rid NOT IN (SELECT rid FROM incidents)", NULL), 0);
	/* Nothing changed: nothing done. */
	ck_assert_uint_eq(sync_ok(), 0);
	buf_free(&text);
	free(a);
}
END_TEST

START_TEST(each_incident_orders_open_then_latest_start)
{
	char	*r_old, *o_old, *r_new, *o_new, *dir, *path, *s, *want;

	r_old = make("Resolved old", "2024-01-01T10:00:00Z", 1);
	o_old = make("Open old", "2024-01-05T10:00:00Z", 0);
	r_new = make("Resolved new", "2024-02-09T10:00:00Z", 1);
	o_new = make("Open new", "2024-02-01T10:00:00Z", 0);
	/* A hand-made incident with no events: open, no start. */
	dir = xasprintf("%s/%s/2024-03-01-empty", store_root(st),
	    STORE_INCIDENTS);
	ck_assert_int_eq(mkdir(dir, 0777), 0);
	path = xasprintf("%s/%s", dir, STORE_TIMELINE);
	write_file(path, "pmtool-incident 1\ntitle: Empty\nzone: UTC\n\n");
	ck_assert_uint_eq(sync_ok(), 5);
	s = listing();
	want = xasprintf(
	    "%s Open new open 1706781600 3\n"
	    "%s Open old open 1704448800 3\n"
	    "2024-03-01-empty Empty open -1 0\n"
	    "%s Resolved new closed 1707472800 4\n"
	    "%s Resolved old closed 1704103200 4\n",
	    o_new, o_old, r_new, r_old);
	ck_assert_str_eq(s, want);
	free(want);
	free(s);
	/* A rebuild gives the same. */
	ck_assert_msg(index_rebuild(ix, st) == 0, "%s", pm_error_last());
	s = listing();
	ck_assert_ptr_nonnull(strstr(s, "Open new"));
	ck_assert_int_eq(query_int("SELECT count(*) FROM incidents", NULL), 5);
	free(s);
	free(dir);
	free(path);
	free(r_old);
	free(o_old);
	free(r_new);
	free(o_new);
}
END_TEST

static int
stop_at_first(void *ctx, const struct index_row *r)
{
	++*(int *)ctx;
	return 7;
}

START_TEST(each_incident_stops_when_told)
{
	char	*a, *b;
	int	 calls = 0;

	a = make("One", "2024-02-01T10:00:00Z", 0);
	b = make("Two", "2024-02-02T10:00:00Z", 0);
	ck_assert_uint_eq(sync_ok(), 2);
	ck_assert_int_eq(index_each_incident(ix, stop_at_first, &calls), 7);
	ck_assert_int_eq(calls, 1);
	free(a);
	free(b);
}
END_TEST

START_TEST(open_reports_real_io_errors)
{
	struct index	*other = NULL;
	char		*file, *bad;

	file = xasprintf("%s/plain", tmpdir);
	write_file(file, "x");
	bad = xasprintf("%s/%s/%s", file, INDEX_DIR, INDEX_FILE);
	ck_assert_int_eq(index_open(&other, bad), -1);
	ck_assert_ptr_null(other);
	ck_assert_ptr_nonnull(strstr(pm_error_last(), "plain"));
	free(bad);
	free(file);
}
END_TEST

/* --- schema 2: actions, search, filters, periods, export ----------------- */

/* An incident as the query tests want it. start NULL: no events at all. */
struct spec {
	const char	*title;
	const char	*start;
	const char	*severity;
	const char	*services[3];
	const char	*text;		/* a note one minute after the start */
	int		 resolved;
};

static char *
make_spec(const struct spec *sp)
{
	struct incident	*inc;
	struct civil	 date;
	struct tstamp	 t;
	char		*id = NULL;
	size_t		 i;

	inc = incident_new();
	incident_set(&inc->title, sp->title);
	incident_set(&inc->severity, sp->severity != NULL ? sp->severity : "");
	incident_set(&inc->zone, "UTC");
	for (i = 0; i < 3 && sp->services[i] != NULL; i++)
		incident_add_service(inc, sp->services[i]);
	t = at(sp->start != NULL ? sp->start : "2024-03-01T00:00:00Z");
	civil_from_time(&date, t.t, 0);
	if (sp->start != NULL) {
		incident_add_event(inc, t, EV_STARTED, ST_NONE, "");
		t.t += 60;
		incident_add_event(inc, t, EV_DETECTED, ST_NONE, "");
		t.t += 60;
		incident_add_event(inc, t, EV_NOTE, ST_NONE,
		    sp->text != NULL ? sp->text : "");
		if (sp->resolved) {
			t.t += 60;
			incident_add_event(inc, t, EV_STATUS, ST_RESOLVED,
			    "fixed");
		}
	}
	incident_sort(inc);
	ck_assert_msg(store_create(&id, st, inc, &date, NULL, 0) == 0, "%s",
	    pm_error_last());
	incident_free(inc);
	return id;
}

static char *
actions_path(const char *id)
{
	return xasprintf("%s/%s/%s/actions.txt", store_root(st),
	    STORE_INCIDENTS, id);
}

static int64_t
count_actions(const char *id)
{
	return query_int("SELECT count(*) FROM actions WHERE incident_id = ?1",
	    id);
}

static const char actions_two[] =
    "pmtool-actions 1\n"
    "2024-02-01T10:00:00Z add 3f9a1c Fix the pump\n"
    "2024-02-01T10:00:00Z owner 3f9a1c Zoë Test\n"
    "2024-02-01T10:00:00Z due 3f9a1c 2024-02-15\n"
    "2024-02-01T10:05:00Z add 07b2e4 Monitor the monitoring\n";

START_TEST(actions_rows_follow_actions_txt)
{
	char	*a, *path, *text, *s;

	a = make("Pumpe", "2024-02-01T09:00:00Z", 0);
	path = actions_path(a);
	write_file(path, actions_two);
	ck_assert_uint_eq(sync_ok(), 1);
	ck_assert_uint_eq(index_nproblems(ix), 0);
	ck_assert_int_eq(count_actions(a), 2);
	s = query_text("SELECT text FROM actions WHERE incident_id = ?1 "
	    "AND n = 1", a);
	ck_assert_str_eq(s, "Fix the pump");
	free(s);
	s = query_text("SELECT owner FROM actions WHERE incident_id = ?1 "
	    "AND n = 1", a);
	ck_assert_str_eq(s, "Zoë Test");
	free(s);
	s = query_text("SELECT due FROM actions WHERE incident_id = ?1 "
	    "AND n = 1", a);
	ck_assert_str_eq(s, "2024-02-15");
	free(s);
	s = query_text("SELECT key FROM actions WHERE incident_id = ?1 "
	    "AND n = 2", a);
	ck_assert_str_eq(s, "07b2e4");
	free(s);
	ck_assert_int_eq(query_int("SELECT due FROM actions WHERE "
	    "incident_id = ?1 AND n = 2", a), -1);
	ck_assert_int_eq(query_int("SELECT added_utc FROM actions WHERE "
	    "incident_id = ?1 AND n = 2", a), at("2024-02-01T10:05:00Z").t);
	ck_assert_int_eq(query_int("SELECT sum(done) FROM actions WHERE "
	    "incident_id = ?1", a), 0);
	s = query_text("SELECT actions_blob FROM incidents WHERE id = ?1", a);
	ck_assert_uint_eq(strlen(s), 40);
	free(s);
	ck_assert_uint_eq(sync_ok(), 0);

	/* A record appended: the actions change, the incident stays. */
	text = xasprintf("%s%s", actions_two,
	    "2024-02-03T08:00:00Z done 3f9a1c\n"
	    "2024-02-03T08:01:00Z add a1b2c3 Write the runbook\n");
	write_file(path, text);
	ck_assert_uint_eq(sync_ok(), 1);
	ck_assert_int_eq(count_actions(a), 3);
	ck_assert_int_eq(query_int("SELECT done FROM actions WHERE "
	    "incident_id = ?1 AND n = 1", a), 1);
	ck_assert_int_eq(query_int("SELECT done_utc FROM actions WHERE "
	    "incident_id = ?1 AND n = 1", a), at("2024-02-03T08:00:00Z").t);
	ck_assert_int_eq(count_rows(a), 1);

	/* Deleted: no actions left, the incident still listed. */
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_uint_eq(sync_ok(), 1);
	ck_assert_int_eq(count_actions(a), 0);
	ck_assert_int_eq(count_rows(a), 1);
	ck_assert_ptr_null(query_text("SELECT actions_blob FROM incidents "
	    "WHERE id = ?1", a));
	ck_assert_uint_eq(sync_ok(), 0);
	free(text);
	free(path);
	free(a);
}
END_TEST

START_TEST(broken_actions_txt_is_a_problem_incident_stays)
{
	char	*a, *b, *path, *s;

	a = make("Actions broken", "2024-02-01T09:00:00Z", 0);
	b = make("Bystander", "2024-02-02T09:00:00Z", 0);
	path = actions_path(a);
	write_file(path, actions_two);
	ck_assert_uint_eq(sync_ok(), 2);
	ck_assert_int_eq(count_actions(a), 2);

	write_file(path, "pmtool-actions 1\nthis is no record\n");
	sync_ok();
	ck_assert_uint_eq(index_nproblems(ix), 1);
	ck_assert_ptr_nonnull(strstr(index_problem(ix, 0), "actions.txt"));
	ck_assert_ptr_nonnull(strstr(index_problem(ix, 0), a));
	ck_assert_int_eq(count_rows(a), 1);
	ck_assert_int_eq(count_rows(b), 1);
	ck_assert_int_eq(count_actions(a), 0);
	s = listing();
	ck_assert_ptr_nonnull(strstr(s, "Actions broken"));
	free(s);
	/* Still broken: still reported. */
	sync_ok();
	ck_assert_uint_eq(index_nproblems(ix), 1);
	ck_assert_int_eq(count_rows(a), 1);
	/* Mended: the actions are back, the problem gone. */
	write_file(path, actions_two);
	sync_ok();
	ck_assert_uint_eq(index_nproblems(ix), 0);
	ck_assert_int_eq(count_actions(a), 2);
	free(path);
	free(a);
	free(b);
}
END_TEST

/* index_query() into "id id id" in its order. */
static int
collect_id(void *ctx, const struct index_row *r)
{
	struct buf	*b = ctx;

	buf_printf(b, "%s%s", b->len > 0 ? " " : "", r->id);
	return 0;
}

static char *
query_ids(const struct index_filter *f)
{
	struct buf	 b = BUF_INIT;

	ck_assert_msg(index_query(ix, f, collect_id, &b) == 0, "%s",
	    pm_error_last());
	return buf_detach(&b);
}

/* Check that filter f passes exactly want ("id id", in order). */
#define ck_query(f, want) do {					\
	char	*got_ = query_ids(f);					\
	ck_assert_str_eq(got_, want);					\
	free(got_);							\
} while (0)

static const struct spec q_db = {
	"Database failover", "2024-01-10T10:00:00Z", "SEV1",
	{ "db", "api", NULL }, "replica lag on the primary", 0
};
static const struct spec q_proxy = {
	"Proxy timeouts", "2024-02-01T00:00:00Z", "sev2",
	{ "dbproxy", NULL, NULL }, "foo-bar deployment rolled back", 1
};
static const struct spec q_pump = {
	"Ölpumpe ausgefallen", "2024-02-15T12:00:00Z", "SEV2",
	{ "Zahlungsdienst", NULL, NULL }, "naïve façade, Straße gesperrt", 0
};
static const struct spec q_empty = {
	"Nothing logged yet", NULL, NULL, { NULL, NULL, NULL }, NULL, 0
};

/* The four incidents above; their ids in the order of the index. */
static void
make_query_store(char **db, char **proxy, char **pump, char **empty)
{
	*db = make_spec(&q_db);
	*proxy = make_spec(&q_proxy);
	*pump = make_spec(&q_pump);
	*empty = make_spec(&q_empty);
	ck_assert_uint_eq(sync_ok(), 4);
	ck_assert_uint_eq(index_nproblems(ix), 0);
}

START_TEST(query_each_filter_alone)
{
	struct index_filter	 f;
	char			*db, *proxy, *pump, *empty, *want;

	make_query_store(&db, &proxy, &pump, &empty);
	/* No filter: index_each_incident()'s walk. */
	want = xasprintf("%s %s %s %s", pump, db, empty, proxy);
	ck_query(NULL, want);
	free(want);
	memset(&f, 0, sizeof f);
	want = xasprintf("%s %s %s %s", pump, db, empty, proxy);
	ck_query(&f, want);
	free(want);

	f.open_only = 1;
	want = xasprintf("%s %s %s", pump, db, empty);
	ck_query(&f, want);
	free(want);

	memset(&f, 0, sizeof f);
	f.severity = "sev1";
	ck_query(&f, db);
	f.severity = "SEV2";			/* "sev2" too: case ignored */
	want = xasprintf("%s %s", pump, proxy);
	ck_query(&f, want);
	free(want);
	f.severity = "SEV";
	ck_query(&f, "");

	memset(&f, 0, sizeof f);
	f.service = "db";			/* not "dbproxy" */
	ck_query(&f, db);
	f.service = "API";			/* the second of "db, api" */
	ck_query(&f, db);
	f.service = "dbproxy";
	ck_query(&f, proxy);
	f.service = "zahlungsdienst";
	ck_query(&f, pump);
	f.service = "proxy";			/* a substring is no service */
	ck_query(&f, "");
	f.service = "d";
	ck_query(&f, "");

	/* since is inclusive, until exclusive; no start passes neither. */
	memset(&f, 0, sizeof f);
	f.has_since = 1;
	f.since = at(q_proxy.start).t;
	want = xasprintf("%s %s", pump, proxy);
	ck_query(&f, want);
	free(want);
	f.since++;
	ck_query(&f, pump);
	memset(&f, 0, sizeof f);
	f.has_until = 1;
	f.until = at(q_proxy.start).t;
	ck_query(&f, db);
	f.until++;
	want = xasprintf("%s %s", db, proxy);
	ck_query(&f, want);
	free(want);
	f.until = 0;
	ck_query(&f, "");

	free(db);
	free(proxy);
	free(pump);
	free(empty);
}
END_TEST

START_TEST(query_search)
{
	struct index_filter	 f;
	char			*db, *proxy, *pump, *empty;

	make_query_store(&db, &proxy, &pump, &empty);
	memset(&f, 0, sizeof f);
	/* The full-text table is made by the first search, not before. */
	free(query_ids(&f));
	ck_assert_int_eq(query_int("SELECT count(*) FROM sqlite_master "
	    "WHERE name = 'search'", NULL), 0);
	f.search = "failover";			/* a title word */
	ck_query(&f, db);
	ck_assert_int_eq(query_int("SELECT count(*) FROM sqlite_master "
	    "WHERE name = 'search'", NULL), 1);
	f.search = "REPLICA primary";		/* event words, case ignored */
	ck_query(&f, db);
	f.search = "  replica\tlag\n";		/* blanks around and between */
	ck_query(&f, db);
	f.search = "replica proxy";	/* every word, in one incident */
	ck_query(&f, "");
	f.search = "timeouts rolled";	/* title and text together */
	ck_query(&f, proxy);
	f.search = "repl";			/* whole words only */
	ck_query(&f, "");
	/* Punctuation is no query syntax. */
	f.search = "foo-bar";
	ck_query(&f, proxy);
	f.search = "bar-foo";
	ck_query(&f, "");
	f.search = "\"";
	ck_query(&f, "");
	f.search = "foo\"";
	ck_query(&f, proxy);
	f.search = "\"deployment";
	ck_query(&f, proxy);
	f.search = "deployment AND OR NOT";	/* operators are words */
	ck_query(&f, "");
	f.search = "NEAR(foo bar)";
	ck_query(&f, "");
	f.search = "lag*";
	ck_query(&f, db);
	f.search = "title:failover";
	ck_query(&f, "");
	f.search = "façade,";
	ck_query(&f, pump);
	f.search = "";				/* no word matches nothing */
	ck_query(&f, "");
	/* Words beyond ASCII, with and without their diacritics. */
	f.search = "ölpumpe";
	ck_query(&f, pump);
	f.search = "OLPUMPE";
	ck_query(&f, pump);
	f.search = "naive facade";
	ck_query(&f, pump);
	f.search = "straße";
	ck_query(&f, pump);
	f.search = "ausgefall";
	ck_query(&f, "");

	free(db);
	free(proxy);
	free(pump);
	free(empty);
}
END_TEST

START_TEST(query_search_follows_edits)
{
	struct index_filter	 f;
	struct event		 ev;
	char			*a, *path;

	a = make_spec(&q_db);
	ck_assert_uint_eq(sync_ok(), 1);
	memset(&f, 0, sizeof f);
	f.search = "postgres";
	ck_query(&f, "");
	memset(&ev, 0, sizeof ev);
	ev.at = at("2024-01-10T11:00:00Z");
	ev.kind = EV_ACTION;
	ev.text = "restarted postgres";
	ck_assert_msg(store_append(st, a, &ev) == 0, "%s", pm_error_last());
	ck_assert_uint_eq(sync_ok(), 1);
	ck_query(&f, a);
	f.search = "replica";
	ck_query(&f, a);
	/* Gone from the store, gone from the search. */
	path = timeline_path(a);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_uint_eq(sync_ok(), 1);
	ck_query(&f, "");
	ck_assert_int_eq(query_int("SELECT count(*) FROM search", NULL), 0);
	free(path);
	free(a);
}
END_TEST

START_TEST(query_filters_combined)
{
	struct index_filter	 f;
	char			*db, *proxy, *pump, *empty;

	make_query_store(&db, &proxy, &pump, &empty);
	memset(&f, 0, sizeof f);
	f.open_only = 1;
	f.service = "api";
	ck_query(&f, db);
	f.service = "dbproxy";			/* resolved */
	ck_query(&f, "");

	memset(&f, 0, sizeof f);
	f.severity = "sev2";
	f.has_since = 1;
	f.since = at("2024-02-10T00:00:00Z").t;
	ck_query(&f, pump);
	f.open_only = 1;
	ck_query(&f, pump);
	f.search = "foo-bar";
	ck_query(&f, "");

	memset(&f, 0, sizeof f);
	f.severity = "SEV2";
	f.search = "foo-bar";
	ck_query(&f, proxy);

	/* All of them at once. */
	memset(&f, 0, sizeof f);
	f.open_only = 1;
	f.severity = "sev1";
	f.service = "DB";
	f.has_since = 1;
	f.since = at("2024-01-10T10:00:00Z").t;
	f.has_until = 1;
	f.until = at("2024-01-11T00:00:00Z").t;
	f.search = "lag";
	ck_query(&f, db);
	f.severity = "SEV2";
	ck_query(&f, "");
	free(db);
	free(proxy);
	free(pump);
	free(empty);
}
END_TEST

/* index_each_in_period() into lines of what the tests check. */
static int
collect_period(void *ctx, const struct index_period_row *r)
{
	buf_printf(ctx, "%s %s %s [%s] %s %lld %d %d %d %zu %s%lld %lld "
	    "%lld %lld\n", r->id, r->severity, r->zone, r->services,
	    r->state_open ? "open" : "resolved", (long long)r->start_utc,
	    r->has_started, r->has_detected, r->has_resolved, r->nevents,
	    r->has[M_DETECT] ? "" : "-", (long long)r->value[M_DETECT],
	    (long long)r->status_updates, (long long)r->open_actions,
	    (long long)r->overdue_actions);
	return 0;
}

static char *
period_lines(int64_t from, int64_t to, const char *today)
{
	struct buf	 b = BUF_INIT;

	ck_assert_msg(index_each_in_period(ix, from, to, today, collect_period,
	    &b) == 0, "%s", pm_error_last());
	return buf_detach(&b);
}

/*
 * Incidents at the very start of Q1 2024, inside it, at the very start of
 * Q2 and with no start; the first with four actions: open and overdue on
 * 2024-03-01, open due that very day, open with no due date, done and
 * long overdue.
 */
static void
make_period_store(char **first, char **inside, char **next, char **empty)
{
	static const struct spec s_first = {
		"First second of the quarter", "2024-01-01T00:00:00Z", "SEV1",
		{ "api", "db", NULL }, "", 1
	};
	static const struct spec s_inside = {
		"Inside", "2024-02-10T08:00:00Z", "", { NULL, NULL, NULL },
		"", 0
	};
	static const struct spec s_next = {
		"First second of the next", "2024-04-01T00:00:00Z", "SEV3",
		{ NULL, NULL, NULL }, "", 0
	};
	char	*path;

	*first = make_spec(&s_first);
	*inside = make_spec(&s_inside);
	*next = make_spec(&s_next);
	*empty = make_spec(&q_empty);
	path = actions_path(*first);
	write_file(path,
	    "pmtool-actions 1\n"
	    "2024-01-02T10:00:00Z add 000001 Overdue on March 1st\n"
	    "2024-01-02T10:00:00Z due 000001 2024-02-29\n"
	    "2024-01-02T10:00:00Z add 000002 Due on March 1st\n"
	    "2024-01-02T10:00:00Z due 000002 2024-03-01\n"
	    "2024-01-02T10:00:00Z add 000003 No due date\n"
	    "2024-01-02T10:00:00Z add 000004 Done, long past due\n"
	    "2024-01-02T10:00:00Z due 000004 2024-01-03\n"
	    "2024-01-05T10:00:00Z done 000004\n");
	free(path);
	ck_assert_uint_eq(sync_ok(), 4);
	ck_assert_uint_eq(index_nproblems(ix), 0);
}

START_TEST(each_in_period_bounds_and_actions)
{
	int64_t	 from, to;
	char	*first, *inside, *next, *empty, *s, *want;

	make_period_store(&first, &inside, &next, &empty);
	from = at("2024-01-01T00:00:00Z").t;
	to = at("2024-04-01T00:00:00Z").t;
	s = period_lines(from, to, "2024-03-01");
	want = xasprintf(
	    "%s SEV1 UTC [api, db] resolved %lld 1 1 0 4 60 1 3 1\n"
	    "%s  UTC [] open %lld 1 1 0 3 60 0 0 0\n",
	    first, (long long)from, inside,
	    (long long)at("2024-02-10T08:00:00Z").t);
	ck_assert_str_eq(s, want);
	free(want);
	free(s);
	/* A day later the action due on March 1st is overdue too. */
	s = period_lines(from, to, "2024-03-02");
	ck_assert_ptr_nonnull(strstr(s, " 1 3 2\n"));
	free(s);
	/* The next quarter begins with the incident at its first second. */
	s = period_lines(to, at("2024-07-01T00:00:00Z").t, "2024-03-01");
	want = xasprintf("%s SEV3 UTC [] open %lld 1 1 0 3 60 0 0 0\n", next,
	    (long long)to);
	ck_assert_str_eq(s, want);
	free(want);
	free(s);
	/* One second short of it: nothing; an empty span: nothing. */
	s = period_lines(from + 1, to, "2024-03-01");
	ck_assert_ptr_null(strstr(s, first));
	ck_assert_ptr_nonnull(strstr(s, inside));
	free(s);
	s = period_lines(from, from, "2024-03-01");
	ck_assert_str_eq(s, "");
	free(s);
	free(first);
	free(inside);
	free(next);
	free(empty);
}
END_TEST

START_TEST(export_sqlite_holds_the_period_only)
{
	int64_t	 from, to;
	char	*first, *inside, *next, *empty, *out, *s;

	make_period_store(&first, &inside, &next, &empty);
	from = at("2024-01-01T00:00:00Z").t;
	to = at("2024-04-01T00:00:00Z").t;
	out = xasprintf("%s/export.sqlite", tmpdir);
	ck_assert_msg(index_export_sqlite(ix, out, from, to) == 0, "%s",
	    pm_error_last());
	s = query_text_in(out, "SELECT group_concat(name, ' ') FROM "
	    "(SELECT name FROM sqlite_master WHERE type = 'table' "
	    "ORDER BY name)", NULL);
	ck_assert_str_eq(s, "actions events incidents metrics");
	free(s);
	s = query_text_in(out, "SELECT group_concat(id, ' ') FROM "
	    "(SELECT id FROM incidents ORDER BY start_utc)", NULL);
	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_nonnull(strstr(s, first));
	ck_assert_ptr_nonnull(strstr(s, inside));
	ck_assert_ptr_null(strstr(s, next));
	ck_assert_ptr_null(strstr(s, empty));
	free(s);
	ck_assert_int_eq(query_int_in(out, "SELECT count(*) FROM incidents",
	    NULL), 2);
	/* 4 events of the first, 3 of the other. */
	ck_assert_int_eq(query_int_in(out, "SELECT count(*) FROM events",
	    NULL), 7);
	ck_assert_int_eq(query_int_in(out, "SELECT count(*) FROM events "
	    "WHERE incident_id NOT IN (SELECT id FROM incidents)", NULL), 0);
	ck_assert_int_eq(query_int_in(out, "SELECT count(*) FROM metrics",
	    NULL), 2 * (M__COUNT + 1));
	ck_assert_int_eq(query_int_in(out, "SELECT count(*) FROM actions "
	    "WHERE incident_id = ?1", first), 4);
	ck_assert_int_eq(query_int_in(out, "SELECT count(*) FROM actions",
	    NULL), 4);
	ck_assert_int_eq(query_int_in(out, "SELECT seconds FROM metrics "
	    "WHERE incident_id = ?1 AND key = 'time_to_detect_s'", first), 60);
	ck_assert_int_eq(query_int_in(out, "SELECT detected_utc FROM incidents "
	    "WHERE id = ?1", first), from + 60);
	/* A status "resolved" resolves it, but is no resolved event. */
	ck_assert_int_eq(query_int_in(out, "SELECT resolved_utc FROM incidents "
	    "WHERE id = ?1", first), -1);
	s = query_text_in(out, "SELECT state FROM incidents WHERE id = ?1",
	    first);
	ck_assert_str_eq(s, "resolved");
	free(s);
	/* The copy is the period's, not the cache: no search, no stat. */
	ck_assert_int_eq(query_int_in(out, "SELECT count(*) FROM sqlite_master "
	    "WHERE name = 'search'", NULL), 0);

	/* Writing over it fails, and leaves the index usable. */
	ck_assert_int_eq(index_export_sqlite(ix, out, from, to), -1);
	ck_assert_ptr_nonnull(strstr(pm_error_last(), "export.sqlite"));
	ck_assert_uint_eq(sync_ok(), 0);
	ck_assert_int_eq(query_int_in(out, "SELECT count(*) FROM incidents",
	    NULL), 2);
	s = listing();
	ck_assert_ptr_nonnull(strstr(s, next));
	free(s);
	free(out);
	free(first);
	free(inside);
	free(next);
	free(empty);
}
END_TEST

Suite *
index_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("index");
	tc = tcase_create("sync");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, sync_builds_rows_matching_store_load);
	tcase_add_test(tc, append_rereads_only_that_incident);
	tcase_add_test(tc, hand_edit_is_picked_up);
	tcase_add_test(tc, old_stat_takes_the_fast_path);
	tcase_add_test(tc, deleted_incident_disappears);
	tcase_add_test(tc, corrupt_db_is_rebuilt);
	tcase_add_test(tc, older_or_unknown_version_is_rebuilt);
	tcase_add_test(tc, unreadable_timeline_is_reported_and_skipped);
	tcase_add_test(tc, many_incidents_load_in_parallel);
	tcase_add_test(tc, each_incident_orders_open_then_latest_start);
	tcase_add_test(tc, each_incident_stops_when_told);
	tcase_add_test(tc, open_reports_real_io_errors);
	tcase_add_test(tc, actions_rows_follow_actions_txt);
	tcase_add_test(tc, broken_actions_txt_is_a_problem_incident_stays);
	suite_add_tcase(s, tc);
	tc = tcase_create("query");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, query_each_filter_alone);
	tcase_add_test(tc, query_search);
	tcase_add_test(tc, query_search_follows_edits);
	tcase_add_test(tc, query_filters_combined);
	tcase_add_test(tc, each_in_period_bounds_and_actions);
	tcase_add_test(tc, export_sqlite_holds_the_period_only);
	suite_add_tcase(s, tc);
	return s;
}
