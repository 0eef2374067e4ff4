/*
 * recjson.c - the record of an incident as JSON (recjson.h): its
 * corrections, withdrawn events, and the history of its state.
 */
#include <stdio.h>
#include <string.h>

#include "xmalloc.h"
#include "incjson.h"
#include "recjson.h"
#include "zone.h"

/* "2020-06-07 01:58 PDT" */
static json_t *
display(struct tstamp at, const char *zone)
{
	char	 b[64];

	zone_display(b, sizeof b, at.t, zone);
	return json_string(b);
}

static json_t *
short_ref(const struct incident *inc, const char *ref)
{
	char	 s[EVENT_REF_LEN + 1];

	if (*ref == '\0')
		return json_null();
	incident_short_ref(s, inc, ref);
	return json_string(s);
}

/* The moment of a state change: {"time", "display", "ref", "ref_short",
 * "logged_by", "logged_at"}. NULL ev: the declaration (the header). */
static json_t *
change_object(const struct incident *inc, const struct event *ev)
{
	json_t	*o = json_object();

	if (ev == NULL) {
		json_object_set_new(o, "time", json_null());
		json_object_set_new(o, "display", json_string("declared"));
		json_object_set_new(o, "ref", json_null());
		json_object_set_new(o, "ref_short", json_null());
		json_object_set_new(o, "logged_by", json_null());
		json_object_set_new(o, "logged_at", json_null());
		return o;
	}
	json_object_set_new(o, "time", incjson_time(ev->at));
	json_object_set_new(o, "display", display(ev->at, inc->zone));
	json_object_set_new(o, "ref", json_string(ev->ref));
	json_object_set_new(o, "ref_short", short_ref(inc, ev->ref));
	incjson_set_logged(o, ev, inc->zone);
	return o;
}

/* [{severity, text, time, display, ...}], the header's first. */
static json_t *
severity_history(const struct incident *inc)
{
	json_t			*a = json_array(), *o;
	const struct event	*ev;
	size_t			 i;

	if (*inc->severity != '\0') {
		o = change_object(inc, NULL);
		json_object_set_new(o, "severity", json_string(inc->severity));
		json_object_set_new(o, "text", json_string(""));
		json_array_append_new(a, o);
	}
	for (i = 0; i < inc->nevents; i++) {
		ev = &inc->events[i];
		if (ev->kind != EV_SEVERITY)
			continue;
		o = change_object(inc, ev);
		json_object_set_new(o, "severity", json_string(ev->arg));
		json_object_set_new(o, "text", json_string(ev->text));
		json_array_append_new(a, o);
	}
	return a;
}

/* Close the open row of role name (its holder until at), if any. */
static void
close_role(json_t *rows, const char *name, json_t *until)
{
	json_t	*o;
	size_t	 i;

	for (i = json_array_size(rows); i > 0; i--) {
		o = json_array_get(rows, i - 1);
		if (strcmp(json_string_value(json_object_get(o, "role")),
		    name) == 0 && json_is_null(json_object_get(o, "until"))) {
			json_object_set(o, "until", until);
			json_object_set_new(o, "current", json_false());
			break;
		}
	}
}

static json_t *
role_row(const struct incident *inc, const char *name, const char *person,
    const struct event *ev)
{
	json_t	*o = json_object();

	json_object_set_new(o, "role", json_string(name));
	json_object_set_new(o, "person", json_string(person));
	json_object_set_new(o, "has_person", json_boolean(*person != '\0'));
	json_object_set_new(o, "from", change_object(inc, ev));
	json_object_set_new(o, "until", json_null());
	json_object_set_new(o, "current", json_true());
	return o;
}

/* One row per holding of a role: who held it from when until when. */
static json_t *
role_rows(const struct incident *inc)
{
	json_t			*rows = json_array(), *until;
	const struct event	*ev;
	char			 name[128];
	size_t			 i, k;

	if (*inc->commander != '\0')
		json_array_append_new(rows, role_row(inc, "commander",
		    inc->commander, NULL));
	for (i = 0; i < inc->nevents; i++) {
		ev = &inc->events[i];
		if (ev->kind != EV_ROLE || ev->arg == NULL)
			continue;
		for (k = 0; ev->arg[k] != '\0' && k < sizeof name - 1; k++)
			name[k] = (char)(ev->arg[k] >= 'A' && ev->arg[k] <= 'Z'
			    ? ev->arg[k] - 'A' + 'a' : ev->arg[k]);
		name[k] = '\0';
		until = change_object(inc, ev);
		close_role(rows, name, until);
		json_decref(until);
		json_array_append_new(rows, role_row(inc, name, ev->text, ev));
	}
	return rows;
}

