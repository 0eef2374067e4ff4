/* test_lint.c - the checks of pmtool lint: each check, its severity, the
 * event it is reported on, sorting and formatting. */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "actfile.h"
#include "analysis.h"
#include "error.h"
#include "incfile.h"
#include "lint.h"
#include "xmalloc.h"

Suite *lint_suite(void);

#define HDR	"pmtool-incident 1\ntitle: T\nzone: UTC\n\n"
#define TL	"incidents/i/timeline.txt"
#define PM	"incidents/i/postmortem.md"
#define HOUR	3600

/* 2020-01-01T12:00:00Z: "now" for every test. */
static const int64_t now0 = 1577880000;

static struct incident *
parse_ok(const char *text)
{
	struct incident	*inc = NULL;

	ck_assert_msg(incfile_parse(&inc, "t.txt", text, strlen(text)) == 0,
	    "%s", pm_error_last());
	incident_set(&inc->id, "i");
	return inc;
}

/* The findings of the timeline checks of text, sorted. */
static struct incident *
timeline(struct lint_list *l, const char *text, int64_t cadence)
{
	struct incident	*inc = parse_ok(text);

	lint_list_init(l);
	ck_assert_int_eq(lint_timeline(l, inc, cadence, now0), 0);
	lint_sort(l);
	return inc;
}

/* All the findings, formatted, one a line. */
static char *
lines(const struct lint_list *l)
{
	struct buf	 b = BUF_INIT;
	char		*s;
	size_t		 i;

	for (i = 0; i < l->n; i++) {
		s = lint_format(&l->items[i]);
		buf_printf(&b, "%s\n", s);
		free(s);
	}
	return buf_detach(&b);
}

/* Finding i is of sev, on line, in file, its message holding want. */
static void
is_finding(const struct lint_list *l, size_t i, enum lint_severity sev,
    const char *file, unsigned line, const char *want)
{
	char	*all = lines(l);

	ck_assert_msg(i < l->n, "no finding %zu in:\n%s", i, all);
	ck_assert_msg(l->items[i].severity == sev, "finding %zu severity "
	    "in:\n%s", i, all);
	ck_assert_str_eq(l->items[i].file, file);
	ck_assert_msg(l->items[i].line == line, "finding %zu: line %u, not "
	    "%u, in:\n%s", i, l->items[i].line, line, all);
	ck_assert_msg(strstr(l->items[i].message, want) != NULL,
	    "finding %zu lacks [%s] in:\n%s", i, want, all);
	free(all);
}

static void
count_is(const struct lint_list *l, size_t n)
{
	char	*all = lines(l);

	ck_assert_msg(l->n == n, "%zu findings, not %zu:\n%s", l->n, n, all);
	free(all);
}

/* The event on line of inc (in the corrected timeline). */
static const struct event *
event_on(const struct incident *inc, unsigned line)
{
	size_t	 i;

	for (i = 0; i < inc->nevents; i++)
		if (inc->events[i].line == line)
			return &inc->events[i];
	ck_abort_msg("no event on line %u", line);
	return NULL;
}

START_TEST(a_clean_timeline_has_no_findings)
{
	struct lint_list	 l;
	struct incident		*inc;

	inc = timeline(&l, HDR
	    "2020-01-01T00:00:00Z started\n"
	    "2020-01-01T00:05:00Z detected\n"
	    "2020-01-01T00:06:00Z acknowledged\n"
	    "2020-01-01T00:10:00Z status investigating a\n"
	    "2020-01-01T00:30:00Z status identified b\n"
	    "2020-01-01T00:40:00Z mitigated\n"
	    "2020-01-01T00:50:00Z resolved\n"
	    "2020-01-01T00:55:00Z status resolved c\n"
	    "2020-01-01T01:00:00Z role comms Sam\n", 30 * 60);
	count_is(&l, 0);
	lint_list_free(&l);
	incident_free(inc);
	/* Nothing at all is no finding either, and no crash. */
	inc = timeline(&l, HDR, 30 * 60);
	count_is(&l, 0);
	lint_list_free(&l);
	incident_free(inc);
}
END_TEST

