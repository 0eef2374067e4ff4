/*
 * period.h - the spans of time that reports cover: a quarter ("2026Q3"),
 * or dates from/to, each day taken whole in a zone (UTC unless given).
 */
#ifndef PM_PERIOD_H
#define PM_PERIOD_H

#include <stdint.h>

struct period {
	int64_t	 from;		/* first instant in the period (UTC seconds) */
	int64_t	 to;		/* first instant after it */
	int	 quarter;	/* 1-4 when a quarter, else 0 */
	int	 year;		/* the quarter's year */
	char	 first[11];	/* "YYYY-MM-DD": the first day */
	char	 last[11];	/* the last day (inclusive) */
};

/*
 * The instant a day bound names in zone: s is "YYYY-MM-DD" (its start,
 * or with end set the start of the next day, so that the day is
 * included) or an RFC 3339 timestamp (that instant). -1 with an error
 * naming s otherwise.
 */
int	 period_bound(int64_t *out, const char *s, const char *zone, int end);

/* "2026Q3" (also "2026-Q3", lower-case q): the quarter in zone. */
int	 period_quarter(struct period *, const char *s, const char *zone);
/* From day to day, both included ("YYYY-MM-DD" or RFC 3339). */
int	 period_dates(struct period *, const char *from, const char *to,
	    const char *zone);
/* The period just before p: the previous quarter, else a span of the
 * same number of days ending where p begins. */
int	 period_previous(struct period *out, const struct period *p,
	    const char *zone);
/* "2026Q3" or "2026-07-01 to 2026-09-30", for titles. */
void	 period_label(char *out, size_t size, const struct period *);

#endif
