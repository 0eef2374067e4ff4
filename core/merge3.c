/*
 * merge3.c - three-way merges of timelines and record files.
 *
 * A block is what belongs together: an event line, the continuation
 * lines after it, and the comment and blank lines after those (an
 * import's "# source:" line goes with its event). For each distinct
 * block, with o, t and b its counts in ours, theirs and base:
 *
 *	both sides added or kept it (o >= b, t >= b):	max(o, t)
 *	both removed some or kept it (o <= b, t <= b):	min(o, t)
 *	one added, the other removed:			o + t - b
 *
 * so an event logged on one side is kept, the same event reaching both
 * sides (the same import on two machines) is kept once, and a line
 * removed by hand on one side stays removed.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "merge3.h"
#include "xmalloc.h"

struct blocks {
	char	**v;		/* owned, each with its final "\n" */
	size_t	 n;
};

void
merge_notes_free(struct merge_notes *m)
{
	size_t	 i;

	for (i = 0; i < m->n; i++)
		free(m->v[i]);
	free(m->v);
	m->v = NULL;
	m->n = 0;
}

static void
note(struct merge_notes *m, char *text)
{
	m->v = xreallocarray(m->v, m->n + 1, sizeof *m->v);
	m->v[m->n++] = text;
}

static void
blocks_free(struct blocks *b)
{
	size_t	 i;

	for (i = 0; i < b->n; i++)
		free(b->v[i]);
	free(b->v);
}

static void
blocks_add(struct blocks *b, const char *s, size_t len)
{
	b->v = xreallocarray(b->v, b->n + 1, sizeof *b->v);
	/* A last line without its newline gets one: blocks compare whole. */
	if (len > 0 && s[len - 1] != '\n')
		b->v[b->n++] = xasprintf("%.*s\n", (int)len, s);
	else
		b->v[b->n++] = xstrndup(s, len);
}

static size_t
line_len(const char *s)
{
	const char	*nl = strchr(s, '\n');

	return nl != NULL ? (size_t)(nl - s) + 1 : strlen(s);
}

/* An event line starts with a digit (formats/incident-format.md). */
static int
is_event(const char *line)
{
	return *line >= '0' && *line <= '9';
}

/*
 * Split text into its header (everything before the first event line,
 * when with_header) and its blocks. *header is a new string.
 */
static void
split(char **header, struct blocks *out, const char *text, int with_header)
{
	const char	*p = text, *start;

	memset(out, 0, sizeof *out);
	if (with_header) {
		while (*p != '\0' && !is_event(p))
			p += line_len(p);
		*header = xstrndup(text, (size_t)(p - text));
	}
	while (*p != '\0') {
		start = p;
		p += line_len(p);
		/* With a header, a block runs to the next event line; a
		 * record file has one line per block. */
		while (with_header && *p != '\0' && !is_event(p))
			p += line_len(p);
		blocks_add(out, start, (size_t)(p - start));
	}
}

static size_t
count(const struct blocks *b, const char *s)
{
	size_t	 i, n = 0;

	for (i = 0; i < b->n; i++)
		n += strcmp(b->v[i], s) == 0;
	return n;
}

/* The merged count of block s, by the rule at the top. */
static size_t
merged_count(const struct blocks *base, const struct blocks *ours,
    const struct blocks *theirs, const char *s)
{
	size_t	 b = count(base, s), o = count(ours, s), t = count(theirs, s);

	if (o >= b && t >= b)
		return o > t ? o : t;
	if (o <= b && t <= b)
		return o < t ? o : t;
	return o + t - b;
}

/* Ours in order, then theirs, each block as many times as it merges to. */
static void
merge_blocks(struct buf *out, const struct blocks *base,
    const struct blocks *ours, const struct blocks *theirs)
{
	const struct blocks *side[2] = { ours, theirs };
	struct blocks	 done;
	size_t		 i, k, want, have;

	memset(&done, 0, sizeof done);
	for (k = 0; k < 2; k++)
		for (i = 0; i < side[k]->n; i++) {
			want = merged_count(base, ours, theirs,
			    side[k]->v[i]);
			have = count(&done, side[k]->v[i]);
			if (have >= want)
				continue;
			buf_adds(out, side[k]->v[i]);
			blocks_add(&done, side[k]->v[i],
			    strlen(side[k]->v[i]));
		}
	blocks_free(&done);
}

void
merge_records(char **out, const char *base, const char *ours,
    const char *theirs)
{
	struct blocks	 b, o, t;
	struct buf	 res = BUF_INIT;

	split(NULL, &b, base, 0);
	split(NULL, &o, ours, 0);
	split(NULL, &t, theirs, 0);
	merge_blocks(&res, &b, &o, &t);
	buf_adds(&res, "");
	*out = buf_detach(&res);
	blocks_free(&b);
	blocks_free(&o);
	blocks_free(&t);
}

/* --- headers --------------------------------------------------------- */

/* The value of header field key ("severity") in header text, or NULL;
 * the key is case-insensitive, as the format says. */
