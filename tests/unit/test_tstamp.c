/* test_tstamp.c - RFC 3339, civil arithmetic, zones and DST, user times. */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "error.h"
#include "tstamp.h"
#include "zone.h"

Suite *tstamp_suite(void);

static struct tstamp
parse_ok(const char *s)
{
	struct tstamp	 ts;
	size_t		 pos;

	ck_assert_msg(tstamp_parse_rfc3339(&ts, s, strlen(s), &pos) == 0,
	    "%s: %s", s, pm_error_last());
	return ts;
}

static void
parse_bad(const char *s, size_t want_pos)
{
	struct tstamp	 ts;
	size_t		 pos = 999;

	ck_assert_msg(tstamp_parse_rfc3339(&ts, s, strlen(s), &pos) == -1,
	    "%s parsed", s);
	ck_assert_msg(pos == want_pos, "%s: error at %zu, expected %zu", s,
	    pos, want_pos);
}

static void
round_trip(const char *s)
{
	char	 out[TSTAMP_RFC3339_MAX];

	tstamp_format_rfc3339(out, parse_ok(s));
	ck_assert_str_eq(out, s);
}

START_TEST(rfc3339_keeps_offset)
{
	struct tstamp	 ts;

	ts = parse_ok("2020-06-07T01:58:00-07:00");
	ck_assert_int_eq(ts.t, 1591520280);
	ck_assert_int_eq(ts.off, -7 * 3600);
	round_trip("2020-06-07T01:58:00-07:00");
	round_trip("2021-11-15T08:03:00+01:00");
	round_trip("2019-07-15T14:00:00+10:00");
	round_trip("2024-01-16T22:00:00+05:30");
	round_trip("1970-01-01T00:00:00Z");
	round_trip("2020-06-07T09:00:00+00:00");
	round_trip("0001-01-01T00:00:00Z");
	round_trip("9999-12-31T23:59:59Z");
	ts = parse_ok("2020-06-07T08:58:00.123Z");
	ck_assert_int_eq(ts.t, 1591520280);
	ck_assert_int_eq(ts.off, 0);
}
END_TEST

START_TEST(rfc3339_errors_point_at_the_problem)
{
	parse_bad("2020-06-07", 10);
	parse_bad("2020-06-07 01:58:00Z", 10);
	parse_bad("2020-06-07T01:58Z", 16);
	parse_bad("2020-06-07T01:58:00", 19);
	parse_bad("2020-06-07T01:58:00+0700", 22);
	parse_bad("2020-06-07T01:58:00-07:00x", 25);
	parse_bad("2020-13-07T01:58:00Z", 0);
	parse_bad("2021-02-29T01:58:00Z", 0);
	parse_bad("2020-06-07T24:00:00Z", 0);
	parse_bad("2020-06-07T01:58:00.Z", 20);
	parse_bad("2020-06-07t01:58:00Z", 10);
	parse_bad("2020-06-07T01:58:00+24:00", 19);
	parse_bad("", 0);
	ck_assert(strstr(pm_error_last(), "bad timestamp") != NULL);
}
END_TEST

START_TEST(civil_days_round_trip)
{
	int64_t	 d;
	int	 y, m, day;

	ck_assert_int_eq(civil_days_from_date(1970, 1, 1), 0);
	ck_assert_int_eq(civil_days_from_date(2000, 3, 1), 11017);
	ck_assert_int_eq(civil_days_from_date(1969, 12, 31), -1);
	for (d = -800000; d < 800000; d += 997) {
		civil_date_from_days(d, &y, &m, &day);
		ck_assert_int_eq(civil_days_from_date(y, m, day), d);
	}
}
END_TEST

static struct tstamp
local_ok(const char *zone, int y, int mo, int d, int h, int mi)
{
	struct civil	 c = { y, mo, d, h, mi, 0 };
	struct tstamp	 ts;

	ck_assert_msg(zone_local_to_time(&ts, zone, &c) == 0, "%s: %s", zone,
	    pm_error_last());
	return ts;
}

static void
local_fails(const char *zone, int y, int mo, int d, int h, int mi,
    const char *msg)
{
	struct civil	 c = { y, mo, d, h, mi, 0 };
	struct tstamp	 ts;

	ck_assert_int_eq(zone_local_to_time(&ts, zone, &c), -1);
	ck_assert_msg(strstr(pm_error_last(), msg) != NULL, "%s",
	    pm_error_last());
}

