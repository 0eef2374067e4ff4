/* incident.c - the incident model: events, corrections, state changes. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

static void
amendment_free(struct amendment *a)
{
	if (a != NULL)
		free(a->text);
	free(a);
}

static void
event_free_fields(struct event *ev)
{
	free(ev->text);
	free(ev->arg);
	amendment_free(ev->amend);
	free(ev->logged_by);
}

static void
state_free(struct incident_state *st)
{
	size_t	 i;

	free(st->title);
	free(st->severity);
	free(st->peak_severity);
	for (i = 0; i < st->nservices; i++)
		free(st->services[i]);
	free(st->services);
	for (i = 0; i < st->nroles; i++) {
		free(st->roles[i].name);
		free(st->roles[i].person);
	}
	free(st->roles);
	free(st->exclude_reason);
	memset(st, 0, sizeof *st);
}

void
incident_free(struct incident *inc)
{
	size_t	 i;

	if (inc == NULL)
		return;
	for (i = 0; i < inc->nevents; i++)
		event_free_fields(&inc->events[i]);
	free(inc->events);
	for (i = 0; i < inc->ncorrections; i++) {
		event_free_fields(&inc->corrections[i].line);
		free(inc->corrections[i].why);
		free(inc->corrections[i].before.text);
	}
	free(inc->corrections);
	for (i = 0; i < inc->nretracted; i++)
		event_free_fields(&inc->retracted[i]);
	free(inc->retracted);
	state_free(&inc->cur);
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

int
incident_word_ok(const char *v, size_t len)
{
	size_t	 i;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++)
		if (!((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' &&
		    v[i] <= 'Z') || (v[i] >= '0' && v[i] <= '9') ||
		    v[i] == '-' || v[i] == '_'))
			return 0;
	return 1;
}

int
severity_rank(const char *sev)
{
	static const char *words[] = { "critical", "high", "major", "medium",
	    "moderate", "low", "minor" };
	size_t		 len, i, n;
	long		 num;

	if (sev == NULL || (len = strlen(sev)) == 0)
		return INT_MAX;
	for (i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcasecmp(sev, words[i]) == 0)
			return 5 + (int)i;
	for (n = len; n > 0 && sev[n - 1] >= '0' && sev[n - 1] <= '9'; n--)
		;
	if (n == len || len - n > 6)
		return INT_MAX;
	num = strtol(sev + n, NULL, 10);
	/* SEV1 and P1 alike; above the words only from 0 to 4. */
	return num <= 4 ? (int)num : 12 + (int)num;
}

const char *
correction_outcome_text(enum correction_outcome o)
{
	switch (o) {
	case CO_APPLIED:		return "applied";
	case CO_WITHDRAWN:		return "withdrawn";
	case CO_UNKNOWN_TARGET:		return "no event has that reference";
	case CO_AMBIGUOUS_TARGET:	return "the reference is ambiguous";
	case CO_TARGET_RETRACTED:	return "its event was retracted";
	case CO_TARGET_CORRECTION:	return "it amends a correction";
	case CO_INVALID:		return "it does not fit its event";
	}
	return "?";
}

const struct role *
incident_role(const struct incident *inc, const char *name)
{
	size_t	 i;

	for (i = 0; i < inc->cur.nroles; i++)
		if (strcasecmp(inc->cur.roles[i].name, name) == 0)
			return &inc->cur.roles[i];
	return NULL;
}

/* --- references ----------------------------------------------------- */

/* Every line of a settled (or not yet settled) incident, by reference. */
enum line_where { LW_EVENT, LW_RETRACTED, LW_CORRECTION };

struct line_ref {
	const char	*ref;
	enum line_where	 where;
	size_t		 i;
};

static int
line_ref_cmp(const void *a, const void *b)
{
	return strcmp(((const struct line_ref *)a)->ref,
	    ((const struct line_ref *)b)->ref);
}

