/*
 * import_sptext.c - the text a status page shows for one incident, newest
 * update first (pmtool import statuspage-text), read into one
 * import_incident. formats/import-statuspage-text.md describes the
 * accepted text, the zone table, the ids and the errors: keep the two in
 * step.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "import.h"
#include "lex.h"
#include "utf8.h"
#include "xmalloc.h"
#include "zone.h"

#define SPT_INCIDENT	"statuspage-text:incident:"
#define SPT_UPDATE	"statuspage-text:update:"

#define HM(h, m)	((h) * 3600 + (m) * 60)

/*
 * The labels a page puts above an update. The maintenance labels take
 * the states the JSON importer gives them (formats/import_statuspage.c),
 * so that both importers agree. pmtool has no postmortem state: the
 * postmortem is published as one more update.
 */
static const struct {
	const char		*label;
	const char		*id;		/* in event ids */
	enum status_state	 state;
	int			 maintenance;
} sp_words[] = {
	{ "Investigating", "investigating", ST_INVESTIGATING, 0 },
	{ "Identified",	   "identified",    ST_IDENTIFIED,    0 },
	{ "Update",	   "update",	    ST_UPDATE,	      0 },
	{ "Monitoring",	   "monitoring",    ST_MONITORING,    0 },
	{ "Resolved",	   "resolved",	    ST_RESOLVED,      0 },
	{ "Postmortem",	   "postmortem",    ST_UPDATE,	      0 },
	{ "Scheduled",	   "scheduled",	    ST_INVESTIGATING, 1 },
	{ "In progress",   "in-progress",   ST_IDENTIFIED,    1 },
	{ "Verifying",	   "verifying",	    ST_MONITORING,    1 },
	{ "Completed",	   "completed",	    ST_RESOLVED,      1 },
};
#define NWORDS	(sizeof sp_words / sizeof sp_words[0])

/*
 * Zone abbreviations (formats/import-statuspage-text.md has the same
 * table). A row with several meanings is ambiguous: it needs --tz. zone
 * is the guess for the incident's zone when --tz is not given (NULL: no
 * guess); fixed rows name an instant whatever --tz says.
 */
struct zabbr {
	const char	*abbr;
	const char	*zone;
	int		 fixed;
	size_t		 nmean;
	struct {
		int32_t		 off;
		const char	*where;
	} mean[3];
};

static const struct zabbr zabbrs[] = {
	{ "ACDT", "Australia/Adelaide",	 0, 1, { { HM(10, 30), NULL } } },
	{ "ACST", "Australia/Adelaide",	 0, 1, { { HM(9, 30), NULL } } },
	{ "ADT",  "America/Halifax",	 0, 1, { { -HM(3, 0), NULL } } },
	{ "AEDT", "Australia/Sydney",	 0, 1, { { HM(11, 0), NULL } } },
	{ "AEST", "Australia/Sydney",	 0, 1, { { HM(10, 0), NULL } } },
	{ "AKDT", "America/Anchorage",	 0, 1, { { -HM(8, 0), NULL } } },
	{ "AKST", "America/Anchorage",	 0, 1, { { -HM(9, 0), NULL } } },
	{ "AST",  NULL,			 0, 2, { { -HM(4, 0), "Atlantic" },
	    { HM(3, 0), "Arabia" } } },
	{ "AWST", "Australia/Perth",	 0, 1, { { HM(8, 0), NULL } } },
	{ "BST",  NULL,			 0, 2, { { HM(1, 0), "British Summer" },
	    { HM(6, 0), "Bangladesh" } } },
	{ "CAT",  "Africa/Maputo",	 0, 1, { { HM(2, 0), NULL } } },
	{ "CDT",  "America/Chicago",	 0, 1, { { -HM(5, 0), NULL } } },
	{ "CEST", "Europe/Berlin",	 0, 1, { { HM(2, 0), NULL } } },
	{ "CET",  "Europe/Berlin",	 0, 1, { { HM(1, 0), NULL } } },
	{ "CST",  NULL,			 0, 3, { { -HM(6, 0), "US Central" },
	    { HM(8, 0), "China" }, { -HM(5, 0), "Cuba" } } },
	{ "EAT",  "Africa/Nairobi",	 0, 1, { { HM(3, 0), NULL } } },
	{ "EDT",  "America/New_York",	 0, 1, { { -HM(4, 0), NULL } } },
	{ "EEST", NULL,			 0, 1, { { HM(3, 0), NULL } } },
	{ "EET",  NULL,			 0, 1, { { HM(2, 0), NULL } } },
	{ "EST",  "America/New_York",	 0, 1, { { -HM(5, 0), NULL } } },
	{ "GMT",  "UTC",		 1, 1, { { 0, NULL } } },
	{ "HKT",  "Asia/Hong_Kong",	 0, 1, { { HM(8, 0), NULL } } },
	{ "HST",  "Pacific/Honolulu",	 0, 1, { { -HM(10, 0), NULL } } },
	{ "IST",  NULL,			 0, 3, { { HM(5, 30), "India" },
	    { HM(1, 0), "Ireland" }, { HM(2, 0), "Israel" } } },
	{ "JST",  "Asia/Tokyo",		 0, 1, { { HM(9, 0), NULL } } },
	{ "KST",  "Asia/Seoul",		 0, 1, { { HM(9, 0), NULL } } },
	{ "MDT",  "America/Denver",	 0, 1, { { -HM(6, 0), NULL } } },
	{ "MSK",  "Europe/Moscow",	 0, 1, { { HM(3, 0), NULL } } },
	{ "MST",  "America/Denver",	 0, 1, { { -HM(7, 0), NULL } } },
	{ "NZDT", "Pacific/Auckland",	 0, 1, { { HM(13, 0), NULL } } },
	{ "NZST", "Pacific/Auckland",	 0, 1, { { HM(12, 0), NULL } } },
	{ "PDT",  "America/Los_Angeles", 0, 1, { { -HM(7, 0), NULL } } },
	{ "PST",  "America/Los_Angeles", 0, 1, { { -HM(8, 0), NULL } } },
	{ "SAST", "Africa/Johannesburg", 0, 1, { { HM(2, 0), NULL } } },
	{ "SGT",  "Asia/Singapore",	 0, 1, { { HM(8, 0), NULL } } },
	{ "UTC",  "UTC",		 1, 1, { { 0, NULL } } },
	{ "WAT",  "Africa/Lagos",	 0, 1, { { HM(1, 0), NULL } } },
	{ "WEST", "Europe/Lisbon",	 0, 1, { { HM(1, 0), NULL } } },
	{ "WET",  "Europe/Lisbon",	 0, 1, { { 0, NULL } } },
};

