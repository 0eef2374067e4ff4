/* fuzzutil.c - helpers of the fuzz harnesses (fuzz.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fuzz.h"
#include "incfile.h"
#include "utf8.h"
#include "xmalloc.h"
#include "zone.h"

void
fuzz_fail(const char *fmt, ...)
{
	va_list	 ap;

	fputs("fuzz: invariant broken: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void
fuzz_check_error(const char *what)
{
	/* pm_error_last() says this when nothing was set. */
	if (strcmp(pm_error_last(), "unknown error") == 0)
		fuzz_fail("%s failed without a message", what);
}

char *
fuzz_string(const uint8_t *data, size_t size)
{
	const uint8_t	*nul;

	if ((nul = memchr(data, '\0', size)) != NULL)
		size = (size_t)(nul - data);
	return xstrndup((const char *)data, size);
}

/* Clean text: valid UTF-8, no control characters but those in allow. */
static void
check_clean(const char *what, const char *s, const char *allow)
{
	size_t		 bad;
	const char	*why;

	if (s == NULL)
		fuzz_fail("%s is NULL", what);
	if (utf8_check_text(s, strlen(s), allow, &bad, &why) < 0)
		fuzz_fail("%s: %s at byte %zu", what, why, bad);
}

/*
 * What pmtool import would write for inc (cli/cmd_import.c import_new:
 * the header, then each event whose text passes incfile_check_text(),
 * the others being refused with a message) must read back into the
 * same events: import writes a new incident's lines unchecked.
 */
static void
check_writes_back(const struct import_incident *ii)
{
	struct incident	*inc = incident_new(), *back = NULL;
	struct buf	 b = BUF_INIT;
	const struct event *x, *y;
	char		*s;
	size_t		 i, n = 0;

	incident_set(&inc->title, ii->title);
	incident_set(&inc->severity, ii->severity);
	incident_set(&inc->zone, ii->zone);
	for (i = 0; i < ii->nservices; i++)
		incident_add_service(inc, ii->services[i]);
	if (incfile_check_header(inc) < 0)
		goto out;
	s = incfile_format_header(inc);
	buf_adds(&b, s);
	free(s);
	for (i = 0; i < ii->nevents; i++) {
		if (incfile_check_text("text", ii->events[i].ev.text, 1) < 0)
			continue;
		s = incfile_format_event(&ii->events[i].ev);
		buf_adds(&b, s);
		free(s);
		n++;
	}
	if (incfile_parse(&back, "import.txt", buf_str(&b), b.len) < 0)
		fuzz_fail("incident %s as pmtool import writes it does not "
		    "read back: %s\n--- written:\n%s", ii->source_id,
		    pm_error_last(), buf_str(&b));
	if (back->nevents != n)
		fuzz_fail("incident %s: %zu events written, %zu read back",
		    ii->source_id, n, back->nevents);
	for (i = 0, n = 0; i < ii->nevents; i++) {
		x = &ii->events[i].ev;
		if (incfile_check_text("text", x->text, 1) < 0)
			continue;
		/* Events are oldest first, ties in order: as read back. */
		y = &back->events[n++];
		if (x->at.t != y->at.t || x->kind != y->kind ||
		    x->state != y->state || strcmp(x->text, y->text) != 0)
			fuzz_fail("incident %s: event %s reads back changed",
			    ii->source_id, ii->events[i].source_id);
	}
out:
	incident_free(back);
	incident_free(inc);
	buf_free(&b);
}

void
fuzz_check_import(const struct import_set *set)
{
	const struct import_incident	*inc;
	const struct import_event	*ev;
	size_t				 i, j, k;

	for (i = 0; i < set->n; i++) {
		inc = &set->v[i];
		if (inc->source_id == NULL || *inc->source_id == '\0')
			fuzz_fail("incident %zu: no source id", i);
		check_clean("title", inc->title, "\t");
		if (*inc->title == '\0')
			fuzz_fail("incident %zu: empty title", i);
		check_clean("severity", inc->severity, "\t");
		for (j = 0; j < inc->nservices; j++)
			check_clean("service", inc->services[j], "\t");
		if (inc->zone == NULL || zone_check(inc->zone) < 0)
			fuzz_fail("incident %zu: bad zone '%s'", i,
			    inc->zone != NULL ? inc->zone : "(null)");
		for (j = 0; j < inc->nevents; j++) {
			ev = &inc->events[j];
			check_clean("event text", ev->ev.text, "\t\n");
			if (ev->source_id == NULL)
				fuzz_fail("event %zu: no source id", j);
			if (ev->ev.kind < 0 || ev->ev.kind >= EV__COUNT ||
			    ev->ev.state >= ST__COUNT ||
			    (ev->ev.kind == EV_STATUS) !=
			    (ev->ev.state != ST_NONE))
				fuzz_fail("event %s: bad kind %d / state %d",
				    ev->source_id, (int)ev->ev.kind,
				    (int)ev->ev.state);
			if (j > 0 && inc->events[j - 1].ev.at.t > ev->ev.at.t)
				fuzz_fail("event %s: events out of order",
				    ev->source_id);
			for (k = 0; k < j; k++)
				if (strcmp(inc->events[k].source_id,
				    ev->source_id) == 0)
					fuzz_fail("incident %s: event id %s "
					    "twice", inc->source_id,
					    ev->source_id);
		}
		check_writes_back(inc);
	}
}
