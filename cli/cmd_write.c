/* cmd_write.c - the commands that change a store: init, new, log. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "cli.h"
#include "error.h"
#include "incfile.h"
#include "xmalloc.h"
#include "zone.h"

int
cmd_init(struct cli *c, int argc, char **argv)
{
	const struct cmd_entry	*cmd = cli_find("init");
	struct store		*st;
	const char		*dir;
	int			 created, i = 1;

	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (argc - i > 1)
		return cli_usage(cmd, "too many arguments");
	if (i < argc && argv[i][0] == '-')
		return cli_usage(cmd, "unknown option '%s'", argv[i]);
	dir = i < argc ? argv[i] : c->dir != NULL ? c->dir : ".";
	if (cli_check_folder(dir) < 0)
		return cli_core_error();
	if (store_init(&st, dir, &created) < 0)
		return cli_core_error();
	if (created)
		printf("Created a pmtool store in %s\n", store_root(st));
	else
		fprintf(stderr, "pmtool: %s is already a store; nothing "
		    "changed\n", store_root(st));
	c->store = st;
	cli_warnings(c);
	return EXIT_OK;
}

int
cmd_new(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "at", required_argument, NULL, 'a' },
		{ "severity", required_argument, NULL, 's' },
		{ "service", required_argument, NULL, 'S' },
		{ "commander", required_argument, NULL, 'c' },
		{ "tz", required_argument, NULL, 'z' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd_entry	*cmd = cli_find("new");
	struct incident		*inc;
	struct tstamp		 at;
	struct civil		 date;
	struct store_file	 extra;
	const char		*when = NULL;
	char			*title, *id, *zone, *skeleton = NULL;
	int32_t			 off;
	int			 ch, rc = EXIT_ERROR;

	inc = incident_new();
	zone = NULL;
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:", opts, NULL)) != -1) {
		switch (ch) {
		case 'a': when = optarg; break;
		case 's': incident_set(&inc->severity, optarg); break;
		case 'S': incident_add_service(inc, optarg); break;
		case 'c': incident_set(&inc->commander, optarg); break;
		case 'z': free(zone); zone = xstrdup(optarg); break;
		case ':':
			rc = cli_usage(cmd, "%s needs a value",
			    argv[optind - 1]);
			goto out;
		default:
			rc = cli_usage(cmd, "unknown option '%s'",
			    argv[optind - 1]);
			goto out;
		}
	}
	if (optind >= argc) {
		rc = cli_usage(cmd, "a title is needed");
		goto out;
	}
	title = cli_join_words(argc - optind, argv + optind);
	incident_set(&inc->title, title);
	free(title);
	if (zone == NULL && zone_default(&zone) < 0) {
		rc = cli_core_error();
		goto out;
	}
	incident_set(&inc->zone, zone);
	if (zone_check(zone) < 0 || incfile_check_header(inc) < 0) {
		rc = cli_core_error();
		goto out;
	}
	if (when != NULL) {
		if (tstamp_parse_user(&at, when, zone, tstamp_now()) < 0) {
			rc = cli_core_error();
			goto out;
		}
		incident_add_event(inc, at, EV_STARTED, ST_NONE, "");
	} else if (zone_stamp(&at, zone, tstamp_now()) < 0) {
		rc = cli_core_error();
		goto out;
	}
	if (zone_offset_at(&off, zone, at.t, NULL) < 0) {
		rc = cli_core_error();
		goto out;
	}
	civil_from_time(&date, at.t, off);
	/* The written analysis starts as a skeleton of its sections. */
	skeleton = analysis_skeleton(inc->title);
	extra.name = ANALYSIS_FILE;
	extra.content = skeleton;
	if (store_create(&id, c->store, inc, &date, &extra, 1) < 0) {
		rc = cli_core_error();
		goto out;
	}
	printf("%s\n", id);
	free(id);
	cli_warnings(c);
	rc = EXIT_OK;
