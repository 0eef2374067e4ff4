/*
 * test_import_json.c - the JSON importers: Statuspage incidents and
 * PagerDuty log entries (formats/import-statuspage.md), on the files in
 * tests/fixtures/import/ and on small inputs written here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "error.h"
#include "import.h"
#include "testutil.h"
#include "xmalloc.h"

Suite *import_json_suite(void);

typedef int (*importer)(struct import_set *, const char *, const char *,
    size_t);

static void
load_file(struct import_set *set, importer fn, const char *file)
{
	char	*path, *buf;
	size_t	 len;

	path = xasprintf("%s/tests/fixtures/import/%s", test_top(), file);
	buf = test_read_file(path, &len);
	ck_assert_msg(fn(set, file, buf, len) == 0, "%s", pm_error_last());
	free(buf);
	free(path);
}

static void
load_str(struct import_set *set, importer fn, const char *json)
{
	ck_assert_msg(fn(set, "in.json", json, strlen(json)) == 0, "%s\n%s",
	    pm_error_last(), json);
}

/* fn fails on json with exactly want, and leaves a set alone. */
static void
load_err(importer fn, const char *json, const char *want)
{
	struct import_set	 set = { NULL, 0 };

	ck_assert_msg(fn(&set, "in.json", json, strlen(json)) == -1,
	    "no error for %s", json);
	ck_assert_msg(strcmp(pm_error_last(), want) == 0,
	    "\n got: %s\nwant: %s", pm_error_last(), want);
	ck_assert_ptr_null(set.v);
	ck_assert_uint_eq(set.n, 0);
}

static const char *
at(const struct import_event *e)
{
	static char	 buf[TSTAMP_RFC3339_MAX];

	tstamp_format_rfc3339(buf, e->ev.at);
	return buf;
}

/* Check one event: time as written, kind, state (ST_NONE for other
 * kinds), source id, text (NULL: not checked). */
static void
check_event(const struct import_event *e, const char *time,
    enum event_kind kind, enum status_state state, const char *sid,
    const char *text)
{
	ck_assert_str_eq(at(e), time);
	ck_assert_str_eq(event_kind_name(e->ev.kind), event_kind_name(kind));
	ck_assert_int_eq(e->ev.state, state);
	ck_assert_str_eq(e->source_id, sid);
	if (text != NULL)
		ck_assert_str_eq(e->ev.text, text);
}

static void
check_services(const struct import_incident *inc, const char *a,
    const char *b)
{
	ck_assert_uint_eq(inc->nservices, b != NULL ? 2 : a != NULL ? 1 : 0);
	if (a != NULL)
		ck_assert_str_eq(inc->services[0], a);
	if (b != NULL)
		ck_assert_str_eq(inc->services[1], b);
}

/* One incident with the given updates, as the manage API returns it. */
static char *
one_incident(const char *extra, const char *updates)
{
	return xasprintf("{\"id\": \"inc1\", \"name\": \"Test\"%s%s, "
	    "\"incident_updates\": [%s]}", *extra != '\0' ? ", " : "", extra,
	    updates);
}

#define UPD(id, status, time)						\
	"{\"id\": \"" id "\", \"status\": \"" status "\", "		\
	"\"body\": \"b " id "\", \"created_at\": \"" time "\"}"

/* --- Statuspage ------------------------------------------------------- */

START_TEST(sp_reads_incidents_file)
{
	struct import_set	 set = { NULL, 0 };
	struct import_incident	*inc;

	load_file(&set, import_statuspage, "sp-incidents.json");
	ck_assert_uint_eq(set.n, 3);

	/* In the order of the file, newest first. */
	inc = &set.v[0];
	ck_assert_str_eq(inc->source_id, "statuspage:incident:w8n4t6r2p0cd");
	ck_assert_str_eq(inc->title, "Delayed webhook deliveries");
	ck_assert_str_eq(inc->severity, "SEV3");
	ck_assert_str_eq(inc->zone, "Europe/Berlin");
	ck_assert_uint_eq(inc->nevents, 3);

	inc = &set.v[1];
	ck_assert_str_eq(inc->source_id, "statuspage:incident:k3v9q2m7x1ab");
	ck_assert_str_eq(inc->title, "Card payments failing");
	ck_assert_str_eq(inc->severity, "SEV1");
	ck_assert_str_eq(inc->zone, "Europe/Berlin");
	ck_assert_uint_eq(inc->nevents, 5);

	inc = &set.v[2];
	ck_assert_str_eq(inc->source_id, "statuspage:incident:m5d1b8s0h4ef");
	ck_assert_str_eq(inc->title, "Database upgrade");
	ck_assert_str_eq(inc->severity, "maintenance");
	ck_assert_uint_eq(inc->nevents, 4);
	import_set_free(&set);
}
END_TEST

START_TEST(sp_events_oldest_first_with_states)
{
	struct import_set	 set = { NULL, 0 };
	struct import_event	*e;
	size_t			 i;

	load_file(&set, import_statuspage, "sp-incidents.json");
	e = set.v[1].events;
	check_event(&e[0], "2023-03-25T23:31:07Z", EV_STATUS, ST_INVESTIGATING,
	    "statuspage:update:ku1invst0001", "Card payments fail for most "
	    "customers. We are investigating.");
	check_event(&e[1], "2023-03-26T01:40:00+01:00", EV_STATUS,
	    ST_IDENTIFIED, "statuspage:update:ku2ident0002",
	    "The 01:10 deploy of the card gateway is at fault.");
	check_event(&e[2], "2023-03-26T01:55:12+01:00", EV_STATUS, ST_UPDATE,
	    "statuspage:update:ku3ident0003", NULL);
	check_event(&e[3], "2023-03-26T03:10:00+02:00", EV_STATUS,
	    ST_MONITORING, "statuspage:update:ku4monit0004", NULL);
	check_event(&e[4], "2023-03-26T04:00:00+02:00", EV_STATUS, ST_RESOLVED,
	    "statuspage:update:ku5resolv005",
	    "This incident has been resolved.");
	for (i = 0; i < set.v[1].nevents; i++) {
		ck_assert_uint_eq(e[i].ev.seq, i);
		if (i > 0)
			ck_assert(e[i - 1].ev.at.t <= e[i].ev.at.t);
	}
	import_set_free(&set);
}
END_TEST

