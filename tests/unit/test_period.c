/* test_period.c - quarters and date bounds in zones, and nearest-rank
 * summaries (core/period.h, core/stats.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "error.h"
#include "period.h"
#include "stats.h"

Suite *period_suite(void);

START_TEST(quarter_in_utc)
{
	struct period	 p;

	ck_assert_int_eq(period_quarter(&p, "2026Q3", "UTC"), 0);
	ck_assert_int_eq(p.from, 1782864000);	/* 2026-07-01T00:00:00Z */
	ck_assert_int_eq(p.to, 1790812800);	/* 2026-10-01T00:00:00Z */
	ck_assert_str_eq(p.first, "2026-07-01");
	ck_assert_str_eq(p.last, "2026-09-30");
	ck_assert_int_eq(period_quarter(&p, "2026-q4", "UTC"), 0);
	ck_assert_int_eq(p.to, 1798761600);	/* 2027-01-01T00:00:00Z */
}
END_TEST

START_TEST(quarter_in_zones)
{
	struct period	 p;

	/* Amsterdam is at +02:00 (CEST) on 1 July. */
	ck_assert_int_eq(period_quarter(&p, "2026Q3", "Europe/Amsterdam"), 0);
	ck_assert_int_eq(p.from, 1782864000 - 7200);
	/* ... and at +01:00 (CET) on 1 October. */
	ck_assert_int_eq(p.to, 1790812800 - 7200);
	ck_assert_int_eq(period_quarter(&p, "2026Q1", "Australia/Sydney"), 0);
	/* 1 January in Sydney is summer time, +11:00. */
	ck_assert_int_eq(p.from, 1767225600 - 11 * 3600);
	ck_assert_str_eq(p.last, "2026-03-31");
}
END_TEST

START_TEST(bad_quarters)
{
	static const char *const bad[] = {
		"2026Q5", "2026Q0", "26Q1", "2026", "2026Q", "2026Q11",
		"Q3 2026", "2026-3", "", "2026Q3x", "x026Q3"
	};
	struct period	 p;
	size_t		 i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(period_quarter(&p, bad[i], "UTC") == -1,
		    "'%s' taken as a quarter", bad[i]);
	ck_assert(strstr(pm_error_last(), "YYYYQN") != NULL);
}
END_TEST

START_TEST(date_bounds)
{
	struct period	 p;
	int64_t		 t;

	ck_assert_int_eq(period_bound(&t, "2026-07-01", "UTC", 0), 0);
	ck_assert_int_eq(t, 1782864000);
	ck_assert_int_eq(period_bound(&t, "2026-07-01", "UTC", 1), 0);
	ck_assert_int_eq(t, 1782864000 + 86400);
	ck_assert_int_eq(period_bound(&t, "2026-07-01T12:00:00+02:00", "UTC",
	    0), 0);
	ck_assert_int_eq(t, 1782864000 + 10 * 3600);
	ck_assert_int_eq(period_bound(&t, "2026-02-29", "UTC", 0), -1);
	ck_assert_int_eq(period_bound(&t, "yesterday", "UTC", 0), -1);
	ck_assert_int_eq(period_dates(&p, "2026-06-30", "2026-06-30", "UTC"),
	    0);
	ck_assert_int_eq(p.to - p.from, 86400);
	ck_assert_int_eq(period_dates(&p, "2026-07-02", "2026-07-01", "UTC"),
	    -1);
	/* A day with a DST change is 23 hours long. */
	ck_assert_int_eq(period_dates(&p, "2026-03-29", "2026-03-29",
	    "Europe/Amsterdam"), 0);
	ck_assert_int_eq(p.to - p.from, 23 * 3600);
}
END_TEST

START_TEST(previous_periods)
{
	struct period	 p, prev;

	ck_assert_int_eq(period_quarter(&p, "2026Q1", "UTC"), 0);
	ck_assert_int_eq(period_previous(&prev, &p, "UTC"), 0);
	ck_assert_int_eq(prev.year, 2025);
	ck_assert_int_eq(prev.quarter, 4);
	ck_assert_int_eq(prev.to, p.from);
	ck_assert_int_eq(period_dates(&p, "2026-07-11", "2026-07-20", "UTC"),
	    0);
	ck_assert_int_eq(period_previous(&prev, &p, "UTC"), 0);
	ck_assert_str_eq(prev.first, "2026-07-01");
	ck_assert_str_eq(prev.last, "2026-07-10");
}
END_TEST

START_TEST(nearest_rank)
{
	int64_t		 v[] = { 50, 10, 40, 20, 30 };
	int64_t		 w[] = { 4, 1, 3, 2 };
	int64_t		 ten[10];
	int64_t		 one[] = { 7 };
	int64_t		 neg[] = { -3, -2 };
	struct stats	 s;
	int		 i;

	stats_summarize(&s, v, 5);
	ck_assert_uint_eq(s.count, 5);
	ck_assert_int_eq(s.median, 30);	/* rank ceil(2.5) = 3 */
	ck_assert_int_eq(s.p90, 50);	/* rank ceil(4.5) = 5 */
	ck_assert_int_eq(s.mean, 30);
	ck_assert_int_eq(s.max, 50);
	ck_assert_int_eq(s.min, 10);
	stats_summarize(&s, w, 4);
	ck_assert_int_eq(s.median, 2);	/* the lower middle value */
	ck_assert_int_eq(s.p90, 4);
	ck_assert_int_eq(s.mean, 3);	/* 2.5 rounds away from zero */
	for (i = 0; i < 10; i++)
		ten[i] = (i + 1) * 10;
	stats_summarize(&s, ten, 10);
	ck_assert_int_eq(s.p90, 90);	/* rank 9 exactly */
	ck_assert_int_eq(s.median, 50);
	stats_summarize(&s, one, 1);
	ck_assert_int_eq(s.median, 7);
	ck_assert_int_eq(s.p90, 7);
	stats_summarize(&s, neg, 2);
	ck_assert_int_eq(s.mean, -3);	/* -2.5 away from zero */
	stats_summarize(&s, NULL, 0);
	ck_assert_uint_eq(s.count, 0);
	ck_assert_int_eq(s.max, 0);
}
END_TEST

Suite *
period_suite(void)
{
	Suite	*s = suite_create("period");
	TCase	*tc = tcase_create("period");

	tcase_add_test(tc, quarter_in_utc);
	tcase_add_test(tc, quarter_in_zones);
	tcase_add_test(tc, bad_quarters);
	tcase_add_test(tc, date_bounds);
	tcase_add_test(tc, previous_periods);
	tcase_add_test(tc, nearest_rank);
	suite_add_tcase(s, tc);
	return s;
}
