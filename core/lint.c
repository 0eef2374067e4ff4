/* lint.c - the checks of an incident's record, as a list of findings. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actfile.h"
#include "error.h"
#include "lint.h"
#include "store.h"
#include "xmalloc.h"
#include "zone.h"

void
lint_list_init(struct lint_list *l)
{
	memset(l, 0, sizeof *l);
}

void
lint_list_free(struct lint_list *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++) {
		free(l->items[i].file);
		free(l->items[i].message);
	}
	free(l->items);
	lint_list_init(l);
}

void
lint_add(struct lint_list *l, enum lint_severity severity, const char *file,
    unsigned line, const char *ref, const char *fmt, ...)
{
	struct lint_finding	*f;
	va_list			 ap;

	if (l->n == l->cap) {
		l->cap = l->cap == 0 ? 16 : l->cap * 2;
		l->items = xreallocarray(l->items, l->cap, sizeof *l->items);
	}
	f = &l->items[l->n++];
	memset(f, 0, sizeof *f);
	f->severity = severity;
	f->file = xstrdup(file);
	f->line = line > 0 ? line : 1;
	snprintf(f->ref, sizeof f->ref, "%s", ref != NULL ? ref : "");
	va_start(ap, fmt);
	f->message = xvasprintf(fmt, ap);
	va_end(ap);
}

static int
finding_cmp(const void *a, const void *b)
{
	const struct lint_finding	*x = a, *y = b;
	int				 c;

	if ((c = strcmp(x->file, y->file)) != 0)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	return strcmp(x->message, y->message);
}

void
lint_sort(struct lint_list *l)
{
	if (l->n > 1)
		qsort(l->items, l->n, sizeof *l->items, finding_cmp);
}

void
lint_keep_ref(struct lint_list *l, const char *ref)
{
	size_t	 i, k = 0;

	for (i = 0; i < l->n; i++) {
		if (strcmp(l->items[i].ref, ref) == 0) {
			l->items[k++] = l->items[i];
			continue;
		}
		free(l->items[i].file);
		free(l->items[i].message);
	}
	l->n = k;
}

size_t
lint_count(const struct lint_list *l, enum lint_severity severity)
{
	size_t	 i, n = 0;

	for (i = 0; i < l->n; i++)
		if (l->items[i].severity == severity)
			n++;
	return n;
}

const char *
lint_severity_name(enum lint_severity s)
{
	return s == LINT_ERROR ? "error" : "warning";
}

char *
lint_format(const struct lint_finding *f)
{
	return xasprintf("%s:%u: %s: %s", f->file, f->line > 0 ? f->line : 1,
	    lint_severity_name(f->severity), f->message);
}

/* --- helpers ------------------------------------------------------- */

/* What the checks of one incident share. */
struct ctx {
	struct lint_list	*out;
	const struct incident	*inc;
	const char		*id;	/* for commands; "ID" if none */
	char			*timeline;	/* its relative path */
};

static char *
relpath(const struct incident *inc, const char *file)
{
	return xasprintf("%s/%s/%s", STORE_INCIDENTS, inc->id != NULL ?
	    inc->id : "ID", file);
}

static void
ctx_init(struct ctx *c, struct lint_list *out, const struct incident *inc)
{
	c->out = out;
	c->inc = inc;
	c->id = inc->id != NULL ? inc->id : "ID";
	c->timeline = relpath(inc, STORE_TIMELINE);
}

/* The reference to type for a line: as many digits as tell it apart
 * (refw, set when the incident was settled). */
static const char *
line_ref(char out[EVENT_REF_LEN + 1], const struct event *ev)
{
	int	 w = ev->refw > 0 ? ev->refw : EVENT_REF_SHOW;

	if (*ev->ref == '\0')
		return "REF";
	snprintf(out, EVENT_REF_LEN + 1, "%.*s", w, ev->ref);
	return out;
}

/* The same for a reference found elsewhere (a correction's target). */
static const char *
short_ref(char out[EVENT_REF_LEN + 1], const struct ctx *c, const char *ref)
{
	if (*ref == '\0')
		return "REF";
	incident_short_ref(out, c->inc, ref);
	return out;
}

static void
when(char out[TSTAMP_RFC3339_MAX], const struct event *ev)
{
	tstamp_format_rfc3339(out, ev->at);
}

/* "detected", "status investigating", "role comms". */
static void
label(char *out, size_t size, const struct event *ev)
{
	event_label(out, size, ev, " ");
}

