/*
 * lint.h - what is wrong or stale in an incident's record: a timeline
 * that contradicts itself, corrections that point nowhere, public status
 * updates that break the cadence or follow a "resolved" post, empty
 * analysis sections, overdue actions.
 *
 * The checks print nothing: they add findings to a list, which the
 * caller sorts (lint_sort()) and formats (lint_format()) as
 * "FILE:LINE: error: MESSAGE". FILE is relative to the store's top
 * (incidents/ID/timeline.txt), LINE the line of the offending event or
 * heading (1 when there is no better one).
 */
#ifndef PM_LINT_H
#define PM_LINT_H

#include <stddef.h>
#include <stdint.h>

#include "actions.h"
#include "analysis.h"
#include "incident.h"

/* Severities: an error makes the record wrong; a warning is style or
 * staleness. */
enum lint_severity {
	LINT_WARNING,
	LINT_ERROR
};

/* One finding. The file and the message are owned by the list. */
struct lint_finding {
	enum lint_severity severity;
	char		*file;	/* relative to the store's top */
	unsigned	 line;	/* from 1; 1 when there is none better */
	/* The full reference of the event it is about, or "". */
	char		 ref[EVENT_REF_LEN + 1];
	char		*message;	/* one line */
};

struct lint_list {
	struct lint_finding *items;
	size_t		 n;
	size_t		 cap;
};

/* An empty list; lint_list_free() empties it again (it may be reused). */
void	 lint_list_init(struct lint_list *);
void	 lint_list_free(struct lint_list *);
/* Add a finding (file and the message are copied; ref may be NULL). */
void	 lint_add(struct lint_list *, enum lint_severity, const char *file,
	    unsigned line, const char *ref, const char *fmt, ...)
	    __attribute__((format(printf, 6, 7)));
/* Order by file, then line, then errors before warnings, then message. */
void	 lint_sort(struct lint_list *);
/* Keep only the findings about the event ref (a full reference): what
 * 'pmtool log' shows of lint_timeline() after appending that event. */
void	 lint_keep_ref(struct lint_list *, const char *ref);
/* How many findings of a severity. */
size_t	 lint_count(const struct lint_list *, enum lint_severity);
/* "FILE:LINE: error: MESSAGE" (or "warning"), without a newline. A new
 * string (free()). */
char	*lint_format(const struct lint_finding *);
const char *lint_severity_name(enum lint_severity);

/*
 * What lint_incident() looks at; all borrowed, only inc required.
 * analysis NULL with analysis_missing 1: there is no postmortem.md (a
 * finding); with analysis_missing 0: the analysis is not checked (it
 * could not be read).
 */
struct lint_input {
	const struct incident	*inc;	/* parsed, settled, id set */
	const struct analysis	*analysis;
	int			 analysis_missing;
	const struct action_list *actions;	/* NULL: none */
	int64_t			 cadence_s;	/* status.cadence */
	int64_t			 now;		/* tstamp_now() */
};

/*
 * Every check of one incident, added to out: lint_timeline()'s, then
 * the analysis (no postmortem.md, a section absent or empty: errors once
 * the incident is resolved, unless it is excluded; warnings while open;
 * an empty section that holds a comment of its own, not the skeleton's,
 * says why it is empty and is a warning) and overdue actions (warnings).
 * 0, or -1 with the error set (the incident's zone cannot say what day
 * it is); findings added before a failure stay.
 */
int	 lint_incident(struct lint_list *out, const struct lint_input *);

/*
 * The checks of the timeline alone, added to out. Each finding carries
 * the full ref of the event it is about: for a contradiction between two
 * events, the one logged later (the higher seq), so that 'pmtool log' can
 * print just what the event it appended caused.
 *   errors:   detected, acknowledged, mitigated or resolved before the
 *             (earliest) started; acknowledged, mitigated or resolved
 *             before the (earliest) detected; resolved before the
 *             earliest mitigated with no reopened between; a second
 *             detected with no reopened since the first; a public status
 *             update after a "status resolved" with no reopened between;
 *             a correction whose target is unknown or ambiguous, that
 *             amends a correction, or that does not fit its event
 *   warnings: a gap between public status updates longer than
 *             cadence_s, and for an open incident no update for longer
 *             than that at now; a status update that is not "resolved"
 *             after the resolved event; a repeated "status resolved"; an
 *             amend of a retracted event; a role handed to no one
 * Nothing here fails.
 */
int	 lint_timeline(struct lint_list *out, const struct incident *inc,
	    int64_t cadence_s, int64_t now);

/*
 * What the line ref (full, or a unique prefix) contradicts in the
 * timeline: lint_timeline()'s findings about it, without the cadence
 * (a late update contradicts nothing), sorted. What 'pmtool log' and the
 * TUI warn of after (or before) appending an event. Nothing fails; an
 * unknown ref finds nothing.
 */
void	 lint_event(struct lint_list *out, const struct incident *inc,
	    const char *ref, int64_t now);

#endif
