/* main.c - pmtool's entry point: global options and the command table. */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "error.h"
#include "index.h"
#include "zone.h"

#define PMTOOL_VERSION "0.1.0"

static const struct cmd_entry cmds[] = {
	{ "init", "init [DIR]",
	  "make DIR (default: here) a pmtool store",
	  "Creates a git repository in DIR if there is none, adds .pmtool and\n"
	  ".gitattributes, and commits them. Running it on a store changes\n"
	  "nothing.\n",
	  0, cmd_init },
	{ "new", "new [--at TIME] [--severity SEV] [--service NAME]... "
	  "[--commander NAME] [--tz ZONE] [--] TITLE...",
	  "open a new incident; prints its id",
	  "  --at TIME         when the fault began: logs a 'started' event and\n"
	  "                    dates the id (default: the id takes today's date)\n"
	  "  --severity SEV    e.g. SEV1 (letters, digits, '-', '_')\n"
	  "  --service NAME    an affected service; repeat for several\n"
	  "  --commander NAME  who leads the response\n"
	  "  --tz ZONE         the incident's IANA zone (default: $PMTOOL_TZ,\n"
	  "                    else the system's zone, else UTC)\n"
	  "Prints the new incident's id alone on stdout.\n",
	  CMD_STORE | CMD_LIVE, cmd_new },
	{ "log", "log ID KIND [--at TIME] [--status STATE] [--force] [--] "
	  "TEXT...",
	  "log an event: one appended line, one commit",
	  "KIND, for the timeline: lead-up started detected acknowledged\n"
	  "      status action mitigated resolved note\n"
	  "KIND, for a change of the incident's state, logged the same way:\n"
	  "  severity LEVEL [WHY...]   escalated or de-escalated (SEV1, P2, ...)\n"
	  "  role ROLE [PERSON...]     a role (commander, comms, scribe, any\n"
	  "                            word) handed to someone; no person: to\n"
	  "                            nobody\n"
	  "  service +NAME | -NAME     a service added to it, or taken off\n"
	  "  title TEXT...             a new title\n"
	  "  reopened [TEXT...]        open again after it was resolved\n"
	  "  excluded REASON...        left out of the reliability figures (a\n"
	  "                            drill, a duplicate); it stays in list\n"
	  "  --at TIME        when it happened (default: now): now, -5m, HH:MM\n"
	  "                   (yesterday's when today's is still to come),\n"
	  "                   'YYYY-MM-DD HH:MM', RFC 3339\n"
	  "  --status STATE   for status events: investigating identified\n"
	  "                   monitoring update resolved (or give the state as\n"
	  "                   the first word of TEXT)\n"
	  "  --force          log a time more than 5 minutes in the future\n"
	  "TEXT '-' reads the text from standard input (several lines).\n"
	  "ID may be any unique prefix of an incident id. Prints the new\n"
	  "event's reference. Warns on stderr (and still logs) when the event\n"
	  "contradicts the timeline, or when HH:MM fell back to yesterday by\n"
	  "more than 12 hours, with the pmtool amend command that fixes it.\n",
	  CMD_STORE | CMD_LIVE | CMD_ID, cmd_log },
	{ "amend", "amend ID REF [--at TIME] [--kind KIND] [--status STATE] "
	  "[--text TEXT|-] [--force] [--reason REASON | [--] REASON...]",
	  "correct an event: one appended line; the original stays",
	  "REF is the event's reference as pmtool show prints it (any unique\n"
	  "prefix of 4 digits or more).\n"
	  "  --at TIME        when it really happened (as for pmtool log)\n"
	  "  --kind KIND      what it really was (a timeline kind)\n"
	  "  --status STATE   the state of a status update\n"
	  "  --text TEXT      its new text ('-': standard input)\n"
	  "  --reason REASON  why (one line); or give it as the last words\n"
	  "  --force          a time more than 5 minutes in the future\n"
	  "Every reader uses the corrected event; pmtool show --history lists\n"
	  "the corrections. A correction is not amended: retract it and amend\n"
	  "the event again.\n",
	  CMD_STORE | CMD_LIVE | CMD_ID, cmd_amend },
	{ "retract", "retract ID REF [--] [REASON...]",
	  "withdraw an event logged by mistake: one appended line",
	  "REF is the event's reference as pmtool show prints it. The event\n"
	  "leaves the timeline, the metrics and the postmortem; its line stays\n"
	  "in the file and pmtool show --history shows it. REF may also name a\n"
	  "correction (amend or retract), which is then undone.\n",
	  CMD_STORE | CMD_LIVE | CMD_ID, cmd_retract },
	{ "show", "show ID [--history] [--verbose] [--json]",
	  "the current state and the corrected timeline, times in the "
	  "incident's zone, each event with its reference",
	  "  --history  also every correction (what it changed, who made it,\n"
	  "             when, why) and the withdrawn events\n"
	  "  --verbose  under each event, who logged it and when (the author\n"
	  "             of the commit that added its line), marked backfilled\n"
	  "             when logged more than [timeline] backfill after it\n"
	  "  --json     the incident as one JSON document, the one templates\n"
	  "             render: current values and their history, every\n"
	  "             event with ref and logged_by, corrections, metrics,\n"
	  "             status-update cadence, written sections, corrective\n"
	  "             actions (formats/template-data.md)\n",
	  CMD_STORE | CMD_LIVE | CMD_ID | CMD_PAGE, cmd_show },
	{ "list", "list [--open] [--severity SEV] [--service NAME] "
	  "[--since DATE] [--until DATE] [--search TEXT] [--json]",
	  "every incident, open ones first; filters narrow it",
	  "  --open            only incidents not resolved\n"
	  "  --severity SEV    only this severity (SEV1, sev1: case ignored)\n"
	  "  --service NAME    only incidents that list this service\n"
	  "  --since DATE      only incidents that started on or after DATE\n"
	  "  --until DATE      only incidents that started on or before DATE\n"
	  "  --search TEXT     only incidents whose title or event text holds\n"
	  "                    every word of TEXT (whole words, case ignored)\n"
	  "  --json            a JSON array: id, title, severity, services,\n"
	  "                    started, state (open|resolved), events,\n"
	  "                    last_status\n"
	  "DATE: YYYY-MM-DD (a whole day, UTC) or RFC 3339. An incident\n"
	  "starts at its started event, else its first event. Filters read\n"
	  "the index (.git/pmtool/index.sqlite), brought up to date first.\n",
	  CMD_STORE | CMD_LIVE | CMD_PAGE, cmd_list },
	{ "reindex", "reindex",
	  "rebuild the index from the incident files",
	  "Drops the index (.git/pmtool/index.sqlite) and reads every incident\n"
	  "again. Never needed for correctness: commands keep the index up to\n"
	  "date by themselves, and rebuild it when it is missing, stale, of an\n"
	  "older schema or corrupt. Prints how many incidents it indexed.\n",
	  CMD_STORE | CMD_LIVE, cmd_reindex },
	{ "export", "export [--quarter YYYYQN | --from DATE --to DATE] "
	  "[--format csv|json|md|sqlite] [-o FILE] [--by severity|service] "
	  "[--tz ZONE]",
	  "reliability metrics across the incidents of a period",
	  "  --quarter YYYYQN  the incidents that started in this quarter\n"
	  "                    (default: the current quarter)\n"
	  "  --from DATE --to DATE  ... between these days (both included)\n"
	  "  --format FMT      csv (default): one row per incident;\n"
	  "                    json: incidents, per-metric summary (count,\n"
	  "                    median, p90, mean, max), groups;\n"
	  "                    md: a quarterly reliability report;\n"
	  "                    sqlite: a database file for BI tools (needs -o)\n"
	  "  -o FILE           write FILE (whole, or not at all) instead of\n"
	  "                    standard output\n"
	  "  --by KEY          group the summary by severity or service\n"
	  "  --tz ZONE         days and quarters in this IANA zone (default UTC)\n"
	  "An incident belongs to the period of its start: its started event,\n"
	  "else its first event. Median and p90 are nearest-rank. DATE:\n"
	  "YYYY-MM-DD or RFC 3339.\n",
	  CMD_STORE | CMD_LIVE | CMD_PAGE, cmd_export },
	{ "import", "import statuspage FILE | import statuspage-text FILE "
	  "[--tz ZONE] [--title TITLE] | import pagerduty FILE",
	  "bring in incidents from Statuspage or PagerDuty, in one commit",
	  "  statuspage FILE       Atlassian Statuspage JSON: /api/v2/\n"
	  "                        incidents.json, unresolved.json, a webhook\n"
	  "                        or one incident; each update a status event\n"
	  "  statuspage-text FILE  the text of a status page's incident\n"
	  "                        (newest first, 'Posted Jun 07, 2020 - 01:58\n"
	  "                        PDT'); --tz ZONE reads its times in an IANA\n"
	  "                        zone (needed for ambiguous abbreviations),\n"
	  "                        --title TITLE names the incident\n"
	  "  pagerduty FILE        PagerDuty log entries (REST API v2): trigger,\n"
	  "                        acknowledge, annotate, resolve\n"
	  "FILE - reads standard input. All or nothing: one commit for the\n"
	  "whole import, nothing written on any error. Source ids are kept (as\n"
	  "'# source:' comments), so importing again adds only what is new.\n"
	  "Prints each incident created, updated or unchanged.\n",
	  CMD_STORE | CMD_LIVE, cmd_import },
	{ "clone", "clone URL [DIR]",
	  "copy a store from a git remote",
	  "URL: a path, file://, ssh (user@host:path, ssh://) or https. DIR\n"
	  "defaults to the URL's last part without .git. A repository that\n"
	  "is not a pmtool store is refused and nothing is left behind.\n"
	  "Credentials: ssh-agent, ~/.ssh/id_ed25519, id_ecdsa, id_rsa, and\n"
	  "git's credential helpers.\n",
	  0, cmd_clone },
	{ "sync", "sync [REMOTE]",
	  "fetch, merge and push the store through a git remote",
	  "REMOTE: the branch's upstream remote, else origin. Events logged on\n"
	  "both sides are all kept; a header field changed on both sides takes\n"
	  "the remote's value (and says so); an analysis changed on both sides\n"
	  "in the same place keeps yours and saves the remote's beside it as\n"
	  "postmortem.remote.md. A push refused because the remote moved on is\n"
	  "fetched, merged and pushed again, up to 5 times. See\n"
	  "formats/sync.md.\n",
	  CMD_STORE | CMD_LIVE, cmd_sync },
	{ "metrics", "metrics ID [--json]",
	  "time to detect, acknowledge, status, mitigate, resolve",
	  "  --json   one JSON object; durations in whole seconds, null where an\n"
	  "           endpoint is missing\n",
	  CMD_STORE | CMD_LIVE | CMD_ID | CMD_PAGE, cmd_metrics },
	{ "lint", "lint [--strict] [ID...]",
	  "check incidents' records: contradictions, gaps, missing analysis",
	  "Checks each incident ID (default: every incident) and prints what it\n"
	  "finds, sorted, one a line: FILE:LINE: error: MESSAGE or FILE:LINE:\n"
	  "warning: MESSAGE (FILE relative to the store's top).\n"
	  "Errors (the record is wrong):\n"
	  "  - detected, acknowledged, mitigated or resolved before started;\n"
	  "    acknowledged, mitigated or resolved before detected; resolved\n"
	  "    before mitigated; a second detected (no reopened between)\n"
	  "  - a public status update after 'status resolved', no reopened\n"
	  "    between\n"
	  "  - an amend or retract of an unknown or ambiguous reference, an\n"
	  "    amend of a correction, an amend that does not fit its event\n"
	  "  - a resolved incident with no postmortem.md, or with a section\n"
	  "    of it missing or empty (a section holding only a comment of its\n"
	  "    own, not the skeleton's, is a warning: it says why)\n"
	  "Warnings (style, staleness):\n"
	  "  - a gap between public status updates over status.cadence, or\n"
	  "    for an open incident none for longer than that\n"
	  "  - a status update other than 'resolved' after the resolved\n"
	  "    event; a repeated 'status resolved'\n"
	  "  - an open action past its due date\n"
	  "  - a role handed to no one; an amend of a retracted event\n"
	  "  - analysis sections missing or empty while the incident is open\n"
	  "    (or excluded)\n"
	  "  --strict   warnings count as errors\n"
	  "Exit status: 1 when there is an error (or with --strict a warning),\n"
	  "or an ID names no incident; else 0.\n",
	  CMD_STORE | CMD_LIVE | CMD_ID | CMD_PAGE, cmd_lint },
	{ "action", "action add ID [--owner NAME] [--due DATE] [--] TEXT... | "
	  "action done ID N | action list [ID] [--open] [--json]",
	  "track corrective actions: add, mark done, list",
	  "  action add ID [--owner NAME] [--due YYYY-MM-DD] TEXT...\n"
	  "      a new open action; prints its number\n"
	  "  action done ID N     mark action N of incident ID done\n"
	  "  action list [ID] [--open] [--json]\n"
	  "      the actions of one incident, or of every incident; overdue\n"
	  "      open actions (due before today) are flagged\n",
	  CMD_STORE | CMD_LIVE | CMD_SUB_ID, cmd_action },
	{ "render", "render ID [--template NAME|FILE] [-o FILE] [--html] | "
	  "render --template FILE --data FILE.json [-o FILE] [--html]",
	  "a postmortem (Markdown or HTML) from a template",
	  "  --template NAME|FILE  postmortem (default), status-summary,\n"
	  "                        exec-summary, or a .mustache file; the\n"
	  "                        store's templates/NAME.mustache overrides a\n"
	  "                        shipped one\n"
	  "  --data FILE.json      render any JSON through --template FILE\n"
	  "  -o FILE               write to FILE (default: standard output)\n"
	  "  --html                HTML through cmark-gfm instead of Markdown\n"
	  "Partials {{> name}} are name.mustache beside the template, nowhere\n"
	  "else.\n",
	  CMD_LIVE | CMD_ID | CMD_PAGE, cmd_render },
	{ "edit", "edit ID",
	  "write the analysis: opens postmortem.md in $VISUAL or $EDITOR",
	  "Opens incidents/ID/postmortem.md (made from the skeleton when\n"
	  "missing) and commits it when the editor exits having changed it.\n",
	  CMD_STORE, cmd_edit },
	{ "tui", "tui [ID]",
	  "the terminal interface: incidents, live timeline, logging keys",
	  "Opens the incident list, or incident ID (any unique prefix). Keys\n"
	  "log events through the same call as 'pmtool log'; press ? inside\n"
	  "for all keys. 'pmtool' alone on a terminal starts it too.\n",
	  CMD_STORE, cmd_tui },
	{ "help", "help [COMMAND]", "help on pmtool or on one command", "",
	  CMD_LIVE | CMD_PAGE, cmd_help },
	{ "version", "version", "print pmtool's version", "", 0, cmd_version },
	{ NULL, NULL, NULL, NULL, 0, NULL }
};

