/*
 * fuzz_mustache.c - the Mustache engine (mustache_render_escaped) with
 * each escape mode, on a template, its partials and its JSON data, all
 * from the one input:
 *
 *   TEMPLATE
 *   @@NAME         a partial called NAME: the text up to the next "\n@@"
 *   PARTIAL TEXT
 *   @@data         the data: JSON; when it does not load (or is not
 *   {"x": 1}       given) the data is an empty object
 *
 * The parts are separated by "\n@@"; the template ends before that
 * newline, so "x\n\n@@data" is the template "x\n".
 *
 * Partials: mustache.c reads no files itself; it asks a callback. pmtool
 * passes one that reads DIR/NAME.mustache (formats/render.c
 * partial_from_dir). This harness passes memory_partial() instead, which
 * only looks in the input: the fuzzer can never make it open a file.
 */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fuzz.h"
#include "mustache.h"
#include "xmalloc.h"

#define SEP		"\n@@"
#define SEPLEN		3
#define MAX_PARTS	64

struct part {
	const char	*name;	/* not NUL-terminated */
	size_t		 namelen;
	const char	*text;
	size_t		 len;
	unsigned	 asked;	/* in this render */
};

struct input {
	const char	*tmpl;
	size_t		 tmpllen;
	struct part	 partials[MAX_PARTS];
	size_t		 npartials;
	const char	*data;	/* NULL when not given */
	size_t		 datalen;
};

/* The next "\n@@" in s[0..len), or len. */
static size_t
next_sep(const char *s, size_t len)
{
	const char	*p;

	p = memmem(s, len, SEP, SEPLEN);
	return p != NULL ? (size_t)(p - s) : len;
}

static void
split(struct input *in, const char *s, size_t len)
{
	const char	*p, *nl;
	size_t		 n, hlen;

	memset(in, 0, sizeof *in);
	n = next_sep(s, len);
	in->tmpl = s;
	in->tmpllen = n;
	while (n < len) {
		s += n + SEPLEN;
		len -= n + SEPLEN;
		n = next_sep(s, len);
		/* The header line: "data", or a partial's name. */
		nl = memchr(s, '\n', n);
		hlen = nl != NULL ? (size_t)(nl - s) : n;
		p = nl != NULL ? nl + 1 : s + n;
		if (hlen == 4 && memcmp(s, "data", 4) == 0) {
			in->data = p;
			in->datalen = (size_t)(s + n - p);
		} else if (in->npartials < MAX_PARTS) {
			in->partials[in->npartials].name = s;
			in->partials[in->npartials].namelen = hlen;
			in->partials[in->npartials].text = p;
			in->partials[in->npartials].len = (size_t)(s + n - p);
			in->npartials++;
		}
	}
}

/* A mustache_partial_fn over the input's partials; no files. */
static int
memory_partial(void *ctx, const char *name, char **out, size_t *len)
{
	struct input	*in = ctx;
	struct part	*pt;
	size_t		 i, namelen = strlen(name);

	for (i = 0; i < in->npartials; i++) {
		pt = &in->partials[i];
		if (pt->namelen != namelen || memcmp(pt->name, name,
		    namelen) != 0)
			continue;
		/* mustache.h: each name is asked for once per render. */
		if (++pt->asked > 1)
			fuzz_fail("partial '%s' asked for twice", name);
		*out = xmalloc(pt->len + 1);
		memcpy(*out, pt->text, pt->len);
		(*out)[pt->len] = '\0';
		*len = pt->len;
		return 0;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum mustache_escape modes[] = { MUSTACHE_ESCAPE_HTML,
	    MUSTACHE_ESCAPE_MARKDOWN, MUSTACHE_ESCAPE_NONE };
	struct input	 in;
	json_t		*doc = NULL;
	char		*out;
	size_t		 i, j;

	split(&in, (const char *)data, size);
	if (in.data != NULL)
		doc = json_loadb(in.data, in.datalen, JSON_DECODE_ANY, NULL);
	if (doc == NULL)
		doc = json_object();
	for (i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		out = NULL;
		pm_error_clear();
		for (j = 0; j < in.npartials; j++)
			in.partials[j].asked = 0;
		if (mustache_render_escaped(&out, "t/fuzz.mustache", in.tmpl,
		    in.tmpllen, doc, memory_partial, &in, modes[i]) < 0) {
			if (out != NULL)
				fuzz_fail("mustache_render failed but set "
				    "*out");
			fuzz_check_error("mustache_render");
			/* The step limit does not depend on the escaping:
			 * rendering again would only cost the same. */
			if (strstr(pm_error_last(), "too costly") != NULL)
				break;
			continue;
		}
		if (out == NULL)
			fuzz_fail("mustache_render gave no output");
		free(out);
	}
	json_decref(doc);
	return 0;
}
