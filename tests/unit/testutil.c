/* testutil.c - helpers shared by the unit tests. */
#include <stdio.h>
#include <stdlib.h>

#include <check.h>

#include "testutil.h"
#include "xmalloc.h"

const char *
test_top(void)
{
	const char	*top;

	top = getenv("PM_TOP");
	return top != NULL && *top != '\0' ? top : ".";
}

char *
test_read_file(const char *path, size_t *len)
{
	struct buf	 b = BUF_INIT;
	FILE		*f;
	char		 chunk[8192];
	size_t		 n;

	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	if (len != NULL)
		*len = b.len;
	return buf_detach(&b);
}