START_TEST(dst_los_angeles)
{
	struct tstamp	 ts;
	char		 abbr[ZONE_ABBR_MAX];
	int32_t		 off;

	/* 2020-03-08: 02:00 PST becomes 03:00 PDT. */
	ts = local_ok("America/Los_Angeles", 2020, 3, 8, 1, 59);
	ck_assert_int_eq(ts.off, -8 * 3600);
	ts = local_ok("America/Los_Angeles", 2020, 3, 8, 3, 0);
	ck_assert_int_eq(ts.off, -7 * 3600);
	local_fails("America/Los_Angeles", 2020, 3, 8, 2, 30,
	    "does not exist");
	/* 2020-11-01: 01:00-01:59 happens twice. */
	local_fails("America/Los_Angeles", 2020, 11, 1, 1, 30, "happens twice");
	ts = local_ok("America/Los_Angeles", 2020, 11, 1, 2, 0);
	ck_assert_int_eq(ts.off, -8 * 3600);
	/* June: PDT, not PST. */
	ts = local_ok("America/Los_Angeles", 2020, 6, 7, 1, 58);
	ck_assert_int_eq(ts.t, 1591520280);
	ck_assert_int_eq(zone_offset_at(&off, "America/Los_Angeles", ts.t,
	    abbr), 0);
	ck_assert_str_eq(abbr, "PDT");
}
END_TEST

START_TEST(dst_amsterdam)
{
	struct tstamp	 ts;
	char		 abbr[ZONE_ABBR_MAX];
	int32_t		 off;

	/* 2021-03-28: 02:00 CET becomes 03:00 CEST. */
	local_fails("Europe/Amsterdam", 2021, 3, 28, 2, 15, "does not exist");
	ts = local_ok("Europe/Amsterdam", 2021, 3, 28, 3, 15);
	ck_assert_int_eq(ts.off, 2 * 3600);
	/* 2021-10-31: 02:00-02:59 happens twice. */
	local_fails("Europe/Amsterdam", 2021, 10, 31, 2, 30, "+02:00");
	ts = local_ok("Europe/Amsterdam", 2021, 11, 15, 8, 3);
	ck_assert_int_eq(ts.off, 3600);
	ck_assert_int_eq(zone_offset_at(&off, "Europe/Amsterdam", ts.t, abbr),
	    0);
	ck_assert_str_eq(abbr, "CET");
}
END_TEST

START_TEST(dst_sydney)
{
	struct tstamp	 ts;

	/* Southern hemisphere: 2021-04-04 03:00 AEDT becomes 02:00 AEST;
	 * 2021-10-03 02:00 AEST becomes 03:00 AEDT. */
	local_fails("Australia/Sydney", 2021, 4, 4, 2, 30, "happens twice");
	local_fails("Australia/Sydney", 2021, 10, 3, 2, 30, "does not exist");
	ts = local_ok("Australia/Sydney", 2019, 7, 15, 14, 0);
	ck_assert_int_eq(ts.off, 10 * 3600);
	ts = local_ok("Australia/Sydney", 2021, 1, 15, 14, 0);
	ck_assert_int_eq(ts.off, 11 * 3600);
}
END_TEST

START_TEST(zone_names_are_checked)
{
	ck_assert_int_eq(zone_check("Europe/Amsterdam"), 0);
	ck_assert_int_eq(zone_check("UTC"), 0);
	ck_assert_int_eq(zone_check("Mars/Olympus_Mons"), -1);
	ck_assert_int_eq(zone_check("../../etc/passwd"), -1);
	ck_assert_int_eq(zone_check("/etc/passwd"), -1);
	ck_assert_int_eq(zone_check("Europe/../../etc/passwd"), -1);
	ck_assert_int_eq(zone_check(""), -1);
	ck_assert(strstr(pm_error_last(), "unknown time zone") != NULL);
}
END_TEST