out:
	free(zone);
	free(skeleton);
	incident_free(inc);
	return rc;
}

/* Take the text of an event from its words ("-": standard input). */
static char *
event_text(int n, char **words)
{
	char	*raw, *text;

	if (n == 1 && strcmp(words[0], "-") == 0) {
		if ((raw = cli_read_stdin()) == NULL)
			return NULL;
	} else
		raw = cli_join_words(n, words);
	text = incfile_normalize_text(raw);
	free(raw);
	return text;
}

int
cmd_log(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "at", required_argument, NULL, 'a' },
		{ "status", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd_entry	*cmd = cli_find("log");
	struct incident		*inc = NULL;
	struct event		 ev;
	enum status_state	 state = ST_NONE;
	const char		*when = "now", *state_arg = NULL, *sp;
	char			*text = NULL, tbuf[64];
	int			 ch, kind, rc = EXIT_ERROR;

	optind = 0;
	opterr = 0;
	/* Options may come anywhere before "--"; the text is the rest. */
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (ch) {
		case 'a': when = optarg; break;
		case 's': state_arg = optarg; break;
		case ':':
			return cli_usage(cmd, "%s needs a value",
			    argv[optind - 1]);
		default:
			return cli_usage(cmd, "unknown option '%s' (to log "
			    "text that begins with '-', put -- before the text)",
			    argv[optind - 1]);
		}
	}
	if (argc - optind < 2)
		return cli_usage(cmd, "an incident id and an event kind are "
		    "needed");
	kind = event_kind_from_name(argv[optind + 1],
	    strlen(argv[optind + 1]));
	if (kind < 0)
		return cli_usage(cmd, "unknown event kind '%s' (kinds: lead-up, "
		    "started, detected, acknowledged, status, action, mitigated, "
		    "resolved, note)", argv[optind + 1]);
	if ((text = event_text(argc - optind - 2, argv + optind + 2)) ==
	    NULL) {
		rc = cli_core_error();
		goto out;
	}
	if (kind == EV_STATUS) {
		if (state_arg != NULL) {
			state = status_state_from_name(state_arg,
			    strlen(state_arg));
			if (state == ST_NONE) {
				rc = cli_usage(cmd, "unknown status state "
				    "'%s' (investigating, identified, "
				    "monitoring, update, resolved)", state_arg);
				goto out;
			}
		} else {
			/* "log ID status monitoring Fix deployed" */
			sp = text + strcspn(text, " \t\n");
			state = status_state_from_name(text,
			    (size_t)(sp - text));
			if (state == ST_NONE) {
				rc = cli_usage(cmd, "a status event needs a "
				    "state: --status investigating|identified|"
				    "monitoring|update|resolved");
				goto out;
			}
			memmove(text, sp + (*sp != '\0'), strlen(sp +
			    (*sp != '\0')) + 1);
		}
	} else if (state_arg != NULL) {
		rc = cli_usage(cmd, "--status goes only with status events");
		goto out;
	}
	if (cli_load(&inc, c, argv[optind]) < 0) {
		rc = cli_core_error();
		goto out;
	}
	memset(&ev, 0, sizeof ev);
	if (tstamp_parse_user(&ev.at, when, inc->zone, tstamp_now()) < 0) {
		rc = cli_core_error();
		goto out;
	}
	ev.kind = (enum event_kind)kind;
	ev.state = state;
	ev.text = text;
	if (store_append(c->store, inc->id, &ev) < 0) {
		rc = cli_core_error();
		goto out;
	}
	cli_local_time(tbuf, sizeof tbuf, ev.at, inc->zone);
	printf("logged %s%s%s at %s in %s\n", event_kind_name(ev.kind),
	    kind == EV_STATUS ? " " : "", kind == EV_STATUS ?
	    status_state_name(state) : "", tbuf, inc->id);
	cli_warnings(c);
	rc = EXIT_OK;
out:
	incident_free(inc);
	free(text);
	return rc;
}
