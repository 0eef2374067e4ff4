/* incfile.c - reader and writer of the incident file format. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "incfile.h"
#include "lex.h"
#include "utf8.h"
#include "xmalloc.h"
#include "zone.h"

/* Where the reader is, for messages. */
struct reader {
	const char	*name;
	const char	*line;		/* start of the current line */
	size_t		 len;		/* its length, without \r\n */
	unsigned	 lineno;
	struct incident	*inc;
	int		 seen_magic;
	int		 seen_event;
	unsigned	 header_line[8];	/* line of each key seen */
	struct event	*last;		/* for continuation lines */
	struct buf	 text;		/* text of the last event */
};

enum header_key { HK_TITLE, HK_SEVERITY, HK_SERVICES, HK_COMMANDER,
    HK_ZONE, HK__COUNT };
static const char *header_keys[HK__COUNT] = { "title", "severity",
    "services", "commander", "zone" };

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

/* Close the text of the last event: its continuation lines are in. An
 * amend's first line holds its reason, its continuation lines the new
 * text. */
static void
finish_event(struct reader *r)
{
	char	*all, *nl;

	if (r->last != NULL) {
		all = buf_detach(&r->text);
		if (r->last->kind == EV_AMEND && r->last->amend != NULL &&
		    (r->last->amend->set & AM_TEXT)) {
			nl = strchr(all, '\n');
			free(r->last->amend->text);
			r->last->amend->text = xstrdup(nl != NULL ? nl + 1 : "");
			if (nl != NULL)
				*nl = '\0';
		}
		free(r->last->text);
		r->last->text = all;
		r->last = NULL;
	}
	buf_free(&r->text);
}

static int
parse_magic(struct reader *r)
{
	size_t	 n = strlen(INCFILE_MAGIC), i;
	long	 version;
	char	*end, num[16];

	if (r->len < n || memcmp(r->line, INCFILE_MAGIC, n) != 0 ||
	    (r->len > n && r->line[n] != ' '))
		return reader_error(r, 0, "not a pmtool incident file: the "
		    "first line must be '%s %d'", INCFILE_MAGIC,
		    INCFILE_VERSION);
	i = lex_skip_space(r->line, r->len, n);
	if (i >= r->len || r->len - i >= sizeof num)
		return reader_error(r, i, "format version expected after "
		    "'%s'", INCFILE_MAGIC);
	memcpy(num, r->line + i, r->len - i);
	num[r->len - i] = '\0';
	errno = 0;
	version = strtol(num, &end, 10);
	if (*end != '\0' && !lex_is_blank(end, strlen(end)))
		return reader_error(r, i, "bad format version '%s'", num);
	if (version != INCFILE_VERSION)
		return reader_error(r, i, "format version %ld is not known to "
		    "this pmtool (it reads version %d)", version,
		    INCFILE_VERSION);
	r->seen_magic = 1;
	return 0;
}

static int
parse_services(struct reader *r, const char *v, size_t vlen, size_t col)
{
	const char	*p = v, *end = v + vlen, *comma, *name;
	size_t		 nlen;
	char		*copy;

	if (vlen == 0)
		return 0;
	while (p <= end) {
		comma = memchr(p, ',', (size_t)(end - p));
		if (comma == NULL)
			comma = end;
		name = p;
		nlen = (size_t)(comma - p);
		lex_trim(&name, &nlen);
		if (nlen == 0)
			return reader_error(r, col + (size_t)(p - v),
			    "empty service name in 'services'");
		copy = xstrndup(name, nlen);
		incident_add_service(r->inc, copy);
		free(copy);
		p = comma + 1;
	}
	return 0;
}

/* A header severity may be empty; otherwise a word. */
static int
severity_ok(const char *v, size_t len)
{
	return len == 0 || incident_word_ok(v, len);
}