static const char *const sp_months[12] = { "January", "February", "March",
    "April", "May", "June", "July", "August", "September", "October",
    "November", "December" };

/* One line of the input, without its line end. */
struct line {
	const char	*s;
	size_t		 len;
};

/* One update as the page shows it. */
struct update {
	size_t		 word;		/* index in sp_words */
	unsigned	 lineno;	/* of its label */
	const char	*first;		/* text after "Label - ", or NULL */
	size_t		 firstlen;
	size_t		 from, to;	/* its other text: lines [from, to) */
	struct tstamp	 at;
	const char	*zone;		/* the zone its abbreviation suggests */
};

struct page {
	const char	*name;
	const char	*tz;		/* --tz, or NULL */
	struct line	*lines;
	size_t		 nlines;
	struct update	*v;		/* in page order: newest first */
	size_t		 n;
	unsigned	 heading;	/* first heading line, 0 if none */
	unsigned	 report;	/* "Incident Report for" line, or 0 */
	unsigned	 above_report;	/* the heading line above it, or 0 */
	unsigned	*affected;	/* "This incident affected:" lines */
	size_t		 naffected;
	int		 maintenance;
};

/* What a line is. */
enum line_kind {
	LK_BLANK,
	LK_TEXT,
	LK_LABEL,	/* a label on its own: "Resolved" */
	LK_ONELINE,	/* "Resolved - text" */
	LK_POSTED,	/* "Posted Jun 07, 2020 - 01:58 PDT" */
	LK_REPORT,	/* "Incident Report for Example" */
	LK_AFFECTED	/* "This incident affected: A and B." */
};

/* What the zone of a Posted line says. */
struct zinfo {
	int		 given;		/* 0: the line has no zone */
	int		 fixed;		/* an offset that needs no zone */
	int32_t		 off;		/* when fixed */
	const struct zabbr *za;		/* the abbreviation's row, or NULL */
	char		 word[32];	/* as written, for messages */
};

static int	page_error(const struct page *, unsigned, size_t,
		    const char *, ...) __attribute__((format(printf, 4, 5)));

