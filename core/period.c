/*
 * period.c - quarters and date spans in a zone.
 *
 * A day starts at local midnight. In the few zones whose clocks once
 * skipped midnight (a DST gap at 00:00), the day starts at the first
 * wall-clock time that exists, found an hour at a time.
 */
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "period.h"
#include "tstamp.h"
#include "zone.h"

/* The first instant of the day y-m-d in zone. */
static int
day_start(int64_t *out, int y, int m, int d, const char *zone)
{
	struct civil	 c;
	struct tstamp	 ts;
	int		 h;

	for (h = 0; h < 4; h++) {
		memset(&c, 0, sizeof c);
		c.year = y;
		c.mon = m;
		c.day = d;
		c.hour = h;
		if (zone_local_to_time(&ts, zone, &c) == 0) {
			*out = ts.t;
			return 0;
		}
	}
	return -1;
}

/* "YYYY-MM-DD" exactly, naming a real day. */
static int
parse_date(int *y, int *m, int *d, const char *s)
{
	struct civil	 c;
	char		 tail;

	memset(&c, 0, sizeof c);
	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &c.year, &c.mon,
	    &c.day, &tail) != 3 || s[4] != '-' || s[7] != '-')
		return -1;
	if (!civil_valid(&c))
		return -1;
	*y = c.year;
	*m = c.mon;
	*d = c.day;
	return 0;
}

static void
format_day(char out[11], int64_t t, const char *zone)
{
	struct civil	 c;
	int32_t		 off = 0;

	if (zone_offset_at(&off, zone, t, NULL) < 0)
		off = 0;
	civil_from_time(&c, t, off);
	snprintf(out, 11, "%04d-%02d-%02d", (c.year % 10000 + 10000) % 10000,
	    (c.mon % 13 + 13) % 13, (c.day % 32 + 32) % 32);
}

static void
next_day(int *y, int *m, int *d)
{
	civil_date_from_days(civil_days_from_date(*y, *m, *d) + 1, y, m, d);
}

int
period_bound(int64_t *out, const char *s, const char *zone, int end)
{
	struct tstamp	 ts;
	size_t		 errpos;
	int		 y, m, d;

	if (parse_date(&y, &m, &d, s) == 0) {
		if (end)
			next_day(&y, &m, &d);
		if (day_start(out, y, m, d, zone) < 0)
			return pm_error_set("'%s': no such day in %s", s, zone);
		return 0;
	}
	if (tstamp_parse_rfc3339(&ts, s, strlen(s), &errpos) == 0) {
		*out = ts.t + (end ? 1 : 0);
		return 0;
	}
	return pm_error_set("'%s' is not a date: use YYYY-MM-DD or RFC 3339 "
	    "(2026-07-01T00:00:00Z)", s);
}

static void
fill_days(struct period *p, const char *zone)
{
	format_day(p->first, p->from, zone);
	format_day(p->last, p->to - 1, zone);
}

static int
quarter_span(struct period *p, int year, int q, const char *zone)
{
	int	 ny = q == 4 ? year + 1 : year, nm = q == 4 ? 1 : q * 3 + 1;

	memset(p, 0, sizeof *p);
	p->year = year;
	p->quarter = q;
	if (day_start(&p->from, year, (q - 1) * 3 + 1, 1, zone) < 0 ||
	    day_start(&p->to, ny, nm, 1, zone) < 0)
		return pm_error_set("%dQ%d: not a quarter in %s", year, q,
		    zone);
	fill_days(p, zone);
	return 0;
}

int
period_quarter(struct period *p, const char *s, const char *zone)
{
	int	 year, q, n = 0;

	if (strlen(s) == 6)
		n = sscanf(s, "%4d%*[qQ]%1d", &year, &q);
	else if (strlen(s) == 7 && s[4] == '-')
		n = sscanf(s, "%4d-%*[qQ]%1d", &year, &q);
	if (n != 2 || s[0] < '0' || s[0] > '9' || q < 1 || q > 4 ||
	    year < 1 || (s[strlen(s) - 2] != 'Q' && s[strlen(s) - 2] != 'q'))
		return pm_error_set("'%s' is not a quarter: use YYYYQN, such "
		    "as 2026Q3", s);
	return quarter_span(p, year, q, zone);
}

int
period_dates(struct period *p, const char *from, const char *to,
    const char *zone)
{
	memset(p, 0, sizeof *p);
	if (period_bound(&p->from, from, zone, 0) < 0 ||
	    period_bound(&p->to, to, zone, 1) < 0)
		return -1;
	if (p->to <= p->from)
		return pm_error_set("the period from %s to %s is empty", from,
		    to);
	fill_days(p, zone);
	return 0;
}

int
period_previous(struct period *out, const struct period *p,
    const char *zone)
{
	if (p->quarter != 0)
		return quarter_span(out, p->quarter == 1 ? p->year - 1 :
		    p->year, p->quarter == 1 ? 4 : p->quarter - 1, zone);
	memset(out, 0, sizeof *out);
	out->to = p->from;
	out->from = p->from - (p->to - p->from);
	fill_days(out, zone);
	return 0;
}

void
period_label(char *out, size_t size, const struct period *p)
{
	if (p->quarter != 0)
		snprintf(out, size, "%dQ%d", p->year, p->quarter);
	else
		snprintf(out, size, "%s to %s", p->first, p->last);
}
