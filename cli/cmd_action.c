/* cmd_action.c - pmtool action: corrective actions, added, done, listed. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "actfile.h"
#include "actions.h"
#include "cli.h"
#include "error.h"
#include "incfile.h"
#include "utf8.h"
#include "xmalloc.h"
#include "zone.h"

/*
 * The actions file as this command read it. The number an add prints
 * (and its commit message) comes from that content, so the append must
 * go on top of exactly it: store_append_file() calls check_unchanged()
 * under the store's lock, and a writer that got in between makes this
 * one stop instead of printing a wrong number.
 */
static struct {
	const char	*data;
	size_t		 len;
	int		 exists;
} seen;

static int
check_unchanged(const char *name, const char *buf, size_t len)
{
	if (!seen.exists || len != seen.len || (len > 0 &&
	    memcmp(buf, seen.data, len) != 0))
		return pm_error_set("%s changed while pmtool was reading it; "
		    "nothing was added, try again", name);
	return 0;
}

static char *
actions_relpath(const char *id)
{
	return xasprintf("%s/%s/%s", STORE_INCIDENTS, id, ACTFILE_NAME);
}

/* Read and parse an incident's actions into *out (empty when the file
 * does not exist yet); raw receives the bytes. */
static int
load_actions(struct action_list *out, struct buf *raw, int *exists,
    struct store *st, const char *id)
{
	char	*name;
	int	 rc;

	out->items = NULL;
	out->n = 0;
	if (store_read_file(raw, exists, st, id, ACTFILE_NAME) < 0)
		return -1;
	if (!*exists)
		return 0;
	name = actions_relpath(id);
	rc = actfile_parse(out, name, buf_str(raw), raw->len);
	free(name);
	return rc;
}

/* The actions as they will read once lines are appended to raw the way
 * store_append_file() does it. */
static int
predict(struct action_list *out, const char *id, const struct buf *raw,
    int exists, const char *lines)
{
	struct buf	 b = BUF_INIT;
	char		*name;
	int		 rc;

	if (!exists)
		buf_adds(&b, ACTFILE_HEADER);
	else {
		buf_add(&b, buf_str(raw), raw->len);
		if (raw->len > 0 && raw->data[raw->len - 1] != '\n')
			buf_addc(&b, '\n');
	}
	buf_adds(&b, lines);
	name = actions_relpath(id);
	rc = actfile_parse(out, name, buf_str(&b), b.len);
	free(name);
	buf_free(&b);
	return rc;
}

static int
append_records(struct cli *c, const char *id, const struct buf *raw,
    int exists, const char *lines, const char *message)
{
	seen.data = buf_str(raw);
	seen.len = raw->len;
	seen.exists = exists;
	return store_append_file(c->store, id, ACTFILE_NAME, ACTFILE_HEADER,
	    lines, message, check_unchanged);
}

/* Today's date in zone. */
static int
today_in(struct civil *out, const char *zone)
{
	int64_t	 now = tstamp_now();
	int32_t	 off;

	if (zone_offset_at(&off, zone, now, NULL) < 0)
		return -1;
	civil_from_time(out, now, off);
	out->hour = out->min = out->sec = 0;
	return 0;
}

