/* test_import_text.c - import_statuspage_text(): the text of a status
 * page's incident (formats/import-statuspage-text.md). */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "error.h"
#include "import.h"
#include "testutil.h"
#include "xmalloc.h"

Suite *import_text_suite(void);

#define LA	"America/Los_Angeles"
/* With a time "HH:MM " after it, the zone starts at column 29. */
#define POSTED	"Posted Jun 07, 2020 - "

static char *
fixture(const char *file, size_t *len)
{
	char	*path, *text;

	path = xasprintf("%s/tests/fixtures/import-text/%s", test_top(), file);
	text = test_read_file(path, len);
	free(path);
	return text;
}

static void
import_ok(struct import_set *set, const char *text, size_t len,
    const char *tz, const char *title)
{
	memset(set, 0, sizeof *set);
	ck_assert_msg(import_statuspage_text(set, "p.txt", text, len, tz,
	    title) == 0, "%s", pm_error_last());
	ck_assert_uint_eq(set->n, 1);
}

/* An import of a fixture; the text is freed. */
static void
import_file(struct import_set *set, const char *file, const char *tz,
    const char *title)
{
	size_t	 len;
	char	*text = fixture(file, &len);

	import_ok(set, text, len, tz, title);
	free(text);
}

static void
import_err(const char *text, const char *tz, const char *title,
    const char *want)
{
	struct import_set	 set = { NULL, 0 };

	ck_assert_int_eq(import_statuspage_text(&set, "p.txt", text,
	    strlen(text), tz, title), -1);
	ck_assert_ptr_null(set.v);
	ck_assert_uint_eq(set.n, 0);
	ck_assert_msg(strcmp(pm_error_last(), want) == 0,
	    "\n got: %s\nwant: %s", pm_error_last(), want);
}

static void
check_event(const struct import_incident *inc, size_t i, const char *at,
    enum status_state state)
{
	char	 ts[TSTAMP_RFC3339_MAX];

	ck_assert_uint_lt(i, inc->nevents);
	tstamp_format_rfc3339(ts, inc->events[i].ev.at);
	ck_assert_str_eq(ts, at);
	ck_assert_int_eq(inc->events[i].ev.kind, EV_STATUS);
	ck_assert_int_eq(inc->events[i].ev.state, state);
	ck_assert_uint_eq(inc->events[i].ev.seq, i);
}

/* The five updates of page.txt, whatever the zone was read with. */
static void
check_dst_page(const struct import_incident *inc)
{
	ck_assert_str_eq(inc->title, "Elevated API error rates");
	ck_assert_str_eq(inc->severity, "");
	ck_assert_uint_eq(inc->nservices, 3);
	ck_assert_str_eq(inc->services[0], "API");
	ck_assert_str_eq(inc->services[1], "Webhooks");
	ck_assert_str_eq(inc->services[2], "Dashboard");
	ck_assert_uint_eq(inc->nevents, 5);
	check_event(inc, 0, "2026-03-08T01:12:00-08:00", ST_INVESTIGATING);
	check_event(inc, 1, "2026-03-08T01:40:00-08:00", ST_IDENTIFIED);
	check_event(inc, 2, "2026-03-08T03:05:00-07:00", ST_UPDATE);
	check_event(inc, 3, "2026-03-08T03:48:00-07:00", ST_MONITORING);
	check_event(inc, 4, "2026-03-08T05:10:00-07:00", ST_RESOLVED);
	ck_assert_str_eq(inc->events[0].ev.text, "We are investigating "
	    "elevated error rates on the API and delayed webhooks.");
	ck_assert_str_eq(inc->events[2].ev.text, "The rollback of the 00:40 "
	    "release is 60% done.\n\nWebhook deliveries queued during the "
	    "incident will be retried, so some will arrive late.");
	ck_assert_str_eq(inc->source_id, "statuspage-text:incident:Elevated "
	    "API error rates:2026-03-08T09:12:00Z");
	ck_assert_str_eq(inc->events[0].source_id, "statuspage-text:update:"
	    "2026-03-08T09:12:00Z:investigating:1");
	ck_assert_str_eq(inc->events[2].source_id, "statuspage-text:update:"
	    "2026-03-08T10:05:00Z:update:1");
	ck_assert_str_eq(inc->events[4].source_id, "statuspage-text:update:"
	    "2026-03-08T12:10:00Z:resolved:1");
}

START_TEST(dst_page_without_tz)
{
	struct import_set	 set;

	import_file(&set, "page.txt", NULL, NULL);
	check_dst_page(&set.v[0]);
	/* PST and PDT both suggest Los Angeles, which agrees with every
	 * offset the page wrote. */
	ck_assert_str_eq(set.v[0].zone, LA);
	import_set_free(&set);
}
END_TEST

START_TEST(dst_page_with_tz)
{
	struct import_set	 set;

	import_file(&set, "page.txt", LA, NULL);
	check_dst_page(&set.v[0]);
	ck_assert_str_eq(set.v[0].zone, LA);
	import_set_free(&set);
	/* Any zone that agrees does; the incident takes it. */
	import_file(&set, "page.txt", "America/Vancouver", NULL);
	check_dst_page(&set.v[0]);
	ck_assert_str_eq(set.v[0].zone, "America/Vancouver");
	import_set_free(&set);
}
END_TEST

