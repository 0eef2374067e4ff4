/*
 * export.h - reliability figures across the incidents of a period, as
 * CSV, JSON or a Markdown report (pmtool export). The rows come from the
 * index (core/index.h); the figures are computed here, the same way for
 * every format (formats/export-format.md).
 */
#ifndef PM_EXPORT_H
#define PM_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "metrics.h"
#include "period.h"

struct index;

/* The values summarised per metric: the metrics, then status_updates. */
#define EXPORT_NVALUES	(M__COUNT + 1)

struct export_incident {
	char	*id, *title, *severity, *zone;	/* severity: the current one */
	char	*severity_at_start, *peak_severity;	/* "" when unset */
	int64_t	 reopenings;
	char	**services;		/* nservices owned strings */
	size_t	 nservices;
	int	 open;
	int64_t	 start;			/* incident_start(): the period's key */
	int	 has_started, has_detected, has_resolved;
	int64_t	 started, detected, resolved;
	int	 has[EXPORT_NVALUES];
	int64_t	 value[EXPORT_NVALUES];	/* seconds; status_updates a count */
	int64_t	 open_actions, overdue_actions;
};

struct export_set {
	struct export_incident	*v;
	size_t			 n;
	size_t			 nexcluded;	/* incidents of the period left
						 * out (an excluded event) */
};

enum export_by { EXPORT_BY_NONE, EXPORT_BY_SEVERITY, EXPORT_BY_SERVICE };

/* What every writer needs besides the rows. */
struct export_opts {
	const struct period	*period;
	const char		*tz;		/* IANA zone of days and times */
	enum export_by		 by;
	int64_t			 cadence_s;	/* status-update threshold */
	int64_t			 now;		/* for the report's date */
	const struct export_set	*previous;	/* md only: the period before */
	const struct period	*previous_period;
};

/* The incidents of p from the index (overdue: due before today), but
 * those excluded from the figures, which are only counted. */
int	 export_collect(struct export_set *, struct index *,
	    const struct period *p, const char *today);
void	 export_set_free(struct export_set *);

/* The key of value i: a metric's JSON key, or "status_updates". */
const char *export_value_key(size_t i);

/* 1 when the incident kept to the cadence: at least one status update,
 * and no gap between two of them longer than cadence_s. */
int	 export_compliant(const struct export_incident *, int64_t cadence_s);

/* The whole document as a new string (free()). */
char	*export_csv(const struct export_set *, const struct export_opts *);
char	*export_json(const struct export_set *, const struct export_opts *);
char	*export_md(const struct export_set *, const struct export_opts *);

#endif