/* Of two events, the one logged later: a finding about both goes there. */
static const struct event *
later_logged(const struct event *a, const struct event *b)
{
	return a->seq > b->seq ? a : b;
}

/* 1 when a reopened event lies after the earlier of a and b and no later
 * than the later of them. */
static int
reopened_between(const struct incident *inc, const struct event *a,
    const struct event *b)
{
	int64_t	 lo = a->at.t < b->at.t ? a->at.t : b->at.t;
	int64_t	 hi = a->at.t < b->at.t ? b->at.t : a->at.t;
	size_t	 i;

	for (i = 0; i < inc->nevents; i++)
		if (inc->events[i].kind == EV_REOPENED &&
		    inc->events[i].at.t > lo && inc->events[i].at.t <= hi)
			return 1;
	return 0;
}

static const struct event *
earliest(const struct incident *inc, enum event_kind kind)
{
	size_t	 i;

	for (i = 0; i < inc->nevents; i++)
		if (inc->events[i].kind == kind)
			return &inc->events[i];
	return NULL;
}

/* A finding about two events (one before the other, against the
 * rules), on the one logged later. */
static void
pair_finding(struct ctx *c, enum lint_severity sev, const struct event *x,
    const struct event *y)
{
	const struct event	*on = later_logged(x, y);
	const struct event	*other = on == x ? y : x;
	char			 lon[48], loth[48], r[EVENT_REF_LEN + 1];
	char			 ton[TSTAMP_RFC3339_MAX];
	char			 toth[TSTAMP_RFC3339_MAX];

	label(lon, sizeof lon, on);
	label(loth, sizeof loth, other);
	when(ton, on);
	when(toth, other);
	lint_add(c->out, sev, c->timeline, on->line, on->ref,
	    "%s at %s %s %s at %s (line %u): if this time is wrong, fix it "
	    "with 'pmtool amend %s %s --at TIME'", lon, ton,
	    on->at.t < other->at.t ? "comes before" : "comes after", loth,
	    toth, other->line > 0 ? other->line : 1, c->id,
	    line_ref(r, on));
}

/* --- the timeline ---------------------------------------------------- */

/* Milestones that may not come before another: each event of kind
 * "after" against the earliest of kind "before". */
static const struct {
	enum event_kind	 before, after;
} order_rules[] = {
	{ EV_STARTED, EV_DETECTED },
	{ EV_STARTED, EV_ACKNOWLEDGED },
	{ EV_STARTED, EV_MITIGATED },
	{ EV_STARTED, EV_RESOLVED },
	{ EV_DETECTED, EV_ACKNOWLEDGED },
	{ EV_DETECTED, EV_MITIGATED },
	{ EV_DETECTED, EV_RESOLVED },
	{ EV_MITIGATED, EV_RESOLVED },
};

static void
check_order(struct ctx *c)
{
	const struct incident	*inc = c->inc;
	const struct event	*first, *ev;
	size_t			 r, i;

	for (r = 0; r < sizeof order_rules / sizeof order_rules[0]; r++) {
		if ((first = earliest(inc, order_rules[r].before)) == NULL)
			continue;
		for (i = 0; i < inc->nevents; i++) {
			ev = &inc->events[i];
			if (ev->kind != order_rules[r].after ||
			    ev->at.t >= first->at.t)
				continue;
			/* Only the start is the start of every episode;
			 * after a reopening, detection and the rest begin
			 * again. */
			if (order_rules[r].before != EV_STARTED &&
			    reopened_between(inc, ev, first))
				continue;
			pair_finding(c, LINT_ERROR, ev, first);
		}
	}
}

/* A second detected event in one episode (none reopened since). */
static void
check_detected_twice(struct ctx *c)
{
	const struct incident	*inc = c->inc;
	const struct event	*first = NULL, *ev, *on;
	char			 r[EVENT_REF_LEN + 1], l[48];
	size_t			 i;

	for (i = 0; i < inc->nevents; i++) {
		ev = &inc->events[i];
		if (ev->kind == EV_REOPENED)
			first = NULL;
		if (ev->kind != EV_DETECTED)
			continue;
		if (first == NULL) {
			first = ev;
			continue;
		}
		on = later_logged(ev, first);
		label(l, sizeof l, on);
		lint_add(c->out, LINT_ERROR, c->timeline, on->line, on->ref,
		    "a second detected event (the other is line %u) and no "
		    "reopened event between them: time to detect counts "
		    "from the earliest; withdraw the wrong one with 'pmtool "
		    "retract %s %s' or make it a note with 'pmtool amend %s "
		    "%s --kind note'", (on == ev ? first : ev)->line,
		    c->id, line_ref(r, on), c->id, r);
	}
}

