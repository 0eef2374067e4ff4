/*
 * cmd_import.c - pmtool import: incidents from Statuspage (JSON or page
 * text) and PagerDuty, merged into the store in one commit.
 *
 * Each imported event is written with a comment line "# source: ID"
 * after it (formats/incident-format.md: comments are notes about the
 * record), and each imported incident with one after its header. On the
 * next import, the ids found in the store's timelines say which
 * incidents exist already and which of their events are there: importing
 * the same file again changes nothing, a newer export adds only what is
 * new.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "cli.h"
#include "error.h"
#include "import.h"
#include "incfile.h"
#include "incident.h"
#include "store.h"
#include "tstamp.h"
#include "xmalloc.h"
#include "zone.h"

#define SOURCE_PREFIX	"# source: "

enum import_kind { IMP_STATUSPAGE, IMP_STATUSPAGE_TEXT, IMP_PAGERDUTY };

static const struct {
	const char	*name;
	enum import_kind kind;
} import_kinds[] = {
	{ "statuspage", IMP_STATUSPAGE },
	{ "statuspage-text", IMP_STATUSPAGE_TEXT },
	{ "pagerduty", IMP_PAGERDUTY },
};

/* A source id seen in the store, and the incident it is in. */
struct seen {
	char	*source;
	char	*id;
};

struct seen_set {
	struct seen	*v;
	size_t		 n;
};

static int
seen_cmp(const void *a, const void *b)
{
	return strcmp(((const struct seen *)a)->source,
	    ((const struct seen *)b)->source);
}

/* The incident id holding source, or NULL. */
static const char *
seen_find(const struct seen_set *s, const char *source)
{
	struct seen	 key = { (char *)source, NULL }, *hit;

	if (s->n == 0)
		return NULL;
	hit = bsearch(&key, s->v, s->n, sizeof *s->v, seen_cmp);
	return hit != NULL ? hit->id : NULL;
}

static void
seen_free(struct seen_set *s)
{
	size_t	 i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].source);
		free(s->v[i].id);
	}
	free(s->v);
}

/* Every "# source: ID" line of every timeline. */
static int
seen_load(struct seen_set *s, struct store *st)
{
	struct buf	 b = BUF_INIT;
	char		**ids, *line, *nl;
	size_t		 n, i;
	int		 exists;

	memset(s, 0, sizeof *s);
	if (store_list(&ids, &n, st) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		buf_truncate(&b, 0);
		if (store_read_file(&b, &exists, st, ids[i], STORE_TIMELINE) <
		    0) {
			store_free_ids(ids, n);
			buf_free(&b);
			return -1;
		}
		for (line = (char *)buf_str(&b); *line != '\0'; line = nl) {
			if ((nl = strchr(line, '\n')) == NULL)
				nl = line + strlen(line);
			if (strncmp(line, SOURCE_PREFIX,
			    strlen(SOURCE_PREFIX)) == 0) {
				s->v = xreallocarray(s->v, s->n + 1,
				    sizeof *s->v);
				s->v[s->n].source = xstrndup(line +
				    strlen(SOURCE_PREFIX), (size_t)(nl - line) -
				    strlen(SOURCE_PREFIX));
				s->v[s->n++].id = xstrdup(ids[i]);
			}
			if (*nl == '\n')
				nl++;
		}
	}
	store_free_ids(ids, n);
	buf_free(&b);
	if (s->n > 1)
		qsort(s->v, s->n, sizeof *s->v, seen_cmp);
	return 0;
}

/* A source id as it is written: printable ASCII without blanks, any
 * other byte as %XX, so no source can break the comment line. */
static char *
source_text(const char *id)
{
	struct buf	 b = BUF_INIT;
	const unsigned char *p;

	for (p = (const unsigned char *)id; *p != '\0'; p++) {
		if (*p > 0x20 && *p < 0x7f && *p != '%')
			buf_addc(&b, (char)*p);
		else
			buf_printf(&b, "%%%02X", *p);
	}
	buf_adds(&b, "");
	return buf_detach(&b);
}

/* The lines of one imported event: the event, then its source. */
static int
event_lines(struct buf *out, const struct import_event *e)
{
	char	*line, *src;

	if (incfile_check_text("text", e->ev.text, 1) < 0)
		return -1;
	line = incfile_format_event(&e->ev);
	src = source_text(e->source_id);
	buf_printf(out, "%s%s%s\n", line, SOURCE_PREFIX, src);
	free(line);
	free(src);
	return 0;
}

