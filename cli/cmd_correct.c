/*
 * cmd_correct.c - the commands that correct a timeline: amend and
 * retract. Each appends one line that names its target by reference;
 * the target's own line stays as it was (formats/incident-format.md,
 * "Corrections").
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "error.h"
#include "incfile.h"
#include "xmalloc.h"
#include "zone.h"

/* The event ref names in inc, which a correction may target: a line of
 * the timeline (an amend also refuses a withdrawn one). */
static int
find_target(const struct event **out, const struct incident *inc,
    const char *ref, const char *verb)
{
	const struct correction	*corr;
	int			 retracted;

	if (incident_find_ref(inc, ref, out, &corr, &retracted) < 0)
		return -1;
	if (corr != NULL) {
		if (strcmp(verb, "retract") == 0) {
			if (corr->outcome == CO_WITHDRAWN)
				return pm_error_set("the correction %s was "
				    "already withdrawn; nothing to do", ref);
			*out = &corr->line;
			return 0;
		}
		return pm_error_set("%s is a correction (%s of %.*s), not an "
		    "event: to undo it, run pmtool retract %s %s", ref,
		    event_kind_name(corr->line.kind), EVENT_REF_SHOW,
		    corr->target[0] != '\0' ? corr->target :
		    corr->line.arg, inc->id, ref);
	}
	if (retracted)
		return pm_error_set("the event %s was retracted; %s",
		    ref, strcmp(verb, "retract") == 0 ? "nothing to do" :
		    "log it anew with pmtool log instead");
	return 0;
}

/* The correction line the preview appended (its last line). */
static const struct correction *
added_correction(const struct incident *inc)
{
	const struct correction	*best = NULL;
	size_t			 i;

	for (i = 0; i < inc->ncorrections; i++)
		if (best == NULL || inc->corrections[i].line.line >
		    best->line.line)
			best = &inc->corrections[i];
	return best;
}

/*
 * Check in a preview what the correction ev would do, and write it only
 * when it applies. *after is the incident with it.
 */
static int
append_correction(struct cli *c, struct incident *inc, struct event *ev,
    struct incident **after)
{
	const struct correction	*corr;
	struct incident		*next;

	if (store_preview_append(&next, c->store, inc->id, ev) < 0)
		return -1;
	corr = added_correction(next);
	if (corr == NULL || corr->outcome != CO_APPLIED) {
		pm_error_set("this %s would not apply: %s", event_kind_name(
		    ev->kind), corr == NULL ? "it does not read back" :
		    corr->why != NULL ? corr->why :
		    correction_outcome_text(corr->outcome));
		incident_free(next);
		return -1;
	}
	incident_free(next);
	if (store_append(c->store, inc->id, ev) < 0)
		return -1;
	return store_load(after, c->store, inc->id);
}

/* "amended detected 3fa9c1e in ID: at 01:10 PDT (was 10:10 PDT)" */
static void
print_amended(const struct incident *after, const char *target)
{
	const struct correction	*corr = NULL;
	const struct event	*ev;
	char			 now[64], was[64], ref[EVENT_REF_LEN + 1];
	size_t			 i;

	/* The one just added: the last line (corrections apply in time
	 * order, and two in the same second by reference). */
	for (i = 0; i < after->ncorrections; i++)
		if (strcmp(after->corrections[i].target, target) == 0 &&
		    after->corrections[i].outcome == CO_APPLIED &&
		    (corr == NULL || after->corrections[i].line.line >
		    corr->line.line))
			corr = &after->corrections[i];
	if (incident_find_ref(after, target, &ev, NULL, NULL) < 0 ||
	    ev == NULL || corr == NULL) {
		printf("amended %.*s in %s\n", EVENT_REF_SHOW, target,
		    after->id);
		return;
	}
	incident_short_ref(ref, after, target);
	event_label(now, sizeof now, ev, " ");
	printf("amended %s %s in %s:", now, ref, after->id);
	if (corr->line.amend->set & AM_AT) {
		cli_local_time(now, sizeof now, ev->at, after->zone);
		cli_local_time(was, sizeof was, corr->before.at, after->zone);
		printf(" at %s (was %s)", now, was);
	}
	if (corr->line.amend->set & AM_KIND)
		printf(" kind %s (was %s)", event_kind_name(ev->kind),
		    event_kind_name(corr->before.kind));
	if (corr->line.amend->set & AM_STATE)
		printf(" state %s (was %s)", status_state_name(ev->state),
		    corr->before.state != ST_NONE ?
		    status_state_name(corr->before.state) : "none");
	if (corr->line.amend->set & AM_TEXT)
		printf(" new text");
	printf("\n");
}