START_TEST(sp_dst_offsets_kept_as_written)
{
	struct import_set	 set = { NULL, 0 };
	struct import_event	*e;

	load_file(&set, import_statuspage, "sp-incidents.json");
	e = set.v[1].events;
	/* Berlin springs forward at 01:00Z: 01:40 CET to 03:10 CEST is 30
	 * minutes, each stamp keeping the offset it was written with. */
	ck_assert_int_eq(e[1].ev.at.off, 3600);
	ck_assert_int_eq(e[3].ev.at.off, 7200);
	ck_assert_int_eq(e[3].ev.at.t - e[1].ev.at.t, 30 * 60);
	/* "Z" stays Z, not +00:00; milliseconds are dropped. */
	ck_assert(e[0].ev.at.zulu);
	ck_assert_int_eq(e[0].ev.at.off, 0);
	ck_assert_int_eq(e[0].ev.at.t, 1679787067);
	import_set_free(&set);

	/* Berlin falls back at 01:00Z: 02:50 CEST comes before 02:20 CET. */
	load_file(&set, import_statuspage, "sp-incident.json");
	e = set.v[0].events;
	check_event(&e[0], "2022-10-30T02:50:00+02:00", EV_STATUS,
	    ST_INVESTIGATING, "statuspage:update:ru1invst0001", NULL);
	check_event(&e[1], "2022-10-30T02:20:00+01:00", EV_STATUS, ST_RESOLVED,
	    "statuspage:update:ru2resol0002", NULL);
	ck_assert_int_eq(e[1].ev.at.t - e[0].ev.at.t, 30 * 60);
	import_set_free(&set);
}
END_TEST

START_TEST(sp_repeated_state_is_update)
{
	struct import_set	 set = { NULL, 0 };
	struct import_event	*e;
	char			*json;

	load_file(&set, import_statuspage, "sp-incidents.json");
	e = set.v[0].events;
	ck_assert_int_eq(e[0].ev.state, ST_INVESTIGATING);
	ck_assert_int_eq(e[1].ev.state, ST_UPDATE);
	ck_assert_int_eq(e[2].ev.state, ST_MONITORING);
	import_set_free(&set);

	/* Decided in time order, not in the order of the list: the list
	 * here is shuffled. A postmortem is an update with its body; a state
	 * after a change of state is a state again. */
	json = one_incident("", UPD("u4", "investigating",
	    "2023-05-01T10:30:00Z") ", " UPD("u1", "investigating",
	    "2023-05-01T10:00:00Z") ", " UPD("u6", "postmortem",
	    "2023-05-02T09:00:00Z") ", " UPD("u2", "investigating",
	    "2023-05-01T10:10:00Z") ", " UPD("u5", "resolved",
	    "2023-05-01T11:00:00Z") ", " UPD("u3", "identified",
	    "2023-05-01T10:20:00Z"));
	load_str(&set, import_statuspage, json);
	e = set.v[0].events;
	ck_assert_uint_eq(set.v[0].nevents, 6);
	check_event(&e[0], "2023-05-01T10:00:00Z", EV_STATUS, ST_INVESTIGATING,
	    "statuspage:update:u1", "b u1");
	check_event(&e[1], "2023-05-01T10:10:00Z", EV_STATUS, ST_UPDATE,
	    "statuspage:update:u2", "b u2");
	check_event(&e[2], "2023-05-01T10:20:00Z", EV_STATUS, ST_IDENTIFIED,
	    "statuspage:update:u3", "b u3");
	check_event(&e[3], "2023-05-01T10:30:00Z", EV_STATUS, ST_INVESTIGATING,
	    "statuspage:update:u4", "b u4");
	check_event(&e[4], "2023-05-01T11:00:00Z", EV_STATUS, ST_RESOLVED,
	    "statuspage:update:u5", "b u5");
	check_event(&e[5], "2023-05-02T09:00:00Z", EV_STATUS, ST_UPDATE,
	    "statuspage:update:u6", "b u6");
	import_set_free(&set);
	free(json);
}
END_TEST

START_TEST(sp_display_at_before_created_at)
{
	struct import_set	 set = { NULL, 0 };
	char			*json;

	/* display_at (edited to 04:00) wins over created_at (04:02:55);
	 * display_at null falls back to created_at. */
	load_file(&set, import_statuspage, "sp-incidents.json");
	ck_assert_str_eq(at(&set.v[1].events[4]), "2023-03-26T04:00:00+02:00");
	ck_assert_str_eq(at(&set.v[1].events[3]), "2023-03-26T03:10:00+02:00");
	import_set_free(&set);

	json = one_incident("", "{\"id\": \"u1\", \"status\": \"resolved\", "
	    "\"created_at\": \"2023-05-01T10:00:00.999999-07:00\", "
	    "\"display_at\": \"2023-05-01T09:45:00-07:00\"}");
	load_str(&set, import_statuspage, json);
	ck_assert_str_eq(at(&set.v[0].events[0]), "2023-05-01T09:45:00-07:00");
	ck_assert_str_eq(set.v[0].events[0].ev.text, "");
	import_set_free(&set);
	free(json);
}
END_TEST

START_TEST(sp_same_second_keeps_time_order)
{
	struct import_set	 set = { NULL, 0 };
	char			*json;

	/* Times keep no fraction, so these two tie; the list runs newest
	 * first, so the later entry of the list is the older update. */
	json = one_incident("", UPD("new", "monitoring",
	    "2023-05-01T10:00:00.900Z") ", " UPD("old", "identified",
	    "2023-05-01T10:00:00.100Z"));
	load_str(&set, import_statuspage, json);
	ck_assert_str_eq(set.v[0].events[0].source_id,
	    "statuspage:update:old");
	ck_assert_str_eq(set.v[0].events[1].source_id,
	    "statuspage:update:new");
	ck_assert_int_eq(set.v[0].events[1].ev.state, ST_MONITORING);
	import_set_free(&set);
	free(json);
}
END_TEST

START_TEST(sp_maintenance_states)
{
	struct import_set	 set = { NULL, 0 };
	struct import_event	*e;

	load_file(&set, import_statuspage, "sp-incidents.json");
	e = set.v[2].events;
	check_event(&e[0], "2023-01-10T18:00:00+01:00", EV_STATUS,
	    ST_INVESTIGATING, "statuspage:update:mu1sched0001", NULL);
	check_event(&e[1], "2023-01-17T22:00:00+01:00", EV_STATUS,
	    ST_IDENTIFIED, "statuspage:update:mu2inprog002", NULL);
	check_event(&e[2], "2023-01-17T23:15:00+01:00", EV_STATUS,
	    ST_MONITORING, "statuspage:update:mu3verify003", NULL);
	check_event(&e[3], "2023-01-17T23:41:00+01:00", EV_STATUS, ST_RESOLVED,
	    "statuspage:update:mu4complt004", NULL);
	check_services(&set.v[2], "Database", NULL);
	import_set_free(&set);
}
END_TEST

