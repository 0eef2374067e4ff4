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

char *
cli_event_text(int n, char **words)
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

/* Split the first word off text: a new string for it, text keeps the
 * rest. NULL when text is empty. */
static char *
first_word(char *text)
{
	size_t	 n = strcspn(text, " \t\n"), skip;
	char	*w;

	if (n == 0)
		return NULL;
	w = xstrndup(text, n);
	skip = n + (text[n] == ' ' || text[n] == '\t');
	memmove(text, text + skip, strlen(text + skip) + 1);
	return w;
}

/*
 * The words after the kind, as the kind wants them: a status's state,
 * a severity's level, a role's name go to ev (state, arg); what remains
 * is the text. Returns EXIT_OK or a usage error.
 */
static int
kind_args(struct event *ev, const char *state_arg,
    const struct cmd_entry *cmd)
{
	char	*w;

	if (state_arg != NULL && ev->kind != EV_STATUS)
		return cli_usage(cmd, "--status goes only with status events");
	switch (ev->kind) {
	case EV_STATUS:
		if (state_arg != NULL)
			ev->state = status_state_from_name(state_arg,
			    strlen(state_arg));
		else if ((w = first_word(ev->text)) != NULL) {
			/* "log ID status monitoring Fix deployed" */
			ev->state = status_state_from_name(w, strlen(w));
			free(w);
		}
		if (ev->state == ST_NONE)
			return cli_usage(cmd, state_arg != NULL ? "unknown "
			    "status state '%s' (investigating, identified, "
			    "monitoring, update, resolved)" : "a status event "
			    "needs a state: --status investigating|identified|"
			    "monitoring|update|resolved%s", state_arg != NULL ?
			    state_arg : "");
		return EXIT_OK;
	case EV_SEVERITY:
	case EV_ROLE:
		ev->arg = first_word(ev->text);
		if (ev->arg == NULL || !incident_word_ok(ev->arg,
		    strlen(ev->arg)))
			return cli_usage(cmd, ev->kind == EV_SEVERITY ?
			    "a severity event needs the new severity, a word "
			    "of letters, digits, '-' and '_' (log ID severity "
			    "SEV1 [WHY...])" : "a role event needs the role's "
			    "name, a word of letters, digits, '-' and '_', then "
			    "who takes it (log ID role comms NAME)");
		if (ev->kind == EV_ROLE && strchr(ev->text, '\n') != NULL)
			return cli_usage(cmd, "a role's holder is one line");
		return EXIT_OK;
	case EV_SERVICE:
		if ((ev->text[0] != '+' && ev->text[0] != '-') ||
		    ev->text[1] == '\0' || ev->text[1] == ' ' ||
		    strpbrk(ev->text, ",\n") != NULL)
			return cli_usage(cmd, "a service event is +NAME (the "
			    "incident now touches it) or -NAME (it does not "
			    "after all), one line, no comma");
		return EXIT_OK;
	case EV_TITLE:
		if (*ev->text == '\0' || strchr(ev->text, '\n') != NULL)
			return cli_usage(cmd, "a title event needs the new "
			    "title, one line");
		return EXIT_OK;
	case EV_EXCLUDED:
		if (*ev->text == '\0')
			return cli_usage(cmd, "say why the incident is left "
			    "out of the figures (log ID excluded a drill, not "
			    "an outage)");
		return EXIT_OK;
	case EV_AMEND:
	case EV_RETRACT:
		return cli_usage(cmd, "corrections have their own commands: "
		    "pmtool %s ID REF ...", event_kind_name(ev->kind));
	default:
		return EXIT_OK;
	}
}

int
cli_append_event(struct cli *c, struct incident *inc, struct event *ev,
    const char *verb, char ref[EVENT_REF_LEN + 1], struct incident **after)
{
	const struct event	*added;
	struct incident		*next;
	char			 tbuf[64], label[128], shortref[EVENT_REF_LEN + 1];

	if (store_preview_append(&next, c->store, inc->id, ev) < 0)
		return -1;
	added = incident_last_line(next);
	snprintf(ref, EVENT_REF_LEN + 1, "%s", added != NULL ? added->ref :
	    "");
	if (store_append(c->store, inc->id, ev) < 0) {
		incident_free(next);
		return -1;
	}
	incident_short_ref(shortref, next, ref);
	cli_local_time(tbuf, sizeof tbuf, ev->at, inc->zone);
	event_label(label, sizeof label, ev, " ");
	/* A service change is its name: "logged service +billing". */
	if (ev->kind == EV_SERVICE)
		snprintf(label, sizeof label, "service %s", ev->text);
	printf("%s %s at %s in %s (ref %s)\n", verb, label, tbuf, inc->id,
	    shortref);
	if (after != NULL)
		*after = next;
	else
		incident_free(next);
	return 0;
}

