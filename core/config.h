/*
 * config.h - a store's settings, in its .pmtool file (git-config syntax,
 * read with libgit2's config parser).
 *
 *   [status]
 *           cadence = 30m    # a public status update is overdue after this
 *   [timeline]
 *           backfill = 15m   # an event logged this long after it happened
 *                            # is marked as backfilled
 *   [sync]
 *           interval = 2m    # pmtool tui syncs this often (0: never)
 *           remote = origin  # ... with this remote (default: as pmtool sync)
 */
#ifndef PM_CONFIG_H
#define PM_CONFIG_H

#include <stdint.h>

#define CONFIG_CADENCE_DEFAULT	(30 * 60)
#define CONFIG_BACKFILL_DEFAULT	(15 * 60)
#define CONFIG_REMOTE_MAX	128	/* bytes of sync.remote, with its NUL */

struct config {
	int64_t	 cadence_s;	/* status update threshold, seconds */
	int64_t	 backfill_s;	/* logged this long after: backfilled */
	int64_t	 sync_interval_s; /* the TUI's automatic sync; 0: off */
	char	 sync_remote[CONFIG_REMOTE_MAX]; /* "": pmtool sync's pick */
};

/* The defaults: what a store without settings gets. */
void	 config_defaults(struct config *);
/* Read the settings of the store whose top folder is root. A missing
 * file or key gives the default; a bad value is an error naming it. */
int	 config_load(struct config *out, const char *root);

#endif
