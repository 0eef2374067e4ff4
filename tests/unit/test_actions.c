/* test_actions.c - the corrective-action model and its file format. */
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <jansson.h>

#include "actfile.h"
#include "actions.h"
#include "error.h"
#include "xmalloc.h"

Suite *actions_suite(void);

#define HDR	"pmtool-actions 1\n"
#define T0	"2021-11-19T17:24:00+01:00"

/* The example of formats/actions-format.md. */
static const char sample[] =
    ACTFILE_HEADER
    T0 " add 3f9a1c Fix the product bug so failing database actions cannot "
    "clog the HTTP engine\n"
    T0 " owner 3f9a1c Alex Kim\n"
    T0 " due 3f9a1c 2021-12-15\n"
    "2021-11-19T17:25:00+01:00 add 07b2e4 Monitor the monitoring services\n"
    "2021-12-10T09:12:00Z done 3f9a1c\n";

static void
parse_ok(struct action_list *l, const char *text)
{
	ck_assert_msg(actfile_parse(l, "a.txt", text, strlen(text)) == 0,
	    "%s", pm_error_last());
}

static void
parse_err(const char *text, const char *want)
{
	struct action_list	 l = { NULL, 0 };

	ck_assert_int_eq(actfile_parse(&l, "a.txt", text, strlen(text)), -1);
	ck_assert_ptr_null(l.items);
	ck_assert_msg(strcmp(pm_error_last(), want) == 0,
	    "\n got: %s\nwant: %s", pm_error_last(), want);
}

START_TEST(reads_the_spec_example)
{
	struct action_list	 l;
	struct action		*a;
	char			 ts[TSTAMP_RFC3339_MAX];

	parse_ok(&l, sample);
	ck_assert_uint_eq(l.n, 2);
	a = &l.items[0];
	ck_assert_uint_eq(a->n, 1);
	ck_assert_str_eq(a->key, "3f9a1c");
	ck_assert_str_eq(a->text, "Fix the product bug so failing database "
	    "actions cannot clog the HTTP engine");
	ck_assert_str_eq(a->owner, "Alex Kim");
	ck_assert(a->has_due);
	ck_assert_int_eq(a->due.year, 2021);
	ck_assert_int_eq(a->due.mon, 12);
	ck_assert_int_eq(a->due.day, 15);
	ck_assert(a->done);
	tstamp_format_rfc3339(ts, a->added);
	ck_assert_str_eq(ts, T0);
	tstamp_format_rfc3339(ts, a->done_at);
	ck_assert_str_eq(ts, "2021-12-10T09:12:00Z");
	ck_assert_uint_eq(a->line, 4);
	a = &l.items[1];
	ck_assert_uint_eq(a->n, 2);
	ck_assert_str_eq(a->key, "07b2e4");
	ck_assert_str_eq(a->text, "Monitor the monitoring services");
	ck_assert_str_eq(a->owner, "");
	ck_assert(!a->has_due);
	ck_assert(!a->done);
	ck_assert_uint_eq(a->line, 7);
	ck_assert_ptr_eq(action_list_get(&l, 2), a);
	ck_assert_ptr_null(action_list_get(&l, 0));
	ck_assert_ptr_null(action_list_get(&l, 3));
	ck_assert_ptr_eq(action_list_find(&l, "07b2e4"), a);
	ck_assert_ptr_null(action_list_find(&l, "000000"));
	action_list_free(&l);
	ck_assert_uint_eq(l.n, 0);
	ck_assert_ptr_null(l.items);
}
END_TEST

START_TEST(empty_list_and_lexical_rules)
{
	struct action_list	 l;

	parse_ok(&l, "# a note first\n\n  \t\n" HDR "# nothing yet\n");
	ck_assert_uint_eq(l.n, 0);
	action_list_free(&l);
	/* CRLF, trailing blanks, TABs as separators, no final newline. */
	parse_ok(&l, "pmtool-actions 1  \r\n"
	    "2021-01-01T00:00:00Z\tadd \t 00aa11 Caf\xc3\xa9\tand more \t \r\n"
	    "2021-01-01T00:00:00Z owner 00aa11 \t Zo\xc3\xab Kim  \r\n"
	    "2021-01-01T00:00:00Z due 00aa11 2024-02-29");
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.items[0].text, "Caf\xc3\xa9\tand more");
	ck_assert_str_eq(l.items[0].owner, "Zo\xc3\xab Kim");
	ck_assert_int_eq(l.items[0].due.day, 29);
	action_list_free(&l);
}
END_TEST

