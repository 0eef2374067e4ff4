/*
 * metrics.h - the response metrics of one incident.
 *
 * Endpoints: started = earliest started event, detected = earliest
 * detected, acknowledged = earliest acknowledged, first status = earliest
 * status event, mitigated = earliest mitigated, resolved = latest resolved.
 * A metric is missing (null) when one of its endpoints is.
 */
#ifndef PM_METRICS_H
#define PM_METRICS_H

#include <stdint.h>

#include "incident.h"

/* Metric constant, JSON key, label, definition. The order is the order
 * of every output (JSON, text, and later exports). */
#define METRICS \
	X(M_DETECT,	  "time_to_detect_s",	    "time to detect",	      "detected - started") \
	X(M_ACKNOWLEDGE,  "time_to_acknowledge_s",  "time to acknowledge",    "acknowledged - detected") \
	X(M_FIRST_STATUS, "time_to_first_status_s", "time to first status",   "first status - started") \
	X(M_DETECT_STATUS,"detect_to_status_s",	    "detect to status",	      "first status - detected") \
	X(M_MAX_GAP,	  "max_status_gap_s",	    "longest status gap",     "largest gap between consecutive status updates") \
	X(M_MITIGATE,	  "time_to_mitigate_s",	    "time to mitigate",	      "mitigated - started") \
	X(M_RESOLVE,	  "time_to_resolve_s",	    "time to resolve",	      "resolved - started")

enum metric {
#define X(e, key, label, def) e,
	METRICS
#undef X
	M__COUNT
};

/* Endpoints, in the order of the JSON "times" object. */
#define ENDPOINTS \
	X(P_STARTED,	  "started") \
	X(P_DETECTED,	  "detected") \
	X(P_ACKNOWLEDGED, "acknowledged") \
	X(P_FIRST_STATUS, "first_status") \
	X(P_MITIGATED,	  "mitigated") \
	X(P_RESOLVED,	  "resolved")

enum endpoint {
#define X(e, key) e,
	ENDPOINTS
#undef X
	P__COUNT
};

struct metrics {
	const struct event *at[P__COUNT];	/* borrowed; NULL if missing */
	int		 has[M__COUNT];
	int64_t		 value[M__COUNT];	/* seconds, when has[] */
	int		 status_updates;
	int		 reopenings;	/* reopened events */
};

/* Compute from inc, whose events must be sorted. The endpoints borrow
 * inc's events: valid while inc is unchanged. */
void		 metrics_compute(struct metrics *out, const struct incident *);
const char	*metric_key(enum metric);
const char	*metric_label(enum metric);
const char	*metric_definition(enum metric);
const char	*endpoint_key(enum endpoint);

#endif
