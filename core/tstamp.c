/* tstamp.c - RFC 3339 instants, civil time arithmetic, user time forms. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "tstamp.h"
#include "zone.h"

/*
 * Days from civil date, proleptic Gregorian calendar, using eras of 400
 * years (146097 days) so that the arithmetic holds for negative years too.
 */
int64_t
civil_days_from_date(int year, int mon, int day)
{
	int64_t	 y, era, yoe, doy, doe;

	y = (int64_t)year - (mon <= 2);
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (mon + (mon > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
civil_date_from_days(int64_t days, int *year, int *mon, int *day)
{
	int64_t	 z, era, doe, yoe, y, doy, mp;

	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*mon = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = (int)(y + (*mon <= 2));
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

void
civil_from_time(struct civil *out, int64_t t, int32_t off)
{
	int64_t	 local, days, secs;

	local = t + off;
	days = floor_div(local, 86400);
	secs = local - days * 86400;
	civil_date_from_days(days, &out->year, &out->mon, &out->day);
	out->hour = (int)(secs / 3600);
	out->min = (int)(secs / 60 % 60);
	out->sec = (int)(secs % 60);
}

int64_t
civil_to_time(const struct civil *c, int32_t off)
{
	return civil_days_from_date(c->year, c->mon, c->day) * 86400 +
	    c->hour * 3600 + c->min * 60 + c->sec - off;
}

static int
days_in_month(int year, int mon)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int	 leap;

	leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return mon == 2 && leap ? 29 : days[mon - 1];
}

int
civil_valid(const struct civil *c)
{
	if (c->year < 1 || c->year > 9999 || c->mon < 1 || c->mon > 12)
		return 0;
	if (c->day < 1 || c->day > days_in_month(c->year, c->mon))
		return 0;
	return c->hour >= 0 && c->hour <= 23 && c->min >= 0 && c->min <= 59 &&
	    c->sec >= 0 && c->sec <= 59;
}

/* Read exactly n digits at s[*pos]; -1 if they are not all digits. */
static int
read_digits(const char *s, size_t len, size_t *pos, int n)
{
	int	 v, i;

	v = 0;
	for (i = 0; i < n; i++) {
		if (*pos >= len || !isdigit((unsigned char)s[*pos]))
			return -1;
		v = v * 10 + (s[*pos] - '0');
		(*pos)++;
	}
	return v;
}

static int
expect_char(const char *s, size_t len, size_t *pos, char c)
{
	if (*pos >= len || s[*pos] != c)
		return -1;
	(*pos)++;
	return 0;
}

/* YYYY-MM-DD at *pos. */
static int
parse_date(struct civil *c, const char *s, size_t len, size_t *pos)
{
	if ((c->year = read_digits(s, len, pos, 4)) < 0 ||
	    expect_char(s, len, pos, '-') < 0 ||
	    (c->mon = read_digits(s, len, pos, 2)) < 0 ||
	    expect_char(s, len, pos, '-') < 0 ||
	    (c->day = read_digits(s, len, pos, 2)) < 0)
		return -1;
	return 0;
}

/* HH:MM, then :SS when need_sec or when present. */
static int
parse_clock(struct civil *c, const char *s, size_t len, size_t *pos,
    int need_sec)
{
	c->sec = 0;
	if ((c->hour = read_digits(s, len, pos, 2)) < 0 ||
	    expect_char(s, len, pos, ':') < 0 ||
	    (c->min = read_digits(s, len, pos, 2)) < 0)
		return -1;
	if (need_sec || (*pos < len && s[*pos] == ':')) {
		if (expect_char(s, len, pos, ':') < 0 ||
		    (c->sec = read_digits(s, len, pos, 2)) < 0)
			return -1;
	}
	return 0;
}

/* "Z" or "+hh:mm" / "-hh:mm" at *pos; *off in seconds. Returns -1 when
 * it is not an offset, -2 when it is one out of range (*pos at its sign). */
static int
parse_offset(int32_t *off, int *zulu, const char *s, size_t len,
    size_t *pos)
{
	size_t	 start = *pos;
	int	 sign, h, m;

	*zulu = 0;
	if (*pos < len && s[*pos] == 'Z') {
		(*pos)++;
		*off = 0;
		*zulu = 1;
		return 0;
	}
	if (*pos >= len || (s[*pos] != '+' && s[*pos] != '-'))
		return -1;
	sign = s[*pos] == '-' ? -1 : 1;
	(*pos)++;
	if ((h = read_digits(s, len, pos, 2)) < 0 ||
	    expect_char(s, len, pos, ':') < 0 ||
	    (m = read_digits(s, len, pos, 2)) < 0)
		return -1;
	if (h > 23 || m > 59) {
		*pos = start;
		return -2;
	}
	*off = sign * (h * 3600 + m * 60);
	return 0;
}

int
tstamp_parse_rfc3339(struct tstamp *out, const char *s, size_t len,
    size_t *errpos)
{
	struct civil	 c;
	size_t		 pos = 0;
	int32_t		 off;
	int		 rc, zulu;

	if (parse_date(&c, s, len, &pos) < 0 || expect_char(s, len, &pos,
	    'T') < 0 || parse_clock(&c, s, len, &pos, 1) < 0) {
		*errpos = pos;
		return pm_error_set("bad timestamp: expected "
		    "YYYY-MM-DDTHH:MM:SS followed by Z or an offset like "
		    "-07:00");
	}
	if (pos < len && s[pos] == '.') {
		pos++;
		if (pos >= len || !isdigit((unsigned char)s[pos])) {
			*errpos = pos;
			return pm_error_set("bad timestamp: digits expected "
			    "after '.'");
		}
		while (pos < len && isdigit((unsigned char)s[pos]))
			pos++;
	}
	if ((rc = parse_offset(&off, &zulu, s, len, &pos)) < 0) {
		*errpos = pos;
		if (rc == -2)
			return pm_error_set("bad timestamp: UTC offset out of "
			    "range (at most 23:59)");
		return pm_error_set("bad timestamp: expected Z or a UTC "
		    "offset like +02:00 or -07:00");
	}
	if (pos != len) {
		*errpos = pos;
		return pm_error_set("bad timestamp: unexpected text after "
		    "the offset");
	}
	if (!civil_valid(&c)) {
		*errpos = 0;
		return pm_error_set("bad timestamp: no such date or time "
		    "%04d-%02d-%02dT%02d:%02d:%02d", c.year, c.mon, c.day,
		    c.hour, c.min, c.sec);
	}
	out->t = civil_to_time(&c, off);
	out->off = off;
	out->zulu = zulu;
	return 0;
}

void
tstamp_format_rfc3339(char out[TSTAMP_RFC3339_MAX], struct tstamp ts)
{
	struct civil	 c;
	int32_t		 off, a;

	off = ts.off;
	/* RFC 3339 offsets are whole minutes; a zone's historic local mean
	 * time is not, so such an instant is written in UTC instead. */
	if (off % 60 != 0)
		off = 0;
	civil_from_time(&c, ts.t, off);
	if (off == 0 && (ts.zulu || ts.off != 0)) {
		snprintf(out, TSTAMP_RFC3339_MAX,
		    "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.mon, c.day,
		    c.hour, c.min, c.sec);
		return;
	}
	a = off < 0 ? -off : off;
	snprintf(out, TSTAMP_RFC3339_MAX,
	    "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", c.year, c.mon, c.day,
	    c.hour, c.min, c.sec, off < 0 ? '-' : '+', (int)(a / 3600),
	    (int)(a / 60 % 60));
}

int
duration_parse(int64_t *out, const char *s)
{
	int64_t		 total = 0, n, unit;
	const char	*p = s;

	if (*p == '\0')
		return -1;
	while (*p != '\0') {
		if (*p == ' ') {
			p++;
			continue;
		}
		if (!isdigit((unsigned char)*p))
			return -1;
		n = 0;
		while (isdigit((unsigned char)*p)) {
			n = n * 10 + (*p++ - '0');
			if (n > 100000000)
				return -1;
		}
		switch (*p++) {
		case 's': unit = 1; break;
		case 'm': unit = 60; break;
		case 'h': unit = 3600; break;
		case 'd': unit = 86400; break;
		default: return -1;
		}
		total += n * unit;
		if (total > (int64_t)366 * 86400 * 100)
			return -1;
	}
	*out = total;
	return 0;
}

/* "-1h30m", "-5m", "-90s", "-2d": seconds before now. */
static int
parse_relative(int64_t *out, const char *s)
{
	if (s[1] == ' ')
		return -1;
	return duration_parse(out, s + 1);
}

/*
 * 1 when ts formats as a stamp tstamp_parse_rfc3339() reads back. The
 * writer puts an offset that is not whole minutes (a zone's local mean
 * time, as Europe/Amsterdam's +00:19:32 before 1937) in UTC instead, and
 * that can move the date out of the years 0001 to 9999.
 */
static int
tstamp_writable(struct tstamp ts)
{
	struct civil	 c;

	civil_from_time(&c, ts.t, ts.off % 60 != 0 ? 0 : ts.off);
	return civil_valid(&c);
}

static int
parse_user(struct tstamp *out, const char *s, const char *zone,
    int64_t now)
{
	struct civil	 c, today;
	struct tstamp	 ts;
	int32_t		 off;
	int64_t		 ago;
	size_t		 len, pos, errpos;

	len = strlen(s);
	if (strcmp(s, "now") == 0)
		return zone_stamp(out, zone, now);
	if (s[0] == '-') {
		if (parse_relative(&ago, s) < 0)
			return pm_error_set("bad time '%s': a relative time "
			    "looks like -5m, -2h, -90s or -1h30m", s);
		return zone_stamp(out, zone, now - ago);
	}
	/* A clock time alone: the most recent such time, today or
	 * yesterday, because events are logged after they happen. */
	pos = 0;
	if (parse_clock(&c, s, len, &pos, 0) == 0 && pos == len) {
		if (zone_offset_at(&off, zone, now, NULL) < 0)
			return -1;
		civil_from_time(&today, now, off);
		c.year = today.year;
		c.mon = today.mon;
		c.day = today.day;
		if (!civil_valid(&c))
			return pm_error_set("bad time '%s': no such clock "
			    "time", s);
		if (zone_local_to_time(&ts, zone, &c) < 0)
			return pm_error_wrap("time '%s'", s);
		if (ts.t > now) {
			civil_from_time(&today, now - 86400, off);
			c.year = today.year;
			c.mon = today.mon;
			c.day = today.day;
			if (zone_local_to_time(&ts, zone, &c) < 0)
				return pm_error_wrap("time '%s' (yesterday)",
				    s);
		}
		*out = ts;
		return 0;
	}
	/* A full RFC 3339 stamp keeps the offset it was given. */
	if (tstamp_parse_rfc3339(out, s, len, &errpos) == 0)
		return 0;
	/* A date and a clock time, read in the incident's zone. */
	pos = 0;
	if (parse_date(&c, s, len, &pos) == 0 && pos < len &&
	    (s[pos] == ' ' || s[pos] == 'T')) {
		pos++;
		if (parse_clock(&c, s, len, &pos, 0) == 0 && pos == len) {
			if (!civil_valid(&c))
				return pm_error_set("bad time '%s': no such "
				    "date or time", s);
			if (zone_local_to_time(out, zone, &c) < 0)
				return pm_error_wrap("time '%s'", s);
			return 0;
		}
	}
	return pm_error_set("bad time '%s': use now, -5m, -2h, HH:MM, "
	    "'YYYY-MM-DD HH:MM' (in the incident's zone) or RFC 3339 such as "
	    "2020-06-07T01:58:00-07:00", s);
}

int
tstamp_parse_user(struct tstamp *out, const char *s, const char *zone,
    int64_t now)
{
	struct tstamp	 ts;

	if (parse_user(&ts, s, zone, now) < 0)
		return -1;
	if (!tstamp_writable(ts))
		return pm_error_set("bad time '%s': out of range (the years "
		    "0001 to 9999 in UTC)", s);
	*out = ts;
	return 0;
}

int64_t
tstamp_now(void)
{
	const char	*env;
	struct tstamp	 ts;
	char		*end;
	long long	 v;
	size_t		 errpos;

	env = getenv("PMTOOL_TEST_TIME");
	if (env != NULL && *env != '\0') {
		if (tstamp_parse_rfc3339(&ts, env, strlen(env), &errpos) == 0)
			return ts.t;
		v = strtoll(env, &end, 10);
		if (*end == '\0')
			return v;
	}
	return (int64_t)time(NULL);
}

void
duration_format(char *out, size_t size, int64_t seconds)
{
	const char	*sign = "";
	long long	 part[4];
	static const char units[] = "dhms";
	size_t		 len;
	int		 first, last, i;

	if (seconds < 0) {
		sign = "-";
		seconds = -seconds;
	}
	part[0] = seconds / 86400;
	part[1] = seconds / 3600 % 24;
	part[2] = seconds / 60 % 60;
	part[3] = seconds % 60;
	/* From the largest unit present down to the last non-zero one, and
	 * seconds only under an hour: "1h 13m", "2d", "1d 0h 3m", "45s". */
	for (first = 0; first < 3 && part[first] == 0; first++)
		;
	last = first < 2 ? 2 : 3;
	while (last > first && part[last] == 0)
		last--;
	snprintf(out, size, "%s", sign);
	for (i = first; i <= last; i++) {
		len = strlen(out);
		snprintf(out + len, size - len, "%s%lld%c", i > first ? " " :
		    "", part[i], units[i]);
	}
}