/* Report at byte offset byte of line lineno (1-based). */
static int
page_error(const struct page *pg, unsigned lineno, size_t byte,
    const char *fmt, ...)
{
	const char	*s = "";
	size_t		 len = 0;
	va_list		 ap;
	char		 msg[1024];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (lineno >= 1 && lineno <= pg->nlines) {
		s = pg->lines[lineno - 1].s;
		len = pg->lines[lineno - 1].len;
	}
	return lex_error(pg->name, lineno, s, len, byte, "%s", msg);
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* "+05:30" into out (8 bytes). */
static void
format_offset(char *out, size_t size, int32_t off)
{
	int32_t	 a = off < 0 ? -off : off;

	snprintf(out, size, "%c%02d:%02d", off < 0 ? '-' : '+',
	    (int)(a / 3600), (int)(a / 60 % 60));
}

/* "-08:00", or "India +05:30, Ireland +01:00, Israel +02:00". */
static void
format_meanings(char *out, size_t size, const struct zabbr *za)
{
	size_t	 i, len;
	char	 o[16];

	out[0] = '\0';
	for (i = 0; i < za->nmean; i++) {
		format_offset(o, sizeof o, za->mean[i].off);
		len = strlen(out);
		snprintf(out + len, size - len, "%s%s%s%s", i > 0 ? ", " : "",
		    za->mean[i].where != NULL ? za->mean[i].where : "",
		    za->mean[i].where != NULL ? " " : "", o);
	}
}

static int
zabbr_means(const struct zabbr *za, int32_t off)
{
	size_t	 i;

	for (i = 0; za != NULL && i < za->nmean; i++)
		if (za->mean[i].off == off)
			return 1;
	return 0;
}

static void
set_stamp(struct tstamp *out, int64_t t, int32_t off)
{
	out->t = t;
	out->off = off;
	out->zulu = off == 0;
}

/* Cut the input into lines: a UTF-8 byte order mark and CRs before LF
 * go. */
static void
split_lines(struct page *pg, const char *buf, size_t len)
{
	const char	*p = buf, *end = buf + len, *nl;
	struct line	*ln;

	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		pg->lines = xreallocarray(pg->lines, pg->nlines + 1,
		    sizeof *pg->lines);
		ln = &pg->lines[pg->nlines++];
		ln->s = p;
		ln->len = (size_t)((nl != NULL ? nl : end) - p);
		if (ln->len > 0 && p[ln->len - 1] == '\r')
			ln->len--;
		p = nl != NULL ? nl + 1 : end;
	}
}

static int
check_utf8(const struct page *pg, unsigned lineno)
{
	const struct line	*ln = &pg->lines[lineno - 1];
	uint32_t		 cp;
	size_t			 i = 0;
	int			 n;

	while (i < ln->len) {
		if ((n = utf8_decode(ln->s + i, ln->len - i, &cp)) < 0)
			return page_error(pg, lineno, i, "invalid UTF-8");
		i += (size_t)n;
	}
	return 0;
}

/*
 * After "Posted", its blanks and the relative time some captures show
 * ("Posted 3 years ago. Jun 07, 2020 - ..."): the index of the date.
 * s[i..n) starts with "Posted".
 */
static size_t
posted_date(const char *s, size_t n, size_t i)
{
	const char	*dot;
	size_t		 j;

	i = lex_skip_space(s, n, i + 6);
	dot = memchr(s + i, '.', n - i);
	if (dot != NULL) {
		j = (size_t)(dot - s);
		if (j >= i + 4 && memcmp(s + j - 3, "ago", 3) == 0 &&
		    is_blank(s[j - 4]))
			i = lex_skip_space(s, n, j + 1);
	}
	return i;
}

/*
 * A Posted line: "Posted", a blank, then a word of three letters or more,
 * blanks and a digit. The shape is loose on purpose, so that a bad month
 * or time is reported rather than taken as text; "Posted a fix" is text.
 */
static int
is_posted(const char *s, size_t n, size_t i)
{
	size_t	 j;

	if (n - i < 7 || strncasecmp(s + i, "Posted", 6) != 0 ||
	    !is_blank(s[i + 6]))
		return 0;
	i = j = posted_date(s, n, i);
	while (j < n && is_alpha(s[j]))
		j++;
	if (j - i < 3 || j >= n || !is_blank(s[j]))
		return 0;
	j = lex_skip_space(s, n, j);
	return j < n && is_digit(s[j]);
}

static int
has_prefix(const char *s, size_t n, const char *prefix)
{
	size_t	 len = strlen(prefix);

	return n >= len && strncasecmp(s, prefix, len) == 0;
}

/*
 * What line i is. For a label, *word is its row in sp_words and *rest
 * the index where the one-line form's text starts (else the line's
 * end).
 */
static enum line_kind
classify(const struct page *pg, size_t i, size_t *word, size_t *rest)
{
	const char	*s = pg->lines[i].s;
	size_t		 n = pg->lines[i].len, b, e, w, len, j;

	b = lex_skip_space(s, n, 0);
	e = n;
	while (e > b && is_blank(s[e - 1]))
		e--;
	if (b == e)
		return LK_BLANK;
	for (w = 0; w < NWORDS; w++) {
		len = strlen(sp_words[w].label);
		if (e - b < len || strncasecmp(s + b, sp_words[w].label,
		    len) != 0)
			continue;
		*word = w;
		*rest = e;
		if (e - b == len)
			return LK_LABEL;
		if (!is_blank(s[b + len]))
			continue;
		j = lex_skip_space(s, e, b + len);
		if (s[j] == '-' && (j + 1 == e || is_blank(s[j + 1]))) {
			*rest = lex_skip_space(s, e, j + 1);
			return LK_ONELINE;
		}
	}
	if (is_posted(s, e, b))
		return LK_POSTED;
	if (has_prefix(s + b, e - b, "Incident Report for ") ||
	    has_prefix(s + b, e - b, "Scheduled Maintenance Report for "))
		return LK_REPORT;
	if (has_prefix(s + b, e - b, "This incident affected:") ||
	    has_prefix(s + b, e - b, "This scheduled maintenance affected:"))
		return LK_AFFECTED;
	return LK_TEXT;
}

/* 1 when the next line that is not blank after line i is a report
 * line: a label just above "Incident Report for" is the title. */
