/* test_incfile.c - the incident file reader and writer. */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "error.h"
#include "incfile.h"
#include "xmalloc.h"

Suite *incfile_suite(void);

static const char sample[] =
    "pmtool-incident 1\n"
    "# a comment\n"
    "title: Database issues\n"
    "severity: SEV1\n"
    "services: helpdesk,  api ,web\n"
    "commander: Zoë Kim\n"
    "zone: America/Los_Angeles\n"
    "\n"
    "2020-06-07T03:21:00-07:00 status resolved This incident has been resolved.\n"
    "2020-06-07T00:45:00-07:00 started\n"
    "2020-06-07T01:58:00-07:00 status investigating The platform is down\n"
    "  due to a database issue.\n"
    "  \n"
    "\tWe will keep you updated.\n"
    "2020-06-07T08:58:00Z note same instant as the status, later in file\n"
    "2020-06-07T02:10:00-07:00 action rolled back\t(tab inside)   \n";

static struct incident *
parse_ok(const char *text)
{
	struct incident	*inc = NULL;

	ck_assert_msg(incfile_parse(&inc, "t.txt", text, strlen(text)) == 0,
	    "%s", pm_error_last());
	return inc;
}

static void
parse_err(const char *text, const char *want)
{
	struct incident	*inc = NULL;

	ck_assert_int_eq(incfile_parse(&inc, "t.txt", text, strlen(text)), -1);
	ck_assert_ptr_null(inc);
	ck_assert_msg(strcmp(pm_error_last(), want) == 0,
	    "\n got: %s\nwant: %s", pm_error_last(), want);
}

START_TEST(reads_header_and_orders_events)
{
	struct incident	*inc = parse_ok(sample);

	ck_assert_str_eq(inc->title, "Database issues");
	ck_assert_str_eq(inc->severity, "SEV1");
	ck_assert_uint_eq(inc->nservices, 3);
	ck_assert_str_eq(inc->services[1], "api");
	ck_assert_str_eq(inc->commander, "Zoë Kim");
	ck_assert_str_eq(inc->zone, "America/Los_Angeles");
	ck_assert_uint_eq(inc->nevents, 5);
	ck_assert_int_eq(inc->events[0].kind, EV_STARTED);
	ck_assert_str_eq(inc->events[0].text, "");
	ck_assert_int_eq(inc->events[1].kind, EV_STATUS);
	ck_assert_int_eq(inc->events[1].state, ST_INVESTIGATING);
	ck_assert_str_eq(inc->events[1].text, "The platform is down\n"
	    "due to a database issue.\n\nWe will keep you updated.");
	ck_assert_uint_eq(inc->events[1].line, 11);
	/* the same instant: file order decides */
	ck_assert_int_eq(inc->events[1].at.t, inc->events[2].at.t);
	ck_assert_int_eq(inc->events[2].kind, EV_NOTE);
	ck_assert_int_eq(inc->events[3].kind, EV_ACTION);
	ck_assert_str_eq(inc->events[3].text, "rolled back\t(tab inside)");
	ck_assert_int_eq(inc->events[4].state, ST_RESOLVED);
	ck_assert(incident_is_resolved(inc));
	incident_free(inc);
}
END_TEST

START_TEST(round_trip_is_stable)
{
	struct incident	*a = parse_ok(sample), *b = NULL;
	struct buf	 out = BUF_INIT, again = BUF_INIT;
	char		*s;
	size_t		 i;

	for (i = 0; i < 2; i++) {
		struct incident	*src = i == 0 ? a : NULL;
		struct buf	*dst = i == 0 ? &out : &again;
		size_t		 j;

		if (i == 1) {
			b = parse_ok(buf_str(&out));
			src = b;
		}
		s = incfile_format_header(src);
		buf_adds(dst, s);
		free(s);
		for (j = 0; j < src->nevents; j++) {
			s = incfile_format_event(&src->events[j]);
			buf_adds(dst, s);
			free(s);
		}
	}
	ck_assert_str_eq(buf_str(&out), buf_str(&again));
	ck_assert_uint_eq(b->nevents, a->nevents);
	for (i = 0; i < a->nevents; i++) {
		ck_assert_str_eq(a->events[i].text, b->events[i].text);
		ck_assert_int_eq(a->events[i].at.t, b->events[i].at.t);
		ck_assert_int_eq(a->events[i].at.off, b->events[i].at.off);
	}
	ck_assert(strstr(buf_str(&out), "2020-06-07T08:58:00Z note") != NULL);
	ck_assert(strstr(buf_str(&out), "The platform is down\n  due to a "
	    "database issue.\n  \n  We will keep you updated.\n") != NULL);
	incident_free(a);
	incident_free(b);
	buf_free(&out);
	buf_free(&again);
}
END_TEST