/* The refs of every line, sorted; lines without a ref are left out. */
static struct line_ref *
line_refs(const struct incident *inc, size_t *n)
{
	struct line_ref	*v;
	size_t		 i, k = 0;

	v = xcalloc(inc->nevents + inc->nretracted + inc->ncorrections + 1,
	    sizeof *v);
	for (i = 0; i < inc->nevents; i++)
		if (inc->events[i].ref[0] != '\0')
			v[k++] = (struct line_ref){ inc->events[i].ref,
			    LW_EVENT, i };
	for (i = 0; i < inc->nretracted; i++)
		if (inc->retracted[i].ref[0] != '\0')
			v[k++] = (struct line_ref){ inc->retracted[i].ref,
			    LW_RETRACTED, i };
	for (i = 0; i < inc->ncorrections; i++)
		if (inc->corrections[i].line.ref[0] != '\0')
			v[k++] = (struct line_ref){
			    inc->corrections[i].line.ref, LW_CORRECTION, i };
	qsort(v, k, sizeof *v, line_ref_cmp);
	*n = k;
	return v;
}

/* The lines whose ref begins with prefix: [*first, *first + *count). An
 * exact match wins over longer ones. */
static void
line_refs_match(const struct line_ref *v, size_t n, const char *prefix,
    size_t *first, size_t *count)
{
	size_t	 lo = 0, hi = n, mid, plen = strlen(prefix);

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strncmp(v[mid].ref, prefix, plen) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	for (hi = lo; hi < n && strncmp(v[hi].ref, prefix, plen) == 0; hi++)
		if (strlen(v[hi].ref) == plen) {
			*first = hi;
			*count = 1;
			return;
		}
	*count = hi - lo;
}

static int
ref_syntax_ok(const char *ref)
{
	size_t	 len = strlen(ref), i;

	if (len < 4 || len > EVENT_REF_LEN)
		return 0;
	for (i = 0; i < len; i++)
		if (!((ref[i] >= '0' && ref[i] <= '9') ||
		    (ref[i] >= 'a' && ref[i] <= 'f')))
			return 0;
	return 1;
}

int
incident_find_ref(const struct incident *inc, const char *ref,
    const struct event **ev, const struct correction **corr,
    int *retracted)
{
	struct line_ref	*v;
	size_t		 n, first, count;
	char		 lower[EVENT_REF_LEN + 1];
	size_t		 i;

	if (ev != NULL)
		*ev = NULL;
	if (corr != NULL)
		*corr = NULL;
	if (retracted != NULL)
		*retracted = 0;
	for (i = 0; ref[i] != '\0' && i < EVENT_REF_LEN; i++)
		lower[i] = (char)tolower((unsigned char)ref[i]);
	lower[i] = '\0';
	if (ref[i] != '\0' || !ref_syntax_ok(lower))
		return pm_error_set("bad event reference '%s': 4 to %d hex "
		    "digits, as pmtool show prints them", ref, EVENT_REF_LEN);
	v = line_refs(inc, &n);
	line_refs_match(v, n, lower, &first, &count);
	if (count != 1) {
		free(v);
		if (count == 0)
			return pm_error_set("no event of %s has the reference "
			    "'%s' (pmtool show %s lists them)", inc->id != NULL ?
			    inc->id : "the incident", ref, inc->id != NULL ?
			    inc->id : "ID");
		return pm_error_set("the reference '%s' is ambiguous in %s: "
		    "give more digits", ref, inc->id != NULL ? inc->id :
		    "the incident");
	}
	switch (v[first].where) {
	case LW_EVENT:
		if (ev != NULL)
			*ev = &inc->events[v[first].i];
		break;
	case LW_RETRACTED:
		if (ev != NULL)
			*ev = &inc->retracted[v[first].i];
		if (retracted != NULL)
			*retracted = 1;
		break;
	case LW_CORRECTION:
		if (corr != NULL)
			*corr = &inc->corrections[v[first].i];
		break;
	}
	free(v);
	return 0;
}

void
incident_short_ref(char out[EVENT_REF_LEN + 1], const struct incident *inc,
    const char *ref)
{
	const struct event	*ev;
	const struct correction	*c;
	size_t			 len = EVENT_REF_SHOW;

	if (incident_find_ref(inc, ref, &ev, &c, NULL) == 0) {
		if (ev != NULL && ev->refw > 0)
			len = ev->refw;
		else if (c != NULL && c->line.refw > 0)
			len = c->line.refw;
	}
	snprintf(out, EVENT_REF_LEN + 1, "%.*s", (int)len, ref);
}

static size_t
common_prefix(const char *a, const char *b)
{
	size_t	 i;

	for (i = 0; a[i] != '\0' && a[i] == b[i]; i++)
		;
	return i;
}

