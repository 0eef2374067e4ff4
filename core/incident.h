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
	X(EV_NOTE,	   "note",	   "anything else worth recording")

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

struct event {
	struct tstamp	 at;
	enum event_kind	 kind;
	enum status_state state;	/* ST_NONE unless kind is EV_STATUS */
	char		*text;		/* owned; "" when empty; may hold \n */
	unsigned	 line;		/* line in its file, 0 if none */
	size_t		 seq;		/* order of addition: the tie-break */
};

struct incident {
	char		*id;		/* folder name, NULL until stored */
	char		*title;
	char		*severity;	/* "" when unset */
	char		**services;
	size_t		 nservices;
	char		*commander;	/* "" when unset */
	char		*zone;		/* IANA name */
	struct event	*events;	/* in time order once sorted */
	size_t		 nevents;
	size_t		 cap;
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
/* 1 if resolved: a resolved event, or the latest status is resolved.
 * Events must be sorted. */
int		 incident_is_resolved(const struct incident *);
/* The start: the earliest started event, else the first event; NULL when
 * there are no events. Events must be sorted. Borrowed. */
const struct event *incident_start(const struct incident *);
/* The latest status event, or NULL. Events must be sorted. */
const struct event *incident_last_status(const struct incident *);

/* "detected", or for a status update "status" sep "monitoring" (sep
 * is "/", ": " or " " as the place wants). Into out, size bytes. */
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
