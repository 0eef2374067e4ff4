/*
 * import.h - incidents brought in from other tools (pmtool import): the
 * form every importer produces, before cli/cmd_import.c merges it into
 * the store (formats/import-format.md).
 *
 * Every importer is all or nothing: on error it returns -1 with a
 * "NAME:LINE:COL: error: ..." message set and *out untouched.
 */
#ifndef PM_IMPORT_H
#define PM_IMPORT_H

#include <stddef.h>

#include <jansson.h>

#include "incident.h"

/* One event, with the source's id for it. */
struct import_event {
	struct event	 ev;		/* at (offset as the source wrote it),
					   kind, state; ev.text owned, already
					   through import_clean_text() */
	char		*source_id;	/* owned; unique within its incident,
					   stable across exports of the source */
};

/* One incident, events oldest first (by instant; ties in source order). */
struct import_incident {
	char		*source_id;	/* owned; "statuspage:incident:ID" ... */
	char		*title;		/* owned, one line, not empty */
	char		*severity;	/* owned; "" when the source has none */
	char		**services;	/* owned strings */
	size_t		 nservices;
	char		*zone;		/* owned IANA name */
	struct import_event *events;
	size_t		 nevents;
};

struct import_set {
	struct import_incident	*v;
	size_t			 n;
};

void	 import_set_free(struct import_set *);
/* Add an empty incident to set; the caller fills it in. */
struct import_incident *import_add_incident(struct import_set *);
/* Add an event to inc: text is cleaned and copied, source_id copied. */
struct import_event *import_add_event(struct import_incident *,
	    const char *source_id, const char *text);
/* Add a service unless inc has it already (names compared exactly). */
void	 import_add_service(struct import_incident *, const char *name);
/* Sort inc's events oldest first, keeping source order for ties. */
void	 import_sort_events(struct import_incident *);

/*
 * Source text as event text: HTML line breaks (<br>, <br/>, <br />, any
 * case) and CRLF become LF; other control characters but TAB become a
 * space; invalid UTF-8 becomes U+FFFD; then incfile_normalize_text().
 * A new string (free()).
 */
char	*import_clean_text(const char *s, size_t len);
/* A header value (title, service, severity): one line, cleaned as above
 * with line breaks as spaces and runs of blanks as one. New string. */
char	*import_clean_line(const char *s, size_t len);

/* Hand the incidents of from over to out, after any it has. */
void	 import_set_move(struct import_set *out, struct import_set *from);

/* --- what the JSON importers share -------------------------------------- */

/* Where a JSON importer is, for its messages: jansson keeps no positions
 * for values, so a message names the record and the field instead. */
struct import_reader {
	const char	*name;		/* the input's name */
	const char	*zone;		/* the zone of the incidents read */
	char		 where[256];	/* "incident ID: update ID", or "" */
};

/* "NAME: error: WHERE: MESSAGE"; returns -1. */
int	 import_error(struct import_reader *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* A value as a message quotes it: at most 64 bytes, cut on a character
 * boundary, control characters as '?'. */
void	 import_quote(char out[80], const char *s);
/* "an object", "a string", ... for "expected X, found Y". */
const char *import_json_type(const json_t *);
/* key's value s as an RFC 3339 time; an error naming key and s. */
int	 import_parse_time(struct import_reader *, const char *key,
	    const char *s, struct tstamp *out);
/* The JSON document (an object or an array), or NULL with
 * "NAME:LINE:COL: error: ..." set. */
json_t	*import_json_load(const char *name, const char *buf, size_t len);

/* Atlassian Statuspage JSON: {"page", "incidents": [...]}, a webhook's
 * {"meta", "page", "incident"}, {"incident": {...}}, a bare incident,
 * or a bare array of incidents. */
int	 import_statuspage(struct import_set *out, const char *name,
	    const char *buf, size_t len);
/* PagerDuty REST API v2 log entries: {"log_entries": [...]} (also with
 * "limit"/"more"...), a bare array, or {"log_entry": {...}}. */
int	 import_pagerduty(struct import_set *out, const char *name,
	    const char *buf, size_t len);
/* The text of a status page's incident, newest first. tz (may be NULL)
 * is the IANA zone to read times in; title (may be NULL) overrides the
 * page's heading. */
int	 import_statuspage_text(struct import_set *out, const char *name,
	    const char *buf, size_t len, const char *tz, const char *title);

#endif