START_TEST(before_started_is_an_error_on_the_later_logged)
{
	struct lint_list	 l;
	struct incident		*inc;

	/* The started of line 6 was logged after the detected of line 5:
	 * the contradiction is reported on the started. */
	inc = timeline(&l, HDR
	    "2020-01-01T00:00:00Z detected\n"
	    "2020-01-01T00:10:00Z started\n", 0);
	count_is(&l, 1);
	is_finding(&l, 0, LINT_ERROR, TL, 6, "started at "
	    "2020-01-01T00:10:00Z comes after detected at "
	    "2020-01-01T00:00:00Z (line 5)");
	ck_assert_str_eq(l.items[0].ref, event_on(inc, 6)->ref);
	ck_assert_int_eq(strlen(l.items[0].ref), EVENT_REF_LEN);
	ck_assert(strstr(l.items[0].message, "pmtool amend i ") != NULL);
	lint_list_free(&l);
	incident_free(inc);
	/* Logged the other way round: on the detected, line 6. */
	inc = timeline(&l, HDR
	    "2020-01-01T00:10:00Z started\n"
	    "2020-01-01T00:00:00Z detected\n", 0);
	count_is(&l, 1);
	is_finding(&l, 0, LINT_ERROR, TL, 6, "detected at "
	    "2020-01-01T00:00:00Z comes before started");
	ck_assert_str_eq(l.items[0].ref, event_on(inc, 6)->ref);
	lint_list_free(&l);
	incident_free(inc);
}
END_TEST

START_TEST(each_milestone_out_of_order)
{
	struct lint_list	 l;
	struct incident		*inc;

	/* acknowledged, mitigated, resolved before started; acknowledged,
	 * mitigated, resolved before detected; resolved before mitigated. */
	inc = timeline(&l, HDR
	    "2020-01-01T01:00:00Z started\n"
	    "2020-01-01T02:00:00Z detected\n"
	    "2020-01-01T00:10:00Z acknowledged\n"
	    "2020-01-01T00:40:00Z mitigated\n"
	    "2020-01-01T00:30:00Z resolved\n", 0);
	count_is(&l, 7);
	is_finding(&l, 0, LINT_ERROR, TL, 7, "acknowledged at "
	    "2020-01-01T00:10:00Z comes before detected");
	is_finding(&l, 1, LINT_ERROR, TL, 7, "acknowledged at "
	    "2020-01-01T00:10:00Z comes before started");
	is_finding(&l, 2, LINT_ERROR, TL, 8, "mitigated at "
	    "2020-01-01T00:40:00Z comes before detected");
	is_finding(&l, 3, LINT_ERROR, TL, 8, "mitigated at "
	    "2020-01-01T00:40:00Z comes before started");
	is_finding(&l, 4, LINT_ERROR, TL, 9, "resolved at "
	    "2020-01-01T00:30:00Z comes before detected");
	is_finding(&l, 5, LINT_ERROR, TL, 9, "resolved at "
	    "2020-01-01T00:30:00Z comes before mitigated");
	is_finding(&l, 6, LINT_ERROR, TL, 9, "resolved at "
	    "2020-01-01T00:30:00Z comes before started");
	lint_list_free(&l);
	incident_free(inc);
}
END_TEST

START_TEST(a_reopening_begins_a_new_episode)
{
	struct lint_list	 l;
	struct incident		*inc;

	/* Resolved, reopened, mitigated and resolved again; a second
	 * detection after the reopening. */
	inc = timeline(&l, HDR
	    "2020-01-01T00:00:00Z started\n"
	    "2020-01-01T00:05:00Z detected\n"
	    "2020-01-01T00:30:00Z resolved\n"
	    "2020-01-01T00:40:00Z status resolved done\n"
	    "2020-01-01T01:00:00Z reopened it is back\n"
	    "2020-01-01T01:05:00Z detected again\n"
	    "2020-01-01T01:10:00Z status investigating back\n"
	    "2020-01-01T01:20:00Z mitigated\n"
	    "2020-01-01T01:30:00Z resolved\n", 0);
	count_is(&l, 0);
	lint_list_free(&l);
	incident_free(inc);
}
END_TEST

