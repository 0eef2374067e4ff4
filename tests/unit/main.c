/* main.c - runs every unit-test suite; prints "N passed, N failed". */
#include <stdio.h>
#include <stdlib.h>

#include <check.h>

#include "suites.h"
#include "testutil.h"

#define X(name) Suite *name##_suite(void);
PM_SUITES
#undef X

int
main(void)
{
	SRunner	*sr;
	int	 run, failed;

	sr = srunner_create(NULL);
#define X(name) srunner_add_suite(sr, name##_suite());
	PM_SUITES
#undef X
	srunner_run_all(sr, CK_NORMAL);
	run = srunner_ntests_run(sr);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	printf("unit: %d passed, %d failed\n", run - failed, failed);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