START_TEST(user_times)
{
	struct tstamp	 ts;
	int64_t		 now;
	char		 out[TSTAMP_RFC3339_MAX];

	/* now = 2020-06-07T10:00:00Z = 03:00 PDT */
	now = 1591524000;
	ck_assert_int_eq(tstamp_parse_user(&ts, "now", "America/Los_Angeles",
	    now), 0);
	tstamp_format_rfc3339(out, ts);
	ck_assert_str_eq(out, "2020-06-07T03:00:00-07:00");
	ck_assert_int_eq(tstamp_parse_user(&ts, "-1h30m",
	    "America/Los_Angeles", now), 0);
	ck_assert_int_eq(ts.t, now - 5400);
	ck_assert_int_eq(tstamp_parse_user(&ts, "-5m", "UTC", now), 0);
	ck_assert_int_eq(ts.t, now - 300);
	/* a clock time earlier today */
	ck_assert_int_eq(tstamp_parse_user(&ts, "01:58",
	    "America/Los_Angeles", now), 0);
	tstamp_format_rfc3339(out, ts);
	ck_assert_str_eq(out, "2020-06-07T01:58:00-07:00");
	/* a clock time later than now is yesterday's */
	ck_assert_int_eq(tstamp_parse_user(&ts, "23:10",
	    "America/Los_Angeles", now), 0);
	tstamp_format_rfc3339(out, ts);
	ck_assert_str_eq(out, "2020-06-06T23:10:00-07:00");
	ck_assert_int_eq(tstamp_parse_user(&ts, "2020-03-08 03:30",
	    "America/Los_Angeles", now), 0);
	tstamp_format_rfc3339(out, ts);
	ck_assert_str_eq(out, "2020-03-08T03:30:00-07:00");
	ck_assert_int_eq(tstamp_parse_user(&ts, "2020-06-07T01:58:00+02:00",
	    "America/Los_Angeles", now), 0);
	ck_assert_int_eq(ts.off, 7200);
	ck_assert_int_eq(tstamp_parse_user(&ts, "2020-03-08 02:30",
	    "America/Los_Angeles", now), -1);
	ck_assert_int_eq(tstamp_parse_user(&ts, "yesterday", "UTC", now), -1);
	ck_assert(strstr(pm_error_last(), "bad time 'yesterday'") != NULL);
	ck_assert_int_eq(tstamp_parse_user(&ts, "-5x", "UTC", now), -1);
	ck_assert_int_eq(tstamp_parse_user(&ts, "25:00", "UTC", now), -1);
	ck_assert_int_eq(tstamp_parse_user(&ts, "-", "UTC", now), -1);
}
END_TEST

/* Fuzzing found it (tests/fuzz/regress/tstamp): in Europe/Amsterdam,
 * year 1 is local mean time, +00:19:32; a stamp with such an offset is
 * written in UTC, which was the year 0, and no reader took it back. */
START_TEST(user_time_lmt_before_year_1)
{
	struct tstamp	 ts;
	char		 out[TSTAMP_RFC3339_MAX];

	ck_assert_int_eq(tstamp_parse_user(&ts, "0001-01-01 00:00",
	    "Europe/Amsterdam", 1591524000), -1);
	ck_assert_str_eq(pm_error_last(), "bad time '0001-01-01 00:00': out "
	    "of range (the years 0001 to 9999 in UTC)");
	ck_assert_int_eq(tstamp_parse_user(&ts, "0001-01-01 00:20",
	    "Europe/Amsterdam", 1591524000), 0);
	tstamp_format_rfc3339(out, ts);
	ck_assert_str_eq(out, "0001-01-01T00:00:28Z");
	/* Whole-minute offsets stay as written, whatever the UTC year. */
	ck_assert_int_eq(tstamp_parse_user(&ts, "0001-01-01T00:00:00+01:00",
	    "Europe/Amsterdam", 1591524000), 0);
}
END_TEST

START_TEST(durations_read_well)
{
	char	 b[32];

	duration_format(b, sizeof b, 4380);
	ck_assert_str_eq(b, "1h 13m");
	duration_format(b, sizeof b, 45);
	ck_assert_str_eq(b, "45s");
	duration_format(b, sizeof b, 0);
	ck_assert_str_eq(b, "0s");
	duration_format(b, sizeof b, 600);
	ck_assert_str_eq(b, "10m");
	duration_format(b, sizeof b, 605);
	ck_assert_str_eq(b, "10m 5s");
	duration_format(b, sizeof b, 122580);
	ck_assert_str_eq(b, "1d 10h 3m");
	duration_format(b, sizeof b, -300);
	ck_assert_str_eq(b, "-5m");
	duration_format(b, sizeof b, 5 * 3600);
	ck_assert_str_eq(b, "5h");
	duration_format(b, sizeof b, 2 * 86400 + 59);
	ck_assert_str_eq(b, "2d");
	duration_format(b, sizeof b, 86400 + 180);
	ck_assert_str_eq(b, "1d 0h 3m");
	duration_format(b, sizeof b, 3600 + 59);
	ck_assert_str_eq(b, "1h");
}
END_TEST

Suite *
tstamp_suite(void)
{
	Suite	*s = suite_create("tstamp");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, rfc3339_keeps_offset);
	tcase_add_test(tc, rfc3339_errors_point_at_the_problem);
	tcase_add_test(tc, civil_days_round_trip);
	tcase_add_test(tc, dst_los_angeles);
	tcase_add_test(tc, dst_amsterdam);
	tcase_add_test(tc, dst_sydney);
	tcase_add_test(tc, zone_names_are_checked);
	tcase_add_test(tc, user_times);
	tcase_add_test(tc, user_time_lmt_before_year_1);
	tcase_add_test(tc, durations_read_well);
	suite_add_tcase(s, tc);
	return s;
}
