/*
 * import_pagerduty.c - PagerDuty REST API v2 log entries (an incident's
 * timeline) read into an import_set, one incident per incident the
 * entries name. formats/import-statuspage.md says what maps to what.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "error.h"
#include "import.h"
#include "xmalloc.h"

#define PD_INCIDENT	"pagerduty:incident:"
#define PD_ENTRY	"pagerduty:log_entry:"

#define PD_SKIP		(-1)	/* a kind: the entry is left out */

/*
 * Log entry types as event kinds. notify_log_entry is one line per page
 * sent to each responder's phone or mail: paging noise, not the story of
 * the incident, so it is left out. A type not listed here (assign,
 * escalate, snooze, ... and those PagerDuty adds later) is kept as a note.
 */
static const struct {
	const char	*type;
	int		 kind;
} pd_types[] = {
	{ "trigger_log_entry",	   EV_DETECTED },
	{ "acknowledge_log_entry", EV_ACKNOWLEDGED },
	{ "annotate_log_entry",	   EV_NOTE },
	{ "resolve_log_entry",	   EV_RESOLVED },
	{ "notify_log_entry",	   PD_SKIP },
};

/* One log entry, checked; the strings are borrowed from the JSON. */
struct entry {
	json_t		*o;
	const char	*id;
	const char	*type;
	const char	*incident;	/* the id of the incident it is of */
	struct tstamp	 at;
	int		 kind;
};



/* obj[key] when it is an object, NULL when absent or null; another type
 * is an error. */
static int
get_object(struct import_reader *r, json_t *obj, const char *key, json_t **out)
{
	json_t	*v = json_object_get(obj, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_object(v))
		return import_error(r, "%s: expected an object, found %s", key,
		    import_json_type(v));
	*out = v;
	return 0;
}

/* obj[key] as a string, NULL when absent or null. what names obj in a
 * message ("" for the entry itself). */
static int
get_string(struct import_reader *r, json_t *obj, const char *what,
    const char *key, const char **out)
{
	json_t	*v;

	*out = NULL;
	if (obj == NULL || (v = json_object_get(obj, key)) == NULL ||
	    json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return import_error(r, "%s%s%s: expected a string, found %s", what,
		    *what != '\0' ? "." : "", key, import_json_type(v));
	*out = json_string_value(v);
	return 0;
}

static int
kind_of(const char *type)
{
	size_t	 i;

	for (i = 0; i < sizeof pd_types / sizeof pd_types[0]; i++)
		if (strcmp(type, pd_types[i].type) == 0)
			return pd_types[i].kind;
	return EV_NOTE;
}

/* Check one entry: every entry must have an id, a type, a time and the
 * incident it belongs to, notify entries too. */
static int
read_entry(struct import_reader *r, struct entry *e, json_t *o, const char *key,
    size_t idx)
{
	json_t		*inc;
	const char	*ts;
	char		 v[80];

	if (strcmp(key, "log_entry") == 0)
		snprintf(r->where, sizeof r->where, "%s", key);
	else
		snprintf(r->where, sizeof r->where, "%s[%zu]", key, idx);
	if (!json_is_object(o))
		return import_error(r, "expected a log entry object, found %s",
		    import_json_type(o));
	e->o = o;
	if (get_string(r, o, "", "id", &e->id) < 0)
		return -1;
	if (e->id == NULL || *e->id == '\0')
		return import_error(r, "id: missing");
	import_quote(v, e->id);
	snprintf(r->where, sizeof r->where, "log entry %s", v);
	if (get_string(r, o, "", "type", &e->type) < 0 ||
	    get_string(r, o, "", "created_at", &ts) < 0 ||
	    get_object(r, o, "incident", &inc) < 0 ||
	    get_string(r, inc, "incident", "id", &e->incident) < 0)
		return -1;
	if (e->type == NULL)
		return import_error(r, "type: missing");
	if (ts == NULL)
		return import_error(r, "created_at: missing");
	if (e->incident == NULL || *e->incident == '\0')
		return import_error(r, "incident.id: missing");
	if (import_parse_time(r, "created_at", ts, &e->at) < 0)
		return -1;
	e->kind = kind_of(e->type);
	r->where[0] = '\0';
	return 0;
}

/* Time order, then id for entries in the same second (lists hold such
 * ties), so that the same input always gives the same order. */
static int
entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->at.t != y->at.t)
		return x->at.t < y->at.t ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* The incident of e, added on first sight. */
