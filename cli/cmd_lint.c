/* cmd_lint.c - pmtool lint: what is wrong or stale in incidents' records. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actfile.h"
#include "analysis.h"
#include "cli.h"
#include "config.h"
#include "error.h"
#include "lint.h"
#include "xmalloc.h"

/* Read and parse incidents/<id>/postmortem.md or actions.txt; *exists
 * is 0 (and *out untouched) when there is no such file. */
static int
read_analysis(struct analysis *out, int *exists, struct store *st,
    const char *id)
{
	struct buf	 b = BUF_INIT;
	char		*name;
	int		 rc;

	if (store_read_file(&b, exists, st, id, ANALYSIS_FILE) < 0)
		return -1;
	if (!*exists) {
		buf_free(&b);
		return 0;
	}
	name = xasprintf("%s/%s/%s", STORE_INCIDENTS, id, ANALYSIS_FILE);
	rc = analysis_parse(out, name, buf_str(&b), b.len);
	free(name);
	buf_free(&b);
	return rc;
}

static int
read_actions(struct action_list *out, int *exists, struct store *st,
    const char *id)
{
	struct buf	 b = BUF_INIT;
	char		*name;
	int		 rc;

	out->items = NULL;
	out->n = 0;
	if (store_read_file(&b, exists, st, id, ACTFILE_NAME) < 0)
		return -1;
	if (!*exists) {
		buf_free(&b);
		return 0;
	}
	name = xasprintf("%s/%s/%s", STORE_INCIDENTS, id, ACTFILE_NAME);
	rc = actfile_parse(out, name, buf_str(&b), b.len);
	free(name);
	buf_free(&b);
	return rc;
}

/*
 * Lint one incident into out. A file that cannot be read is reported on
 * stderr and the rest of the incident still checked; returns -1 then.
 */
static int
lint_one(struct lint_list *out, struct cli *c, const char *id,
    const struct config *cfg, int64_t now)
{
	struct lint_input	 in;
	struct incident		*inc;
	struct analysis		 a;
	struct action_list	 acts = { NULL, 0 };
	int			 have_a = 0, have_acts = 0, exists, rc = 0;

	if (store_load(&inc, c->store, id) < 0) {
		cli_core_error();
		return -1;
	}
	memset(&in, 0, sizeof in);
	in.inc = inc;
	in.cadence_s = cfg->cadence_s;
	in.now = now;
	if (read_analysis(&a, &exists, c->store, id) < 0) {
		cli_core_error();
		rc = -1;
	} else if (exists) {
		have_a = 1;
		in.analysis = &a;
	} else
		in.analysis_missing = 1;
	if (read_actions(&acts, &exists, c->store, id) < 0) {
		cli_core_error();
		rc = -1;
	} else if (exists) {
		have_acts = 1;
		in.actions = &acts;
	}
	if (lint_incident(out, &in) < 0) {
		cli_error("%s: %s", id, pm_error_last());
		rc = -1;
	}
	if (have_a)
		analysis_free(&a);
	if (have_acts)
		action_list_free(&acts);
	incident_free(inc);
	return rc;
}

/* The ids to lint: those given (resolved, each once), else every one. */
static int
lint_ids(char ***out, size_t *n, struct cli *c, int argc, char **argv)
{
	char	**ids, *id;
	size_t	 k = 0, j;
	int	 i;

	if (argc == 0)
		return store_list(out, n, c->store);
	ids = xcalloc((size_t)argc, sizeof *ids);
	for (i = 0; i < argc; i++) {
		if (store_resolve_id(&id, c->store, argv[i]) < 0) {
			store_free_ids(ids, k);
			return -1;
		}
		for (j = 0; j < k && strcmp(ids[j], id) != 0; j++)
			;
		if (j < k)
			free(id);
		else
			ids[k++] = id;
	}
	*out = ids;
	*n = k;
	return 0;
}

int
cmd_lint(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "strict", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd_entry	*cmd = cli_find("lint");
	struct lint_list	 l;
	struct config		 cfg;
	char			**ids, *line;
	size_t			 n, i;
	int64_t			 now;
	int			 ch, strict = 0, rc = EXIT_OK;

	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (ch == 's')
			strict = 1;
		else
			return cli_usage(cmd, "unknown option '%s'",
			    argv[optind - 1]);
	}
	if (config_load(&cfg, store_root(c->store)) < 0)
		return cli_core_error();
	if (lint_ids(&ids, &n, c, argc - optind, argv + optind) < 0)
		return cli_core_error();
	now = tstamp_now();
	lint_list_init(&l);
	for (i = 0; i < n; i++)
		if (lint_one(&l, c, ids[i], &cfg, now) < 0)
			rc = EXIT_ERROR;
	store_free_ids(ids, n);
	lint_sort(&l);
	for (i = 0; i < l.n; i++) {
		line = lint_format(&l.items[i]);
		printf("%s\n", line);
		free(line);
	}
	if (lint_count(&l, LINT_ERROR) > 0 ||
	    (strict && lint_count(&l, LINT_WARNING) > 0))
		rc = EXIT_ERROR;
	lint_list_free(&l);
	return rc;
}
