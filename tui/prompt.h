/*
 * prompt.h - the TUI's ':' prompt: a line in the CLI's own syntax
 * (":log detected ...", ":severity SEV1", ":amend REF --at 14:32",
 * ":action add --owner NAME ...", ":new ...", ":sync") made into the
 * argv of the pmtool command it runs, through the CLI's command table
 * (cli/main.c: CMD_LIVE, CMD_ID, CMD_SUB_ID). No curses here.
 */
#ifndef PM_PROMPT_H
#define PM_PROMPT_H

#include <stddef.h>

struct prompt_cmd {
	char	**argv;		/* owned: pmtool -C ROOT COMMAND ARGS... */
	const char *name;	/* the command (static) */
	int	 page;		/* its output is for the pager */
	int	 opens;		/* new: open the incident it prints */
	int	 changes;	/* it may change the store */
};

/*
 * Make line (without the ':') into the command to run in the store at
 * root, with id the open incident (NULL in the list). A first word that
 * is an event kind logs it ("severity SEV1" is "log ID severity SEV1");
 * "reopen" and "exclude" are "reopened" and "excluded". Words are split
 * at blanks; '...' and "..." quote, backslash escapes. 0, or -1 with the
 * error set (unknown command, needs an incident, an open quote).
 */
int	 prompt_parse(struct prompt_cmd *, const char *line, const char *root,
	    const char *id);
void	 prompt_free(struct prompt_cmd *);

/* The names the prompt completes, in order: the live commands, then the
 * event kinds; NULL after the last. */
const char *prompt_word(size_t i);

#endif
