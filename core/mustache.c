/*
 * mustache.c - a Mustache renderer for the spec's required modules.
 *
 * A template is parsed completely before anything is rendered, so a
 * broken template fails with a position instead of half an output. The
 * parse produces a flat array of nodes in which a section remembers where
 * its contents end; rendering walks that array against a context stack of
 * JSON values kept on the C stack.
 *
 * Partials are fetched through the caller's callback at most once per
 * name and parsed at most once per indentation, both cached for the rest
 * of the render: a recursive partial is not re-read at every level.
 */
#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "error.h"
#include "mustache.h"
#include "xmalloc.h"

/*
 * Real templates nest a handful of levels; these only stop templates
 * that would exhaust the C stack, or render for ever (partials that
 * include themselves twice, sections nested over the same list).
 */
#define MAX_NEST	100	/* sections open at once in one template */
#define MAX_PARTIALS	100	/* partials inside partials */
#define MAX_DEPTH	1000	/* sections and partials while rendering */
#define MAX_STEPS	10000000UL
#define MAX_OUTPUT	(128UL * 1024 * 1024)
/* Partials standing alone are indented as text, once per indentation;
 * nested ones indent again (indent_text()). */
#define MAX_INDENTED	(16UL * 1024 * 1024)

#define NOT_FOUND	((size_t)-1)

enum node_type {
	NODE_TEXT,
	NODE_VAR,		/* {{name}}: HTML-escaped */
	NODE_RAW,		/* {{{name}}} and {{&name}} */
	NODE_SECTION,
	NODE_INVERTED,
	NODE_PARTIAL
};

struct node {
	enum node_type	 type;
	size_t		 pos;	/* where the tag (or text) starts */
	const char	*str;	/* the text, or the tag's name */
	size_t		 len;
	size_t		 end;	/* sections: index past their contents */
	const char	*indent; /* partials standing alone: their indent */
	size_t		 indentlen;
};

struct tmpl {
	const char	*name;	/* for error messages */
	const char	*src;
	size_t		 len;
	size_t		 shift;	/* indentation added to each line */
	struct node	*nodes;
	size_t		 n;
	size_t		 cap;
};

struct tag {
	size_t		 start;	/* the opening delimiter */
	size_t		 end;	/* past the closing delimiter */
	char		 type;	/* '#', '^', '/', '!', '=', '>', '&', '{', 0 */
	const char	*body;	/* between the type and the closing delimiter */
	size_t		 bodylen;
};

struct parser {
	struct tmpl	*t;
	size_t		 pos;	/* first byte not yet turned into nodes */
	const char	*otag;
	size_t		 otaglen;
	const char	*ctag;
	size_t		 ctaglen;
	size_t		 open[MAX_NEST];	/* open sections, as nodes */
	size_t		 nopen;
};

/* A partial's text parsed for one indentation. */
struct variant {
	struct variant	*next;
	char		*indent;
	size_t		 indentlen;
	char		*src;	/* the indented text; NULL when not indented */
	struct tmpl	 t;
};

/* A partial as the callback gave it, by name. */
struct partial {
	struct partial	*next;
	char		*name;
	char		*label;		/* its name in messages */
	char		*text;
	size_t		 len;
	int		 found;
	struct variant	*variants;
};

struct render {
	struct buf		 out;
	enum mustache_escape	 escape;	/* what {{x}} escapes for */
	mustache_partial_fn	 fn;
	void			*arg;
	struct partial		*partials;
	unsigned		 depth;		/* sections and partials */
	unsigned		 pdepth;	/* partials */
	unsigned long		 steps;		/* nodes, items, lookups */
	size_t			 indented;	/* bytes of indent_text() */
};

/* One level of the context stack; the innermost is searched first. */
struct ctx {
	json_t			*val;
	const struct ctx	*up;
};