START_TEST(newer_copy_adds_only_new_ids)
{
	struct import_set	 old, new;
	const struct import_incident *a, *b;
	size_t			 i, j;

	import_file(&old, "page.txt", LA, NULL);
	import_file(&new, "page-newer.txt", LA, NULL);
	a = &old.v[0];
	b = &new.v[0];
	ck_assert_str_eq(a->source_id, b->source_id);
	ck_assert_uint_eq(b->nevents, 7);
	for (i = 0; i < a->nevents; i++) {
		ck_assert_str_eq(a->events[i].source_id,
		    b->events[i].source_id);
		ck_assert_str_eq(a->events[i].ev.text, b->events[i].ev.text);
	}
	for (i = a->nevents; i < b->nevents; i++)
		for (j = 0; j < a->nevents; j++)
			ck_assert_str_ne(b->events[i].source_id,
			    a->events[j].source_id);
	check_event(b, 5, "2026-03-09T09:20:00-07:00", ST_UPDATE);
	check_event(b, 6, "2026-03-10T16:30:00-07:00", ST_UPDATE);
	ck_assert_str_eq(b->events[6].source_id, "statuspage-text:update:"
	    "2026-03-10T23:30:00Z:postmortem:1");
	ck_assert_str_eq(b->events[6].ev.text, "What happened: a release "
	    "lowered the database connection pool from 200 to 20 per host.\n"
	    "\nWhat we are changing: pool sizes are now checked before a "
	    "release ships.");
	import_set_free(&old);
	import_set_free(&new);
}
END_TEST

START_TEST(same_time_and_label_are_counted)
{
	static const char page[] =
	    "T\n"
	    "Update\nsecond\n" POSTED "03:18 PDT\n"
	    "Update\nfirst\n" POSTED "03:18 PDT\n"
	    "Monitoring\nsame time, other label\n" POSTED "03:18 PDT\n";
	struct import_set	 set;
	struct import_incident	*inc;

	import_ok(&set, page, strlen(page), NULL, NULL);
	inc = &set.v[0];
	ck_assert_uint_eq(inc->nevents, 3);
	/* Oldest (lowest) first, and counted from the bottom, so that
	 * updates added on top cannot renumber them. */
	ck_assert_str_eq(inc->events[0].ev.text, "same time, other label");
	ck_assert_str_eq(inc->events[0].source_id, "statuspage-text:update:"
	    "2020-06-07T10:18:00Z:monitoring:1");
	ck_assert_str_eq(inc->events[1].ev.text, "first");
	ck_assert_str_eq(inc->events[1].source_id, "statuspage-text:update:"
	    "2020-06-07T10:18:00Z:update:1");
	ck_assert_str_eq(inc->events[2].ev.text, "second");
	ck_assert_str_eq(inc->events[2].source_id, "statuspage-text:update:"
	    "2020-06-07T10:18:00Z:update:2");
	import_set_free(&set);
}
END_TEST

START_TEST(ambiguous_abbreviation_needs_tz)
{
	struct import_set	 set;
	const struct import_incident *inc;
	size_t			 len;
	char			*text = fixture("page-ist.txt", &len);

	import_err(text, NULL, NULL, "p.txt:5:29: error: zone abbreviation "
	    "'IST' is ambiguous (India +05:30, Ireland +01:00, Israel "
	    "+02:00): give --tz ZONE");
	import_ok(&set, text, len, "Asia/Kolkata", NULL);
	inc = &set.v[0];
	ck_assert_str_eq(inc->title, "Slow sign-ins");
	ck_assert_str_eq(inc->zone, "Asia/Kolkata");
	ck_assert_uint_eq(inc->nevents, 3);
	check_event(inc, 0, "2025-02-03T10:15:00+05:30", ST_INVESTIGATING);
	check_event(inc, 1, "2025-02-03T10:40:00+05:30", ST_IDENTIFIED);
	check_event(inc, 2, "2025-02-03T11:00:00+05:30", ST_RESOLVED);
	ck_assert_uint_eq(inc->nservices, 1);
	ck_assert_str_eq(inc->services[0], "Sign-in");
	import_set_free(&set);
	/* Dublin writes IST in summer only. */
	import_err(text, "Europe/Dublin", NULL, "p.txt:5:29: error: zone "
	    "abbreviation 'IST' (India +05:30, Ireland +01:00, Israel +02:00) "
	    "does not fit Europe/Dublin, which is at +00:00 (GMT) then");
	free(text);
}
END_TEST

START_TEST(abbreviation_must_fit_tz)
{
	import_err("T\nInvestigating\nx\n"
	    "Posted Jul 01, 2026 - 10:00 PST\n", LA, NULL, "p.txt:4:29: "
	    "error: zone abbreviation 'PST' (-08:00) does not fit "
	    "America/Los_Angeles, which is at -07:00 (PDT) then");
	import_err("T\nInvestigating\nx\n"
	    "Posted Jul 01, 2026 - 10:00 CEST\n", "Asia/Tokyo", NULL,
	    "p.txt:4:29: error: zone abbreviation 'CEST' (+02:00) does not fit "
	    "Asia/Tokyo, which is at +09:00 (JST) then");
	import_err("T\nInvestigating\nx\n"
	    "Posted Jul 01, 2026 - 10:00 XYZ\n", LA, NULL, "p.txt:4:29: "
	    "error: zone abbreviation 'XYZ' is not known, and "
	    "America/Los_Angeles is at -07:00 (PDT) then");
	import_err("T\nInvestigating\nx\n" POSTED "01:58 PDT\n", "Mars/Base",
	    NULL, "p.txt: error: --tz: unknown time zone 'Mars/Base' (not in "
	    "/usr/share/zoneinfo): use an IANA name such as Europe/Amsterdam");
}
END_TEST

