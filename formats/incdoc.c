/* incdoc.c - the incident as one JSON document, for templates. */
#include <stdio.h>
#include <string.h>

#include "incdoc.h"
#include "incjson.h"
#include "recjson.h"
#include "metrics.h"
#include "xmalloc.h"
#include "zone.h"

/* "2020-06-07 01:58 PDT" in zone, or in UTC when zone is NULL. */
static json_t *
display_time(int64_t t, const char *zone)
{
	char	 out[64];

	if (zone_format_display(out, sizeof out, t, zone) < 0)
		return NULL;
	return json_string(out);
}

/* {"time", "time_local", "time_utc", "display", "display_utc"} */
static json_t *
moment(struct tstamp at, const char *zone)
{
	struct tstamp	 utc = { at.t, 0, 1 };
	json_t		*o, *local, *disp;

	local = incjson_time_in(at, zone);
	disp = display_time(at.t, zone);
	if (local == NULL || disp == NULL) {
		json_decref(local);
		json_decref(disp);
		return NULL;
	}
	o = json_object();
	json_object_set_new(o, "time", incjson_time(at));
	json_object_set_new(o, "time_local", local);
	json_object_set_new(o, "time_utc", incjson_time(utc));
	json_object_set_new(o, "display", disp);
	json_object_set_new(o, "display_utc", display_time(at.t, NULL));
	return o;
}

static json_t *
duration(int64_t secs)
{
	char	 b[32];

	duration_format(b, sizeof b, secs);
	return json_string(b);
}