int
cmd_amend(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "at", required_argument, NULL, 'a' },
		{ "kind", required_argument, NULL, 'k' },
		{ "status", required_argument, NULL, 's' },
		{ "text", required_argument, NULL, 't' },
		{ "reason", required_argument, NULL, 'r' },
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd_entry	*cmd = cli_find("amend");
	struct incident		*inc = NULL, *after = NULL;
	const struct event	*target;
	struct amendment	*am;
	struct event		 ev;
	const char		*when = NULL, *kind = NULL, *state = NULL;
	const char		*text = NULL, *reason = NULL;
	char			*raw;
	int			 ch, k, force = 0, fell_back = 0, rc = EXIT_ERROR;

	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (ch) {
		case 'a': when = optarg; break;
		case 'k': kind = optarg; break;
		case 's': state = optarg; break;
		case 't': text = optarg; break;
		case 'r': reason = optarg; break;
		case 'f': force = 1; break;
		case ':':
			return cli_usage(cmd, "%s needs a value",
			    argv[optind - 1]);
		default:
			return cli_usage(cmd, "unknown option '%s'",
			    argv[optind - 1]);
		}
	}
	if (argc - optind < 2)
		return cli_usage(cmd, "an incident id and an event reference "
		    "are needed");
	if (when == NULL && kind == NULL && state == NULL && text == NULL)
		return cli_usage(cmd, "say what changes: --at, --kind, "
		    "--status or --text");
	if (reason != NULL && argc - optind > 2)
		return cli_usage(cmd, "give the reason once: --reason or "
		    "words after the reference");
	memset(&ev, 0, sizeof ev);
	am = ev.amend = xcalloc(1, sizeof *ev.amend);
	ev.kind = EV_AMEND;
	if (kind != NULL) {
		k = event_kind_from_name(kind, strlen(kind));
		if (k < 0 || !EVENT_KIND_IS_TIMELINE(k)) {
			rc = cli_usage(cmd, "--kind is one of lead-up, started, "
			    "detected, acknowledged, status, action, mitigated, "
			    "resolved, note");
			goto out;
		}
		am->kind = (enum event_kind)k;
		am->set |= AM_KIND;
	}
	if (state != NULL) {
		am->state = status_state_from_name(state, strlen(state));
		if (am->state == ST_NONE) {
			rc = cli_usage(cmd, "unknown status state '%s' "
			    "(investigating, identified, monitoring, update, "
			    "resolved)", state);
			goto out;
		}
		am->set |= AM_STATE;
	}
	ev.text = reason != NULL ? incfile_normalize_text(reason) :
	    cli_event_text(argc - optind - 2, argv + optind + 2);
	if (ev.text == NULL) {
		rc = cli_core_error();
		goto out;
	}
	if (strchr(ev.text, '\n') != NULL) {
		rc = cli_usage(cmd, "the reason is one line");
		goto out;
	}
	if (text != NULL) {
		raw = strcmp(text, "-") == 0 ? cli_read_stdin() : xstrdup(text);
		if (raw == NULL) {
			rc = cli_core_error();
			goto out;
		}
		am->text = incfile_normalize_text(raw);
		free(raw);
		am->set |= AM_TEXT;
	}
	if (cli_load(&inc, c, argv[optind]) < 0 ||
	    find_target(&target, inc, argv[optind + 1], "amend") < 0) {
		rc = cli_core_error();
		goto out;
	}
	ev.arg = xstrdup(target->ref);
	if (when != NULL && cli_parse_time(&am->at, &fell_back, when,
	    inc->zone, force) < 0) {
		rc = cli_core_error();
		goto out;
	}
	if (when != NULL)
		am->set |= AM_AT;
	ev.at.t = tstamp_now();
	if (zone_stamp(&ev.at, inc->zone, ev.at.t) < 0 ||
	    append_correction(c, inc, &ev, &after) < 0) {
		rc = cli_core_error();
		goto out;
	}
	print_amended(after, ev.arg);
	if (fell_back)
		cli_warn_fell_back(after, when, am->at, ev.arg);
	cli_warn_timeline(after, ev.arg);
	cli_warnings(c);
	rc = EXIT_OK;
out:
	incident_free(inc);
	incident_free(after);
	free(ev.text);
	free(ev.arg);
	if (ev.amend != NULL)
		free(ev.amend->text);
	free(ev.amend);
	return rc;
}

int
cmd_retract(struct cli *c, int argc, char **argv)
{
	const struct cmd_entry	*cmd = cli_find("retract");
	struct incident		*inc = NULL, *after = NULL;
	const struct event	*target;
	struct event		 ev;
	char			 label[128], when[64], ref[EVENT_REF_LEN + 1];
	int			 i = 1, rc = EXIT_ERROR;

	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	else if (i < argc && argv[i][0] == '-' && argv[i][1] != '\0')
		return cli_usage(cmd, "unknown option '%s'", argv[i]);
	if (argc - i < 2)
		return cli_usage(cmd, "an incident id and an event reference "
		    "are needed");
	memset(&ev, 0, sizeof ev);
	ev.kind = EV_RETRACT;
	if ((ev.text = cli_event_text(argc - i - 2, argv + i + 2)) == NULL) {
		rc = cli_core_error();
		goto out;
	}
	if (strchr(ev.text, '\n') != NULL) {
		rc = cli_usage(cmd, "the reason is one line");
		goto out;
	}
	if (cli_load(&inc, c, argv[i]) < 0 ||
	    find_target(&target, inc, argv[i + 1], "retract") < 0) {
		rc = cli_core_error();
		goto out;
	}
	ev.arg = xstrdup(target->ref);
	incident_short_ref(ref, inc, target->ref);
	event_label(label, sizeof label, target, " ");
	cli_local_time(when, sizeof when, target->at, inc->zone);
	ev.at.t = tstamp_now();
	if (zone_stamp(&ev.at, inc->zone, ev.at.t) < 0 ||
	    append_correction(c, inc, &ev, &after) < 0) {
		rc = cli_core_error();
		goto out;
	}
	printf("retracted %s %s (%s) in %s\n", label, ref, when, inc->id);
	cli_warnings(c);
	rc = EXIT_OK;
out:
	incident_free(inc);
	incident_free(after);
	free(ev.text);
	free(ev.arg);
	return rc;
}