START_TEST(sp_unknown_status_is_an_update)
{
	struct import_set	 set = { NULL, 0 };
	char			*json;

	json = one_incident("", UPD("u1", "investigating",
	    "2023-05-01T10:00:00Z") ", " UPD("u2", "some_new_status",
	    "2023-05-01T10:05:00Z"));
	load_str(&set, import_statuspage, json);
	ck_assert_int_eq(set.v[0].events[0].ev.state, ST_INVESTIGATING);
	ck_assert_int_eq(set.v[0].events[1].ev.state, ST_UPDATE);
	import_set_free(&set);
	free(json);
}
END_TEST

START_TEST(sp_severity_mapping)
{
	static const struct {
		const char	*impact;	/* JSON text of the value */
		const char	*severity;
	} cases[] = {
		{ "\"critical\"",    "SEV1" },
		{ "\"major\"",	     "SEV2" },
		{ "\"minor\"",	     "SEV3" },
		{ "\"none\"",	     "SEV4" },
		{ "\"maintenance\"", "maintenance" },
		{ "null",	     "" },
		{ NULL,		     "" },
		{ "\"Critical\"",    "" },
		{ "\"catastrophic\"", "" },
	};
	struct import_set	 set = { NULL, 0 };
	char			*json, *extra;
	size_t			 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		extra = cases[i].impact != NULL ? xasprintf("\"impact\": %s",
		    cases[i].impact) : xstrdup("");
		json = one_incident(extra, "");
		load_str(&set, import_statuspage, json);
		ck_assert_msg(strcmp(set.v[0].severity, cases[i].severity) ==
		    0, "%s: %s", json, set.v[0].severity);
		import_set_free(&set);
		free(json);
		free(extra);
	}
}
END_TEST

START_TEST(sp_body_cleaned)
{
	struct import_set	 set = { NULL, 0 };
	char			*json;

	/* <br /> becomes a line break; Markdown and HTML stay text, to be
	 * escaped where they are rendered. */
	load_file(&set, import_statuspage, "sp-incidents.json");
	ck_assert_str_eq(set.v[1].events[2].ev.text, "Rollback in progress."
	    "\n\n| pipes | stay |\n# heading stays text\n"
	    "<script>alert(1)</script>");
	/* CRLF in JSON text is one line break. */
	ck_assert_str_eq(set.v[0].events[2].ev.text,
	    "Deliveries are back to normal.\nWe keep watching the queue.");
	import_set_free(&set);

	/* Control characters (C0 and C1) become spaces, TAB stays; any
	 * spelling of <br> breaks; trailing blanks and lines go. */
	json = one_incident("", "{\"id\": \"u1\", \"status\": \"resolved\", "
	    "\"created_at\": \"2023-05-01T10:00:00Z\", \"body\": "
	    "\"  a\\u0007b\\u001b[31mc\\u0085d\\te<BR>f<br/>g<br>h  "
	    "<br /><br />\"}");
	load_str(&set, import_statuspage, json);
	ck_assert_str_eq(set.v[0].events[0].ev.text,
	    "a b [31mc d\te\nf\ng\nh");
	import_set_free(&set);
	free(json);
}
END_TEST

START_TEST(sp_services)
{
	struct import_set	 set = { NULL, 0 };
	char			*json;

	load_file(&set, import_statuspage, "sp-incidents.json");
	/* Components in order, once each; the updates' affected components
	 * are not used when the incident has components. */
	check_services(&set.v[1], "Card API", "Checkout");
	/* Empty components: the updates' affected components, oldest
	 * update first. */
	check_services(&set.v[0], "Webhooks", "Notifications");
	import_set_free(&set);

	/* Names are cleaned to one line; nameless components are skipped. */
	json = one_incident("\"components\": [{\"name\": \" Edge\\n  "
	    "proxy \"}, {\"id\": \"c2\"}, {\"name\": null}, {\"name\": "
	    "\"\"}]", "");
	load_str(&set, import_statuspage, json);
	check_services(&set.v[0], "Edge proxy", NULL);
	import_set_free(&set);
	free(json);

	json = one_incident("", UPD("u1", "resolved", "2023-05-01T10:00:00Z"));
	load_str(&set, import_statuspage, json);
	check_services(&set.v[0], NULL, NULL);
	import_set_free(&set);
	free(json);
}
END_TEST

START_TEST(sp_webhook)
{
	struct import_set	 set = { NULL, 0 };
	struct import_incident	*inc;

	/* The webhook's page has no time_zone: UTC. */
	load_file(&set, import_statuspage, "sp-webhook.json");
	ck_assert_uint_eq(set.n, 1);
	inc = &set.v[0];
	ck_assert_str_eq(inc->source_id, "statuspage:incident:h2g7f5e3d1cb");
	ck_assert_str_eq(inc->title, "Login failures");
	ck_assert_str_eq(inc->severity, "SEV2");
	ck_assert_str_eq(inc->zone, "UTC");
	check_services(inc, "Login", NULL);
	ck_assert_uint_eq(inc->nevents, 2);
	check_event(&inc->events[0], "2024-02-06T14:02:50Z", EV_STATUS,
	    ST_INVESTIGATING, "statuspage:update:hu1invst0001",
	    "Some users cannot log in. We are investigating.");
	check_event(&inc->events[1], "2024-02-06T14:21:40Z", EV_STATUS,
	    ST_IDENTIFIED, "statuspage:update:hu2ident0002", NULL);
	import_set_free(&set);
}
END_TEST

