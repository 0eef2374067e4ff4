/* zone.c - IANA time zones through TZ and the system's zone database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "xmalloc.h"
#include "zone.h"

#define ZONE_NAME_MAX	64

static const char *
zone_dir(void)
{
	const char	*dir;

	dir = getenv("TZDIR");
	return dir != NULL && *dir != '\0' ? dir : "/usr/share/zoneinfo";
}

/* Letters, digits and "/_+-", no empty or dot-leading component: a name
 * can then never be a path outside the zone database. */
static int
zone_name_safe(const char *name)
{
	const char	*p;
	int		 start = 1;

	if (*name == '\0' || strlen(name) > ZONE_NAME_MAX)
		return 0;
	for (p = name; *p != '\0'; p++) {
		if (*p == '/') {
			if (start)
				return 0;
			start = 1;
			continue;
		}
		if (start && (*p == '.' || *p == '-'))
			return 0;
		start = 0;
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '+' ||
		    *p == '-'))
			return 0;
	}
	return !start;
}

int
zone_check(const char *name)
{
	char	 path[512], magic[4];
	FILE	*f;
	size_t	 n;

	if (strcmp(name, "UTC") == 0)
		return 0;
	if (!zone_name_safe(name))
		return pm_error_set("unknown time zone '%s': use an IANA name "
		    "such as Europe/Amsterdam or America/Los_Angeles", name);
	snprintf(path, sizeof path, "%s/%s", zone_dir(), name);
	if ((f = fopen(path, "rb")) == NULL)
		return pm_error_set("unknown time zone '%s' (not in %s): use "
		    "an IANA name such as Europe/Amsterdam", name, zone_dir());
	n = fread(magic, 1, sizeof magic, f);
	fclose(f);
	if (n != sizeof magic || memcmp(magic, "TZif", 4) != 0)
		return pm_error_set("unknown time zone '%s': %s is not a zone "
		    "file", name, path);
	return 0;
}

/*
 * The C library converts through TZ, a process-wide setting: this file
 * owns it. current is the zone TZ now selects ("" for the system's own),
 * so that tzset() runs only when the zone changes; system_tz is what TZ
 * was before pmtool first changed it.
 */
static char	 current[ZONE_NAME_MAX + 2];
static char	*system_tz;
static int	 system_tz_saved;

static void
remember_system_tz(void)
{
	const char	*tz;

	if (system_tz_saved)
		return;
	tz = getenv("TZ");
	system_tz = tz != NULL ? strdup(tz) : NULL;
	system_tz_saved = 1;
}

static int
zone_select(const char *zone)
{
	if (strcmp(current, zone) == 0)
		return 0;
	if (zone_check(zone) < 0)
		return -1;
	remember_system_tz();
	/* The leading ':' tells glibc to read a zone file, never to parse
	 * the name as a POSIX TZ rule such as "EST5EDT". */
	snprintf(current, sizeof current, "%s", zone);
	if (strcmp(zone, "UTC") == 0)
		setenv("TZ", "UTC0", 1);
	else {
		char	 tz[ZONE_NAME_MAX + 2];

		snprintf(tz, sizeof tz, ":%s", zone);
		setenv("TZ", tz, 1);
	}
	tzset();
	return 0;
}

int
zone_offset_at(int32_t *out, const char *zone, int64_t t,
    char abbr[ZONE_ABBR_MAX])
{
	struct tm	 tm;
	time_t		 tt;

	if (zone_select(zone) < 0)
		return -1;
	tt = (time_t)t;
	if (localtime_r(&tt, &tm) == NULL)
		return pm_error_set("time %lld is out of range",
		    (long long)t);
	*out = (int32_t)tm.tm_gmtoff;
	if (abbr != NULL)
		snprintf(abbr, ZONE_ABBR_MAX, "%s", tm.tm_zone != NULL ?
		    tm.tm_zone : "");
	return 0;
}

int
zone_stamp(struct tstamp *out, const char *zone, int64_t t)
{
	int32_t	 off;

	if (zone_offset_at(&off, zone, t, NULL) < 0)
		return -1;
	out->t = t;
	out->off = off;
	out->zulu = off == 0;
	return 0;
}

static void
format_offset(char *out, size_t size, int32_t off)
{
	int32_t	 a = off < 0 ? -off : off;

	snprintf(out, size, "%c%02d:%02d", off < 0 ? '-' : '+',
	    (int)(a / 3600), (int)(a / 60 % 60));
}

