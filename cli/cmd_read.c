/* cmd_read.c - the commands that read a store: show, list, metrics,
 * reindex. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "config.h"
#include "error.h"
#include "incjson.h"
#include "index.h"
#include "metrics.h"
#include "period.h"
#include "recjson.h"
#include "render.h"
#include "xmalloc.h"

/* Parse "--json" as the only option; the positional arguments remain at
 * argv[optind..]. Returns -1 after printing usage. */
static int
parse_json_flag(const struct cmd_entry *cmd, int argc, char **argv,
    int *json, int npos)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	int	 ch;

	*json = 0;
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (ch == 'j')
			*json = 1;
		else {
			cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
			return -1;
		}
	}
	if (argc - optind != npos) {
		cli_usage(cmd, npos == 0 ? "no arguments expected" :
		    argc - optind < npos ? "an incident id is needed" :
		    "too many arguments");
		return -1;
	}
	return 0;
}

static int
print_json(json_t *j)
{
	char	*s;

	if (j == NULL)
		return cli_core_error();
	s = json_dumps(j, JSON_INDENT(2));
	json_decref(j);
	if (s == NULL)
		return cli_error("cannot format JSON");
	printf("%s\n", s);
	free(s);
	return EXIT_OK;
}

static void
print_text_block(const char *text, int indent)
{
	const char	*p, *nl;

	for (p = text; ; p = nl + 1) {
		nl = strchr(p, '\n');
		if (p != text)
			printf("\n%*s", indent, "");
		fwrite(p, 1, nl != NULL ? (size_t)(nl - p) : strlen(p), stdout);
		if (nl == NULL)
			break;
	}
	putchar('\n');
}

static const char *
or_dash(const char *s)
{
	return s != NULL && *s != '\0' ? s : "-";
}

static void
print_list(char **items, size_t n)
{
	size_t	 i;

	if (n == 0)
		fputs("-", stdout);
	for (i = 0; i < n; i++)
		printf("%s%s", i > 0 ? ", " : "", items[i]);
	putchar('\n');
}

/* "SEV1 (declared SEV2, peak SEV1)": the declaration and the peak only
 * when they differ from now. */
static void
print_severity(const struct incident *inc)
{
	const char	*now = incident_severity(inc);
	const char	*peak = inc->cur.peak_severity;

	printf("  severity   %s", or_dash(now));
	if (strcmp(now, inc->severity) != 0)
		printf(" (declared %s", or_dash(inc->severity));
	else if (peak != NULL && *peak != '\0' && strcmp(peak, now) != 0)
		fputs(" (", stdout);
	if (peak != NULL && *peak != '\0' && strcmp(peak, now) != 0)
		printf("%speak %s", strcmp(now, inc->severity) != 0 ? ", " : "",
		    peak);
	if (strcmp(now, inc->severity) != 0 || (peak != NULL && *peak != '\0'
	    && strcmp(peak, now) != 0))
		putchar(')');
	putchar('\n');
}

/* The roles other than the commander's line, with who holds them. */
static void
print_roles(const struct incident *inc)
{
	const struct role	*r;
	size_t			 i, shown = 0;

	for (i = 0; i < inc->cur.nroles; i++) {
		r = &inc->cur.roles[i];
		if (strcmp(r->name, "commander") == 0)
			continue;
		printf("%s%s %s", shown++ == 0 ? "  roles      " : ", ",
		    r->name, *r->person != '\0' ? r->person : "(nobody)");
	}
	if (shown > 0)
		putchar('\n');
}

static void
show_header(const struct incident *inc)
{
	char	**svc;
	size_t	  nsvc;

	printf("%s: %s\n", inc->id, incident_title(inc));
	if (strcmp(incident_title(inc), inc->title) != 0)
		printf("  declared   %s\n", inc->title);
	printf("  state      %s", incident_is_resolved(inc) ? "resolved" :
	    "open");
	if (inc->cur.reopenings > 0)
		printf(" (reopened %u time%s)", inc->cur.reopenings,
		    inc->cur.reopenings == 1 ? "" : "s");
	putchar('\n');
	if (inc->cur.excluded)
		printf("  excluded   from the figures: %s\n",
		    or_dash(inc->cur.exclude_reason));
	print_severity(inc);
	printf("  services   ");
	svc = incident_services(inc, &nsvc);
	print_list(svc, nsvc);
	printf("  commander  %s\n", or_dash(incident_commander(inc)));
	print_roles(inc);
	printf("  zone       %s\n\n", inc->zone);
}

