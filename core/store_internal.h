/*
 * store_internal.h - the inside of a struct store, private to core/store*.c
 * and the modules the store is built from, core/storelock.c (the writers'
 * lock, crash recovery) and core/gitcommit.c (the commit plumbing).
 * Everything else goes through core/store.h.
 */
#ifndef PM_STORE_INTERNAL_H
#define PM_STORE_INTERNAL_H

#include <time.h>

#include <git2.h>

#include "store.h"

struct store {
	git_repository	*repo;
	char		*root;		/* work tree, no trailing slash */
	/* The writers' lock: core/storelock.c's to change. */
	int		 lock_fd;	/* .git/pmtool.lock while held */
	int		 lock_evidence;	/* a dead holder's line stays in it */
	time_t		 lock_start;	/* when this holder took it */
	char		*warning;	/* store_warning(), or NULL */
};

/* rel (a path from the top of the work tree) made absolute: a new string,
 * free() it. */
char	*store_path(const struct store *, const char *rel);
/* Replace the warning store_warning() returns with a copy of msg; NULL
 * clears it. */
void	 store_set_warning(struct store *, const char *msg);

#endif
