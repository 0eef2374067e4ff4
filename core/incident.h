/*
 * incident.h - an incident: its header and its timeline of events.
 *
 * The model knows nothing of files or git: core/incfile reads and
 * writes it, core/store keeps it in a repository.
 */
#ifndef PM_INCIDENT_H
#define PM_INCIDENT_H

#include <stddef.h>

#include "tstamp.h"

/* Event kinds: enum constant, name in files and commands, meaning. */
#define EVENT_KINDS \
	X(EV_LEADUP,	   "lead-up",	   "something before the fault that led to it") \
	X(EV_STARTED,	   "started",	   "the fault or its impact began") \
	X(EV_DETECTED,	   "detected",	   "the team learned of the problem") \
	X(EV_ACKNOWLEDGED, "acknowledged", "a responder took it on") \
	X(EV_STATUS,	   "status",	   "a public status update (takes a state)") \
	X(EV_ACTION,	   "action",	   "something a responder did") \
	X(EV_MITIGATED,	   "mitigated",	   "the impact was contained") \
	X(EV_RESOLVED,	   "resolved",	   "the impact actually ended") \
	X(EV_NOTE,	   "note",	   "anything else worth recording") \
	X(EV_SEVERITY,	   "severity",	   "the severity changed (escalated or de-escalated)") \
	X(EV_ROLE,	   "role",	   "a role (commander, comms, scribe, ...) handed to someone") \
	X(EV_SERVICE,	   "service",	   "a service added (+NAME) or removed (-NAME)") \
	X(EV_TITLE,	   "title",	   "the incident got a new title") \
	X(EV_REOPENED,	   "reopened",	   "the incident is open again after it was resolved") \
	X(EV_EXCLUDED,	   "excluded",	   "left out of reliability figures (a test, a duplicate)") \
	X(EV_AMEND,	   "amend",	   "a correction of an earlier event") \
	X(EV_RETRACT,	   "retract",	   "an earlier event withdrawn")

enum event_kind {
#define X(e, name, help) e,
	EVENT_KINDS
#undef X
	EV__COUNT
};

/* States of a public status update. */
#define STATUS_STATES \
	X(ST_INVESTIGATING, "investigating") \
	X(ST_IDENTIFIED,    "identified") \
	X(ST_MONITORING,    "monitoring") \
	X(ST_UPDATE,	    "update") \
	X(ST_RESOLVED,	    "resolved")

enum status_state {
	ST_NONE,
#define X(e, name) e,
	STATUS_STATES
#undef X
	ST__COUNT
};

/* Kinds of the timeline proper (what metrics and phases read). */
#define EVENT_KIND_IS_TIMELINE(k)	((k) <= EV_NOTE)
/* Kinds that change the incident's state (severity, roles, services,
 * title, reopened, excluded): timed events with no part in the metrics. */
#define EVENT_KIND_IS_CHANGE(k)		((k) >= EV_SEVERITY && (k) <= EV_EXCLUDED)
/* Corrections of earlier lines (amend, retract). */
#define EVENT_KIND_IS_CORRECTION(k)	((k) == EV_AMEND || (k) == EV_RETRACT)

/*
 * An event's reference: 12 lowercase hex digits derived from its line as
 * pmtool writes it (formats/incident-format.md, "References"), so it is
 * the same on every clone, whatever the order of the lines. Shown
 * abbreviated (EVENT_REF_SHOW digits, more when that is ambiguous).
 */
#define EVENT_REF_LEN		12
#define EVENT_REF_SHOW		7

/* The fields an amend line sets (AM_* bits in set). */
enum {
	AM_AT = 0x1,
	AM_KIND = 0x2,
	AM_STATE = 0x4,
	AM_TEXT = 0x8
};

struct amendment {
	unsigned	 set;
	struct tstamp	 at;
	enum event_kind	 kind;
	enum status_state state;
	char		*text;		/* owned when AM_TEXT; else NULL */
};

/* Event flags. */
enum {
	EVF_AMENDED = 0x1		/* an amend changed it */
};

