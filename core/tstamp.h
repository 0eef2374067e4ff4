/*
 * tstamp.h - instants with the UTC offset they were written with.
 *
 * An event's time is an instant (seconds since the Unix epoch, UTC) plus the
 * offset of the wall clock it was given against, so that
 * "2020-06-07T01:58:00-07:00" reads back and writes out unchanged.
 */
#ifndef PM_TSTAMP_H
#define PM_TSTAMP_H

#include <stddef.h>
#include <stdint.h>

struct tstamp {
	int64_t	 t;	/* seconds since 1970-01-01T00:00:00Z */
	int32_t	 off;	/* offset east of UTC, in seconds */
	int	 zulu;	/* a zero offset written "Z" (else "+00:00") */
};

/* A broken-down wall-clock time, no zone attached. */
struct civil {
	int	 year, mon, day;	/* 1-based month and day */
	int	 hour, min, sec;
};

#define TSTAMP_RFC3339_MAX	32

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t	 civil_days_from_date(int year, int mon, int day);
void	 civil_date_from_days(int64_t days, int *year, int *mon, int *day);
/* The civil time of t seen at offset off (seconds). */
void	 civil_from_time(struct civil *out, int64_t t, int32_t off);
/* The instant of a civil time read at offset off. */
int64_t	 civil_to_time(const struct civil *, int32_t off);
/* 1 if the fields name a real date and time (leap years, 00:00-23:59:59). */
int	 civil_valid(const struct civil *);

/*
 * Parse an RFC 3339 timestamp with seconds and an offset ("Z" or "+hh:mm"),
 * an optional ".fraction" that is ignored. The whole of s[0..len) must be
 * the timestamp. On error returns -1, sets the error text (without any
 * file position) and *errpos to the byte offset of the problem.
 */
int	 tstamp_parse_rfc3339(struct tstamp *out, const char *s, size_t len,
	    size_t *errpos);
/* Format as RFC 3339 at the stamp's own offset ("Z" for zero). */
void	 tstamp_format_rfc3339(char out[TSTAMP_RFC3339_MAX], struct tstamp);

/*
 * Parse a time as a person types it, in zone (an IANA name):
 *   now | -5m | -2h | -90s | -1d | -1h30m   relative to now
 *   HH:MM[:SS]                              today in zone, or yesterday if
 *                                           that is still in the future
 *   YYYY-MM-DD HH:MM[:SS], YYYY-MM-DDTHH:MM[:SS]   in zone
 *   RFC 3339 with an offset                 as given
 * Wall-clock forms are DST-correct: a time that does not exist in the zone
 * (a spring-forward gap) or exists twice (fall-back) is an error that says
 * so and suggests giving the offset. The stamp keeps the zone's offset at
 * that instant. Returns 0, or -1 with the error set.
 */
int	 tstamp_parse_user(struct tstamp *out, const char *s,
	    const char *zone, int64_t now);

/* The current time: PMTOOL_TEST_TIME (RFC 3339 or epoch seconds) when set,
 * so tests are repeatable; else the system clock. */
int64_t	 tstamp_now(void);

/* "30m", "1h30m", "90s", "2d", "1h 13m": a duration in seconds. -1 when
 * s is not one (no error is set). */
int	 duration_parse(int64_t *out, const char *s);
/* "1h 13m", "45s", "2d 3h", "-5m"; out holds at least 32 bytes. */
void	 duration_format(char *out, size_t size, int64_t seconds);

#endif
