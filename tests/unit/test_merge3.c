/* test_merge3.c - the three-way merges sync makes of timelines and
 * record files (core/merge3.h). */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "merge3.h"

Suite *merge3_suite(void);

#define HDR(sev) "pmtool-incident 1\ntitle: T\nseverity: " sev "\nzone: UTC\n\n"

START_TEST(events_from_both_sides_kept)
{
	const char	*base = HDR("SEV2") "2026-01-01T10:00:00Z started\n";
	const char	*ours = HDR("SEV2") "2026-01-01T10:00:00Z started\n"
	    "2026-01-01T10:05:00Z note ours\n";
	const char	*theirs = HDR("SEV2") "2026-01-01T10:00:00Z started\n"
	    "2026-01-01T10:06:00Z note theirs\n  continued\n"
	    "# source: x:1\n";
	struct merge_notes n = { NULL, 0 };
	char		*out;

	merge_timeline(&out, &n, "t", base, ours, theirs);
	ck_assert_str_eq(out, HDR("SEV2") "2026-01-01T10:00:00Z started\n"
	    "2026-01-01T10:05:00Z note ours\n"
	    "2026-01-01T10:06:00Z note theirs\n  continued\n"
	    "# source: x:1\n");
	ck_assert_uint_eq(n.n, 0);
	free(out);
}
END_TEST

START_TEST(same_event_on_both_sides_once)
{
	const char	*base = HDR("SEV2");
	const char	*both = HDR("SEV2") "2026-01-01T10:05:00Z note same\n";
	struct merge_notes n = { NULL, 0 };
	char		*out;

	merge_timeline(&out, &n, "t", base, both, both);
	ck_assert_str_eq(out, both);
	free(out);
}
END_TEST

START_TEST(removal_on_one_side_stays)
{
	const char	*base = HDR("SEV2") "2026-01-01T10:00:00Z note a\n"
	    "2026-01-01T10:01:00Z note b\n";
	const char	*ours = HDR("SEV2") "2026-01-01T10:00:00Z note a\n";
	const char	*theirs = HDR("SEV2") "2026-01-01T10:00:00Z note a\n"
	    "2026-01-01T10:01:00Z note b\n2026-01-01T10:02:00Z note c\n";
	struct merge_notes n = { NULL, 0 };
	char		*out;

	merge_timeline(&out, &n, "t", base, ours, theirs);
	ck_assert_str_eq(out, HDR("SEV2") "2026-01-01T10:00:00Z note a\n"
	    "2026-01-01T10:02:00Z note c\n");
	free(out);
}
END_TEST

START_TEST(header_rules)
{
	struct merge_notes n = { NULL, 0 };
	char		*out;

	/* One side changed it: that side's value, no note. */
	merge_timeline(&out, &n, "t", HDR("SEV2"), HDR("SEV2"), HDR("SEV1"));
	ck_assert_str_eq(out, HDR("SEV1"));
	ck_assert_uint_eq(n.n, 0);
	free(out);
	merge_timeline(&out, &n, "t", HDR("SEV2"), HDR("SEV3"), HDR("SEV2"));
	ck_assert_str_eq(out, HDR("SEV3"));
	free(out);
	/* Both changed it the same way: no conflict. */
	merge_timeline(&out, &n, "t", HDR("SEV2"), HDR("SEV1"), HDR("SEV1"));
	ck_assert_str_eq(out, HDR("SEV1"));
	ck_assert_uint_eq(n.n, 0);
	free(out);
	/* Both changed it differently: the remote's, with a note. */
	merge_timeline(&out, &n, "inc/t", HDR("SEV2"), HDR("SEV1"),
	    HDR("SEV3"));
	ck_assert_str_eq(out, HDR("SEV3"));
	ck_assert_uint_eq(n.n, 1);
	ck_assert_str_eq(n.v[0], "inc/t: 'severity' changed on both sides: "
	    "kept the remote's 'SEV3', yours was 'SEV1'");
	free(out);
	merge_notes_free(&n);
}
END_TEST

START_TEST(header_fields_added_and_removed)
{
	const char	*base = "pmtool-incident 1\ntitle: T\nzone: UTC\n\n";
	const char	*ours = "pmtool-incident 1\ntitle: T\nzone: UTC\n"
	    "commander: Ana\n\n";
	const char	*theirs = "pmtool-incident 1\ntitle: T\nzone: UTC\n"
	    "severity: SEV1\n\n";
	struct merge_notes n = { NULL, 0 };
	char		*out;

	merge_timeline(&out, &n, "t", base, ours, theirs);
	ck_assert_str_eq(out, "pmtool-incident 1\ntitle: T\nzone: UTC\n"
	    "commander: Ana\nseverity: SEV1\n\n");
	free(out);
}
END_TEST

START_TEST(records)
{
	char	*out;

	merge_records(&out, "h\nr1\n", "h\nr1\nr2\n", "h\nr1\nr3\n");
	ck_assert_str_eq(out, "h\nr1\nr2\nr3\n");
	free(out);
	/* A last line without its newline compares whole. */
	merge_records(&out, "", "a\nb", "a\nb\n");
	ck_assert_str_eq(out, "a\nb\n");
	free(out);
}
END_TEST

Suite *
merge3_suite(void)
{
	Suite	*s = suite_create("merge3");
	TCase	*tc = tcase_create("merge3");

	tcase_add_test(tc, events_from_both_sides_kept);
	tcase_add_test(tc, same_event_on_both_sides_once);
	tcase_add_test(tc, removal_on_one_side_stays);
	tcase_add_test(tc, header_rules);
	tcase_add_test(tc, header_fields_added_and_removed);
	tcase_add_test(tc, records);
	suite_add_tcase(s, tc);
	return s;
}
