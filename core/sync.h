/*
 * sync.h - a store shared through an ordinary git remote (pmtool clone,
 * pmtool sync; formats/sync.md): fetch, merge by pmtool's rules, push,
 * all with libgit2.
 */
#ifndef PM_SYNC_H
#define PM_SYNC_H

#include <stddef.h>

#include "merge3.h"

struct store;

/* What a sync did, for the user. */
struct sync_result {
	int			 fetched;	/* the remote had new commits */
	int			 merged;	/* a merge commit was made */
	int			 fast_forward;	/* ... or the branch moved on */
	int			 pushed;	/* the remote now has ours */
	int			 retries;	/* pushes refused and retried */
	char			*remote;	/* owned: the remote's name */
	char			*branch;	/* owned: "main" */
	struct merge_notes	 notes;		/* choices and kept copies */
};

void	 sync_result_free(struct sync_result *);

/* How many times a push refused because the remote moved on is fetched,
 * merged and pushed again. */
#define SYNC_PUSH_TRIES	5

/*
 * Fetch from remote (NULL: the branch's upstream remote, else "origin"),
 * merge the remote's branch into ours (fast-forward when ours has
 * nothing new) and push ours. Holds the store's writers' lock throughout.
 * On error nothing of the work tree or the branch is changed.
 */
int	 sync_store(struct sync_result *out, struct store *, const char *remote);

/* Clone the store at url into dir (which must not exist or be empty);
 * a repository that is not a pmtool store is an error and left out. */
int	 sync_clone(const char *url, const char *dir);

#endif