static int	tmpl_error(const struct tmpl *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static int	render_nodes(struct render *, const struct tmpl *, size_t,
		    size_t, const struct ctx *);

/* A length for "%.*s"; names are never near INT_MAX in practice. */
static int
plen(size_t len)
{
	return len > INT_MAX ? INT_MAX : (int)len;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Line and column (in characters, not bytes) of an offset. */
static void
where(const struct tmpl *t, size_t pos, int *line, int *col)
{
	size_t	 i, l = 1, c = 1;

	for (i = 0; i < pos && i < t->len; i++) {
		if (t->src[i] == '\n') {
			l++;
			c = 1;
		} else if (((unsigned char)t->src[i] & 0xc0) != 0x80)
			c++;	/* not a UTF-8 continuation byte */
	}
	/* Report positions in the partial as written, not as indented. */
	if (c > t->shift)
		c -= t->shift;
	*line = l > INT_MAX ? INT_MAX : (int)l;
	*col = c > INT_MAX ? INT_MAX : (int)c;
}

static int
tmpl_error(const struct tmpl *t, size_t pos, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;
	int	 line, col;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	where(t, pos, &line, &col);
	pm_error_set("%s:%d:%d: error: %s", t->name, line, col, msg);
	free(msg);
	return -1;
}

/* ---- parsing ---------------------------------------------------------- */

static struct node *
add_node(struct tmpl *t, enum node_type type, size_t pos, const char *str,
    size_t len)
{
	struct node	*n;

	if (t->n == t->cap) {
		t->cap = t->cap == 0 ? 16 : t->cap * 2;
		t->nodes = xreallocarray(t->nodes, t->cap, sizeof *t->nodes);
	}
	n = &t->nodes[t->n++];
	memset(n, 0, sizeof *n);
	n->type = type;
	n->pos = pos;
	n->str = str;
	n->len = len;
	return n;
}

static void
add_text(struct tmpl *t, size_t from, size_t to)
{
	if (to > from)
		add_node(t, NODE_TEXT, from, t->src + from, to - from);
}

static int
is_type(char c)
{
	switch (c) {
	case '#': case '^': case '/': case '!': case '=': case '>':
	case '&': case '{': case '<': case '$':
		return 1;
	}
	return 0;
}

/* Only tags that print nothing may stand alone on a line. */
static int
can_stand_alone(char type)
{
	switch (type) {
	case '#': case '^': case '/': case '!': case '=': case '>':
		return 1;
	}
	return 0;
}

/*
 * The closing delimiter at or after `from`. With `before`, only one that
 * this character precedes, itself at or after `from`: "}}}" ends a triple
 * mustache and "=}}" a delimiter change. Returns the delimiter's offset.
 */
static size_t
find_close(const struct parser *p, size_t from, char before)
{
	const char	*s = p->t->src, *hit;
	size_t		 at = from;

	while (at <= p->t->len) {
		hit = memmem(s + at, p->t->len - at, p->ctag, p->ctaglen);
		if (hit == NULL)
			break;
		at = (size_t)(hit - s);
		if (before == 0 || (at > from && s[at - 1] == before))
			return at;
		at++;
	}
	return NOT_FOUND;
}

static int
read_tag(const struct parser *p, size_t start, struct tag *tag)
{
	const struct tmpl	*t = p->t;
	size_t			 body, close;
	char			 before = 0;

	memset(tag, 0, sizeof *tag);
	body = start + p->otaglen;
	tag->start = start;
	if (body < t->len && is_type(t->src[body]))
		tag->type = t->src[body++];
	if (tag->type == '{')
		before = '}';
	else if (tag->type == '=')
		before = '=';
	close = find_close(p, body, before);
	if (close == NOT_FOUND) {
		if (tag->type == '=' && find_close(p, body, 0) != NOT_FOUND)
			return tmpl_error(t, start, "bad delimiter change");
		return tmpl_error(t, start, "unclosed tag");
	}
	tag->body = t->src + body;
	tag->bodylen = close - body - (before != 0);
	tag->end = close + p->ctaglen;
	return 0;
}

/*
 * Whether the tag is alone on its line but for spaces and tabs. If so,
 * *ls is where its line starts and *next where the following line does:
 * the whole line goes, its line ending ("\n" or "\r\n") included.
 */
static int
standalone(const struct parser *p, const struct tag *tag, size_t *ls,
    size_t *next)
{
	const char	*s = p->t->src;
	size_t		 i, len = p->t->len;

	for (i = tag->start; i > p->pos && is_blank(s[i - 1]); i--)
		/* nothing */;
	if (i > 0 && s[i - 1] != '\n')
		return 0;
	*ls = i;
	for (i = tag->end; i < len && is_blank(s[i]); i++)
		/* nothing */;
	if (i + 1 < len && s[i] == '\r' && s[i + 1] == '\n')
		i += 2;
	else if (i < len && s[i] == '\n')
		i++;
	else if (i < len)
		return 0;
	*next = i;
	return 1;
}

/* The name in a tag: one word, with optional padding around it. */
static int
tag_name(const struct parser *p, const struct tag *tag, const char **name,
    size_t *len)
{
	const char	*b = tag->body, *e = tag->body + tag->bodylen, *c;

	while (b < e && is_space(*b))
		b++;
	while (e > b && is_space(e[-1]))
		e--;
	if (b == e)
		return tmpl_error(p->t, tag->start, "empty tag");
	for (c = b; c < e; c++) {
		/* A NUL would cut the name short for the partial callback. */
		if (is_space(*c) || *c == '\0')
			return tmpl_error(p->t, tag->start,
			    "invalid tag name '%.*s'", plen((size_t)(e - b)),
			    b);
	}
	*name = b;
	*len = (size_t)(e - b);
	return 0;
}

/* {{=<% %>=}}: the body holds exactly two words, the new delimiters. */
static int
set_delimiters(struct parser *p, const struct tag *tag)
{
	const char	*s = tag->body, *e = tag->body + tag->bodylen;
	const char	*o, *c;
	size_t		 olen, clen;

	while (s < e && is_space(*s))
		s++;
	for (o = s; s < e && !is_space(*s); s++)
		/* nothing */;
	olen = (size_t)(s - o);
	while (s < e && is_space(*s))
		s++;
	for (c = s; s < e && !is_space(*s); s++)
		/* nothing */;
	clen = (size_t)(s - c);
	while (s < e && is_space(*s))
		s++;
	if (olen == 0 || clen == 0 || s != e)
		return tmpl_error(p->t, tag->start, "bad delimiter change");
	p->otag = o;
	p->otaglen = olen;
	p->ctag = c;
	p->ctaglen = clen;
	return 0;
}

static int
open_section(struct parser *p, const struct tag *tag, const char *name,
    size_t len)
{
	enum node_type	 type;

	if (p->nopen == MAX_NEST)
		return tmpl_error(p->t, tag->start,
		    "sections nested too deeply (more than %d levels)",
		    MAX_NEST);
	type = tag->type == '#' ? NODE_SECTION : NODE_INVERTED;
	add_node(p->t, type, tag->start, name, len);
	p->open[p->nopen++] = p->t->n - 1;
	return 0;
}

static int
close_section(struct parser *p, const struct tag *tag, const char *name,
    size_t len)
{
	struct node	*n;

	if (p->nopen == 0)
		return tmpl_error(p->t, tag->start,
		    "unexpected closing tag '%.*s' (no section is open)",
		    plen(len), name);
	n = &p->t->nodes[p->open[p->nopen - 1]];
	if (n->len != len || memcmp(n->str, name, len) != 0)
		return tmpl_error(p->t, tag->start,
		    "unexpected closing tag '%.*s' (open section is '%.*s')",
		    plen(len), name, plen(n->len), n->str);
	n->end = p->t->n;
	p->nopen--;
	return 0;
}

/* Turn a tag into nodes; `ls` is its line's start if it stands alone. */
static int
add_tag(struct parser *p, const struct tag *tag, int alone, size_t ls)
{
	struct node	*n;
	const char	*name = NULL;
	size_t		 len = 0;

	switch (tag->type) {
	case '!':
		return 0;
	case '=':
		return set_delimiters(p, tag);
	case '<':
	case '$':
		return tmpl_error(p->t, tag->start, "template inheritance "
		    "('%c' tags) is not supported", tag->type);
	}
	if (tag_name(p, tag, &name, &len) != 0)
		return -1;
	switch (tag->type) {
	case '#':
	case '^':
		return open_section(p, tag, name, len);
	case '/':
		return close_section(p, tag, name, len);
	case '>':
		n = add_node(p->t, NODE_PARTIAL, tag->start, name, len);
		if (alone) {
			n->indent = p->t->src + ls;
			n->indentlen = tag->start - ls;
		}
		return 0;
	case '&':
	case '{':
		add_node(p->t, NODE_RAW, tag->start, name, len);
		return 0;
	}
	add_node(p->t, NODE_VAR, tag->start, name, len);
	return 0;
}

static int
parse(struct tmpl *t)
{
	struct parser	 p;
	struct tag	 tag;
	struct node	*n;
	const char	*hit;
	size_t		 start, ls = 0, next = 0;
	int		 alone;

	memset(&p, 0, sizeof p);
	p.t = t;
	p.otag = "{{";
	p.otaglen = 2;
	p.ctag = "}}";
	p.ctaglen = 2;
	while (p.pos < t->len) {
		hit = memmem(t->src + p.pos, t->len - p.pos, p.otag,
		    p.otaglen);
		if (hit == NULL)
			break;
		start = (size_t)(hit - t->src);
		if (read_tag(&p, start, &tag) != 0)
			return -1;
		alone = can_stand_alone(tag.type) &&
		    standalone(&p, &tag, &ls, &next);
		add_text(t, p.pos, alone ? ls : start);
		if (add_tag(&p, &tag, alone, ls) != 0)
			return -1;
		p.pos = alone ? next : tag.end;
	}
	add_text(t, p.pos, t->len);
	if (p.nopen > 0) {
		n = &t->nodes[p.open[p.nopen - 1]];
		return tmpl_error(t, n->pos, "unclosed section '%.*s'",
		    plen(n->len), n->str);
	}
	return 0;
}

/* ---- values ----------------------------------------------------------- */

/*
 * Resolve a name: "." is the innermost context; otherwise the first part
 * is searched for from the innermost context out, and each later part is
 * looked up only in what the part before it found. Each context searched
 * and each part is a step: a long dotted name or a deep context stack
 * costs that much at every use (render_nodes() checks the total).
 */
static json_t *
lookup(struct render *r, const struct ctx *cx, const char *name, size_t len)
{
	const char	*end = name + len, *dot;
	json_t		*v = NULL;

	if (len == 1 && name[0] == '.')
		return cx->val;
	dot = memchr(name, '.', len);
	if (dot == name)
		return NULL;
	for (; cx != NULL; cx = cx->up) {
		r->steps++;
		if (!json_is_object(cx->val))
			continue;
		v = json_object_getn(cx->val, name,
		    (size_t)((dot != NULL ? dot : end) - name));
		if (v != NULL)
			break;
	}
	while (v != NULL && dot != NULL) {
		r->steps++;
		name = dot + 1;
		dot = memchr(name, '.', (size_t)(end - name));
		if ((dot != NULL ? dot : end) == name || !json_is_object(v))
			return NULL;
		v = json_object_getn(v, name,
		    (size_t)((dot != NULL ? dot : end) - name));
	}
	return v;
}

static int
truthy(const json_t *v)
{
	if (v == NULL || json_is_null(v) || json_is_false(v))
		return 0;
	if (json_is_array(v))
		return json_array_size(v) > 0;
	return 1;
}

static const char *
escape_of(char c)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '"':
		return "&quot;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	}
	return NULL;
}

/*
 * Where a value that begins a line could start a block: "# " (heading),
 * "- ", "+ " (list), "1. ", "1) " (ordered list). Returns the index of
 * the character to backslash-escape, or -1. Only ASCII punctuation can be
 * backslash-escaped in CommonMark, so for "1." it is the dot.
 */
static long
block_marker(const char *s, size_t len)
{
	size_t	 i = 0;

	if (len == 0)
		return -1;
	if ((s[0] == '#' || s[0] == '-' || s[0] == '+') &&
	    (len == 1 || s[1] == ' ' || s[1] == '\t' || s[1] == s[0]))
		return 0;
	while (i < len && i < 10 && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i > 0 && i < len && (s[i] == '.' || s[i] == ')') &&
	    (i + 1 == len || s[i + 1] == ' ' || s[i + 1] == '\t'))
		return (long)i;
	return -1;
}

/*
 * A value inside Markdown: HTML's four characters become entities, so no
 * tag or entity can form; the characters that make inline markup are
 * backslash-escaped, so text shows as written; a line break becomes a
 * space, so a value cannot end a table row or start a block; and a value
 * that would start a block if it began a line has that marker escaped.
 */
void
mustache_escape_markdown(struct buf *b, const char *s, size_t len)
{
	const char	*rep;
	size_t		 i;
	long		 marker;
	char		 c;

	marker = block_marker(s, len);
	for (i = 0; i < len; i++) {
		c = s[i];
		if ((rep = escape_of(c)) != NULL) {
			buf_adds(b, rep);
			continue;
		}
		if (c == '\n' || c == '\r') {
			buf_addc(b, ' ');
			continue;
		}
		if (strchr("\\`*_[]|~", c) != NULL || (long)i == marker)
			buf_addc(b, '\\');
		buf_addc(b, c);
	}
}

static void
add_value(struct buf *b, const char *s, size_t len, int escape)
{
	const char	*rep;
	size_t		 i, from = 0;

	if (escape == MUSTACHE_ESCAPE_NONE) {
		buf_add(b, s, len);
		return;
	}
	if (escape == MUSTACHE_ESCAPE_MARKDOWN) {
		mustache_escape_markdown(b, s, len);
		return;
	}
	for (i = 0; i < len; i++) {
		if ((rep = escape_of(s[i])) == NULL)
			continue;
		buf_add(b, s + from, i - from);
		buf_adds(b, rep);
		from = i + 1;
	}
	buf_add(b, s + from, len - from);
}

/*
 * The shortest "%g" that reads back as the same double: 1.21 rather than
 * 1.2099999999999999645. printf follows LC_NUMERIC, which a program using
 * curses may have set, but templates want the same output everywhere.
 */
static void
format_real(char *num, size_t size, double d)
{
	const char	*dp;
	char		*at;
	size_t		 dplen;
	int		 prec;

	for (prec = 1; prec <= 17; prec++) {
		snprintf(num, size, "%.*g", prec, d);
		if (strtod(num, NULL) == d)
			break;
	}
	dp = localeconv()->decimal_point;
	if (dp == NULL || *dp == '\0' || strcmp(dp, ".") == 0)
		return;
	if ((at = strstr(num, dp)) != NULL) {
		dplen = strlen(dp);
		*at = '.';
		memmove(at + 1, at + dplen, strlen(at + dplen) + 1);
	}
}

static void
interpolate(struct buf *b, json_t *v, int escape)
{
	char	 num[64];
	char	*s;

	if (v == NULL)
		return;
	switch (json_typeof(v)) {
	case JSON_STRING:
		add_value(b, json_string_value(v), json_string_length(v),
		    escape);
		break;
	case JSON_INTEGER:
		snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		buf_adds(b, num);
		break;
	case JSON_REAL:
		format_real(num, sizeof num, json_real_value(v));
		buf_adds(b, num);
		break;
	case JSON_TRUE:
		buf_adds(b, "true");
		break;
	case JSON_FALSE:
		buf_adds(b, "false");
		break;
	case JSON_NULL:
		break;
	case JSON_OBJECT:
	case JSON_ARRAY:
		s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		if (s != NULL)
			add_value(b, s, strlen(s), escape);
		free(s);
		break;
	}
}

/* ---- partials --------------------------------------------------------- */

/* Is this line empty but for its line ending? */
static int
empty_line(const char *s, size_t len)
{
	return (len == 1 && s[0] == '\n') ||
	    (len == 2 && s[0] == '\r' && s[1] == '\n');
}

/*
 * A standalone partial's indentation goes before each line of the partial
 * as text, before it is parsed (as the spec says): the partial's own
 * standalone tags still stand alone, and values interpolated into it are
 * not indented. Empty lines stay empty, with no trailing whitespace.
 */
static char *
indent_text(const char *src, size_t len, const char *indent, size_t ilen,
    size_t *outlen)
{
	struct buf	 b = BUF_INIT;
	const char	*nl;
	size_t		 i = 0, end;

	while (i < len) {
		nl = memchr(src + i, '\n', len - i);
		end = nl != NULL ? (size_t)(nl - src) + 1 : len;
		if (!empty_line(src + i, end - i))
			buf_add(&b, indent, ilen);
		buf_add(&b, src + i, end - i);
		i = end;
	}
	*outlen = b.len;
	return buf_detach(&b);
}

static void
free_partials(struct partial *p)
{
	struct partial	*pnext;
	struct variant	*v, *vnext;

	for (; p != NULL; p = pnext) {
		pnext = p->next;
		for (v = p->variants; v != NULL; v = vnext) {
			vnext = v->next;
			free(v->t.nodes);
			free(v->src);
			free(v->indent);
			free(v);
		}
		free(p->name);
		free(p->label);
		free(p->text);
		free(p);
	}
}

/* The partial named by node n, asking the callback the first time. */
/*
 * How messages name a partial: where the including template is a
 * ".mustache" file, as "DIR/name.mustache" beside it (where pmtool looks
 * for partials), so an editor can jump to it; otherwise by its name.
 */
static char *
partial_label(const char *parent, const char *name)
{
	const char	*ext = ".mustache", *slash;
	size_t		 plen = strlen(parent), elen = strlen(ext);

	if (plen <= elen || strcmp(parent + plen - elen, ext) != 0)
		return xstrdup(name);
	slash = strrchr(parent, '/');
	if (slash == NULL)
		return xasprintf("%s%s", name, ext);
	return xasprintf("%.*s/%s%s", (int)(slash - parent), parent, name, ext);
}

static int
fetch_partial(struct render *r, const struct tmpl *t, const struct node *n,
    struct partial **out)
{
	struct partial	*p;
	char		*why;
	int		 rc;

	for (p = r->partials; p != NULL; p = p->next) {
		if (strlen(p->name) == n->len &&
		    memcmp(p->name, n->str, n->len) == 0) {
			*out = p;
			return 0;
		}
	}
	p = xcalloc(1, sizeof *p);
	p->name = xstrndup(n->str, n->len);
	p->label = partial_label(t->name, p->name);
	p->next = r->partials;
	r->partials = p;
	rc = r->fn != NULL ? r->fn(r->arg, p->name, &p->text, &p->len) : 1;
	if (rc < 0) {
		why = xstrdup(pm_error_last());
		tmpl_error(t, n->pos, "partial '%s': %s", p->name, why);
		free(why);
		return -1;
	}
	p->found = rc == 0;
	if (!p->found || p->text == NULL) {
		free(p->text);	/* a callback may set *out and return 1 */
		p->text = NULL;
		p->len = 0;
	}
	*out = p;
	return 0;
}

/* The partial named by node n, parsed for n's indentation; NULL if none. */
static int
load_partial(struct render *r, const struct tmpl *t, const struct node *n,
    const struct tmpl **out)
{
	struct partial	*p;
	struct variant	*v;

	*out = NULL;
	if (fetch_partial(r, t, n, &p) != 0)
		return -1;
	if (!p->found)
		return 0;
	for (v = p->variants; v != NULL; v = v->next) {
		/* n->indent is NULL when not indented: no memcmp then. */
		if (v->indentlen == n->indentlen && (n->indentlen == 0 ||
		    memcmp(v->indent, n->indent, n->indentlen) == 0)) {
			*out = &v->t;
			return 0;
		}
	}
	v = xcalloc(1, sizeof *v);
	v->indent = xstrndup(n->indentlen > 0 ? n->indent : "", n->indentlen);
	v->indentlen = n->indentlen;
	v->next = p->variants;
	p->variants = v;
	v->t.name = p->label;
	v->t.shift = n->indentlen;
	if (n->indentlen > 0) {
		v->src = indent_text(p->text, p->len, n->indent, n->indentlen,
		    &v->t.len);
		v->t.src = v->src;
		/* A partial indenting itself again at every level would
		 * grow without end before a byte is output. */
		r->indented += v->t.len;
		if (r->indented > MAX_INDENTED)
			return tmpl_error(t, n->pos, "indented partials too "
			    "large (more than %lu bytes)", MAX_INDENTED);
	} else {
		v->t.src = p->text != NULL ? p->text : "";
		v->t.len = p->len;
	}
	if (parse(&v->t) != 0)
		return -1;
	*out = &v->t;
	return 0;
}

/* ---- rendering -------------------------------------------------------- */

static int
enter(struct render *r, const struct tmpl *t, const struct node *n)
{
	if (r->depth >= MAX_DEPTH)
		return tmpl_error(t, n->pos, "sections and partials nested "
		    "too deeply (more than %d levels)", MAX_DEPTH);
	r->depth++;
	return 0;
}

static int
render_partial(struct render *r, const struct tmpl *t, const struct node *n,
    const struct ctx *cx)
{
	const struct tmpl	*pt;
	int			 rc;

	if (r->pdepth >= MAX_PARTIALS)
		return tmpl_error(t, n->pos, "partials nested too deeply "
		    "(more than %d levels)", MAX_PARTIALS);
	if (load_partial(r, t, n, &pt) != 0)
		return -1;
	if (pt == NULL)
		return 0;
	if (enter(r, t, n) != 0)
		return -1;
	r->pdepth++;
	rc = render_nodes(r, pt, 0, pt->n, cx);
	r->pdepth--;
	r->depth--;
	return rc;
}

/* A section's contents, once, with cx as the context stack. */
static int
render_contents(struct render *r, const struct tmpl *t, size_t i,
    const struct ctx *cx)
{
	int	 rc;

	if (enter(r, t, &t->nodes[i]) != 0)
		return -1;
	rc = render_nodes(r, t, i + 1, t->nodes[i].end, cx);
	r->depth--;
	return rc;
}

static int
render_section(struct render *r, const struct tmpl *t, size_t i,
    const struct ctx *cx)
{
	const struct node	*n = &t->nodes[i];
	json_t			*v;
	struct ctx		 inner;
	size_t			 k;

	v = lookup(r, cx, n->str, n->len);
	if (n->type == NODE_INVERTED)
		return truthy(v) ? 0 : render_contents(r, t, i, cx);
	if (!truthy(v))
		return 0;
	inner.up = cx;
	if (!json_is_array(v)) {
		inner.val = v;
		return render_contents(r, t, i, &inner);
	}
	for (k = 0; k < json_array_size(v); k++) {
		/* Count the items: empty contents are no free loop either. */
		if (++r->steps > MAX_STEPS)
			return tmpl_error(t, n->pos, "template too costly to "
			    "render (more than %lu steps)", MAX_STEPS);
		inner.val = json_array_get(v, k);
		if (render_contents(r, t, i, &inner) != 0)
			return -1;
	}
	return 0;
}

static int
render_nodes(struct render *r, const struct tmpl *t, size_t from, size_t to,
    const struct ctx *cx)
{
	const struct node	*n;
	size_t			 i;

	for (i = from; i < to; i++) {
		n = &t->nodes[i];
		if (++r->steps > MAX_STEPS)
			return tmpl_error(t, n->pos, "template too costly to "
			    "render (more than %lu steps)", MAX_STEPS);
		switch (n->type) {
		case NODE_TEXT:
			buf_add(&r->out, n->str, n->len);
			break;
		case NODE_VAR:
		case NODE_RAW:
			interpolate(&r->out, lookup(r, cx, n->str, n->len),
			    n->type == NODE_VAR ? (int)r->escape :
			    MUSTACHE_ESCAPE_NONE);
			break;
		case NODE_SECTION:
		case NODE_INVERTED:
			if (render_section(r, t, i, cx) != 0)
				return -1;
			i = n->end - 1;	/* past the contents */
			break;
		case NODE_PARTIAL:
			if (render_partial(r, t, n, cx) != 0)
				return -1;
			break;
		}
		if (r->out.len > MAX_OUTPUT)
			return tmpl_error(t, n->pos, "output too large (more "
			    "than %lu bytes)", MAX_OUTPUT);
	}
	return 0;
}

int
mustache_render(char **out, const char *name, const char *tmpl, size_t len,
    json_t *data, mustache_partial_fn partial, void *ctx)
{
	return mustache_render_escaped(out, name, tmpl, len, data, partial,
	    ctx, MUSTACHE_ESCAPE_HTML);
}

int
mustache_render_escaped(char **out, const char *name, const char *tmpl,
    size_t len, json_t *data, mustache_partial_fn partial, void *ctx,
    enum mustache_escape escape)
{
	struct tmpl	 t;
	struct render	 r;
	struct ctx	 root;
	int		 rc;

	memset(&t, 0, sizeof t);
	t.name = name != NULL ? name : "template";
	t.src = tmpl != NULL ? tmpl : "";
	t.len = tmpl != NULL ? len : 0;
	memset(&r, 0, sizeof r);
	r.escape = escape;
	r.fn = partial;
	r.arg = ctx;
	root.val = data;
	root.up = NULL;

	rc = parse(&t);
	if (rc == 0)
		rc = render_nodes(&r, &t, 0, t.n, &root);
	free(t.nodes);
	free_partials(r.partials);
	if (rc != 0) {
		buf_free(&r.out);
		return -1;
	}
	*out = buf_detach(&r.out);
	return 0;
}