struct event {
	struct tstamp	 at;
	enum event_kind	 kind;
	enum status_state state;	/* ST_NONE unless kind is EV_STATUS */
	char		*text;		/* owned; "" when empty; may hold \n.
					 * For amend and retract: the reason */
	char		*arg;		/* owned or NULL: a severity's level, a
					 * role's name, a correction's target
					 * reference as written */
	struct amendment *amend;	/* owned; amend lines only */
	unsigned	 line;		/* line in its file, 0 if none */
	size_t		 seq;		/* order of addition: the tie-break */
	unsigned	 flags;		/* EVF_* */
	char		 ref[EVENT_REF_LEN + 1];	/* "" until assigned */
	unsigned char	 refw;		/* digits of ref to show (settled) */
	/* Who logged it: the author of the commit that added its line
	 * (owned), and that commit's author time. NULL and 0 until the
	 * store fills them in, or when the line is not committed. */
	char		*logged_by;
	int64_t		 logged_at;
};

/* What became of a correction line. */
enum correction_outcome {
	CO_APPLIED,		/* it changed or withdrew its target */
	CO_WITHDRAWN,		/* a retraction withdrew the correction itself */
	CO_UNKNOWN_TARGET,	/* no line has that reference */
	CO_AMBIGUOUS_TARGET,	/* the reference is a prefix of several */
	CO_TARGET_RETRACTED,	/* an amend of a withdrawn event: no effect */
	CO_TARGET_CORRECTION,	/* an amend of a correction: no effect */
	CO_INVALID		/* the change does not fit its target */
};

/*
 * A correction line (amend or retract), taken out of the timeline by
 * incident_settle(), with what it did. line.text is the reason.
 */
struct correction {
	struct event	 line;
	enum correction_outcome outcome;
	char		*why;		/* owned: why it is CO_INVALID, or NULL */
	char		 target[EVENT_REF_LEN + 1];	/* resolved, or "" */
	enum event_kind	 target_kind;	/* EV__COUNT when unknown */
	/* For an applied amend: the target's values before it (the
	 * fields in line.amend->set; before.text owned). */
	struct amendment before;
};

/* A role and who holds it now ("" when nobody: handed to no one). */
struct role {
	char		*name;		/* lower case: commander, comms, ... */
	char		*person;
	struct tstamp	 since;		/* when it was taken; 0 for the header */
	int		 from_header;	/* the header's commander */
};

/*
 * The incident as its state changes leave it (incident_settle()): the
 * header keeps the values at declaration; these are the current ones.
 */
struct incident_state {
	char		*title;
	char		*severity;	/* "" when unset */
	char		*peak_severity;	/* the most severe it has been, "" */
	char		**services;
	size_t		 nservices;
	struct role	*roles;		/* in the order first named */
	size_t		 nroles;
	int		 excluded;	/* left out of reliability figures */
	char		*exclude_reason;	/* "" unless excluded */
	unsigned	 reopenings;
};

struct incident {
	char		*id;		/* folder name, NULL until stored */
	char		*title;
	char		*severity;	/* "" when unset */
	char		**services;
	size_t		 nservices;
	char		*commander;	/* "" when unset */
	char		*zone;		/* IANA name */
	struct event	*events;	/* in time order once sorted; after
					 * incident_settle() the corrected
					 * timeline, without corrections and
					 * withdrawn events */
	size_t		 nevents;
	size_t		 cap;
	/* Filled by incident_settle(). */
	struct correction *corrections;	/* in the order they apply */
	size_t		 ncorrections;
	struct event	*retracted;	/* withdrawn events, in time order */
	size_t		 nretracted;
	struct incident_state cur;
	int		 settled;
};

/* A new incident with empty fields; free with incident_free(). */
struct incident	*incident_new(void);
void		 incident_free(struct incident *);
/* Set a string field: frees the old value, copies the new one. */
void		 incident_set(char **field, const char *value);
void		 incident_add_service(struct incident *, const char *);
/* Append an event, copying text. Returns the event (owned by the
 * incident; valid until the next add or sort). */
struct event	*incident_add_event(struct incident *, struct tstamp,
		    enum event_kind, enum status_state, const char *text);
/* Order events by instant; events at the same instant keep the order in
 * which they were added. */
void		 incident_sort(struct incident *);
/*
 * Apply the corrections and state changes among the events, whose refs
 * must be assigned (incfile_assign_refs()): amend and retract lines move
 * to inc->corrections, withdrawn events to inc->retracted, amended
 * events take their new values and the events are sorted again; inc->cur
 * is the incident's current state. The rules are those of
 * formats/incident-format.md ("Corrections"); nothing here fails. Call
 * once; a second call does nothing.
 */