START_TEST(sp_other_shapes)
{
	struct import_set	 set = { NULL, 0 };
	struct import_incident	*inc;
	char			*one, *json;

	/* A bare incident: no page, so UTC; components null. */
	load_file(&set, import_statuspage, "sp-incident.json");
	ck_assert_uint_eq(set.n, 1);
	inc = &set.v[0];
	ck_assert_str_eq(inc->source_id, "statuspage:incident:r7q5p3n1l9kj");
	ck_assert_str_eq(inc->title, "Slow dashboard loads");
	ck_assert_str_eq(inc->severity, "SEV4");
	ck_assert_str_eq(inc->zone, "UTC");
	check_services(inc, "Dashboard", NULL);
	import_set_free(&set);

	one = one_incident("", UPD("u1", "resolved", "2023-05-01T10:00:00Z"));
	/* {"incident": {...}} */
	json = xasprintf("{\"incident\": %s}", one);
	load_str(&set, import_statuspage, json);
	ck_assert_uint_eq(set.n, 1);
	ck_assert_str_eq(set.v[0].source_id, "statuspage:incident:inc1");
	free(json);
	/* A bare array; each call adds after what the set has. */
	json = xasprintf("[%s, {\"id\": \"inc2\", \"name\": \"Two\"}]", one);
	load_str(&set, import_statuspage, json);
	ck_assert_uint_eq(set.n, 3);
	ck_assert_str_eq(set.v[1].source_id, "statuspage:incident:inc1");
	ck_assert_str_eq(set.v[2].source_id, "statuspage:incident:inc2");
	ck_assert_uint_eq(set.v[2].nevents, 0);
	import_set_free(&set);
	free(json);
	/* unresolved.json and summary.json: the page's zone applies. */
	json = xasprintf("{\"page\": {\"id\": \"p\", \"time_zone\": "
	    "\"America/Chicago\"}, \"status\": {\"indicator\": \"minor\"}, "
	    "\"components\": [], \"incidents\": [%s], "
	    "\"scheduled_maintenances\": [{\"id\": \"m1\", \"name\": \"M\", "
	    "\"impact\": \"maintenance\"}]}", one);
	load_str(&set, import_statuspage, json);
	ck_assert_uint_eq(set.n, 2);
	ck_assert_str_eq(set.v[0].zone, "America/Chicago");
	ck_assert_str_eq(set.v[1].source_id, "statuspage:incident:m1");
	ck_assert_str_eq(set.v[1].severity, "maintenance");
	ck_assert_str_eq(set.v[1].zone, "America/Chicago");
	import_set_free(&set);
	free(json);
	free(one);
}
END_TEST

START_TEST(sp_zone_from_page)
{
	static const struct {
		const char	*page;
		const char	*zone;
	} cases[] = {
		{ "{\"time_zone\": \"Etc/UTC\"}",	    "Etc/UTC" },
		{ "{\"time_zone\": \"Europe/Berlin\"}",	    "Europe/Berlin" },
		{ "{\"time_zone\": \"Mars/Olympus_Mons\"}", "UTC" },
		{ "{\"time_zone\": \"../../etc/passwd\"}",  "UTC" },
		{ "{\"time_zone\": \"\"}",		    "UTC" },
		{ "{\"time_zone\": null}",		    "UTC" },
		{ "{}",					    "UTC" },
		{ "null",				    "UTC" },
	};
	struct import_set	 set = { NULL, 0 };
	char			*json;
	size_t			 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json = xasprintf("{\"page\": %s, \"incidents\": [{\"id\": "
		    "\"a\", \"name\": \"A\"}]}", cases[i].page);
		load_str(&set, import_statuspage, json);
		ck_assert_str_eq(set.v[0].zone, cases[i].zone);
		import_set_free(&set);
		free(json);
	}
}
END_TEST

START_TEST(sp_unknown_keys_and_nulls_ignored)
{
	struct import_set	 set = { NULL, 0 };
	char			*json;

	json = xasprintf("{\"page\": {\"time_zone\": \"UTC\", \"new\": [1]}, "
	    "\"generated_by\": {\"x\": [true, 1.5]}, \"incidents\": [{\"id\": "
	    "\"a\", \"name\": \"A\", \"impact\": null, \"components\": null, "
	    "\"status\": null, \"shortlink\": 7, \"reminder_intervals\": "
	    "[3, 6], \"incident_updates\": [{\"id\": \"u1\", \"status\": "
	    "\"resolved\", \"body\": null, \"display_at\": null, "
	    "\"created_at\": \"2023-05-01T10:00:00Z\", "
	    "\"affected_components\": null, \"custom_tweet\": {\"t\": 1}, "
	    "\"future\": null}]}]}");
	load_str(&set, import_statuspage, json);
	ck_assert_uint_eq(set.n, 1);
	ck_assert_str_eq(set.v[0].severity, "");
	ck_assert_uint_eq(set.v[0].nservices, 0);
	check_event(&set.v[0].events[0], "2023-05-01T10:00:00Z", EV_STATUS,
	    ST_RESOLVED, "statuspage:update:u1", "");
	import_set_free(&set);
	free(json);
}
END_TEST

START_TEST(sp_newer_export_adds_two_updates)
{
	struct import_set	 old = { NULL, 0 }, cur = { NULL, 0 };
	struct import_event	*a, *b;
	size_t			 i, j, k, found;

	load_file(&old, import_statuspage, "sp-incidents.json");
	load_file(&cur, import_statuspage, "sp-incidents-newer.json");
	ck_assert_uint_eq(old.n, cur.n);
	for (found = 0, i = 0; i < old.n; i++) {
		ck_assert_str_eq(old.v[i].source_id, cur.v[i].source_id);
		/* Every old event is in the newer export, unchanged. */
		for (j = 0; j < old.v[i].nevents; j++) {
			a = &old.v[i].events[j];
			for (b = NULL, k = 0; k < cur.v[i].nevents; k++)
				if (strcmp(cur.v[i].events[k].source_id,
				    a->source_id) == 0)
					b = &cur.v[i].events[k];
			ck_assert_ptr_nonnull(b);
			ck_assert_int_eq(a->ev.at.t, b->ev.at.t);
			ck_assert_int_eq(a->ev.at.off, b->ev.at.off);
			ck_assert_int_eq(a->ev.state, b->ev.state);
			ck_assert_str_eq(a->ev.text, b->ev.text);
			found++;
		}
	}
	ck_assert_uint_eq(found, 12);
	ck_assert_uint_eq(cur.v[0].nevents, old.v[0].nevents + 2);
	ck_assert_uint_eq(cur.v[1].nevents, old.v[1].nevents);
	ck_assert_uint_eq(cur.v[2].nevents, old.v[2].nevents);
	check_event(&cur.v[0].events[3], "2023-07-12T12:30:00+02:00",
	    EV_STATUS, ST_RESOLVED, "statuspage:update:wu4resolv004", NULL);
	check_event(&cur.v[0].events[4], "2023-07-14T16:20:00+02:00",
	    EV_STATUS, ST_UPDATE, "statuspage:update:wu5postmo005",
	    "Postmortem: a full disk on one queue node held back deliveries.");
	import_set_free(&old);
	import_set_free(&cur);
}
END_TEST

