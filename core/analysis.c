/* analysis.c - sections of the written analysis, found with cmark-gfm. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>

#include "analysis.h"
#include "error.h"
#include "utf8.h"
#include "xmalloc.h"

static const char *keys[] = {
#define X(e, key, title, hint) key,
	ANALYSIS_SECTIONS
#undef X
};
static const char *titles[] = {
#define X(e, key, title, hint) title,
	ANALYSIS_SECTIONS
#undef X
};
static const char *hints[] = {
#define X(e, key, title, hint) hint,
	ANALYSIS_SECTIONS
#undef X
};

/* Other headings people use for the same sections. */
static const struct {
	const char	*name;
	enum section_id	 id;
} synonyms[] = {
	{ "leadup", SEC_LEADUP },
	{ "root causes", SEC_ROOT_CAUSE },
	{ "lessons", SEC_LESSONS },
	{ "action items", SEC_ACTIONS },
	{ "follow up actions", SEC_ACTIONS },
	{ "follow up", SEC_ACTIONS },
};

const char *
section_key(enum section_id id)
{
	return id < SEC__COUNT ? keys[id] : "";
}

const char *
section_title(enum section_id id)
{
	return id < SEC__COUNT ? titles[id] : "";
}

/* "Lead-up:", "LEAD_UP", "lead up" all become "lead up". */
static void
normalize_title(char *out, size_t size, const char *title)
{
	size_t	 n = 0;
	int	 space = 0;

	for (; *title != '\0' && n + 2 < size; title++) {
		unsigned char	 c = (unsigned char)*title;

		if (c == ' ' || c == '-' || c == '_' || c == '\t') {
			space = n > 0;
			continue;
		}
		if (c == ':' && title[1] == '\0')
			break;
		if (space)
			out[n++] = ' ';
		space = 0;
		out[n++] = (char)tolower(c);
	}
	out[n] = '\0';
}

enum section_id
section_from_title(const char *title)
{
	char	 norm[128], want[128];
	size_t	 i;
	int	 id;

	normalize_title(norm, sizeof norm, title);
	for (id = 0; id < SEC__COUNT; id++) {
		normalize_title(want, sizeof want, titles[id]);
		if (strcmp(norm, want) == 0)
			return (enum section_id)id;
	}
	for (i = 0; i < sizeof synonyms / sizeof synonyms[0]; i++)
		if (strcmp(norm, synonyms[i].name) == 0)
			return synonyms[i].id;
	return SEC__COUNT;
}

void
analysis_init(struct analysis *a)
{
	memset(a, 0, sizeof *a);
}

static void
section_clear(struct section *s)
{
	free(s->title);
	free(s->markdown);
	memset(s, 0, sizeof *s);
}

void
analysis_free(struct analysis *a)
{
	size_t	 i;

	for (i = 0; i < SEC__COUNT; i++)
		section_clear(&a->known[i]);
	for (i = 0; i < a->nextra; i++)
		section_clear(&a->extra[i]);
	free(a->extra);
	analysis_init(a);
}

/* The plain text of a heading: its text and code, without markup. */
static char *
heading_text(cmark_node *heading)
{
	struct buf	 b = BUF_INIT;
	cmark_iter	*it;
	cmark_event_type ev;
	cmark_node	*n;
	const char	*lit;

	it = cmark_iter_new(heading);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			if ((lit = cmark_node_get_literal(n)) != NULL)
				buf_adds(&b, lit);
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			buf_addc(&b, ' ');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	return buf_detach(&b);
}

/* Does this block hold something a reader would see? An HTML comment,
 * such as the skeleton's hints, does not count. */
static int
block_has_content(cmark_node *n)
{
	const char	*lit;

	if (cmark_node_get_type(n) != CMARK_NODE_HTML_BLOCK)
		return 1;
	lit = cmark_node_get_literal(n);
	while (lit != NULL && isspace((unsigned char)*lit))
		lit++;
	return lit == NULL || strncmp(lit, "<!--", 4) != 0;
}

/* Where each line starts, so sections can be cut out verbatim. */
struct lines {
	const char	*buf;
	size_t		 len;
	size_t		*start;		/* start[i]: offset of line i+1 */
	size_t		 n;
};

static void
lines_index(struct lines *l, const char *buf, size_t len)
{
	size_t	 i, cap = 64;

	l->buf = buf;
	l->len = len;
	l->start = xmalloc(cap * sizeof *l->start);
	l->n = 0;
	l->start[l->n++] = 0;
	for (i = 0; i < len; i++)
		if (buf[i] == '\n' && i + 1 < len) {
			if (l->n == cap) {
				cap *= 2;
				l->start = xreallocarray(l->start, cap,
				    sizeof *l->start);
			}
			l->start[l->n++] = i + 1;
		}
}

/* Lines first..last (1-based, inclusive) as a new string, without the
 * blank lines at either end. */