static int
action_add(struct cli *c, const struct cmd_entry *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "owner", required_argument, NULL, 'o' },
		{ "due", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 }
	};
	struct incident		*inc = NULL;
	struct action_list	 now_list = { NULL, 0 }, after = { NULL, 0 };
	struct action		*a;
	struct buf		 raw = BUF_INIT, lines = BUF_INIT;
	struct tstamp		 at;
	struct civil		 due;
	char			 key[ACTION_KEY_LEN + 1], date[16];
	char			*text = NULL, *owner = NULL, *raw_text, *line;
	char			*msg = NULL;
	int			 ch, has_due = 0, exists, rc = EXIT_ERROR;

	optind = 0;
	opterr = 0;
	/* Options may come anywhere before "--"; the text is the rest. */
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			free(owner);
			owner = incfile_normalize_text(optarg);
			break;
		case 'd':
			if (action_date_parse(&due, optarg,
			    strlen(optarg)) < 0) {
				rc = cli_usage(cmd, "--due: %s",
				    pm_error_last());
				goto out;
			}
			has_due = 1;
			break;
		case ':':
			rc = cli_usage(cmd, "%s needs a value",
			    argv[optind - 1]);
			goto out;
		default:
			rc = cli_usage(cmd, "unknown option '%s' (for text "
			    "that begins with '-', put -- before the text)",
			    argv[optind - 1]);
			goto out;
		}
	}
	if (argc - optind < 2) {
		rc = cli_usage(cmd, "an incident id and the action's text are "
		    "needed");
		goto out;
	}
	raw_text = cli_join_words(argc - optind - 1, argv + optind + 1);
	text = incfile_normalize_text(raw_text);
	free(raw_text);
	if (*text == '\0') {
		rc = cli_usage(cmd, "the action's text is empty");
		goto out;
	}
	if (actfile_check_value("text", text) < 0 || (owner != NULL &&
	    actfile_check_value("owner", owner) < 0)) {
		rc = cli_core_error();
		goto out;
	}

	if (cli_load(&inc, c, argv[optind]) < 0 ||
	    load_actions(&now_list, &raw, &exists, c->store, inc->id) < 0 ||
	    action_key_new(key, &now_list) < 0 ||
	    zone_stamp(&at, inc->zone, tstamp_now()) < 0) {
		rc = cli_core_error();
		goto out;
	}
	/* One timestamp for all three: they apply in file order. */
	line = actfile_format_record(at, "add", key, text);
	buf_adds(&lines, line);
	free(line);
	if (owner != NULL && *owner != '\0') {
		line = actfile_format_record(at, "owner", key, owner);
		buf_adds(&lines, line);
		free(line);
	}
	if (has_due) {
		snprintf(date, sizeof date, "%04d-%02d-%02d", due.year,
		    due.mon, due.day);
		line = actfile_format_record(at, "due", key, date);
		buf_adds(&lines, line);
		free(line);
	}
	if (predict(&after, inc->id, &raw, exists, buf_str(&lines)) < 0 ||
	    (a = action_list_find(&after, key)) == NULL) {
		rc = cli_core_error();
		goto out;
	}
	msg = xasprintf("%s: add corrective action %u\n\n%s\n", inc->id, a->n,
	    text);
	if (append_records(c, inc->id, &raw, exists, buf_str(&lines),
	    msg) < 0) {
		rc = cli_core_error();
		goto out;
	}
	printf("%u\n", a->n);
	cli_warnings(c);
	rc = EXIT_OK;
out:
	action_list_free(&now_list);
	action_list_free(&after);
	incident_free(inc);
	buf_free(&raw);
	buf_free(&lines);
	free(text);
	free(owner);
	free(msg);
	return rc;
}

/* A positive action number, all digits. */
static int
parse_number(unsigned *out, const char *s)
{
	unsigned long	 v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > UINT_MAX)
			return -1;
	}
	if (v == 0)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static int
