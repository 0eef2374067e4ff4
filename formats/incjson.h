/*
 * incjson.h - incidents and their metrics as JSON (jansson).
 *
 * These objects are a contract that scripts rely on: keys are only ever
 * added, never renamed or removed. Every function returns a new reference
 * (json_decref() it) and sets an error and returns NULL only when a time
 * cannot be converted to the incident's zone.
 */
#ifndef PM_INCJSON_H
#define PM_INCJSON_H

#include <jansson.h>

#include "incident.h"
#include "metrics.h"

/* {"id", "title", "severity", "services", "commander", "zone", "state",
 *  "started", "events": [...]} ; events in time order, each
 * {"time", "time_local", "time_utc", "epoch", "kind", "state", "text",
 *  "line"}. */
json_t	*incjson_incident(const struct incident *);
/* One event: {"time", "time_local", "time_utc", "epoch", "kind",
 * "state", "text", "line", "ref", "amended", "logged_by", "logged_at"}. */
json_t	*incjson_event(const struct event *, const char *zone);
/* Set "logged_by" and "logged_at" (in zone) of o from ev, null when
 * unknown. */
void	 incjson_set_logged(json_t *o, const struct event *, const char *zone);
/* One row of pmtool list: {"id", "title", "severity", "services",
 * "started", "state", "events", "last_status", "excluded"}; title,
 * severity and services are the current ones. */
/*
 * What pmtool list shows of an incident, made from its parsed files or
 * from the index's row: one set of fields, so one output either way.
 * Borrowed strings; started and last_status as written (RFC 3339), or
 * NULL.
 */
struct incident_summary {
	const char	 *id, *title, *severity, *zone;
	const char	**services;
	size_t		  nservices;
	const char	 *started, *last_status;
	int64_t		  start_utc;	/* when started is not NULL */
	int		  resolved;
	int		  excluded;	/* left out of the figures */
	size_t		  nevents;
};

/* The summary of a parsed incident; its times are written into started
 * and last_status, which it points to. */
void	 incjson_summarize(struct incident_summary *,
	    const struct incident *, char started[TSTAMP_RFC3339_MAX],
	    char last_status[TSTAMP_RFC3339_MAX]);
json_t	*incjson_summary(const struct incident *);
json_t	*incjson_summary_of(const struct incident_summary *);
/* {"id", <every metric key>: seconds|null, "status_updates",
 *  "times": {"started": RFC 3339|null, ...}} */
json_t	*incjson_metrics(const struct incident *, const struct metrics *);

/* A stamp as RFC 3339 at its own offset, in the incident's zone, in UTC. */
json_t	*incjson_time(struct tstamp);
json_t	*incjson_time_in(struct tstamp, const char *zone);

#endif