static int
title_follows(const struct page *pg, size_t i)
{
	size_t	 w, r;

	while (++i < pg->nlines) {
		switch (classify(pg, i, &w, &r)) {
		case LK_BLANK:
			continue;
		case LK_REPORT:
			return 1;
		default:
			return 0;
		}
	}
	return 0;
}

/* Read up to max digits at s[*i]; returns how many. */
static size_t
read_num(const char *s, size_t n, size_t *i, size_t max, int *v)
{
	size_t	 k = 0;

	*v = 0;
	while (k < max && *i < n && is_digit(s[*i])) {
		*v = *v * 10 + (s[*i] - '0');
		(*i)++;
		k++;
	}
	return k;
}

static int
month_number(const char *s, size_t n)
{
	int	 m;

	for (m = 0; m < 12; m++)
		if ((n == 3 || n == strlen(sp_months[m])) &&
		    strncasecmp(s, sp_months[m], n) == 0)
			return m + 1;
	if (n == 4 && strncasecmp(s, "Sept", 4) == 0)
		return 9;
	return 0;
}

/*
 * "+05:30", "+0530", "+05" (and "+5", "+5:30" when short_ok: after "UTC"
 * or "GMT"), at most 14 hours.
 */
static int
parse_offset(int32_t *out, const char *s, size_t n, int short_ok)
{
	size_t	 i = 1, nh;
	int	 h, m = 0;

	if (n < 2 || (s[0] != '+' && s[0] != '-'))
		return -1;
	nh = read_num(s, n, &i, 2, &h);
	if (nh == 0 || (nh == 1 && !short_ok))
		return -1;
	if (i < n && s[i] == ':')
		i++;
	else if (i < n && nh != 2)
		return -1;
	if (i < n && read_num(s, n, &i, 2, &m) != 2)
		return -1;
	if (i != n || m > 59 || h * 60 + m > 14 * 60)
		return -1;
	*out = (s[0] == '-' ? -1 : 1) * HM(h, m);
	return 0;
}

/* The zone of a Posted line, s[0..n) (n is 0 when there is none). */
static int
read_zone(struct zinfo *z, const char *s, size_t n)
{
	size_t	 i;

	memset(z, 0, sizeof *z);
	snprintf(z->word, sizeof z->word, "%.*s", (int)n, s);
	if (n == 0)
		return 0;
	z->given = 1;
	for (i = 0; i < n && is_alpha(s[i]); i++)
		continue;
	if (i == n) {
		for (i = 0; i < sizeof zabbrs / sizeof zabbrs[0]; i++)
			if (strlen(zabbrs[i].abbr) == n &&
			    strncasecmp(zabbrs[i].abbr, s, n) == 0)
				z->za = &zabbrs[i];
		if (z->za != NULL && z->za->fixed) {
			z->fixed = 1;
			z->off = z->za->mean[0].off;
		}
		return 0;
	}
	z->fixed = 1;
	if (n > 3 && (strncasecmp(s, "UTC", 3) == 0 ||
	    strncasecmp(s, "GMT", 3) == 0))
		return parse_offset(&z->off, s + 3, n - 3, 1);
	return parse_offset(&z->off, s, n, 0);
}

/* Add off to the n offsets in v unless it is there. */
static void
add_offset(int32_t *v, size_t *n, int32_t off)
{
	size_t	 i;

	for (i = 0; i < *n; i++)
		if (v[i] == off)
			return;
	v[(*n)++] = off;
}

/*
 * An abbreviation read in tz. The offsets it may stand for are the
 * table's, and whatever offset tz has when tz itself writes that
 * abbreviation then (Asia/Manila's "PST"). Exactly one of them must give
 * a reading of c that tz agrees with: so "01:30 PDT" and "01:30 PST" are
 * both fine on the night the clocks go back, while a time in a gap or a
 * time the abbreviation cannot pin down is the error
 * zone_local_to_time() gives.
 */
