/*
 * export.c - the export formats of pmtool export (formats/export-format.md).
 *
 * All three writers read the same export_set and the same summaries
 * (core/stats.h, nearest-rank), so a figure in the report is the figure
 * in the JSON and the one a spreadsheet computes from the CSV.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "error.h"
#include "export.h"
#include "index.h"
#include "mustache.h"
#include "stats.h"
#include "tstamp.h"
#include "xmalloc.h"
#include "zone.h"

#define NO_GROUP	"(none)"

/* --- collecting -------------------------------------------------------- */

const char *
export_value_key(size_t i)
{
	return i < M__COUNT ? metric_key((enum metric)i) : "status_updates";
}

static char *
opt_strdup(const char *s)
{
	return xstrdup(s != NULL ? s : "");
}

/* "a, b" (as the index joins them) into owned strings. */
static void
split_services(struct export_incident *e, const char *joined)
{
	const char	*p = joined, *comma;
	size_t		 cap = 0;

	while (p != NULL && *p != '\0') {
		comma = strstr(p, ", ");
		if (e->nservices == cap) {
			cap = cap == 0 ? 4 : cap * 2;
			e->services = xreallocarray(e->services, cap,
			    sizeof *e->services);
		}
		e->services[e->nservices++] = comma != NULL ?
		    xstrndup(p, (size_t)(comma - p)) : xstrdup(p);
		p = comma != NULL ? comma + 2 : NULL;
	}
}

static int
collect_row(void *ctx, const struct index_period_row *r)
{
	struct export_set	*set = ctx;
	struct export_incident	*e;
	size_t			 i;

	if (r->excluded) {
		set->nexcluded++;
		return 0;
	}
	set->v = xreallocarray(set->v, set->n + 1, sizeof *set->v);
	e = &set->v[set->n++];
	memset(e, 0, sizeof *e);
	e->id = opt_strdup(r->id);
	e->title = opt_strdup(r->title);
	e->severity = opt_strdup(r->severity);
	e->severity_at_start = opt_strdup(r->declared_severity);
	e->peak_severity = opt_strdup(r->peak_severity);
	e->reopenings = r->reopenings;
	e->zone = opt_strdup(r->zone);
	split_services(e, r->services);
	e->open = r->state_open;
	e->start = r->start_utc;
	e->has_started = r->has_started;
	e->started = r->started_utc;
	e->has_detected = r->has_detected;
	e->detected = r->detected_utc;
	e->has_resolved = r->has_resolved;
	e->resolved = r->resolved_utc;
	for (i = 0; i < M__COUNT; i++) {
		e->has[i] = r->has[i];
		e->value[i] = r->value[i];
	}
	e->has[M__COUNT] = 1;
	e->value[M__COUNT] = r->status_updates;
	e->open_actions = r->open_actions;
	e->overdue_actions = r->overdue_actions;
	return 0;
}

int
export_collect(struct export_set *set, struct index *ix,
    const struct period *p, const char *today)
{
	memset(set, 0, sizeof *set);
	if (index_each_in_period(ix, p->from, p->to, today, collect_row,
	    set) != 0) {
		export_set_free(set);
		return -1;
	}
	return 0;
}

void
export_set_free(struct export_set *set)
{
	struct export_incident	*e;
	size_t			 i, j;

	for (i = 0; i < set->n; i++) {
		e = &set->v[i];
		free(e->id);
		free(e->title);
		free(e->severity);
		free(e->severity_at_start);
		free(e->peak_severity);
		free(e->zone);
		for (j = 0; j < e->nservices; j++)
			free(e->services[j]);
		free(e->services);
	}
	free(set->v);
	memset(set, 0, sizeof *set);
}

int
export_compliant(const struct export_incident *e, int64_t cadence_s)
{
	if (e->value[M__COUNT] < 1)
		return 0;
	return !e->has[M_MAX_GAP] || e->value[M_MAX_GAP] <= cadence_s;
}

/* --- summaries and groups ---------------------------------------------- */