START_TEST(writer_multiline_and_empty)
{
	struct event	 ev;
	char		*s;

	memset(&ev, 0, sizeof ev);
	ev.at.t = 0;
	ev.at.zulu = 1;
	ev.kind = EV_RESOLVED;
	ev.text = (char *)"";
	s = incfile_format_event(&ev);
	ck_assert_str_eq(s, "1970-01-01T00:00:00Z resolved\n");
	free(s);
	ev.kind = EV_NOTE;
	ev.text = (char *)"a\n\n  b";
	s = incfile_format_event(&ev);
	ck_assert_str_eq(s, "1970-01-01T00:00:00Z note a\n  \n    b\n");
	free(s);
}
END_TEST

START_TEST(normalizes_text)
{
	char	*s;

	s = incfile_normalize_text("  first  \r\nsecond\t\n\n\n");
	ck_assert_str_eq(s, "first\nsecond");
	free(s);
}
END_TEST

START_TEST(crlf_and_no_final_newline)
{
	struct incident	*inc;

	inc = parse_ok("pmtool-incident 1\r\ntitle: T\r\nzone: UTC\r\n"
	    "2020-01-01T00:00:00Z note x");
	ck_assert_uint_eq(inc->nevents, 1);
	ck_assert_str_eq(inc->events[0].text, "x");
	incident_free(inc);
}
END_TEST

#define HDR "pmtool-incident 1\ntitle: T\nzone: UTC\n"

START_TEST(every_error_has_a_position)
{
	parse_err("", "t.txt:1:1: error: empty file: not a pmtool incident "
	    "(expected 'pmtool-incident 1')");
	parse_err("title: x\n", "t.txt:1:1: error: not a pmtool incident file: "
	    "the first line must be 'pmtool-incident 1'");
	parse_err("pmtool-incident 2\n", "t.txt:1:17: error: format version 2 "
	    "is not known to this pmtool (it reads version 1)");
	parse_err("pmtool-incident\n", "t.txt:1:16: error: format version "
	    "expected after 'pmtool-incident'");
	parse_err("pmtool-incident 1\nzone: UTC\n", "t.txt:3:1: error: no "
	    "'title:' header line");
	parse_err("pmtool-incident 1\ntitle: T\n", "t.txt:3:1: error: no "
	    "'zone:' header line (an IANA zone such as Europe/Amsterdam)");
	parse_err("pmtool-incident 1\ntitle:   \n", "t.txt:2:7: error: empty "
	    "title");
	parse_err(HDR "titel: x\n", "t.txt:4:1: error: unknown header field "
	    "'titel' (known: title, severity, services, commander, zone)");
	parse_err(HDR "title: again\n", "t.txt:4:1: error: header field "
	    "'title' given twice (first on line 2)");
	parse_err(HDR "just words\n", "t.txt:4:1: error: expected a header "
	    "line 'key: value' or an event beginning with a timestamp");
	parse_err("pmtool-incident 1\ntitle: T\nzone: Mars/Base\n",
	    "t.txt:3:7: error: unknown time zone 'Mars/Base' (not in "
	    "/usr/share/zoneinfo): use an IANA name such as Europe/Amsterdam");
	parse_err(HDR "severity: sev 1\n", "t.txt:4:11: error: bad severity: "
	    "use letters, digits, '-' or '_' (SEV1, critical)");
	parse_err(HDR "services: a,,b\n", "t.txt:4:13: error: empty service "
	    "name in 'services'");
	parse_err(HDR "2020-06-07 01:58 note x\n", "t.txt:4:11: error: bad "
	    "timestamp: expected YYYY-MM-DDTHH:MM:SS followed by Z or an "
	    "offset like -07:00");
	parse_err(HDR "2020-06-07T01:58:00 note x\n", "t.txt:4:20: error: bad "
	    "timestamp: expected Z or a UTC offset like +02:00 or -07:00");
	parse_err(HDR "2020-02-30T01:58:00Z note x\n", "t.txt:4:1: error: bad "
	    "timestamp: no such date or time 2020-02-30T01:58:00");
	parse_err(HDR "2020-06-07T01:58:00Z\n", "t.txt:4:21: error: event "
	    "kind expected after the timestamp");
	parse_err(HDR "2020-06-07T01:58:00Z panic now\n", "t.txt:4:22: error: "
	    "unknown event kind 'panic' (kinds: lead-up, started, detected, "
	    "acknowledged, status, action, mitigated, resolved, note, severity, "
	    "role, service, title, reopened, excluded, amend, retract)");
	parse_err(HDR "2020-06-07T01:58:00Z status fixed\n", "t.txt:4:29: "
	    "error: status event needs a state: investigating, identified, "
	    "monitoring, update or resolved");
	parse_err(HDR "2020-06-07T01:58:00Z note x\ntitle: late\n", "t.txt:5:1: "
	    "error: header line after the first event (events begin with a "
	    "timestamp)");
	parse_err(HDR "  orphan\n", "t.txt:4:1: error: indented line before "
	    "the first event");
	parse_err(HDR "2020-06-07T01:58:00Z note x\n\n  orphan\n",
	    "t.txt:6:1: error: continuation line must directly follow an event "
	    "line");
	parse_err(HDR "2020-06-07T01:58:00Z note x\n one space\n",
	    "t.txt:5:1: error: continuation lines begin with two spaces or a "
	    "TAB");
	parse_err(HDR "2020-06-07T01:58:00Z note caf\xc3\xa9 \xff\n",
	    "t.txt:4:32: error: invalid UTF-8");
	parse_err(HDR "2020-06-07T01:58:00Z note bell\a\n", "t.txt:4:31: error: "
	    "control character");
}
END_TEST