/* "logged 2026-12-07 14:40 CET by Ana Lima (backfilled)" */
static void
print_logged(const struct incident *inc, const struct event *ev,
    int64_t backfill_s, int indent)
{
	char	 when[64];

	if (ev->logged_by == NULL) {
		printf("%*slogged: not committed\n", indent, "");
		return;
	}
	cli_local_time(when, sizeof when, (struct tstamp){ ev->logged_at, 0,
	    1 }, inc->zone);
	printf("%*slogged %s by %s%s\n", indent, "", when, ev->logged_by,
	    recjson_backfilled(ev, backfill_s) ? " (backfilled)" : "");
}

/* One line of the timeline: reference, time, kind, text. */
static void
print_event(const struct incident *inc, const struct event *ev,
    const char *mark)
{
	char	 when[64], kind[48], ref[EVENT_REF_LEN + 1];

	incident_short_ref(ref, inc, ev->ref);
	cli_local_time(when, sizeof when, ev->at, inc->zone);
	event_label(kind, sizeof kind, ev, "/");
	if (*ev->text == '\0') {
		printf("  %-7s %-21s %s%s\n", ref, when, mark, kind);
		return;
	}
	printf("  %-7s %-21s %s%-*s ", ref, when, mark,
	    (int)(20 - strlen(mark)), kind);
	print_text_block(ev->text, 53);
}

static void
show_timeline(const struct incident *inc, int verbose, int64_t backfill_s)
{
	const struct event	*ev;
	size_t			 i;

	if (inc->nevents == 0)
		printf("  (no events yet: pmtool log %s KIND TEXT)\n", inc->id);
	for (i = 0; i < inc->nevents; i++) {
		ev = &inc->events[i];
		print_event(inc, ev, (ev->flags & EVF_AMENDED) ? "*" : "");
		if (verbose)
			print_logged(inc, ev, backfill_s, 31);
	}
	for (i = 0; i < inc->nevents; i++)
		if (inc->events[i].flags & EVF_AMENDED) {
			printf("\n  * amended (pmtool show %s --history)\n",
			    inc->id);
			break;
		}
}

static const char *
jstr(json_t *o, const char *key)
{
	const char	*v = json_string_value(json_object_get(o, key));

	return v != NULL ? v : "";
}

/* What each correction did, who made it, when and why; then the
 * withdrawn events. */
static void
show_history(const struct incident *inc, int64_t backfill_s)
{
	const struct correction	*c;
	json_t			*o;
	size_t			 i;

	printf("\nCorrections\n");
	if (inc->ncorrections == 0)
		printf("  (none)\n");
	for (i = 0; i < inc->ncorrections; i++) {
		c = &inc->corrections[i];
		o = recjson_correction(inc, c);
		printf("  %-7s %-21s %s %s", jstr(o, "ref_short"),
		    jstr(o, "display"), jstr(o, "kind"),
		    *jstr(o, "target_short") != '\0' ? jstr(o, "target_short") :
		    jstr(o, "target"));
		if (*jstr(o, "target_label") != '\0')
			printf(" (%s, %s)", jstr(o, "target_label"),
			    jstr(o, "target_display"));
		printf("\n%*s%s\n", 10, "", jstr(o, "summary"));
		if (*c->line.text != '\0') {
			printf("%*swhy: ", 10, "");
			print_text_block(c->line.text, 15);
		}
		print_logged(inc, &c->line, backfill_s, 10);
		json_decref(o);
	}
	printf("\nWithdrawn events\n");
	if (inc->nretracted == 0)
		printf("  (none)\n");
	for (i = 0; i < inc->nretracted; i++)
		print_event(inc, &inc->retracted[i], "");
}

