/* testutil.h - helpers shared by the unit tests. */
#ifndef PM_TESTUTIL_H
#define PM_TESTUTIL_H

/* The project's top folder, from the environment PM_TOP (set by the test
 * runner), else ".". Borrowed. */
const char *test_top(void);
/* Read a whole file into a NUL-terminated string; aborts the test if it
 * cannot. Free with free(). */
char	*test_read_file(const char *path, size_t *len);

#endif