void		 incident_settle(struct incident *);
/* 1 if resolved: after the last reopened event, a resolved event or a
 * latest status update that says resolved. Events must be sorted. */
int		 incident_is_resolved(const struct incident *);
/* The end: the latest resolved event after the last reopened one, else
 * the latest status update when it says resolved and comes after it;
 * NULL while open. Events must be sorted. Borrowed. */
const struct event *incident_end(const struct incident *);
/* The line of the file read last (the highest line number): an event,
 * a withdrawn one or a correction's line; what a preview of an append
 * (store_preview_append()) added. NULL when there is none. Borrowed. */
const struct event *incident_last_line(const struct incident *);
/* The last reopened event, or NULL. */
const struct event *incident_last_reopened(const struct incident *);
/* The start: the earliest started event, else the first event of the
 * timeline proper (EVENT_KIND_IS_TIMELINE); NULL when there is none.
 * Events must be sorted. Borrowed. */
const struct event *incident_start(const struct incident *);
/* The latest status event, or NULL. Events must be sorted. */
const struct event *incident_last_status(const struct incident *);
/* The current title and severity (inc->cur once settled, else the
 * header's). Borrowed. */
const char	*incident_title(const struct incident *);
const char	*incident_severity(const struct incident *);
/* Who holds the commander role now (the header's commander until it is
 * handed on), "" when nobody. Borrowed. */
const char	*incident_commander(const struct incident *);
/* The services it touches now, *n of them. Borrowed. */
char		**incident_services(const struct incident *, size_t *n);
/* The shortest prefix of ref (at least EVENT_REF_SHOW digits) that no
 * other line of inc shares. Into out, EVENT_REF_LEN + 1 bytes. */
void		 incident_short_ref(char out[EVENT_REF_LEN + 1],
		    const struct incident *, const char *ref);
/*
 * Find the line ref (a full reference or a unique prefix of at least 4
 * digits) names: an event of the timeline (*ev), a withdrawn one (*ev,
 * *retracted 1) or a correction (*corr). 0, or -1 with the error set
 * (unknown, ambiguous, malformed). Outputs may be NULL.
 */
int		 incident_find_ref(const struct incident *, const char *ref,
		    const struct event **ev, const struct correction **corr,
		    int *retracted);
/* Severity ranks: smaller is more severe; INT_MAX when unranked. A
 * trailing number ranks by it (SEV1 before SEV2, P0 before P1); the words
 * critical, high, major, medium, moderate, low, minor rank in that order
 * after the numbers 0 to 4. Case ignored. */
int		 severity_rank(const char *);
/* 1 when s is a valid severity, role or similar word: letters, digits,
 * '-' and '_', not empty. */
int		 incident_word_ok(const char *s, size_t len);
/* The holder of role name (case ignored) now, or NULL if nobody ever
 * held it. */
const struct role *incident_role(const struct incident *, const char *name);
const char	*correction_outcome_text(enum correction_outcome);

/* "detected", or for a status update "status" sep "monitoring", for a
 * severity change "severity" sep "SEV1", for a role "role" sep "comms"
 * (sep is "/", ": " or " " as the place wants). Into out, size bytes. */
void		 event_label(char *out, size_t size, const struct event *,
		    const char *sep);
const char	*event_kind_name(enum event_kind);
const char	*event_kind_help(enum event_kind);
/* -1 when name is not a kind. */
int		 event_kind_from_name(const char *name, size_t len);
const char	*status_state_name(enum status_state);
/* ST_NONE when name is not a state. */
enum status_state status_state_from_name(const char *name, size_t len);

/* Build an id "YYYY-MM-DD-slug" into a new string (free()). The slug keeps
 * ASCII letters and digits of the title, lower-cased, every other run
 * becoming one '-'; at most 48 characters; "incident" if nothing is left. */
char		*incident_make_id(const struct civil *date, const char *title);
/* 0 when id is a safe folder name: not empty, at most 200 bytes, no '/',
 * no leading '.', no "..", no control characters or spaces; else -1 with an
 * error. */
int		 incident_check_id(const char *id);

#endif
