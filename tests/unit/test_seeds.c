/*
 * test_seeds.c - the sample incidents (the seeds, transcribed) read
 * cleanly and give the metrics worked out by hand from the seed texts in
 * tests/fixtures/seed-metrics.md (its METRICS lines).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "error.h"
#include "incfile.h"
#include "metrics.h"
#include "testutil.h"
#include "xmalloc.h"

Suite *seeds_suite(void);

/* Check one "METRICS id key=value ..." line against the incident file. */
static void
check_line(char *line)
{
	struct incident	*inc;
	struct metrics	 m;
	char		*id, *tok, *eq, *path, *save;
	int		 i, found;

	strtok_r(line, " ", &save);
	id = strtok_r(NULL, " ", &save);
	ck_assert_ptr_nonnull(id);
	path = xasprintf("%s/incidents/%s/timeline.txt", test_top(), id);
	ck_assert_msg(incfile_read(&inc, path, NULL) == 0, "%s",
	    pm_error_last());
	metrics_compute(&m, inc);
	while ((tok = strtok_r(NULL, " \n", &save)) != NULL) {
		eq = strchr(tok, '=');
		ck_assert_ptr_nonnull(eq);
		*eq++ = '\0';
		if (strcmp(tok, "status_updates") == 0) {
			ck_assert_int_eq(m.status_updates, atoi(eq));
			continue;
		}
		for (found = 0, i = 0; i < M__COUNT; i++) {
			if (strcmp(tok, metric_key((enum metric)i)) != 0)
				continue;
			found = 1;
			if (strcmp(eq, "null") == 0)
				ck_assert_msg(!m.has[i], "%s %s: %lld, expected "
				    "null", id, tok, (long long)m.value[i]);
			else {
				ck_assert_msg(m.has[i], "%s %s: null, expected "
				    "%s", id, tok, eq);
				ck_assert_msg(m.value[i] == atoll(eq), "%s %s: "
				    "%lld, expected %s", id, tok,
				    (long long)m.value[i], eq);
			}
		}
		ck_assert_msg(found, "unknown metric %s", tok);
	}
	incident_free(inc);
	free(path);
}

START_TEST(seed_metrics_match_the_hand_worked_values)
{
	char	*path, *text, *line, *save, *copy;
	int	 n = 0;

	path = xasprintf("%s/tests/fixtures/seed-metrics.md", test_top());
	text = test_read_file(path, NULL);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "METRICS ", 8) != 0)
			continue;
		copy = xstrdup(line);
		check_line(copy);
		free(copy);
		n++;
	}
	ck_assert_int_eq(n, 5);
	free(text);
	free(path);
}
END_TEST

Suite *
seeds_suite(void)
{
	Suite	*s = suite_create("seeds");
	TCase	*tc = tcase_create("samples");

	tcase_add_test(tc, seed_metrics_match_the_hand_worked_values);
	suite_add_tcase(s, tc);
	return s;
}
