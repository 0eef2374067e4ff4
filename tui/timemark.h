/*
 * timemark.h - the time marker of a line typed in the TUI: an event's
 * time is set only by an explicit "@" at the start of the line ("@14:32
 * text", "@-5m", "@now", "@2026-12-07 14:32", "@2026-12-07T14:32:00Z");
 * anything else is text, so that "12:00 UTC is when the window opens" is
 * logged as written. No curses here.
 */
#ifndef PM_TIMEMARK_H
#define PM_TIMEMARK_H

#include <stddef.h>
#include <stdint.h>

#include "tstamp.h"

struct timemark {
	int		 present;	/* the line starts with '@' */
	char		*given;		/* owned: the time as typed, no '@' */
	size_t		 skip;		/* bytes of the marker and its blanks */
};

/* Find the marker at the start of line. Nothing fails: a malformed time
 * is found, and reported by the caller's parse of given. */
void	 timemark_find(struct timemark *, const char *line);
void	 timemark_free(struct timemark *);

/* What a time resolves to, for the line before it is committed: "14:32
 * CET, today, 3m ago", "09:30 CEST, yesterday, 17h 30m ago", "in 4m". */
void	 timemark_describe(char *out, size_t size, struct tstamp at,
	    const char *zone, int64_t now);

#endif
