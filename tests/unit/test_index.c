/* test_index.c - the sqlite3 index of a real temporary store. */
#include <sys/stat.h>

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

/* One integer from the db (a constant query with one text parameter);
 * -1 for NULL. */
static int64_t
query_int(const char *sql, const char *param)
{
	sqlite3		*db;
	sqlite3_stmt	*stmt = NULL;
	int64_t		 v = -2;

	ck_assert_int_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY,
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

/* One text from the db, as a new string (NULL when none). */
static char *
query_text(const char *sql, const char *param)
{
	sqlite3		*db;
	sqlite3_stmt	*stmt = NULL;
	char		*v = NULL;

	ck_assert_int_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY,
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
	    "WHERE incident_id = ?1", b), (int64_t)inc->nevents);
	ev = &inc->events[1];
	s = query_text("SELECT text FROM events WHERE incident_id = ?1 "
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
	    "WHERE incident_id = ?1", a), 4);
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
	ck_assert_int_eq(query_int("SELECT count(*) FROM events "
	    "WHERE incident_id = ?1", b), 0);
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
	tcase_add_test(tc, each_incident_orders_open_then_latest_start);
	tcase_add_test(tc, each_incident_stops_when_told);
	tcase_add_test(tc, open_reports_real_io_errors);
	suite_add_tcase(s, tc);
	return s;
}