START_TEST(tz_own_abbreviations_count)
{
	static const char manila[] = "T\nResolved\nx\n"
	    "Posted Jul 01, 2026 - 10:00 PST\n";
	static const char guam[] = "T\nResolved\nx\n"
	    "Posted Jul 01, 2026 - 10:00 ChST\n";
	struct import_set	 set;

	/* Not the table's meaning, but what the zone itself writes. */
	import_ok(&set, manila, strlen(manila), "Asia/Manila", NULL);
	check_event(&set.v[0], 0, "2026-07-01T10:00:00+08:00", ST_RESOLVED);
	import_set_free(&set);
	import_ok(&set, guam, strlen(guam), "Pacific/Guam", NULL);
	check_event(&set.v[0], 0, "2026-07-01T10:00:00+10:00", ST_RESOLVED);
	import_set_free(&set);
	import_err(guam, NULL, NULL, "p.txt:4:29: error: zone abbreviation "
	    "'ChST' is not known: give --tz ZONE");
}
END_TEST

START_TEST(clocks_going_back)
{
	static const char page[] = "T\n"
	    "Resolved\nsecond 01:30\nPosted Nov 01, 2026 - 01:30 PST\n"
	    "Investigating\nfirst 01:30\nPosted Nov 01, 2026 - 01:30 PDT\n";
	struct import_set	 set;

	/* The abbreviation tells the two 01:30s apart. */
	import_ok(&set, page, strlen(page), LA, NULL);
	check_event(&set.v[0], 0, "2026-11-01T01:30:00-07:00",
	    ST_INVESTIGATING);
	check_event(&set.v[0], 1, "2026-11-01T01:30:00-08:00", ST_RESOLVED);
	import_set_free(&set);
	/* Without an abbreviation it cannot. */
	import_err("T\nResolved\nx\nPosted Nov 01, 2026 - 01:30\n", LA, NULL,
	    "p.txt:4:28: error: 2026-11-01 01:30 happens twice in "
	    "America/Los_Angeles (at -07:00 and at -08:00); give the offset "
	    "explicitly, e.g. 2026-11-01T01:30:00-07:00");
	/* Nor when the abbreviation fits both: Havana's CDT, the US's CDT
	 * that is Havana's CST. */
	import_err("T\nResolved\nx\nPosted Nov 01, 2026 - 00:30 CDT\n",
	    "America/Havana", NULL, "p.txt:4:29: error: zone abbreviation "
	    "'CDT' in America/Havana: 2026-11-01 00:30 happens twice in "
	    "America/Havana (at -04:00 and at -05:00); give the offset "
	    "explicitly, e.g. 2026-11-01T00:30:00-04:00");
}
END_TEST

START_TEST(clocks_going_forward)
{
	import_err("T\nResolved\nx\nPosted Mar 08, 2026 - 02:30 PST\n", LA,
	    NULL, "p.txt:4:29: error: zone abbreviation 'PST' in "
	    "America/Los_Angeles: 2026-03-08 02:30 does not exist in "
	    "America/Los_Angeles (the clocks skip it); give the offset "
	    "explicitly");
	import_err("T\nResolved\nx\nPosted Mar 08, 2026 - 02:30\n", LA, NULL,
	    "p.txt:4:28: error: 2026-03-08 02:30 does not exist in "
	    "America/Los_Angeles (the clocks skip it); give the offset "
	    "explicitly");
}
END_TEST

START_TEST(no_zone_needs_tz)
{
	static const char page[] = "T\nResolved\nx\n" POSTED "03:21\n";
	struct import_set	 set;

	import_err(page, NULL, NULL, "p.txt:4:28: error: no time zone after "
	    "the time: give --tz ZONE");
	import_ok(&set, page, strlen(page), LA, NULL);
	check_event(&set.v[0], 0, "2020-06-07T03:21:00-07:00", ST_RESOLVED);
	import_set_free(&set);
}
END_TEST

/* The zone of a one-update page: its stamp and the incident's zone. */
static void
check_zone(const char *zone, const char *tz, const char *at,
    const char *want_zone)
{
	struct import_set	 set;
	char			*page;

	page = xasprintf("T\nResolved\nx\nPosted %s\n", zone);
	import_ok(&set, page, strlen(page), tz, NULL);
	check_event(&set.v[0], 0, at, ST_RESOLVED);
	ck_assert_str_eq(set.v[0].zone, want_zone);
	import_set_free(&set);
	free(page);
}