action_done(struct cli *c, const struct cmd_entry *cmd, int argc,
    char **argv)
{
	struct incident		*inc = NULL;
	struct action_list	 now_list = { NULL, 0 }, after = { NULL, 0 };
	struct action		*a;
	struct buf		 raw = BUF_INIT;
	struct tstamp		 at;
	unsigned		 n;
	char			*line = NULL, *msg = NULL, when[64];
	int			 exists, rc = EXIT_ERROR;

	optind = 0;
	opterr = 0;
	if (getopt(argc, argv, ":") != -1)
		return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
	if (argc - optind != 2)
		return cli_usage(cmd, argc - optind < 2 ? "an incident id and "
		    "an action number are needed" : "too many arguments");
	if (parse_number(&n, argv[optind + 1]) < 0)
		return cli_usage(cmd, "bad action number '%s': 'pmtool action "
		    "list ID' shows the numbers", argv[optind + 1]);

	if (cli_load(&inc, c, argv[optind]) < 0 ||
	    load_actions(&now_list, &raw, &exists, c->store, inc->id) < 0) {
		rc = cli_core_error();
		goto out;
	}
	if ((a = action_list_get(&now_list, n)) == NULL) {
		if (now_list.n == 0)
			rc = cli_error("%s has no corrective actions: no "
			    "action %u", inc->id, n);
		else
			rc = cli_error("%s has no action %u (it has %zu)",
			    inc->id, n, now_list.n);
		goto out;
	}
	if (a->done) {
		cli_local_time(when, sizeof when, a->done_at, inc->zone);
		rc = cli_error("action %u of %s is already done (since %s)", n,
		    inc->id, when);
		goto out;
	}
	if (zone_stamp(&at, inc->zone, tstamp_now()) < 0) {
		rc = cli_core_error();
		goto out;
	}
	line = actfile_format_record(at, "done", a->key, NULL);
	if (predict(&after, inc->id, &raw, exists, line) < 0) {
		rc = cli_core_error();
		goto out;
	}
	/* A hand-written reopen dated after now would win over this done. */
	if (!action_list_get(&after, n)->done) {
		rc = cli_error("action %u of %s would stay open: a record "
		    "dated after now reopens it (check the clocks)", n,
		    inc->id);
		goto out;
	}
	msg = xasprintf("%s: corrective action %u done\n\n%s\n", inc->id, n,
	    a->text);
	if (append_records(c, inc->id, &raw, exists, line, msg) < 0) {
		rc = cli_core_error();
		goto out;
	}
	printf("action %u of %s done\n", n, inc->id);
	cli_warnings(c);
	rc = EXIT_OK;
out:
	action_list_free(&now_list);
	action_list_free(&after);
	incident_free(inc);
	buf_free(&raw);
	free(line);
	free(msg);
	return rc;
}

/* The actions of one incident, as listed. */
struct listed {
	char			*id;
	struct action_list	 actions;
	struct civil		 today;
};

static int
listed_load(struct listed *out, struct cli *c, const char *given,
    int resolve)
{
	struct incident	*inc;
	struct buf	 raw = BUF_INIT;
	int		 exists, rc;

	memset(out, 0, sizeof *out);
	if ((resolve ? cli_load(&inc, c, given) : store_load(&inc, c->store,
	    given)) < 0)
		return -1;
	rc = today_in(&out->today, inc->zone);
	if (rc == 0)
		rc = load_actions(&out->actions, &raw, &exists, c->store,
		    inc->id);
	if (rc == 0)
		out->id = xstrdup(inc->id);
	buf_free(&raw);
	incident_free(inc);
	return rc;
}

static const char *
state_of(const struct action *a, const struct civil *today)
{
	if (a->done)
		return "done";
	return action_is_overdue(a, today) ? "OVERDUE" : "open";
}

/* Width on a terminal, near enough: one column a character. */
static size_t
width_of(const char *s)
{
	return utf8_count(s, strlen(s));
}

/* s, then spaces up to width and a gap of two. */
static void
print_cell(const char *s, size_t width)
{
	size_t	 w = width_of(s);

	fputs(s, stdout);
	for (; w < width + 2; w++)
		putchar(' ');
}