int
cmd_show(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "history", no_argument, NULL, 'H' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd_entry	*cmd = cli_find("show");
	struct incident		*inc;
	struct config		 cfg;
	int			 ch, json = 0, history = 0, verbose = 0, rc;

	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":v", opts, NULL)) != -1) {
		if (ch == 'j')
			json = 1;
		else if (ch == 'H')
			history = 1;
		else if (ch == 'v')
			verbose = 1;
		else
			return cli_usage(cmd, "unknown option '%s'",
			    argv[optind - 1]);
	}
	if (argc - optind != 1)
		return cli_usage(cmd, argc - optind == 0 ? "an incident id is "
		    "needed" : "too many arguments");
	if (cli_load(&inc, c, argv[optind]) < 0)
		return cli_core_error();
	cli_attribute(c, inc);
	if (json) {
		json_t	*doc;

		if (render_document(&doc, c->store, inc) < 0)
			rc = cli_core_error();
		else
			rc = print_json(doc);
	} else if (config_load(&cfg, store_root(c->store)) < 0) {
		rc = cli_core_error();
	} else {
		show_header(inc);
		show_timeline(inc, verbose, cfg.backfill_s);
		if (history)
			show_history(inc, cfg.backfill_s);
		rc = EXIT_OK;
	}
	incident_free(inc);
	return rc;
}

/*
 * One line of pmtool list: its summary, and what owns the summary's
 * strings (the parsed incident, or copies of the index row's).
 */
struct list_item {
	struct incident_summary	 sum;
	struct incident		*inc;
	char			*strings[4];	/* id, title, severity, zone */
	char			*started, *last_status;
	char			*services_text;	/* services point into it */
};

static void
item_from_incident(struct list_item *it, struct incident *inc)
{
	char	 started[TSTAMP_RFC3339_MAX], last_status[TSTAMP_RFC3339_MAX];

	memset(it, 0, sizeof *it);
	it->inc = inc;
	incjson_summarize(&it->sum, inc, started, last_status);
	/* Items move (the list grows, then is sorted): own the times. */
	if (it->sum.started != NULL)
		it->sum.started = it->started = xstrdup(started);
	if (it->sum.last_status != NULL)
		it->sum.last_status = it->last_status = xstrdup(last_status);
}

static char *
dup_or_empty(const char *s)
{
	return xstrdup(s != NULL ? s : "");
}

/* The index keeps the services joined by ", "; a name holds no comma
 * (formats/incident-format.md), so splitting there gives them back. */
static void
item_from_row(struct list_item *it, const struct index_row *r)
{
	char	*p;
	size_t	 n;

	memset(it, 0, sizeof *it);
	it->sum.id = it->strings[0] = dup_or_empty(r->id);
	it->sum.title = it->strings[1] = dup_or_empty(r->title);
	it->sum.severity = it->strings[2] = dup_or_empty(r->severity);
	it->sum.zone = it->strings[3] = dup_or_empty(r->zone);
	if (r->start_at != NULL && r->has_start) {
		it->sum.started = it->started = xstrdup(r->start_at);
		it->sum.start_utc = r->start_utc;
	}
	if (r->last_status_at != NULL && r->has_last_status)
		it->sum.last_status = it->last_status =
		    xstrdup(r->last_status_at);
	it->sum.resolved = !r->state_open;
	it->sum.excluded = r->excluded;
	it->sum.nevents = r->nevents;
	it->services_text = dup_or_empty(r->services);
	if (*it->services_text == '\0')
		return;
	for (n = 1, p = it->services_text; (p = strstr(p, ", ")) != NULL;
	    p += 2)
		n++;
	it->sum.services = xcalloc(n, sizeof *it->sum.services);
	p = it->services_text;
	for (;;) {
		it->sum.services[it->sum.nservices++] = p;
		if ((p = strstr(p, ", ")) == NULL)
			break;
		*p = '\0';
		p += 2;
	}
}

static void
item_free(struct list_item *it)
{
	size_t	 i;

	if (it->inc != NULL)
		incident_free(it->inc);
	else
		free(it->sum.services);
	for (i = 0; i < sizeof it->strings / sizeof it->strings[0]; i++)
		free(it->strings[i]);
	free(it->started);
	free(it->last_status);
	free(it->services_text);
}

