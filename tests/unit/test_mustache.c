/*
 * test_mustache.c - the Mustache renderer: every case of the spec's
 * required modules, error messages and positions, and templates built to
 * exhaust the stack or the clock.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <jansson.h>

#include "error.h"
#include "mustache.h"
#include "testutil.h"
#include "xmalloc.h"

Suite	*mustache_suite(void);

/* The spec's required modules; other files not starting with '~' run too. */
static const char *const spec_required[] = {
	"comments.json",
	"delimiters.json",
	"interpolation.json",
	"inverted.json",
	"partials.json",
	"sections.json",
};

struct spec_count {
	int	run;
	int	passed;
};

static char *
spec_dir(void)
{
	const char	*dir;

	dir = getenv("PM_SPEC_DIR");
	if (dir != NULL && *dir != '\0')
		return xstrdup(dir);
	return xasprintf("%s/../shared/mustache-spec", test_top());
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The spec files to run, sorted; the optional ones ('~') left out. */
static char **
spec_files(const char *dir, size_t *n)
{
	DIR		*d;
	struct dirent	*de;
	char		**names = NULL;
	size_t		 len;

	*n = 0;
	d = opendir(dir);
	ck_assert_msg(d != NULL, "cannot open spec folder %s", dir);
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '~' || de->d_name[0] == '.' || len < 5 ||
		    strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		names = xreallocarray(names, *n + 1, sizeof *names);
		names[(*n)++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (*n > 0)
		qsort(names, *n, sizeof *names, cmp_names);
	return names;
}

/* Partials from a spec case's "partials" object (ctx may be NULL). */
static int
object_partial(void *ctx, const char *name, char **out, size_t *len)
{
	json_t	*v;

	v = json_object_get(ctx, name);
	if (!json_is_string(v))
		return 1;
	*len = json_string_length(v);
	*out = xmalloc(*len + 1);
	memcpy(*out, json_string_value(v), *len + 1);
	return 0;
}

/* A string as it would be written in C, so whitespace shows. */
static void
add_quoted(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '\n')
			buf_adds(b, "\\n");
		else if (*s == '\r')
			buf_adds(b, "\\r");
		else if (*s == '\t')
			buf_adds(b, "\\t");
		else if (*s == '"' || *s == '\\')
			buf_printf(b, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			buf_printf(b, "\\x%02x", (unsigned char)*s);
		else
			buf_addc(b, *s);
	}
	buf_addc(b, '"');
}

static void
spec_case(const char *file, json_t *tc, struct spec_count *count)
{
	json_t		*tmpl, *expected;
	const char	*name;
	struct buf	 why = BUF_INIT, exp = BUF_INIT;
	char		*out = NULL;

	count->run++;
	name = json_string_value(json_object_get(tc, "name"));
	if (name == NULL)
		name = "?";
	tmpl = json_object_get(tc, "template");
	expected = json_object_get(tc, "expected");
	if (!json_is_string(tmpl) || !json_is_string(expected)) {
		fprintf(stderr, "%s: %s: malformed test case\n", file, name);
		return;
	}
	if (mustache_render(&out, file, json_string_value(tmpl),
	    json_string_length(tmpl), json_object_get(tc, "data"),
	    object_partial, json_object_get(tc, "partials")) != 0)
		buf_printf(&why, "error %s", pm_error_last());
	else if (strcmp(out, json_string_value(expected)) != 0) {
		buf_adds(&why, "got ");
		add_quoted(&why, out);
	} else
		count->passed++;
	if (why.len > 0) {
		add_quoted(&exp, json_string_value(expected));
		fprintf(stderr, "%s: %s: expected %s, %s\n", file, name,
		    buf_str(&exp), buf_str(&why));
	}
	buf_free(&exp);
	buf_free(&why);
	free(out);
}

static void
spec_file(const char *dir, const char *file, struct spec_count *count)
{
	json_error_t	 err;
	json_t		*spec, *tests;
	char		*path, *text;
	size_t		 len, i;

	path = xasprintf("%s/%s", dir, file);
	text = test_read_file(path, &len);
	spec = json_loadb(text, len, 0, &err);
	ck_assert_msg(spec != NULL, "%s:%d: %s", path, err.line, err.text);
	tests = json_object_get(spec, "tests");
	ck_assert_msg(json_is_array(tests), "%s: no \"tests\" array", path);
	for (i = 0; i < json_array_size(tests); i++)
		spec_case(file, json_array_get(tests, i), count);
	json_decref(spec);
	free(text);
	free(path);
}

START_TEST(test_spec)
{
	struct spec_count	 count = { 0, 0 };
	char			*dir, **files;
	size_t			 n, i, j;

	dir = spec_dir();
	files = spec_files(dir, &n);
	for (i = 0; i < sizeof spec_required / sizeof spec_required[0]; i++) {
		for (j = 0; j < n; j++)
			if (strcmp(files[j], spec_required[i]) == 0)
				break;
		ck_assert_msg(j < n, "%s: no %s", dir, spec_required[i]);
	}
	for (i = 0; i < n; i++)
		spec_file(dir, files[i], &count);
	printf("mustache spec: %d of %d cases passed\n", count.passed,
	    count.run);
	fflush(stdout);
	for (i = 0; i < n; i++)
		free(files[i]);
	free(files);
	free(dir);
	ck_assert_msg(count.run > 0, "no mustache spec case ran");
	ck_assert_msg(count.passed == count.run,
	    "mustache spec: %d of %d cases failed", count.run - count.passed,
	    count.run);
}
END_TEST

/* ---- errors -------------------------------------------------------- */

static const struct {
	const char	*tmpl;
	const char	*error;
} bad[] = {
	{ "a\n{{#events}}\nx\n",
	  "t.mustache:2:1: error: unclosed section 'events'" },
	{ "{{#a}}\n  {{#b}}\n  {{/b}}\n",
	  "t.mustache:1:1: error: unclosed section 'a'" },
	{ "{{#y}}\n  {{/x}}\n",
	  "t.mustache:2:3: error: unexpected closing tag 'x' "
	  "(open section is 'y')" },
	{ "x {{/x}}",
	  "t.mustache:1:3: error: unexpected closing tag 'x' "
	  "(no section is open)" },
	{ "ab {{name",
	  "t.mustache:1:4: error: unclosed tag" },
	{ "ab {{{name}}",
	  "t.mustache:1:4: error: unclosed tag" },
	{ "{{=<%=}}",
	  "t.mustache:1:1: error: bad delimiter change" },
	{ "x\n  {{=<% %>}}",
	  "t.mustache:2:3: error: bad delimiter change" },
	{ "{{=<% %> [ =}}",
	  "t.mustache:1:1: error: bad delimiter change" },
	{ "one\ntwo\nthree {{}}",
	  "t.mustache:3:7: error: empty tag" },
	{ "{{# }}{{/ }}",
	  "t.mustache:1:1: error: empty tag" },
	{ "{{a b}}",
	  "t.mustache:1:1: error: invalid tag name 'a b'" },
	{ "{{<parent}}{{/parent}}",
	  "t.mustache:1:1: error: template inheritance ('<' tags) is not "
	  "supported" },
	/* Positions after a delimiter change, and at the end of the text. */
	{ "{{=| |=}}\n|#a|\n|b|",
	  "t.mustache:2:1: error: unclosed section 'a'" },
	{ "{{=| |=}}\n{{x}} |x",
	  "t.mustache:2:7: error: unclosed tag" },
	/* Columns count characters, not bytes. */
	{ "h\xc3\xa9llo {{#x}}",
	  "t.mustache:1:7: error: unclosed section 'x'" },
	{ "\xe6\x97\xa5\xe6\x9c\xac\n\xe2\x9c\x93\xe2\x9c\x93 {{/y}}",
	  "t.mustache:2:4: error: unexpected closing tag 'y' "
	  "(no section is open)" },
};

START_TEST(test_errors)
{
	char	 sentinel[] = "untouched";
	char	*out = sentinel;
	int	 rc;

	rc = mustache_render(&out, "t.mustache", bad[_i].tmpl,
	    strlen(bad[_i].tmpl), NULL, NULL, NULL);
	ck_assert_int_eq(rc, -1);
	ck_assert_str_eq(pm_error_last(), bad[_i].error);
	ck_assert_ptr_eq(out, sentinel);
}
END_TEST

/* ---- partials ------------------------------------------------------- */

struct partials {
	const char *const	*pairs;	/* name, text, ..., NULL */
	int			 calls;
};

static int
table_partial(void *ctx, const char *name, char **out, size_t *len)
{
	struct partials	*p = ctx;
	size_t		 i;

	p->calls++;
	if (strcmp(name, "boom") == 0)
		return pm_error_set("cannot read %s", name);
	for (i = 0; p->pairs[i] != NULL; i += 2) {
		if (strcmp(p->pairs[i], name) == 0) {
			*out = xstrdup(p->pairs[i + 1]);
			*len = strlen(*out);
			return 0;
		}
	}
	return 1;
}

/* Render with partials; returns the output or NULL, leaving the error. */
static char *
render(const char *tmpl, const char *json, const char *const *pairs,
    int *calls)
{
	struct partials	 p;
	json_error_t	 err;
	json_t		*data;
	char		*out;
	int		 rc;

	data = json_loads(json, JSON_DECODE_ANY, &err);
	ck_assert_msg(data != NULL, "bad test JSON: %s", err.text);
	p.pairs = pairs;
	p.calls = 0;
	rc = mustache_render(&out, "t.mustache", tmpl, strlen(tmpl), data,
	    table_partial, &p);
	json_decref(data);
	if (calls != NULL)
		*calls = p.calls;
	return rc == 0 ? out : NULL;
}

static void
check_render(const char *tmpl, const char *json, const char *const *pairs,
    const char *expected)
{
	char	*out;

	out = render(tmpl, json, pairs, NULL);
	ck_assert_msg(out != NULL, "%s: %s", tmpl, pm_error_last());
	ck_assert_str_eq(out, expected);
	free(out);
}

static void
check_error(const char *tmpl, const char *json, const char *const *pairs,
    const char *error)
{
	char	*out;

	out = render(tmpl, json, pairs, NULL);
	ck_assert_msg(out == NULL, "%s: rendered \"%s\"", tmpl,
	    out != NULL ? out : "");
	ck_assert_str_eq(pm_error_last(), error);
}

START_TEST(test_partial_errors)
{
	static const char *const pairs[] = {
		"inner", "ok\n  {{#x}}\n",
		"self", "x{{>self}}",
		NULL
	};

	/* Positions are in the partial as written, before indentation. */
	check_error("a\n    {{>inner}}\n", "{}", pairs,
	    "inner.mustache:2:3: error: unclosed section 'x'");
	check_error("{{>self}}", "{}", pairs,
	    "self.mustache:1:2: error: partials nested too deeply "
	    "(more than 100 levels)");
	check_error("a {{>boom}}", "{}", pairs,
	    "t.mustache:1:3: error: partial 'boom': cannot read boom");
}
END_TEST

START_TEST(test_partial_cache)
{
	static const char *const pairs[] = {
		"p", "[{{.}}]",
		"node", "{{n}}{{#kids}}\n  {{>node}}\n{{/kids}}",
		NULL
	};
	char	*out;
	int	 calls;

	out = render("{{>p}}{{#l}}{{>p}}{{/l}}{{>q}}{{>q}}", "{\"l\":[1,2]}",
	    pairs, &calls);
	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(out, "[{&quot;l&quot;:[1,2]}][1][2]");
	ck_assert_int_eq(calls, 2);
	free(out);

	/*
	 * A recursive standalone partial indents further at each level.
	 * Leaves need their own empty "kids": a missing one would be found
	 * in the parent, recursing until the depth limit.
	 */
	check_render("{{>node}}\n",
	    "{\"n\":\"a\",\"kids\":[{\"n\":\"b\",\"kids\":[{\"n\":\"c\","
	    "\"kids\":[]}]},{\"n\":\"d\",\"kids\":[]}]}", pairs,
	    "a\n  b\n    c\n  d");
	check_error("{{>node}}", "{\"n\":1,\"kids\":[{}]}", pairs,
	    "node.mustache:2:3: error: partials nested too deeply "
	    "(more than 100 levels)");
	/* Empty lines of an indented partial get no trailing blanks. */
	check_render("  {{>e}}\n", "{}",
	    (const char *const[]){ "e", "a\n\nb\r\n\r\nc\n", NULL },
	    "  a\n\n  b\r\n\r\n  c\n");
}
END_TEST

/* ---- limits --------------------------------------------------------- */

static char *
repeat(const char *a, const char *b, int n)
{
	struct buf	 t = BUF_INIT;
	int		 i;

	for (i = 0; i < n; i++)
		buf_adds(&t, a);
	for (i = 0; i < n; i++)
		buf_adds(&t, b);
	return buf_detach(&t);
}

START_TEST(test_deep_nesting)
{
	char	*tmpl, *out = NULL;
	int	 rc;

	tmpl = repeat("{{#a}}", "{{/a}}", 10000);
	rc = mustache_render(&out, "t.mustache", tmpl, strlen(tmpl), NULL,
	    NULL, NULL);
	ck_assert_int_eq(rc, -1);
	ck_assert_ptr_null(out);
	ck_assert_str_eq(pm_error_last(), "t.mustache:1:601: error: "
	    "sections nested too deeply (more than 100 levels)");
	free(tmpl);

	/* 100 levels are fine. */
	tmpl = repeat("{{#a}}", "{{/a}}", 100);
	check_render(tmpl, "{\"a\":true}", (const char *const[]){ NULL }, "");
	free(tmpl);

	tmpl = repeat("{{/a}}", "", 10000);
	rc = mustache_render(&out, "t.mustache", tmpl, strlen(tmpl), NULL,
	    NULL, NULL);
	ck_assert_int_eq(rc, -1);
	free(tmpl);
}
END_TEST

START_TEST(test_deep_partials)
{
	const char	*pairs[] = { "p", NULL, NULL };
	char		*p, *out;

	/* Each level nests 99 sections and the partial again. */
	p = repeat("{{#a}}", "{{/a}}", 99);
	out = xasprintf("%.*s{{>p}}%s", 99 * 6, p, p + 99 * 6);
	pairs[1] = out;
	check_error("{{>p}}", "{\"a\":true}", pairs,
	    "p.mustache:1:595: error: sections and partials nested too deeply "
	    "(more than 1000 levels)");
	free(out);
	free(p);
}
END_TEST

START_TEST(test_runaway)
{
	static const char *const twice[] = {
		"a", "{{#c}}{{>a}}{{>a}}{{/c}}",
		NULL
	};
	struct buf	 data = BUF_INIT;
	const char	*err;
	char		*out;
	int		 i;

	/* 2^40 partials, 40 levels deep: the data ends the recursion. */
	for (i = 0; i < 40; i++)
		buf_adds(&data, "{\"c\":");
	buf_adds(&data, "false");
	for (i = 0; i < 40; i++)
		buf_addc(&data, '}');
	out = render("{{>a}}", buf_str(&data), twice, NULL);
	buf_free(&data);
	ck_assert_ptr_null(out);
	err = pm_error_last();
	ck_assert_msg(strncmp(err, "a.mustache:1:", 13) == 0 &&
	    strstr(err, ": error: template too costly to render (more than "
	    "10000000 steps)") != NULL, "%s", err);

	/* 20^7 passes over the same list. */
	out = render(
	    "{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{/l}}{{/l}}{{/l}}"
	    "{{/l}}{{/l}}{{/l}}{{/l}}",
	    "{\"l\":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]}",
	    twice, NULL);
	ck_assert_ptr_null(out);
	err = pm_error_last();
	ck_assert_msg(strcmp(err, "t.mustache:1:37: error: template too "
	    "costly to render (more than 10000000 steps)") == 0, "%s", err);
}
END_TEST

/*
 * Fuzzing found it (tests/fuzz/regress/mustache): a lookup was one step
 * however much it searched, so a million uses of a name 1000 parts long
 * took minutes. Each context searched and each part is a step now.
 */
START_TEST(test_costly_lookups)
{
	static const char *const none[] = { NULL };
	struct buf	 tmpl = BUF_INIT, data = BUF_INIT;
	const char	*err;
	char		*out;
	int		 i;

	buf_adds(&tmpl, "{{#l}}{{#l}}{{a");
	for (i = 0; i < 1000; i++)
		buf_adds(&tmpl, ".a");
	buf_adds(&tmpl, "}}{{/l}}{{/l}}");
	buf_adds(&data, "{\"l\":[0");
	for (i = 1; i < 1000; i++)
		buf_adds(&data, ",0");
	buf_adds(&data, "]");
	for (i = 0; i < 1000; i++)
		buf_adds(&data, ",\"a\":{\"x\":0");
	for (i = 0; i < 1000; i++)
		buf_addc(&data, '}');
	buf_addc(&data, '}');
	out = render(buf_str(&tmpl), buf_str(&data), none, NULL);
	buf_free(&tmpl);
	buf_free(&data);
	ck_assert_ptr_null(out);
	err = pm_error_last();
	ck_assert_msg(strstr(err, ": error: template too costly to render "
	    "(more than 10000000 steps)") != NULL, "%s", err);
}
END_TEST

/*
 * Fuzzing found it (tests/fuzz/regress/mustache): a standalone partial
 * that includes itself indented is indented again at every level, the
 * text growing with the square of the depth: 2.4 KB of template took
 * 2 GB before the depth limit. Indented text has a limit of its own.
 */
START_TEST(test_indent_growth)
{
	const char	*pairs[] = { "p", NULL, NULL };
	struct buf	 p = BUF_INIT;
	const char	*err;
	char		*out;
	int		 i;

	for (i = 0; i < 2000; i++)
		buf_addc(&p, ' ');
	buf_adds(&p, "{{>p}}\n");
	for (i = 0; i < 200; i++)
		buf_adds(&p, "x\n");
	pairs[1] = buf_str(&p);
	out = render("{{>p}}", "{}", pairs, NULL);
	buf_free(&p);
	ck_assert_ptr_null(out);
	err = pm_error_last();
	ck_assert_msg(strncmp(err, "p.mustache:1:", 13) == 0 && strstr(err,
	    ": error: indented partials too large (more than 16777216 "
	    "bytes)") != NULL, "%s", err);
}
END_TEST

/* ---- values --------------------------------------------------------- */

START_TEST(test_values)
{
	static const char *const none[] = { NULL };
	char	*out = NULL;

	/* Only what the spec calls falsey is: "" and 0 are truthy. */
	check_render("{{#s}}S{{/s}}{{#z}}Z{{/z}}{{#o}}O{{/o}}{{^e}}E{{/e}}"
	    "{{^n}}N{{/n}}{{^f}}F{{/f}}{{^m}}M{{/m}}",
	    "{\"s\":\"\",\"z\":0,\"o\":{},\"e\":[],\"n\":null,\"f\":false}",
	    none, "SZOENFM");
	check_render("{{i}} {{r}} {{big}} {{small}} {{t}} {{f}} [{{n}}]",
	    "{\"i\":-42,\"r\":0.1,\"big\":1e21,\"small\":2.5e-7,\"t\":true,"
	    "\"f\":false,\"n\":null}", none,
	    "-42 0.1 1e+21 2.5e-07 true false []");
	check_render("{{a}} {{{a}}}", "{\"a\":[1,\"<'>\"]}", none,
	    "[1,&quot;&lt;'&gt;&quot;] [1,\"<'>\"]");
	/* Non-ASCII passes through; only & " < > are escaped. */
	check_render("Zo\xc3\xab {{name}} \xe2\x9c\x93",
	    "{\"name\":\"<\xc3\xa7>'\"}", none,
	    "Zo\xc3\xab &lt;\xc3\xa7&gt;' \xe2\x9c\x93");
	/* Keys hold no dots: an empty part matches nothing. */
	check_render("[{{a..b}}{{.a}}{{a.}}]", "{\"a\":{\"\":{\"b\":1}},"
	    "\"\":{\"a\":2}}", none, "[]");

	/* No data, no partial callback, a template not NUL-terminated. */
	ck_assert_int_eq(mustache_render(&out, "t", "[{{x}}{{^y}}n{{/y}}{{.}}"
	    "{{>p}}]GARBAGE", 31, NULL, NULL, NULL), 0);
	ck_assert_str_eq(out, "[n]");
	free(out);
	ck_assert_int_eq(mustache_render(&out, "t", NULL, 0, NULL, NULL,
	    NULL), 0);
	ck_assert_str_eq(out, "");
	free(out);
}
END_TEST

Suite *
mustache_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("mustache");
	tc = tcase_create("spec");
	tcase_add_test(tc, test_spec);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_loop_test(tc, test_errors, 0,
	    (int)(sizeof bad / sizeof bad[0]));
	tcase_add_test(tc, test_partial_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("partials");
	tcase_add_test(tc, test_partial_cache);
	suite_add_tcase(s, tc);

	/* Runaway templates take a second or two, longer under valgrind. */
	tc = tcase_create("limits");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_deep_nesting);
	tcase_add_test(tc, test_deep_partials);
	tcase_add_test(tc, test_runaway);
	tcase_add_test(tc, test_costly_lookups);
	tcase_add_test(tc, test_indent_growth);
	suite_add_tcase(s, tc);

	tc = tcase_create("values");
	tcase_add_test(tc, test_values);
	suite_add_tcase(s, tc);
	return s;
}