static void
list_text(const struct listed *ls, size_t nls, int all, int only_open)
{
	const struct action	*a;
	char			 num[16], due[16];
	size_t			 i, j, rows = 0, wid = 8, wn = 1, wown = 5;

	for (i = 0; i < nls; i++)
		for (j = 0; j < ls[i].actions.n; j++) {
			a = &ls[i].actions.items[j];
			if (only_open && a->done)
				continue;
			rows++;
			if (width_of(ls[i].id) > wid)
				wid = width_of(ls[i].id);
			if ((size_t)snprintf(num, sizeof num, "%u", a->n) > wn)
				wn = strlen(num);
			if (width_of(a->owner) > wown)
				wown = width_of(a->owner);
		}
	if (rows == 0) {
		printf("no %scorrective actions%s%s\n", only_open ? "open " :
		    "", all ? "" : " in ", all || nls == 0 ? "" : ls[0].id);
		return;
	}
	if (all)
		print_cell("INCIDENT", wid);
	printf("%*s  %-7s  %-10s  ", (int)wn, "N", "STATE", "DUE");
	print_cell("OWNER", wown);
	printf("TEXT\n");
	for (i = 0; i < nls; i++)
		for (j = 0; j < ls[i].actions.n; j++) {
			a = &ls[i].actions.items[j];
			if (only_open && a->done)
				continue;
			if (a->has_due)
				snprintf(due, sizeof due, "%04d-%02d-%02d",
				    a->due.year, a->due.mon, a->due.day);
			else
				snprintf(due, sizeof due, "-");
			if (all)
				print_cell(ls[i].id, wid);
			printf("%*u  %-7s  %-10s  ", (int)wn, a->n,
			    state_of(a, &ls[i].today), due);
			print_cell(*a->owner != '\0' ? a->owner : "-", wown);
			printf("%s\n", a->text);
		}
}

static int
list_json(const struct listed *ls, size_t nls, int only_open)
{
	const struct action	*a;
	json_t			*arr;
	char			*s;
	size_t			 i, j;

	arr = json_array();
	for (i = 0; i < nls; i++)
		for (j = 0; j < ls[i].actions.n; j++) {
			a = &ls[i].actions.items[j];
			if (only_open && a->done)
				continue;
			json_array_append_new(arr, actjson_action(a, ls[i].id,
			    &ls[i].today));
		}
	s = json_dumps(arr, JSON_INDENT(2));
	json_decref(arr);
	if (s == NULL)
		return cli_error("cannot format JSON");
	printf("%s\n", s);
	free(s);
	return EXIT_OK;
}

static int
action_list(struct cli *c, const struct cmd_entry *cmd, int argc,
    char **argv)
{
	static const struct option opts[] = {
		{ "open", no_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct listed	*ls;
	char		**ids = NULL;
	size_t		 nids = 0, nls = 0, i;
	int		 ch, json = 0, only_open = 0, all, rc = EXIT_OK;

	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (ch) {
		case 'o': only_open = 1; break;
		case 'j': json = 1; break;
		default:
			return cli_usage(cmd, "unknown option '%s'",
			    argv[optind - 1]);
		}
	}
	if (argc - optind > 1)
		return cli_usage(cmd, "too many arguments");
	all = argc - optind == 0;
	if (all && store_list(&ids, &nids, c->store) < 0)
		return cli_core_error();
	ls = xcalloc(all ? nids + 1 : 1, sizeof *ls);
	if (!all) {
		if (listed_load(&ls[0], c, argv[optind], 1) < 0) {
			free(ls);
			return cli_core_error();
		}
		nls = 1;
	}
	for (i = 0; i < nids; i++) {
		/* One unreadable file must not hide the others. */
		if (listed_load(&ls[nls], c, ids[i], 0) < 0)
			rc = cli_core_error();
		else
			nls++;
	}
	store_free_ids(ids, nids);
	if (json) {
		if (list_json(ls, nls, only_open) != EXIT_OK)
			rc = EXIT_ERROR;
	} else
		list_text(ls, nls, all, only_open);
	for (i = 0; i < nls; i++) {
		free(ls[i].id);
		action_list_free(&ls[i].actions);
	}
	free(ls);
	return rc;
}

int
cmd_action(struct cli *c, int argc, char **argv)
{
	const struct cmd_entry	*cmd = cli_find("action");

	if (argc < 2)
		return cli_usage(cmd, "add, done or list expected");
	if (strcmp(argv[1], "add") == 0)
		return action_add(c, cmd, argc - 1, argv + 1);
	if (strcmp(argv[1], "done") == 0)
		return action_done(c, cmd, argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return action_list(c, cmd, argc - 1, argv + 1);
	return cli_usage(cmd, "unknown action command '%s' (add, done or "
	    "list)", argv[1]);
}