START_TEST(a_second_detected_is_an_error)
{
	struct lint_list	 l;
	struct incident		*inc;

	inc = timeline(&l, HDR
	    "2020-01-01T00:00:00Z started\n"
	    "2020-01-01T00:20:00Z detected by a customer\n"
	    "2020-01-01T00:05:00Z detected by an alert\n", 0);
	count_is(&l, 1);
	is_finding(&l, 0, LINT_ERROR, TL, 7, "a second detected event (the "
	    "other is line 6)");
	ck_assert(strstr(l.items[0].message, "pmtool retract i ") != NULL);
	ck_assert_str_eq(l.items[0].ref, event_on(inc, 7)->ref);
	lint_list_free(&l);
	incident_free(inc);
}
END_TEST

START_TEST(a_status_update_after_status_resolved)
{
	struct lint_list	 l;
	struct incident		*inc;

	inc = timeline(&l, HDR
	    "2020-01-01T00:00:00Z started\n"
	    "2020-01-01T00:10:00Z status resolved all good\n"
	    "2020-01-01T00:20:00Z status investigating oh no\n"
	    "2020-01-01T00:30:00Z status resolved fine now\n", 0);
	/* The investigating after resolved is an error; it opened the
	 * incident in effect, so the resolved after it is no repeat. */
	count_is(&l, 1);
	is_finding(&l, 0, LINT_ERROR, TL, 7, "status investigating at "
	    "2020-01-01T00:20:00Z comes after the public status said "
	    "resolved (line 6) with no reopened event between");
	ck_assert(strstr(l.items[0].message, "pmtool log i reopened") !=
	    NULL);
	lint_list_free(&l);
	incident_free(inc);
	/* With a reopened between: nothing. A resolved repeated: a
	 * warning. */
	inc = timeline(&l, HDR
	    "2020-01-01T00:00:00Z started\n"
	    "2020-01-01T00:10:00Z status resolved all good\n"
	    "2020-01-01T00:15:00Z reopened\n"
	    "2020-01-01T00:20:00Z status investigating oh no\n"
	    "2020-01-01T00:30:00Z status resolved fine now\n"
	    "2020-01-01T00:40:00Z status resolved postmortem posted\n", 0);
	count_is(&l, 1);
	is_finding(&l, 0, LINT_WARNING, TL, 10, "status resolved at "
	    "2020-01-01T00:40:00Z repeats the status resolved of line 9");
	lint_list_free(&l);
	incident_free(inc);
}
END_TEST

START_TEST(a_status_update_after_the_resolved_event)
{
	struct lint_list	 l;
	struct incident		*inc;

	inc = timeline(&l, HDR
	    "2020-01-01T00:00:00Z started\n"
	    "2020-01-01T00:30:00Z resolved\n"
	    "2020-01-01T00:40:00Z status investigating late\n"
	    "2020-01-01T00:50:00Z status resolved done\n", 0);
	/* The page saying resolved after the end is the normal order. */
	count_is(&l, 1);
	is_finding(&l, 0, LINT_WARNING, TL, 7, "status investigating at "
	    "2020-01-01T00:40:00Z comes after the resolved event (line 6)");
	lint_list_free(&l);
	incident_free(inc);
}
END_TEST

START_TEST(status_gaps_over_the_cadence)
{
	struct lint_list	 l;
	struct incident		*inc;
	const char		*text = HDR
	    "2020-01-01T00:00:00Z started\n"
	    "2020-01-01T00:10:00Z status investigating a\n"
	    "2020-01-01T00:40:00Z status identified b\n"
	    "2020-01-01T01:25:00Z status update c\n"
	    "2020-01-01T01:30:00Z status resolved d\n"
	    "2020-01-01T05:00:00Z resolved\n";

	inc = timeline(&l, text, 30 * 60);
	/* 30m exactly is within it; 45m is over; nothing after the
	 * resolved post counts. */
	count_is(&l, 1);
	is_finding(&l, 0, LINT_WARNING, TL, 8, "45m between public status "
	    "updates (lines 7 and 8), over the cadence of 30m");
	ck_assert_str_eq(l.items[0].ref, event_on(inc, 8)->ref);
	lint_list_free(&l);
	incident_free(inc);
	/* A cadence of 0 checks nothing. */
	inc = timeline(&l, text, 0);
	count_is(&l, 0);
	lint_list_free(&l);
	incident_free(inc);
}
END_TEST