static int
abbr_in_zone(struct tstamp *out, const char *tz, const struct civil *c,
    const struct zinfo *z)
{
	struct tstamp	 ts;
	int32_t		 cand[5], off, found_off = 0;
	int64_t		 t, found = 0;
	size_t		 ncand = 0, i, nfound = 0;
	int		 unique;
	char		 abbr[ZONE_ABBR_MAX], msg[512], o[16], m[160];

	unique = zone_local_to_time(&ts, tz, c) == 0;
	if (!unique)
		snprintf(msg, sizeof msg, "%s", pm_error_last());
	for (i = 0; z->za != NULL && i < z->za->nmean; i++)
		add_offset(cand, &ncand, z->za->mean[i].off);
	if (unique)
		add_offset(cand, &ncand, ts.off);
	else {
		t = civil_to_time(c, 0);
		if (zone_offset_at(&off, tz, t - 86400, NULL) < 0)
			return -1;
		add_offset(cand, &ncand, off);
		if (zone_offset_at(&off, tz, t + 86400, NULL) < 0)
			return -1;
		add_offset(cand, &ncand, off);
	}
	for (i = 0; i < ncand; i++) {
		t = civil_to_time(c, cand[i]);
		if (zone_offset_at(&off, tz, t, abbr) < 0)
			return -1;
		if (off != cand[i] || (!zabbr_means(z->za, off) &&
		    strcasecmp(abbr, z->word) != 0))
			continue;
		found = t;
		found_off = off;
		nfound++;
	}
	if (nfound == 1) {
		set_stamp(out, found, found_off);
		return 0;
	}
	if (!unique)
		return pm_error_set("zone abbreviation '%s' in %s: %s",
		    z->word, tz, msg);
	if (zone_offset_at(&off, tz, ts.t, abbr) < 0)
		return -1;
	format_offset(o, sizeof o, off);
	if (z->za == NULL)
		return pm_error_set("zone abbreviation '%s' is not known, and "
		    "%s is at %s (%s) then", z->word, tz, o, abbr);
	format_meanings(m, sizeof m, z->za);
	return pm_error_set("zone abbreviation '%s' (%s) does not fit %s, "
	    "which is at %s (%s) then", z->word, m, tz, o, abbr);
}

/* The instant of c, as the zone z of its Posted line and --tz (tz,
 * or NULL) say. */
static int
resolve_time(struct update *u, const char *tz, const struct civil *c,
    const struct zinfo *z)
{
	char	 m[160];

	if (z->fixed) {
		set_stamp(&u->at, civil_to_time(c, z->off), z->off);
		u->zone = z->za != NULL ? z->za->zone : NULL;
		return 0;
	}
	if (tz != NULL && !z->given)
		return zone_local_to_time(&u->at, tz, c);
	if (tz != NULL)
		return abbr_in_zone(&u->at, tz, c, z);
	if (!z->given)
		return pm_error_set("no time zone after the time: give --tz "
		    "ZONE");
	if (z->za == NULL)
		return pm_error_set("zone abbreviation '%s' is not known: give "
		    "--tz ZONE", z->word);
	if (z->za->nmean > 1) {
		format_meanings(m, sizeof m, z->za);
		return pm_error_set("zone abbreviation '%s' is ambiguous (%s): "
		    "give --tz ZONE", z->word, m);
	}
	set_stamp(&u->at, civil_to_time(c, z->za->mean[0].off),
	    z->za->mean[0].off);
	u->zone = z->za->zone;
	return 0;
}

/* "Jun 07, 2020" of a Posted line, from s[*i]. */
static int
read_date(const struct page *pg, unsigned lineno, size_t *i,
    struct civil *c)
{
	const char	*s = pg->lines[lineno - 1].s;
	size_t		 n = pg->lines[lineno - 1].len, m0, d0, y0;

	m0 = *i;
	while (*i < n && is_alpha(s[*i]))
		(*i)++;
	if ((c->mon = month_number(s + m0, *i - m0)) == 0)
		return page_error(pg, lineno, m0, "bad month '%.*s': "
		    "expected Jan, Feb, ... or Dec", (int)(*i - m0), s + m0);
	d0 = *i = lex_skip_space(s, n, *i);
	if (read_num(s, n, i, 2, &c->day) == 0 || (*i < n &&
	    is_digit(s[*i])))
		return page_error(pg, lineno, d0, "expected the day of the "
		    "month after the month");
	*i = lex_skip_space(s, n, *i);
	if (*i >= n || s[*i] != ',')
		return page_error(pg, lineno, *i, "expected ',' after the "
		    "day");
	y0 = *i = lex_skip_space(s, n, *i + 1);
	if (read_num(s, n, i, 4, &c->year) != 4 || (*i < n &&
	    is_digit(s[*i])))
		return page_error(pg, lineno, y0, "expected a four-digit "
		    "year");
	if (c->year < 1970)
		return page_error(pg, lineno, y0, "year %d is before 1970",
		    c->year);
	if (!civil_valid(c))
		return page_error(pg, lineno, d0, "%s %d has no day %d",
		    sp_months[c->mon - 1], c->year, c->day);
	return 0;
}

/* " - 01:58" or " - 01:58:30" of a Posted line, from s[*i]. */
static int
read_clock(const struct page *pg, unsigned lineno, size_t *i,
    struct civil *c)
{
	const char	*s = pg->lines[lineno - 1].s;
	size_t		 n = pg->lines[lineno - 1].len, h0, m0, s0 = 0;

