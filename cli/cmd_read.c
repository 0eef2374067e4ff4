/* cmd_read.c - the commands that read a store: show, list, metrics,
 * reindex. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "error.h"
#include "incjson.h"
#include "index.h"
#include "metrics.h"
#include "period.h"
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
print_services(const struct incident *inc)
{
	size_t	 i;

	if (inc->nservices == 0)
		fputs("-", stdout);
	for (i = 0; i < inc->nservices; i++)
		printf("%s%s", i > 0 ? ", " : "", inc->services[i]);
	putchar('\n');
}

static void
show_text(const struct incident *inc)
{
	const struct event	*ev;
	char			 when[64], kind[48];
	size_t			 i;

	printf("%s: %s\n", inc->id, inc->title);
	printf("  state      %s\n", incident_is_resolved(inc) ? "resolved" :
	    "open");
	printf("  severity   %s\n", or_dash(inc->severity));
	printf("  services   ");
	print_services(inc);
	printf("  commander  %s\n", or_dash(inc->commander));
	printf("  zone       %s\n\n", inc->zone);
	if (inc->nevents == 0)
		printf("  (no events yet: pmtool log %s KIND TEXT)\n", inc->id);
	for (i = 0; i < inc->nevents; i++) {
		ev = &inc->events[i];
		cli_local_time(when, sizeof when, ev->at, inc->zone);
		event_label(kind, sizeof kind, ev, "/");
		if (*ev->text == '\0') {
			printf("  %-21s %s\n", when, kind);
			continue;
		}
		printf("  %-21s %-20s ", when, kind);
		print_text_block(ev->text, 45);
	}
}

int
cmd_show(struct cli *c, int argc, char **argv)
{
	struct incident	*inc;
	int		 json, rc;

	if (parse_json_flag(cli_find("show"), argc, argv, &json, 1) < 0)
		return EXIT_USAGE;
	if (cli_load(&inc, c, argv[optind]) < 0)
		return cli_core_error();
	if (json) {
		json_t	*doc;

		if (render_document(&doc, c->store, inc) < 0)
			rc = cli_core_error();
		else
			rc = print_json(doc);
	} else {
		show_text(inc);
		rc = EXIT_OK;
	}
	incident_free(inc);
	return rc;
}

/*
 * Open incidents first, then the most recent start first, then by id. An
 * incident with no start comes first among its state (the index puts it
 * last, so its order is not the one printed).
 */
static int
list_cmp(const void *a, const void *b)
{
	const struct incident	*x = *(struct incident *const *)a;
	const struct incident	*y = *(struct incident *const *)b;
	const struct event	*sx, *sy;
	int			 rx, ry;

	rx = incident_is_resolved(x);
	ry = incident_is_resolved(y);
	if (rx != ry)
		return rx - ry;
	sx = incident_start(x);
	sy = incident_start(y);
	if (sx != NULL && sy != NULL && sx->at.t != sy->at.t)
		return sx->at.t > sy->at.t ? -1 : 1;
	if ((sx == NULL) != (sy == NULL))
		return sx == NULL ? -1 : 1;
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

/* Ids, as index_query() hands them out. */
struct id_list {
	char	**v;
	size_t	 n, cap;
};

static int
add_id(void *ctx, const struct index_row *row)
{
	struct id_list	*l = ctx;

	if (l->n == l->cap) {
		l->cap = l->cap == 0 ? 64 : l->cap * 2;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	l->v[l->n++] = xstrdup(row->id);
	return 0;
}

/*
 * The ids to list: those the up-to-date index passes through the filters.
 * Files it could not index are printed and make *rc EXIT_ERROR. Without
 * filters an index that cannot be used at all (a read-only .git) is not
 * needed: every incident of the store is listed, as its files say.
 * Returns -1 (printed) when there is nothing to list.
 */
static int
list_ids(struct id_list *out, struct cli *c, const struct list_args *a,
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
		if (store_list(&out->v, &out->n, c->store) < 0) {
			cli_core_error();
			return -1;
		}
		return 0;
	}
	if (problems > 0)
		*rc = EXIT_ERROR;
	r = index_query(ix, &a->f, add_id, out);
	if (r != 0) {
		/* Damage only a query reaches (a bad page of the full-text
		 * table, say): the index is a cache, so make it anew, once. */
		store_free_ids(out->v, out->n);
		memset(out, 0, sizeof *out);
		if (index_rebuild(ix, c->store) == 0)
			r = index_query(ix, &a->f, add_id, out);
	}
	index_close(ix);
	if (r != 0) {
		cli_core_error();
		store_free_ids(out->v, out->n);
		return -1;
	}
	return 0;
}

static void
list_text(struct incident **incs, size_t n, int filtered)
{
	const struct event	*start;
	char			 when[64];
	size_t			 i, width = 2;

	if (n == 0)
		printf(filtered ? "no incidents match\n" :
		    "no incidents yet: pmtool new TITLE\n");
	for (i = 0; i < n; i++)
		if (strlen(incs[i]->id) > width)
			width = strlen(incs[i]->id);
	for (i = 0; i < n; i++) {
		start = incident_start(incs[i]);
		if (start != NULL)
			cli_local_time(when, sizeof when, start->at,
			    incs[i]->zone);
		else
			snprintf(when, sizeof when, "-");
		printf("%-*s  %-8s %-6s %-22s %s\n", (int)width, incs[i]->id,
		    incident_is_resolved(incs[i]) ? "resolved" : "open",
		    or_dash(incs[i]->severity), when, incs[i]->title);
	}
}

int
cmd_list(struct cli *c, int argc, char **argv)
{
	struct list_args	 a;
	struct id_list		 ids;
	struct incident		**incs;
	json_t			*arr;
	size_t			 i, loaded = 0;
	int			 rc = EXIT_OK;

	if ((rc = list_args(&a, cli_find("list"), argc, argv)) != EXIT_OK)
		return rc;
	if (list_ids(&ids, c, &a, &rc) < 0)
		return EXIT_ERROR;
	incs = xcalloc(ids.n + 1, sizeof *incs);
	for (i = 0; i < ids.n; i++) {
		/* One unreadable file must not hide the others. */
		if (store_load(&incs[loaded], c->store, ids.v[i]) < 0)
			rc = cli_core_error();
		else
			loaded++;
	}
	store_free_ids(ids.v, ids.n);
	qsort(incs, loaded, sizeof *incs, list_cmp);
	if (a.json) {
		arr = json_array();
		for (i = 0; i < loaded; i++)
			json_array_append_new(arr, incjson_summary(incs[i]));
		if (print_json(arr) != EXIT_OK)
			rc = EXIT_ERROR;
	} else
		list_text(incs, loaded, a.filtered);
	for (i = 0; i < loaded; i++)
		incident_free(incs[i]);
	free(incs);
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

	printf("%s: %s\n", inc->id, inc->title);
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
	printf("indexed %zu incidents\n", n);
	return problems > 0 ? EXIT_ERROR : EXIT_OK;
}