/* Summaries of every value over the incidents sel[0..n) of set. */
static void
summarize(struct stats out[EXPORT_NVALUES], const struct export_set *set,
    const size_t *sel, size_t n)
{
	int64_t	*v = xcalloc(n + 1, sizeof *v);
	size_t	 i, k, m;

	for (k = 0; k < EXPORT_NVALUES; k++) {
		for (i = m = 0; i < n; i++)
			if (set->v[sel[i]].has[k])
				v[m++] = set->v[sel[i]].value[k];
		stats_summarize(&out[k], v, m);
	}
	free(v);
}

/* Every incident of set, as a selection. */
static size_t *
select_all(const struct export_set *set)
{
	size_t	*sel = xcalloc(set->n + 1, sizeof *sel), i;

	for (i = 0; i < set->n; i++)
		sel[i] = i;
	return sel;
}

struct group {
	char	*name;
	size_t	*sel;		/* indexes into the set */
	size_t	 n;
};

struct groups {
	struct group	*g;
	size_t		 n;
};

static void
group_add(struct groups *gs, const char *name, size_t i)
{
	struct group	*g = NULL;
	size_t		 k;

	for (k = 0; k < gs->n; k++)
		if (strcmp(gs->g[k].name, name) == 0)
			g = &gs->g[k];
	if (g == NULL) {
		gs->g = xreallocarray(gs->g, gs->n + 1, sizeof *gs->g);
		g = &gs->g[gs->n++];
		g->name = xstrdup(name);
		g->sel = NULL;
		g->n = 0;
	}
	/* An incident listing a service twice counts once. */
	if (g->n > 0 && g->sel[g->n - 1] == i)
		return;
	g->sel = xreallocarray(g->sel, g->n + 1, sizeof *g->sel);
	g->sel[g->n++] = i;
}

static int
group_cmp(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	/* "(none)" last; the rest by name. */
	if ((strcmp(x->name, NO_GROUP) == 0) != (strcmp(y->name, NO_GROUP) == 0))
		return strcmp(x->name, NO_GROUP) == 0 ? 1 : -1;
	return strcmp(x->name, y->name);
}

static void
make_groups(struct groups *gs, const struct export_set *set,
    enum export_by by)
{
	const struct export_incident *e;
	size_t	 i, j;

	memset(gs, 0, sizeof *gs);
	for (i = 0; i < set->n; i++) {
		e = &set->v[i];
		/* By the worst it has been: an incident escalated to SEV1
		 * and calmed down again counts as a SEV1. */
		if (by == EXPORT_BY_SEVERITY)
			group_add(gs, e->peak_severity[0] != '\0' ?
			    e->peak_severity : NO_GROUP, i);
		else if (by == EXPORT_BY_SERVICE) {
			for (j = 0; j < e->nservices; j++)
				group_add(gs, e->services[j], i);
			if (e->nservices == 0)
				group_add(gs, NO_GROUP, i);
		}
	}
	if (gs->n > 1)
		qsort(gs->g, gs->n, sizeof *gs->g, group_cmp);
}

static void
free_groups(struct groups *gs)
{
	size_t	 i;

	for (i = 0; i < gs->n; i++) {
		free(gs->g[i].name);
		free(gs->g[i].sel);
	}
	free(gs->g);
	memset(gs, 0, sizeof *gs);
}

/* --- times ------------------------------------------------------------- */

/* t as RFC 3339 at tz's offset then ("Z" in UTC). */
static void
format_time(char out[TSTAMP_RFC3339_MAX], int64_t t, const char *tz)
{
	struct tstamp	 ts;

	if (zone_stamp(&ts, tz, t) < 0) {
		memset(&ts, 0, sizeof ts);
		ts.t = t;
		ts.zulu = 1;
	}
	tstamp_format_rfc3339(out, ts);
}

/* --- CSV (RFC 4180) ---------------------------------------------------- */

static void
csv_field(struct buf *b, const char *s, int first)
{
	const char	*p;

	if (!first)
		buf_addc(b, ',');
	if (strpbrk(s, ",\"\r\n") == NULL) {
		buf_adds(b, s);
		return;
	}
	buf_addc(b, '"');
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			buf_addc(b, '"');
		buf_addc(b, *p);
	}
	buf_addc(b, '"');
}