START_TEST(an_open_incident_silent_for_too_long)
{
	struct lint_list	 l;
	struct incident		*inc;

	/* now0 is 12:00: 2h since the last update. */
	inc = timeline(&l, HDR
	    "2020-01-01T09:00:00Z started\n"
	    "2020-01-01T10:00:00Z status investigating a\n", 30 * 60);
	count_is(&l, 1);
	is_finding(&l, 0, LINT_WARNING, TL, 6, "no public status update for "
	    "2h (the cadence is 30m): post one with 'pmtool log i status "
	    "update TEXT'");
	lint_list_free(&l);
	incident_free(inc);
	/* None yet, 3h after the start. */
	inc = timeline(&l, HDR "2020-01-01T09:00:00Z started\n", 30 * 60);
	count_is(&l, 1);
	is_finding(&l, 0, LINT_WARNING, TL, 5, "no public status update in "
	    "the 3h since the incident started");
	lint_list_free(&l);
	incident_free(inc);
	/* Resolved: silence is fine. */
	inc = timeline(&l, HDR "2020-01-01T09:00:00Z started\n"
	    "2020-01-01T09:10:00Z resolved\n", 30 * 60);
	count_is(&l, 0);
	lint_list_free(&l);
	incident_free(inc);
}
END_TEST

START_TEST(corrections_of_unknown_events)
{
	struct lint_list	 l;
	struct incident		*inc;

	inc = timeline(&l, HDR
	    "2020-01-01T00:00:00Z started\n"
	    "2020-01-01T00:10:00Z amend 0123abcd at=2020-01-01T00:01:00Z -- "
	    "typo\n"
	    "2020-01-01T00:11:00Z retract 4567 wrong\n", 0);
	count_is(&l, 2);
	is_finding(&l, 0, LINT_ERROR, TL, 6, "amend of '0123abcd': no event "
	    "has that reference");
	ck_assert_str_eq(l.items[0].ref, inc->corrections[0].line.ref);
	is_finding(&l, 1, LINT_ERROR, TL, 7, "retract of '4567': no event");
	ck_assert(strstr(l.items[1].message, "pmtool retract i ") != NULL);
	lint_list_free(&l);
	incident_free(inc);
}
END_TEST

START_TEST(corrections_of_ambiguous_references)
{
	struct lint_list	 l;
	struct incident		*inc;
	struct event		*ev;
	struct tstamp		 at;

	/* Refs chosen to share their first digits: built in memory. */
	memset(&at, 0, sizeof at);
	inc = incident_new();
	incident_set(&inc->id, "i");
	at.t = now0 - HOUR;
	ev = incident_add_event(inc, at, EV_NOTE, ST_NONE, "a");
	memcpy(ev->ref, "abcd11111111", EVENT_REF_LEN + 1);
	ev = incident_add_event(inc, at, EV_NOTE, ST_NONE, "b");
	memcpy(ev->ref, "abcd22222222", EVENT_REF_LEN + 1);
	at.t = now0 - 60;
	ev = incident_add_event(inc, at, EV_RETRACT, ST_NONE, "which?");
	memcpy(ev->ref, "ffff00000000", EVENT_REF_LEN + 1);
	ev->arg = xstrdup("abcd");
	incident_settle(inc);
	ck_assert_int_eq(inc->corrections[0].outcome, CO_AMBIGUOUS_TARGET);
	lint_list_init(&l);
	lint_timeline(&l, inc, 0, now0);
	count_is(&l, 1);
	/* No line in a file: line 1. */
	is_finding(&l, 0, LINT_ERROR, TL, 1, "retract of 'abcd': several "
	    "events have references that begin so");
	ck_assert_str_eq(l.items[0].ref, "ffff00000000");
	lint_list_free(&l);
	incident_free(inc);
}
END_TEST