START_TEST(numbered_by_time_then_file_order)
{
	struct action_list	 l;

	/* The file order is not the time order. */
	parse_ok(&l, HDR
	    "2021-01-01T10:05:00Z add 0000b2 second in time\n"
	    "2021-01-01T12:00:00+02:00 add 0000a1 first in time (10:00Z)\n"
	    "2021-01-01T10:05:00Z add 0000c3 same instant, later line\n"
	    "2021-01-01T09:00:00-02:00 add 0000d4 last (11:00Z)\n");
	ck_assert_uint_eq(l.n, 4);
	ck_assert_str_eq(l.items[0].key, "0000a1");
	ck_assert_str_eq(l.items[1].key, "0000b2");
	ck_assert_str_eq(l.items[2].key, "0000c3");
	ck_assert_str_eq(l.items[3].key, "0000d4");
	ck_assert_uint_eq(l.items[0].n, 1);
	ck_assert_uint_eq(l.items[3].n, 4);
	ck_assert_uint_eq(l.items[0].line, 3);
	ck_assert_int_eq(l.items[0].added.off, 7200);
	action_list_free(&l);
}
END_TEST

START_TEST(records_apply_in_time_order)
{
	struct action_list	 l;

	/* Lines out of order: the later instant wins, whatever the line. */
	parse_ok(&l, HDR
	    "2021-01-01T10:00:00Z add 0000a1 old text\n"
	    "2021-01-01T12:00:00Z text 0000a1 newest text\n"
	    "2021-01-01T11:00:00Z text 0000a1 newer text\n"
	    "2021-01-01T12:00:00Z owner 0000a1 Bo\n"
	    "2021-01-01T11:00:00Z owner 0000a1 Al\n"
	    /* same instant: file order */
	    "2021-01-01T13:00:00Z due 0000a1 2021-02-01\n"
	    "2021-01-01T13:00:00Z due 0000a1 2021-03-01\n");
	ck_assert_str_eq(l.items[0].text, "newest text");
	ck_assert_str_eq(l.items[0].owner, "Bo");
	ck_assert_int_eq(l.items[0].due.mon, 3);
	action_list_free(&l);
}
END_TEST

START_TEST(owner_and_due_are_cleared)
{
	struct action_list	 l;

	parse_ok(&l, HDR
	    "2021-01-01T10:00:00Z add 0000a1 x\n"
	    "2021-01-01T10:00:00Z owner 0000a1 Al\n"
	    "2021-01-01T10:00:00Z due 0000a1 2021-02-01\n"
	    "2021-01-01T11:00:00Z owner 0000a1\n"
	    "2021-01-01T11:00:00Z due 0000a1   \n");
	ck_assert_str_eq(l.items[0].owner, "");
	ck_assert(!l.items[0].has_due);
	action_list_free(&l);
}
END_TEST

START_TEST(done_and_reopen)
{
	struct action_list	 l;
	char			 ts[TSTAMP_RFC3339_MAX];

	parse_ok(&l, HDR
	    "2021-01-01T10:00:00Z add 0000a1 reopened then done again\n"
	    "2021-01-01T10:00:00Z add 0000b2 done twice\n"
	    "2021-01-01T10:00:00Z add 0000c3 reopened\n"
	    "2021-01-02T00:00:00Z done 0000a1\n"
	    "2021-01-04T00:00:00Z done 0000a1\n"
	    "2021-01-03T00:00:00Z reopen 0000a1\n"
	    "2021-01-06T00:00:00Z done 0000b2\n"
	    "2021-01-05T00:00:00Z done 0000b2\n"
	    "2021-01-05T00:00:00Z done 0000c3\n"
	    "2021-01-06T00:00:00Z reopen 0000c3\n");
	ck_assert(l.items[0].done);
	tstamp_format_rfc3339(ts, l.items[0].done_at);
	ck_assert_str_eq(ts, "2021-01-04T00:00:00Z");
	/* Done twice (say, on two clones): done since the first. */
	ck_assert(l.items[1].done);
	tstamp_format_rfc3339(ts, l.items[1].done_at);
	ck_assert_str_eq(ts, "2021-01-05T00:00:00Z");
	ck_assert(!l.items[2].done);
	action_list_free(&l);
}
END_TEST

