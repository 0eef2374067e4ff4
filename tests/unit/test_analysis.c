/* test_analysis.c - sections of the written analysis; Markdown escaping. */
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <jansson.h>

#include "analysis.h"
#include "error.h"
#include "mustache.h"

Suite *analysis_suite(void);

static void
parse_ok(struct analysis *a, const char *text)
{
	ck_assert_msg(analysis_parse(a, "pm.md", text, strlen(text)) == 0,
	    "%s", pm_error_last());
}

START_TEST(sections_by_heading_any_order_any_case)
{
	struct analysis	 a;

	parse_ok(&a, "# Postmortem: x\n\nintro ignored\n\n"
	    "## ROOT CAUSE:\n\nThe *link* was 1 Gbps.\n\n### Detail\n\nmore\n\n"
	    "## Lead up\n\n- a\n- b\n\n"
	    "## Timeline notes\n\nunknown section kept\n\n"
	    "## Summary\n\n<!-- hint only -->\n\n"
	    "## Fault\n\n    indented code\n");
	ck_assert_str_eq(a.known[SEC_ROOT_CAUSE].title, "ROOT CAUSE:");
	ck_assert_str_eq(a.known[SEC_ROOT_CAUSE].markdown,
	    "The *link* was 1 Gbps.\n\n### Detail\n\nmore");
	ck_assert_int_eq(a.known[SEC_ROOT_CAUSE].empty, 0);
	ck_assert_str_eq(a.known[SEC_LEADUP].markdown, "- a\n- b");
	ck_assert_int_eq(a.known[SEC_SUMMARY].empty, 1);
	ck_assert_ptr_nonnull(a.known[SEC_SUMMARY].title);
	ck_assert_ptr_null(a.known[SEC_IMPACT].title);
	ck_assert_str_eq(a.known[SEC_FAULT].markdown, "    indented code");
	ck_assert_uint_eq(a.nextra, 1);
	ck_assert_str_eq(a.extra[0].title, "Timeline notes");
	ck_assert_str_eq(a.extra[0].markdown, "unknown section kept");
	ck_assert_uint_eq(a.known[SEC_LEADUP].line, 13);
	analysis_free(&a);
}
END_TEST

START_TEST(level_one_sections_and_setext)
{
	struct analysis	 a;

	parse_ok(&a, "Impact\n======\n\nEveryone.\n\nLessons learned\n"
	    "===============\n\nMany.\n");
	ck_assert_str_eq(a.known[SEC_IMPACT].markdown, "Everyone.");
	ck_assert_str_eq(a.known[SEC_LESSONS].markdown, "Many.");
	analysis_free(&a);
}
END_TEST

START_TEST(skeleton_parses_to_empty_sections)
{
	struct analysis	 a;
	char		*sk;
	int		 i;

	sk = analysis_skeleton("Database issues");
	parse_ok(&a, sk);
	for (i = 0; i < SEC__COUNT; i++) {
		ck_assert_ptr_nonnull(a.known[i].title);
		ck_assert_msg(a.known[i].empty, "%s not empty", a.known[i].title);
	}
	ck_assert_uint_eq(a.nextra, 0);
	analysis_free(&a);
	free(sk);
}
END_TEST

START_TEST(bad_utf8_has_a_position)
{
	struct analysis	 a;

	ck_assert_int_eq(analysis_parse(&a, "pm.md", "## Fault\n\nab\xff", 13),
	    -1);
	ck_assert_str_eq(pm_error_last(), "pm.md:3:3: error: invalid UTF-8");
}
END_TEST

START_TEST(markdown_escaping_keeps_text_text)
{
	json_t	*d;
	char	*out;

	d = json_pack("{s:s}", "t", "# a | b *c* <script>x</script> & [l](u)"
	    "\nnext_line");
	ck_assert_int_eq(mustache_render_escaped(&out, "t", "|{{t}}|", 7, d,
	    NULL, NULL, MUSTACHE_ESCAPE_MARKDOWN), 0);
	ck_assert_str_eq(out, "|\\# a \\| b \\*c\\* &lt;script&gt;x&lt;/script"
	    "&gt; &amp; \\[l\\](u) next\\_line|");
	free(out);
	ck_assert_int_eq(mustache_render_escaped(&out, "t", "{{{t}}}", 7, d,
	    NULL, NULL, MUSTACHE_ESCAPE_MARKDOWN), 0);
	ck_assert(strstr(out, "<script>") != NULL);
	free(out);
	json_decref(d);
	/* Block markers are escaped only where they would start a block,
	 * and only punctuation is ever backslashed. */
	d = json_pack("{s:s,s:s,s:s,s:s}", "a", "1. first", "b",
	    "2021-11-13 22:00", "c", "- item", "d", "5h 3m");
	ck_assert_int_eq(mustache_render_escaped(&out, "t",
	    "{{a}}|{{b}}|{{c}}|{{d}}", 23, d, NULL, NULL,
	    MUSTACHE_ESCAPE_MARKDOWN), 0);
	ck_assert_str_eq(out, "1\\. first|2021-11-13 22:00|\\- item|5h 3m");
	free(out);
	json_decref(d);
}
END_TEST

Suite *
analysis_suite(void)
{
	Suite	*s = suite_create("analysis");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, sections_by_heading_any_order_any_case);
	tcase_add_test(tc, level_one_sections_and_setext);
	tcase_add_test(tc, skeleton_parses_to_empty_sections);
	tcase_add_test(tc, bad_utf8_has_a_position);
	tcase_add_test(tc, markdown_escaping_keeps_text_text);
	suite_add_tcase(s, tc);
	return s;
}