static char *
field(const char *header, const char *key)
{
	const char	*p = header, *colon, *v, *end;
	size_t		 klen = strlen(key), n;

	for (; *p != '\0'; p += line_len(p)) {
		n = line_len(p);
		colon = memchr(p, ':', n);
		if (colon == NULL || *p == '#' || (size_t)(colon - p) != klen ||
		    strncasecmp(p, key, klen) != 0)
			continue;
		for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
			;
		end = p + n;
		while (end > v && (end[-1] == '\n' || end[-1] == '\r' ||
		    end[-1] == ' ' || end[-1] == '\t'))
			end--;
		return xstrndup(v, (size_t)(end - v));
	}
	return NULL;
}

static int
same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* The keys of a header in order (lines "key: value" that are not
 * comments and not the magic line). */
static void
keys_of(struct blocks *keys, const char *header)
{
	const char	*p, *colon;
	size_t		 n;

	for (p = header; *p != '\0'; p += n) {
		n = line_len(p);
		colon = memchr(p, ':', n);
		if (colon == NULL || *p == '#' || colon == p)
			continue;
		keys->v = xreallocarray(keys->v, keys->n + 1, sizeof *keys->v);
		keys->v[keys->n++] = xstrndup(p, (size_t)(colon - p));
	}
}

/*
 * Ours' header with each field settled three ways. Lines that are not
 * fields (the magic line, comments, blank lines) are kept as ours has
 * them; fields only theirs has are added at the end.
 */
/* 1 when line is a header field ("key: value"), not the magic line, a
 * comment or a blank line. */
static int
is_field(const char *p, size_t n)
{
	const char	*colon = memchr(p, ':', n);

	return colon != NULL && *p != '#' && colon != p;
}

/* The fields only theirs has and base had not (ours did not remove
 * them): added by the remote. */
static void
added_fields(struct buf *out, const struct blocks *okeys, const char *base,
    const char *theirs)
{
	struct blocks	 tkeys;
	char		*b, *t;
	size_t		 i;

	memset(&tkeys, 0, sizeof tkeys);
	keys_of(&tkeys, theirs);
	for (i = 0; i < tkeys.n; i++) {
		if (count(okeys, tkeys.v[i]) > 0)
			continue;
		b = field(base, tkeys.v[i]);
		t = field(theirs, tkeys.v[i]);
		if (b == NULL && t != NULL)
			buf_printf(out, "%s: %s\n", tkeys.v[i], t);
		free(b);
		free(t);
	}
	blocks_free(&tkeys);
}

/*
 * Ours' header with each field settled three ways. Lines that are not
 * fields (the magic line, comments, blank lines) are kept as ours has
 * them; fields the remote added go after ours' last field.
 */
static void
merge_header(struct buf *out, struct merge_notes *notes, const char *path,
    const char *base, const char *ours, const char *theirs)
{
	struct blocks	 okeys;
	struct buf	 added = BUF_INIT;
	const char	*p, *last = NULL, *colon;
	char		*key, *b, *o, *t, *pick;
	size_t		 n;

	memset(&okeys, 0, sizeof okeys);
	keys_of(&okeys, ours);
	added_fields(&added, &okeys, base, theirs);
	for (p = ours; *p != '\0'; p += line_len(p))
		if (is_field(p, line_len(p)))
			last = p;
	if (last == NULL)	/* no field at all: after the magic line */
		last = ours;
	for (p = ours; *p != '\0'; p += n) {
		n = line_len(p);
		if (!is_field(p, n)) {
			buf_add(out, p, n);
		} else {
			colon = memchr(p, ':', n);
			key = xstrndup(p, (size_t)(colon - p));
			b = field(base, key);
			o = field(ours, key);
			t = field(theirs, key);
			pick = same(o, b) ? t : o;	/* one side changed it */
			if (!same(o, b) && !same(t, b) && !same(o, t)) {
				pick = t;
				note(notes, xasprintf("%s: '%s' changed on "
				    "both sides: kept the remote's '%s', yours "
				    "was '%s'", path, key, t != NULL ? t : "",
				    o != NULL ? o : ""));
			}
			if (pick != NULL)
				buf_printf(out, "%s: %s\n", key, pick);
			free(key);
			free(b);
			free(o);
			free(t);
		}
		if (p == last && added.len > 0)
			buf_add(out, added.data, added.len);
	}
	buf_free(&added);
	blocks_free(&okeys);
}

void
merge_timeline(char **out, struct merge_notes *notes, const char *path,
    const char *base, const char *ours, const char *theirs)
{
	struct blocks	 b, o, t;
	struct buf	 res = BUF_INIT;
	char		*bh, *oh, *th;

	split(&bh, &b, base, 1);
	split(&oh, &o, ours, 1);
	split(&th, &t, theirs, 1);
	merge_header(&res, notes, path, bh, oh, th);
	merge_blocks(&res, &b, &o, &t);
	buf_adds(&res, "");
	*out = buf_detach(&res);
	free(bh);
	free(oh);
	free(th);
	blocks_free(&b);
	blocks_free(&o);
	blocks_free(&t);
}