static const char time_help[] =
    "TIME: now, -5m, -2h, -1d, -1h30m, HH:MM[:SS] (the latest such time, in\n"
    "the incident's zone), 'YYYY-MM-DD HH:MM[:SS]' (in the incident's zone),\n"
    "or RFC 3339 with an offset such as 2020-06-07T01:58:00-07:00 (kept as\n"
    "written).\n";

const struct cmd_entry *
cli_find(const char *name)
{
	const struct cmd_entry	*c;

	for (c = cmds; c->name != NULL; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

/* Text for the terminal: control characters (what a hostile id or file
 * could carry to set a title or move the cursor) shown as '?'. */
static void
put_inert(FILE *f, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
			fputc('?', f);
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			fputc('?', f);	/* a C1 control, two bytes */
			p++;
		} else
			fputc(*p, f);
	}
}

int
cli_error(const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		msg = NULL;
	va_end(ap);
	fputs("pmtool: ", stderr);
	put_inert(stderr, msg != NULL ? msg : "(out of memory)");
	fputc('\n', stderr);
	free(msg);
	return EXIT_ERROR;
}

int
cli_core_error(void)
{
	return cli_error("%s", pm_error_last());
}

int
cli_usage(const struct cmd_entry *cmd, const char *fmt, ...)
{
	va_list	 ap;

	char	*msg;

	if (fmt != NULL) {
		va_start(ap, fmt);
		if (vasprintf(&msg, fmt, ap) == -1)
			msg = NULL;
		va_end(ap);
		fputs("pmtool: ", stderr);
		put_inert(stderr, msg != NULL ? msg : "(out of memory)");
		fputc('\n', stderr);
		free(msg);
	}
	fprintf(stderr, "usage: pmtool %s\n", cmd->usage);
	fprintf(stderr, "see 'pmtool %s --help'\n", cmd->name);
	return EXIT_USAGE;
}