static int
parse_header(struct reader *r)
{
	const char	*colon, *v;
	size_t		 klen, vlen, vcol, i;
	int		 k;
	char		*value;

	if (r->seen_event)
		return reader_error(r, 0, "header line after the first "
		    "event (events begin with a timestamp)");
	colon = memchr(r->line, ':', r->len);
	if (colon == NULL)
		return reader_error(r, 0, "expected a header line 'key: "
		    "value' or an event beginning with a timestamp");
	klen = (size_t)(colon - r->line);
	for (k = 0; k < HK__COUNT; k++)
		if (strlen(header_keys[k]) == klen &&
		    strncasecmp(header_keys[k], r->line, klen) == 0)
			break;
	if (k == HK__COUNT)
		return reader_error(r, 0, "unknown header field '%.*s' "
		    "(known: title, severity, services, commander, zone)",
		    (int)(klen > 64 ? 64 : klen), r->line);
	if (r->header_line[k] != 0)
		return reader_error(r, 0, "header field '%s' given twice "
		    "(first on line %u)", header_keys[k], r->header_line[k]);
	r->header_line[k] = r->lineno;
	v = colon + 1;
	vlen = r->len - klen - 1;
	lex_trim(&v, &vlen);
	/* An empty value is reported just after the colon. */
	vcol = vlen > 0 ? (size_t)(v - r->line) : klen + 1;
	value = xstrndup(v, vlen);
	switch (k) {
	case HK_TITLE:
		if (vlen == 0) {
			free(value);
			return reader_error(r, vcol, "empty title");
		}
		incident_set(&r->inc->title, value);
		break;
	case HK_SEVERITY:
		if (!severity_ok(v, vlen)) {
			free(value);
			return reader_error(r, vcol, "bad severity: use "
			    "letters, digits, '-' or '_' (SEV1, critical)");
		}
		incident_set(&r->inc->severity, value);
		break;
	case HK_SERVICES:
		if (parse_services(r, v, vlen, vcol) < 0) {
			free(value);
			return -1;
		}
		break;
	case HK_COMMANDER:
		incident_set(&r->inc->commander, value);
		break;
	case HK_ZONE:
		if (zone_check(value) < 0) {
			i = vcol;
			free(value);
			return reader_error(r, i, "%s", pm_error_last());
		}
		incident_set(&r->inc->zone, value);
		break;
	}
	free(value);
	return 0;
}

/* The word that follows some kinds: a severity's level, a role's name,
 * a correction's target. */
static int
parse_arg(struct reader *r, size_t *i, int kind, char **out)
{
	size_t	 end = lex_word_end(r->line, r->len, *i), k;

	switch (kind) {
	case EV_SEVERITY:
		if (!incident_word_ok(r->line + *i, end - *i))
			return reader_error(r, *i, "a severity event needs "
			    "the new severity (letters, digits, '-', '_': "
			    "SEV1)");
		break;
	case EV_ROLE:
		if (!incident_word_ok(r->line + *i, end - *i))
			return reader_error(r, *i, "a role event needs the "
			    "role's name (commander, comms, scribe, ...)");
		break;
	default:
		for (k = *i; k < end; k++)
			if (!((r->line[k] >= '0' && r->line[k] <= '9') ||
			    (r->line[k] >= 'a' && r->line[k] <= 'f')))
				break;
		if (end - *i < 4 || end - *i > EVENT_REF_LEN || k < end)
			return reader_error(r, k < end ? k : *i, "%s needs "
			    "the reference of the event it corrects (4 to %d "
			    "lowercase hex digits)", event_kind_name(
			    (enum event_kind)kind), EVENT_REF_LEN);
		break;
	}
	*out = xstrndup(r->line + *i, end - *i);
	*i = lex_skip_space(r->line, r->len, end);
	return 0;
}

/* The fields of an amend line after its target: at=TIME kind=KIND
 * state=STATE text, then "--" and the reason. *i moves to the reason. */