/*
 * Open incidents first, then the most recent start first, then by id. An
 * incident with no start comes first among its state (the index puts it
 * last, so its order is not the one printed).
 */
static int
list_cmp(const void *a, const void *b)
{
	const struct incident_summary *x = &((const struct list_item *)a)->sum;
	const struct incident_summary *y = &((const struct list_item *)b)->sum;

	if (x->resolved != y->resolved)
		return x->resolved - y->resolved;
	if (x->started != NULL && y->started != NULL &&
	    x->start_utc != y->start_utc)
		return x->start_utc > y->start_utc ? -1 : 1;
	if ((x->started == NULL) != (y->started == NULL))
		return x->started == NULL ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* The command line of list. */
struct list_args {
	struct index_filter	 f;
	int			 filtered;	/* any filter given */
	int			 json;
};

/* A DATE of --since (end 0) or --until (end 1) into *out. */
static int
list_date(int64_t *out, int *has, const struct cmd_entry *cmd,
    const char *opt, const char *arg, int end)
{
	if (period_bound(out, arg, "UTC", end) < 0)
		return cli_usage(cmd, "%s: %s", opt, pm_error_last());
	*has = 1;
	return EXIT_OK;
}

/* A value that must not be empty (or, for --search, blank). */
static int
list_value(const char **out, const struct cmd_entry *cmd, const char *opt,
    const char *arg)
{
	if (arg[strspn(arg, " \t\n")] == '\0')
		return cli_usage(cmd, "%s needs a value", opt);
	*out = arg;
	return EXIT_OK;
}

static int
list_args(struct list_args *a, const struct cmd_entry *cmd, int argc,
    char **argv)
{
	static const struct option opts[] = {
		{ "open", no_argument, NULL, 'o' },
		{ "severity", required_argument, NULL, 'v' },
		{ "service", required_argument, NULL, 'r' },
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "search", required_argument, NULL, 'q' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	int	 ch, rc = EXIT_OK;

	memset(a, 0, sizeof *a);
	optind = 0;
	opterr = 0;
	while (rc == EXIT_OK &&
	    (ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (ch) {
		case 'o': a->f.open_only = 1; break;
		case 'j': a->json = 1; break;
		case 'v':
			rc = list_value(&a->f.severity, cmd, "--severity",
			    optarg);
			break;
		case 'r':
			rc = list_value(&a->f.service, cmd, "--service",
			    optarg);
			break;
		case 's':
			rc = list_date(&a->f.since, &a->f.has_since, cmd,
			    "--since", optarg, 0);
			break;
		case 'u':
			rc = list_date(&a->f.until, &a->f.has_until, cmd,
			    "--until", optarg, 1);
			break;
		case 'q':
			rc = list_value(&a->f.search, cmd, "--search", optarg);
			break;
		case ':':
			return cli_usage(cmd, "%s needs a value",
			    argv[optind - 1]);
		default:
			return cli_usage(cmd, "unknown option '%s'",
			    argv[optind - 1]);
		}
	}
	a->filtered = a->f.open_only || a->f.severity != NULL ||
	    a->f.service != NULL || a->f.has_since || a->f.has_until ||
	    a->f.search != NULL;
	if (rc == EXIT_OK && optind != argc)
		rc = cli_usage(cmd, "no arguments expected");
	return rc;
}

/* The lines of the list, as index_query() hands them out. */
struct item_list {
	struct list_item	*v;
	size_t			 n, cap;
};

static struct list_item *
item_add(struct item_list *l)
{
	if (l->n == l->cap) {
		l->cap = l->cap == 0 ? 64 : l->cap * 2;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	return &l->v[l->n++];
}

static int
add_row(void *ctx, const struct index_row *row)
{
	item_from_row(item_add(ctx), row);
	return 0;
}

static void
items_free(struct item_list *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		item_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/*
 * Without filters, and with an index that cannot be used at all (a
 * read-only .git): every incident of the store, as its files say. One
 * unreadable file must not hide the others (printed; *rc EXIT_ERROR).
 */
static int
list_from_files(struct item_list *out, struct cli *c, int *rc)
{
	struct incident	*inc;
	char		**ids;
	size_t		 n, i;

	if (store_list(&ids, &n, c->store) < 0) {
		cli_core_error();
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (store_load(&inc, c->store, ids[i]) < 0)
			*rc = cli_core_error();
		else
			item_from_incident(item_add(out), inc);
	}
	store_free_ids(ids, n);
	return 0;
}

/*
 * The lines to list: the incidents the up-to-date index passes through
 * the filters, from its rows (no timeline is read again unless it
 * changed). Files it could not index are printed and make *rc
 * EXIT_ERROR. Returns -1 (printed) when there is nothing to list.
 */
static int
list_items(struct item_list *out, struct cli *c, const struct list_args *a,
    int *rc)
{
	struct index	*ix;
	size_t		 problems;
	int		 r;

	memset(out, 0, sizeof *out);
	if (cli_index(&ix, c, 0, &problems) < 0) {
		if (a->filtered) {
			cli_error("the filters need the index: %s",
			    pm_error_last());
			return -1;
		}
		return list_from_files(out, c, rc);
	}
	if (problems > 0)
		*rc = EXIT_ERROR;
	r = index_query(ix, &a->f, add_row, out);
	if (r != 0) {
		/* Damage only a query reaches (a bad page of the full-text
		 * table, say): the index is a cache, so make it anew, once. */
		items_free(out);
		if (index_rebuild(ix, c->store) == 0)
			r = index_query(ix, &a->f, add_row, out);
	}
	index_close(ix);
	if (r != 0) {
		cli_core_error();
		items_free(out);
		return -1;
	}
	return 0;
}

static int
zone_cmp(const void *a, const void *b)
{
	const struct list_item	*x = *(const struct list_item *const *)a;
	const struct list_item	*y = *(const struct list_item *const *)b;

	return strcmp(x->sum.zone, y->sum.zone);
}

/*
 * Each start in its incident's zone. Converting selects the zone for the
 * C library, which reads the zone's file each time it changes: going
 * zone by zone reads each file once, not once per line.
 */
static char (*
local_starts(const struct item_list *l))[64]
{
	const struct list_item	**by_zone;
	struct tstamp		  start;
	char			(*when)[64];
	size_t			  i, k;

	when = xcalloc(l->n + 1, sizeof *when);
	by_zone = xcalloc(l->n + 1, sizeof *by_zone);
	for (i = 0; i < l->n; i++)
		by_zone[i] = &l->v[i];
	qsort(by_zone, l->n, sizeof *by_zone, zone_cmp);
	for (i = 0; i < l->n; i++) {
		k = (size_t)(by_zone[i] - l->v);
		if (by_zone[i]->sum.started == NULL) {
			snprintf(when[k], sizeof when[k], "-");
			continue;
		}
		memset(&start, 0, sizeof start);
		start.t = by_zone[i]->sum.start_utc;
		cli_local_time(when[k], sizeof when[k], start,
		    by_zone[i]->sum.zone);
	}
	free(by_zone);
	return when;
}

static void
list_text(const struct item_list *l, int filtered)
{
	const struct incident_summary	*sum;
	char				(*when)[64];
	size_t				 i, width = 2;

	if (l->n == 0)
		printf(filtered ? "no incidents match\n" :
		    "no incidents yet: pmtool new TITLE\n");
	for (i = 0; i < l->n; i++)
		if (strlen(l->v[i].sum.id) > width)
			width = strlen(l->v[i].sum.id);
	when = local_starts(l);
	for (i = 0; i < l->n; i++) {
		sum = &l->v[i].sum;
		printf("%-*s  %-8s %-6s %-22s %s%s\n", (int)width, sum->id,
		    sum->resolved ? "resolved" : "open",
		    or_dash(sum->severity), when[i], sum->excluded ?
		    "[excluded] " : "", sum->title);
	}
	free(when);
}

int
cmd_list(struct cli *c, int argc, char **argv)
{
	struct list_args	 a;
	struct item_list	 items;
	json_t			*arr;
	size_t			 i;
	int			 rc = EXIT_OK;

	if ((rc = list_args(&a, cli_find("list"), argc, argv)) != EXIT_OK)
		return rc;
	if (list_items(&items, c, &a, &rc) < 0)
		return EXIT_ERROR;
	if (items.n > 1)
		qsort(items.v, items.n, sizeof *items.v, list_cmp);
	if (a.json) {
		arr = json_array();
		for (i = 0; i < items.n; i++)
			json_array_append_new(arr,
			    incjson_summary_of(&items.v[i].sum));
		if (print_json(arr) != EXIT_OK)
			rc = EXIT_ERROR;
	} else
		list_text(&items, a.filtered);
	items_free(&items);
	return rc;
}

/* Why a metric is missing: the first endpoint it lacks. */
static const char *
missing_reason(const struct metrics *m, enum metric which)
{
	static const enum endpoint need[M__COUNT][2] = {
		[M_DETECT] = { P_STARTED, P_DETECTED },
		[M_ACKNOWLEDGE] = { P_DETECTED, P_ACKNOWLEDGED },
		[M_FIRST_STATUS] = { P_STARTED, P_FIRST_STATUS },
		[M_DETECT_STATUS] = { P_DETECTED, P_FIRST_STATUS },
		[M_MAX_GAP] = { P_FIRST_STATUS, P_FIRST_STATUS },
		[M_MITIGATE] = { P_STARTED, P_MITIGATED },
		[M_RESOLVE] = { P_STARTED, P_RESOLVED },
	};
	static const char *what[P__COUNT] = {
		"no started event", "no detected event",
		"no acknowledged event", "no status event",
		"no mitigated event", "no resolved event"
	};

	if (which == M_MAX_GAP)
		return "fewer than two status updates";
	if (m->at[need[which][0]] == NULL)
		return what[need[which][0]];
	return what[need[which][1]];
}

static void
metrics_text(const struct incident *inc, const struct metrics *m)
{
	char	 buf[64];
	int	 i;

	printf("%s: %s\n", inc->id, incident_title(inc));
	printf("times in %s\n\n", inc->zone);
	for (i = 0; i < P__COUNT; i++) {
		if (m->at[i] != NULL)
			cli_local_time(buf, sizeof buf, m->at[i]->at,
			    inc->zone);
		else
			snprintf(buf, sizeof buf, "-");
		printf("  %-22s %s\n", endpoint_key((enum endpoint)i), buf);
	}
	putchar('\n');
	for (i = 0; i < M__COUNT; i++) {
		if (m->has[i]) {
			duration_format(buf, sizeof buf, m->value[i]);
			printf("  %-22s %s\n", metric_label((enum metric)i),
			    buf);
		} else
			printf("  %-22s n/a (%s)\n",
			    metric_label((enum metric)i),
			    missing_reason(m, (enum metric)i));
	}
	printf("  %-22s %d\n", "status updates", m->status_updates);
	printf("  %-22s %d\n", "reopenings", m->reopenings);
}

int
cmd_metrics(struct cli *c, int argc, char **argv)
{
	struct incident	*inc;
	struct metrics	 m;
	int		 json, rc = EXIT_OK;

	if (parse_json_flag(cli_find("metrics"), argc, argv, &json, 1) < 0)
		return EXIT_USAGE;
	if (cli_load(&inc, c, argv[optind]) < 0)
		return cli_core_error();
	metrics_compute(&m, inc);
	if (json)
		rc = print_json(incjson_metrics(inc, &m));
	else
		metrics_text(inc, &m);
	incident_free(inc);
	return rc;
}

static int
count_row(void *ctx, const struct index_row *row)
{
	++*(size_t *)ctx;
	return 0;
}

int
cmd_reindex(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { NULL, 0, NULL, 0 } };
	const struct cmd_entry	*cmd = cli_find("reindex");
	struct index		*ix;
	size_t			 problems, n = 0;
	int			 r;

	optind = 0;
	opterr = 0;
	if (getopt_long(argc, argv, ":", opts, NULL) != -1)
		return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
	if (optind != argc)
		return cli_usage(cmd, "no arguments expected");
	if (cli_index(&ix, c, 1, &problems) < 0)
		return cli_core_error();
	r = index_each_incident(ix, count_row, &n);
	index_close(ix);
	if (r != 0)
		return cli_core_error();
	printf("indexed %zu incident%s\n", n, cli_plural(n));
	return problems > 0 ? EXIT_ERROR : EXIT_OK;
}
