/*
 * attrib.h - who logged each line of a timeline, and when: the author of
 * the commit that added the line, as `git blame` names it.
 *
 * A line is known by its reference (ev->ref), so the answer follows a
 * line through merges: a line that came from the other side of a merge
 * belongs to the commit that first added it there, never to the merge.
 * The attributions of every incident are cached in
 * <gitdir>/pmtool/attrib.sqlite (beside the index, not in it, so that a
 * reindex keeps them), together with the commit up to which the cache is
 * complete; each call walks only the commits made since. The file is
 * derived data: deleted, or of an unknown version, or unreadable, it is
 * rebuilt silently; when it cannot be used at all the answer is worked
 * out without it.
 */
#ifndef PM_ATTRIB_H
#define PM_ATTRIB_H

#include <stddef.h>

#define ATTRIB_SCHEMA_VERSION	2
#define ATTRIB_DIR		"pmtool"	/* the index's folder */
#define ATTRIB_FILE		"attrib.sqlite"

struct incident;
struct store;

/*
 * Fill in logged_by (a new string, freed with the incident) and
 * logged_at (the author time, seconds since the epoch) of every line of
 * inc: its events, its withdrawn events and its corrections' lines.
 * inc->id must be set and inc settled (as incfile_parse() leaves it). A
 * line that HEAD's version of the timeline does not hold (not committed
 * yet) gets NULL and 0, and so does every line when HEAD has no commit.
 * Names go through the repository's mailmap, as git blame's do. Values
 * the lines held before are freed first.
 *
 * Returns 0, or -1 with the error set when the repository cannot be
 * read; then the lines are left with NULL and 0. A cache that cannot be
 * opened or written is not an error.
 *
 * While it walks the history, libgit2's check of every object read
 * against its id (GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, a global
 * option) is off, for every thread, and on again after (its default).
 */
int	 attrib_fill(struct store *, struct incident *inc);

/* What the calling thread's last attrib_fill() did, for tests and
 * benchmarks. */
struct attrib_stats {
	size_t	 walked;	/* commits looked at */
	size_t	 parsed;	/* timeline versions parsed */
	size_t	 recorded;	/* lines found added by those commits */
	int	 cached;	/* 1: the cache was used */
	int	 full;		/* 1: the whole history was walked */
	int	 rebuilt;	/* 1: a damaged cache file was made anew */
};

void	 attrib_last_stats(struct attrib_stats *out);

#endif
