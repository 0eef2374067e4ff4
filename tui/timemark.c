/* timemark.c - the "@TIME" marker of a TUI line (timemark.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timemark.h"
#include "xmalloc.h"
#include "zone.h"

static size_t
word_len(const char *s)
{
	return strcspn(s, " \t\n");
}

static size_t
blanks(const char *s)
{
	return strspn(s, " \t");
}

/* "2026-12-07": the date half of "@2026-12-07 14:32". */
static int
is_date(const char *w, size_t n)
{
	static const char shape[] = "dddd-dd-dd";
	size_t	 i;

	if (n != sizeof shape - 1)
		return 0;
	for (i = 0; i < n; i++)
		if (shape[i] == 'd' ? (w[i] < '0' || w[i] > '9') : w[i] != '-')
			return 0;
	return 1;
}

void
timemark_find(struct timemark *m, const char *line)
{
	const char	*p = line + blanks(line), *w;
	size_t		 n, n2;

	memset(m, 0, sizeof *m);
	if (*p != '@')
		return;
	m->present = 1;
	w = p + 1;
	n = word_len(w);
	/* A local date takes the clock time after it. */
	if (is_date(w, n) && w[n] == ' ' && (n2 = word_len(w + n + 1)) > 0 &&
	    w[n + 1] >= '0' && w[n + 1] <= '9')
		n += 1 + n2;
	m->given = xstrndup(w, n);
	m->skip = (size_t)(w + n - line);
	m->skip += blanks(line + m->skip);
}

void
timemark_free(struct timemark *m)
{
	free(m->given);
	memset(m, 0, sizeof *m);
}

/* The day of t in zone, as days since the epoch (for "today"). */
static int64_t
local_day(int64_t t, const char *zone, struct civil *c)
{
	int32_t	 off;

	if (zone_offset_at(&off, zone, t, NULL) < 0)
		off = 0;
	civil_from_time(c, t, off);
	return (t + off) / 86400 - ((t + off) % 86400 < 0);
}

void
timemark_describe(char *out, size_t size, struct tstamp at,
    const char *zone, int64_t now)
{
	char		 when[64], ago[32], day[32];
	struct civil	 c, cn;
	int64_t		 d = local_day(at.t, zone, &c) - local_day(now, zone, &cn);

	zone_display(when, sizeof when, at.t, zone);
	/* "2026-12-07 14:32 CET": the day is said in words when near. */
	if (d == 0 || d == -1 || d == 1)
		snprintf(day, sizeof day, "%s", d == 0 ? "today" : d < 0 ?
		    "yesterday" : "tomorrow");
	else
		snprintf(day, sizeof day, "%04d-%02d-%02d", c.year, c.mon,
		    c.day);
	duration_format(ago, sizeof ago, at.t > now ? at.t - now : now - at.t);
	snprintf(out, size, "%s, %s, %s%s%s", strlen(when) > 11 ? when + 11 :
	    when, day, at.t > now ? "in " : "", at.t == now ? "now" : ago,
	    at.t < now ? " ago" : "");
}