START_TEST(zone_forms)
{
	check_zone("Jun 07, 2020 - 01:58 UTC", NULL, "2020-06-07T01:58:00Z",
	    "UTC");
	check_zone("Jun 07, 2020 - 01:58 GMT", NULL, "2020-06-07T01:58:00Z",
	    "UTC");
	check_zone("Jun 07, 2020 - 01:58 UTC+2", NULL,
	    "2020-06-07T01:58:00+02:00", "UTC");
	check_zone("Jun 07, 2020 - 01:58 UTC+5:30", NULL,
	    "2020-06-07T01:58:00+05:30", "UTC");
	check_zone("Jun 07, 2020 - 01:58 GMT-05:00", NULL,
	    "2020-06-07T01:58:00-05:00", "UTC");
	check_zone("Jun 07, 2020 - 01:58 +0200", NULL,
	    "2020-06-07T01:58:00+02:00", "UTC");
	check_zone("Jun 07, 2020 - 01:58 -03:30", NULL,
	    "2020-06-07T01:58:00-03:30", "UTC");
	check_zone("Jun 07, 2020 - 01:58 +08", NULL,
	    "2020-06-07T01:58:00+08:00", "UTC");
	check_zone("Jun 07, 2020 - 01:58 pdt", NULL,
	    "2020-06-07T01:58:00-07:00", LA);
	/* UTC and offsets name their instant whatever --tz says. */
	check_zone("Jun 07, 2020 - 01:58 UTC", LA, "2020-06-07T01:58:00Z", LA);
	check_zone("Jun 07, 2020 - 01:58 +0900", LA,
	    "2020-06-07T01:58:00+09:00", LA);
	/* The guessed zone must agree with the page: Arizona's summer MST
	 * is not Denver's. */
	check_zone("Jul 07, 2020 - 01:58 MST", NULL,
	    "2020-07-07T01:58:00-07:00", "UTC");
	check_zone("Jan 07, 2020 - 01:58 MST", NULL,
	    "2020-01-07T01:58:00-07:00", "America/Denver");
	check_zone("Jan 07, 2020 - 01:58 CET", NULL,
	    "2020-01-07T01:58:00+01:00", "Europe/Berlin");
	check_zone("Jan 07, 2020 - 01:58 EET", NULL,
	    "2020-01-07T01:58:00+02:00", "UTC");
	check_zone("Jan 07, 2020 - 01:58 +0100", "Europe/Paris",
	    "2020-01-07T01:58:00+01:00", "Europe/Paris");
}
END_TEST

START_TEST(mixed_zones_guess_utc)
{
	static const char page[] = "T\n"
	    "Resolved\nx\n" POSTED "10:21 UTC\n"
	    "Investigating\ny\n" POSTED "01:58 PDT\n";
	struct import_set	 set;

	import_ok(&set, page, strlen(page), NULL, NULL);
	ck_assert_str_eq(set.v[0].zone, "UTC");
	check_event(&set.v[0], 0, "2020-06-07T01:58:00-07:00",
	    ST_INVESTIGATING);
	check_event(&set.v[0], 1, "2020-06-07T10:21:00Z", ST_RESOLVED);
	import_set_free(&set);
}
END_TEST

START_TEST(posted_line_forms)
{
	check_zone("Aug 17 , 2026 - 14:22 UTC", NULL, "2026-08-17T14:22:00Z",
	    "UTC");
	check_zone("Jun 7, 2020 - 1:58 PDT", NULL,
	    "2020-06-07T01:58:00-07:00", LA);
	check_zone("June 07, 2020 - 01:58:30 PDT", NULL,
	    "2020-06-07T01:58:30-07:00", LA);
	check_zone("Sept 07, 2020 - 01:58 PDT", NULL,
	    "2020-09-07T01:58:00-07:00", LA);
	check_zone("3 years ago. Jun 07, 2020 - 01:58 PDT", NULL,
	    "2020-06-07T01:58:00-07:00", LA);
	check_zone("  Feb 29,   2024   -   23:59   UTC  ", NULL,
	    "2024-02-29T23:59:00Z", "UTC");
}
END_TEST

START_TEST(bad_posted_lines)
{
	import_err("T\nResolved\nx\nPosted Jux 07, 2020 - 01:58 PDT\n", NULL,
	    NULL, "p.txt:4:8: error: bad month 'Jux': expected Jan, Feb, ... "
	    "or Dec");
	import_err("T\nResolved\nx\nPosted Jun 31, 2020 - 01:58 PDT\n", NULL,
	    NULL, "p.txt:4:12: error: June 2020 has no day 31");
	import_err("T\nResolved\nx\nPosted Feb 29, 2021 - 01:58 PDT\n", NULL,
	    NULL, "p.txt:4:12: error: February 2021 has no day 29");
	import_err("T\nResolved\nx\nPosted Jun 07, 2020 - 25:58 PDT\n", NULL,
	    NULL, "p.txt:4:23: error: bad hour 25: hours go from 00 to 23");
	import_err("T\nResolved\nx\nPosted Jun 07, 2020 - 01:60 PDT\n", NULL,
	    NULL, "p.txt:4:26: error: bad minute 60");
	import_err("T\nResolved\nx\nPosted Jun 07 2020 - 01:58 PDT\n", NULL,
	    NULL, "p.txt:4:15: error: expected ',' after the day");
	import_err("T\nResolved\nx\nPosted Jun 07, 20 - 01:58 PDT\n", NULL,
	    NULL, "p.txt:4:16: error: expected a four-digit year");
	import_err("T\nResolved\nx\nPosted Jun 07, 2020 01:58 PDT\n", NULL,
	    NULL, "p.txt:4:21: error: expected ' - ' between the date and the "
	    "time");
	import_err("T\nResolved\nx\nPosted Jun 07, 2020 - 0158 PDT\n", NULL,
	    NULL, "p.txt:4:23: error: expected the time as HH:MM");
	import_err("T\nResolved\nx\n" POSTED "01:58 PDT (Pacific)\n", NULL,
	    NULL, "p.txt:4:33: error: unexpected text after the time zone");
	import_err("T\nResolved\nx\n" POSTED "01:58 UTC+15\n", NULL, NULL,
	    "p.txt:4:29: error: bad time zone 'UTC+15': expected an "
	    "abbreviation such as PDT, or an offset such as UTC+02:00 or "
	    "+0200");
	import_err("T\nResolved\nx\n" POSTED "01:58 XYZ\n", NULL, NULL,
	    "p.txt:4:29: error: zone abbreviation 'XYZ' is not known: give "
	    "--tz ZONE");
	/* Its line, not the label's: "Posted a fix" would be text. */
	import_err("T\nResolved\nx\n  Posted Jun 07, 2020 - 01:58 PDT\n"
	    "Investigating\ny\n" POSTED "01:99 PDT\n", NULL, NULL,
	    "p.txt:7:26: error: bad minute 99");
}
END_TEST