static json_t *
lines_array(const char *text)
{
	json_t		*a = json_array();
	const char	*p = text, *nl;

	if (*text == '\0')
		return a;
	for (;;) {
		nl = strchr(p, '\n');
		json_array_append_new(a, json_stringn(p, nl != NULL ?
		    (size_t)(nl - p) : strlen(p)));
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return a;
}

/* Add display fields to the events incjson_incident() made. */
static int
decorate_events(json_t *doc, const struct incident *inc)
{
	json_t			*events, *o, *disp;
	const struct event	*ev;
	char			 label[64];
	size_t			 i;

	events = json_object_get(doc, "events");
	for (i = 0; i < inc->nevents; i++) {
		ev = &inc->events[i];
		o = json_array_get(events, i);
		if ((disp = display_time(ev->at.t, inc->zone)) == NULL)
			return -1;
		json_object_set_new(o, "display", disp);
		json_object_set_new(o, "display_utc",
		    display_time(ev->at.t, NULL));
		event_label(label, sizeof label, ev, ": ");
		json_object_set_new(o, "label", json_string(label));
		json_object_set_new(o, "is_status",
		    json_boolean(ev->kind == EV_STATUS));
		json_object_set_new(o, "lines", lines_array(ev->text));
	}
	return 0;
}

static int
add_span(json_t *doc, const struct incident *inc)
{
	const struct event	*start, *end;
	json_t			*m;

	start = incident_start(inc);
	end = incident_end(inc);
	m = NULL;
	if (start != NULL && (m = moment(start->at, inc->zone)) == NULL)
		return -1;
	json_object_set_new(doc, "start", m != NULL ? m : json_null());
	m = NULL;
	if (end != NULL && (m = moment(end->at, inc->zone)) == NULL)
		return -1;
	json_object_set_new(doc, "end", m != NULL ? m : json_null());
	if (start != NULL && end != NULL) {
		json_object_set_new(doc, "duration_s",
		    json_integer((json_int_t)(end->at.t - start->at.t)));
		json_object_set_new(doc, "duration",
		    duration(end->at.t - start->at.t));
	} else {
		json_object_set_new(doc, "duration_s", json_null());
		json_object_set_new(doc, "duration", json_null());
	}
	return 0;
}

static void
add_metrics(json_t *doc, const struct incident *inc)
{
	struct metrics	 m;
	json_t		*table, *row;
	int		 i;

	metrics_compute(&m, inc);
	json_object_set_new(doc, "metrics", incjson_metrics(inc, &m));
	table = json_array();
	for (i = 0; i < M__COUNT; i++) {
		row = json_object();
		json_object_set_new(row, "key",
		    json_string(metric_key((enum metric)i)));
		json_object_set_new(row, "label",
		    json_string(metric_label((enum metric)i)));
		json_object_set_new(row, "definition",
		    json_string(metric_definition((enum metric)i)));
		json_object_set_new(row, "seconds", m.has[i] ?
		    json_integer((json_int_t)m.value[i]) : json_null());
		json_object_set_new(row, "value", m.has[i] ?
		    duration(m.value[i]) : json_string("n/a"));
		json_array_append_new(table, row);
	}
	json_object_set_new(doc, "metrics_table", table);
}

/* Every gap between consecutive public status updates, flagged when it
 * exceeds the threshold; for an open incident also the time since the
 * last update. */
static int
add_cadence(json_t *doc, const struct incident *inc, int64_t threshold,
    int64_t now)
{
	const struct event	*prev = NULL, *ev, *last;
	json_t			*c, *gaps, *g, *from, *to;
	int64_t			 secs;
	size_t			 i, overdue = 0;

	c = json_object();
	gaps = json_array();
	for (i = 0; i < inc->nevents; i++) {
		ev = &inc->events[i];
		if (ev->kind != EV_STATUS)
			continue;
		if (prev != NULL) {
			secs = ev->at.t - prev->at.t;
			from = display_time(prev->at.t, inc->zone);
			to = display_time(ev->at.t, inc->zone);
			if (from == NULL || to == NULL) {
				json_decref(from);
				json_decref(to);
				json_decref(gaps);
				json_decref(c);
				return -1;
			}
			g = json_object();
			json_object_set_new(g, "from", from);
			json_object_set_new(g, "to", to);
			json_object_set_new(g, "seconds",
			    json_integer((json_int_t)secs));
			json_object_set_new(g, "duration", duration(secs));
			json_object_set_new(g, "overdue",
			    json_boolean(secs > threshold));
			json_array_append_new(gaps, g);
			if (secs > threshold)
				overdue++;
		}
		prev = ev;
	}
	json_object_set_new(c, "threshold_s", json_integer(threshold));
	json_object_set_new(c, "threshold", duration(threshold));
	json_object_set_new(c, "has_gaps", json_boolean(json_array_size(gaps) > 0));
	json_object_set_new(c, "gaps", gaps);
	json_object_set_new(c, "overdue_count", json_integer((json_int_t)overdue));
	json_object_set_new(c, "compliant", json_boolean(overdue == 0));
	last = incident_last_status(inc);
	if (!incident_is_resolved(inc) && last != NULL) {
		secs = now - last->at.t;
		json_object_set_new(c, "since_last_status_s",
		    json_integer((json_int_t)secs));
		json_object_set_new(c, "since_last_status", duration(secs));
		json_object_set_new(c, "status_overdue",
		    json_boolean(secs > threshold));
	} else {
		json_object_set_new(c, "since_last_status_s", json_null());
		json_object_set_new(c, "since_last_status", json_null());
		json_object_set_new(c, "status_overdue", json_false());
	}
	json_object_set_new(doc, "cadence", c);
	return 0;
}

static json_t *
section_object(const struct section *s, const char *key, const char *title)
{
	json_t	*o = json_object();

	if (key != NULL)
		json_object_set_new(o, "key", json_string(key));
	json_object_set_new(o, "title", json_string(s->title != NULL ?
	    s->title : title));
	/* Known sections get their usual heading whatever the spelling. */
	json_object_set_new(o, "heading", json_string(key != NULL ? title :
	    s->title != NULL ? s->title : ""));
	json_object_set_new(o, "markdown", json_string(s->markdown != NULL ?
	    s->markdown : ""));
	json_object_set_new(o, "present", json_boolean(s->title != NULL));
	json_object_set_new(o, "empty", json_boolean(s->title == NULL ||
	    s->empty));
	return o;
}

static void
add_sections(json_t *doc, const struct analysis *a)
{
	struct analysis	 none;
	json_t		*map, *list, *extra;
	size_t		 i;

	if (a == NULL) {
		analysis_init(&none);
		a = &none;
	}
	map = json_object();
	list = json_array();
	extra = json_array();
	for (i = 0; i < SEC__COUNT; i++) {
		json_object_set_new(map, section_key((enum section_id)i),
		    section_object(&a->known[i],
		    section_key((enum section_id)i),
		    section_title((enum section_id)i)));
		json_array_append_new(list, section_object(&a->known[i],
		    section_key((enum section_id)i),
		    section_title((enum section_id)i)));
	}
	for (i = 0; i < a->nextra; i++) {
		json_array_append_new(extra, section_object(&a->extra[i], NULL,
		    ""));
		json_array_append_new(list, section_object(&a->extra[i], NULL,
		    ""));
	}
	json_object_set_new(doc, "sections", map);
	json_object_set_new(doc, "sections_list", list);
	json_object_set_new(doc, "extra_sections", extra);
}

static void
add_actions(json_t *doc, json_t *actions)
{
	json_t	*a, *item;
	size_t	 i, open = 0, overdue = 0;

	a = actions != NULL ? json_deep_copy(actions) : json_array();
	json_array_foreach(a, i, item) {
		const char	*state, *owner;

		state = json_string_value(json_object_get(item, "state"));
		if (state != NULL && strcmp(state, "open") == 0)
			open++;
		owner = json_string_value(json_object_get(item, "owner"));
		json_object_set_new(item, "has_owner",
		    json_boolean(owner != NULL && *owner != '\0'));
		if (json_is_true(json_object_get(item, "overdue")))
			overdue++;
	}
	json_object_set_new(doc, "has_actions",
	    json_boolean(json_array_size(a) > 0));
	json_object_set_new(doc, "open_actions", json_integer((json_int_t)open));
	json_object_set_new(doc, "overdue_actions",
	    json_integer((json_int_t)overdue));
	json_object_set_new(doc, "actions", a);
}

/* The public status updates, newest first, as status pages show them. */
static void
add_updates(json_t *doc)
{
	json_t		*events, *ev, *updates, *u;
	const char	*state;
	char		 cap[32];
	size_t		 i;

	events = json_object_get(doc, "events");
	updates = json_array();
	for (i = json_array_size(events); i > 0; i--) {
		ev = json_array_get(events, i - 1);
		if (!json_is_true(json_object_get(ev, "is_status")))
			continue;
		state = json_string_value(json_object_get(ev, "state"));
		snprintf(cap, sizeof cap, "%s", state != NULL ? state : "");
		if (cap[0] >= 'a' && cap[0] <= 'z')
			cap[0] = (char)(cap[0] - 'a' + 'A');
		u = json_deep_copy(ev);
		json_object_set_new(u, "state_title", json_string(cap));
		json_array_append_new(updates, u);
	}
	json_object_set_new(doc, "updates", updates);
}

static void
add_header_flags(json_t *doc, const struct incident *inc)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	for (i = 0; i < inc->nservices; i++)
		buf_printf(&b, "%s%s", i > 0 ? ", " : "", inc->services[i]);
	json_object_set_new(doc, "services_text", json_string(buf_str(&b)));
	buf_free(&b);
	json_object_set_new(doc, "has_services",
	    json_boolean(inc->nservices > 0));
	json_object_set_new(doc, "has_severity",
	    json_boolean(*inc->severity != '\0'));
	json_object_set_new(doc, "has_commander",
	    json_boolean(*inc->commander != '\0'));
	json_object_set_new(doc, "is_resolved",
	    json_boolean(incident_is_resolved(inc)));
}

json_t *
incdoc_build(const struct incdoc_input *in)
{
	const struct incident	*inc = in->inc;
	struct tstamp		 now;
	json_t			*doc;
	char			 b[TSTAMP_RFC3339_MAX];

	if ((doc = incjson_incident(inc)) == NULL)
		return NULL;
	if (decorate_events(doc, inc) < 0 || add_span(doc, inc) < 0 ||
	    add_cadence(doc, inc, in->cadence_s, in->now) < 0 ||
	    recjson_add(doc, inc, in->backfill_s) < 0) {
		json_decref(doc);
		return NULL;
	}
	add_header_flags(doc, inc);
	add_updates(doc);
	add_metrics(doc, inc);
	add_sections(doc, in->analysis);
	add_actions(doc, in->actions);
	now.t = in->now;
	now.off = 0;
	now.zulu = 1;
	tstamp_format_rfc3339(b, now);
	json_object_set_new(doc, "generated_at", json_string(b));
	return doc;
}
