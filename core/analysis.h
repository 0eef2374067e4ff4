/*
 * analysis.h - the written analysis of an incident: postmortem.md.
 *
 * People write it in Markdown; pmtool finds its sections by their
 * headings (case-insensitive, in any order) with cmark-gfm. Sections it
 * does not know are kept, in the order written, to be rendered after the
 * known ones.
 */
#ifndef PM_ANALYSIS_H
#define PM_ANALYSIS_H

#include <stddef.h>

#define ANALYSIS_FILE	"postmortem.md"

/* Section constant, JSON key, heading, what goes there (for the skeleton). */
#define ANALYSIS_SECTIONS \
	X(SEC_SUMMARY,	  "summary",	      "Summary",	    "What happened, to whom, for how long, in two or three sentences.") \
	X(SEC_LEADUP,	  "lead_up",	      "Lead-up",	    "The circumstances and changes that led to the fault.") \
	X(SEC_FAULT,	  "fault",	      "Fault",		    "What failed, and how.") \
	X(SEC_IMPACT,	  "impact",	      "Impact",		    "Who and what was affected, how badly, for how long.") \
	X(SEC_DETECTION,  "detection",	      "Detection",	    "How and when the team learned of it; what could have told us sooner.") \
	X(SEC_RESPONSE,	  "response",	      "Response",	    "Who responded, what they did, how the public was kept informed.") \
	X(SEC_RECOVERY,	  "recovery",	      "Recovery",	    "How service was restored, and what slowed it down.") \
	X(SEC_ROOT_CAUSE, "root_cause",	      "Root cause",	    "Why it happened: the causes beneath the fault.") \
	X(SEC_LESSONS,	  "lessons_learned",  "Lessons learned",    "What went well, what went badly, where we got lucky.") \
	X(SEC_ACTIONS,	  "corrective_actions", "Corrective actions", "Prose about the follow-up; track the items with 'pmtool action add'.")

enum section_id {
#define X(e, key, title, hint) e,
	ANALYSIS_SECTIONS
#undef X
	SEC__COUNT
};

struct section {
	char		*title;		/* the heading as written */
	char		*markdown;	/* the body, verbatim, trimmed */
	int		 empty;		/* nothing but blank lines/comments */
	unsigned	 line;		/* line of the heading, 0 if absent */
};

struct analysis {
	struct section	 known[SEC__COUNT];	/* absent: title NULL */
	struct section	*extra;			/* unknown sections */
	size_t		 nextra;
};

/*
 * Parse buf[0..len) (name for messages). Never fails on Markdown (any
 * text is Markdown); fails with "NAME:LINE:COL: error: ..." on invalid
 * UTF-8 or control characters. Free with analysis_free().
 */
int	 analysis_parse(struct analysis *out, const char *name,
	    const char *buf, size_t len);
void	 analysis_free(struct analysis *);
/* An analysis with every section absent. */
void	 analysis_init(struct analysis *);
/* The skeleton of a new incident's postmortem.md. Caller frees. */
char	*analysis_skeleton(const char *title);
/* SEC__COUNT when title names no known section. */
enum section_id section_from_title(const char *title);
const char *section_key(enum section_id);
const char *section_title(enum section_id);

#endif
