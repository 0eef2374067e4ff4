/*
 * fuzz_tstamp.c - the time parsers: tstamp_parse_rfc3339 (the bytes as
 * they are), tstamp_parse_user (in Europe/Amsterdam, at a fixed now) and
 * duration_parse. What a parser accepts must format and, for the stamps,
 * read back as RFC 3339 to the same instant, as a timeline file would
 * keep it.
 */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fuzz.h"
#include "tstamp.h"
#include "zone.h"

#define FUZZ_ZONE	"Europe/Amsterdam"
#define FUZZ_NOW	INT64_C(1591524000)	/* 2020-06-07T10:00:00Z */

/* Format ts and read it back: the same instant, and the same offset
 * when it is whole minutes (others are written in UTC). */
static void
round_trip(const char *what, const char *input, struct tstamp ts)
{
	struct tstamp	 back;
	char		 s[TSTAMP_RFC3339_MAX], disp[64];
	size_t		 errpos;

	tstamp_format_rfc3339(s, ts);
	if (tstamp_parse_rfc3339(&back, s, strlen(s), &errpos) < 0)
		fuzz_fail("%s '%s' formats as '%s', which does not read back: "
		    "%s", what, input, s, pm_error_last());
	if (back.t != ts.t || (ts.off % 60 == 0 && (back.off != ts.off ||
	    back.zulu != ts.zulu)))
		fuzz_fail("%s '%s' formats as '%s', which reads back as "
		    "another time", what, input, s);
	if (zone_format_display(disp, sizeof disp, ts.t, FUZZ_ZONE) < 0)
		fuzz_fail("%s '%s': no display form: %s", what, input,
		    pm_error_last());
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tstamp	 ts;
	char		*s, dur[32];
	size_t		 errpos;
	int64_t		 d, back;

	if (tstamp_parse_rfc3339(&ts, (const char *)data, size, &errpos) ==
	    0)
		round_trip("RFC 3339 time", "(input)", ts);
	else if (errpos > size)
		fuzz_fail("error position %zu past the end (%zu)", errpos,
		    size);
	s = fuzz_string(data, size);
	if (tstamp_parse_user(&ts, s, FUZZ_ZONE, FUZZ_NOW) == 0)
		round_trip("user time", s, ts);
	if (duration_parse(&d, s) == 0) {
		if (d < 0)
			fuzz_fail("duration '%s' is negative", s);
		duration_format(dur, sizeof dur, d);
		/* The format leaves seconds out from an hour up. */
		if ((d < 3600 || d % 60 == 0) &&
		    (duration_parse(&back, dur) < 0 || back != d))
			fuzz_fail("duration '%s' formats as '%s', which does "
			    "not read back", s, dur);
		duration_format(dur, sizeof dur, -d);
	}
	free(s);
	return 0;
}
