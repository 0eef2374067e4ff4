/* test_metrics.c - per-incident metrics. */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "error.h"
#include "incfile.h"
#include "metrics.h"

Suite *metrics_suite(void);

static struct incident *
parse_ok(const char *text)
{
	struct incident	*inc = NULL;

	ck_assert_msg(incfile_parse(&inc, "m.txt", text, strlen(text)) == 0,
	    "%s", pm_error_last());
	return inc;
}

START_TEST(every_metric_from_a_full_timeline)
{
	struct incident	*inc;
	struct metrics	 m;

	/* Events deliberately out of file order, two of several kinds. */
	inc = parse_ok("pmtool-incident 1\ntitle: T\nzone: Europe/Amsterdam\n"
	    "2021-11-15T10:00:00+01:00 resolved first resolve\n"
	    "2021-11-15T08:00:00+01:00 started\n"
	    "2021-11-15T07:00:00Z started earlier, in UTC\n"
	    "2021-11-15T08:10:00+01:00 detected\n"
	    "2021-11-15T08:05:00+01:00 lead-up not a metric\n"
	    "2021-11-15T08:12:30+01:00 acknowledged\n"
	    "2021-11-15T08:20:00+01:00 status investigating a\n"
	    "2021-11-15T09:20:00+01:00 status update b\n"
	    "2021-11-15T09:30:00+01:00 status monitoring c\n"
	    "2021-11-15T09:00:00+01:00 mitigated\n"
	    "2021-11-15T08:50:00+01:00 mitigated earliest\n"
	    "2021-11-15T11:00:00+01:00 resolved latest resolve\n");
	metrics_compute(&m, inc);
	/* started = earliest = 07:00Z = 08:00+01:00: same instant; file
	 * order picks the first line, which the +01:00 one is. */
	ck_assert_str_eq(m.at[P_STARTED]->text, "");
	ck_assert_int_eq(m.value[M_DETECT], 600);
	ck_assert_int_eq(m.value[M_ACKNOWLEDGE], 150);
	ck_assert_int_eq(m.value[M_FIRST_STATUS], 1200);
	ck_assert_int_eq(m.value[M_DETECT_STATUS], 600);
	ck_assert_int_eq(m.value[M_MAX_GAP], 3600);
	ck_assert_int_eq(m.value[M_MITIGATE], 3000);
	ck_assert_int_eq(m.value[M_RESOLVE], 3 * 3600);
	ck_assert_str_eq(m.at[P_RESOLVED]->text, "latest resolve");
	ck_assert_int_eq(m.status_updates, 3);
	incident_free(inc);
}
END_TEST

START_TEST(missing_endpoints_are_null)
{
	struct incident	*inc;
	struct metrics	 m;
	int		 i;

	inc = parse_ok("pmtool-incident 1\ntitle: T\nzone: UTC\n");
	metrics_compute(&m, inc);
	for (i = 0; i < M__COUNT; i++)
		ck_assert_int_eq(m.has[i], 0);
	ck_assert_int_eq(m.status_updates, 0);
	incident_free(inc);
	inc = parse_ok("pmtool-incident 1\ntitle: T\nzone: UTC\n"
	    "2020-01-01T00:10:00Z status investigating x\n"
	    "2020-01-01T00:00:00Z detected\n");
	metrics_compute(&m, inc);
	ck_assert(!m.has[M_DETECT]);
	ck_assert(!m.has[M_FIRST_STATUS]);
	ck_assert(!m.has[M_MAX_GAP]);
	ck_assert(m.has[M_DETECT_STATUS]);
	ck_assert_int_eq(m.value[M_DETECT_STATUS], 600);
	incident_free(inc);
}
END_TEST

START_TEST(keys_are_the_contract)
{
	ck_assert_str_eq(metric_key(M_DETECT), "time_to_detect_s");
	ck_assert_str_eq(metric_key(M_ACKNOWLEDGE), "time_to_acknowledge_s");
	ck_assert_str_eq(metric_key(M_FIRST_STATUS), "time_to_first_status_s");
	ck_assert_str_eq(metric_key(M_DETECT_STATUS), "detect_to_status_s");
	ck_assert_str_eq(metric_key(M_MAX_GAP), "max_status_gap_s");
	ck_assert_str_eq(metric_key(M_MITIGATE), "time_to_mitigate_s");
	ck_assert_str_eq(metric_key(M_RESOLVE), "time_to_resolve_s");
}
END_TEST

Suite *
metrics_suite(void)
{
	Suite	*s = suite_create("metrics");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, every_metric_from_a_full_timeline);
	tcase_add_test(tc, missing_endpoints_are_null);
	tcase_add_test(tc, keys_are_the_contract);
	suite_add_tcase(s, tc);
	return s;
}