START_TEST(records_before_their_add_apply_after_it)
{
	struct action_list	 l;
	char			 ts[TSTAMP_RFC3339_MAX];

	/* A clock that was off: these come before the add in time. */
	parse_ok(&l, HDR
	    "2021-01-01T08:00:00Z done 0000a1\n"
	    "2021-01-01T08:30:00Z owner 0000a1 early owner\n"
	    "2021-01-01T08:45:00Z text 0000a1 early text\n"
	    "2021-01-01T08:50:00Z owner 0000a1 later early owner\n"
	    "2021-01-01T10:00:00Z add 0000a1 the add's text\n"
	    "2021-01-01T09:00:00Z add 0000b2 added before a1\n"
	    "2021-01-01T11:00:00Z reopen 0000a1\n"
	    "2021-01-01T07:00:00Z due 0000b2 2021-05-05\n");
	ck_assert_uint_eq(l.n, 2);
	/* Numbers follow the adds only. */
	ck_assert_str_eq(l.items[0].key, "0000b2");
	ck_assert_int_eq(l.items[0].due.mon, 5);
	ck_assert_str_eq(l.items[1].key, "0000a1");
	ck_assert_str_eq(l.items[1].text, "early text");
	ck_assert_str_eq(l.items[1].owner, "later early owner");
	/* The early done applied right after the add, the reopen later. */
	ck_assert(!l.items[1].done);
	action_list_free(&l);

	parse_ok(&l, HDR
	    "2021-01-01T08:00:00Z done 0000a1\n"
	    "2021-01-01T10:00:00Z add 0000a1 x\n");
	ck_assert(l.items[0].done);
	tstamp_format_rfc3339(ts, l.items[0].done_at);
	ck_assert_str_eq(ts, "2021-01-01T08:00:00Z");
	action_list_free(&l);
}
END_TEST

#define R	"2021-11-19T17:24:00Z "

