/* config.c - a store's settings from its .pmtool file. */
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "config.h"
#include "error.h"
#include "store.h"
#include "tstamp.h"
#include "xmalloc.h"

void
config_defaults(struct config *c)
{
	memset(c, 0, sizeof *c);
	c->cadence_s = CONFIG_CADENCE_DEFAULT;
	c->backfill_s = CONFIG_BACKFILL_DEFAULT;
}

/*
 * The duration at key into *out, which keeps its default when the key is
 * not set. With zero_ok, "0" (or "0s") is allowed and means off.
 */
static int
get_duration(int64_t *out, git_config *cfg, const char *key, int zero_ok)
{
	git_buf	 v = GIT_BUF_INIT;
	int64_t	 secs;
	int	 rc = 0;

	if (git_config_get_string_buf(&v, cfg, key) < 0) {
		git_error_clear();
		return 0;
	}
	if (zero_ok && strcmp(v.ptr, "0") == 0)
		secs = 0;
	else if (duration_parse(&secs, v.ptr) < 0 || (secs == 0 && !zero_ok))
		secs = -1;
	if (secs < 0)
		rc = pm_error_set("%s: %s: bad duration '%s' (use e.g. %s)",
		    STORE_MARKER, key, v.ptr, zero_ok ? "60s, 2m, or 0 for "
		    "never" : "30m, 1h, 900s");
	else
		*out = secs;
	git_buf_dispose(&v);
	return rc;
}

/* sync.remote: a name git accepts for a remote. It becomes an argument
 * of 'pmtool sync', so it must not look like an option either. */
static int
get_remote(struct config *c, git_config *cfg)
{
	git_buf	 v = GIT_BUF_INIT;
	size_t	 len;
	int	 valid = 0, rc = 0;

	if (git_config_get_string_buf(&v, cfg, "sync.remote") < 0) {
		git_error_clear();
		return 0;
	}
	len = strlen(v.ptr);
	if (v.ptr[0] == '-' || len >= sizeof c->sync_remote ||
	    git_remote_name_is_valid(&valid, v.ptr) < 0 || !valid)
		rc = pm_error_set("%s: sync.remote: bad remote name '%s'",
		    STORE_MARKER, v.ptr);
	else
		memcpy(c->sync_remote, v.ptr, len + 1);
	git_buf_dispose(&v);
	return rc;
}

int
config_load(struct config *out, const char *root)
{
	git_config	*cfg = NULL;
	char		*path;
	int		 rc = 0;

	config_defaults(out);
	path = xasprintf("%s/%s", root, STORE_MARKER);
	if (git_config_open_ondisk(&cfg, path) < 0) {
		rc = pm_error_git("%s", STORE_MARKER);
		goto out;
	}
	if ((rc = get_duration(&out->cadence_s, cfg, "status.cadence", 0)) < 0)
		goto out;
	if ((rc = get_duration(&out->backfill_s, cfg, "timeline.backfill",
	    0)) < 0)
		goto out;
	if ((rc = get_duration(&out->sync_interval_s, cfg, "sync.interval",
	    1)) < 0)
		goto out;
	rc = get_remote(out, cfg);
out:
	git_config_free(cfg);
	free(path);
	return rc;
}
