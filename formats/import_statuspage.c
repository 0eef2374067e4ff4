/*
 * import_statuspage.c - Atlassian Statuspage JSON (the public API v2's
 * incidents.json and unresolved.json, webhooks, the manage API's bare
 * incidents) read into an import_set. formats/import-statuspage.md says
 * what is taken from where.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "error.h"
#include "import.h"
#include "xmalloc.h"
#include "zone.h"

#define SP_INCIDENT	"statuspage:incident:"
#define SP_UPDATE	"statuspage:update:"

/*
 * Statuspage's impact as a severity. pmtool's SEV1 is the worst, as
 * "critical" is Statuspage's worst; "none" is still an incident, so it is
 * the least one rather than no severity. Anything else (absent, null, a
 * value Statuspage may add later) leaves the severity empty.
 */
static const struct {
	const char	*impact;
	const char	*severity;
} sp_impacts[] = {
	{ "critical",	 "SEV1" },
	{ "major",	 "SEV2" },
	{ "minor",	 "SEV3" },
	{ "none",	 "SEV4" },
	{ "maintenance", "maintenance" },
};

/*
 * An update's status as a state. ST_NONE stands for "no state of its
 * own": such an update is written as an "update". A maintenance's steps
 * take the incident state of the same place in the sequence.
 */
static const struct {
	const char		*status;
	enum status_state	 state;
} sp_states[] = {
	{ "investigating", ST_INVESTIGATING },
	{ "identified",	   ST_IDENTIFIED },
	{ "monitoring",	   ST_MONITORING },
	{ "resolved",	   ST_RESOLVED },
	{ "postmortem",	   ST_NONE },
	{ "scheduled",	   ST_INVESTIGATING },
	{ "in_progress",   ST_IDENTIFIED },
	{ "verifying",	   ST_MONITORING },
	{ "completed",	   ST_RESOLVED },
};



/* Append ": fmt..." to r->where; returns where it was cut, for
 * where_pop(). */