void
cli_warnings(struct cli *c)
{
	const char	*w;

	if (c->store != NULL && (w = store_warning(c->store)) != NULL)
		fprintf(stderr, "pmtool: warning: %s\n", w);
}

static void
print_cmd_help(FILE *f, const struct cmd_entry *c)
{
	fprintf(f, "usage: pmtool [-C DIR] %s\n\n%s.\n", c->usage, c->summary);
	if (*c->help != '\0')
		fprintf(f, "\n%s", c->help);
	if (strstr(c->usage, "TIME") != NULL)
		fprintf(f, "\n%s", time_help);
}

static void
print_help(FILE *f)
{
	const struct cmd_entry	*c;

	fprintf(f,
	    "usage: pmtool [-C DIR] COMMAND [ARGS...]\n\n"
	    "pmtool keeps incident timelines in a git repository and measures\n"
	    "how the response went.\n\n"
	    "  -C DIR      use the store at DIR (default: the one containing the\n"
	    "              current folder)\n"
	    "  --help      this help;  --version  the version\n\n"
	    "Commands:\n");
	for (c = cmds; c->name != NULL; c++)
		fprintf(f, "  %-9s %s\n", c->name, c->summary);
	fprintf(f, "\nSee 'pmtool COMMAND --help' and pmtool(1).\n");
}