/*
 * Public status updates: after the status page said "resolved" (an error,
 * or for a repeated "resolved" a warning), or after the resolved event
 * while the page still said otherwise (a warning: the page lagged).
 */
static void
check_status_after_resolved(struct ctx *c)
{
	const struct incident	*inc = c->inc;
	const struct event	*posted = NULL, *ended = NULL, *ev;
	char			 r[EVENT_REF_LEN + 1];
	char			 t[TSTAMP_RFC3339_MAX];
	const struct event	*on, *other;
	size_t			 i;

	for (i = 0; i < inc->nevents; i++) {
		ev = &inc->events[i];
		if (ev->kind == EV_REOPENED) {
			posted = ended = NULL;
			continue;
		}
		if (ev->kind == EV_RESOLVED) {
			if (ended == NULL)
				ended = ev;
			continue;
		}
		if (ev->kind != EV_STATUS)
			continue;
		if (posted != NULL) {
			on = later_logged(ev, posted);
			other = on == ev ? posted : ev;
			when(t, ev);
			if (ev->state == ST_RESOLVED)
				lint_add(c->out, LINT_WARNING, c->timeline,
				    on->line, on->ref, "status resolved at %s "
				    "repeats the status resolved of line %u",
				    t, other->line);
			else
				lint_add(c->out, LINT_ERROR, c->timeline,
				    on->line, on->ref, "status %s at %s comes "
				    "after the public status said resolved "
				    "(line %u) with no reopened event between: "
				    "log 'pmtool log %s reopened --at TIME' if "
				    "the incident opened again, else fix the "
				    "update with 'pmtool amend %s %s'",
				    status_state_name(ev->state), t,
				    other->line, c->id, c->id,
				    line_ref(r, on));
			if (ev->state != ST_RESOLVED)
				posted = NULL;	/* once is enough */
			continue;
		}
		if (ev->state == ST_RESOLVED) {
			posted = ev;
			continue;
		}
		if (ended != NULL) {
			on = later_logged(ev, ended);
			other = on == ev ? ended : ev;
			when(t, ev);
			lint_add(c->out, LINT_WARNING, c->timeline, on->line,
			    on->ref, "status %s at %s comes after the resolved "
			    "event (line %u): the status page lagged the end "
			    "of the impact; if the impact had not ended, fix "
			    "the resolved event with 'pmtool amend %s %s --at "
			    "TIME'", status_state_name(ev->state), t,
			    other->line, c->id, line_ref(r, ended));
		}
	}
}

/* Gaps between public status updates over the cadence, and for an open
 * incident the silence since the last one (or since the start). */
static void
check_cadence(struct ctx *c, int64_t cadence_s, int64_t now)
{
	const struct incident	*inc = c->inc;
	const struct event	*prev = NULL, *ev, *on, *start;
	char			 d[32], cad[32];
	size_t			 i;

	if (cadence_s <= 0)
		return;
	duration_format(cad, sizeof cad, cadence_s);
	for (i = 0; i < inc->nevents; i++) {
		ev = &inc->events[i];
		if (ev->kind != EV_STATUS)
			continue;
		if (prev != NULL && prev->state != ST_RESOLVED &&
		    ev->at.t - prev->at.t > cadence_s) {
			on = later_logged(ev, prev);
			duration_format(d, sizeof d, ev->at.t - prev->at.t);
			lint_add(c->out, LINT_WARNING, c->timeline, on->line,
			    on->ref, "%s between public status updates (lines "
			    "%u and %u), over the cadence of %s", d,
			    prev->line, ev->line, cad);
		}
		prev = ev;
	}
	if (incident_is_resolved(inc))
		return;
	if (prev != NULL) {
		if (now - prev->at.t > cadence_s) {
			duration_format(d, sizeof d, now - prev->at.t);
			lint_add(c->out, LINT_WARNING, c->timeline, prev->line,
			    prev->ref, "no public status update for %s (the "
			    "cadence is %s): post one with 'pmtool log %s "
			    "status update TEXT'", d, cad, c->id);
		}
	} else if ((start = incident_start(inc)) != NULL &&
	    now - start->at.t > cadence_s) {
		duration_format(d, sizeof d, now - start->at.t);
		lint_add(c->out, LINT_WARNING, c->timeline, start->line,
		    start->ref, "no public status update in the %s since the "
		    "incident started (the cadence is %s): post one with "
		    "'pmtool log %s status investigating TEXT'", d, cad, c->id);
	}
}

