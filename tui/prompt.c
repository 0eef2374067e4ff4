/* prompt.c - the ':' prompt's commands (prompt.h). */
#include <stdlib.h>
#include <string.h>

#include "../cli/cli.h"
#include "error.h"
#include "incident.h"
#include "prompt.h"
#include "xmalloc.h"

/* The live commands, for completion; their flags are the table's. */
static const char *const live[] = {
	"log", "amend", "retract", "show", "metrics", "lint", "action",
	"new", "list", "sync", "export", "render", "reindex", "import",
	"help"
};

const char *
prompt_word(size_t i)
{
	size_t	 nlive = sizeof live / sizeof *live;

	if (i < nlive)
		return live[i];
	i -= nlive;
	return i < EV__COUNT ? event_kind_name((enum event_kind)i) : NULL;
}

/* Split line into words; NULL with the error set on an open quote. */
static char **
split(const char *line, size_t *n)
{
	char	**v = NULL;
	char	 *w;
	size_t	  cap = 0, len;
	char	  q;
	const char *p = line;

	*n = 0;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		w = xcalloc(strlen(p) + 1, 1);
		len = 0;
		q = 0;
		for (; *p != '\0' && (q != 0 || (*p != ' ' && *p != '\t'));
		    p++) {
			if (q == 0 && (*p == '\'' || *p == '"'))
				q = *p;
			else if (q != 0 && *p == q)
				q = 0;
			else if (*p == '\\' && q != '\'' && p[1] != '\0')
				w[len++] = *++p;
			else
				w[len++] = *p;
		}
		if (q != 0) {
			free(w);
			while (*n > 0)
				free(v[--*n]);
			free(v);
			pm_error_set("a quote (%c) is not closed", q);
			return NULL;
		}
		if (*n + 1 >= cap) {
			cap = cap == 0 ? 8 : cap * 2;
			v = xreallocarray(v, cap, sizeof *v);
		}
		v[(*n)++] = w;
	}
	return v;
}

/* The command a first word names: a live command, or an event kind
 * (then log). */
static const struct cmd_entry *
command_of(const char *word, const char **kind)
{
	const struct cmd_entry	*cmd;

	*kind = NULL;
	if (strcmp(word, "reopen") == 0)
		word = "reopened";
	else if (strcmp(word, "exclude") == 0)
		word = "excluded";
	if (event_kind_from_name(word, strlen(word)) >= 0 &&
	    !EVENT_KIND_IS_CORRECTION(event_kind_from_name(word,
	    strlen(word)))) {
		*kind = event_kind_name((enum event_kind)
		    event_kind_from_name(word, strlen(word)));
		return cli_find("log");
	}
	cmd = cli_find(word);
	return cmd != NULL && (cmd->flags & CMD_LIVE) ? cmd : NULL;
}

int
prompt_parse(struct prompt_cmd *pc, const char *line, const char *root,
    const char *id)
{
	const struct cmd_entry	*cmd;
	const char		*kind;
	char			**w;
	size_t			  n, i, k = 0, first;

	memset(pc, 0, sizeof *pc);
	if ((w = split(line, &n)) == NULL)
		return -1;
	if (n == 0) {
		free(w);
		return pm_error_set("type a command: log, severity, role, "
		    "amend, action add, new, sync, ... (? lists them)");
	}
	/* "action add ..." is the command; "action TEXT" logs an action. */
	if (strcmp(w[0], "action") == 0 && n > 1 && (strcmp(w[1], "add") ==
	    0 || strcmp(w[1], "done") == 0 || strcmp(w[1], "list") == 0)) {
		cmd = cli_find("action");
		kind = NULL;
	} else if ((cmd = command_of(w[0], &kind)) == NULL) {
		pm_error_set("%s: not a command here (? lists them)", w[0]);
		goto fail;
	}
	if ((cmd->flags & (CMD_ID | CMD_SUB_ID)) && id == NULL &&
	    strcmp(cmd->name, "lint") != 0) {
		pm_error_set("%s: open an incident first", w[0]);
		goto fail;
	}
	pc->argv = xcalloc(n + 6, sizeof *pc->argv);
	pc->argv[k++] = xstrdup("pmtool");
	pc->argv[k++] = xstrdup("-C");
	pc->argv[k++] = xstrdup(root);
	pc->argv[k++] = xstrdup(cmd->name);
	first = kind != NULL ? 0 : 1;
	if ((cmd->flags & CMD_SUB_ID) && first < n) {
		pc->argv[k++] = xstrdup(w[first++]);	/* the subcommand */
		if (id != NULL)
			pc->argv[k++] = xstrdup(id);
	} else if ((cmd->flags & CMD_ID) && id != NULL)
		pc->argv[k++] = xstrdup(id);
	for (i = first; i < n; i++)
		pc->argv[k++] = xstrdup(i == 0 && kind != NULL ? kind : w[i]);
	pc->name = cmd->name;
	pc->page = (cmd->flags & CMD_PAGE) != 0 ||
	    ((cmd->flags & CMD_SUB_ID) && n > 1 && strcmp(w[1], "list") == 0);
	pc->opens = strcmp(cmd->name, "new") == 0;
	pc->changes = !(cmd->flags & CMD_PAGE);
	for (i = 0; i < n; i++)
		free(w[i]);
	free(w);
	return 0;
fail:
	for (i = 0; i < n; i++)
		free(w[i]);
	free(w);
	return -1;
}

void
prompt_free(struct prompt_cmd *pc)
{
	size_t	 i;

	for (i = 0; pc->argv != NULL && pc->argv[i] != NULL; i++)
		free(pc->argv[i]);
	free(pc->argv);
	memset(pc, 0, sizeof *pc);
}