/* [{time, display, text, ref, ...}] of the events of one kind. */
static json_t *
changes_of(const struct incident *inc, enum event_kind kind)
{
	json_t			*a = json_array(), *o;
	const struct event	*ev;
	size_t			 i;

	for (i = 0; i < inc->nevents; i++) {
		ev = &inc->events[i];
		if (ev->kind != kind)
			continue;
		o = change_object(inc, ev);
		json_object_set_new(o, "text", json_string(ev->text));
		json_array_append_new(a, o);
	}
	return a;
}

/* What an applied amend changed: [{field, from, to}] and a one-line
 * summary ("time 2020-06-06 10:10 UTC -> 2020-06-07 01:10 UTC"). */
static json_t *
amend_changes(const struct incident *inc, const struct correction *c,
    const struct event *target, struct buf *summary)
{
	const struct amendment	*a = c->line.amend, *b = &c->before;
	json_t			*arr = json_array(), *o;
	char			 from[64], to[64];
	int			 f;

	for (f = 0; f < 4; f++) {
		unsigned bit = f == 0 ? AM_AT : f == 1 ? AM_KIND :
		    f == 2 ? AM_STATE : AM_TEXT;
		const char *field = f == 0 ? "time" : f == 1 ? "kind" :
		    f == 2 ? "state" : "text";

		if (!(a->set & bit))
			continue;
		switch (bit) {
		case AM_AT:
			zone_display(from, sizeof from, b->at.t, inc->zone);
			zone_display(to, sizeof to, a->at.t, inc->zone);
			break;
		case AM_KIND:
			snprintf(from, sizeof from, "%s",
			    event_kind_name(b->kind));
			snprintf(to, sizeof to, "%s", event_kind_name(a->kind));
			break;
		case AM_STATE:
			snprintf(from, sizeof from, "%s", b->state != ST_NONE ?
			    status_state_name(b->state) : "");
			snprintf(to, sizeof to, "%s",
			    status_state_name(a->state));
			break;
		default:
			break;
		}
		o = json_object();
		json_object_set_new(o, "field", json_string(field));
		json_object_set_new(o, "from", json_string(bit == AM_TEXT ?
		    (b->text != NULL ? b->text : "") : from));
		json_object_set_new(o, "to", json_string(bit == AM_TEXT ?
		    (a->text != NULL ? a->text : "") : to));
		json_array_append_new(arr, o);
		if (summary->len > 0)
			buf_adds(summary, "; ");
		if (bit == AM_TEXT)
			buf_adds(summary, "text reworded");
		else
			buf_printf(summary, "%s %s -> %s", field, from, to);
	}
	(void)target;
	return arr;
}

json_t *
recjson_correction(const struct incident *inc, const struct correction *c)
{
	const struct event	*target = NULL;
	json_t			*o = change_object(inc, &c->line), *changes;
	struct buf		 summary = BUF_INIT;
	char			 label[128];
	int			 applied = c->outcome == CO_APPLIED;

	if (c->target[0] != '\0')
		incident_find_ref(inc, c->target, &target, NULL, NULL);
	json_object_set_new(o, "kind", json_string(
	    event_kind_name(c->line.kind)));
	json_object_set_new(o, "target", c->target[0] != '\0' ?
	    json_string(c->target) : json_string(c->line.arg));
	json_object_set_new(o, "target_short", short_ref(inc,
	    c->target[0] != '\0' ? c->target : ""));
	json_object_set_new(o, "target_kind", c->target_kind < EV__COUNT ?
	    json_string(event_kind_name(c->target_kind)) : json_null());
	if (target != NULL) {
		event_label(label, sizeof label, target, ": ");
		json_object_set_new(o, "target_label", json_string(label));
		json_object_set_new(o, "target_display", display(target->at,
		    inc->zone));
	} else {
		json_object_set_new(o, "target_label", json_null());
		json_object_set_new(o, "target_display", json_null());
	}
	json_object_set_new(o, "outcome", json_string(
	    correction_outcome_text(c->outcome)));
	json_object_set_new(o, "applied", json_boolean(applied));
	json_object_set_new(o, "is_retract", json_boolean(c->line.kind ==
	    EV_RETRACT));
	json_object_set_new(o, "reason", json_string(c->line.text));
	json_object_set_new(o, "has_reason",
	    json_boolean(*c->line.text != '\0'));
	json_object_set_new(o, "why", c->why != NULL ? json_string(c->why) :
	    json_null());
	json_object_set_new(o, "line", json_integer(c->line.line));
	if (c->line.kind == EV_AMEND && c->line.amend != NULL && applied)
		changes = amend_changes(inc, c, target, &summary);
	else
		changes = json_array();
	if (c->line.kind == EV_RETRACT && applied)
		buf_adds(&summary, "withdrawn");
	else if (!applied)
		buf_printf(&summary, "no effect: %s", c->why != NULL ? c->why :
		    correction_outcome_text(c->outcome));
	json_object_set_new(o, "changes", changes);
	json_object_set_new(o, "summary", json_string(buf_str(&summary)));
	buf_free(&summary);
	return o;
}