START_TEST(long_lines_are_refused)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	buf_adds(&b, HDR "2020-06-07T01:58:00Z note ");
	for (i = 0; i < 1024 * 1024; i++)
		buf_addc(&b, 'x');
	buf_addc(&b, '\n');
	parse_err(buf_str(&b), "t.txt:4:65537: error: line too long (1048602 "
	    "bytes; at most 65536)");
	buf_free(&b);
}
END_TEST

START_TEST(checks_text_to_write)
{
	ck_assert_int_eq(incfile_check_text("text", "ok\tfine\nline 2", 1), 0);
	ck_assert_int_eq(incfile_check_text("title", "two\nlines", 0), -1);
	ck_assert_str_eq(pm_error_last(), "title: must be one line");
	ck_assert_int_eq(incfile_check_text("text", "bad \xc3", 1), -1);
	ck_assert_str_eq(pm_error_last(), "text: invalid UTF-8 at byte 5");
}
END_TEST

START_TEST(ids_are_made_and_checked)
{
	struct civil	 d = { 2020, 6, 7, 0, 0, 0 };
	char		*id;

	id = incident_make_id(&d, "Database issues");
	ck_assert_str_eq(id, "2020-06-07-database-issues");
	free(id);
	id = incident_make_id(&d, "  Störung: DB -- down!! ");
	ck_assert_str_eq(id, "2020-06-07-st-rung-db-down");
	free(id);
	id = incident_make_id(&d, "日本語");
	ck_assert_str_eq(id, "2020-06-07-incident");
	free(id);
	ck_assert_int_eq(incident_check_id("2020-06-07-database-issues"), 0);
	ck_assert_int_eq(incident_check_id("../etc"), -1);
	ck_assert_int_eq(incident_check_id("a/b"), -1);
	ck_assert_int_eq(incident_check_id(".hidden"), -1);
	ck_assert_int_eq(incident_check_id("a..b"), -1);
	ck_assert_int_eq(incident_check_id(""), -1);
	ck_assert_int_eq(incident_check_id("with space"), -1);
}
END_TEST

Suite *
incfile_suite(void)
{
	Suite	*s = suite_create("incfile");
	TCase	*tc = tcase_create("formats");

	tcase_add_test(tc, reads_header_and_orders_events);
	tcase_add_test(tc, round_trip_is_stable);
	tcase_add_test(tc, writer_multiline_and_empty);
	tcase_add_test(tc, normalizes_text);
	tcase_add_test(tc, crlf_and_no_final_newline);
	tcase_add_test(tc, every_error_has_a_position);
	tcase_add_test(tc, long_lines_are_refused);
	tcase_add_test(tc, checks_text_to_write);
	tcase_add_test(tc, ids_are_made_and_checked);
	suite_add_tcase(s, tc);
	return s;
}