static void
csv_time(struct buf *b, int has, int64_t t, const char *tz)
{
	char	 s[TSTAMP_RFC3339_MAX];

	if (has)
		format_time(s, t, tz);
	else
		s[0] = '\0';
	csv_field(b, s, 0);
}

static void
csv_int(struct buf *b, int has, int64_t v)
{
	if (has)
		buf_printf(b, ",%lld", (long long)v);
	else
		buf_addc(b, ',');
}

static char *
join_services(const struct export_incident *e, const char *sep)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	for (i = 0; i < e->nservices; i++)
		buf_printf(&b, "%s%s", i > 0 ? sep : "", e->services[i]);
	buf_adds(&b, "");
	return buf_detach(&b);
}

char *
export_csv(const struct export_set *set, const struct export_opts *o)
{
	const struct export_incident *e;
	struct buf	 b = BUF_INIT;
	char		*services;
	size_t		 i, k;

	buf_adds(&b, "id,title,severity,services,started,detected,resolved");
	for (k = 0; k < EXPORT_NVALUES; k++)
		buf_printf(&b, ",%s", export_value_key(k));
	buf_adds(&b, ",open_actions,overdue_actions,severity_at_start,"
	    "peak_severity,reopenings\r\n");
	for (i = 0; i < set->n; i++) {
		e = &set->v[i];
		services = join_services(e, ", ");
		csv_field(&b, e->id, 1);
		csv_field(&b, e->title, 0);
		csv_field(&b, e->severity, 0);
		csv_field(&b, services, 0);
		csv_time(&b, e->has_started, e->started, o->tz);
		csv_time(&b, e->has_detected, e->detected, o->tz);
		csv_time(&b, e->has_resolved, e->resolved, o->tz);
		for (k = 0; k < EXPORT_NVALUES; k++)
			csv_int(&b, e->has[k], e->value[k]);
		csv_int(&b, 1, e->open_actions);
		csv_int(&b, 1, e->overdue_actions);
		csv_field(&b, e->severity_at_start, 0);
		csv_field(&b, e->peak_severity, 0);
		csv_int(&b, 1, e->reopenings);
		buf_adds(&b, "\r\n");
		free(services);
	}
	return buf_detach(&b);
}

/* --- JSON -------------------------------------------------------------- */

static json_t *
json_time(int has, int64_t t, const char *tz)
{
	char	 s[TSTAMP_RFC3339_MAX];

	if (!has)
		return json_null();
	format_time(s, t, tz);
	return json_string(s);
}

static json_t *
json_opt_int(int has, int64_t v)
{
	return has ? json_integer((json_int_t)v) : json_null();
}

static json_t *
json_incident(const struct export_incident *e, const struct export_opts *o)
{
	json_t	*j = json_object(), *svc = json_array();
	size_t	 i, k;

	for (i = 0; i < e->nservices; i++)
		json_array_append_new(svc, json_string(e->services[i]));
	json_object_set_new(j, "id", json_string(e->id));
	json_object_set_new(j, "title", json_string(e->title));
	json_object_set_new(j, "severity", json_string(e->severity));
	json_object_set_new(j, "services", svc);
	json_object_set_new(j, "state", json_string(e->open ? "open" :
	    "resolved"));
	json_object_set_new(j, "start", json_time(1, e->start, o->tz));
	json_object_set_new(j, "started", json_time(e->has_started,
	    e->started, o->tz));
	json_object_set_new(j, "detected", json_time(e->has_detected,
	    e->detected, o->tz));
	json_object_set_new(j, "resolved", json_time(e->has_resolved,
	    e->resolved, o->tz));
	for (k = 0; k < EXPORT_NVALUES; k++)
		json_object_set_new(j, export_value_key(k),
		    json_opt_int(e->has[k], e->value[k]));
	json_object_set_new(j, "open_actions",
	    json_integer((json_int_t)e->open_actions));
	json_object_set_new(j, "overdue_actions",
	    json_integer((json_int_t)e->overdue_actions));
	json_object_set_new(j, "status_compliant",
	    json_boolean(export_compliant(e, o->cadence_s)));
	json_object_set_new(j, "severity_at_start",
	    json_string(e->severity_at_start));
	json_object_set_new(j, "peak_severity", json_string(e->peak_severity));
	json_object_set_new(j, "reopenings",
	    json_integer((json_int_t)e->reopenings));
	return j;
}