/*
 * "log ID service -billing": log has no one-dash options, so the first
 * one-dash word after the kind service is the name removed, not an
 * option. Into a new argv (free() it, not its strings) it moves after a
 * "--", where getopt leaves it alone. NULL when there is nothing to do.
 */
static char **
service_minus(int *argc, char **argv)
{
	char	**v;
	int	 i, words = 0, name = -1, dashes = -1, k = 0;

	for (i = 1; i < *argc && name < 0; i++) {
		if (strcmp(argv[i], "--") == 0)
			return NULL;
		if ((strcmp(argv[i], "--at") == 0 ||
		    strcmp(argv[i], "--status") == 0) && i + 1 < *argc) {
			i++;
			continue;
		}
		if (argv[i][0] == '-' && argv[i][1] == '-')
			continue;
		if (argv[i][0] == '-' && argv[i][1] != '\0') {
			if (words == 2)
				name = i;
			continue;
		}
		if (++words == 2 && strcmp(argv[i], "service") != 0)
			return NULL;
	}
	if (name < 0)
		return NULL;
	for (i = name + 1; i < *argc; i++)
		if (strcmp(argv[i], "--") == 0)
			dashes = i;
	v = xcalloc((size_t)*argc + 2, sizeof *v);
	for (i = 0; i < *argc; i++) {
		if (i == name)
			continue;
		v[k++] = argv[i];
		if (i == dashes)
			v[k++] = argv[name];
	}
	if (dashes < 0) {
		v[k++] = "--";
		v[k++] = argv[name];
	}
	v[k] = NULL;
	*argc = k;
	return v;
}

static int
log_event(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "at", required_argument, NULL, 'a' },
		{ "status", required_argument, NULL, 's' },
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd_entry	*cmd = cli_find("log");
	struct incident		*inc = NULL, *after = NULL;
	struct event		 ev;
	const char		*when = "now", *state_arg = NULL;
	char			 ref[EVENT_REF_LEN + 1];
	int			 ch, kind, force = 0, fell_back, rc = EXIT_ERROR;

	optind = 0;
	opterr = 0;
	memset(&ev, 0, sizeof ev);
	/* Options may come anywhere before "--"; the text is the rest. */
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (ch) {
		case 'a': when = optarg; break;
		case 's': state_arg = optarg; break;
		case 'f': force = 1; break;
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
		    "resolved, note; severity, role, service, title, reopened, "
		    "excluded)", argv[optind + 1]);
	ev.kind = (enum event_kind)kind;
	if ((ev.text = cli_event_text(argc - optind - 2, argv + optind + 2)) ==
	    NULL) {
		rc = cli_core_error();
		goto out;
	}
	if ((rc = kind_args(&ev, state_arg, cmd)) != EXIT_OK)
		goto out;
	rc = EXIT_ERROR;
	if (cli_load(&inc, c, argv[optind]) < 0) {
		rc = cli_core_error();
		goto out;
	}
	if (cli_parse_time(&ev.at, &fell_back, when, inc->zone, force) < 0 ||
	    cli_append_event(c, inc, &ev, "logged", ref, &after) < 0) {
		rc = cli_core_error();
		goto out;
	}
	if (fell_back)
		cli_warn_fell_back(inc, when, ev.at, ref);
	cli_warn_timeline(after, ref);
	cli_warnings(c);
	rc = EXIT_OK;
out:
	incident_free(inc);
	incident_free(after);
	free(ev.text);
	free(ev.arg);
	return rc;
}

int
cmd_log(struct cli *c, int argc, char **argv)
{
	char	**moved = service_minus(&argc, argv);
	int	  rc;

	rc = log_event(c, argc, moved != NULL ? moved : argv);
	free(moved);
	return rc;
}