static struct import_incident *
incident_of(struct import_set *set, const struct entry *e)
{
	struct import_incident	*inc;
	size_t			 i;

	for (i = 0; i < set->n; i++)
		if (strcmp(set->v[i].source_id + strlen(PD_INCIDENT),
		    e->incident) == 0)
			return &set->v[i];
	inc = import_add_incident(set);
	inc->source_id = xasprintf(PD_INCIDENT "%s", e->incident);
	inc->severity = xstrdup("");
	inc->zone = xstrdup("UTC");
	return inc;
}

/* The incident's title: its reference's summary, from the first entry
 * that has one. */
static int
take_title(struct import_reader *r, struct import_incident *inc,
    const struct entry *e)
{
	const char	*s;
	char		*title;

	if (inc->title != NULL)
		return 0;
	if (get_string(r, json_object_get(e->o, "incident"), "incident",
	    "summary", &s) < 0)
		return -1;
	if (s == NULL)
		return 0;
	title = import_clean_line(s, strlen(s));
	if (*title != '\0')
		inc->title = title;
	else
		free(title);
	return 0;
}

static int
take_service(struct import_reader *r, struct import_incident *inc,
    const struct entry *e)
{
	json_t		*svc;
	const char	*s;
	char		*name;

	if (get_object(r, e->o, "service", &svc) < 0 ||
	    get_string(r, svc, "service", "summary", &s) < 0)
		return -1;
	if (s == NULL)
		return 0;
	name = import_clean_line(s, strlen(s));
	if (*name != '\0')
		import_add_service(inc, name);
	free(name);
	return 0;
}

/*
 * A note's own words: PagerDuty has carried them as the channel's
 * "content" or "summary", or as the entry's "note"; the entry's summary
 * ("Note added") only when none is there.
 */
static int
note_text(struct import_reader *r, const struct entry *e, const char **out)
{
	json_t	*ch;

	if (get_object(r, e->o, "channel", &ch) < 0 ||
	    get_string(r, ch, "channel", "content", out) < 0)
		return -1;
	if ((*out == NULL || **out == '\0') &&
	    get_string(r, ch, "channel", "summary", out) < 0)
		return -1;
	if ((*out == NULL || **out == '\0') &&
	    get_string(r, e->o, "", "note", out) < 0)
		return -1;
	return 0;
}

/* The event's text: the summary (or the note), and who did it when the
 * text does not say. */
static int
entry_text(struct import_reader *r, const struct entry *e, char **out)
{
	json_t		*agent;
	const char	*text = NULL, *who;

	*out = NULL;
	if (strcmp(e->type, "annotate_log_entry") == 0 &&
	    note_text(r, e, &text) < 0)
		return -1;
	if ((text == NULL || *text == '\0') &&
	    get_string(r, e->o, "", "summary", &text) < 0)
		return -1;
	if (get_object(r, e->o, "agent", &agent) < 0 ||
	    get_string(r, agent, "agent", "summary", &who) < 0)
		return -1;
	if (text == NULL)
		text = "";
	if (who != NULL && *who != '\0' && strstr(text, who) == NULL)
		*out = xasprintf("%s%s(by %s)", text, *text != '\0' ? " " :
		    "", who);
	else
		*out = xstrdup(text);
	return 0;
}

