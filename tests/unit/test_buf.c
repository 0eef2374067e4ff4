/* test_buf.c - struct buf, xasprintf and UTF-8 helpers. */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "utf8.h"
#include "xmalloc.h"

Suite *buf_suite(void);

START_TEST(buf_grows_and_detaches)
{
	struct buf	 b = BUF_INIT;
	char		*s;
	int		 i;

	ck_assert_str_eq(buf_str(&b), "");
	for (i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i);
	ck_assert_uint_eq(b.len, strlen(b.data));
	ck_assert(strncmp(b.data, "0,1,2,", 6) == 0);
	buf_truncate(&b, 4);
	ck_assert_str_eq(buf_str(&b), "0,1,");
	s = buf_detach(&b);
	ck_assert_str_eq(s, "0,1,");
	ck_assert_ptr_null(b.data);
	free(s);
	s = buf_detach(&b);	/* an empty buffer detaches as "" */
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

START_TEST(xasprintf_formats)
{
	char	*s;

	s = xasprintf("%s-%03d", "id", 7);
	ck_assert_str_eq(s, "id-007");
	free(s);
}
END_TEST

START_TEST(utf8_rejects_bad_sequences)
{
	size_t		 bad;
	const char	*why;
	uint32_t	 cp;

	ck_assert_int_eq(utf8_check_text("caf\xc3\xa9", 5, "", &bad, &why), 0);
	ck_assert_int_eq(utf8_check_text("ab\xff", 3, "", &bad, &why), -1);
	ck_assert_uint_eq(bad, 2);
	ck_assert_str_eq(why, "invalid UTF-8");
	/* overlong "/" */
	ck_assert_int_eq(utf8_decode("\xc0\xaf", 2, &cp), -1);
	/* a surrogate */
	ck_assert_int_eq(utf8_decode("\xed\xa0\x80", 3, &cp), -1);
	/* truncated */
	ck_assert_int_eq(utf8_decode("\xe2\x82", 2, &cp), -1);
	ck_assert_int_eq(utf8_decode("\xe2\x82\xac", 3, &cp), 3);
	ck_assert_uint_eq(cp, 0x20ac);
	ck_assert_int_eq(utf8_check_text("a\tb", 3, "\t", &bad, &why), 0);
	ck_assert_int_eq(utf8_check_text("a\x01" "b", 3, "\t", &bad, &why),
	    -1);
	ck_assert_str_eq(why, "control character");
	ck_assert_uint_eq(utf8_count("\xc3\xa9t\xc3\xa9", 5), 3);
}
END_TEST

Suite *
buf_suite(void)
{
	Suite	*s = suite_create("buf");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, buf_grows_and_detaches);
	tcase_add_test(tc, xasprintf_formats);
	tcase_add_test(tc, utf8_rejects_bad_sequences);
	suite_add_tcase(s, tc);
	return s;
}