START_TEST(an_amend_of_a_correction)
{
	struct lint_list	 l;
	struct incident		*inc;
	char			*text, ev_ref[EVENT_REF_LEN + 1];
	char			 am_ref[EVENT_REF_LEN + 1];
	const char		*base = HDR
	    "2020-01-01T00:00:00Z started\n"
	    "2020-01-01T00:05:00Z detected\n";

	inc = parse_ok(base);
	memcpy(ev_ref, event_on(inc, 6)->ref, sizeof ev_ref);
	incident_free(inc);
	text = xasprintf("%s2020-01-01T00:10:00Z amend %s "
	    "at=2020-01-01T00:04:00Z -- earlier\n", base, ev_ref);
	inc = parse_ok(text);
	memcpy(am_ref, inc->corrections[0].line.ref, sizeof am_ref);
	incident_free(inc);
	free(text);
	text = xasprintf("%s2020-01-01T00:10:00Z amend %s "
	    "at=2020-01-01T00:04:00Z -- earlier\n"
	    "2020-01-01T00:20:00Z amend %s text -- fix the fix\n  better\n",
	    base, ev_ref, am_ref);
	inc = timeline(&l, text, 0);
	free(text);
	count_is(&l, 1);
	is_finding(&l, 0, LINT_ERROR, TL, 8, "amend of a correction (the "
	    "amend at line 7) changes nothing: correct the event itself "
	    "with 'pmtool amend i ");
	ck_assert(strstr(l.items[0].message, ev_ref) == NULL);
	ck_assert(strncmp(strstr(l.items[0].message, "amend i ") + 8, ev_ref,
	    EVENT_REF_SHOW) == 0);
	lint_list_free(&l);
	incident_free(inc);
}
END_TEST

START_TEST(corrections_that_change_nothing)
{
	struct lint_list	 l;
	struct incident		*inc;
	char			*text, note[EVENT_REF_LEN + 1];
	char			 role[EVENT_REF_LEN + 1];
	const char		*base = HDR
	    "2020-01-01T00:00:00Z started\n"
	    "2020-01-01T00:01:00Z note wrong incident\n"
	    "2020-01-01T00:02:00Z role comms Sam\n";

	inc = parse_ok(base);
	memcpy(note, event_on(inc, 6)->ref, sizeof note);
	memcpy(role, event_on(inc, 7)->ref, sizeof role);
	incident_free(inc);
	/* An amend of a retracted event: a warning. An amend that does
	 * not fit (a role changes no kind): an error. */
	text = xasprintf("%s"
	    "2020-01-01T00:10:00Z retract %s not ours\n"
	    "2020-01-01T00:11:00Z amend %s text -- typo\n  wrong incidents\n"
	    "2020-01-01T00:12:00Z amend %s kind=note -- not a role\n",
	    base, note, note, role);
	inc = timeline(&l, text, 0);
	free(text);
	count_is(&l, 2);
	is_finding(&l, 0, LINT_WARNING, TL, 9, "amend of a retracted event "
	    "changes nothing");
	is_finding(&l, 1, LINT_ERROR, TL, 11, "amend does not fit its event "
	    "(only events of the timeline (lead-up to note) change kind)");
	lint_list_free(&l);
	incident_free(inc);
}
END_TEST

START_TEST(a_role_handed_to_no_one)
{
	struct lint_list	 l;
	struct incident		*inc;

	inc = timeline(&l, HDR
	    "2020-01-01T00:00:00Z started\n"
	    "2020-01-01T00:01:00Z role comms Sam\n"
	    "2020-01-01T00:02:00Z role scribe\n"
	    "2020-01-01T00:03:00Z resolved\n", 0);
	count_is(&l, 1);
	is_finding(&l, 0, LINT_WARNING, TL, 7, "role scribe handed to no "
	    "one: name who holds it with 'pmtool log i role scribe NAME'");
	lint_list_free(&l);
	incident_free(inc);
}
END_TEST

/* lint_incident() of a resolved (or open) incident with this analysis
 * (NULL: no file). */