START_TEST(every_error_has_a_position)
{
	parse_err("", "a.txt:1:1: error: empty file: not a pmtool actions file "
	    "(expected 'pmtool-actions 1')");
	parse_err("# only a comment\n\n", "a.txt:3:1: error: empty file: not a "
	    "pmtool actions file (expected 'pmtool-actions 1')");
	parse_err("pmtool-incident 1\n", "a.txt:1:1: error: not a pmtool "
	    "actions file: the first line must be 'pmtool-actions 1'");
	parse_err("pmtool-actionsx 1\n", "a.txt:1:1: error: not a pmtool "
	    "actions file: the first line must be 'pmtool-actions 1'");
	parse_err("pmtool-actions\n", "a.txt:1:15: error: format version "
	    "expected after 'pmtool-actions'");
	parse_err("pmtool-actions 2\n", "a.txt:1:16: error: format version 2 "
	    "is not known to this pmtool (it reads version 1)");
	parse_err("pmtool-actions 1x\n", "a.txt:1:16: error: bad format "
	    "version '1x'");
	parse_err("pmtool-actions 1 2\n", "a.txt:1:16: error: bad format "
	    "version '1 2'");
	parse_err(HDR "add 3f9a1c text\n", "a.txt:2:1: error: expected a "
	    "record 'TIMESTAMP VERB KEY [VALUE]'");
	parse_err(HDR " " R "add 3f9a1c text\n", "a.txt:2:1: error: expected "
	    "a record 'TIMESTAMP VERB KEY [VALUE]'");
	parse_err(HDR "2021-11-19 17:24 add 3f9a1c x\n", "a.txt:2:11: error: "
	    "bad timestamp: expected YYYY-MM-DDTHH:MM:SS followed by Z or an "
	    "offset like -07:00");
	parse_err(HDR "2021-11-19T17:24:00 add 3f9a1c x\n", "a.txt:2:20: "
	    "error: bad timestamp: expected Z or a UTC offset like +02:00 or "
	    "-07:00");
	parse_err(HDR "2021-02-29T17:24:00Z add 3f9a1c x\n", "a.txt:2:1: "
	    "error: bad timestamp: no such date or time 2021-02-29T17:24:00");
	parse_err(HDR "2021-11-19T17:24:00Z\n", "a.txt:2:21: error: verb "
	    "expected after the timestamp (add, text, owner, due, done, "
	    "reopen)");
	parse_err(HDR R "close 3f9a1c\n", "a.txt:2:22: error: unknown verb "
	    "'close' (verbs: add, text, owner, due, done, reopen)");
	parse_err(HDR R "ADD 3f9a1c x\n", "a.txt:2:22: error: unknown verb "
	    "'ADD' (verbs: add, text, owner, due, done, reopen)");
	parse_err(HDR R "add\n", "a.txt:2:25: error: action key expected "
	    "after 'add'");
	parse_err(HDR R "done   \n", "a.txt:2:29: error: action key expected "
	    "after 'done'");
	parse_err(HDR R "add 3F9A1C x\n", "a.txt:2:26: error: bad action key "
	    "'3F9A1C': expected 6 lowercase hexadecimal digits");
	parse_err(HDR R "add 3f9a1 x\n", "a.txt:2:26: error: bad action key "
	    "'3f9a1': expected 6 lowercase hexadecimal digits");
	parse_err(HDR R "add 3f9a1cd x\n", "a.txt:2:26: error: bad action "
	    "key '3f9a1cd': expected 6 lowercase hexadecimal digits");
	parse_err(HDR R "add 3f9a1g x\n", "a.txt:2:26: error: bad action key "
	    "'3f9a1g': expected 6 lowercase hexadecimal digits");
	parse_err(HDR R "add 3f9a1c\n", "a.txt:2:32: error: 'add' needs the "
	    "action's text");
	parse_err(HDR R "add 3f9a1c  \t \n", "a.txt:2:36: error: 'add' needs "
	    "the action's text");
	parse_err(HDR R "add 3f9a1c x\n" R "text 3f9a1c\n", "a.txt:3:33: "
	    "error: 'text' needs the action's text");
	parse_err(HDR R "add 3f9a1c x\n" R "due 3f9a1c 2021-02-29\n",
	    "a.txt:3:33: error: bad date '2021-02-29': no such day");
	parse_err(HDR R "add 3f9a1c x\n" R "due 3f9a1c 2021-13-01\n",
	    "a.txt:3:33: error: bad date '2021-13-01': no such day");
	parse_err(HDR R "add 3f9a1c x\n" R "due 3f9a1c 0000-01-01\n",
	    "a.txt:3:33: error: bad date '0000-01-01': no such day");
	parse_err(HDR R "add 3f9a1c x\n" R "due 3f9a1c 15/12/2021\n",
	    "a.txt:3:33: error: bad date '15/12/2021': expected YYYY-MM-DD");
	parse_err(HDR R "add 3f9a1c x\n" R "due 3f9a1c 2021-12-15 noon\n",
	    "a.txt:3:33: error: bad date '2021-12-15 noon': expected "
	    "YYYY-MM-DD");
	parse_err(HDR R "add 3f9a1c x\n" R "due 3f9a1c 2021-1-15\n",
	    "a.txt:3:33: error: bad date '2021-1-15': expected YYYY-MM-DD");
	parse_err(HDR R "add 3f9a1c x\n" R "done 3f9a1c now\n", "a.txt:3:34: "
	    "error: 'done' takes no value");
	parse_err(HDR R "add 3f9a1c x\n" R "reopen 3f9a1c  why \n",
	    "a.txt:3:37: error: 'reopen' takes no value");
	parse_err(HDR R "add 3f9a1c x\n\n" R "add 3f9a1c again\n",
	    "a.txt:4:26: error: action 3f9a1c is added twice (first on line "
	    "2)");
	parse_err(HDR R "add 3f9a1c x\n" R "done 07b2e4\n", "a.txt:3:27: "
	    "error: no action 07b2e4: there is no 'add' record for it");
	/* The earliest offending line is the one reported. */
	parse_err(HDR R "owner 07b2e4 A\n" R "add 3f9a1c x\n"
	    R "add 3f9a1c y\n", "a.txt:2:28: error: no action 07b2e4: there "
	    "is no 'add' record for it");
	parse_err(HDR R "add 3f9a1c x\n" R "add 3f9a1c y\n"
	    R "owner 07b2e4 A\n" R "add 3f9a1c z\n", "a.txt:3:26: error: "
	    "action 3f9a1c is added twice (first on line 2)");
	/* A syntax error stops the reader before meaning is checked. */
	parse_err(HDR R "done 07b2e4\n" R "bogus 07b2e4\n", "a.txt:3:22: "
	    "error: unknown verb 'bogus' (verbs: add, text, owner, due, done, "
	    "reopen)");
	/* Columns count characters: "café" is 4 of them, 5 bytes. */
	parse_err(HDR R "add 3f9a1c caf\xc3\xa9\a\n", "a.txt:2:37: error: "
	    "control character");
	parse_err(HDR R "add 3f9a1c caf\xc3\xa9 \xff\n", "a.txt:2:38: error: "
	    "invalid UTF-8");
	parse_err(HDR R "add 3f9a1c x\n" R "due 3f9a1c 2021\xe2\x80\x90"
	    "12-15\n", "a.txt:3:33: error: bad date '2021\xe2\x80\x90"
	    "12-15': expected YYYY-MM-DD");
}
END_TEST