START_TEST(sp_empty_list)
{
	struct import_set	 set = { NULL, 0 };

	load_str(&set, import_statuspage,
	    "{\"page\": {\"time_zone\": \"UTC\"}, \"incidents\": []}");
	ck_assert_uint_eq(set.n, 0);
	load_str(&set, import_statuspage, "[]");
	ck_assert_uint_eq(set.n, 0);
	load_str(&set, import_statuspage, " [ ]\n");
	ck_assert_uint_eq(set.n, 0);
	ck_assert_ptr_null(set.v);
}
END_TEST

START_TEST(sp_truncated_file)
{
	struct import_set	 set = { NULL, 0 };
	struct import_incident	*v;
	char			*path, *buf;
	size_t			 len;

	/* A failed import leaves what the set had alone. */
	load_file(&set, import_statuspage, "sp-webhook.json");
	v = set.v;
	path = xasprintf("%s/tests/fixtures/import/sp-truncated.json",
	    test_top());
	buf = test_read_file(path, &len);
	ck_assert_int_eq(import_statuspage(&set, "sp-truncated.json", buf,
	    len), -1);
	ck_assert_str_eq(pm_error_last(), "sp-truncated.json:62:31: error: "
	    "premature end of input near '\"cmpwebho'");
	ck_assert_ptr_eq(set.v, v);
	ck_assert_uint_eq(set.n, 1);
	/* Cut after a line break: jansson's column 0 is reported as 1. */
	ck_assert_int_eq(import_statuspage(&set, "t.json", buf, 2377), -1);
	ck_assert_str_eq(pm_error_last(), "t.json:60:1: error: "
	    "string or '}' expected near end of file");
	ck_assert_uint_eq(set.n, 1);
	import_set_free(&set);
	free(buf);
	free(path);
}
END_TEST

START_TEST(sp_syntax_errors)
{
	load_err(import_statuspage, "", "in.json:1:1: error: '[' or '{' "
	    "expected near end of file");
	load_err(import_statuspage, "\"incidents\"", "in.json:1:11: error: "
	    "'[' or '{' expected near '\"incidents\"'");
	load_err(import_statuspage, "[1,]", "in.json:1:4: error: unexpected "
	    "token near ']'");
	load_err(import_statuspage, "{\n  \"incidents\": [\n    {\"id\": x}\n"
	    "  ]\n}", "in.json:3:12: error: invalid token near 'x'");
	/* Columns count characters, not bytes. */
	load_err(import_statuspage, "{\"n\u00e4me\": x}", "in.json:1:10: "
	    "error: invalid token near 'x'");
	load_err(import_statuspage, "{\"a\": \"x\xff\"}", "in.json:1:8: "
	    "error: unable to decode byte 0xff near '\"x'");
	load_err(import_statuspage, "{} {}", "in.json:1:4: error: end of "
	    "file expected near '{'");
	load_err(import_statuspage, "{\"a\": \"\\u0000\"}", "in.json:1:14: "
	    "error: \\u0000 is not allowed without JSON_ALLOW_NUL near "
	    "'\"\\u0000\"'");
}
END_TEST

#define BAD_TIME(key, v, why)						\
	"{\"incident\": {\"id\": \"a1\", \"name\": \"x\", "		\
	"\"incident_updates\": [{\"id\": \"u1\", \"status\": "		\
	"\"resolved\", \"" key "\": \"" v "\"}]}}",			\
	"in.json: error: incident a1: update u1: " key ": '" v "' is not " \
	"an RFC 3339 time (" why ")"