/* The date of the incident's first event in its zone: its id's date. */
static int
start_date(struct civil *out, const struct import_incident *ii)
{
	int32_t	 off;
	int64_t	 t = ii->nevents > 0 ? ii->events[0].ev.at.t : tstamp_now();

	if (zone_offset_at(&off, ii->zone, t, NULL) < 0)
		return -1;
	civil_from_time(out, t, off);
	return 0;
}

/* What one import did, for the report. */
struct outcome {
	char	*id;
	int	 created;
	size_t	 added;
};

static int
import_new(struct store_batch *b, struct outcome *o,
    const struct import_incident *ii)
{
	struct incident		*inc = incident_new();
	struct store_file	 extra;
	struct civil		 date;
	struct buf		 lines = BUF_INIT;
	char			*skeleton = NULL, *src;
	size_t			 i;
	int			 rc = -1;

	incident_set(&inc->title, ii->title);
	incident_set(&inc->severity, ii->severity);
	incident_set(&inc->zone, ii->zone);
	for (i = 0; i < ii->nservices; i++)
		incident_add_service(inc, ii->services[i]);
	src = source_text(ii->source_id);
	buf_printf(&lines, "%s%s\n", SOURCE_PREFIX, src);
	free(src);
	for (i = 0; i < ii->nevents; i++)
		if (event_lines(&lines, &ii->events[i]) < 0)
			goto out;
	if (zone_check(ii->zone) < 0 || start_date(&date, ii) < 0)
		goto out;
	skeleton = analysis_skeleton(ii->title);
	extra.name = ANALYSIS_FILE;
	extra.content = skeleton;
	if (store_batch_create(b, &o->id, inc, &date, &extra, 1) < 0)
		goto out;
	if (store_batch_append(b, o->id, STORE_TIMELINE, NULL,
	    buf_str(&lines), NULL) < 0)
		goto out;
	o->created = 1;
	o->added = ii->nevents;
	rc = 0;
out:
	free(skeleton);
	buf_free(&lines);
	incident_free(inc);
	return rc;
}

static int
import_more(struct store_batch *b, struct outcome *o,
    const struct import_incident *ii, const char *id,
    const struct seen_set *seen)
{
	struct buf	 lines = BUF_INIT;
	char		*src;
	size_t		 i;
	int		 rc = -1;

	o->id = xstrdup(id);
	for (i = 0; i < ii->nevents; i++) {
		src = source_text(ii->events[i].source_id);
		if (seen_find(seen, src) == NULL) {
			if (event_lines(&lines, &ii->events[i]) < 0) {
				free(src);
				goto out;
			}
			o->added++;
		}
		free(src);
	}
	rc = o->added == 0 ? 0 : store_batch_append(b, id, STORE_TIMELINE,
	    NULL, buf_str(&lines), store_check_timeline);
out:
	buf_free(&lines);
	return rc;
}

static int
run_import(struct outcome *out, struct store *st, const struct import_set *set,
    const char *what)
{
	struct store_batch	*b = NULL;
	struct seen_set		 seen;
	struct buf		 msg = BUF_INIT;
	const char		*id;
	char			*src;
	size_t			 i, created = 0, updated = 0;
	int			 rc = -1;

	if (store_batch_begin(&b, st) < 0)
		return -1;
	/* Read under the lock: no other writer adds sources meanwhile. */
	if (seen_load(&seen, st) < 0) {
		store_batch_free(b);
		return -1;
	}
	for (i = 0; i < set->n; i++) {
		src = source_text(set->v[i].source_id);
		id = seen_find(&seen, src);
		free(src);
		if ((id == NULL ? import_new(b, &out[i], &set->v[i]) :
		    import_more(b, &out[i], &set->v[i], id, &seen)) < 0)
			goto out;
		created += out[i].created;
		updated += !out[i].created && out[i].added > 0;
	}
	buf_printf(&msg, "import %s: %zu new, %zu updated\n\n", what, created,
	    updated);
	for (i = 0; i < set->n; i++)
		if (out[i].added > 0)
			buf_printf(&msg, "%s: %s %zu event%s\n", out[i].id,
			    out[i].created ? "new," : "added", out[i].added,
			    cli_plural(out[i].added));
	rc = store_batch_commit(b, buf_str(&msg));
out:
	store_batch_free(b);
	seen_free(&seen);
	buf_free(&msg);
	return rc;
}