static char *
lines_cut(const struct lines *l, size_t first, size_t last)
{
	size_t		 from, to;
	const char	*p;

	if (first < 1)
		first = 1;
	if (last > l->n)
		last = l->n;
	if (first > last)
		return xstrdup("");
	from = l->start[first - 1];
	to = last < l->n ? l->start[last] : l->len;
	while (from < to && isspace((unsigned char)l->buf[from]))
		from++;
	while (to > from && isspace((unsigned char)l->buf[to - 1]))
		to--;
	/* Keep the indentation of the first line. */
	for (p = l->buf + from; p > l->buf && p[-1] != '\n' &&
	    (p[-1] == ' ' || p[-1] == '\t'); p--)
		from--;
	return xstrndup(l->buf + from, to - from);
}

/* A section being collected. */
struct open_section {
	struct section	*sec;
	size_t		 body_first;	/* first line after its heading */
};

static void
close_section(struct open_section *o, const struct lines *l, size_t last)
{
	char	*body, *joined;

	if (o->sec == NULL)
		return;
	body = lines_cut(l, o->body_first, last);
	if (o->sec->markdown != NULL && *o->sec->markdown != '\0') {
		/* The same section twice: keep both, in order. */
		joined = *body != '\0' ? xasprintf("%s\n\n%s",
		    o->sec->markdown, body) : xstrdup(o->sec->markdown);
		free(body);
		body = joined;
	}
	free(o->sec->markdown);
	o->sec->markdown = body;
	o->sec = NULL;
}

static struct section *
open_new_section(struct analysis *a, const char *title, unsigned line)
{
	enum section_id	 id;
	struct section	*s;

	id = section_from_title(title);
	if (id != SEC__COUNT) {
		s = &a->known[id];
		if (s->title == NULL) {
			s->title = xstrdup(title);
			s->line = line;
			s->empty = 1;
		}
		return s;
	}
	a->extra = xreallocarray(a->extra, a->nextra + 1, sizeof *a->extra);
	s = &a->extra[a->nextra++];
	memset(s, 0, sizeof *s);
	s->title = xstrdup(title);
	s->line = line;
	s->empty = 1;
	return s;
}

/* Sections are the level-2 headings when there are any (a level-1
 * heading is then the document's title), else the level-1 ones. */
static int
section_level(cmark_node *doc)
{
	cmark_node	*n;

	for (n = cmark_node_first_child(doc); n != NULL; n = cmark_node_next(n))
		if (cmark_node_get_type(n) == CMARK_NODE_HEADING &&
		    cmark_node_get_heading_level(n) == 2)
			return 2;
	return 1;
}

int
analysis_parse(struct analysis *out, const char *name, const char *buf,
    size_t len)
{
	struct analysis	 a;
	struct lines	 l;
	struct open_section o = { NULL, 0 };
	cmark_node	*doc, *n;
	const char	*why;
	size_t		 bad, i, line, col;
	int		 level, hl;
	char		*title;

	if (utf8_check_text(buf, len, "\t\n\r", &bad, &why) < 0) {
		line = 1;
		col = 1;
		for (i = 0; i < bad; i++) {
			if (buf[i] == '\n') {
				line++;
				col = 1;
			} else if (((unsigned char)buf[i] & 0xc0) != 0x80)
				col++;
		}
		return pm_error_set("%s:%zu:%zu: error: %s", name, line, col,
		    why);
	}
	analysis_init(&a);
	lines_index(&l, buf, len);
	doc = cmark_parse_document(buf, len, CMARK_OPT_DEFAULT);
	level = section_level(doc);
	for (n = cmark_node_first_child(doc); n != NULL; n = cmark_node_next(n)) {
		if (cmark_node_get_type(n) == CMARK_NODE_HEADING &&
		    (hl = cmark_node_get_heading_level(n)) <= level) {
			close_section(&o, &l,
			    (size_t)cmark_node_get_start_line(n) - 1);
			if (hl < level)
				continue;	/* the document's title */
			title = heading_text(n);
			o.sec = open_new_section(&a, title,
			    (unsigned)cmark_node_get_start_line(n));
			o.body_first = (size_t)cmark_node_get_end_line(n) + 1;
			free(title);
			continue;
		}
		if (o.sec != NULL && block_has_content(n))
			o.sec->empty = 0;
	}
	close_section(&o, &l, l.n);
	cmark_node_free(doc);
	free(l.start);
	*out = a;
	return 0;
}

char *
analysis_skeleton(const char *title)
{
	struct buf	 b = BUF_INIT;
	int		 i;

	buf_printf(&b, "# Postmortem: %s\n\n", title);
	buf_adds(&b, "<!-- Write in Markdown. pmtool finds these sections by "
	    "their headings (any\norder, any case); sections it does not "
	    "know are kept and rendered after\nthem. The timeline and the "
	    "metrics come from the incident's events; edit\nthis file with "
	    "'pmtool edit ID'. -->\n");
	for (i = 0; i < SEC__COUNT; i++)
		buf_printf(&b, "\n## %s\n\n<!-- %s -->\n", titles[i], hints[i]);
	return buf_detach(&b);
}