static void
check_corrections(struct ctx *c)
{
	const struct incident	*inc = c->inc;
	const struct correction	*k, *target;
	const char		*kind, *arg;
	char			 r[EVENT_REF_LEN + 1];
	char			 tr[EVENT_REF_LEN + 1];
	unsigned		 line;
	size_t			 i;

	for (i = 0; i < inc->ncorrections; i++) {
		k = &inc->corrections[i];
		kind = event_kind_name(k->line.kind);
		arg = k->line.arg != NULL ? k->line.arg : "";
		line = k->line.line;
		switch (k->outcome) {
		case CO_APPLIED:
		case CO_WITHDRAWN:
			break;
		case CO_UNKNOWN_TARGET:
			lint_add(c->out, LINT_ERROR, c->timeline, line,
			    k->line.ref, "%s of '%s': no event has that "
			    "reference, so it changes nothing; 'pmtool show "
			    "%s' lists the references: withdraw this line with "
			    "'pmtool retract %s %s' and correct the right "
			    "event",
			    kind, arg, c->id, c->id, line_ref(r,
			    &k->line));
			break;
		case CO_AMBIGUOUS_TARGET:
			lint_add(c->out, LINT_ERROR, c->timeline, line,
			    k->line.ref, "%s of '%s': several events have "
			    "references that begin so, and it changes nothing; "
			    "withdraw this line with 'pmtool retract %s %s' "
			    "and correct the event again giving more digits",
			    kind, arg, c->id, line_ref(r, &k->line));
			break;
		case CO_TARGET_CORRECTION:
			target = NULL;
			if (incident_find_ref(inc, k->target, NULL, &target,
			    NULL) < 0)
				target = NULL;
			if (target != NULL && target->target[0] != '\0')
				lint_add(c->out, LINT_ERROR, c->timeline, line,
				    k->line.ref, "amend of a correction (the "
				    "%s at line %u) changes nothing: correct "
				    "the event itself with 'pmtool amend %s "
				    "%s'",
				    event_kind_name(target->line.kind),
				    target->line.line, c->id,
				    short_ref(tr, c, target->target));
			else
				lint_add(c->out, LINT_ERROR, c->timeline, line,
				    k->line.ref, "amend of a correction (line "
				    "%u) changes nothing: amend the event "
				    "itself, not the correction", target !=
				    NULL ? target->line.line : 1);
			break;
		case CO_TARGET_RETRACTED:
			lint_add(c->out, LINT_WARNING, c->timeline, line,
			    k->line.ref, "amend of a retracted event changes "
			    "nothing: withdraw it with 'pmtool retract %s %s'",
			    c->id, line_ref(r, &k->line));
			break;
		case CO_INVALID:
			lint_add(c->out, LINT_ERROR, c->timeline, line,
			    k->line.ref, "%s does not fit its event (%s), so "
			    "it changes nothing: withdraw it with 'pmtool "
			    "retract %s %s'", kind, k->why != NULL ? k->why :
			    "invalid", c->id, line_ref(r, &k->line));
			break;
		}
	}
}

static void
check_roles(struct ctx *c)
{
	const struct incident	*inc = c->inc;
	const struct event	*ev;
	const char		*name;
	size_t			 i;

	for (i = 0; i < inc->nevents; i++) {
		ev = &inc->events[i];
		if (ev->kind != EV_ROLE || ev->text[strspn(ev->text,
		    " \t")] != '\0')
			continue;
		name = ev->arg != NULL ? ev->arg : "ROLE";
		lint_add(c->out, LINT_WARNING, c->timeline, ev->line, ev->ref,
		    "role %s handed to no one: name who holds it with 'pmtool "
		    "log %s role %s NAME'", name, c->id, name);
	}
}

int
lint_timeline(struct lint_list *out, const struct incident *inc,
    int64_t cadence_s, int64_t now)
{
	struct ctx	 c;

	ctx_init(&c, out, inc);
	check_order(&c);
	check_detected_twice(&c);
	check_status_after_resolved(&c);
	check_cadence(&c, cadence_s, now);
	check_corrections(&c);
	check_roles(&c);
	free(c.timeline);
	return 0;
}