static json_t *
declared(const struct incident *inc)
{
	json_t	*o = json_object(), *svc = json_array();
	size_t	 i;

	json_object_set_new(o, "title", json_string(inc->title));
	json_object_set_new(o, "severity", json_string(inc->severity));
	for (i = 0; i < inc->nservices; i++)
		json_array_append_new(svc, json_string(inc->services[i]));
	json_object_set_new(o, "services", svc);
	json_object_set_new(o, "commander", json_string(inc->commander));
	return o;
}

static int
has_role_events(const struct incident *inc)
{
	size_t	 i;

	for (i = 0; i < inc->nevents; i++)
		if (inc->events[i].kind == EV_ROLE)
			return 1;
	return 0;
}

int
recjson_add(json_t *doc, const struct incident *inc, int64_t backfill_s)
{
	json_t		*a, *o, *ev;
	size_t		 i;

	/* Per event: its short reference, and whether it was backfilled. */
	a = json_object_get(doc, "events");
	for (i = 0; i < inc->nevents && i < json_array_size(a); i++) {
		o = json_array_get(a, i);
		json_object_set_new(o, "ref_short", short_ref(inc,
		    inc->events[i].ref));
		json_object_set_new(o, "backfilled", json_boolean(
		    recjson_backfilled(&inc->events[i], backfill_s)));
	}
	json_object_set_new(doc, "declared", declared(inc));
	json_object_set_new(doc, "peak_severity",
	    json_string(inc->cur.peak_severity != NULL ?
	    inc->cur.peak_severity : inc->severity));
	a = severity_history(inc);
	json_object_set_new(doc, "has_severity_changes",
	    json_boolean(json_array_size(a) > 1));
	json_object_set_new(doc, "severity_history", a);
	a = role_rows(inc);
	/* A table of one declared commander says what the header says. */
	json_object_set_new(doc, "has_roles", json_boolean(has_role_events(inc)));
	json_object_set_new(doc, "roles", a);
	json_object_set_new(doc, "title_history", changes_of(inc, EV_TITLE));
	json_object_set_new(doc, "service_history",
	    changes_of(inc, EV_SERVICE));
	json_object_set_new(doc, "reopenings",
	    json_integer((json_int_t)inc->cur.reopenings));
	json_object_set_new(doc, "reopened", changes_of(inc, EV_REOPENED));
	json_object_set_new(doc, "has_reopenings",
	    json_boolean(inc->cur.reopenings > 0));
	json_object_set_new(doc, "excluded", json_boolean(inc->cur.excluded));
	json_object_set_new(doc, "exclude_reason",
	    json_string(inc->cur.exclude_reason != NULL ?
	    inc->cur.exclude_reason : ""));
	a = json_array();
	for (i = 0; i < inc->ncorrections; i++)
		json_array_append_new(a, recjson_correction(inc,
		    &inc->corrections[i]));
	json_object_set_new(doc, "has_corrections",
	    json_boolean(inc->ncorrections > 0));
	json_object_set_new(doc, "corrections", a);
	a = json_array();
	for (i = 0; i < inc->nretracted; i++) {
		if ((ev = incjson_event(&inc->retracted[i], inc->zone)) ==
		    NULL) {
			json_decref(a);
			return -1;
		}
		json_array_append_new(a, ev);
	}
	json_object_set_new(doc, "retracted", a);
	return 0;
}

int
recjson_backfilled(const struct event *ev, int64_t backfill_s)
{
	return ev->logged_by != NULL && backfill_s > 0 &&
	    ev->logged_at - ev->at.t > backfill_s;
}