static json_t *
json_summary(const struct export_set *set, const size_t *sel, size_t n)
{
	struct stats	 st[EXPORT_NVALUES];
	json_t		*j = json_object(), *m;
	size_t		 k;

	summarize(st, set, sel, n);
	for (k = 0; k < EXPORT_NVALUES; k++) {
		m = json_object();
		json_object_set_new(m, "count",
		    json_integer((json_int_t)st[k].count));
		json_object_set_new(m, "median", json_opt_int(st[k].count > 0,
		    st[k].median));
		json_object_set_new(m, "p90", json_opt_int(st[k].count > 0,
		    st[k].p90));
		json_object_set_new(m, "mean", json_opt_int(st[k].count > 0,
		    st[k].mean));
		json_object_set_new(m, "max", json_opt_int(st[k].count > 0,
		    st[k].max));
		json_object_set_new(j, export_value_key(k), m);
	}
	return j;
}

/* Counts over sel[0..n): incidents, open, actions, compliance. */
static json_t *
json_totals(const struct export_set *set, const size_t *sel, size_t n,
    int64_t cadence_s)
{
	json_int_t	 open = 0, oa = 0, ov = 0, ok = 0;
	size_t		 i;
	json_t		*j = json_object();

	for (i = 0; i < n; i++) {
		open += set->v[sel[i]].open;
		oa += set->v[sel[i]].open_actions;
		ov += set->v[sel[i]].overdue_actions;
		ok += export_compliant(&set->v[sel[i]], cadence_s);
	}
	json_object_set_new(j, "incidents", json_integer((json_int_t)n));
	json_object_set_new(j, "open", json_integer(open));
	json_object_set_new(j, "resolved", json_integer((json_int_t)n - open));
	json_object_set_new(j, "status_compliant", json_integer(ok));
	json_object_set_new(j, "open_actions", json_integer(oa));
	json_object_set_new(j, "overdue_actions", json_integer(ov));
	return j;
}

static const char *
by_name(enum export_by by)
{
	return by == EXPORT_BY_SEVERITY ? "severity" :
	    by == EXPORT_BY_SERVICE ? "service" : NULL;
}

static json_t *
json_period(const struct export_opts *o)
{
	const struct period *p = o->period;
	json_t	*j = json_object();
	char	 label[64];

	period_label(label, sizeof label, p);
	json_object_set_new(j, "label", json_string(label));
	json_object_set_new(j, "quarter", p->quarter != 0 ?
	    json_string(label) : json_null());
	json_object_set_new(j, "from", json_time(1, p->from, o->tz));
	json_object_set_new(j, "to", json_time(1, p->to, o->tz));
	json_object_set_new(j, "first_day", json_string(p->first));
	json_object_set_new(j, "last_day", json_string(p->last));
	json_object_set_new(j, "tz", json_string(o->tz));
	json_object_set_new(j, "group_by", by_name(o->by) != NULL ?
	    json_string(by_name(o->by)) : json_null());
	json_object_set_new(j, "status_cadence_s",
	    json_integer((json_int_t)o->cadence_s));
	return j;
}

char *
export_json(const struct export_set *set, const struct export_opts *o)
{
	struct groups	 gs;
	json_t		*doc = json_object(), *arr = json_array(), *by, *g;
	struct buf	 b = BUF_INIT;
	size_t		*all = select_all(set), i;
	char		*s;

	for (i = 0; i < set->n; i++)
		json_array_append_new(arr, json_incident(&set->v[i], o));
	json_object_set_new(doc, "period", json_period(o));
	json_object_set_new(doc, "incidents", arr);
	json_object_set_new(doc, "totals", json_totals(set, all, set->n,
	    o->cadence_s));
	json_object_set_new(doc, "summary", json_summary(set, all, set->n));
	by = json_object();
	make_groups(&gs, set, o->by);
	for (i = 0; i < gs.n; i++) {
		g = json_totals(set, gs.g[i].sel, gs.g[i].n, o->cadence_s);
		json_object_set_new(g, "summary", json_summary(set,
		    gs.g[i].sel, gs.g[i].n));
		json_object_set_new(by, gs.g[i].name, g);
	}
	free_groups(&gs);
	json_object_set_new(doc, "by", by);
	json_object_set_new(doc, "excluded",
	    json_integer((json_int_t)set->nexcluded));
	free(all);
	s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (s == NULL) {
		pm_error_set("cannot format the JSON export");
		return NULL;
	}
	buf_adds(&b, s);
	buf_addc(&b, '\n');
	free(s);
	return buf_detach(&b);
}