/* --- the analysis and the actions ------------------------------------ */

/* The comment the skeleton puts in each section. */
static const char *skeleton_hints[] = {
#define X(e, key, title, hint) "<!-- " hint " -->",
	ANALYSIS_SECTIONS
#undef X
};

/* 1 when an empty section holds a note of its own (a comment that is not
 * the skeleton's): someone looked and said why there is nothing. */
static int
section_noted(const struct section *s, enum section_id id)
{
	return s->markdown != NULL && *s->markdown != '\0' &&
	    strcmp(s->markdown, skeleton_hints[id]) != 0;
}

static void
check_analysis(struct ctx *c, const struct lint_input *in)
{
	enum lint_severity	 sev;
	const struct section	*s;
	char			*file;
	int			 i;

	if (in->analysis == NULL && !in->analysis_missing)
		return;
	sev = incident_is_resolved(c->inc) && !c->inc->cur.excluded ?
	    LINT_ERROR : LINT_WARNING;
	file = relpath(c->inc, ANALYSIS_FILE);
	if (in->analysis == NULL) {
		lint_add(c->out, sev, file, 1, NULL, "no written analysis: "
		    "write it with 'pmtool edit %s'", c->id);
		free(file);
		return;
	}
	for (i = 0; i < SEC__COUNT; i++) {
		s = &in->analysis->known[i];
		if (s->title == NULL)
			lint_add(c->out, sev, file, 1, NULL, "no '%s' section: "
			    "add '## %s' with 'pmtool edit %s'",
			    section_title((enum section_id)i),
			    section_title((enum section_id)i), c->id);
		else if (s->empty && section_noted(s, (enum section_id)i))
			lint_add(c->out, LINT_WARNING, file, s->line, NULL,
			    "the '%s' section holds only a comment: write it "
			    "with 'pmtool edit %s' once more is known",
			    section_title((enum section_id)i), c->id);
		else if (s->empty)
			lint_add(c->out, sev, file, s->line, NULL, "the '%s' "
			    "section is empty: write it with 'pmtool edit %s'",
			    section_title((enum section_id)i), c->id);
	}
	free(file);
}

static int
check_actions(struct ctx *c, const struct lint_input *in)
{
	const struct action	*a;
	struct civil		 today;
	int32_t			 off;
	char			*file;
	size_t			 i;

	if (in->actions == NULL || in->actions->n == 0)
		return 0;
	if (zone_offset_at(&off, c->inc->zone, in->now, NULL) < 0)
		return -1;
	civil_from_time(&today, in->now, off);
	today.hour = today.min = today.sec = 0;
	file = relpath(c->inc, ACTFILE_NAME);
	for (i = 0; i < in->actions->n; i++) {
		a = &in->actions->items[i];
		if (!action_is_overdue(a, &today))
			continue;
		lint_add(c->out, LINT_WARNING, file, a->line, NULL, "action %u "
		    "is overdue (due %04d-%02d-%02d): once done, mark it with "
		    "'pmtool action done %s %u'", a->n, a->due.year,
		    a->due.mon, a->due.day, c->id, a->n);
	}
	free(file);
	return 0;
}

int
lint_incident(struct lint_list *out, const struct lint_input *in)
{
	struct ctx	 c;
	int		 rc;

	lint_timeline(out, in->inc, in->cadence_s, in->now);
	ctx_init(&c, out, in->inc);
	check_analysis(&c, in);
	rc = check_actions(&c, in);
	free(c.timeline);
	return rc;
}

void
lint_event(struct lint_list *out, const struct incident *inc,
    const char *ref, int64_t now)
{
	const struct event	*ev = NULL;
	const struct correction	*corr = NULL;
	struct lint_list	 l;
	char			 full[EVENT_REF_LEN + 1];
	size_t			 i;

	if (ref == NULL || incident_find_ref(inc, ref, &ev, &corr, NULL) < 0)
		return;
	snprintf(full, sizeof full, "%s", ev != NULL ? ev->ref :
	    corr->line.ref);
	lint_list_init(&l);
	lint_timeline(&l, inc, 0, now);
	lint_keep_ref(&l, full);
	lint_sort(&l);
	for (i = 0; i < l.n; i++)
		lint_add(out, l.items[i].severity, l.items[i].file,
		    l.items[i].line, l.items[i].ref, "%s", l.items[i].message);
	lint_list_free(&l);
}