START_TEST(sp_structural_errors)
{
	static const char *cases[][2] = {
		{ "{\"incidents\": {}}", "in.json: error: incidents: "
		    "expected an array, found an object" },
		{ "{\"incidents\": [{\"name\": \"x\"}]}", "in.json: error: "
		    "incidents[0]: id: missing" },
		{ "[{\"id\": \"a\", \"name\": \"x\"}, {\"id\": \"\"}]",
		    "in.json: error: incidents[1]: id: missing" },
		{ "{\"id\": 5, \"name\": \"x\"}", "in.json: error: incident: "
		    "id: expected a string, found a number" },
		{ "[1]", "in.json: error: incidents[0]: expected an incident "
		    "object, found a number" },
		{ "{\"incident\": []}", "in.json: error: incident: expected "
		    "an object, found an array" },
		{ "{\"foo\": 1}", "in.json: error: not Statuspage JSON: "
		    "expected \"incidents\", \"incident\" or an incident "
		    "object" },
		{ "{\"incident\": {\"id\": \"a1\"}}", "in.json: error: "
		    "incident a1: name: missing or empty" },
		{ "{\"incident\": {\"id\": \"a1\", \"name\": \" \\n \"}}",
		    "in.json: error: incident a1: name: missing or empty" },
		{ "{\"incident\": {\"id\": \"a1\", \"name\": [\"x\"]}}",
		    "in.json: error: incident a1: name: expected a string, "
		    "found an array" },
		{ "{\"incident\": {\"id\": \"a1\", \"name\": \"x\", "
		    "\"impact\": 3}}", "in.json: error: incident a1: impact: "
		    "expected a string, found a number" },
		{ "[{\"id\": \"a1\", \"name\": \"x\"}, {\"id\": \"a1\", "
		    "\"name\": \"y\"}]", "in.json: error: incident a1: "
		    "appears twice" },
		{ "{\"page\": {\"time_zone\": 1}, \"incidents\": []}",
		    "in.json: error: page: time_zone: expected a string, "
		    "found a number" },
		{ "{\"page\": [], \"incidents\": []}", "in.json: error: "
		    "page: expected an object, found an array" },
		{ "{\"incident\": {\"id\": \"a1\", \"name\": \"x\", "
		    "\"incident_updates\": {}}}", "in.json: error: incident "
		    "a1: incident_updates: expected an array, found an "
		    "object" },
		{ "{\"incident\": {\"id\": \"a1\", \"name\": \"x\", "
		    "\"incident_updates\": [true]}}", "in.json: error: "
		    "incident a1: incident_updates[0]: expected an object, "
		    "found a boolean" },
		{ "{\"incident\": {\"id\": \"a1\", \"name\": \"x\", "
		    "\"incident_updates\": [{\"status\": \"resolved\", "
		    "\"created_at\": \"2023-01-01T00:00:00Z\"}]}}",
		    "in.json: error: incident a1: incident_updates[0]: id: "
		    "missing" },
		{ "{\"incident\": {\"id\": \"a1\", \"name\": \"x\", "
		    "\"incident_updates\": [{\"id\": \"u1\", \"status\": "
		    "\"resolved\"}]}}", "in.json: error: incident a1: update "
		    "u1: neither display_at nor created_at is given" },
		{ "{\"incident\": {\"id\": \"a1\", \"name\": \"x\", "
		    "\"incident_updates\": [{\"id\": \"u1\", \"created_at\": "
		    "\"2023-01-01T00:00:00Z\"}]}}", "in.json: error: incident "
		    "a1: update u1: status: missing" },
		{ "{\"incident\": {\"id\": \"a1\", \"name\": \"x\", "
		    "\"incident_updates\": [{\"id\": \"u1\", \"status\": "
		    "\"resolved\", \"created_at\": \"2023-01-01T00:00:00Z\", "
		    "\"body\": 1}]}}", "in.json: error: incident a1: update "
		    "u1: body: expected a string, found a number" },
		{ "{\"incident\": {\"id\": \"a1\", \"name\": \"x\", "
		    "\"incident_updates\": [{\"id\": \"u1\", \"status\": "
		    "\"resolved\", \"display_at\": 1690000000}]}}", "in.json: "
		    "error: incident a1: update u1: display_at: expected a "
		    "string, found a number" },
		{ "{\"incident\": {\"id\": \"a1\", \"name\": \"x\", "
		    "\"incident_updates\": [" UPD("u1", "resolved",
		    "2023-01-01T00:00:00Z") ", " UPD("u1", "resolved",
		    "2023-01-01T00:00:01Z") "]}}", "in.json: error: incident "
		    "a1: update u1 appears twice" },
		{ "{\"incident\": {\"id\": \"a1\", \"name\": \"x\", "
		    "\"components\": [\"Web\"]}}", "in.json: error: incident "
		    "a1: components[0]: expected an object, found a string" },
		{ "{\"incident\": {\"id\": \"a1\", \"name\": \"x\", "
		    "\"components\": [{\"name\": 1}]}}", "in.json: error: "
		    "incident a1: components[0]: name: expected a string, "
		    "found a number" },
		{ "{\"incident\": {\"id\": \"a1\", \"name\": \"x\", "
		    "\"incident_updates\": [{\"id\": \"u1\", \"status\": "
		    "\"resolved\", \"created_at\": \"2023-01-01T00:00:00Z\", "
		    "\"affected_components\": {}}]}}", "in.json: error: "
		    "incident a1: update u1: affected_components: expected "
		    "an array, found an object" },
		{ BAD_TIME("display_at", "2023-01-01 10:00", "expected "
		    "YYYY-MM-DDTHH:MM:SS followed by Z or an offset like "
		    "-07:00") },
		{ BAD_TIME("created_at", "2023-01-01T10:00:00", "expected Z "
		    "or a UTC offset like +02:00 or -07:00") },
		{ BAD_TIME("created_at", "2023-02-30T10:00:00Z", "no such "
		    "date or time 2023-02-30T10:00:00") },
		{ BAD_TIME("display_at", "2023-01-01T10:00:00.Z", "digits "
		    "expected after '.'") },
		{ BAD_TIME("display_at", "", "expected YYYY-MM-DDTHH:MM:SS "
		    "followed by Z or an offset like -07:00") },
	};
	size_t	 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		load_err(import_statuspage, cases[i][0], cases[i][1]);
}
END_TEST

START_TEST(sp_long_values_clipped_in_messages)
{
	char	*json, *want, v[197];

	/* 200 characters, one of them a control character. */
	memset(v, '9', 196);
	v[196] = '\0';
	json = xasprintf("{\"incident\": {\"id\": \"a1\", \"name\": \"x\", "
	    "\"incident_updates\": [{\"id\": \"u1\", \"status\": "
	    "\"resolved\", \"created_at\": \"999\\u0001%s\"}]}}", v);
	want = xasprintf("in.json: error: incident a1: update u1: "
	    "created_at: '999?%.60s...' is not an RFC 3339 time (expected "
	    "YYYY-MM-DDTHH:MM:SS followed by Z or an offset like -07:00)",
	    v);
	load_err(import_statuspage, json, want);
	free(json);
	free(want);
}
END_TEST

/* --- PagerDuty --------------------------------------------------------- */

START_TEST(pd_reads_log_entries)
{
	struct import_set	 set = { NULL, 0 };
	struct import_incident	*inc;

	load_file(&set, import_pagerduty, "pd-log-entries.json");
	/* Grouped by incident, in the order of each one's first entry. */
	ck_assert_uint_eq(set.n, 2);
	inc = &set.v[0];
	ck_assert_str_eq(inc->source_id, "pagerduty:incident:Q1CHKT0001");
	ck_assert_str_eq(inc->title, "[#811] checkout 5xx above 20%");
	ck_assert_str_eq(inc->severity, "");
	ck_assert_str_eq(inc->zone, "UTC");
	/* The notify entry's service is not taken: it is skipped. */
	check_services(inc, "checkout", NULL);
	ck_assert_uint_eq(inc->nevents, 5);
	inc = &set.v[1];
	ck_assert_str_eq(inc->source_id, "pagerduty:incident:Q2SRCH0002");
	ck_assert_str_eq(inc->title, "[#812] search-api latency high");
	check_services(inc, "search-api", NULL);
	ck_assert_uint_eq(inc->nevents, 2);
	import_set_free(&set);
}
END_TEST

