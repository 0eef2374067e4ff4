/*
 * actfile.h - the corrective-actions file (formats/actions-format.md):
 * reading incidents/<id>/actions.txt into an action_list, writing its
 * records, and actions as JSON.
 */
#ifndef PM_ACTFILE_H
#define PM_ACTFILE_H

#include <stddef.h>

#include <jansson.h>

#include "actions.h"

#define ACTFILE_NAME		"actions.txt"
#define ACTFILE_VERSION		1
#define ACTFILE_MAGIC		"pmtool-actions"
/* What a new file begins with: the magic line and a pointer here. */
#define ACTFILE_HEADER \
	"pmtool-actions 1\n" \
	"# Corrective actions of this incident. One record per line; see\n" \
	"# formats/actions-format.md.\n"

/*
 * Parse buf[0..len) (need not be NUL-terminated); name is the file name
 * used in messages. On success *out holds the actions in number order
 * (free with action_list_free()). On error returns -1 with
 * "NAME:LINE:COL: error: ..." set, and *out is untouched.
 */
int	 actfile_parse(struct action_list *out, const char *name,
	    const char *buf, size_t len);

/*
 * One record "TIMESTAMP VERB KEY[ VALUE]\n", a new string (free()). value
 * may be NULL or "" (no value); it must have passed actfile_check_value().
 */
char	*actfile_format_record(struct tstamp at, const char *verb,
	    const char *key, const char *value);
/*
 * Check a value before it goes into a record: valid UTF-8, one line, no
 * control characters but TAB, not too long, and no spaces or TABs at
 * either end (a reader would not give them back). what names it in the
 * error ("owner").
 */
int	 actfile_check_value(const char *what, const char *value);

/*
 * {"incident", "n", "key", "text", "owner", "due" (YYYY-MM-DD|null),
 *  "state" (open|done), "overdue", "added" (RFC 3339), "done_at" (RFC
 *  3339|null)}: a new reference. today decides "overdue". Like incjson,
 * keys are only ever added.
 */
json_t	*actjson_action(const struct action *, const char *incident_id,
	    const struct civil *today);

#endif