START_TEST(structure_errors)
{
	static const char *const empty[] = { "", "\n\n", "Title only\n",
	    "Database issues\nIncident Report for Example\n\nsome text\n" };
	size_t	 i;

	for (i = 0; i < sizeof empty / sizeof empty[0]; i++)
		import_err(empty[i], NULL, NULL, "p.txt:1:1: error: no update "
		    "found: expected a label (Investigating, Identified, "
		    "Update, Monitoring, Resolved or Postmortem) on a line of "
		    "its own, the text, then 'Posted MON DD, YYYY - HH:MM "
		    "ZONE'");
	import_err("T\nIdentified\nfoo\n  Monitoring  \nbar\n" POSTED
	    "01:58 PDT\n", NULL, NULL, "p.txt:2:1: error: 'Identified' is not "
	    "followed by a 'Posted MON DD, YYYY - HH:MM ZONE' line before line "
	    "4, which starts another update (a label on a line of its own)");
	import_err("T\n" POSTED "01:58 PDT\n", NULL, NULL, "p.txt:2:1: error: "
	    "a 'Posted' line with no update above it (a label such as "
	    "'Investigating' on its own line, then the text)");
	import_err("T\nResolved\nx\n" POSTED "03:21 PDT\n" POSTED
	    "03:22 PDT\n", NULL, NULL, "p.txt:5:1: error: a 'Posted' line with "
	    "no update above it (a label such as 'Investigating' on its own "
	    "line, then the text)");
	import_err("T\nResolved\nx\n" POSTED "03:21 PDT\n\n  stray words\n"
	    "Investigating\ny\n" POSTED "01:58 PDT\n", NULL, NULL, "p.txt:6:3: "
	    "error: text between two updates: expected a label such as "
	    "'Update' on its own line");
	import_err("T\nResolved\nx\n" POSTED "03:21 PDT\nThis incident "
	    "affected: API.\nInvestigating\ny\n" POSTED "01:58 PDT\n", NULL,
	    NULL, "p.txt:5:1: error: text between two updates: expected a "
	    "label such as 'Update' on its own line");
	/* A label after the last update opens one more. */
	import_err("T\nResolved\nx\n" POSTED "03:21 PDT\n\nUpdate\nThe "
	    "text\n", NULL, NULL, "p.txt:6:1: error: 'Update' is not followed "
	    "by a 'Posted MON DD, YYYY - HH:MM ZONE' line: the text ends first "
	    "(is it cut short?)");
	/* After page chrome, it is text between updates. */
	import_err("T\nResolved\nx\n" POSTED "03:21 PDT\nPowered by "
	    "Statuspage\nUpdate\n", NULL, NULL, "p.txt:5:1: error: text "
	    "between two updates: expected a label such as 'Update' on its "
	    "own line");
}
END_TEST

START_TEST(truncated_page)
{
	size_t	 len;
	char	*text = fixture("page-truncated.txt", &len);

	import_err(text, LA, NULL, "p.txt:9:1: error: 'Monitoring' is not "
	    "followed by a 'Posted MON DD, YYYY - HH:MM ZONE' line: the text "
	    "ends first (is it cut short?)");
	free(text);
}
END_TEST

START_TEST(invalid_utf8)
{
	import_err("T\nResolved\nZo\xc3\xab \xff\n" POSTED "03:21 PDT\n", NULL,
	    NULL, "p.txt:3:5: error: invalid UTF-8");
	/* Reported in text order: the bad line 2 before the bad zone. */
	import_err("T\xc3(\nResolved\nx\n" POSTED "03:21 XYZ\n", NULL, NULL,
	    "p.txt:1:2: error: invalid UTF-8");
}
END_TEST