START_TEST(long_lines_are_refused)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	buf_adds(&b, HDR "2021-11-19T17:24:00Z add 3f9a1c ");
	for (i = 0; i < 70000; i++)
		buf_addc(&b, 'x');
	buf_addc(&b, '\n');
	parse_err(buf_str(&b), "a.txt:2:65537: error: line too long (70032 "
	    "bytes; at most 65536)");
	buf_free(&b);
}
END_TEST

START_TEST(many_actions)
{
	struct action_list	 l;
	struct buf		 b = BUF_INIT;
	size_t			 i;

	/* Enough keys to exercise the key table's probing and growth. */
	buf_adds(&b, HDR);
	for (i = 5000; i-- > 0; )
		buf_printf(&b, "2021-01-01T00:00:00Z add %06zx action %zu\n",
		    i * 4099 % 0x1000000, i);
	for (i = 0; i < 5000; i += 2)
		buf_printf(&b, "2021-01-02T00:00:00Z done %06zx\n",
		    i * 4099 % 0x1000000);
	parse_ok(&l, buf_str(&b));
	ck_assert_uint_eq(l.n, 5000);
	/* Same instant: file order, which counts down. */
	ck_assert_str_eq(l.items[0].text, "action 4999");
	ck_assert(!l.items[0].done);
	ck_assert_str_eq(l.items[4999].text, "action 0");
	ck_assert(l.items[4999].done);
	ck_assert_uint_eq(l.items[4999].n, 5000);
	action_list_free(&l);
	buf_free(&b);
}
END_TEST

START_TEST(writer_round_trip)
{
	struct action_list	 l, again;
	struct buf		 b = BUF_INIT;
	struct tstamp		 at = { 1637339040, 3600, 0 };
	struct tstamp		 z = { 1639127520, 0, 1 };
	char			*s;

	s = actfile_format_record(at, "add", "3f9a1c", "Fix it\tnow");
	ck_assert_str_eq(s, T0 " add 3f9a1c Fix it\tnow\n");
	buf_adds(&b, ACTFILE_HEADER);
	buf_adds(&b, s);
	free(s);
	s = actfile_format_record(at, "owner", "3f9a1c", "Zo\xc3\xab Kim");
	buf_adds(&b, s);
	free(s);
	s = actfile_format_record(at, "due", "3f9a1c", "2021-12-15");
	buf_adds(&b, s);
	free(s);
	s = actfile_format_record(z, "done", "3f9a1c", NULL);
	ck_assert_str_eq(s, "2021-12-10T09:12:00Z done 3f9a1c\n");
	buf_adds(&b, s);
	free(s);
	s = actfile_format_record(z, "owner", "3f9a1c", "");
	ck_assert_str_eq(s, "2021-12-10T09:12:00Z owner 3f9a1c\n");
	free(s);
	parse_ok(&l, buf_str(&b));
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.items[0].text, "Fix it\tnow");
	ck_assert_str_eq(l.items[0].owner, "Zo\xc3\xab Kim");
	ck_assert_int_eq(l.items[0].due.day, 15);
	ck_assert(l.items[0].done);
	ck_assert_int_eq(l.items[0].added.t, at.t);
	ck_assert_int_eq(l.items[0].added.off, at.off);
	ck_assert_int_eq(l.items[0].done_at.t, z.t);
	ck_assert(l.items[0].done_at.zulu);
	/* The header the writer starts a file with reads back empty. */
	parse_ok(&again, ACTFILE_HEADER);
	ck_assert_uint_eq(again.n, 0);
	action_list_free(&again);
	action_list_free(&l);
	buf_free(&b);
}
END_TEST