static struct event *
line_at(struct incident *inc, const struct line_ref *r)
{
	switch (r->where) {
	case LW_EVENT:		return &inc->events[r->i];
	case LW_RETRACTED:	return &inc->retracted[r->i];
	case LW_CORRECTION:	return &inc->corrections[r->i].line;
	}
	return NULL;
}

/* How many digits of each ref to show: EVENT_REF_SHOW, or one more than
 * it shares with its nearest neighbour in sorted order. */
static void
set_ref_widths(struct incident *inc)
{
	struct line_ref	*v;
	size_t		 n, i, w, c;

	v = line_refs(inc, &n);
	for (i = 0; i < n; i++) {
		w = EVENT_REF_SHOW;
		if (i > 0 && (c = common_prefix(v[i].ref, v[i - 1].ref)) >= w)
			w = c + 1;
		if (i + 1 < n && (c = common_prefix(v[i].ref,
		    v[i + 1].ref)) >= w)
			w = c + 1;
		if (w > EVENT_REF_LEN)
			w = EVENT_REF_LEN;
		line_at(inc, &v[i])->refw = (unsigned char)w;
	}
	free(v);
}

/* --- settling: corrections, then state ------------------------------- */

static int
correction_cmp(const void *a, const void *b)
{
	const struct correction	*x = a, *y = b;

	if (x->line.at.t != y->line.at.t)
		return x->line.at.t < y->line.at.t ? -1 : 1;
	if (x->line.seq != y->line.seq)
		return x->line.seq < y->line.seq ? -1 : 1;
	return strcmp(x->line.ref, y->line.ref);
}

/* Move the amend and retract lines out of the events, in the order they
 * apply: the time they were made, then their order in the file (two made
 * in the same second on one clone apply as they were made; synced clones
 * hold the same file, so they agree). */
static void
split_corrections(struct incident *inc)
{
	size_t	 i, k = 0, n = 0;

	for (i = 0; i < inc->nevents; i++)
		if (EVENT_KIND_IS_CORRECTION(inc->events[i].kind))
			n++;
	if (n == 0)
		return;
	inc->corrections = xcalloc(n, sizeof *inc->corrections);
	for (i = 0; i < inc->nevents; i++) {
		if (EVENT_KIND_IS_CORRECTION(inc->events[i].kind)) {
			struct correction *c;

			c = &inc->corrections[inc->ncorrections++];
			c->line = inc->events[i];
			c->target_kind = EV__COUNT;
		} else
			inc->events[k++] = inc->events[i];
	}
	inc->nevents = k;
	qsort(inc->corrections, inc->ncorrections, sizeof *inc->corrections,
	    correction_cmp);
}

/* Where each correction points: an event (*ev_of >= 0), another
 * correction (*corr_of >= 0), or nowhere (outcome set). */
static void
resolve_targets(struct incident *inc, long *ev_of, long *corr_of)
{
	struct line_ref		*v;
	struct correction	*c;
	size_t			 n, i, first, count;
	char			 lower[EVENT_REF_LEN + 1];
	const char		*arg;

	v = line_refs(inc, &n);
	for (i = 0; i < inc->ncorrections; i++) {
		c = &inc->corrections[i];
		ev_of[i] = corr_of[i] = -1;
		arg = c->line.arg != NULL ? c->line.arg : "";
		snprintf(lower, sizeof lower, "%s", arg);
		line_refs_match(v, n, lower, &first, &count);
		if (!ref_syntax_ok(lower) || count == 0) {
			c->outcome = CO_UNKNOWN_TARGET;
			continue;
		}
		if (count > 1) {
			c->outcome = CO_AMBIGUOUS_TARGET;
			continue;
		}
		snprintf(c->target, sizeof c->target, "%s", v[first].ref);
		if (v[first].where == LW_EVENT) {
			ev_of[i] = (long)v[first].i;
			c->target_kind = inc->events[v[first].i].kind;
		} else {
			corr_of[i] = (long)v[first].i;
			c->target_kind =
			    inc->corrections[v[first].i].line.kind;
		}
	}
	free(v);
}

/*
 * Which corrections a retraction withdrew. A retraction is in force unless
 * a retraction in force withdrew it, so the lines are settled from those
 * nobody retracted (Kahn's order over "retracts"); a loop, which the
 * references cannot make without a hash collision, counts as in force.
 */
