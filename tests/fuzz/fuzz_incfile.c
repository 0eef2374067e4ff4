/*
 * fuzz_incfile.c - the incident file reader (incfile_parse), and the
 * round trip: whatever the reader accepts, the writer writes back
 * (incfile_format_header, incfile_format_event) so that it reads again
 * into the same incident, and that second writing is byte for byte the
 * first.
 *
 * Except at the line limit: the reader takes lines of INCFILE_LINE_MAX
 * bytes, and the writer may make one longer ("title:x" becomes "title:
 * x", a TAB before a continuation two spaces, "a,b" "a, b"). pmtool
 * writes only what passed incfile_check_header() and
 * incfile_check_text(), which keep 128 bytes of room, and never rewrites
 * a file it has read (formats/incident-format.md, "Writing"); so when
 * the writing has a line over the limit, the round trip is not tried.
 *
 * Whatever the reader accepts, lint's checks of the timeline take too:
 * each finding has a file, a line and a message.
 */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fuzz.h"
#include "incfile.h"
#include "lint.h"
#include "xmalloc.h"

/* The whole file as the writer writes inc. */
static char *
format_incident(const struct incident *inc)
{
	struct buf	 b = BUF_INIT;
	char		*s;
	size_t		 i;

	s = incfile_format_header(inc);
	buf_adds(&b, s);
	free(s);
	for (i = 0; i < inc->nevents; i++) {
		s = incfile_format_event(&inc->events[i]);
		buf_adds(&b, s);
		free(s);
	}
	return buf_detach(&b);
}

/* 1 when a line of text is longer than the reader takes. */
static int
too_long(const char *text)
{
	const char	*nl;

	for (; (nl = strchr(text, '\n')) != NULL; text = nl + 1)
		if ((size_t)(nl - text) > INCFILE_LINE_MAX)
			return 1;
	return strlen(text) > INCFILE_LINE_MAX;
}

static void
same_string(const char *what, const char *a, const char *b)
{
	if (strcmp(a, b) != 0)
		fuzz_fail("round trip changed the %s: '%s' became '%s'", what,
		    a, b);
}

static void
same_incident(const struct incident *a, const struct incident *b)
{
	const struct event	*x, *y;
	size_t			 i;

	same_string("title", a->title, b->title);
	same_string("severity", a->severity, b->severity);
	same_string("commander", a->commander, b->commander);
	same_string("zone", a->zone, b->zone);
	if (a->nservices != b->nservices)
		fuzz_fail("round trip changed the services: %zu became %zu",
		    a->nservices, b->nservices);
	for (i = 0; i < a->nservices; i++)
		same_string("service", a->services[i], b->services[i]);
	if (a->nevents != b->nevents)
		fuzz_fail("round trip changed the events: %zu became %zu",
		    a->nevents, b->nevents);
	for (i = 0; i < a->nevents; i++) {
		x = &a->events[i];
		y = &b->events[i];
		if (x->at.t != y->at.t || x->kind != y->kind ||
		    x->state != y->state)
			fuzz_fail("round trip changed event %zu (line %u)", i,
			    x->line);
		/* An offset of whole minutes is kept; others are written
		 * in UTC (tstamp_format_rfc3339). */
		if (x->at.off % 60 == 0 && (x->at.off != y->at.off ||
		    x->at.zulu != y->at.zulu))
			fuzz_fail("round trip changed the offset of event %zu",
			    i);
		same_string("event text", x->text, y->text);
	}
}

static void
lint_it(const struct incident *inc)
{
	struct lint_list	 l;
	char			*s;
	size_t			 i;

	lint_list_init(&l);
	lint_timeline(&l, inc, 30 * 60, inc->nevents > 0 ?
	    inc->events[inc->nevents - 1].at.t + 3600 : 0);
	lint_sort(&l);
	for (i = 0; i < l.n; i++) {
		if (l.items[i].line == 0 || *l.items[i].message == '\0')
			fuzz_fail("lint finding %zu has no line or message", i);
		s = lint_format(&l.items[i]);
		free(s);
	}
	lint_list_free(&l);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct incident	*inc = NULL, *again = NULL;
	char		*text, *text2;

	pm_error_clear();
	if (incfile_parse(&inc, "fuzz.txt", (const char *)data, size) < 0) {
		fuzz_check_error("incfile_parse");
		return 0;
	}
	lint_it(inc);
	text = format_incident(inc);
	if (too_long(text))
		goto out;
	if (incfile_parse(&again, "again.txt", text, strlen(text)) < 0)
		fuzz_fail("what incfile_parse read does not read back: %s\n"
		    "--- written:\n%s", pm_error_last(), text);
	same_incident(inc, again);
	text2 = format_incident(again);
	if (strcmp(text, text2) != 0)
		fuzz_fail("writing is not stable:\n--- first:\n%s\n"
		    "--- second:\n%s", text, text2);
	free(text2);
	incident_free(again);
out:
	free(text);
	incident_free(inc);
	return 0;
}