START_TEST(checks_values_to_write)
{
	ck_assert_int_eq(actfile_check_value("text", "ok\tfine"), 0);
	ck_assert_int_eq(actfile_check_value("owner", ""), 0);
	ck_assert_int_eq(actfile_check_value("text", "two\nlines"), -1);
	ck_assert_str_eq(pm_error_last(), "text: must be one line");
	ck_assert_int_eq(actfile_check_value("owner", "bad \xc3"), -1);
	ck_assert_str_eq(pm_error_last(), "owner: invalid UTF-8 at byte 5");
	ck_assert_int_eq(actfile_check_value("text", " lead"), -1);
	ck_assert_str_eq(pm_error_last(), "text: must not begin or end with a "
	    "space or TAB");
	ck_assert_int_eq(actfile_check_value("text", "trail\t"), -1);
	ck_assert_int_eq(actfile_check_value("text", "bell\a"), -1);
	ck_assert_str_eq(pm_error_last(), "text: control character at byte 5");
}
END_TEST

START_TEST(dates)
{
	struct civil	 c, d;

	ck_assert_int_eq(action_date_parse(&c, "2020-02-29", 10), 0);
	ck_assert_int_eq(c.year, 2020);
	ck_assert_int_eq(c.mon, 2);
	ck_assert_int_eq(c.day, 29);
	ck_assert_int_eq(c.hour + c.min + c.sec, 0);
	/* Only the first len bytes count. */
	ck_assert_int_eq(action_date_parse(&d, "2020-03-01T00", 10), 0);
	ck_assert_int_eq(action_date_cmp(&c, &d), -1);
	ck_assert_int_eq(action_date_cmp(&d, &c), 1);
	ck_assert_int_eq(action_date_cmp(&c, &c), 0);
	ck_assert_int_eq(action_date_parse(&c, "2019-02-29", 10), -1);
	ck_assert_str_eq(pm_error_last(), "bad date '2019-02-29': no such day");
	ck_assert_int_eq(action_date_parse(&c, "2019-04-31", 10), -1);
	ck_assert_int_eq(action_date_parse(&c, "2019-00-10", 10), -1);
	ck_assert_int_eq(action_date_parse(&c, "+019-01-10", 10), -1);
	ck_assert_str_eq(pm_error_last(), "bad date '+019-01-10': expected "
	    "YYYY-MM-DD");
	ck_assert_int_eq(action_date_parse(&c, "", 0), -1);
	ck_assert_str_eq(pm_error_last(), "bad date '': expected YYYY-MM-DD");
}
END_TEST

START_TEST(overdue)
{
	struct action	 a;
	struct civil	 today = { 2021, 12, 15, 0, 0, 0 };

	memset(&a, 0, sizeof a);
	ck_assert(!action_is_overdue(&a, &today));	/* no due date */
	a.has_due = 1;
	a.due = today;
	ck_assert(!action_is_overdue(&a, &today));	/* due today */
	a.due.day = 14;
	ck_assert(action_is_overdue(&a, &today));	/* due yesterday */
	a.due = (struct civil){ 2020, 12, 31, 0, 0, 0 };
	ck_assert(action_is_overdue(&a, &today));
	a.due = (struct civil){ 2022, 1, 1, 0, 0, 0 };
	ck_assert(!action_is_overdue(&a, &today));
	a.due.year = 2021;
	a.due.mon = 11;
	a.due.day = 30;
	ck_assert(action_is_overdue(&a, &today));
	a.done = 1;
	ck_assert(!action_is_overdue(&a, &today));	/* done: never */
	/* The clock fields of today do not matter. */
	a.done = 0;
	a.due = today;
	today.hour = 23;
	ck_assert(!action_is_overdue(&a, &today));
}
END_TEST