static void
lint_analysis(struct lint_list *l, int resolved, const char *md)
{
	struct lint_input	 in;
	struct incident		*inc;
	struct analysis		 a;

	inc = parse_ok(resolved ? HDR "2020-01-01T00:00:00Z started\n"
	    "2020-01-01T00:10:00Z resolved\n" :
	    HDR "2020-01-01T00:00:00Z started\n");
	memset(&in, 0, sizeof in);
	in.inc = inc;
	in.now = now0;
	if (md != NULL) {
		ck_assert_int_eq(analysis_parse(&a, "p.md", md, strlen(md)), 0);
		in.analysis = &a;
	} else
		in.analysis_missing = 1;
	lint_list_init(l);
	ck_assert_int_eq(lint_incident(l, &in), 0);
	lint_sort(l);
	if (md != NULL)
		analysis_free(&a);
	incident_free(inc);
}

/* Every known section, written, but for the ones given. */
static char *
analysis_without(const char *skip, const char *body)
{
	struct buf	 b = BUF_INIT;
	int		 i;

	buf_adds(&b, "# Postmortem\n");
	for (i = 0; i < SEC__COUNT; i++) {
		if (strcmp(section_title((enum section_id)i), skip) == 0) {
			if (body != NULL)
				buf_printf(&b, "\n## %s\n\n%s\n", skip, body);
			continue;
		}
		buf_printf(&b, "\n## %s\n\nWritten.\n",
		    section_title((enum section_id)i));
	}
	return buf_detach(&b);
}

START_TEST(analysis_sections)
{
	struct lint_list	 l;
	char			*md, *skel;

	/* All written: nothing. */
	md = analysis_without("", NULL);
	lint_analysis(&l, 1, md);
	count_is(&l, 0);
	lint_list_free(&l);
	free(md);
	/* No file: one finding, line 1; an error once resolved. */
	lint_analysis(&l, 1, NULL);
	count_is(&l, 1);
	is_finding(&l, 0, LINT_ERROR, PM, 1, "no written analysis: write it "
	    "with 'pmtool edit i'");
	lint_list_free(&l);
	lint_analysis(&l, 0, NULL);
	count_is(&l, 1);
	is_finding(&l, 0, LINT_WARNING, PM, 1, "no written analysis");
	lint_list_free(&l);
	/* A section absent: line 1. Empty: its heading's line (the
	 * heading of Root cause is line 31 here). */
	md = analysis_without("Root cause", NULL);
	lint_analysis(&l, 1, md);
	count_is(&l, 1);
	is_finding(&l, 0, LINT_ERROR, PM, 1, "no 'Root cause' section: add "
	    "'## Root cause' with 'pmtool edit i'");
	lint_list_free(&l);
	free(md);
	md = analysis_without("Root cause", "");
	lint_analysis(&l, 1, md);
	count_is(&l, 1);
	is_finding(&l, 0, LINT_ERROR, PM, 31, "the 'Root cause' section is "
	    "empty: write it with 'pmtool edit i'");
	lint_list_free(&l);
	lint_analysis(&l, 0, md);
	count_is(&l, 1);
	is_finding(&l, 0, LINT_WARNING, PM, 31, "the 'Root cause' section "
	    "is empty");
	lint_list_free(&l);
	free(md);
	/* The skeleton's comment is no answer; a note of one's own is. */
	md = analysis_without("Root cause", "<!-- Why it happened: the causes "
	    "beneath the fault. -->");
	lint_analysis(&l, 1, md);
	count_is(&l, 1);
	is_finding(&l, 0, LINT_ERROR, PM, 31, "section is empty");
	lint_list_free(&l);
	free(md);
	md = analysis_without("Root cause", "<!-- The source does not say. "
	    "-->");
	lint_analysis(&l, 1, md);
	count_is(&l, 1);
	is_finding(&l, 0, LINT_WARNING, PM, 31, "the 'Root cause' section "
	    "holds only a comment");
	lint_list_free(&l);
	free(md);
	/* A new incident's skeleton: every section, on its heading. */
	skel = analysis_skeleton("T");
	lint_analysis(&l, 1, skel);
	count_is(&l, SEC__COUNT);
	is_finding(&l, 0, LINT_ERROR, PM, 8, "the 'Summary' section is "
	    "empty");
	lint_list_free(&l);
	free(skel);
}
END_TEST