START_TEST(pd_kinds_texts_and_order)
{
	struct import_set	 set = { NULL, 0 };
	struct import_event	*e;
	size_t			 i;

	load_file(&set, import_pagerduty, "pd-log-entries.json");
	e = set.v[0].events;
	check_event(&e[0], "2024-05-03T08:06:00Z", EV_DETECTED, ST_NONE,
	    "pagerduty:log_entry:R1TRIG000001",
	    "Triggered through the website (by Lea Dumont)");
	/* Same second: by id (R1ACK... before R1ASGN...), whatever the
	 * order of the list. The name is in the summary already. */
	check_event(&e[1], "2024-05-03T08:12:30Z", EV_ACKNOWLEDGED, ST_NONE,
	    "pagerduty:log_entry:R1ACK0000002", "Acknowledged by Mika Kovac");
	check_event(&e[2], "2024-05-03T08:12:30Z", EV_NOTE, ST_NONE,
	    "pagerduty:log_entry:R1ASGN000003",
	    "Assigned to Mika Kovac. (by Checkout on-call)");
	/* A note's own words, not "Note added". */
	check_event(&e[3], "2024-05-03T08:30:00Z", EV_NOTE, ST_NONE,
	    "pagerduty:log_entry:R1ANNOT00004",
	    "Rolled back build 4411; error rate is falling. (by Mika Kovac)");
	check_event(&e[4], "2024-05-03T08:41:00Z", EV_RESOLVED, ST_NONE,
	    "pagerduty:log_entry:R1RSLV000006", "Resolved by Mika Kovac");
	for (i = 0; i < set.v[0].nevents; i++)
		ck_assert_uint_eq(e[i].ev.seq, i);
	e = set.v[1].events;
	check_event(&e[0], "2024-05-03T08:20:00Z", EV_DETECTED, ST_NONE,
	    "pagerduty:log_entry:R5TRIG000001",
	    "Triggered through the API (by search-api)");
	check_event(&e[1], "2024-05-03T08:47:10Z", EV_RESOLVED, ST_NONE,
	    "pagerduty:log_entry:R5TRSLV000002", "Resolved by Ines Okafor");
	import_set_free(&set);
}
END_TEST

#define PD(id, type, time, more)					\
	"{\"id\": \"" id "\", \"type\": \"" type "\", \"created_at\": \"" \
	time "\", \"incident\": {\"id\": \"Q9\"}" more "}"

START_TEST(pd_shapes_and_mappings)
{
	struct import_set	 set = { NULL, 0 };
	struct import_incident	*inc;
	struct import_event	*e;

	/* A bare array, newest first; no summary on the incident: a made
	 * up title. Other and unknown types are notes; offsets are kept. */
	load_str(&set, import_pagerduty, "["
	    PD("L6", "snooze_log_entry", "2024-01-01T12:00:00+05:30",
	    ", \"summary\": \"Snoozed\"") ", "
	    PD("L5", "some_future_log_entry", "2024-01-01T06:20:00Z",
	    ", \"summary\": \"Something new\", \"agent\": null") ", "
	    PD("L4", "annotate_log_entry", "2024-01-01T06:15:00Z",
	    ", \"summary\": \"Note added\", \"agent\": {\"summary\": \"Al\"}")
	    ", "
	    PD("L3", "annotate_log_entry", "2024-01-01T06:10:00Z",
	    ", \"summary\": \"Note added\", \"note\": \"from note\", "
	    "\"channel\": {\"type\": \"note\"}, \"agent\": {\"summary\": "
	    "\"Al\"}") ", "
	    PD("L2", "annotate_log_entry", "2024-01-01T06:05:00.250Z",
	    ", \"summary\": \"Note added\", \"channel\": {\"type\": "
	    "\"note\", \"content\": \"from content<br>two\", \"summary\": "
	    "\"not this\"}") ", "
	    PD("L1", "escalate_log_entry", "2024-01-01T06:00:00Z",
	    ", \"summary\": \"\", \"agent\": {\"summary\": \"Policy\"}")
	    ", "
	    PD("L0", "unacknowledge_log_entry", "2024-01-01T05:00:00Z", "")
	    "]");
	ck_assert_uint_eq(set.n, 1);
	inc = &set.v[0];
	ck_assert_str_eq(inc->title, "PagerDuty incident Q9");
	ck_assert_uint_eq(inc->nservices, 0);
	ck_assert_uint_eq(inc->nevents, 7);
	e = inc->events;
	check_event(&e[0], "2024-01-01T05:00:00Z", EV_NOTE, ST_NONE,
	    "pagerduty:log_entry:L0", "");
	check_event(&e[1], "2024-01-01T06:00:00Z", EV_NOTE, ST_NONE,
	    "pagerduty:log_entry:L1", "(by Policy)");
	check_event(&e[2], "2024-01-01T06:05:00Z", EV_NOTE, ST_NONE,
	    "pagerduty:log_entry:L2", "from content\ntwo");
	check_event(&e[3], "2024-01-01T06:10:00Z", EV_NOTE, ST_NONE,
	    "pagerduty:log_entry:L3", "from note (by Al)");
	check_event(&e[4], "2024-01-01T06:15:00Z", EV_NOTE, ST_NONE,
	    "pagerduty:log_entry:L4", "Note added (by Al)");
	check_event(&e[5], "2024-01-01T06:20:00Z", EV_NOTE, ST_NONE,
	    "pagerduty:log_entry:L5", "Something new");
	check_event(&e[6], "2024-01-01T12:00:00+05:30", EV_NOTE, ST_NONE,
	    "pagerduty:log_entry:L6", "Snoozed");
	import_set_free(&set);

	/* {"log_entry": {...}}; the title comes from the first entry that
	 * has one. */
	load_str(&set, import_pagerduty, "{\"log_entry\": {\"id\": \"L1\", "
	    "\"type\": \"trigger_log_entry\", \"created_at\": "
	    "\"2024-01-01T06:00:00Z\", \"summary\": \"Triggered\", "
	    "\"service\": {\"summary\": \" db \"}, \"incident\": {\"id\": "
	    "\"Q7\", \"summary\": \"Disk\\nfull\"}}}");
	ck_assert_uint_eq(set.n, 1);
	ck_assert_str_eq(set.v[0].source_id, "pagerduty:incident:Q7");
	ck_assert_str_eq(set.v[0].title, "Disk full");
	check_services(&set.v[0], "db", NULL);
	check_event(&set.v[0].events[0], "2024-01-01T06:00:00Z", EV_DETECTED,
	    ST_NONE, "pagerduty:log_entry:L1", "Triggered");
	import_set_free(&set);

	/* An incident with only notify entries gives nothing. */
	load_str(&set, import_pagerduty, "{\"log_entries\": ["
	    PD("N1", "notify_log_entry", "2024-01-01T06:00:00Z", "")
	    "], \"limit\": 100, \"offset\": 0, \"more\": true, "
	    "\"total\": 1}");
	ck_assert_uint_eq(set.n, 0);
	load_str(&set, import_pagerduty, "[]");
	load_str(&set, import_pagerduty, "{\"log_entries\": []}");
	ck_assert_uint_eq(set.n, 0);
	ck_assert_ptr_null(set.v);
}
END_TEST