static void
find_withdrawn(struct incident *inc, const long *corr_of, int *withdrawn)
{
	size_t	*pending, *queue, head = 0, tail = 0, i, n = inc->ncorrections;
	long	 t;

	pending = xcalloc(n + 1, sizeof *pending);
	queue = xcalloc(n + 1, sizeof *queue);
	for (i = 0; i < n; i++)
		if (inc->corrections[i].line.kind == EV_RETRACT &&
		    corr_of[i] >= 0)
			pending[corr_of[i]]++;
	for (i = 0; i < n; i++)
		if (pending[i] == 0)
			queue[tail++] = i;
	while (head < tail) {
		i = queue[head++];
		if (inc->corrections[i].line.kind != EV_RETRACT ||
		    (t = corr_of[i]) < 0)
			continue;
		if (!withdrawn[i])
			withdrawn[t] = 1;
		if (--pending[t] == 0)
			queue[tail++] = (size_t)t;
	}
	free(pending);
	free(queue);
}

static int
set_invalid(struct correction *c, const char *why)
{
	c->outcome = CO_INVALID;
	free(c->why);
	c->why = xstrdup(why);
	return -1;
}

/* Whether text suits an event of kind k (a service change, a title). */
static const char *
text_misfit(enum event_kind k, const char *text)
{
	switch (k) {
	case EV_TITLE:
		if (*text == '\0' || strchr(text, '\n') != NULL)
			return "a title is one line, not empty";
		break;
	case EV_SERVICE:
		if ((text[0] != '+' && text[0] != '-') || text[1] == '\0' ||
		    strchr(text, ',') != NULL || strchr(text, '\n') != NULL)
			return "a service change is +NAME or -NAME";
		break;
	case EV_ROLE:
		if (strchr(text, '\n') != NULL)
			return "a role's holder is one line";
		break;
	default:
		break;
	}
	return NULL;
}

/* Apply amend c to ev, keeping what it replaced in c->before. */
static int
apply_amend(struct correction *c, struct event *ev)
{
	const struct amendment	*a = c->line.amend;
	enum event_kind		 kind = ev->kind;
	enum status_state	 state = ev->state;
	const char		*why;

	if (a == NULL || a->set == 0)
		return set_invalid(c, "it changes nothing");
	if (a->set & AM_KIND) {
		if (!EVENT_KIND_IS_TIMELINE(ev->kind) ||
		    !EVENT_KIND_IS_TIMELINE(a->kind))
			return set_invalid(c, "only events of the timeline "
			    "(lead-up to note) change kind");
		kind = a->kind;
	}
	if (a->set & AM_STATE) {
		if (kind != EV_STATUS)
			return set_invalid(c, "only a status update has a "
			    "state");
		state = a->state;
	}
	if (kind == EV_STATUS && state == ST_NONE)
		return set_invalid(c, "a status update needs a state");
	if ((a->set & AM_TEXT) && (why = text_misfit(kind, a->text)) != NULL)
		return set_invalid(c, why);
	c->before.set = a->set;
	c->before.at = ev->at;
	c->before.kind = ev->kind;
	c->before.state = ev->state;
	if (a->set & AM_AT)
		ev->at = a->at;
	ev->kind = kind;
	ev->state = kind == EV_STATUS ? state : ST_NONE;
	if (a->set & AM_TEXT) {
		c->before.text = ev->text;
		ev->text = xstrdup(a->text);
	}
	ev->flags |= EVF_AMENDED;
	c->outcome = CO_APPLIED;
	return 0;
}