	*i = lex_skip_space(s, n, *i);
	if (*i >= n || s[*i] != '-')
		return page_error(pg, lineno, *i, "expected ' - ' between the "
		    "date and the time");
	h0 = *i = lex_skip_space(s, n, *i + 1);
	if (read_num(s, n, i, 2, &c->hour) == 0 || *i >= n || s[*i] != ':')
		return page_error(pg, lineno, h0, "expected the time as "
		    "HH:MM");
	m0 = ++(*i);
	if (read_num(s, n, i, 2, &c->min) != 2)
		return page_error(pg, lineno, h0, "expected the time as "
		    "HH:MM");
	if (*i < n && s[*i] == ':') {
		s0 = ++(*i);
		if (read_num(s, n, i, 2, &c->sec) != 2)
			return page_error(pg, lineno, h0, "expected the time "
			    "as HH:MM or HH:MM:SS");
	}
	if (*i < n && is_digit(s[*i]))
		return page_error(pg, lineno, h0, "expected the time as "
		    "HH:MM");
	if (c->hour > 23)
		return page_error(pg, lineno, h0, "bad hour %d: hours go from "
		    "00 to 23", c->hour);
	if (c->min > 59)
		return page_error(pg, lineno, m0, "bad minute %d", c->min);
	if (c->sec > 59)
		return page_error(pg, lineno, s0, "bad second %d", c->sec);
	return 0;
}

/* The Posted line lineno closes update u: its time. */
static int
read_posted(const struct page *pg, unsigned lineno, struct update *u)
{
	const char	*s = pg->lines[lineno - 1].s;
	size_t		 n = pg->lines[lineno - 1].len, i, z0, z1, k;
	struct civil	 c;
	struct zinfo	 z;

	memset(&c, 0, sizeof c);
	i = posted_date(s, n, lex_skip_space(s, n, 0));
	if (read_date(pg, lineno, &i, &c) < 0 ||
	    read_clock(pg, lineno, &i, &c) < 0)
		return -1;
	z0 = lex_skip_space(s, n, i);
	z1 = lex_word_end(s, n, z0);
	if ((k = lex_skip_space(s, n, z1)) < n)
		return page_error(pg, lineno, k, "unexpected text after the "
		    "time zone");
	if (read_zone(&z, s + z0, z1 - z0) < 0)
		return page_error(pg, lineno, z0, "bad time zone '%s': "
		    "expected an abbreviation such as PDT, or an offset such "
		    "as UTC+02:00 or +0200", z.word);
	if (resolve_time(u, pg->tz, &c, &z) < 0)
		return page_error(pg, lineno, z0, "%s", pm_error_last());
	return 0;
}

static struct update *
add_update(struct page *pg, size_t word, size_t i, enum line_kind k,
    size_t rest)
{
	struct update	*u;

	pg->v = xreallocarray(pg->v, pg->n + 1, sizeof *pg->v);
	u = &pg->v[pg->n++];
	memset(u, 0, sizeof *u);
	u->word = word;
	u->lineno = (unsigned)i + 1;
	if (k == LK_ONELINE) {
		u->first = pg->lines[i].s + rest;
		u->firstlen = pg->lines[i].len - rest;
	}
	u->from = u->to = i + 1;
	if (sp_words[word].maintenance)
		pg->maintenance = 1;
	return u;
}

/* The error of an update whose label line is not followed by a Posted
 * line: next is the line of the label that follows, 0 at the end. */
static int
no_posted(const struct page *pg, const struct update *u, unsigned next)
{
	const struct line	*ln = &pg->lines[u->lineno - 1];
	size_t			 b = lex_skip_space(ln->s, ln->len, 0);
	int			 w = (int)strlen(sp_words[u->word].label);

	if (next == 0)
		return page_error(pg, u->lineno, b, "'%.*s' is not followed "
		    "by a 'Posted MON DD, YYYY - HH:MM ZONE' line: the text "
		    "ends first (is it cut short?)", w, ln->s + b);
	return page_error(pg, u->lineno, b, "'%.*s' is not followed by a "
	    "'Posted MON DD, YYYY - HH:MM ZONE' line before line %u, which "
	    "starts another update (a label on a line of its own)", w,
	    ln->s + b, next);
}

/* A line above the first update. */
static void
add_heading(struct page *pg, enum line_kind k, unsigned lineno,
    unsigned *last)
{
	if (k == LK_REPORT && pg->report == 0) {
		pg->report = lineno;
		pg->above_report = *last;
		return;
	}
	if (pg->heading == 0)
		pg->heading = lineno;
	*last = lineno;
}

/* A "This incident affected:" line after the updates. */
static void
add_affected(struct page *pg, unsigned lineno)
{
	const struct line	*ln = &pg->lines[lineno - 1];
	size_t			 b = lex_skip_space(ln->s, ln->len, 0);

	pg->affected = xreallocarray(pg->affected, pg->naffected + 1,
	    sizeof *pg->affected);
	pg->affected[pg->naffected++] = lineno;
	if (has_prefix(ln->s + b, ln->len - b, "This scheduled"))
		pg->maintenance = 1;
}

/*
 * Walk the lines: heading lines, then updates (a label, text, a Posted
 * line), then the affected line and page chrome. Every error is reported
 * where it is met, so the first one in the text wins.
 */