START_TEST(new_keys)
{
	struct action_list	 l = { NULL, 0 };
	char			 key[ACTION_KEY_LEN + 1];
	size_t			 i;

	/* Each new key goes into the list; none may repeat. */
	l.items = xcalloc(500, sizeof *l.items);
	for (i = 0; i < 500; i++) {
		ck_assert_int_eq(action_key_new(key, &l), 0);
		ck_assert_uint_eq(strlen(key), ACTION_KEY_LEN);
		ck_assert(action_key_valid(key, strlen(key)));
		ck_assert_ptr_null(action_list_find(&l, key));
		memcpy(l.items[l.n].key, key, sizeof key);
		l.n++;
	}
	ck_assert_int_eq(action_key_new(key, NULL), 0);
	free(l.items);
	ck_assert(action_key_valid("0a9f00", 6));
	ck_assert(!action_key_valid("0A9F00", 6));
	ck_assert(!action_key_valid("0a9f0", 5));
	ck_assert(!action_key_valid("0a9f0g", 6));
}
END_TEST

START_TEST(json_objects)
{
	struct action_list	 l;
	struct civil		 today = { 2021, 12, 16, 0, 0, 0 };
	json_t			*o;
	char			*s;

	parse_ok(&l, HDR
	    T0 " add 3f9a1c Fix \xe2\x80\x9cit\xe2\x80\x9d\n"
	    T0 " owner 3f9a1c Alex Kim\n"
	    T0 " due 3f9a1c 2021-12-15\n"
	    "2021-11-19T17:25:00+01:00 add 07b2e4 Monitor\n"
	    "2021-12-10T09:12:00Z done 07b2e4\n");
	o = actjson_action(&l.items[0], "2021-11-19-db", &today);
	s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
	ck_assert_str_eq(s, "{\"incident\":\"2021-11-19-db\",\"n\":1,"
	    "\"key\":\"3f9a1c\",\"text\":\"Fix \\u201Cit\\u201D\","
	    "\"owner\":\"Alex Kim\",\"due\":\"2021-12-15\",\"state\":\"open\","
	    "\"overdue\":true,\"added\":\"2021-11-19T17:24:00+01:00\","
	    "\"done_at\":null}");
	free(s);
	json_decref(o);
	o = actjson_action(&l.items[1], "2021-11-19-db", &today);
	s = json_dumps(o, JSON_COMPACT);
	ck_assert_str_eq(s, "{\"incident\":\"2021-11-19-db\",\"n\":2,"
	    "\"key\":\"07b2e4\",\"text\":\"Monitor\",\"owner\":\"\","
	    "\"due\":null,\"state\":\"done\",\"overdue\":false,"
	    "\"added\":\"2021-11-19T17:25:00+01:00\","
	    "\"done_at\":\"2021-12-10T09:12:00Z\"}");
	free(s);
	json_decref(o);
	action_list_free(&l);
}
END_TEST

Suite *
actions_suite(void)
{
	Suite	*s = suite_create("actions");
	TCase	*tc = tcase_create("actions");

	tcase_add_test(tc, reads_the_spec_example);
	tcase_add_test(tc, empty_list_and_lexical_rules);
	tcase_add_test(tc, numbered_by_time_then_file_order);
	tcase_add_test(tc, records_apply_in_time_order);
	tcase_add_test(tc, owner_and_due_are_cleared);
	tcase_add_test(tc, done_and_reopen);
	tcase_add_test(tc, records_before_their_add_apply_after_it);
	tcase_add_test(tc, every_error_has_a_position);
	tcase_add_test(tc, long_lines_are_refused);
	tcase_add_test(tc, many_actions);
	tcase_add_test(tc, writer_round_trip);
	tcase_add_test(tc, checks_values_to_write);
	tcase_add_test(tc, dates);
	tcase_add_test(tc, overdue);
	tcase_add_test(tc, new_keys);
	tcase_add_test(tc, json_objects);
	suite_add_tcase(s, tc);
	return s;
}