START_TEST(title_sources)
{
	static const char body[] = "Resolved\nx\n" POSTED "03:21 PDT\n";
	static const char *const pages[][2] = {
		{ "Database issues\nIncident Report for Example\n",
		  "Database issues" },
		{ "Example Status\nSubscribe\n\n  Database   issues \n\n"
		  "Incident Report for Example\n", "Database issues" },
		{ "\n\nFirst line\nSecond line\n", "First line" },
		{ "Update - new plans\nIncident Report for Example\n",
		  "Update - new plans" },
		{ "Window\nScheduled Maintenance Report for Example\n",
		  "Window" },
	};
	struct import_set	 set;
	size_t			 i;
	char			*page;

	for (i = 0; i < sizeof pages / sizeof pages[0]; i++) {
		page = xasprintf("%s%s", pages[i][0], body);
		import_ok(&set, page, strlen(page), NULL, NULL);
		ck_assert_str_eq(set.v[0].title, pages[i][1]);
		import_set_free(&set);
		/* --title wins, and names the incident's id. */
		import_ok(&set, page, strlen(page), NULL, " Given\ttitle ");
		ck_assert_str_eq(set.v[0].title, "Given title");
		ck_assert_str_eq(set.v[0].source_id, "statuspage-text:"
		    "incident:Given title:2020-06-07T10:21:00Z");
		import_set_free(&set);
		free(page);
	}
	import_err(body, NULL, NULL, "p.txt:1:1: error: no title: the text "
	    "has no heading line above its first update; give --title TITLE");
	import_err("\nIncident Report for Example\nResolved\nx\n" POSTED
	    "03:21 PDT\n", NULL, NULL, "p.txt:2:1: error: no title above the "
	    "'Incident Report for' line: give --title TITLE");
	import_err("T\nResolved\nx\n" POSTED "03:21 PDT\n", NULL, " \t",
	    "p.txt: error: the --title given is empty");
	import_ok(&set, body, strlen(body), NULL, "Given");
	ck_assert_str_eq(set.v[0].title, "Given");
	import_set_free(&set);
}
END_TEST

/* The services an affected line gives, joined with "|". */
static void
check_services(const char *line, const char *want, const char *severity)
{
	struct import_set	 set;
	struct buf		 b = BUF_INIT;
	char			*page;
	size_t			 i;

	page = xasprintf("T\nResolved\nx\n" POSTED "03:21 PDT\n%s\n"
	    "Powered by Atlassian Statuspage\n", line);
	import_ok(&set, page, strlen(page), NULL, NULL);
	for (i = 0; i < set.v[0].nservices; i++)
		buf_printf(&b, "%s%s", i > 0 ? "|" : "", set.v[0].services[i]);
	ck_assert_str_eq(buf_str(&b), want);
	ck_assert_str_eq(set.v[0].severity, severity);
	buf_free(&b);
	import_set_free(&set);
	free(page);
}

START_TEST(services_from_affected_line)
{
	check_services("", "", "");
	check_services("This incident affected: API.", "API", "");
	check_services("This incident affected: API and Webhooks.",
	    "API|Webhooks", "");
	check_services("This incident affected: API, Webhooks, and Dashboard.",
	    "API|Webhooks|Dashboard", "");
	check_services("  this incident AFFECTED:   Git Operations  ",
	    "Git Operations", "");
	check_services("This incident affected: Cloud (eu-1 (primary), "
	    "us-1), Sales and Marketing, Mail [in, out], and Search.",
	    "Cloud (eu-1 (primary), us-1)|Sales and Marketing|Mail [in, out]|"
	    "Search", "");
	check_services("This incident affected: Web (eu, us) and API.",
	    "Web (eu, us)|API", "");
	check_services("This scheduled maintenance affected: Database and "
	    "Backups.", "Database|Backups", "maintenance");
}
END_TEST

START_TEST(crlf_and_bom)
{
	struct import_set	 lf, crlf;
	struct buf		 b = BUF_INIT;
	size_t			 len, i;
	char			*text = fixture("page.txt", &len);

	buf_add(&b, "\xef\xbb\xbf", 3);
	for (i = 0; i < len; i++) {
		if (text[i] == '\n')
			buf_addc(&b, '\r');
		buf_addc(&b, text[i]);
	}
	import_ok(&lf, text, len, NULL, NULL);
	import_ok(&crlf, b.data, b.len, NULL, NULL);
	check_dst_page(&crlf.v[0]);
	for (i = 0; i < lf.v[0].nevents; i++) {
		ck_assert_str_eq(lf.v[0].events[i].ev.text,
		    crlf.v[0].events[i].ev.text);
		ck_assert_str_eq(lf.v[0].events[i].source_id,
		    crlf.v[0].events[i].source_id);
	}
	import_set_free(&crlf);
	/* A BOM alone, and a title on the BOM's line. */
	buf_truncate(&b, 0);
	buf_add(&b, "\xef\xbb\xbf", 3);
	buf_add(&b, text, len);
	import_ok(&crlf, b.data, b.len, NULL, NULL);
	check_dst_page(&crlf.v[0]);
	import_set_free(&crlf);
	import_set_free(&lf);
	buf_free(&b);
	free(text);
}
END_TEST