static int
read_updates(struct page *pg)
{
	enum { HEAD, BODY, AFTER } where = HEAD;
	enum line_kind	 k;
	struct update	*u = NULL;
	size_t		 i, word = 0, rest = 0;
	unsigned	 lineno, stray = 0, last = 0;

	for (i = 0; i < pg->nlines; i++) {
		lineno = (unsigned)i + 1;
		if (check_utf8(pg, lineno) < 0)
			return -1;
		if ((k = classify(pg, i, &word, &rest)) == LK_BLANK)
			continue;
		if (where == BODY) {
			if (k == LK_LABEL)
				return no_posted(pg, u, lineno);
			if (k != LK_POSTED)
				continue;
			if (read_posted(pg, lineno, u) < 0)
				return -1;
			u->to = i;
			where = AFTER;
			stray = 0;
			continue;
		}
		/* Text, then a Posted line: an update without its label. */
		if ((k == LK_POSTED || k == LK_LABEL || k == LK_ONELINE) &&
		    stray != 0 && where == AFTER)
			return page_error(pg, stray, lex_skip_space(
			    pg->lines[stray - 1].s, pg->lines[stray - 1].len,
			    0), "text between two updates: expected a label "
			    "such as 'Update' on its own line");
		if (k == LK_POSTED)
			return page_error(pg, lineno, lex_skip_space(
			    pg->lines[i].s, pg->lines[i].len, 0), "a 'Posted' "
			    "line with no update above it (a label such as "
			    "'Investigating' on its own line, then the text)");
		if ((k == LK_LABEL || k == LK_ONELINE) && (where == AFTER ||
		    !title_follows(pg, i))) {
			u = add_update(pg, word, i, k, rest);
			where = BODY;
			continue;
		}
		if (where == HEAD)
			add_heading(pg, k, lineno, &last);
		else {
			if (k == LK_AFFECTED)
				add_affected(pg, lineno);
			if (stray == 0)
				stray = lineno;
		}
	}
	if (where == BODY)
		return no_posted(pg, u, 0);
	if (pg->n == 0)
		return page_error(pg, 1, 0, "no update found: expected a label "
		    "(Investigating, Identified, Update, Monitoring, Resolved "
		    "or Postmortem) on a line of its own, the text, then "
		    "'Posted MON DD, YYYY - HH:MM ZONE'");
	return 0;
}

/* The title: --title, else the heading line above "Incident Report
 * for", else the first heading line. A new string. */
static int
read_title(char **out, const struct page *pg, const char *title)
{
	const struct line	*ln;
	unsigned		 lineno;

	if (title != NULL) {
		*out = import_clean_line(title, strlen(title));
		if (**out != '\0')
			return 0;
		free(*out);
		return pm_error_set("%s: error: the --title given is empty",
		    pg->name);
	}
	lineno = pg->report != 0 ? pg->above_report : pg->heading;
	if (lineno != 0) {
		ln = &pg->lines[lineno - 1];
		*out = import_clean_line(ln->s, ln->len);
		if (**out != '\0')
			return 0;
		free(*out);
	}
	if (pg->report != 0)
		return page_error(pg, pg->report, 0, "no title above the "
		    "'Incident Report for' line: give --title TITLE");
	return page_error(pg, pg->v[0].lineno, 0, "no title: the text has "
	    "no heading line above its first update; give --title TITLE");
}

/* The next ',' (or " and " when and_word) outside parentheses and
 * brackets, from s[i]: its index, or n. */
static size_t
list_sep(const char *s, size_t n, size_t i, int and_word)
{
	int	 depth = 0;

	for (; i < n; i++) {
		if (s[i] == '(' || s[i] == '[')
			depth++;
		else if ((s[i] == ')' || s[i] == ']') && depth > 0)
			depth--;
		else if (depth == 0 && !and_word && s[i] == ',')
			return i;
		else if (depth == 0 && and_word && n - i >= 5 &&
		    memcmp(s + i, " and ", 5) == 0)
			return i;
	}
	return n;
}

static void
add_service(struct import_incident *inc, const char *s, size_t n)
{
	char	*name;

	lex_trim(&s, &n);
	name = import_clean_line(s, n);
	if (*name != '\0')
		import_add_service(inc, name);
	free(name);
}

/*
 * "This incident affected: A, B (x, y), and C." The list is Rails'
 * to_sentence: "A", "A and B", "A, B, and C". Commas inside parentheses
 * belong to a name (a component group lists its components so).
 */
static void
add_services(struct import_incident *inc, const struct line *ln)
{
	const char	*s, *p;
	size_t		 n, i = 0, j, len;

	/* classify() saw the colon. */
	s = (const char *)memchr(ln->s, ':', ln->len) + 1;
	n = ln->len - (size_t)(s - ln->s);
	lex_trim(&s, &n);
	if (n > 0 && s[n - 1] == '.')
		n--;
	if (list_sep(s, n, 0, 0) == n) {
		j = list_sep(s, n, 0, 1);
		add_service(inc, s, j);
		if (j < n)
			add_service(inc, s + j + 5, n - j - 5);
		return;
	}
	for (;;) {
		j = list_sep(s, n, i, 0);
		p = s + i;
		len = j - i;
		lex_trim(&p, &len);
		if (j == n && len > 4 && strncmp(p, "and ", 4) == 0) {
			p += 4;
			len -= 4;
		}
		add_service(inc, p, len);
		if (j == n)
			break;
		i = j + 1;
	}
}

