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
/* For the TUI's ':' prompt, which runs these commands with the CLI's own
 * syntax: */
#define CMD_LIVE	0x2	/* makes sense from the prompt */
#define CMD_ID		0x4	/* the open incident's id goes first */
#define CMD_SUB_ID	0x8	/* ... after the subcommand (action add ID) */
#define CMD_PAGE	0x10	/* its output is read in the pager */

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

/* The text of an event from its words ("-": standard input),
 * normalized as the file keeps it. NULL with the error set. */
char	*cli_event_text(int n, char **words);
/* Words joined with single spaces; standard input whole. New strings. */
char	*cli_join_words(int n, char **words);
char	*cli_read_stdin(void);

/* How far ahead of the clock an event may be logged without --force:
 * the skew between the machine's clock and the one the user reads. */
#define CLI_FUTURE_SKEW		(5 * 60)
/*
 * Parse a time the user gave for an event (tstamp_parse_user() in zone):
 * more than CLI_FUTURE_SKEW ahead of now is an error unless force.
 * *fell_back is 1 when a clock time HH:MM was taken as more than 12
 * hours ago (yesterday's, today's being still to come).
 */
int	 cli_parse_time(struct tstamp *out, int *fell_back, const char *given,
	    const char *zone, int force);
/* The warning for a clock time that fell back: what it became and the
 * command that fixes it (ref is the event's reference). */
void	 cli_warn_fell_back(const struct incident *, const char *given,
	    struct tstamp at, const char *ref);
/*
 * Append ev to inc (loaded) through the store, after a preview of what
 * it does, and print "VERB LABEL at TIME in ID (ref REF)". ref gets the
 * new line's reference; *after (may be NULL) the incident with it.
 * -1 with the error set.
 */
int	 cli_append_event(struct cli *, struct incident *inc,
	    struct event *ev, const char *verb, char ref[EVENT_REF_LEN + 1],
	    struct incident **after);
/* Warn on stderr about what the line ref contradicts in inc's timeline
 * (lint's timeline checks), with the command that fixes it. */
void	 cli_warn_timeline(const struct incident *inc, const char *ref);
/* "s" unless n is 1: "1 incident", "2 incidents". */
const char *cli_plural(size_t n);
/* Fill in who logged each line of inc; on failure, a warning. */
void	 cli_attribute(struct cli *, struct incident *);
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
int	 cmd_amend(struct cli *, int, char **);
int	 cmd_retract(struct cli *, int, char **);
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
