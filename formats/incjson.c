/* incjson.c - incidents and metrics as JSON. */
#include <string.h>

#include "incjson.h"
#include "zone.h"

json_t *
incjson_time(struct tstamp ts)
{
	char	 buf[TSTAMP_RFC3339_MAX];

	tstamp_format_rfc3339(buf, ts);
	return json_string(buf);
}

json_t *
incjson_time_in(struct tstamp ts, const char *zone)
{
	struct tstamp	 local;

	if (zone_stamp(&local, zone, ts.t) < 0)
		return NULL;
	return incjson_time(local);
}

static json_t *
services_array(const struct incident *inc)
{
	json_t	*a;
	size_t	 i;

	size_t	 n;
	char	**v = incident_services(inc, &n);

	a = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

json_t *
incjson_event(const struct event *ev, const char *zone)
{
	json_t		*o, *local;
	struct tstamp	 utc;

	if ((local = incjson_time_in(ev->at, zone)) == NULL)
		return NULL;
	utc.t = ev->at.t;
	utc.off = 0;
	utc.zulu = 1;
	o = json_object();
	json_object_set_new(o, "time", incjson_time(ev->at));
	json_object_set_new(o, "time_local", local);
	json_object_set_new(o, "time_utc", incjson_time(utc));
	json_object_set_new(o, "epoch", json_integer((json_int_t)ev->at.t));
	json_object_set_new(o, "kind", json_string(event_kind_name(ev->kind)));
	json_object_set_new(o, "state", ev->kind == EV_STATUS ?
	    json_string(status_state_name(ev->state)) : json_null());
	json_object_set_new(o, "text", json_string(ev->text));
	json_object_set_new(o, "line", json_integer(ev->line));
	json_object_set_new(o, "ref", json_string(ev->ref));
	json_object_set_new(o, "amended",
	    json_boolean(ev->flags & EVF_AMENDED));
	incjson_set_logged(o, ev, zone);
	return o;
}

void
incjson_set_logged(json_t *o, const struct event *ev, const char *zone)
{
	struct tstamp	 at;
	json_t		*t = NULL;

	at.t = ev->logged_at;
	at.off = 0;
	at.zulu = 1;
	if (ev->logged_by != NULL)
		t = incjson_time_in(at, zone);
	json_object_set_new(o, "logged_by", ev->logged_by != NULL ?
	    json_string(ev->logged_by) : json_null());
	json_object_set_new(o, "logged_at", t != NULL ? t : json_null());
}

static json_t *
optional_time(const struct event *ev)
{
	return ev != NULL ? incjson_time(ev->at) : json_null();
}

static void
set_header(json_t *o, const struct incident *inc)
{
	json_object_set_new(o, "id", inc->id != NULL ? json_string(inc->id) :
	    json_null());
	json_object_set_new(o, "title", json_string(incident_title(inc)));
	json_object_set_new(o, "severity",
	    json_string(incident_severity(inc)));
	json_object_set_new(o, "services", services_array(inc));
}

json_t *
incjson_incident(const struct incident *inc)
{
	json_t	*o, *events, *ev;
	size_t	 i;

	o = json_object();
	set_header(o, inc);
	json_object_set_new(o, "commander",
	    json_string(incident_commander(inc)));
	json_object_set_new(o, "zone", json_string(inc->zone));
	json_object_set_new(o, "state", json_string(
	    incident_is_resolved(inc) ? "resolved" : "open"));
	json_object_set_new(o, "started", optional_time(incident_start(inc)));
	events = json_array();
	for (i = 0; i < inc->nevents; i++) {
		if ((ev = incjson_event(&inc->events[i], inc->zone)) == NULL) {
			json_decref(events);
			json_decref(o);
			return NULL;
		}
		json_array_append_new(events, ev);
	}
	json_object_set_new(o, "events", events);
	return o;
}

json_t *
incjson_summary_of(const struct incident_summary *sum)
{
	json_t	*o, *services;
	size_t	 i;

	o = json_object();
	json_object_set_new(o, "id", sum->id != NULL ? json_string(sum->id) :
	    json_null());
	json_object_set_new(o, "title", json_string(sum->title));
	json_object_set_new(o, "severity", json_string(sum->severity));
	services = json_array();
	for (i = 0; i < sum->nservices; i++)
		json_array_append_new(services, json_string(sum->services[i]));
	json_object_set_new(o, "services", services);
	json_object_set_new(o, "started", sum->started != NULL ?
	    json_string(sum->started) : json_null());
	json_object_set_new(o, "state", json_string(sum->resolved ?
	    "resolved" : "open"));
	json_object_set_new(o, "events", json_integer((json_int_t)sum->nevents));
	json_object_set_new(o, "last_status", sum->last_status != NULL ?
	    json_string(sum->last_status) : json_null());
	json_object_set_new(o, "excluded", json_boolean(sum->excluded));
	return o;
}

void
incjson_summarize(struct incident_summary *sum, const struct incident *inc,
    char started[TSTAMP_RFC3339_MAX], char last_status[TSTAMP_RFC3339_MAX])
{
	const struct event	*start = incident_start(inc);
	const struct event	*last = incident_last_status(inc);

	memset(sum, 0, sizeof *sum);
	sum->id = inc->id;
	sum->title = incident_title(inc);
	sum->severity = incident_severity(inc);
	sum->zone = inc->zone;
	sum->services = (const char **)incident_services(inc,
	    &sum->nservices);
	sum->excluded = inc->cur.excluded;
	if (start != NULL) {
		tstamp_format_rfc3339(started, start->at);
		sum->started = started;
		sum->start_utc = start->at.t;
	}
	if (last != NULL) {
		tstamp_format_rfc3339(last_status, last->at);
		sum->last_status = last_status;
	}
	sum->resolved = incident_is_resolved(inc);
	sum->nevents = inc->nevents;
}

json_t *
incjson_summary(const struct incident *inc)
{
	struct incident_summary	 sum;
	char			 started[TSTAMP_RFC3339_MAX];
	char			 last_status[TSTAMP_RFC3339_MAX];

	incjson_summarize(&sum, inc, started, last_status);
	return incjson_summary_of(&sum);
}

json_t *
incjson_metrics(const struct incident *inc, const struct metrics *m)
{
	json_t	*o, *times;
	int	 i;

	o = json_object();
	json_object_set_new(o, "id", inc->id != NULL ? json_string(inc->id) :
	    json_null());
	for (i = 0; i < M__COUNT; i++)
		json_object_set_new(o, metric_key((enum metric)i), m->has[i] ?
		    json_integer((json_int_t)m->value[i]) : json_null());
	json_object_set_new(o, "status_updates",
	    json_integer(m->status_updates));
	json_object_set_new(o, "reopenings", json_integer(m->reopenings));
	times = json_object();
	for (i = 0; i < P__COUNT; i++)
		json_object_set_new(times, endpoint_key((enum endpoint)i),
		    optional_time(m->at[i]));
	json_object_set_new(o, "times", times);
	return o;
}
