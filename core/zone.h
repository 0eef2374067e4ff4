/*
 * zone.h - IANA time zones, through the C library and the system's zone
 * database (tzdata).
 *
 * The C library only converts through the process-wide TZ, so these
 * functions set TZ to the zone they are asked about. Nothing else in pmtool
 * may rely on TZ or on localtime(). Not thread-safe, like TZ itself.
 */
#ifndef PM_ZONE_H
#define PM_ZONE_H

#include <stddef.h>
#include <stdint.h>

#include "tstamp.h"

#define ZONE_ABBR_MAX	16

/* 0 when name is a zone in the database ("UTC" always is); else -1 with
 * an error that names it. Names never reach outside the database folder. */
int	 zone_check(const char *name);
/* The offset east of UTC (seconds) in zone at instant t, and the
 * abbreviation in use ("PDT"); abbr may be NULL. */
int	 zone_offset_at(int32_t *out, const char *zone, int64_t t,
	    char abbr[ZONE_ABBR_MAX]);
/* The instant of the wall-clock time c in zone. -1 with an error when c
 * falls in a gap or is ambiguous (names both candidate offsets). */
int	 zone_local_to_time(struct tstamp *out, const char *zone,
	    const struct civil *c);
/* t seen in zone: the stamp carries the zone's offset at t. */
int	 zone_stamp(struct tstamp *out, const char *zone, int64_t t);

/* "2020-06-07 01:58 PDT": t as a person reads it in zone, or in UTC
 * ("... UTC") when zone is NULL. -1 with the error set for a bad zone. */
int	 zone_format_display(char *out, size_t size, int64_t t,
	    const char *zone);
/* The same, falling back to UTC when zone cannot be read: for showing
 * a time that must be shown whatever (the zone was checked when the
 * incident was read). */
void	 zone_display(char *out, size_t size, int64_t t, const char *zone);
/* The offset of the system's own zone (TZ as pmtool found it, else
 * /etc/localtime) at t: for commit signatures. */
int	 zone_system_offset(int32_t *out, int64_t t);

/* The zone a new incident gets when none is given: $PMTOOL_TZ (an error
 * when it is not a zone), else $TZ when it names a zone (":Area/City" and
 * paths into the zone database included), else the zone /etc/localtime
 * links to, else "UTC". *out is a new string (free()). */
int	 zone_default(char **out);

#endif