/* --- the Markdown report ----------------------------------------------- */

/* Inert inline text for a table cell or a line. */
static void
md_text(struct buf *b, const char *s)
{
	mustache_escape_markdown(b, s, strlen(s));
}

static void
md_duration(struct buf *b, int has, int64_t v, size_t k)
{
	char	 d[64];

	if (!has) {
		buf_adds(b, "–");
		return;
	}
	if (k == M__COUNT) {		/* status_updates: a count */
		buf_printf(b, "%lld", (long long)v);
		return;
	}
	duration_format(d, sizeof d, v);
	buf_adds(b, d);
}

/* "+25%", "−10%", "same", or "–" when there is nothing to compare. */
static void
md_change(struct buf *b, const struct stats *now, const struct stats *before)
{
	long long	 pct;

	if (now->count == 0 || before->count == 0 || before->median == 0) {
		buf_adds(b, "–");
		return;
	}
	if (now->median == before->median) {
		buf_adds(b, "same");
		return;
	}
	pct = (long long)((now->median - before->median) * 100 /
	    before->median);
	buf_printf(b, "%s%lld%%", pct > 0 ? "+" : "", pct);
}

static const char *const metric_label_of[EXPORT_NVALUES] = {
#define X(e, key, label, def) label,
	METRICS
#undef X
	"status updates",
};

static void
md_counts_table(struct buf *b, const struct export_set *set,
    const struct export_opts *o, enum export_by by, const char *what)
{
	struct groups	 gs, prev;
	size_t		 i, j, before;

	make_groups(&gs, set, by);
	memset(&prev, 0, sizeof prev);
	if (o->previous != NULL)
		make_groups(&prev, o->previous, by);
	buf_printf(b, "| %s | incidents | open | previous period |\n"
	    "|---|---:|---:|---:|\n", what);
	for (i = 0; i < gs.n; i++) {
		size_t	 open = 0;

		for (j = 0; j < gs.g[i].n; j++)
			open += set->v[gs.g[i].sel[j]].open;
		before = 0;
		for (j = 0; j < prev.n; j++)
			if (strcmp(prev.g[j].name, gs.g[i].name) == 0)
				before = prev.g[j].n;
		buf_adds(b, "| ");
		md_text(b, gs.g[i].name);
		buf_printf(b, " | %zu | %zu | %zu |\n", gs.g[i].n, open,
		    before);
	}
	if (gs.n == 0)
		buf_adds(b, "| – | 0 | 0 | 0 |\n");
	buf_adds(b, "\n");
	free_groups(&gs);
	free_groups(&prev);
}

/* Buckets of the text charts: upper bounds in seconds (the last open). */
static const int64_t chart_bounds[] = {
	5 * 60, 15 * 60, 30 * 60, 3600, 4 * 3600, 24 * 3600
};
static const char *const chart_labels[] = {
	"   < 5m", " 5-15m ", "15-30m ", "30m-1h ", " 1-4h  ", " 4-24h ", "  >= 1d"
};
#define CHART_BUCKETS	7
#define CHART_WIDTH	30

