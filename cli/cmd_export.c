/*
 * cmd_export.c - pmtool export: the reliability figures of a period's
 * incidents as CSV, JSON, a Markdown report or a sqlite file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "error.h"
#include "export.h"
#include "index.h"
#include "period.h"
#include "store.h"
#include "tstamp.h"
#include "xmalloc.h"
#include "zone.h"

enum export_format { FMT_CSV, FMT_JSON, FMT_MD, FMT_SQLITE };

static const char *const format_names[] = { "csv", "json", "md", "sqlite" };

struct export_args {
	const char		*quarter, *from, *to, *out, *tz;
	enum export_format	 format;
	enum export_by		 by;
};

static int
parse_format(enum export_format *out, const char *s)
{
	size_t	 i;

	for (i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
		if (strcmp(s, format_names[i]) == 0) {
			*out = (enum export_format)i;
			return 0;
		}
	return -1;
}

static int
parse_args(struct export_args *a, int argc, char **argv)
{
	const struct cmd_entry	*cmd = cli_find("export");
	const char		*flag, **slot;
	int			 i;

	memset(a, 0, sizeof *a);
	a->tz = "UTC";
	for (i = 1; i < argc; i++) {
		flag = argv[i];
		slot = NULL;
		if (strcmp(flag, "--") == 0) {
			if (i + 1 < argc)
				return cli_usage(cmd, "export: no arguments "
				    "expected after --");
			break;
		}
		if (strcmp(flag, "--quarter") == 0)
			slot = &a->quarter;
		else if (strcmp(flag, "--from") == 0)
			slot = &a->from;
		else if (strcmp(flag, "--to") == 0)
			slot = &a->to;
		else if (strcmp(flag, "-o") == 0 || strcmp(flag, "--output") == 0)
			slot = &a->out;
		else if (strcmp(flag, "--tz") == 0)
			slot = &a->tz;
		else if (strcmp(flag, "--format") != 0 &&
		    strcmp(flag, "--by") != 0)
			return cli_usage(cmd, "export: unknown argument '%s'",
			    flag);
		if (i + 1 >= argc)
			return cli_usage(cmd, "export: %s needs a value", flag);
		i++;
		if (slot != NULL)
			*slot = argv[i];
		else if (strcmp(flag, "--format") == 0) {
			if (parse_format(&a->format, argv[i]) < 0)
				return cli_usage(cmd, "export: unknown format "
				    "'%s' (csv, json, md or sqlite)", argv[i]);
		} else if (strcmp(argv[i], "severity") == 0)
			a->by = EXPORT_BY_SEVERITY;
		else if (strcmp(argv[i], "service") == 0)
			a->by = EXPORT_BY_SERVICE;
		else
			return cli_usage(cmd, "export: --by takes severity or "
			    "service, not '%s'", argv[i]);
	}
	if (a->quarter != NULL && (a->from != NULL || a->to != NULL))
		return cli_usage(cmd, "export: give --quarter or --from/--to, "
		    "not both");
	if ((a->from == NULL) != (a->to == NULL))
		return cli_usage(cmd, "export: --from and --to go together");
	if (a->format == FMT_SQLITE && (a->out == NULL ||
	    strcmp(a->out, "-") == 0))
		return cli_usage(cmd, "export: --format sqlite writes a file: "
		    "give -o FILE");
	return 0;
}

/* The period asked for; by default the current quarter in tz. */
static int
resolve_period(struct period *p, const struct export_args *a)
{
	struct tstamp	 now;
	struct civil	 c;
	char		 q[16];

	if (a->from != NULL)
		return period_dates(p, a->from, a->to, a->tz);
	if (a->quarter != NULL)
		return period_quarter(p, a->quarter, a->tz);
	if (zone_stamp(&now, a->tz, tstamp_now()) < 0)
		return -1;
	civil_from_time(&c, now.t, now.off);
	snprintf(q, sizeof q, "%dQ%d", c.year, (c.mon - 1) / 3 + 1);
	return period_quarter(p, q, a->tz);
}

