/* config.c - a store's settings from its .pmtool file. */
#include <stdlib.h>

#include <git2.h>

#include "config.h"
#include "error.h"
#include "store.h"
#include "tstamp.h"
#include "xmalloc.h"

void
config_defaults(struct config *c)
{
	c->cadence_s = CONFIG_CADENCE_DEFAULT;
}

int
config_load(struct config *out, const char *root)
{
	git_config	*cfg = NULL;
	git_buf		 v = GIT_BUF_INIT;
	char		*path;
	int64_t		 secs;
	int		 rc = 0;

	config_defaults(out);
	path = xasprintf("%s/%s", root, STORE_MARKER);
	if (git_config_open_ondisk(&cfg, path) < 0) {
		rc = pm_error_git("%s", STORE_MARKER);
		goto out;
	}
	if (git_config_get_string_buf(&v, cfg, "status.cadence") == 0) {
		if (duration_parse(&secs, v.ptr) < 0 || secs <= 0) {
			rc = pm_error_set("%s: status.cadence: bad duration "
			    "'%s' (use e.g. 30m, 1h, 900s)", STORE_MARKER,
			    v.ptr);
			goto out;
		}
		out->cadence_s = secs;
	}
out:
	git_buf_dispose(&v);
	git_config_free(cfg);
	free(path);
	return rc;
}