static size_t
where_push(struct import_reader *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static size_t
where_push(struct import_reader *r, const char *fmt, ...)
{
	va_list	 ap;
	size_t	 mark = strlen(r->where);

	if (mark > 0 && mark + 2 < sizeof r->where)
		strcpy(r->where + mark, ": ");
	va_start(ap, fmt);
	vsnprintf(r->where + strlen(r->where), sizeof r->where -
	    strlen(r->where), fmt, ap);
	va_end(ap);
	return mark;
}

static void
where_pop(struct import_reader *r, size_t mark)
{
	r->where[mark] = '\0';
}

/* obj[key] when it is of type, NULL when absent or null (alike, as
 * Statuspage versions differ); another type is an error. */
static int
get_typed(struct import_reader *r, json_t *obj, const char *key, json_type type,
    json_t **out)
{
	static const char *want[] = { "an object", "an array", "a string" };
	json_t	*v = json_object_get(obj, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (json_typeof(v) != type)
		return import_error(r, "%s: expected %s, found %s", key,
		    want[type == JSON_OBJECT ? 0 : type == JSON_ARRAY ? 1 : 2],
		    import_json_type(v));
	*out = v;
	return 0;
}

/* obj[key] as a string, NULL when absent or null. */
static int
get_string(struct import_reader *r, json_t *obj, const char *key, const char **out)
{
	json_t	*v;

	*out = NULL;
	if (get_typed(r, obj, key, JSON_STRING, &v) < 0)
		return -1;
	if (v != NULL)
		*out = json_string_value(v);
	return 0;
}

/* The "id" every incident and update must have: source ids rest on it. */
static int
get_id(struct import_reader *r, json_t *obj, const char **out)
{
	if (get_string(r, obj, "id", out) < 0)
		return -1;
	if (*out == NULL || **out == '\0')
		return import_error(r, "id: missing");
	return 0;
}

/* The page's zone when the zone database has it, else UTC. */
static int
page_zone(struct import_reader *r, json_t *root)
{
	json_t	*page, *tz;
	size_t	 mark;

	r->zone = "UTC";
	if (get_typed(r, root, "page", JSON_OBJECT, &page) < 0)
		return -1;
	if (page == NULL)
		return 0;
	mark = where_push(r, "page");
	if (get_typed(r, page, "time_zone", JSON_STRING, &tz) < 0)
		return -1;
	where_pop(r, mark);
	if (tz == NULL)
		return 0;
	if (zone_check(json_string_value(tz)) == 0)
		r->zone = json_string_value(tz);
	else
		pm_error_clear();	/* not an error: UTC stands in */
	return 0;
}

static const char *
impact_severity(const char *impact)
{
	size_t	 i;

	for (i = 0; impact != NULL && i < sizeof sp_impacts /
	    sizeof sp_impacts[0]; i++)
		if (strcmp(impact, sp_impacts[i].impact) == 0)
			return sp_impacts[i].severity;
	return "";
}

/* Add the names of a components list (incident's or update's). */
static int
add_components(struct import_reader *r, struct import_incident *inc, json_t *obj,
    const char *key)
{
	json_t		*list, *c;
	const char	*name;
	char		*clean;
	size_t		 i, mark;

	if (get_typed(r, obj, key, JSON_ARRAY, &list) < 0)
		return -1;
	json_array_foreach(list, i, c) {
		mark = where_push(r, "%s[%zu]", key, i);
		if (!json_is_object(c))
			return import_error(r, "expected an object, found %s",
			    import_json_type(c));
		if (get_string(r, c, "name", &name) < 0)
			return -1;
		where_pop(r, mark);
		if (name == NULL)
			continue;
		clean = import_clean_line(name, strlen(name));
		if (*clean != '\0')
			import_add_service(inc, clean);
		free(clean);
	}
	return 0;
}

/* The state an update's status names, ST_NONE for one without a state of
 * its own (postmortem, or a status Statuspage may add later). */
static enum status_state
status_state(const char *status)
{
	size_t	 i;

	for (i = 0; i < sizeof sp_states / sizeof sp_states[0]; i++)
		if (strcmp(status, sp_states[i].status) == 0)
			return sp_states[i].state;
	return ST_NONE;
}

static int
read_update(struct import_reader *r, struct import_incident *inc, json_t *u,
    size_t idx)
{
	struct import_event	*e;
	struct tstamp		 at;
	const char		*id, *status, *body, *tkey, *ts;
	char			*sid, v[80];
	size_t			 mark;

	mark = where_push(r, "incident_updates[%zu]", idx);
	if (!json_is_object(u))
		return import_error(r, "expected an object, found %s",
		    import_json_type(u));
	if (get_id(r, u, &id) < 0)
		return -1;
	where_pop(r, mark);
	import_quote(v, id);
	where_push(r, "update %s", v);

	/* display_at is what the page shows; it may have been edited. */
	tkey = "display_at";
	if (get_string(r, u, tkey, &ts) < 0)
		return -1;
	if (ts == NULL) {
		tkey = "created_at";
		if (get_string(r, u, tkey, &ts) < 0)
			return -1;
	}
	if (ts == NULL)
		return import_error(r, "neither display_at nor created_at is "
		    "given");
	if (import_parse_time(r, tkey, ts, &at) < 0 ||
	    get_string(r, u, "status", &status) < 0 ||
	    get_string(r, u, "body", &body) < 0)
		return -1;
	if (status == NULL)
		return import_error(r, "status: missing");

	sid = xasprintf(SP_UPDATE "%s", id);
	e = import_add_event(inc, sid, body);
	free(sid);
	e->ev.at = at;
	e->ev.kind = EV_STATUS;
	e->ev.state = status_state(status);	/* settled by settle_states() */
	where_pop(r, mark);
	return 0;
}

/*
 * A page prints "Update" for an update whose status is the one before it
 * (in time), so the same state in a row becomes ST_UPDATE, as does an
 * update without a state of its own. Events must be sorted.
 */
static void
settle_states(struct import_incident *inc)
{
	enum status_state	 prev = ST_NONE, st;
	size_t			 i;

	for (i = 0; i < inc->nevents; i++) {
		st = inc->events[i].ev.state;
		inc->events[i].ev.state = st == ST_NONE || st == prev ?
		    ST_UPDATE : st;
		prev = st;
	}
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* An id used twice would give two events one source id. */
static int
check_unique(struct import_reader *r, struct import_incident *inc)
{
	const char	**ids;
	char		  v[80];
	size_t		  i;
	int		  rc = 0;

	ids = xreallocarray(NULL, inc->nevents + 1, sizeof *ids);
	for (i = 0; i < inc->nevents; i++)
		ids[i] = inc->events[i].source_id + strlen(SP_UPDATE);
	qsort(ids, inc->nevents, sizeof *ids, cmp_str);
	for (i = 1; i < inc->nevents && rc == 0; i++)
		if (strcmp(ids[i - 1], ids[i]) == 0) {
			import_quote(v, ids[i]);
			rc = import_error(r, "update %s appears twice", v);
		}
	free(ids);
	return rc;
}

static int
read_updates(struct import_reader *r, struct import_incident *inc, json_t *o)
{
	json_t	*list;
	size_t	 i, n;

	if (get_typed(r, o, "incident_updates", JSON_ARRAY, &list) < 0)
		return -1;
	/*
	 * The list runs newest first; read it from the end so that updates
	 * in the same second (times keep no fraction) stay oldest first.
	 */
	n = json_array_size(list);
	for (i = n; i > 0; i--)
		if (read_update(r, inc, json_array_get(list, i - 1), i - 1) < 0)
			return -1;
	if (check_unique(r, inc) < 0)
		return -1;
	import_sort_events(inc);
	settle_states(inc);
	return 0;
}

/* Services: the incident's components, else the components its updates
 * name (oldest update first), which some pages fill in instead. */
static int
read_services(struct import_reader *r, struct import_incident *inc, json_t *o)
{
	json_t	*list, *u;
	char	 v[80];
	size_t	 i, mark;

	if (add_components(r, inc, o, "components") < 0)
		return -1;
	if (inc->nservices > 0)
		return 0;
	if (get_typed(r, o, "incident_updates", JSON_ARRAY, &list) < 0)
		return -1;
	for (i = json_array_size(list); i > 0; i--) {
		/* read_updates() has checked every update and its id. */
		u = json_array_get(list, i - 1);
		import_quote(v, json_string_value(json_object_get(u, "id")));
		mark = where_push(r, "update %s", v);

		if (add_components(r, inc, u, "affected_components") < 0)
			return -1;
		where_pop(r, mark);
	}
	return 0;
}

static int
read_incident(struct import_reader *r, struct import_set *set, json_t *o,
    const char *label)
{
	struct import_incident	*inc;
	const char		*id, *name, *impact;
	char			 v[80];
	size_t			 i;

	snprintf(r->where, sizeof r->where, "%s", label);
	if (!json_is_object(o))
		return import_error(r, "expected an incident object, found %s",
		    import_json_type(o));
	if (get_id(r, o, &id) < 0)
		return -1;
	import_quote(v, id);
	snprintf(r->where, sizeof r->where, "incident %s", v);
	for (i = 0; i < set->n; i++)
		if (strcmp(set->v[i].source_id + strlen(SP_INCIDENT), id) == 0)
			return import_error(r, "appears twice");
	if (get_string(r, o, "name", &name) < 0 ||
	    get_string(r, o, "impact", &impact) < 0)
		return -1;

	inc = import_add_incident(set);
	inc->source_id = xasprintf(SP_INCIDENT "%s", id);
	inc->title = import_clean_line(name != NULL ? name : "",
	    name != NULL ? strlen(name) : 0);
	inc->severity = xstrdup(impact_severity(impact));
	inc->zone = xstrdup(r->zone);
	if (*inc->title == '\0')
		return import_error(r, "name: missing or empty");
	if (read_updates(r, inc, o) < 0 || read_services(r, inc, o) < 0)
		return -1;
	r->where[0] = '\0';
	return 0;
}

static int
read_list(struct import_reader *r, struct import_set *set, json_t *list,
    const char *key)
{
	json_t	*o;
	size_t	 i;
	char	 label[64];

	json_array_foreach(list, i, o) {
		snprintf(label, sizeof label, "%s[%zu]", key, i);
		if (read_incident(r, set, o, label) < 0)
			return -1;
	}
	return 0;
}

/* An object with no known wrapper key is an incident if it looks like
 * one. */
static int
is_incident(json_t *o)
{
	return json_object_get(o, "incident_updates") != NULL ||
	    (json_object_get(o, "id") != NULL &&
	    json_object_get(o, "name") != NULL);
}

/*
 * The lists of incidents.json and unresolved.json; summary.json has both,
 * and the scheduled-maintenances endpoints the second.
 */
static const char *sp_lists[] = { "incidents", "scheduled_maintenances" };

static int
read_root(struct import_reader *r, struct import_set *set, json_t *root)
{
	json_t	*v;
	size_t	 i;
	int	 found = 0;

	if (json_is_array(root))
		return read_list(r, set, root, "incidents");
	if (page_zone(r, root) < 0)
		return -1;
	for (i = 0; i < sizeof sp_lists / sizeof sp_lists[0]; i++) {
		if (get_typed(r, root, sp_lists[i], JSON_ARRAY, &v) < 0)
			return -1;
		if (v != NULL && read_list(r, set, v, sp_lists[i]) < 0)
			return -1;
		found |= v != NULL;
	}
	if (found)
		return 0;
	if (get_typed(r, root, "incident", JSON_OBJECT, &v) < 0)
		return -1;
	if (v != NULL)
		return read_incident(r, set, v, "incident");
	if (is_incident(root))
		return read_incident(r, set, root, "incident");
	return import_error(r, "not Statuspage JSON: expected \"incidents\", "
	    "\"incident\" or an incident object");
}

int
import_statuspage(struct import_set *out, const char *name,
    const char *buf, size_t len)
{
	struct import_set	 set = { NULL, 0 };
	struct import_reader		 r;
	json_t			*root;
	int			 rc;

	memset(&r, 0, sizeof r);
	r.name = name;
	r.zone = "UTC";
	/* Objects and arrays only: a bare value is no Statuspage data, and
	 * jansson then says so with a position. */
	if ((root = import_json_load(name, buf, len)) == NULL)
		return -1;
	rc = read_root(&r, &set, root);
	json_decref(root);
	if (rc < 0) {
		import_set_free(&set);
		return -1;
	}
	import_set_move(out, &set);
	return 0;
}