static void
md_chart(struct buf *b, const struct export_set *set, size_t k)
{
	size_t	 count[CHART_BUCKETS] = { 0 }, i, j, max = 0, bar;

	for (i = 0; i < set->n; i++) {
		if (!set->v[i].has[k])
			continue;
		for (j = 0; j < CHART_BUCKETS - 1 &&
		    set->v[i].value[k] >= chart_bounds[j]; j++)
			;
		count[j]++;
	}
	for (j = 0; j < CHART_BUCKETS; j++)
		if (count[j] > max)
			max = count[j];
	if (max == 0)
		return;
	buf_printf(b, "%s:\n\n```text\n", metric_label_of[k]);
	for (j = 0; j < CHART_BUCKETS; j++) {
		bar = (count[j] * CHART_WIDTH + max - 1) / max;
		buf_printf(b, "%s |", chart_labels[j]);
		for (i = 0; i < bar; i++)
			buf_adds(b, "\xe2\x96\x88");	/* U+2588 full block */
		buf_printf(b, " %zu\n", count[j]);
	}
	buf_adds(b, "```\n\n");
}

static void
md_metrics(struct buf *b, const struct export_set *set,
    const struct export_opts *o)
{
	struct stats	 st[EXPORT_NVALUES], pst[EXPORT_NVALUES];
	size_t		*all = select_all(set), *pall, k;

	summarize(st, set, all, set->n);
	memset(pst, 0, sizeof pst);
	if (o->previous != NULL) {
		pall = select_all(o->previous);
		summarize(pst, o->previous, pall, o->previous->n);
		free(pall);
	}
	buf_adds(b, "## Response times\n\n"
	    "Nearest-rank median and 90th percentile over the incidents that "
	    "have both endpoints of the metric.\n\n"
	    "| metric | count | median | p90 | max | previous median | "
	    "change |\n|---|---:|---:|---:|---:|---:|---:|\n");
	for (k = 0; k < EXPORT_NVALUES; k++) {
		buf_printf(b, "| %s | %zu | ", metric_label_of[k],
		    st[k].count);
		md_duration(b, st[k].count > 0, st[k].median, k);
		buf_adds(b, " | ");
		md_duration(b, st[k].count > 0, st[k].p90, k);
		buf_adds(b, " | ");
		md_duration(b, st[k].count > 0, st[k].max, k);
		buf_adds(b, " | ");
		md_duration(b, pst[k].count > 0, pst[k].median, k);
		buf_adds(b, " | ");
		md_change(b, &st[k], &pst[k]);
		buf_adds(b, " |\n");
	}
	buf_adds(b, "\n### Distributions\n\n");
	for (k = 0; k < M__COUNT; k++)
		md_chart(b, set, k);
	free(all);
}

static int
resolve_desc(const void *a, const void *b)
{
	const struct export_incident *x = *(struct export_incident *const *)a;
	const struct export_incident *y = *(struct export_incident *const *)b;
	int64_t	 vx = x->has[M_RESOLVE] ? x->value[M_RESOLVE] : -1;
	int64_t	 vy = y->has[M_RESOLVE] ? y->value[M_RESOLVE] : -1;

	if (vx != vy)
		return vx < vy ? 1 : -1;
	return strcmp(x->id, y->id);
}

#define LONGEST	5

static void
md_longest(struct buf *b, const struct export_set *set)
{
	const struct export_incident **v;
	char	 d[64];
	size_t	 i, n = 0;

	v = xcalloc(set->n + 1, sizeof *v);
	for (i = 0; i < set->n; i++)
		if (set->v[i].has[M_RESOLVE])
			v[n++] = &set->v[i];
	qsort(v, n, sizeof *v, resolve_desc);
	buf_adds(b, "## Longest incidents\n\nBy time to resolve (started to "
	    "resolved).\n\n");
	if (n == 0)
		buf_adds(b, "No incident of the period has both a started and "
		    "a resolved event.\n\n");
	else
		buf_adds(b, "| incident | severity | time to resolve |\n"
		    "|---|---|---:|\n");
	for (i = 0; i < n && i < LONGEST; i++) {
		duration_format(d, sizeof d, v[i]->value[M_RESOLVE]);
		buf_adds(b, "| ");
		md_text(b, v[i]->id);
		buf_adds(b, ": ");
		md_text(b, v[i]->title);
		buf_adds(b, " | ");
		md_text(b, v[i]->severity[0] != '\0' ? v[i]->severity : "–");
		buf_printf(b, " | %s |\n", d);
	}
	if (n > 0)
		buf_adds(b, "\n");
	free(v);
}

