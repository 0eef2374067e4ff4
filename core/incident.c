/* incident.c - the incident model. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "incident.h"
#include "xmalloc.h"

static const char *kind_names[] = {
#define X(e, name, help) name,
	EVENT_KINDS
#undef X
};

static const char *kind_helps[] = {
#define X(e, name, help) help,
	EVENT_KINDS
#undef X
};

static const char *state_names[] = {
	"",
#define X(e, name) name,
	STATUS_STATES
#undef X
};

struct incident *
incident_new(void)
{
	struct incident	*inc;

	inc = xcalloc(1, sizeof *inc);
	inc->title = xstrdup("");
	inc->severity = xstrdup("");
	inc->commander = xstrdup("");
	inc->zone = xstrdup("UTC");
	return inc;
}

void
incident_free(struct incident *inc)
{
	size_t	 i;

	if (inc == NULL)
		return;
	for (i = 0; i < inc->nevents; i++)
		free(inc->events[i].text);
	free(inc->events);
	for (i = 0; i < inc->nservices; i++)
		free(inc->services[i]);
	free(inc->services);
	free(inc->id);
	free(inc->title);
	free(inc->severity);
	free(inc->commander);
	free(inc->zone);
	free(inc);
}

void
incident_set(char **field, const char *value)
{
	char	*copy;

	copy = xstrdup(value);
	free(*field);
	*field = copy;
}

void
incident_add_service(struct incident *inc, const char *name)
{
	inc->services = xreallocarray(inc->services, inc->nservices + 1,
	    sizeof *inc->services);
	inc->services[inc->nservices++] = xstrdup(name);
}

struct event *
incident_add_event(struct incident *inc, struct tstamp at,
    enum event_kind kind, enum status_state state, const char *text)
{
	struct event	*ev;

	if (inc->nevents == inc->cap) {
		inc->cap = inc->cap == 0 ? 16 : inc->cap * 2;
		inc->events = xreallocarray(inc->events, inc->cap,
		    sizeof *inc->events);
	}
	ev = &inc->events[inc->nevents];
	memset(ev, 0, sizeof *ev);
	ev->at = at;
	ev->kind = kind;
	ev->state = kind == EV_STATUS ? state : ST_NONE;
	ev->text = xstrdup(text != NULL ? text : "");
	ev->seq = inc->nevents++;
	return ev;
}

static int
event_cmp(const void *a, const void *b)
{
	const struct event	*x = a, *y = b;

	if (x->at.t != y->at.t)
		return x->at.t < y->at.t ? -1 : 1;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return 0;
}

void
incident_sort(struct incident *inc)
{
	/* qsort is not stable; seq makes the order total. */
	if (inc->nevents > 1)
		qsort(inc->events, inc->nevents, sizeof *inc->events,
		    event_cmp);
}

const struct event *
incident_last_status(const struct incident *inc)
{
	size_t	 i;

	for (i = inc->nevents; i > 0; i--)
		if (inc->events[i - 1].kind == EV_STATUS)
			return &inc->events[i - 1];
	return NULL;
}

int
incident_is_resolved(const struct incident *inc)
{
	const struct event	*last;
	size_t			 i;

	for (i = 0; i < inc->nevents; i++)
		if (inc->events[i].kind == EV_RESOLVED)
			return 1;
	last = incident_last_status(inc);
	return last != NULL && last->state == ST_RESOLVED;
}

const struct event *
incident_start(const struct incident *inc)
{
	size_t	 i;

	for (i = 0; i < inc->nevents; i++)
		if (inc->events[i].kind == EV_STARTED)
			return &inc->events[i];
	return inc->nevents > 0 ? &inc->events[0] : NULL;
}

void
event_label(char *out, size_t size, const struct event *ev, const char *sep)
{
	if (ev->kind == EV_STATUS)
		snprintf(out, size, "status%s%s", sep,
		    status_state_name(ev->state));
	else
		snprintf(out, size, "%s", event_kind_name(ev->kind));
}

const char *
event_kind_name(enum event_kind k)
{
	return k < EV__COUNT ? kind_names[k] : "?";
}

const char *
event_kind_help(enum event_kind k)
{
	return k < EV__COUNT ? kind_helps[k] : "";
}

int
event_kind_from_name(const char *name, size_t len)
{
	int	 k;

	for (k = 0; k < EV__COUNT; k++)
		if (strlen(kind_names[k]) == len &&
		    memcmp(kind_names[k], name, len) == 0)
			return k;
	return -1;
}

const char *
status_state_name(enum status_state s)
{
	return s < ST__COUNT ? state_names[s] : "?";
}

enum status_state
status_state_from_name(const char *name, size_t len)
{
	int	 s;

	for (s = ST_NONE + 1; s < ST__COUNT; s++)
		if (strlen(state_names[s]) == len &&
		    memcmp(state_names[s], name, len) == 0)
			return (enum status_state)s;
	return ST_NONE;
}

char *
incident_make_id(const struct civil *date, const char *title)
{
	struct buf	 b = BUF_INIT;
	const char	*p;
	size_t		 start;
	int		 dash = 0;

	buf_printf(&b, "%04d-%02d-%02d-", date->year, date->mon, date->day);
	start = b.len;
	for (p = title; *p != '\0' && b.len - start < 48; p++) {
		char	 c = *p;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && b.len > start)
				buf_addc(&b, '-');
			dash = 0;
			buf_addc(&b, c);
		} else
			dash = 1;
	}
	if (b.len == start)
		buf_adds(&b, "incident");
	return buf_detach(&b);
}

int
incident_check_id(const char *id)
{
	const unsigned char	*p;

	if (*id == '\0')
		return pm_error_set("empty incident id");
	if (strlen(id) > 200)
		return pm_error_set("incident id too long");
	if (id[0] == '.' || id[0] == '-')
		return pm_error_set("bad incident id '%s': it may not begin "
		    "with '%c'", id, id[0]);
	for (p = (const unsigned char *)id; *p != '\0'; p++)
		if (*p == '/' || *p == '\\' || *p <= ' ' || *p == 0x7f)
			return pm_error_set("bad incident id '%s': no "
			    "slashes, spaces or control characters", id);
	if (strstr(id, "..") != NULL)
		return pm_error_set("bad incident id '%s': no '..'", id);
	return 0;
}