static void
apply_corrections(struct incident *inc)
{
	long		*ev_of, *corr_of;
	int		*withdrawn, *gone;
	size_t		 i, k, n = inc->ncorrections;
	struct correction *c;

	ev_of = xcalloc(n + 1, sizeof *ev_of);
	corr_of = xcalloc(n + 1, sizeof *corr_of);
	withdrawn = xcalloc(n + 1, sizeof *withdrawn);
	gone = xcalloc(inc->nevents + 1, sizeof *gone);
	resolve_targets(inc, ev_of, corr_of);
	find_withdrawn(inc, corr_of, withdrawn);
	/* Retractions first: a withdrawn event stays withdrawn, whatever
	 * amends it, in whichever order they were made or merged. */
	for (i = 0; i < n; i++) {
		c = &inc->corrections[i];
		if (withdrawn[i]) {
			c->outcome = CO_WITHDRAWN;
			continue;
		}
		if (c->line.kind != EV_RETRACT)
			continue;
		if (ev_of[i] >= 0) {
			gone[ev_of[i]] = 1;
			c->outcome = CO_APPLIED;
		} else if (corr_of[i] >= 0)
			c->outcome = CO_APPLIED;
	}
	for (i = 0; i < n; i++) {
		c = &inc->corrections[i];
		if (withdrawn[i] || c->line.kind != EV_AMEND)
			continue;
		if (corr_of[i] >= 0)
			c->outcome = CO_TARGET_CORRECTION;
		else if (ev_of[i] >= 0 && gone[ev_of[i]])
			c->outcome = CO_TARGET_RETRACTED;
		else if (ev_of[i] >= 0)
			apply_amend(c, &inc->events[ev_of[i]]);
	}
	/* The withdrawn events leave the timeline, in its order. */
	for (i = 0; i < inc->nevents; i++)
		if (gone[i])
			inc->nretracted++;
	if (inc->nretracted > 0) {
		inc->retracted = xcalloc(inc->nretracted,
		    sizeof *inc->retracted);
		inc->nretracted = 0;
		for (i = 0, k = 0; i < inc->nevents; i++) {
			if (gone[i])
				inc->retracted[inc->nretracted++] =
				    inc->events[i];
			else
				inc->events[k++] = inc->events[i];
		}
		inc->nevents = k;
	}
	free(ev_of);
	free(corr_of);
	free(withdrawn);
	free(gone);
}

static void
state_set_role(struct incident_state *st, const char *name,
    const char *person, struct tstamp since, int from_header)
{
	struct role	*r = NULL;
	size_t		 i;

	for (i = 0; i < st->nroles; i++)
		if (strcasecmp(st->roles[i].name, name) == 0)
			r = &st->roles[i];
	if (r == NULL) {
		st->roles = xreallocarray(st->roles, st->nroles + 1,
		    sizeof *st->roles);
		r = &st->roles[st->nroles++];
		memset(r, 0, sizeof *r);
		r->name = xstrdup(name);
		for (i = 0; r->name[i] != '\0'; i++)
			r->name[i] = (char)tolower((unsigned char)r->name[i]);
	}
	free(r->person);
	r->person = xstrdup(person);
	r->since = since;
	r->from_header = from_header;
}

static void
state_service(struct incident_state *st, const char *change)
{
	const char	*name = change + 1;
	size_t		 i;

	for (i = 0; i < st->nservices; i++)
		if (strcasecmp(st->services[i], name) == 0)
			break;
	if (change[0] == '+' && i == st->nservices) {
		st->services = xreallocarray(st->services, st->nservices + 1,
		    sizeof *st->services);
		st->services[st->nservices++] = xstrdup(name);
	} else if (change[0] == '-' && i < st->nservices) {
		free(st->services[i]);
		memmove(&st->services[i], &st->services[i + 1],
		    (st->nservices - i - 1) * sizeof *st->services);
		st->nservices--;
	}
}

static void
state_severity(struct incident_state *st, const char *level)
{
	incident_set(&st->severity, level);
	if (*st->peak_severity == '\0' ||
	    severity_rank(level) < severity_rank(st->peak_severity))
		incident_set(&st->peak_severity, level);
}