START_TEST(one_line_form)
{
	struct import_set	 set;
	const struct import_incident *inc;

	import_file(&set, "page-oneline.txt", NULL, NULL);
	inc = &set.v[0];
	ck_assert_str_eq(inc->title, "Delayed email notifications");
	ck_assert_str_eq(inc->zone, "Europe/Berlin");
	ck_assert_uint_eq(inc->nevents, 3);
	check_event(inc, 0, "2022-07-04T14:20:00+02:00", ST_INVESTIGATING);
	check_event(inc, 1, "2022-07-04T14:41:00+02:00", ST_IDENTIFIED);
	check_event(inc, 2, "2022-07-04T15:02:00+02:00", ST_RESOLVED);
	ck_assert_str_eq(inc->events[0].ev.text, "We are investigating delays "
	    "of up to 30 minutes in email notifications.");
	ck_assert_str_eq(inc->events[1].ev.text, "A stuck queue worker "
	    "delayed outgoing email.\nRestarting it drained the backlog.");
	ck_assert_str_eq(inc->events[2].source_id, "statuspage-text:update:"
	    "2022-07-04T13:02:00Z:resolved:1");
	ck_assert_uint_eq(inc->nservices, 1);
	ck_assert_str_eq(inc->services[0], "Notifications");
	import_set_free(&set);
}
END_TEST

START_TEST(one_line_form_details)
{
	static const char page[] = "T\n"
	    "resolved -\n" POSTED "03:21 PDT\n"
	    "Update - Update - twice\n  Update - in a text is text\n" POSTED
	    "03:18 PDT\n"
	    "In progress - Swapping disks\n" POSTED "03:17 PDT\n"
	    "Investigating\n\n  Indented first line\n\n" POSTED "01:58 PDT\n";
	struct import_set	 set;
	const struct import_incident *inc;

	import_ok(&set, page, strlen(page), NULL, NULL);
	inc = &set.v[0];
	ck_assert_uint_eq(inc->nevents, 4);
	check_event(inc, 0, "2020-06-07T01:58:00-07:00", ST_INVESTIGATING);
	ck_assert_str_eq(inc->events[0].ev.text, "Indented first line");
	check_event(inc, 1, "2020-06-07T03:17:00-07:00", ST_IDENTIFIED);
	ck_assert_str_eq(inc->events[1].ev.text, "Swapping disks");
	check_event(inc, 2, "2020-06-07T03:18:00-07:00", ST_UPDATE);
	ck_assert_str_eq(inc->events[2].ev.text, "Update - twice\n"
	    "  Update - in a text is text");
	check_event(inc, 3, "2020-06-07T03:21:00-07:00", ST_RESOLVED);
	ck_assert_str_eq(inc->events[3].ev.text, "");
	import_set_free(&set);
	/* The dash needs blanks around it. */
	import_err("T\nResolved\nx\n" POSTED "03:21 PDT\nInvestigating-no "
	    "blank\ny\n" POSTED "01:58 PDT\n", NULL, NULL, "p.txt:5:1: error: "
	    "text between two updates: expected a label such as 'Update' on "
	    "its own line");
}
END_TEST

START_TEST(markdown_text_is_kept)
{
	struct import_set	 set;
	const struct import_incident *inc;

	import_file(&set, "page-markdown.txt", NULL, NULL);
	inc = &set.v[0];
	ck_assert_uint_eq(inc->nevents, 2);
	ck_assert_str_eq(inc->zone, "UTC");
	check_event(inc, 0, "2025-10-05T17:15:00Z", ST_INVESTIGATING);
	ck_assert_str_eq(inc->events[0].ev.text, "Invoices show `{{total}}` "
	    "and [a link](http://example.com) *instead* of the amount \\ _x_");
	ck_assert_str_eq(inc->events[1].ev.text, "Fixed. What was affected:\n"
	    "\n| a | b |\n|---|---|\n| eu | 120 |\n\n# Heading\n* list\n"
	    "<b>html</b> & <script>x</script>");
	ck_assert_str_eq(inc->services[0], "Billing");
	import_set_free(&set);
}
END_TEST

START_TEST(text_is_cleaned)
{
	static const char page[] = "T\nResolved\n\n\n  first<br>second\t "
	    "\nbell\a, nul\0 end  \n\n\n" POSTED "03:21 PDT\n";
	struct import_set	 set;

	import_ok(&set, page, sizeof page - 1, NULL, NULL);
	ck_assert_str_eq(set.v[0].events[0].ev.text,
	    "first\nsecond\nbell , nul  end");
	import_set_free(&set);
}
END_TEST

START_TEST(maintenance_labels)
{
	static const char page[] = "Database upgrade\n"
	    "Scheduled Maintenance Report for Example\n"
	    "Completed\nDone.\n" POSTED "05:00 UTC\n"
	    "Verifying\nChecking.\n" POSTED "04:30 UTC\n"
	    "In progress\nStarted.\n" POSTED "04:00 UTC\n"
	    "Scheduled\nPlanned.\n" POSTED "01:00 UTC\n";
	struct import_set	 set;
	const struct import_incident *inc;

	import_ok(&set, page, strlen(page), NULL, NULL);
	inc = &set.v[0];
	ck_assert_str_eq(inc->title, "Database upgrade");
	ck_assert_str_eq(inc->severity, "maintenance");
	ck_assert_uint_eq(inc->nevents, 4);
	check_event(inc, 0, "2020-06-07T01:00:00Z", ST_INVESTIGATING);
	check_event(inc, 1, "2020-06-07T04:00:00Z", ST_IDENTIFIED);
	check_event(inc, 2, "2020-06-07T04:30:00Z", ST_MONITORING);
	check_event(inc, 3, "2020-06-07T05:00:00Z", ST_RESOLVED);
	ck_assert_str_eq(inc->events[1].source_id, "statuspage-text:update:"
	    "2020-06-07T04:00:00Z:in-progress:1");
	import_set_free(&set);
}
END_TEST

