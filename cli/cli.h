/*
 * cli.h - the pmtool command line: the command table and what handlers
 * share. Handlers are thin: parse arguments, call core, print.
 */
#ifndef PM_CLI_H
#define PM_CLI_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "incident.h"
#include "store.h"

/* Exit statuses. */
enum {
	EXIT_OK = 0,
	EXIT_ERROR = 1,		/* the command failed; message on stderr */
	EXIT_USAGE = 2		/* the command line was wrong */
};

struct cli {
	const char	*dir;		/* -C DIR, or NULL */
	struct store	*store;		/* opened for CMD_STORE commands */
};

#define CMD_STORE	0x1	/* needs an open store */

struct cmd_entry {
	const char	*name;
	const char	*usage;		/* after "pmtool " */
	const char	*summary;	/* one line for 'pmtool help' */
	const char	*help;		/* the rest of 'pmtool CMD --help' */
	int		 flags;
	int		(*run)(struct cli *, int, char **);
};

const struct cmd_entry *cli_find(const char *name);
/* "pmtool: msg" on stderr; returns EXIT_ERROR. */
int	 cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The core's last error, after "pmtool: "; returns EXIT_ERROR. */
int	 cli_core_error(void);
/* Usage line of cmd and a pointer to --help on stderr; EXIT_USAGE. */
int	 cli_usage(const struct cmd_entry *cmd, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Print the store's warning, if any, on stderr. */
void	 cli_warnings(struct cli *);
/* Open the store (after resolving id) and load an incident. */
int	 cli_load(struct incident **out, struct cli *, const char *given);

/* Words joined with single spaces; standard input whole. New strings. */
char	*cli_join_words(int n, char **words);
char	*cli_read_stdin(void);

/* Local time of a stamp in zone: "2020-06-07 01:58 PDT". */
void	 cli_local_time(char *out, size_t size, struct tstamp, const char *zone);
/* The store's index, brought up to date (or rebuilt). Each incident file
 * that could not be indexed is printed to stderr; *problems counts them.
 * -1 with the error set when the index cannot be used at all. */
/* For commands whose arguments are all plain words (clone, sync, tui,
 * help): a leading "--" is dropped, and without it a word starting with
 * '-' is an unknown option (usage printed: returns EXIT_USAGE). */
int	 cli_plain_args(int *argc, char **argv, const struct cmd_entry *);
/* -1 with "DIR is not a folder" when dir exists and is something else. */
int	 cli_check_folder(const char *dir);
/* Write text to path whole or not at all (a temporary file, fsynced,
 * renamed over); NULL or "-" is standard output. */
int	 cli_write_output(const char *path, const char *text);
struct index;
int	 cli_index(struct index **out, struct cli *, int rebuild,
	    size_t *problems);

int	 cmd_init(struct cli *, int, char **);
int	 cmd_new(struct cli *, int, char **);
int	 cmd_log(struct cli *, int, char **);
int	 cmd_show(struct cli *, int, char **);
int	 cmd_list(struct cli *, int, char **);
int	 cmd_reindex(struct cli *, int, char **);
int	 cmd_export(struct cli *, int, char **);
int	 cmd_import(struct cli *, int, char **);
int	 cmd_clone(struct cli *, int, char **);
int	 cmd_sync(struct cli *, int, char **);
int	 cmd_metrics(struct cli *, int, char **);
int	 cmd_lint(struct cli *, int, char **);
int	 cmd_action(struct cli *, int, char **);
int	 cmd_render(struct cli *, int, char **);
int	 cmd_edit(struct cli *, int, char **);
/* tui/tui.c: the terminal interface. */
int	 cmd_tui(struct cli *, int, char **);
int	 cmd_help(struct cli *, int, char **);
int	 cmd_version(struct cli *, int, char **);

#endif