/*
 * A wall-clock time maps to the instants u = local - off for every offset
 * off the zone uses around that time, where off is the zone's offset at u.
 * Offsets a day before and a day after cover any single transition.
 */
int
zone_local_to_time(struct tstamp *out, const char *zone,
    const struct civil *c)
{
	int32_t	 cand[2], off;
	int64_t	 local, u, found[2];
	int32_t	 found_off[2];
	int	 i, n = 0;
	char	 a[16], b[16];

	local = civil_to_time(c, 0);
	if (zone_offset_at(&cand[0], zone, local - 86400, NULL) < 0 ||
	    zone_offset_at(&cand[1], zone, local + 86400, NULL) < 0)
		return -1;
	for (i = 0; i < 2; i++) {
		if (i == 1 && cand[1] == cand[0])
			break;
		u = local - cand[i];
		if (zone_offset_at(&off, zone, u, NULL) < 0)
			return -1;
		if (off == cand[i]) {
			found[n] = u;
			found_off[n] = off;
			n++;
		}
	}
	if (n == 0)
		return pm_error_set("%04d-%02d-%02d %02d:%02d does not exist in "
		    "%s (the clocks skip it); give the offset explicitly",
		    c->year, c->mon, c->day, c->hour, c->min, zone);
	if (n == 2) {
		format_offset(a, sizeof a, found_off[0]);
		format_offset(b, sizeof b, found_off[1]);
		return pm_error_set("%04d-%02d-%02d %02d:%02d happens twice in "
		    "%s (at %s and at %s); give the offset explicitly, e.g. "
		    "%04d-%02d-%02dT%02d:%02d:00%s", c->year, c->mon, c->day,
		    c->hour, c->min, zone, a, b, c->year, c->mon, c->day,
		    c->hour, c->min, a);
	}
	out->t = found[0];
	out->off = found_off[0];
	out->zulu = found_off[0] == 0;
	return 0;
}

int
zone_system_offset(int32_t *out, int64_t t)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	remember_system_tz();
	if (system_tz != NULL)
		setenv("TZ", system_tz, 1);
	else
		unsetenv("TZ");
	tzset();
	current[0] = '\0';
	if (localtime_r(&tt, &tm) == NULL)
		return pm_error_set("time %lld is out of range",
		    (long long)t);
	*out = (int32_t)tm.tm_gmtoff;
	return 0;
}

/* "Area/City" from a TZ value or a link target: ":Area/City" and paths
 * into a zone database ("/usr/share/zoneinfo/Area/City") included. */
static const char *
zone_name_of(const char *v)
{
	const char	*p;

	if (*v == ':')
		v++;
	if ((p = strstr(v, "zoneinfo/")) != NULL)
		v = p + strlen("zoneinfo/");
	return v;
}

int
zone_default(char **out)
{
	const char	*env;
	char		 link[512];
	ssize_t		 n;

	env = getenv("PMTOOL_TZ");
	if (env != NULL && *env != '\0') {
		if (zone_check(env) < 0)
			return pm_error_wrap("PMTOOL_TZ");
		*out = xstrdup(env);
		return 0;
	}
	env = system_tz_saved ? system_tz : getenv("TZ");
	if (env != NULL && *env != '\0' &&
	    zone_check(zone_name_of(env)) == 0) {
		*out = xstrdup(zone_name_of(env));
		return 0;
	}
	n = readlink("/etc/localtime", link, sizeof link - 1);
	if (n > 0) {
		link[n] = '\0';
		if (zone_check(zone_name_of(link)) == 0) {
			*out = xstrdup(zone_name_of(link));
			return 0;
		}
	}
	pm_error_clear();
	*out = xstrdup("UTC");
	return 0;
}

void
zone_display(char *out, size_t size, int64_t t, const char *zone)
{
	if (zone_format_display(out, size, t, zone) < 0)
		zone_format_display(out, size, t, NULL);
}

int
zone_format_display(char *out, size_t size, int64_t t, const char *zone)
{
	struct civil	 c;
	char		 abbr[ZONE_ABBR_MAX];
	int32_t		 off = 0;

	snprintf(abbr, sizeof abbr, "UTC");
	if (zone != NULL && zone_offset_at(&off, zone, t, abbr) < 0)
		return -1;
	civil_from_time(&c, t, off);
	snprintf(out, size, "%04d-%02d-%02d %02d:%02d %s", c.year, c.mon,
	    c.day, c.hour, c.min, abbr);
	return 0;
}
