/*
 * actions.h - the corrective actions of an incident: tracked items with a
 * text, an owner, a due date and a state.
 *
 * The model knows nothing of files: core/actfile reads the append-only
 * log of records (formats/actions-format.md) into an action_list.
 */
#ifndef PM_ACTIONS_H
#define PM_ACTIONS_H

#include <stddef.h>

#include "tstamp.h"

#define ACTION_KEY_LEN	6	/* lowercase hexadecimal digits */

struct action {
	unsigned	 n;		/* 1-based, in the order of the adds */
	char		 key[ACTION_KEY_LEN + 1];
	char		*text;		/* owned, one line */
	char		*owner;		/* owned; "" when none */
	int		 has_due;
	struct civil	 due;		/* the date; the clock fields are 0 */
	int		 done;
	struct tstamp	 added;		/* the add record's time */
	struct tstamp	 done_at;	/* valid when done */
	unsigned	 line;		/* line of the add record */
};

/* Actions in number order: items[i].n == i + 1. */
struct action_list {
	struct action	*items;
	size_t		 n;
};

/* Free the items and empty the list (it may be reused). */
void	 action_list_free(struct action_list *);
/* Action number n (1-based), or NULL. Borrowed. */
struct action *action_list_get(const struct action_list *, unsigned n);
/* The action with this key, or NULL. Borrowed. */
struct action *action_list_find(const struct action_list *, const char *key);

/* 1 when the action is open and due before today (a date). */
int	 action_is_overdue(const struct action *, const struct civil *today);

/*
 * A new random key (ACTION_KEY_LEN lowercase hex digits) that no action of
 * taken (may be NULL) has. -1 with an error only when every key is taken.
 */
int	 action_key_new(char out[ACTION_KEY_LEN + 1],
	    const struct action_list *taken);
/* 1 when s[0..len) is a well-formed key. */
int	 action_key_valid(const char *s, size_t len);

/*
 * Parse a date "YYYY-MM-DD" that names a real day (the whole of
 * s[0..len)). The clock fields of *out are 0. -1 with an error (no
 * position) otherwise.
 */
int	 action_date_parse(struct civil *out, const char *s, size_t len);
/* Compare the dates of a and b (the clock fields are ignored). */
int	 action_date_cmp(const struct civil *a, const struct civil *b);

#endif
