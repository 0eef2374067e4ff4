/* suites.h - every Check suite of the unit-test binary, one X() a suite.
 * X(name) expects "Suite *name_suite(void)" in tests/unit/test_name.c. */
#ifndef PM_TEST_SUITES
#define PM_TEST_SUITES
#define PM_SUITES \
	X(buf) \
	X(tstamp) \
	X(incfile) \
	X(metrics) \
	X(seeds) \
	X(mustache) \
	X(analysis) \
	X(actions) \
	X(index) \
	X(period) \
	X(merge3) \
	X(import_json) \
	X(import_text) \
	X(lint) \
	X(attrib)
#endif