/* An update's text: after "Label - ", then its lines, without blank
 * lines at either end. A new string. */
static char *
update_text(const struct page *pg, const struct update *u)
{
	struct buf	 b = BUF_INIT;
	size_t		 from = u->from, to = u->to, i;
	char		*text;

	while (to > from && lex_is_blank(pg->lines[to - 1].s,
	    pg->lines[to - 1].len))
		to--;
	if (u->first != NULL && !lex_is_blank(u->first, u->firstlen)) {
		buf_add(&b, u->first, u->firstlen);
		if (from < to)
			buf_addc(&b, '\n');
	} else
		while (from < to && lex_is_blank(pg->lines[from].s,
		    pg->lines[from].len))
			from++;
	for (i = from; i < to; i++) {
		buf_add(&b, pg->lines[i].s, pg->lines[i].len);
		if (i + 1 < to)
			buf_addc(&b, '\n');
	}
	text = import_clean_text(b.data != NULL ? b.data : "", b.len);
	buf_free(&b);
	return text;
}

/*
 * Without --tz: the zone the abbreviations suggest, when they all
 * suggest the same one and it gives every Posted time the offset the
 * page wrote; else UTC. A new string.
 */
static char *
guess_zone(const struct page *pg)
{
	const char	*zone = NULL;
	int32_t		 off;
	size_t		 i;

	for (i = 0; i < pg->n; i++) {
		if (pg->v[i].zone == NULL || (zone != NULL &&
		    strcmp(zone, pg->v[i].zone) != 0))
			return xstrdup("UTC");
		zone = pg->v[i].zone;
	}
	for (i = 0; i < pg->n; i++)
		if (zone_offset_at(&off, zone, pg->v[i].at.t, NULL) < 0 ||
		    off != pg->v[i].at.off)
			return xstrdup("UTC");
	return xstrdup(zone);
}

static void
utc_string(char out[TSTAMP_RFC3339_MAX], int64_t t)
{
	struct tstamp	 ts;

	set_stamp(&ts, t, 0);
	tstamp_format_rfc3339(out, ts);
}

/*
 * The events, oldest (lowest on the page) first. An event's id is its
 * time, label and how many updates below it on the page share both, so
 * that a newer copy of the page, with updates added on top, gives the
 * updates it shares with an older copy the same ids.
 */
static void
add_events(struct import_incident *inc, const struct page *pg)
{
	const struct update	*u;
	struct import_event	*e;
	size_t			 i, j, nth;
	char			 utc[TSTAMP_RFC3339_MAX], *id;

	for (i = pg->n; i-- > 0;) {
		u = &pg->v[i];
		nth = 1;
		for (j = pg->n - 1; j > i; j--)
			if (pg->v[j].at.t == u->at.t &&
			    pg->v[j].word == u->word)
				nth++;
		utc_string(utc, u->at.t);
		id = xasprintf(SPT_UPDATE "%s:%s:%zu", utc,
		    sp_words[u->word].id, nth);
		e = import_add_event(inc, id, NULL);
		free(id);
		free(e->ev.text);
		e->ev.text = update_text(pg, u);
		e->ev.at = u->at;
		e->ev.kind = EV_STATUS;
		e->ev.state = sp_words[u->word].state;
	}
	import_sort_events(inc);
}

static void
build(struct import_incident *inc, const struct page *pg, char *title)
{
	char	 utc[TSTAMP_RFC3339_MAX];
	size_t	 i;

	inc->title = title;
	inc->severity = xstrdup(pg->maintenance ? "maintenance" : "");
	inc->zone = pg->tz != NULL ? xstrdup(pg->tz) : guess_zone(pg);
	for (i = 0; i < pg->naffected; i++)
		add_services(inc, &pg->lines[pg->affected[i] - 1]);
	add_events(inc, pg);
	utc_string(utc, inc->events[0].ev.at.t);
	inc->source_id = xasprintf(SPT_INCIDENT "%s:%s", title, utc);
}

int
import_statuspage_text(struct import_set *out, const char *name,
    const char *buf, size_t len, const char *tz, const char *title)
{
	struct page		 pg;
	struct import_set	 set = { NULL, 0 };
	char			*t = NULL;
	int			 rc = -1;

	memset(&pg, 0, sizeof pg);
	pg.name = name;
	pg.tz = tz;
	if (tz != NULL && zone_check(tz) < 0)
		return pm_error_wrap("%s: error: --tz", name);
	split_lines(&pg, buf, len);
	if (read_updates(&pg) < 0 || read_title(&t, &pg, title) < 0)
		goto out;
	build(import_add_incident(&set), &pg, t);
	*import_add_incident(out) = set.v[0];
	free(set.v);
	set.v = NULL;
	set.n = 0;
	rc = 0;
out:
	import_set_free(&set);
	free(pg.lines);
	free(pg.v);
	free(pg.affected);
	return rc;
}
