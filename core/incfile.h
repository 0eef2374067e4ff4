/*
 * incfile.h - the incident file format (formats/incident-format.md):
 * reading a timeline.txt into a struct incident, and writing its lines.
 */
#ifndef PM_INCFILE_H
#define PM_INCFILE_H

#include <stddef.h>

#include "incident.h"

#define INCFILE_VERSION		1
#define INCFILE_MAGIC		"pmtool-incident"
#define INCFILE_LINE_MAX	65536

/*
 * Parse buf[0..len) (need not be NUL-terminated). name is the file name
 * used in messages. On success *out is a new incident with sorted events
 * (free with incident_free()); its id is not set. On error returns -1 with
 * "NAME:LINE:COL: error: ..." set, and *out is untouched.
 */
int	 incfile_parse(struct incident **out, const char *name,
	    const char *buf, size_t len);
/* Read and parse the file at path; name as above (NULL: path). */
int	 incfile_read(struct incident **out, const char *path,
	    const char *name);

/* The header lines of inc, ending with a blank line. Caller frees. */
char	*incfile_format_header(const struct incident *);
/* The lines of one event (continuation lines for multi-line text), each
 * ending in '\n'. Caller frees. */
char	*incfile_format_event(const struct event *);

/*
 * Give every event of inc (all lines, corrections among them, before
 * incident_settle()) its reference: the top 48 bits of the FNV-1a hash of
 * its lines as incfile_format_event() writes them, in hex; the second copy
 * of an identical line hashes on with "#1", the third with "#2".
 * incfile_parse() does it; a caller that builds an incident in memory and
 * wants the refs the file will give calls it, then incident_settle().
 */
void	 incfile_assign_refs(struct incident *);

/* Text as it will be stored: CRLF becomes LF, trailing spaces and TABs
 * of every line and trailing empty lines go, and leading spaces of the
 * first line. A new string (free()). */
char	*incfile_normalize_text(const char *text);
/* Check text before it goes into a file: valid UTF-8, no control
 * characters but TAB (and LF when multiline), lines of at most
 * INCFILE_LINE_MAX bytes. what names it in the error ("title"). */
int	 incfile_check_text(const char *what, const char *text,
	    int multiline);
/* Check a header field value (title, severity, services, commander). */
int	 incfile_check_header(const struct incident *);

#endif
