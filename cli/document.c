/* document.c - an incident with its analysis and actions, as the JSON
 * document templates render and 'show --json' prints. */
#include <stdlib.h>

#include "actfile.h"
#include "analysis.h"
#include "cli.h"
#include "config.h"
#include "error.h"
#include "incdoc.h"
#include "xmalloc.h"
#include "zone.h"

/* The analysis of inc, when it has one written: 0 with *have set. */
static int
load_analysis(struct analysis *out, int *have, struct cli *c,
    const struct incident *inc)
{
	struct buf	 b = BUF_INIT;
	char		*name;
	int		 exists, rc;

	*have = 0;
	if (store_read_file(&b, &exists, c->store, inc->id,
	    ANALYSIS_FILE) < 0)
		return -1;
	if (!exists) {
		buf_free(&b);
		return 0;
	}
	name = xasprintf("%s/%s/%s", STORE_INCIDENTS, inc->id, ANALYSIS_FILE);
	rc = analysis_parse(out, name, buf_str(&b), b.len);
	*have = rc == 0;
	free(name);
	buf_free(&b);
	return rc;
}

int
cli_actions_json(json_t **out, struct cli *c, const struct incident *inc,
    int64_t now)
{
	struct action_list	 list = { NULL, 0 };
	struct buf		 b = BUF_INIT;
	struct civil		 today;
	int32_t			 off;
	json_t			*arr;
	char			*name;
	size_t			 i;
	int			 exists;

	if (store_read_file(&b, &exists, c->store, inc->id, ACTFILE_NAME) < 0)
		return -1;
	arr = json_array();
	if (exists) {
		name = xasprintf("%s/%s/actions.txt", STORE_INCIDENTS, inc->id);
		if (actfile_parse(&list, name, buf_str(&b), b.len) < 0) {
			free(name);
			buf_free(&b);
			json_decref(arr);
			return -1;
		}
		free(name);
		if (zone_offset_at(&off, inc->zone, now, NULL) < 0) {
			action_list_free(&list);
			buf_free(&b);
			json_decref(arr);
			return -1;
		}
		civil_from_time(&today, now, off);
		for (i = 0; i < list.n; i++)
			json_array_append_new(arr, actjson_action(&list.items[i],
			    inc->id, &today));
		action_list_free(&list);
	}
	buf_free(&b);
	*out = arr;
	return 0;
}

int
cli_document(json_t **out, struct cli *c, const struct incident *inc)
{
	struct incdoc_input	 in;
	struct analysis		 a;
	struct config		 cfg;
	json_t			*actions = NULL;
	int			 have_analysis = 0, rc = -1;

	in.inc = inc;
	in.now = tstamp_now();
	if (config_load(&cfg, store_root(c->store)) < 0)
		return -1;
	in.cadence_s = cfg.cadence_s;
	if (load_analysis(&a, &have_analysis, c, inc) < 0)
		return -1;
	in.analysis = have_analysis ? &a : NULL;
	if (cli_actions_json(&actions, c, inc, in.now) < 0)
		goto out;
	in.actions = actions;
	if ((*out = incdoc_build(&in)) != NULL)
		rc = 0;
out:
	json_decref(actions);
	if (have_analysis)
		analysis_free(&a);
	return rc;
}
