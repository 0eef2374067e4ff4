/* actfile.c - reader and writer of the corrective-actions file. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actfile.h"
#include "lex.h"
#include "error.h"
#include "incfile.h"
#include "utf8.h"
#include "xmalloc.h"

#define VERBS \
	X(V_ADD,    "add") \
	X(V_TEXT,   "text") \
	X(V_OWNER,  "owner") \
	X(V_DUE,    "due") \
	X(V_DONE,   "done") \
	X(V_REOPEN, "reopen")

enum verb {
#define X(e, name) e,
	VERBS
#undef X
	V__COUNT
};

static const char *verb_names[V__COUNT] = {
#define X(e, name) name,
	VERBS
#undef X
};

#define VERB_LIST	"add, text, owner, due, done, reopen"

/* One record as read; its strings point into the caller's buffer. */
struct record {
	struct tstamp	 at;
	enum verb	 verb;
	char		 key[ACTION_KEY_LEN + 1];
	uint32_t	 kv;		/* the key's value, for hashing */
	const char	*line;		/* for messages after the pass */
	size_t		 len;
	unsigned	 lineno;
	size_t		 keypos;	/* byte offset of the key in line */
	const char	*value;		/* "" when none, trimmed */
	size_t		 vlen;
	struct civil	 due;		/* V_DUE with a value */
	size_t		 seq;		/* file order */
	size_t		 add;		/* seq of the key's add record */
	size_t		 rank;		/* place in time order */
	size_t		 prim;		/* place it applies at */
};

struct reader {
	const char	*name;
	const char	*line;		/* start of the current line */
	size_t		 len;		/* its length, without \r\n */
	unsigned	 lineno;
	int		 seen_magic;
	struct record	*recs;
	size_t		 nrecs;
	size_t		 cap;
};