START_TEST(appends_and_leaves_out_alone_on_error)
{
	struct import_set	 set;
	size_t			 len;
	char			*text = fixture("page-ist.txt", &len);

	import_file(&set, "page.txt", NULL, NULL);
	ck_assert_int_eq(import_statuspage_text(&set, "p.txt", text, len,
	    NULL, NULL), -1);
	ck_assert_uint_eq(set.n, 1);
	ck_assert_int_eq(import_statuspage_text(&set, "p.txt", text, len,
	    "Asia/Kolkata", NULL), 0);
	ck_assert_uint_eq(set.n, 2);
	check_dst_page(&set.v[0]);
	ck_assert_str_eq(set.v[1].title, "Slow sign-ins");
	import_set_free(&set);
	free(text);
}
END_TEST

/* A seed of shared/seeds: real pages' text. */
static void
import_seed(struct import_set *set, const char *file)
{
	char	*path, *text;
	size_t	 len;

	path = xasprintf("%s/../shared/seeds/%s", test_top(), file);
	text = test_read_file(path, &len);
	import_ok(set, text, len, NULL, NULL);
	free(text);
	free(path);
}

START_TEST(reads_the_seeds)
{
	struct import_set	 set;
	const struct import_incident *inc;

	import_seed(&set, "000_c516fdccfd87fe94.txt");
	inc = &set.v[0];
	ck_assert_str_eq(inc->title, "Database issues");
	ck_assert_str_eq(inc->zone, LA);
	ck_assert_uint_eq(inc->nevents, 5);
	check_event(inc, 0, "2020-06-07T01:58:00-07:00", ST_INVESTIGATING);
	check_event(inc, 3, "2020-06-07T03:21:00-07:00", ST_RESOLVED);
	check_event(inc, 4, "2020-06-10T11:16:00-07:00", ST_UPDATE);
	ck_assert_uint_eq(inc->nservices, 0);
	import_set_free(&set);

	import_seed(&set, "003_965ec824a4da26e8.txt");
	inc = &set.v[0];
	ck_assert_str_eq(inc->title, "Services disturbed");
	ck_assert_str_eq(inc->zone, "Europe/Berlin");
	ck_assert_uint_eq(inc->nevents, 9);
	check_event(inc, 0, "2021-11-15T08:03:00+01:00", ST_INVESTIGATING);
	ck_assert_uint_eq(inc->nservices, 6);
	ck_assert_str_eq(inc->services[0], "Exalate Cloud (connect.exalate.net "
	    "(mapper), Hosting platform, connect.exalate.cloud)");
	ck_assert_str_eq(inc->services[5], "GitHub (Exalate for GitHub)");
	/* Two "Update"s with the same text have their own times. */
	ck_assert_str_eq(inc->events[2].ev.text, inc->events[3].ev.text);
	ck_assert_str_ne(inc->events[2].source_id, inc->events[3].source_id);
	import_set_free(&set);

	import_seed(&set, "004_cfe65bbc588e0694.txt");
	inc = &set.v[0];
	ck_assert_str_eq(inc->title, "Performance issue");
	ck_assert_uint_eq(inc->nevents, 4);
	check_event(inc, 0, "2024-01-16T10:55:00+01:00", ST_MONITORING);
	ck_assert_uint_eq(inc->nservices, 9);
	ck_assert_str_eq(inc->services[8], "Exports");
	import_set_free(&set);
}
END_TEST

Suite *
import_text_suite(void)
{
	Suite	*s = suite_create("import_text");
	TCase	*tc = tcase_create("import_text");

	tcase_add_test(tc, dst_page_without_tz);
	tcase_add_test(tc, dst_page_with_tz);
	tcase_add_test(tc, newer_copy_adds_only_new_ids);
	tcase_add_test(tc, same_time_and_label_are_counted);
	tcase_add_test(tc, ambiguous_abbreviation_needs_tz);
	tcase_add_test(tc, abbreviation_must_fit_tz);
	tcase_add_test(tc, tz_own_abbreviations_count);
	tcase_add_test(tc, clocks_going_back);
	tcase_add_test(tc, clocks_going_forward);
	tcase_add_test(tc, no_zone_needs_tz);
	tcase_add_test(tc, zone_forms);
	tcase_add_test(tc, mixed_zones_guess_utc);
	tcase_add_test(tc, posted_line_forms);
	tcase_add_test(tc, bad_posted_lines);
	tcase_add_test(tc, structure_errors);
	tcase_add_test(tc, truncated_page);
	tcase_add_test(tc, invalid_utf8);
	tcase_add_test(tc, title_sources);
	tcase_add_test(tc, services_from_affected_line);
	tcase_add_test(tc, crlf_and_bom);
	tcase_add_test(tc, one_line_form);
	tcase_add_test(tc, one_line_form_details);
	tcase_add_test(tc, markdown_text_is_kept);
	tcase_add_test(tc, text_is_cleaned);
	tcase_add_test(tc, maintenance_labels);
	tcase_add_test(tc, appends_and_leaves_out_alone_on_error);
	tcase_add_test(tc, reads_the_seeds);
	suite_add_tcase(s, tc);
	return s;
}