/* Today's date in tz: open actions due before it are overdue. */
static void
today_in(char out[11], const char *tz)
{
	struct tstamp	 now;
	char		 s[TSTAMP_RFC3339_MAX];

	if (zone_stamp(&now, tz, tstamp_now()) < 0) {
		memset(&now, 0, sizeof now);
		now.t = tstamp_now();
		now.zulu = 1;
	}
	tstamp_format_rfc3339(s, now);
	memcpy(out, s, 10);
	out[10] = '\0';
}

/* The sqlite file: built beside its final name, then renamed over it. */
static int
write_sqlite(struct index *ix, const char *path, const struct period *p)
{
	char	*tmp = xasprintf("%s.pmtool-tmp", path);
	int	 rc = 0;

	if (unlink(tmp) == -1 && errno != ENOENT)
		rc = pm_error_sys("cannot write %s", path);
	if (rc == 0)
		rc = index_export_sqlite(ix, tmp, p->from, p->to);
	if (rc == 0 && rename(tmp, path) == -1)
		rc = pm_error_sys("cannot write %s", path);
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

static char *
format_text(const struct export_args *a, const struct export_set *set,
    const struct export_opts *o)
{
	switch (a->format) {
	case FMT_CSV:
		return export_csv(set, o);
	case FMT_JSON:
		return export_json(set, o);
	default:
		return export_md(set, o);
	}
}

int
cmd_export(struct cli *c, int argc, char **argv)
{
	struct export_args	 a;
	struct export_opts	 o;
	struct export_set	 set, prev;
	struct period		 p, pp;
	struct config		 cfg;
	struct index		*ix = NULL;
	char			 today[11], *text = NULL;
	size_t			 problems;
	int			 rc = EXIT_ERROR;

	if (parse_args(&a, argc, argv) != 0)
		return EXIT_USAGE;
	if (zone_check(a.tz) < 0 || resolve_period(&p, &a) < 0)
		return cli_usage(cli_find("export"), "export: %s",
		    pm_error_last());
	memset(&set, 0, sizeof set);
	memset(&prev, 0, sizeof prev);
	if (config_load(&cfg, store_root(c->store)) < 0)
		return cli_core_error();
	if (cli_index(&ix, c, 0, &problems) < 0)
		return cli_core_error();
	today_in(today, a.tz);
	/* On failure the index is made anew once (see cmd_list). */
	if (export_collect(&set, ix, &p, today) < 0 &&
	    (index_rebuild(ix, c->store) < 0 ||
	    export_collect(&set, ix, &p, today) < 0))
		goto fail;
	/* JSON and the report say it themselves; CSV and sqlite cannot. */
	if (set.nexcluded > 0 && (a.format == FMT_CSV ||
	    a.format == FMT_SQLITE))
		fprintf(stderr, "pmtool: note: %zu incident%s excluded from "
		    "the figures left out (pmtool list marks them)\n",
		    set.nexcluded, set.nexcluded == 1 ? "" : "s");
	if (a.format == FMT_SQLITE) {
		if (write_sqlite(ix, a.out, &p) < 0)
			goto fail;
		goto done;
	}
	memset(&o, 0, sizeof o);
	o.period = &p;
	o.tz = a.tz;
	o.by = a.by;
	o.cadence_s = cfg.cadence_s;
	o.now = tstamp_now();
	if (a.format == FMT_MD) {
		if (period_previous(&pp, &p, a.tz) < 0 ||
		    export_collect(&prev, ix, &pp, today) < 0)
			goto fail;
		o.previous = &prev;
		o.previous_period = &pp;
	}
	if ((text = format_text(&a, &set, &o)) == NULL ||
	    cli_write_output(a.out, text) < 0)
		goto fail;
done:
	/* A file that could not be read is missing from the figures. */
	rc = problems > 0 ? EXIT_ERROR : EXIT_OK;
	goto out;
fail:
	rc = cli_core_error();
out:
	free(text);
	export_set_free(&set);
	export_set_free(&prev);
	index_close(ix);
	return rc;
}