static int
parse_input(struct import_set *set, enum import_kind kind, const char *name,
    const struct buf *in, const char *tz, const char *title)
{
	switch (kind) {
	case IMP_STATUSPAGE:
		return import_statuspage(set, name, buf_str(in), in->len);
	case IMP_PAGERDUTY:
		return import_pagerduty(set, name, buf_str(in), in->len);
	default:
		return import_statuspage_text(set, name, buf_str(in), in->len,
		    tz, title);
	}
}

static int
read_input(struct buf *out, const char *path)
{
	char	 chunk[65536];
	size_t	 n;
	FILE	*f;
	int	 rc = 0;

	if (strcmp(path, "-") == 0)
		f = stdin;
	else if ((f = fopen(path, "rb")) == NULL)
		return pm_error_sys("cannot read %s", path);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(out, chunk, n);
	if (ferror(f))
		rc = pm_error_sys("cannot read %s", path);
	if (f != stdin)
		fclose(f);
	return rc;
}

static void
report(const struct import_set *set, const struct outcome *out)
{
	size_t	 i;

	for (i = 0; i < set->n; i++) {
		if (out[i].created)
			printf("created %s (%zu event%s)\n", out[i].id,
			    out[i].added, cli_plural(out[i].added));
		else if (out[i].added > 0)
			printf("updated %s (%zu new event%s)\n", out[i].id,
			    out[i].added, cli_plural(out[i].added));
		else
			printf("unchanged %s\n", out[i].id);
	}
	if (set->n == 0)
		printf("no incidents in the input\n");
}

int
cmd_import(struct cli *c, int argc, char **argv)
{
	const struct cmd_entry	*cmd = cli_find("import");
	struct import_set	 set = { NULL, 0 };
	struct outcome		*out = NULL;
	struct buf		 in = BUF_INIT;
	const char		*file = NULL, *tz = NULL, *title = NULL;
	enum import_kind	 kind = IMP_STATUSPAGE;
	size_t			 i;
	int			 a, found = 0, dashes = 0, rc = EXIT_ERROR;

	if (argc < 2)
		return cli_usage(cmd, "import: which format?");
	for (i = 0; i < sizeof import_kinds / sizeof import_kinds[0]; i++)
		if (strcmp(argv[1], import_kinds[i].name) == 0) {
			kind = import_kinds[i].kind;
			found = 1;
		}
	if (!found)
		return cli_usage(cmd, "import: unknown format '%s' "
		    "(statuspage, statuspage-text or pagerduty)", argv[1]);
	for (a = 2; a < argc; a++) {
		if (strcmp(argv[a], "--") == 0 && !dashes) {
			dashes = 1;	/* what follows is FILE, whatever it is */
			continue;
		}
		if (dashes) {
			if (file != NULL)
				return cli_usage(cmd, "import: one FILE at a "
				    "time");
			file = argv[a];
			continue;
		}
		if (kind == IMP_STATUSPAGE_TEXT && (strcmp(argv[a], "--tz") ==
		    0 || strcmp(argv[a], "--title") == 0)) {
			if (a + 1 >= argc)
				return cli_usage(cmd, "import: %s needs a "
				    "value", argv[a]);
			if (strcmp(argv[a], "--tz") == 0)
				tz = argv[++a];
			else
				title = argv[++a];
		} else if (argv[a][0] == '-' && argv[a][1] != '\0')
			return cli_usage(cmd, "import: unknown option '%s'",
			    argv[a]);
		else if (file != NULL)
			return cli_usage(cmd, "import: one FILE at a time");
		else
			file = argv[a];
	}
	if (file == NULL)
		return cli_usage(cmd, "import: give FILE, or - for standard "
		    "input");
	if (tz != NULL && zone_check(tz) < 0)
		return cli_usage(cmd, "import: %s", pm_error_last());
	if (read_input(&in, file) < 0 || parse_input(&set, kind,
	    strcmp(file, "-") == 0 ? "<stdin>" : file, &in, tz, title) < 0) {
		rc = cli_core_error();
		goto done;
	}
	out = xcalloc(set.n + 1, sizeof *out);
	if (run_import(out, c->store, &set, argv[1]) < 0) {
		rc = cli_core_error();
		goto done;
	}
	report(&set, out);
	cli_warnings(c);
	rc = EXIT_OK;
done:
	for (i = 0; out != NULL && i < set.n; i++)
		free(out[i].id);
	free(out);
	import_set_free(&set);
	buf_free(&in);
	return rc;
}
