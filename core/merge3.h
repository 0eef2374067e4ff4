/*
 * merge3.h - three-way merges of pmtool's append-only files, as sync
 * uses them when both sides changed an incident (formats/sync.md).
 *
 * Events and records are never lost: the body of a file is merged as a
 * multiset of blocks (an event line with its continuation and comment
 * lines, or one record line), and header fields changed on both sides
 * are settled by the documented rule: the remote's value wins.
 */
#ifndef PM_MERGE3_H
#define PM_MERGE3_H

#include <stddef.h>

/* What a merge decided, one line of text each, for sync to report. */
struct merge_notes {
	char	**v;
	size_t	 n;
};

void	 merge_notes_free(struct merge_notes *);

/*
 * Merge three versions of a timeline (base may be "" when both sides
 * added the file). *out is a new string. Header fields: a field changed
 * on one side only takes that side's value; changed differently on both,
 * theirs (the remote's) wins and a note says so, naming path. The events
 * and comments after the header: ours in order, then theirs' new blocks.
 */
void	 merge_timeline(char **out, struct merge_notes *notes,
	    const char *path, const char *base, const char *ours,
	    const char *theirs);
/* The same for a file of one-line records (actions.txt): no header. */
void	 merge_records(char **out, const char *base, const char *ours,
	    const char *theirs);

#endif