START_TEST(pd_errors)
{
	static const char *cases[][2] = {
		{ "{\"log_entries\": [", "in.json:1:17: error: ']' expected "
		    "near end of file" },
		{ "{\"log_entries\": [{\"id\": \"L1\",}]}", "in.json:1:30: "
		    "error: string or '}' expected near '}'" },
		{ "{\"foo\": []}", "in.json: error: not PagerDuty log "
		    "entries: expected \"log_entries\" or \"log_entry\"" },
		{ "{\"log_entries\": {}}", "in.json: error: log_entries: "
		    "expected an array, found an object" },
		{ "{\"log_entry\": 1}", "in.json: error: log_entry: expected "
		    "an object, found a number" },
		{ "[\"x\"]", "in.json: error: log_entries[0]: expected a log "
		    "entry object, found a string" },
		{ "{\"log_entries\": [{\"type\": \"trigger_log_entry\"}]}",
		    "in.json: error: log_entries[0]: id: missing" },
		{ "{\"log_entry\": {\"id\": 12}}", "in.json: error: "
		    "log_entry: id: expected a string, found a number" },
		{ "[" PD("L1", "trigger_log_entry", "2024-01-01T06:00:00Z",
		    "") ", {\"id\": \"L2\", \"type\": \"trigger_log_entry\", "
		    "\"created_at\": \"2024-01-01T06:00:00Z\"}]", "in.json: "
		    "error: log entry L2: incident.id: missing" },
		{ "[{\"id\": \"L2\", \"type\": \"notify_log_entry\", "
		    "\"created_at\": \"2024-01-01T06:00:00Z\", \"incident\": "
		    "{\"summary\": \"x\"}}]", "in.json: error: log entry L2: "
		    "incident.id: missing" },
		{ "[{\"id\": \"L2\", \"type\": \"trigger_log_entry\", "
		    "\"created_at\": \"2024-01-01T06:00:00Z\", \"incident\": "
		    "{\"id\": 7}}]", "in.json: error: log entry L2: "
		    "incident.id: expected a string, found a number" },
		{ "[{\"id\": \"L2\", \"type\": \"trigger_log_entry\", "
		    "\"created_at\": \"2024-01-01T06:00:00Z\", \"incident\": "
		    "\"Q1\"}]", "in.json: error: log entry L2: incident: "
		    "expected an object, found a string" },
		{ "[{\"id\": \"L2\", \"created_at\": \"2024-01-01T06:00:00Z\", "
		    "\"incident\": {\"id\": \"Q1\"}}]", "in.json: error: "
		    "log entry L2: type: missing" },
		{ "[{\"id\": \"L2\", \"type\": \"trigger_log_entry\", "
		    "\"incident\": {\"id\": \"Q1\"}}]", "in.json: error: "
		    "log entry L2: created_at: missing" },
		{ "[" PD("L2", "trigger_log_entry", "2024-01-01T06:00:00",
		    "") "]", "in.json: error: log entry L2: created_at: "
		    "'2024-01-01T06:00:00' is not an RFC 3339 time (expected "
		    "Z or a UTC offset like +02:00 or -07:00)" },
		{ "[" PD("L2", "trigger_log_entry", "2024-01-01T06:00:00Z",
		    ", \"agent\": \"Al\"") "]", "in.json: error: log entry "
		    "L2: agent: expected an object, found a string" },
		{ "[" PD("L2", "trigger_log_entry", "2024-01-01T06:00:00Z",
		    ", \"summary\": {}") "]", "in.json: error: log entry L2: "
		    "summary: expected a string, found an object" },
		{ "[" PD("L2", "annotate_log_entry", "2024-01-01T06:00:00Z",
		    ", \"channel\": {\"content\": 1}") "]", "in.json: error: "
		    "log entry L2: channel.content: expected a string, found "
		    "a number" },
		{ "[" PD("L2", "trigger_log_entry", "2024-01-01T06:00:00Z",
		    ", \"service\": {\"summary\": false}") "]", "in.json: "
		    "error: log entry L2: service.summary: expected a string, "
		    "found a boolean" },
		{ "[" PD("L1", "trigger_log_entry", "2024-01-01T06:00:00Z",
		    "") ", " PD("L1", "resolve_log_entry",
		    "2024-01-01T07:00:00Z", "") "]", "in.json: error: log "
		    "entry L1 appears twice" },
		{ "[" PD("N1", "notify_log_entry", "2024-01-01T06:00:00Z",
		    "") ", " PD("N1", "notify_log_entry",
		    "2024-01-01T07:00:00Z", "") "]", "in.json: error: log "
		    "entry N1 appears twice" },
	};
	size_t	 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		load_err(import_pagerduty, cases[i][0], cases[i][1]);
}
END_TEST

Suite *
import_json_suite(void)
{
	Suite	*s = suite_create("import_json");
	TCase	*sp = tcase_create("statuspage");
	TCase	*pd = tcase_create("pagerduty");

	tcase_add_test(sp, sp_reads_incidents_file);
	tcase_add_test(sp, sp_events_oldest_first_with_states);
	tcase_add_test(sp, sp_dst_offsets_kept_as_written);
	tcase_add_test(sp, sp_repeated_state_is_update);
	tcase_add_test(sp, sp_display_at_before_created_at);
	tcase_add_test(sp, sp_same_second_keeps_time_order);
	tcase_add_test(sp, sp_maintenance_states);
	tcase_add_test(sp, sp_unknown_status_is_an_update);
	tcase_add_test(sp, sp_severity_mapping);
	tcase_add_test(sp, sp_body_cleaned);
	tcase_add_test(sp, sp_services);
	tcase_add_test(sp, sp_webhook);
	tcase_add_test(sp, sp_other_shapes);
	tcase_add_test(sp, sp_zone_from_page);
	tcase_add_test(sp, sp_unknown_keys_and_nulls_ignored);
	tcase_add_test(sp, sp_newer_export_adds_two_updates);
	tcase_add_test(sp, sp_empty_list);
	tcase_add_test(sp, sp_truncated_file);
	tcase_add_test(sp, sp_syntax_errors);
	tcase_add_test(sp, sp_structural_errors);
	tcase_add_test(sp, sp_long_values_clipped_in_messages);
	suite_add_tcase(s, sp);
	tcase_add_test(pd, pd_reads_log_entries);
	tcase_add_test(pd, pd_kinds_texts_and_order);
	tcase_add_test(pd, pd_shapes_and_mappings);
	tcase_add_test(pd, pd_errors);
	suite_add_tcase(s, pd);
	return s;
}