static int
parse_amendment(struct reader *r, size_t *i, struct amendment *a)
{
	const char	*w;
	size_t		 end, len, errpos;
	int		 k;

	while (*i < r->len) {
		end = lex_word_end(r->line, r->len, *i);
		w = r->line + *i;
		len = end - *i;
		if (len == 2 && memcmp(w, "--", 2) == 0) {
			*i = lex_skip_space(r->line, r->len, end);
			break;
		}
		if (len > 3 && memcmp(w, "at=", 3) == 0 && !(a->set & AM_AT)) {
			if (tstamp_parse_rfc3339(&a->at, w + 3, len - 3,
			    &errpos) < 0)
				return reader_error(r, *i + 3 + errpos, "%s",
				    pm_error_last());
			a->set |= AM_AT;
		} else if (len > 5 && memcmp(w, "kind=", 5) == 0 &&
		    !(a->set & AM_KIND)) {
			k = event_kind_from_name(w + 5, len - 5);
			if (k < 0 || !EVENT_KIND_IS_TIMELINE(k))
				return reader_error(r, *i + 5, "an amend's "
				    "kind is one of lead-up, started, detected, "
				    "acknowledged, status, action, mitigated, "
				    "resolved, note");
			a->kind = (enum event_kind)k;
			a->set |= AM_KIND;
		} else if (len > 6 && memcmp(w, "state=", 6) == 0 &&
		    !(a->set & AM_STATE)) {
			a->state = status_state_from_name(w + 6, len - 6);
			if (a->state == ST_NONE)
				return reader_error(r, *i + 6, "an amend's "
				    "state is one of investigating, identified, "
				    "monitoring, update, resolved");
			a->set |= AM_STATE;
		} else if (len == 4 && memcmp(w, "text", 4) == 0 &&
		    !(a->set & AM_TEXT)) {
			a->set |= AM_TEXT;
		} else
			return reader_error(r, *i, "expected at=TIME, "
			    "kind=KIND, state=STATE or text (each at most "
			    "once), or -- before the reason");
		*i = lex_skip_space(r->line, r->len, end);
	}
	if (a->set == 0)
		return reader_error(r, *i, "an amend changes at least one of "
		    "at=TIME, kind=KIND, state=STATE, text");
	return 0;
}

/* What must follow some kinds, checked on the first line. */
static int
check_kind_text(struct reader *r, size_t i, int kind, const char *text,
    size_t tlen)
{
	switch (kind) {
	case EV_TITLE:
		if (tlen == 0)
			return reader_error(r, i, "a title event needs the new "
			    "title");
		break;
	case EV_SERVICE:
		if (tlen < 2 || (text[0] != '+' && text[0] != '-') ||
		    memchr(text, ',', tlen) != NULL ||
		    lex_is_blank(text + 1, tlen - 1))
			return reader_error(r, i, "a service event is +NAME "
			    "(added) or -NAME (removed); names hold no comma");
		break;
	default:
		break;
	}
	return 0;
}

static int
parse_event(struct reader *r)
{
	struct tstamp		 at;
	struct amendment	 am;
	enum status_state	 state = ST_NONE;
	const char		*text;
	char			*arg = NULL;
	size_t			 i, end, errpos, tlen;
	int			 kind;

	finish_event(r);
	end = lex_word_end(r->line, r->len, 0);
	if (tstamp_parse_rfc3339(&at, r->line, end, &errpos) < 0)
		return reader_error(r, errpos, "%s", pm_error_last());
	i = lex_skip_space(r->line, r->len, end);
	end = lex_word_end(r->line, r->len, i);
	if (i == end)
		return reader_error(r, i, "event kind expected after the "
		    "timestamp");
	if ((kind = event_kind_from_name(r->line + i, end - i)) < 0)
		return reader_error(r, i, "unknown event kind '%.*s' (kinds: "
		    "lead-up, started, detected, acknowledged, status, action, "
		    "mitigated, resolved, note, severity, role, service, title, "
		    "reopened, excluded, amend, retract)", (int)(end - i > 64 ?
		    64 : end - i), r->line + i);
	i = lex_skip_space(r->line, r->len, end);
	memset(&am, 0, sizeof am);
	if (kind == EV_STATUS) {
		end = lex_word_end(r->line, r->len, i);
		state = status_state_from_name(r->line + i, end - i);
		if (state == ST_NONE)
			return reader_error(r, i, "status event needs a state: "
			    "investigating, identified, monitoring, update or "
			    "resolved");
		i = lex_skip_space(r->line, r->len, end);
	} else if (kind == EV_SEVERITY || kind == EV_ROLE ||
	    EVENT_KIND_IS_CORRECTION(kind)) {
		if (parse_arg(r, &i, kind, &arg) < 0)
			return -1;
		if (kind == EV_AMEND && parse_amendment(r, &i, &am) < 0) {
			free(arg);
			return -1;
		}
	}
	text = r->line + i;
	tlen = r->len - i;
	lex_trim(&text, &tlen);
	if (check_kind_text(r, i, kind, text, tlen) < 0) {
		free(arg);
		return -1;
	}
	r->last = incident_add_event(r->inc, at, (enum event_kind)kind, state,
	    "");
	r->last->line = r->lineno;
	r->last->arg = arg;
	if (kind == EV_AMEND) {
		r->last->amend = xcalloc(1, sizeof *r->last->amend);
		*r->last->amend = am;
	}
	buf_add(&r->text, text, tlen);
	r->seen_event = 1;
	return 0;
}