static int
add_entry(struct import_reader *r, struct import_set *set, const struct entry *e)
{
	struct import_incident	*inc;
	struct import_event	*ev;
	char			*text, *sid, v[80];

	import_quote(v, e->id);
	snprintf(r->where, sizeof r->where, "log entry %s", v);
	inc = incident_of(set, e);
	if (take_title(r, inc, e) < 0 || take_service(r, inc, e) < 0 ||
	    entry_text(r, e, &text) < 0)
		return -1;
	sid = xasprintf(PD_ENTRY "%s", e->id);
	ev = import_add_event(inc, sid, text);
	ev->ev.at = e->at;
	ev->ev.kind = (enum event_kind)e->kind;
	ev->ev.state = ST_NONE;
	free(sid);
	free(text);
	r->where[0] = '\0';
	return 0;
}

static int
cmp_id(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->id,
	    ((const struct entry *)b)->id);
}

/* An id used twice (pages of a list pasted together overlapping) would
 * give two events one source id. */
static int
check_unique(struct import_reader *r, const struct entry *v, size_t n)
{
	struct entry	*s;
	char		 q[80];
	size_t		 i;
	int		 rc = 0;

	s = xreallocarray(NULL, n + 1, sizeof *s);
	memcpy(s, v, n * sizeof *s);
	qsort(s, n, sizeof *s, cmp_id);
	for (i = 1; i < n && rc == 0; i++)
		if (strcmp(s[i - 1].id, s[i].id) == 0) {
			import_quote(q, s[i].id);
			rc = import_error(r, "log entry %s appears twice", q);
		}
	free(s);
	return rc;
}

static int
read_entries(struct import_reader *r, struct import_set *set, json_t *list,
    const char *key)
{
	struct entry	*v;
	json_t		*o;
	char		*title;
	size_t		 i, j, n = 0;
	int		 rc = -1;

	v = xreallocarray(NULL, json_array_size(list) + 1, sizeof *v);
	json_array_foreach(list, i, o)
		if (read_entry(r, &v[n++], o, key, i) < 0)
			goto out;
	if (check_unique(r, v, n) < 0)
		goto out;
	for (i = j = 0; i < n; i++)	/* drop the skipped ones */
		if (v[i].kind != PD_SKIP)
			v[j++] = v[i];
	n = j;
	qsort(v, n, sizeof *v, entry_cmp);
	for (i = 0; i < n; i++)
		if (add_entry(r, set, &v[i]) < 0)
			goto out;
	for (i = 0; i < set->n; i++) {
		if (set->v[i].title == NULL) {
			title = xasprintf("PagerDuty incident %s",
			    set->v[i].source_id + strlen(PD_INCIDENT));
			set->v[i].title = import_clean_line(title,
			    strlen(title));
			free(title);
		}
		import_sort_events(&set->v[i]);
	}
	rc = 0;
out:
	free(v);
	return rc;
}

static int
read_root(struct import_reader *r, struct import_set *set, json_t *root)
{
	json_t	*v, *one;
	int	 rc;

	if (json_is_array(root))
		return read_entries(r, set, root, "log_entries");
	v = json_object_get(root, "log_entries");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_array(v))
			return import_error(r, "log_entries: expected an array, "
			    "found %s", import_json_type(v));
		return read_entries(r, set, v, "log_entries");
	}
	if (get_object(r, root, "log_entry", &v) < 0)
		return -1;
	if (v == NULL)
		return import_error(r, "not PagerDuty log entries: expected "
		    "\"log_entries\" or \"log_entry\"");
	one = json_array();
	json_array_append(one, v);
	rc = read_entries(r, set, one, "log_entry");
	json_decref(one);
	return rc;
}

int
import_pagerduty(struct import_set *out, const char *name, const char *buf,
    size_t len)
{
	struct import_set	 set = { NULL, 0 };
	struct import_reader		 r;
	json_t			*root;
	int			 rc;

	memset(&r, 0, sizeof r);
	r.name = name;
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