int
cmd_help(struct cli *cli, int argc, char **argv)
{
	const struct cmd_entry	*c;

	if (cli_plain_args(&argc, argv, cli_find("help")) != 0)
		return EXIT_USAGE;
	if (argc < 2) {
		print_help(stdout);
		return EXIT_OK;
	}
	if ((c = cli_find(argv[1])) == NULL)
		return cli_error("no command '%s'; see 'pmtool help'", argv[1]);
	print_cmd_help(stdout, c);
	return EXIT_OK;
}

int
cmd_version(struct cli *cli, int argc, char **argv)
{
	printf("pmtool %s\n", PMTOOL_VERSION);
	return EXIT_OK;
}

/*
 * "--help" anywhere before a "--", or "-h" right after the command, asks
 * for the command's help. A "-h" further on is left to the command, so
 * that "log ID action ran pg_dump -h db1" is a usage error that points to
 * "--", not a help page that logs nothing.
 */
static int
wants_help(int argc, char **argv)
{
	int	 i;

	if (argc > 1 && strcmp(argv[1], "-h") == 0)
		return 1;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return 0;
		if (strcmp(argv[i], "--help") == 0)
			return 1;
	}
	return 0;
}

static int
run(int argc, char **argv)
{
	static char		 tui_name[] = "tui";
	static char		*tui_argv[] = { tui_name, NULL };
	struct cli		 cli;
	const struct cmd_entry	*c;
	int			 i = 1, rc;

	memset(&cli, 0, sizeof cli);
	while (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "-C") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "pmtool: -C needs a folder\n");
				return EXIT_USAGE;
			}
			cli.dir = argv[i + 1];
			if (*cli.dir == '\0') {
				fprintf(stderr, "pmtool: -C needs a folder\n");
				return EXIT_USAGE;
			}
			i += 2;
		} else if (strncmp(argv[i], "-C", 2) == 0) {
			cli.dir = argv[i] + 2;
			i++;
		} else if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			print_help(stdout);
			return EXIT_OK;
		} else if (strcmp(argv[i], "--version") == 0) {
			return cmd_version(&cli, 0, NULL);
		} else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else {
			fprintf(stderr, "pmtool: unknown option '%s'\n",
			    argv[i]);
			print_help(stderr);
			return EXIT_USAGE;
		}
	}
	if (i >= argc && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
		/* 'pmtool' alone on a terminal: the TUI. */
		argv = tui_argv;
		argc = 1;
		i = 0;
	}
	if (i >= argc) {
		print_help(stderr);
		return EXIT_USAGE;
	}
	if ((c = cli_find(argv[i])) == NULL) {
		fprintf(stderr, "pmtool: no command '%s'; see 'pmtool help'\n",
		    argv[i]);
		return EXIT_USAGE;
	}
	if (wants_help(argc - i, argv + i)) {
		print_cmd_help(stdout, c);
		return EXIT_OK;
	}
	if (store_global_init() < 0)
		return cli_core_error();
	index_global_init();
	if ((c->flags & CMD_STORE) && cli.dir != NULL &&
	    cli_check_folder(cli.dir) < 0) {
		rc = cli_core_error();
		goto out;
	}
	if ((c->flags & CMD_STORE) && store_open(&cli.store, cli.dir) < 0) {
		rc = cli_core_error();
		goto out;
	}
	rc = c->run(&cli, argc - i, argv + i);
out:
	store_close(cli.store);
	store_global_shutdown();
	return rc;
}

int
main(int argc, char **argv)
{
	int	 rc;

	/* A file-size limit must fail the write, not kill pmtool between
	 * writing a line and committing it. */
	signal(SIGXFSZ, SIG_IGN);
	rc = run(argc, argv);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "pmtool: cannot write the output\n");
		rc = EXIT_ERROR;
	}
	return rc;
}