static int
parse_continuation(struct reader *r)
{
	size_t	 skip;

	if (r->last == NULL)
		return reader_error(r, 0, r->seen_event ? "continuation line "
		    "must directly follow an event line" : "indented line "
		    "before the first event");
	skip = r->line[0] == '\t' ? 1 : 2;
	if (skip == 2 && (r->len < 2 || r->line[1] != ' '))
		return reader_error(r, 0, "continuation lines begin with two "
		    "spaces or a TAB");
	switch (r->last->kind) {
	case EV_TITLE:
	case EV_SERVICE:
	case EV_ROLE:
		return reader_error(r, 0, "a %s event is one line",
		    event_kind_name(r->last->kind));
	case EV_AMEND:
		if (r->last->amend == NULL || !(r->last->amend->set & AM_TEXT))
			return reader_error(r, 0, "the continuation lines of "
			    "an amend are its new text: put 'text' among its "
			    "fields");
		break;
	default:
		break;
	}
	buf_addc(&r->text, '\n');
	buf_add(&r->text, r->line + skip, r->len - skip);
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
	/* A continuation line may be blank-looking ("  "): it is an empty
	 * line inside the text, so it is checked before blank lines. */
	if ((r->line[0] == ' ' || r->line[0] == '\t') && r->last != NULL &&
	    r->len > 0)
		return parse_continuation(r);
	if (lex_is_blank(r->line, r->len) || r->line[0] == '#') {
		finish_event(r);
		return 0;
	}
	if (r->line[0] == ' ' || r->line[0] == '\t')
		return parse_continuation(r);
	if (!r->seen_magic)
		return parse_magic(r);
	if (r->line[0] >= '0' && r->line[0] <= '9')
		return parse_event(r);
	finish_event(r);
	return parse_header(r);
}

int
incfile_parse(struct incident **out, const char *name, const char *buf,
    size_t len)
{
	struct reader	 r;
	const char	*p = buf, *end = buf + len, *nl;
	int		 rc = 0;

	memset(&r, 0, sizeof r);
	r.name = name;
	r.inc = incident_new();
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		r.line = p;
		r.len = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		r.lineno++;
		if (r.len > 0 && r.line[r.len - 1] == '\r')
			r.len--;
		if ((rc = parse_line(&r)) < 0)
			goto out;
		p = nl != NULL ? nl + 1 : end;
	}
	finish_event(&r);
	r.line = p;
	r.len = 0;
	r.lineno++;
	if (!r.seen_magic) {
		rc = reader_error(&r, 0, "empty file: not a pmtool incident "
		    "(expected '%s %d')", INCFILE_MAGIC, INCFILE_VERSION);
		goto out;
	}
	if (r.header_line[HK_TITLE] == 0) {
		rc = reader_error(&r, 0, "no 'title:' header line");
		goto out;
	}
	if (r.header_line[HK_ZONE] == 0) {
		rc = reader_error(&r, 0, "no 'zone:' header line (an IANA "
		    "zone such as Europe/Amsterdam)");
		goto out;
	}
	incident_sort(r.inc);
	incfile_assign_refs(r.inc);
	incident_settle(r.inc);
out:
	finish_event(&r);
	if (rc < 0) {
		incident_free(r.inc);
		return -1;
	}
	*out = r.inc;
	return 0;
}

int
incfile_read(struct incident **out, const char *path, const char *name)
{
	struct buf	 b = BUF_INIT;
	FILE		*f;
	char		 chunk[65536];
	size_t		 n;
	int		 rc;

	if (name == NULL)
		name = path;
	if ((f = fopen(path, "rb")) == NULL)
		return pm_error_sys("%s", name);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	if (ferror(f)) {
		fclose(f);
		buf_free(&b);
		return pm_error_sys("%s: read error", name);
	}
	fclose(f);
	rc = incfile_parse(out, name, buf_str(&b), b.len);
	buf_free(&b);
	return rc;
}