/* The header, then every state change in time order. */
static void
compute_state(struct incident *inc)
{
	struct incident_state	*st = &inc->cur;
	const struct event	*ev;
	struct tstamp		 none;
	size_t			 i;

	state_free(st);
	memset(&none, 0, sizeof none);
	st->title = xstrdup(inc->title);
	st->severity = xstrdup(inc->severity);
	st->peak_severity = xstrdup(inc->severity);
	st->exclude_reason = xstrdup("");
	st->services = xcalloc(inc->nservices + 1, sizeof *st->services);
	for (i = 0; i < inc->nservices; i++)
		st->services[st->nservices++] = xstrdup(inc->services[i]);
	if (*inc->commander != '\0')
		state_set_role(st, "commander", inc->commander, none, 1);
	for (i = 0; i < inc->nevents; i++) {
		ev = &inc->events[i];
		switch (ev->kind) {
		case EV_SEVERITY:
			if (ev->arg != NULL)
				state_severity(st, ev->arg);
			break;
		case EV_ROLE:
			if (ev->arg != NULL)
				state_set_role(st, ev->arg, ev->text, ev->at,
				    0);
			break;
		case EV_SERVICE:
			if (text_misfit(EV_SERVICE, ev->text) == NULL)
				state_service(st, ev->text);
			break;
		case EV_TITLE:
			if (*ev->text != '\0')
				incident_set(&st->title, ev->text);
			break;
		case EV_REOPENED:
			st->reopenings++;
			break;
		case EV_EXCLUDED:
			st->excluded = 1;
			incident_set(&st->exclude_reason, ev->text);
			break;
		default:
			break;
		}
	}
}

void
incident_settle(struct incident *inc)
{
	if (inc->settled)
		return;
	split_corrections(inc);
	if (inc->ncorrections > 0)
		apply_corrections(inc);
	incident_sort(inc);
	compute_state(inc);
	set_ref_widths(inc);
	inc->settled = 1;
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

const struct event *
incident_last_reopened(const struct incident *inc)
{
	size_t	 i;

	for (i = inc->nevents; i > 0; i--)
		if (inc->events[i - 1].kind == EV_REOPENED)
			return &inc->events[i - 1];
	return NULL;
}

const struct event *
incident_end(const struct incident *inc)
{
	const struct event	*reopened, *last;
	size_t			 i, from;

	reopened = incident_last_reopened(inc);
	from = reopened != NULL ? (size_t)(reopened - inc->events) + 1 : 0;
	for (i = inc->nevents; i > from; i--)
		if (inc->events[i - 1].kind == EV_RESOLVED)
			return &inc->events[i - 1];
	last = incident_last_status(inc);
	if (last != NULL && last->state == ST_RESOLVED &&
	    (size_t)(last - inc->events) >= from)
		return last;
	return NULL;
}

int
incident_is_resolved(const struct incident *inc)
{
	return incident_end(inc) != NULL;
}

const struct event *
incident_start(const struct incident *inc)
{
	size_t	 i;

	for (i = 0; i < inc->nevents; i++)
		if (inc->events[i].kind == EV_STARTED)
			return &inc->events[i];
	for (i = 0; i < inc->nevents; i++)
		if (EVENT_KIND_IS_TIMELINE(inc->events[i].kind))
			return &inc->events[i];
	return NULL;
}

const char *
incident_title(const struct incident *inc)
{
	return inc->settled && inc->cur.title != NULL ? inc->cur.title :
	    inc->title;
}

const char *
incident_severity(const struct incident *inc)
{
	return inc->settled && inc->cur.severity != NULL ?
	    inc->cur.severity : inc->severity;
}

const char *
incident_commander(const struct incident *inc)
{
	const struct role	*r = incident_role(inc, "commander");

	return r != NULL ? r->person : inc->commander;
}

char **
incident_services(const struct incident *inc, size_t *n)
{
	*n = inc->settled ? inc->cur.nservices : inc->nservices;
	return inc->settled ? inc->cur.services : inc->services;
}

void
event_label(char *out, size_t size, const struct event *ev, const char *sep)
{
	if (ev->kind == EV_STATUS)
		snprintf(out, size, "status%s%s", sep,
		    status_state_name(ev->state));
	else if ((ev->kind == EV_SEVERITY || ev->kind == EV_ROLE) &&
	    ev->arg != NULL)
		snprintf(out, size, "%s%s%s", event_kind_name(ev->kind), sep,
		    ev->arg);
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

const struct event *
incident_last_line(const struct incident *inc)
{
	const struct event	*best = NULL;
	size_t			 i;

	for (i = 0; i < inc->nevents; i++)
		if (best == NULL || inc->events[i].line > best->line)
			best = &inc->events[i];
	for (i = 0; i < inc->nretracted; i++)
		if (best == NULL || inc->retracted[i].line > best->line)
			best = &inc->retracted[i];
	for (i = 0; i < inc->ncorrections; i++)
		if (best == NULL || inc->corrections[i].line.line > best->line)
			best = &inc->corrections[i].line;
	return best;
}
