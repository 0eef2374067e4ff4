/*
 * recjson.h - the audited record of an incident as JSON (jansson): its
 * corrections, withdrawn events, and the history of its state (severity,
 * roles, title, services, reopenings, exclusion).
 *
 * These keys are part of the template data and of show --json; they are
 * only ever added to, never renamed (formats/template-data.md).
 */
#ifndef PM_RECJSON_H
#define PM_RECJSON_H

#include <stdint.h>

#include <jansson.h>

#include "incident.h"

/*
 * Add the record's keys to doc, an object that holds "events" (one
 * object per event of inc->events, in the same order, as
 * incjson_event() makes them): each event gains "ref_short" and
 * "backfilled"; doc gains "declared", "peak_severity",
 * "severity_history", "has_severity_changes", "roles", "has_roles",
 * "title_history", "service_history", "reopenings", "has_reopenings",
 * "reopened",
 * "excluded", "exclude_reason", "corrections", "has_corrections" and
 * "retracted". An event counts as backfilled when it was logged more
 * than backfill_s seconds after the time it names.
 * Returns 0, or -1 with the error set.
 */
int	 recjson_add(json_t *doc, const struct incident *, int64_t backfill_s);

/* One correction: {"time", "display", "ref", "ref_short", "logged_by",
 * "logged_at", "kind", "target", "target_short", "target_kind",
 * "target_label", "target_display", "outcome", "applied", "is_retract",
 * "reason", "has_reason", "why", "line", "changes": [{"field", "from",
 * "to"}], "summary"}. */
json_t	*recjson_correction(const struct incident *, const struct correction *);

/* 1 when ev was logged more than backfill_s after its time. */
int	 recjson_backfilled(const struct event *ev, int64_t backfill_s);

#endif