char *
incfile_format_header(const struct incident *inc)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	buf_printf(&b, "%s %d\n", INCFILE_MAGIC, INCFILE_VERSION);
	buf_printf(&b, "title: %s\n", inc->title);
	if (*inc->severity != '\0')
		buf_printf(&b, "severity: %s\n", inc->severity);
	if (inc->nservices > 0) {
		buf_adds(&b, "services: ");
		for (i = 0; i < inc->nservices; i++)
			buf_printf(&b, "%s%s", i > 0 ? ", " : "",
			    inc->services[i]);
		buf_addc(&b, '\n');
	}
	if (*inc->commander != '\0')
		buf_printf(&b, "commander: %s\n", inc->commander);
	buf_printf(&b, "zone: %s\n\n", inc->zone);
	return buf_detach(&b);
}

/* Lines of text as continuation lines, each "  LINE\n". */
static void
add_continuations(struct buf *b, const char *p)
{
	const char	*nl;

	for (;;) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		buf_adds(b, "  ");
		buf_add(b, p, (size_t)(nl - p));
		buf_addc(b, '\n');
		if (*nl == '\0')
			break;
		p = nl + 1;
	}
}

/* The fields of an amend, after its target. */
static void
add_amendment(struct buf *b, const struct amendment *a)
{
	char	 ts[TSTAMP_RFC3339_MAX];

	if (a->set & AM_AT) {
		tstamp_format_rfc3339(ts, a->at);
		buf_printf(b, " at=%s", ts);
	}
	if (a->set & AM_KIND)
		buf_printf(b, " kind=%s", event_kind_name(a->kind));
	if (a->set & AM_STATE)
		buf_printf(b, " state=%s", status_state_name(a->state));
	if (a->set & AM_TEXT)
		buf_adds(b, " text");
}

/* Append the lines of ev to b. */
static void
format_event(struct buf *b, const struct event *ev)
{
	char		 ts[TSTAMP_RFC3339_MAX];
	const char	*p, *nl;
	int		 amend_text;

	tstamp_format_rfc3339(ts, ev->at);
	buf_printf(b, "%s %s", ts, event_kind_name(ev->kind));
	if (ev->kind == EV_STATUS)
		buf_printf(b, " %s", status_state_name(ev->state));
	else if (ev->arg != NULL && (ev->kind == EV_SEVERITY ||
	    ev->kind == EV_ROLE || EVENT_KIND_IS_CORRECTION(ev->kind)))
		buf_printf(b, " %s", ev->arg);
	amend_text = 0;
	if (ev->kind == EV_AMEND && ev->amend != NULL) {
		add_amendment(b, ev->amend);
		amend_text = (ev->amend->set & AM_TEXT) &&
		    ev->amend->text != NULL && *ev->amend->text != '\0';
		if (*ev->text != '\0')
			buf_adds(b, " --");
	}
	p = ev->text;
	nl = strchr(p, '\n');
	if (nl == NULL)
		nl = p + strlen(p);
	if (nl > p)
		buf_addc(b, ' ');
	buf_add(b, p, (size_t)(nl - p));
	buf_addc(b, '\n');
	if (*nl == '\n')
		add_continuations(b, nl + 1);
	if (amend_text)
		add_continuations(b, ev->amend->text);
}

char *
incfile_format_event(const struct event *ev)
{
	struct buf	 b = BUF_INIT;

	format_event(&b, ev);
	return buf_detach(&b);
}

/* FNV-1a, 64 bits: small, and plenty to tell apart the lines of one
 * incident; a reference is its top 48 bits. */
