/*
 * import.c - what the importers share: the import_set, and text from
 * other tools made fit for an incident file.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "tstamp.h"

#include "incfile.h"
#include "import.h"
#include "utf8.h"
#include "xmalloc.h"

void
import_set_free(struct import_set *set)
{
	struct import_incident	*inc;
	size_t			 i, j;

	for (i = 0; i < set->n; i++) {
		inc = &set->v[i];
		free(inc->source_id);
		free(inc->title);
		free(inc->severity);
		free(inc->zone);
		for (j = 0; j < inc->nservices; j++)
			free(inc->services[j]);
		free(inc->services);
		for (j = 0; j < inc->nevents; j++) {
			free(inc->events[j].ev.text);
			free(inc->events[j].source_id);
		}
		free(inc->events);
	}
	free(set->v);
	set->v = NULL;
	set->n = 0;
}

struct import_incident *
import_add_incident(struct import_set *set)
{
	struct import_incident	*inc;

	set->v = xreallocarray(set->v, set->n + 1, sizeof *set->v);
	inc = &set->v[set->n++];
	memset(inc, 0, sizeof *inc);
	return inc;
}

struct import_event *
import_add_event(struct import_incident *inc, const char *source_id,
    const char *text)
{
	struct import_event	*e;

	inc->events = xreallocarray(inc->events, inc->nevents + 1,
	    sizeof *inc->events);
	e = &inc->events[inc->nevents];
	memset(e, 0, sizeof *e);
	e->ev.seq = inc->nevents++;
	e->ev.text = import_clean_text(text != NULL ? text : "",
	    text != NULL ? strlen(text) : 0);
	e->source_id = xstrdup(source_id);
	return e;
}

void
import_add_service(struct import_incident *inc, const char *name)
{
	size_t	 i;

	for (i = 0; i < inc->nservices; i++)
		if (strcmp(inc->services[i], name) == 0)
			return;
	inc->services = xreallocarray(inc->services, inc->nservices + 1,
	    sizeof *inc->services);
	inc->services[inc->nservices++] = xstrdup(name);
}

static int
event_cmp(const void *a, const void *b)
{
	const struct import_event *x = a, *y = b;

	if (x->ev.at.t != y->ev.at.t)
		return x->ev.at.t < y->ev.at.t ? -1 : 1;
	return (x->ev.seq > y->ev.seq) - (x->ev.seq < y->ev.seq);
}

void
import_sort_events(struct import_incident *inc)
{
	size_t	 i;

	if (inc->nevents > 1)
		qsort(inc->events, inc->nevents, sizeof *inc->events,
		    event_cmp);
	for (i = 0; i < inc->nevents; i++)
		inc->events[i].ev.seq = i;
}

/* Length of an HTML line break at s ("<br>", "<br/>", "<br />"), or 0. */
static size_t
html_break(const char *s, size_t n)
{
	size_t	 i = 3;

	if (n < 4 || strncasecmp(s, "<br", 3) != 0)
		return 0;
	while (i < n && s[i] == ' ')
		i++;
	if (i < n && s[i] == '/')
		i++;
	return i < n && s[i] == '>' ? i + 1 : 0;
}

/* The cleaning both functions share; breaks become brk. */
static char *
clean(const char *s, size_t len, char brk)
{
	struct buf	 b = BUF_INIT;
	uint32_t	 cp;
	size_t		 i = 0, k;
	int		 n;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		if ((k = html_break(s + i, len - i)) > 0) {
			buf_addc(&b, brk);
			i += k;
		} else if (c == '\r') {
			if (i + 1 >= len || s[i + 1] != '\n')
				buf_addc(&b, brk);
			i++;
		} else if (c == '\n') {
			buf_addc(&b, brk);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			buf_addc(&b, c == '\t' ? '\t' : ' ');
			i++;
		} else if (c < 0x80) {
			buf_addc(&b, (char)c);
			i++;
		} else if ((n = utf8_decode(s + i, len - i, &cp)) > 0 &&
		    (cp < 0x80 || cp > 0x9f)) {	/* C1 controls too */
			buf_add(&b, s + i, (size_t)n);
			i += (size_t)n;
		} else {
			buf_adds(&b, n > 0 ? " " : "\xef\xbf\xbd");
			i += n > 0 ? (size_t)n : 1;
		}
	}
	buf_adds(&b, "");
	return buf_detach(&b);
}

char *
import_clean_text(const char *s, size_t len)
{
	char	*raw = clean(s, len, '\n'), *out;

	out = incfile_normalize_text(raw);
	free(raw);
	return out;
}

char *
import_clean_line(const char *s, size_t len)
{
	char	*raw = clean(s, len, ' '), *p, *q;

	/* Blanks collapse to one space; none at either end. */
	for (p = q = raw; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\t') {
			if (q > raw && q[-1] != ' ')
				*q++ = ' ';
			continue;
		}
		*q++ = *p;
	}
	if (q > raw && q[-1] == ' ')
		q--;
	*q = '\0';
	return raw;
}

void
import_set_move(struct import_set *out, struct import_set *from)
{
	if (from->n == 0)
		return;
	out->v = xreallocarray(out->v, out->n + from->n, sizeof *out->v);
	memcpy(out->v + out->n, from->v, from->n * sizeof *from->v);
	out->n += from->n;
	free(from->v);
	from->v = NULL;
	from->n = 0;
}

/* --- what the JSON importers share -------------------------------------- */

int
import_error(struct import_reader *r, const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[1024];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (r->where[0] == '\0')
		return pm_error_set("%s: error: %s", r->name, msg);
	return pm_error_set("%s: error: %s: %s", r->name, r->where, msg);
}

void
import_quote(char out[80], const char *s)
{
	size_t	 n = strlen(s), i;
	int	 cut = n > 64;

	if (cut) {
		n = 64;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	for (i = 0; i < n; i++)
		out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' :
		    s[i];
	strcpy(out + n, cut ? "..." : "");
}

const char *
import_json_type(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "null";
	}
}

int
import_parse_time(struct import_reader *r, const char *key, const char *s,
    struct tstamp *out)
{
	char	 why[256], v[80];
	size_t	 pos;

	if (tstamp_parse_rfc3339(out, s, strlen(s), &pos) == 0)
		return 0;
	snprintf(why, sizeof why, "%s", pm_error_last());
	if (strncmp(why, "bad timestamp: ", 15) == 0)
		memmove(why, why + 15, strlen(why + 15) + 1);
	import_quote(v, s);
	return import_error(r, "%s: '%s' is not an RFC 3339 time (%s)", key,
	    v, why);
}

json_t *
import_json_load(const char *name, const char *buf, size_t len)
{
	json_error_t	 jerr;
	json_t		*root;

	/* Objects and arrays only: a bare value is no data of these tools,
	 * and jansson then says so with a position. */
	if ((root = json_loadb(buf, len, 0, &jerr)) != NULL)
		return root;
	if (jerr.line < 1)
		pm_error_set("%s: error: %s", name, jerr.text);
	else	/* at the end of a line jansson counts column 0 */
		pm_error_set("%s:%d:%d: error: %s", name, jerr.line,
		    jerr.column > 0 ? jerr.column : 1, jerr.text);
	return NULL;
}