/* "3 of 4 (75%)". */
static void
md_share(struct buf *b, size_t k, size_t n)
{
	buf_printf(b, "%zu of %zu", k, n);
	if (n > 0)
		buf_printf(b, " (%zu%%)", (k * 100 + n / 2) / n);
}

static void
md_cadence(struct buf *b, const struct export_set *set,
    const struct export_opts *o)
{
	char	 d[64];
	size_t	 i, ok = 0, none = 0, pok = 0;

	for (i = 0; i < set->n; i++) {
		ok += export_compliant(&set->v[i], o->cadence_s);
		none += set->v[i].value[M__COUNT] == 0;
	}
	duration_format(d, sizeof d, o->cadence_s);
	buf_printf(b, "## Status-update cadence\n\nAn incident kept to the "
	    "cadence when it had at least one public status update and no "
	    "two consecutive updates more than %s apart.\n\n- Kept to it: ",
	    d);
	md_share(b, ok, set->n);
	buf_adds(b, "\n- No status update at all: ");
	md_share(b, none, set->n);
	if (o->previous != NULL) {
		for (i = 0; i < o->previous->n; i++)
			pok += export_compliant(&o->previous->v[i],
			    o->cadence_s);
		buf_adds(b, "\n- Previous period: ");
		md_share(b, pok, o->previous->n);
	}
	buf_adds(b, "\n\n");
}

static void
md_actions(struct buf *b, const struct export_set *set)
{
	long long	 open = 0, overdue = 0;
	size_t		 i;

	for (i = 0; i < set->n; i++) {
		open += set->v[i].open_actions;
		overdue += set->v[i].overdue_actions;
	}
	buf_printf(b, "## Corrective actions\n\n- Open: %lld\n- Overdue (due "
	    "before today, still open): %lld\n\n", open, overdue);
	if (overdue == 0)
		return;
	buf_adds(b, "| incident | open | overdue |\n|---|---:|---:|\n");
	for (i = 0; i < set->n; i++) {
		if (set->v[i].overdue_actions == 0)
			continue;
		buf_adds(b, "| ");
		md_text(b, set->v[i].id);
		buf_printf(b, " | %lld | %lld |\n",
		    (long long)set->v[i].open_actions,
		    (long long)set->v[i].overdue_actions);
	}
	buf_adds(b, "\n");
}

char *
export_md(const struct export_set *set, const struct export_opts *o)
{
	struct buf	 b = BUF_INIT;
	char		 label[64], plabel[64], today[TSTAMP_RFC3339_MAX];
	size_t		 i, open = 0;

	for (i = 0; i < set->n; i++)
		open += set->v[i].open;
	period_label(label, sizeof label, o->period);
	format_time(today, o->now, o->tz);
	today[10] = '\0';
	buf_printf(&b, "# Reliability report %s\n\n", label);
	buf_printf(&b, "Incidents that started from %s to %s (%s), by "
	    "pmtool on %s.\n\n", o->period->first, o->period->last, o->tz,
	    today);
	buf_printf(&b, "## Summary\n\n- Incidents: %zu (%zu open, %zu "
	    "resolved)\n", set->n, open, set->n - open);
	if (set->nexcluded > 0)
		buf_printf(&b, "- Excluded from these figures: %zu (tests, "
		    "duplicates: pmtool list marks them)\n", set->nexcluded);
	if (o->previous != NULL) {
		period_label(plabel, sizeof plabel, o->previous_period);
		buf_printf(&b, "- Previous period (%s): %zu\n", plabel,
		    o->previous->n);
	}
	buf_adds(&b, "\n## Incidents\n\n");
	md_counts_table(&b, set, o, EXPORT_BY_SEVERITY, "severity");
	md_counts_table(&b, set, o, EXPORT_BY_SERVICE, "service");
	md_metrics(&b, set, o);
	md_longest(&b, set);
	md_cadence(&b, set, o);
	md_actions(&b, set);
	return buf_detach(&b);
}