static uint64_t
fnv1a(uint64_t h, const char *p, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

#define FNV_BASIS	0xcbf29ce484222325ULL

struct ref_slot {
	uint64_t	 h;
	size_t		 i;	/* index in inc->events */
};

static int
ref_slot_cmp(const void *a, const void *b)
{
	const struct ref_slot	*x = a, *y = b;

	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	/* Equal lines: in the order of the file. */
	if (x->i != y->i)
		return x->i < y->i ? -1 : 1;
	return 0;
}

void
incfile_assign_refs(struct incident *inc)
{
	struct buf	 b = BUF_INIT;
	struct ref_slot	*slots;
	char		 nth[32];
	uint64_t	 h;
	size_t		 i, k, seqi;

	if (inc->nevents == 0)
		return;
	slots = xcalloc(inc->nevents, sizeof *slots);
	for (i = 0; i < inc->nevents; i++) {
		buf_truncate(&b, 0);
		format_event(&b, &inc->events[i]);
		slots[i].h = fnv1a(FNV_BASIS, b.data, b.len);
		slots[i].i = i;
	}
	buf_free(&b);
	/* The same line twice (the same event logged twice): the second
	 * gets the hash of its line and "#1", the third "#2", ... Which copy
	 * is which does not matter: they are the same line. */
	qsort(slots, inc->nevents, sizeof *slots, ref_slot_cmp);
	for (i = 0; i < inc->nevents; i = k) {
		for (k = i + 1; k < inc->nevents && slots[k].h == slots[i].h;
		    k++) {
			snprintf(nth, sizeof nth, "#%zu", k - i);
			h = fnv1a(slots[i].h, nth, strlen(nth));
			seqi = slots[k].i;
			snprintf(inc->events[seqi].ref, sizeof
			    inc->events[seqi].ref, "%012llx",
			    (unsigned long long)(h >> 16));
		}
		snprintf(inc->events[slots[i].i].ref, sizeof
		    inc->events[slots[i].i].ref, "%012llx",
		    (unsigned long long)(slots[i].h >> 16));
	}
	free(slots);
}

int
incfile_check_text(const char *what, const char *text, int multiline)
{
	const char	*line, *nl, *why;
	size_t		 bad, len;
	unsigned	 n = 1;

	len = strlen(text);
	if (utf8_check_text(text, len, multiline ? "\t\n" : "\t", &bad,
	    &why) < 0) {
		if (strcmp(why, "control character") == 0 &&
		    text[bad] == '\n')
			return pm_error_set("%s: must be one line", what);
		return pm_error_set("%s: %s at byte %zu", what, why, bad + 1);
	}
	for (line = text; ; line = nl + 1, n++) {
		nl = strchr(line, '\n');
		len = nl != NULL ? (size_t)(nl - line) : strlen(line);
		if (len > INCFILE_LINE_MAX - 128)
			return pm_error_set("%s: line %u is too long (%zu "
			    "bytes; at most %d)", what, n, len,
			    INCFILE_LINE_MAX - 128);
		if (nl == NULL)
			break;
	}
	return 0;
}

int
incfile_check_header(const struct incident *inc)
{
	size_t	 i, total = 0;

	if (*inc->title == '\0' || lex_is_blank(inc->title, strlen(inc->title)))
		return pm_error_set("title: must not be empty");
	if (incfile_check_text("title", inc->title, 0) < 0 ||
	    incfile_check_text("commander", inc->commander, 0) < 0)
		return -1;
	if (!severity_ok(inc->severity, strlen(inc->severity)))
		return pm_error_set("severity '%s': use letters, digits, '-' "
		    "or '_' (SEV1, critical)", inc->severity);
	for (i = 0; i < inc->nservices; i++) {
		if (incfile_check_text("service", inc->services[i], 0) < 0)
			return -1;
		if (strchr(inc->services[i], ',') != NULL ||
		    lex_is_blank(inc->services[i], strlen(inc->services[i])))
			return pm_error_set("service '%s': names are not "
			    "empty and hold no comma", inc->services[i]);
		total += strlen(inc->services[i]) + 2;
	}
	/* They share one header line. */
	if (total > INCFILE_LINE_MAX - 128)
		return pm_error_set("services: too long together (%zu bytes; "
		    "at most %d)", total, INCFILE_LINE_MAX - 128);
	return zone_check(inc->zone);
}

char *
incfile_normalize_text(const char *text)
{
	struct buf	 b = BUF_INIT;
	const char	*line = text, *nl;
	size_t		 len;

	while (*line == ' ' || *line == '\t')
		line++;
	for (;;) {
		nl = strchr(line, '\n');
		len = nl != NULL ? (size_t)(nl - line) : strlen(line);
		while (len > 0 && (line[len - 1] == ' ' ||
		    line[len - 1] == '\t' || line[len - 1] == '\r'))
			len--;
		buf_add(&b, line, len);
		if (nl == NULL)
			break;
		buf_addc(&b, '\n');
		line = nl + 1;
	}
	while (b.len > 0 && b.data[b.len - 1] == '\n')
		buf_truncate(&b, b.len - 1);
	return buf_detach(&b);
}