START_TEST(an_excluded_incident_gets_warnings)
{
	struct lint_input	 in;
	struct lint_list	 l;
	struct incident		*inc;

	inc = parse_ok(HDR "2020-01-01T00:00:00Z started\n"
	    "2020-01-01T00:05:00Z excluded a drill\n"
	    "2020-01-01T00:10:00Z resolved\n");
	memset(&in, 0, sizeof in);
	in.inc = inc;
	in.now = now0;
	in.analysis_missing = 1;
	lint_list_init(&l);
	ck_assert_int_eq(lint_incident(&l, &in), 0);
	count_is(&l, 1);
	is_finding(&l, 0, LINT_WARNING, PM, 1, "no written analysis");
	lint_list_free(&l);
	incident_free(inc);
}
END_TEST

START_TEST(overdue_actions)
{
	static const char acts[] = ACTFILE_HEADER
	    "2019-12-01T10:00:00Z add 111111 Past due\n"
	    "2019-12-01T10:00:00Z due 111111 2019-12-31\n"
	    "2019-12-01T10:00:00Z add 222222 Due today\n"
	    "2019-12-01T10:00:00Z due 222222 2020-01-01\n"
	    "2019-12-01T10:00:00Z add 333333 Done late\n"
	    "2019-12-01T10:00:00Z due 333333 2019-12-02\n"
	    "2019-12-05T10:00:00Z done 333333\n"
	    "2019-12-01T10:00:00Z add 444444 No date\n";
	struct lint_input	 in;
	struct lint_list	 l;
	struct action_list	 al;
	struct incident		*inc;

	ck_assert_msg(actfile_parse(&al, "a.txt", acts, strlen(acts)) == 0,
	    "%s", pm_error_last());
	inc = parse_ok(HDR "2019-12-01T00:00:00Z started\n"
	    "2019-12-01T00:10:00Z resolved\n");
	memset(&in, 0, sizeof in);
	in.inc = inc;
	in.now = now0;
	in.actions = &al;
	lint_list_init(&l);
	ck_assert_int_eq(lint_incident(&l, &in), 0);
	count_is(&l, 1);
	is_finding(&l, 0, LINT_WARNING, "incidents/i/actions.txt", 4,
	    "action 1 is overdue (due 2019-12-31): once done, mark it with "
	    "'pmtool action done i 1'");
	lint_list_free(&l);
	/* In a zone where it is already 2 January: action 2 too. */
	incident_set(&inc->zone, "Pacific/Kiritimati");
	in.now = now0 + 2 * HOUR;
	ck_assert_int_eq(lint_incident(&l, &in), 0);
	count_is(&l, 2);
	lint_list_free(&l);
	/* A zone that cannot say what day it is: an error, not a guess. */
	incident_set(&inc->zone, "No/Such_Zone");
	pm_error_clear();
	ck_assert_int_eq(lint_incident(&l, &in), -1);
	ck_assert(*pm_error_last() != '\0');
	lint_list_free(&l);
	action_list_free(&al);
	incident_free(inc);
}
END_TEST

/* How 'pmtool log' uses lint_timeline(): the file as it reads once the
 * new line is appended, only the findings about the new event. */