static int
reader_error(struct reader *r, size_t byte, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Report at byte offset byte of the current line. */
static int
reader_error(struct reader *r, size_t byte, const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[1024];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return lex_error(r->name, r->lineno, r->line, r->len, byte, "%s",
	    msg);
}

/* Point the reader back at a record's line, to report on it. */
static void
reader_at(struct reader *r, const struct record *rec)
{
	r->line = rec->line;
	r->len = rec->len;
	r->lineno = rec->lineno;
}

/* Quote at most this much of a bad word in a message. */
static int
clip(size_t len)
{
	return (int)(len > 64 ? 64 : len);
}

static int
parse_magic(struct reader *r)
{
	size_t	 n = strlen(ACTFILE_MAGIC), i, j, end;
	long	 version;

	if (r->len < n || memcmp(r->line, ACTFILE_MAGIC, n) != 0 ||
	    (r->len > n && r->line[n] != ' ' && r->line[n] != '\t'))
		return reader_error(r, 0, "not a pmtool actions file: the "
		    "first line must be '%s %d'", ACTFILE_MAGIC,
		    ACTFILE_VERSION);
	i = lex_skip_space(r->line, r->len, n);
	end = lex_word_end(r->line, r->len, i);
	if (i == end)
		return reader_error(r, i, "format version expected after "
		    "'%s'", ACTFILE_MAGIC);
	/* The line need not be NUL-terminated: no strtol(). */
	version = 0;
	for (j = i; j < end && j - i < 6; j++) {
		if (r->line[j] < '0' || r->line[j] > '9')
			break;
		version = version * 10 + (r->line[j] - '0');
	}
	if (j != end || lex_skip_space(r->line, r->len, end) != r->len)
		return reader_error(r, i, "bad format version '%.*s'",
		    clip(r->len - i), r->line + i);
	if (version != ACTFILE_VERSION)
		return reader_error(r, i, "format version %ld is not known to "
		    "this pmtool (it reads version %d)", version,
		    ACTFILE_VERSION);
	r->seen_magic = 1;
	return 0;
}

static int
verb_from_name(const char *s, size_t len)
{
	int	 v;

	for (v = 0; v < V__COUNT; v++)
		if (strlen(verb_names[v]) == len &&
		    memcmp(verb_names[v], s, len) == 0)
			return v;
	return -1;
}

static void
push_record(struct reader *r, struct record *rec)
{
	if (r->nrecs == r->cap) {
		r->cap = r->cap == 0 ? 16 : r->cap * 2;
		r->recs = xreallocarray(r->recs, r->cap, sizeof *r->recs);
	}
	rec->seq = r->nrecs;
	r->recs[r->nrecs++] = *rec;
}

/* TIMESTAMP VERB KEY [VALUE] */
static int
parse_record(struct reader *r)
{
	struct record	 rec;
	const char	*l = r->line;
	size_t		 i, end, errpos;
	int		 verb;

	memset(&rec, 0, sizeof rec);
	if (l[0] < '0' || l[0] > '9')
		return reader_error(r, 0, "expected a record 'TIMESTAMP VERB "
		    "KEY [VALUE]'");
	end = lex_word_end(l, r->len, 0);
	if (tstamp_parse_rfc3339(&rec.at, l, end, &errpos) < 0)
		return reader_error(r, errpos, "%s", pm_error_last());

	i = lex_skip_space(l, r->len, end);
	end = lex_word_end(l, r->len, i);
	if (i == end)
		return reader_error(r, i, "verb expected after the timestamp "
		    "(" VERB_LIST ")");
	if ((verb = verb_from_name(l + i, end - i)) < 0)
		return reader_error(r, i, "unknown verb '%.*s' (verbs: "
		    VERB_LIST ")", clip(end - i), l + i);
	rec.verb = (enum verb)verb;

	i = lex_skip_space(l, r->len, end);
	end = lex_word_end(l, r->len, i);
	if (i == end)
		return reader_error(r, i, "action key expected after '%s'",
		    verb_names[verb]);
	if (!action_key_valid(l + i, end - i))
		return reader_error(r, i, "bad action key '%.*s': expected %d "
		    "lowercase hexadecimal digits", clip(end - i), l + i,
		    ACTION_KEY_LEN);
	memcpy(rec.key, l + i, ACTION_KEY_LEN);
	rec.kv = (uint32_t)strtoul(rec.key, NULL, 16);
	rec.keypos = i;

	/* The value is the rest of the line, as for an event's text. */
	i = lex_skip_space(l, r->len, end);
	rec.value = l + i;
	rec.vlen = r->len - i;
	while (rec.vlen > 0 && (rec.value[rec.vlen - 1] == ' ' ||
	    rec.value[rec.vlen - 1] == '\t'))
		rec.vlen--;
	switch (rec.verb) {
	case V_ADD:
	case V_TEXT:
		if (rec.vlen == 0)
			return reader_error(r, i, "'%s' needs the action's "
			    "text", verb_names[verb]);
		break;
	case V_OWNER:
		break;
	case V_DUE:
		if (rec.vlen > 0 && action_date_parse(&rec.due, rec.value,
		    rec.vlen) < 0)
			return reader_error(r, i, "%s", pm_error_last());
		break;
	case V_DONE:
	case V_REOPEN:
		if (rec.vlen > 0)
			return reader_error(r, i, "'%s' takes no value",
			    verb_names[verb]);
		break;
	default:
		break;
	}
	rec.line = r->line;
	rec.len = r->len;
	rec.lineno = r->lineno;
	push_record(r, &rec);
	return 0;
}

static int
parse_line(struct reader *r)
{
	size_t		 bad;
	const char	*why;

	if (r->len > INCFILE_LINE_MAX)
		return reader_error(r, INCFILE_LINE_MAX, "line too long (%zu "
		    "bytes; at most %d)", r->len, INCFILE_LINE_MAX);
	if (utf8_check_text(r->line, r->len, "\t", &bad, &why) < 0)
		return reader_error(r, bad, "%s", why);
	if (lex_is_blank(r->line, r->len) || r->line[0] == '#')
		return 0;
	if (!r->seen_magic)
		return parse_magic(r);
	return parse_record(r);
}

/*
 * Keys to the seq of their add record: open addressing over a power of
 * two, slots holding seq + 1 (0 is empty). Files may hold thousands of
 * records, so no quadratic search.
 */
struct keymap {
	size_t		*slots;
	size_t		 mask;
};

static size_t *
keymap_slot(struct keymap *m, const struct record *recs, uint32_t kv)
{
	uint32_t	 h;

	/* Mix the high bits down: hand-written keys may differ only there. */
	h = kv ^ (kv >> 13);
	h *= 2654435761u;
	h ^= h >> 16;
	h &= (uint32_t)m->mask;
	while (m->slots[h] != 0 && recs[m->slots[h] - 1].kv != kv)
		h = (h + 1) & m->mask;
	return &m->slots[h];
}

/*
 * Every key has exactly one add: report the earliest offending line,
 * whether a second add or a record whose key has none. Sets each
 * record's add.
 */
static int
check_keys(struct reader *r)
{
	struct keymap	 m;
	struct record	*rec, *dup = NULL, *orphan = NULL;
	size_t		 i, nadds = 0, size = 16, *slot, first = 0;

	for (i = 0; i < r->nrecs; i++)
		if (r->recs[i].verb == V_ADD)
			nadds++;
	while (size < 2 * nadds)
		size *= 2;
	m.slots = xcalloc(size, sizeof *m.slots);
	m.mask = size - 1;
	for (i = 0; i < r->nrecs; i++) {
		rec = &r->recs[i];
		if (rec->verb != V_ADD)
			continue;
		slot = keymap_slot(&m, r->recs, rec->kv);
		if (*slot == 0) {
			*slot = i + 1;
			rec->add = i;
		} else if (dup == NULL) {
			dup = rec;
			first = *slot - 1;
		}
	}
	for (i = 0; i < r->nrecs && orphan == NULL; i++) {
		rec = &r->recs[i];
		if (rec->verb == V_ADD)
			continue;
		slot = keymap_slot(&m, r->recs, rec->kv);
		if (*slot == 0)
			orphan = rec;
		else
			rec->add = *slot - 1;
	}
	free(m.slots);
	if (dup != NULL && (orphan == NULL || dup->lineno < orphan->lineno)) {
		reader_at(r, dup);
		return reader_error(r, dup->keypos, "action %s is added twice "
		    "(first on line %u)", dup->key, r->recs[first].lineno);
	}
	if (orphan != NULL) {
		reader_at(r, orphan);
		return reader_error(r, orphan->keypos, "no action %s: there "
		    "is no 'add' record for it", orphan->key);
	}
	return 0;
}

/* Time order; records at the same instant keep their file order. */
static int
time_cmp(const void *a, const void *b)
{
	const struct record	*x = a, *y = b;

	if (x->at.t != y->at.t)
		return x->at.t < y->at.t ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The order records apply in: a record dated before its add applies
 * right after the add, so the add comes first among equals. */
static int
apply_cmp(const void *a, const void *b)
{
	const struct record	*x = a, *y = b;
	int			 xa = x->verb != V_ADD, ya = y->verb != V_ADD;

	if (x->prim != y->prim)
		return x->prim < y->prim ? -1 : 1;
	if (xa != ya)
		return xa - ya;
	return x->rank < y->rank ? -1 : x->rank > y->rank;
}

static void
apply(struct action_list *l, struct record *recs, size_t n)
{
	struct record	*rec;
	struct action	*a;
	size_t		*where, i, nadds = 0;

	l->items = NULL;
	l->n = 0;
	if (n == 0)
		return;
	for (i = 0; i < n; i++)
		if (recs[i].verb == V_ADD)
			nadds++;
	qsort(recs, n, sizeof *recs, time_cmp);
	/* where[seq]: first the rank of each record, then the action an
	 * add record made. */
	where = xcalloc(n + 1, sizeof *where);
	for (i = 0; i < n; i++) {
		recs[i].rank = i;
		where[recs[i].seq] = i;
	}
	for (i = 0; i < n; i++) {
		recs[i].prim = where[recs[i].add];
		if (recs[i].prim < recs[i].rank)
			recs[i].prim = recs[i].rank;
	}
	qsort(recs, n, sizeof *recs, apply_cmp);

	l->items = xcalloc(nadds, sizeof *l->items);
	for (i = 0; i < n; i++) {
		rec = &recs[i];
		if (rec->verb == V_ADD) {
			a = &l->items[l->n];
			where[rec->seq] = l->n++;
			a->n = (unsigned)l->n;
			memcpy(a->key, rec->key, sizeof a->key);
			a->text = xstrndup(rec->value, rec->vlen);
			a->owner = xstrdup("");
			a->added = rec->at;
			a->line = rec->lineno;
			continue;
		}
		a = &l->items[where[rec->add]];
		switch (rec->verb) {
		case V_TEXT:
			free(a->text);
			a->text = xstrndup(rec->value, rec->vlen);
			break;
		case V_OWNER:
			free(a->owner);
			a->owner = xstrndup(rec->value, rec->vlen);
			break;
		case V_DUE:
			a->has_due = rec->vlen > 0;
			if (a->has_due)
				a->due = rec->due;
			else
				memset(&a->due, 0, sizeof a->due);
			break;
		case V_DONE:
			/* Done twice (two clones): it was done at the
			 * first. */
			if (!a->done) {
				a->done = 1;
				a->done_at = rec->at;
			}
			break;
		case V_REOPEN:
			a->done = 0;
			memset(&a->done_at, 0, sizeof a->done_at);
			break;
		default:
			break;
		}
	}
	free(where);
}

int
actfile_parse(struct action_list *out, const char *name, const char *buf,
    size_t len)
{
	struct reader	 r;
	const char	*p = buf, *end = buf + len, *nl;
	int		 rc = -1;

	memset(&r, 0, sizeof r);
	r.name = name;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		r.line = p;
		r.len = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		r.lineno++;
		if (r.len > 0 && r.line[r.len - 1] == '\r')
			r.len--;
		if (parse_line(&r) < 0)
			goto out;
		p = nl != NULL ? nl + 1 : end;
	}
	if (!r.seen_magic) {
		r.line = p;
		r.len = 0;
		r.lineno++;
		reader_error(&r, 0, "empty file: not a pmtool actions file "
		    "(expected '%s %d')", ACTFILE_MAGIC, ACTFILE_VERSION);
		goto out;
	}
	if (check_keys(&r) < 0)
		goto out;
	apply(out, r.recs, r.nrecs);
	rc = 0;
out:
	free(r.recs);
	return rc;
}

char *
actfile_format_record(struct tstamp at, const char *verb, const char *key,
    const char *value)
{
	char	 ts[TSTAMP_RFC3339_MAX];

	tstamp_format_rfc3339(ts, at);
	if (value == NULL || *value == '\0')
		return xasprintf("%s %s %s\n", ts, verb, key);
	return xasprintf("%s %s %s %s\n", ts, verb, key, value);
}

int
actfile_check_value(const char *what, const char *value)
{
	size_t	 len;

	if (incfile_check_text(what, value, 0) < 0)
		return -1;
	len = strlen(value);
	if (len > 0 && (value[0] == ' ' || value[0] == '\t' ||
	    value[len - 1] == ' ' || value[len - 1] == '\t'))
		return pm_error_set("%s: must not begin or end with a space or "
		    "TAB", what);
	return 0;
}

static json_t *
json_time(struct tstamp ts)
{
	char	 buf[TSTAMP_RFC3339_MAX];

	tstamp_format_rfc3339(buf, ts);
	return json_string(buf);
}

json_t *
actjson_action(const struct action *a, const char *incident_id,
    const struct civil *today)
{
	json_t	*o;
	char	 due[16];

	o = json_object();
	json_object_set_new(o, "incident", json_string(incident_id));
	json_object_set_new(o, "n", json_integer(a->n));
	json_object_set_new(o, "key", json_string(a->key));
	json_object_set_new(o, "text", json_string(a->text));
	json_object_set_new(o, "owner", json_string(a->owner));
	if (a->has_due) {
		snprintf(due, sizeof due, "%04d-%02d-%02d", a->due.year,
		    a->due.mon, a->due.day);
		json_object_set_new(o, "due", json_string(due));
	} else
		json_object_set_new(o, "due", json_null());
	json_object_set_new(o, "state", json_string(a->done ? "done" :
	    "open"));
	json_object_set_new(o, "overdue", json_boolean(action_is_overdue(a,
	    today)));
	json_object_set_new(o, "added", json_time(a->added));
	json_object_set_new(o, "done_at", a->done ? json_time(a->done_at) :
	    json_null());
	return o;
}