START_TEST(what_an_appended_event_caused)
{
	struct lint_list	 l;
	struct incident		*inc;
	const struct event	*added = NULL;
	char			*text;
	size_t			 i;
	const char		*base = HDR
	    "2020-01-01T10:00:00Z started\n"
	    "2020-01-01T10:05:00Z status investigating a\n"
	    "2020-01-01T11:05:00Z status update b\n";

	/* The old gap (line 7) is not the new event's doing; the started
	 * the new detected comes before is older too. */
	text = xasprintf("%s2020-01-01T09:00:00Z detected\n", base);
	inc = parse_ok(text);
	free(text);
	for (i = 0; i < inc->nevents; i++)
		if (added == NULL || inc->events[i].seq > added->seq)
			added = &inc->events[i];
	ck_assert_uint_eq(added->line, 8);
	lint_list_init(&l);
	lint_timeline(&l, inc, 30 * 60, now0);
	lint_sort(&l);
	count_is(&l, 3);	/* the gap, the order, the silence since b */
	lint_keep_ref(&l, added->ref);
	count_is(&l, 1);
	is_finding(&l, 0, LINT_ERROR, TL, 8, "detected at "
	    "2020-01-01T09:00:00Z comes before started");
	lint_list_free(&l);
	incident_free(inc);
	/* A status update that ends a long silence: the gap is its. */
	text = xasprintf("%s2020-01-01T11:50:00Z status update c\n", base);
	inc = parse_ok(text);
	free(text);
	lint_list_init(&l);
	lint_timeline(&l, inc, 30 * 60, now0);
	lint_keep_ref(&l, event_on(inc, 8)->ref);
	count_is(&l, 1);
	is_finding(&l, 0, LINT_WARNING, TL, 8, "45m between public status "
	    "updates (lines 7 and 8)");
	lint_list_free(&l);
	incident_free(inc);
}
END_TEST

START_TEST(sorted_by_file_then_line_and_formatted)
{
	struct lint_list	 l;
	char			*s;

	lint_list_init(&l);
	lint_add(&l, LINT_WARNING, "incidents/b/timeline.txt", 3, NULL, "w%d",
	    1);
	lint_add(&l, LINT_WARNING, "incidents/a/timeline.txt", 10, "abc",
	    "second");
	lint_add(&l, LINT_ERROR, "incidents/a/timeline.txt", 9, NULL, "first");
	lint_add(&l, LINT_WARNING, "incidents/a/postmortem.md", 0, NULL,
	    "no line");
	lint_add(&l, LINT_ERROR, "incidents/a/timeline.txt", 10, NULL, "same");
	ck_assert_int_eq(lint_count(&l, LINT_ERROR), 2);
	ck_assert_int_eq(lint_count(&l, LINT_WARNING), 3);
	lint_sort(&l);
	s = lines(&l);
	ck_assert_str_eq(s,
	    "incidents/a/postmortem.md:1: warning: no line\n"
	    "incidents/a/timeline.txt:9: error: first\n"
	    "incidents/a/timeline.txt:10: error: same\n"
	    "incidents/a/timeline.txt:10: warning: second\n"
	    "incidents/b/timeline.txt:3: warning: w1\n");
	free(s);
	ck_assert_str_eq(l.items[3].ref, "abc");
	ck_assert_str_eq(l.items[0].ref, "");
	lint_list_free(&l);
	ck_assert_int_eq(l.n, 0);
	lint_list_free(&l);	/* twice is harmless */
}
END_TEST

Suite *
lint_suite(void)
{
	Suite	*s = suite_create("lint");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, a_clean_timeline_has_no_findings);
	tcase_add_test(tc, before_started_is_an_error_on_the_later_logged);
	tcase_add_test(tc, each_milestone_out_of_order);
	tcase_add_test(tc, a_reopening_begins_a_new_episode);
	tcase_add_test(tc, a_second_detected_is_an_error);
	tcase_add_test(tc, a_status_update_after_status_resolved);
	tcase_add_test(tc, a_status_update_after_the_resolved_event);
	tcase_add_test(tc, status_gaps_over_the_cadence);
	tcase_add_test(tc, an_open_incident_silent_for_too_long);
	tcase_add_test(tc, corrections_of_unknown_events);
	tcase_add_test(tc, corrections_of_ambiguous_references);
	tcase_add_test(tc, an_amend_of_a_correction);
	tcase_add_test(tc, corrections_that_change_nothing);
	tcase_add_test(tc, a_role_handed_to_no_one);
	tcase_add_test(tc, analysis_sections);
	tcase_add_test(tc, an_excluded_incident_gets_warnings);
	tcase_add_test(tc, overdue_actions);
	tcase_add_test(tc, what_an_appended_event_caused);
	tcase_add_test(tc, sorted_by_file_then_line_and_formatted);
	suite_add_tcase(s, tc);
	return s;
}
