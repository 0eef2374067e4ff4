/* util.c - what the command handlers share. */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "attrib.h"
#include "error.h"
#include "index.h"
#include "lint.h"
#include "xmalloc.h"
#include "zone.h"

int
cli_load(struct incident **out, struct cli *c, const char *given)
{
	char	*id;
	int	 rc;

	if (store_resolve_id(&id, c->store, given) < 0)
		return -1;
	rc = store_load(out, c->store, id);
	free(id);
	return rc;
}

void
cli_local_time(char *out, size_t size, struct tstamp ts, const char *zone)
{
	/* The zone was checked when the incident was read; should it fail
	 * now, the time is still shown, labelled UTC. */
	zone_display(out, size, ts.t, zone);
}

char *
cli_join_words(int n, char **words)
{
	struct buf	 b = BUF_INIT;
	int		 i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(&b, ' ');
		buf_adds(&b, words[i]);
	}
	return buf_detach(&b);
}

char *
cli_read_stdin(void)
{
	struct buf	 b = BUF_INIT;
	char		 chunk[8192];
	size_t		 n;

	const char	*nul;

	while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
		buf_add(&b, chunk, n);
	/* A NUL would end the text unseen: refuse it, as a control
	 * character anywhere else is refused. */
	if (b.len > 0 && (nul = memchr(b.data, '\0', b.len)) != NULL) {
		pm_error_set("text: control character at byte %zu",
		    (size_t)(nul - b.data) + 1);
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

int
cli_index(struct index **out, struct cli *c, int rebuild, size_t *problems)
{
	struct index	*ix;
	size_t		 i;

	*problems = 0;
	if (index_open_store(&ix, c->store) < 0)
		return -1;
	if ((rebuild ? index_rebuild(ix, c->store) :
	    index_sync(ix, c->store, NULL)) < 0) {
		index_close(ix);
		return -1;
	}
	/* A broken file is reported, and the others are still used. */
	for (i = 0; i < index_nproblems(ix); i++)
		fprintf(stderr, "pmtool: %s\n", index_problem(ix, i));
	*problems = index_nproblems(ix);
	*out = ix;
	return 0;
}

/* Write the whole output, or nothing: a temporary file renamed over. */
int
cli_write_output(const char *path, const char *text)
{
	char	*tmp;
	FILE	*f;
	int	 fd, rc = 0;

	if (path == NULL || strcmp(path, "-") == 0) {
		fputs(text, stdout);
		return 0;
	}
	/* A new file of our own beside path (O_EXCL: never through a link
	 * someone left there), renamed over it when whole. */
	tmp = xasprintf("%s.pmtool-XXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1 || fchmod(fd, 0644) == -1 ||
	    (f = fdopen(fd, "wb")) == NULL) {
		rc = pm_error_sys("cannot write %s", path);
		if (fd != -1) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		return rc;
	}
	if (fputs(text, f) == EOF || fflush(f) == EOF || fsync(fileno(f)) ==
	    -1)
		rc = pm_error_sys("cannot write %s", path);
	if (fclose(f) == EOF && rc == 0)
		rc = pm_error_sys("cannot write %s", path);
	if (rc == 0 && rename(tmp, path) == -1)
		rc = pm_error_sys("cannot write %s", path);
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

int
cli_plain_args(int *argc, char **argv, const struct cmd_entry *cmd)
{
	int	 i, dashes = 0;

	if (*argc > 1 && strcmp(argv[1], "--") == 0) {
		for (i = 1; i + 1 < *argc; i++)
			argv[i] = argv[i + 1];
		(*argc)--;
		dashes = 1;
	}
	for (i = 1; !dashes && i < *argc; i++)
		if (argv[i][0] == '-' && argv[i][1] != '\0')
			return cli_usage(cmd, "%s: unknown option '%s'",
			    cmd->name, argv[i]);
	return 0;
}

int
cli_check_folder(const char *dir)
{
	struct stat	 sb;

	if (stat(dir, &sb) == 0 && !S_ISDIR(sb.st_mode))
		return pm_error_set("%s is not a folder", dir);
	return 0;
}

/* "HH:MM" or "HH:MM:SS": the form tstamp_parse_user() may take as
 * yesterday. */
static int
is_clock_time(const char *s)
{
	size_t	 i, n = strlen(s);

	if (n != 5 && n != 8)
		return 0;
	for (i = 0; i < n; i++)
		if ((i % 3 == 2) != (s[i] == ':') ||
		    (s[i] != ':' && (s[i] < '0' || s[i] > '9')))
			return 0;
	return 1;
}

/* 1 when a and b fall on the same day in zone. */
static int
same_local_day(int64_t a, int64_t b, const char *zone)
{
	struct civil	 ca, cb;
	int32_t		 oa, ob;

	if (zone_offset_at(&oa, zone, a, NULL) < 0 ||
	    zone_offset_at(&ob, zone, b, NULL) < 0)
		return 0;
	civil_from_time(&ca, a, oa);
	civil_from_time(&cb, b, ob);
	return ca.year == cb.year && ca.mon == cb.mon && ca.day == cb.day;
}

int
cli_parse_time(struct tstamp *out, int *fell_back, const char *given,
    const char *zone, int force)
{
	char	 d[32];
	int64_t	 now = tstamp_now(), ahead;

	*fell_back = 0;
	if (tstamp_parse_user(out, given, zone, now) < 0)
		return -1;
	ahead = out->t - now;
	if (ahead > CLI_FUTURE_SKEW && !force) {
		duration_format(d, sizeof d, ahead);
		return pm_error_set("'%s' is %s in the future (more than %d "
		    "minutes of clock skew); check the time, or add --force "
		    "to log it anyway", given, d, CLI_FUTURE_SKEW / 60);
	}
	*fell_back = is_clock_time(given) && now - out->t > 12 * 3600 &&
	    !same_local_day(out->t, now, zone);
	return 0;
}

void
cli_warn_fell_back(const struct incident *inc, const char *given,
    struct tstamp at, const char *ref)
{
	char	 when[64], ago[32];

	cli_local_time(when, sizeof when, at, inc->zone);
	duration_format(ago, sizeof ago, tstamp_now() - at.t);
	fprintf(stderr, "pmtool: warning: '%s' was taken as yesterday's, "
	    "%s, %s ago (today's %s is still to come); if that is wrong, run: pmtool "
	    "amend %s %.*s --at 'YYYY-MM-DD HH:MM'\n", given, when, ago, given,
	    inc->id, EVENT_REF_SHOW, ref);
}

/* What the event just written contradicts in the timeline (lint_event()),
 * on stderr. What lint calls an error is a warning here: the line is
 * written, and log exits 0. */
void
cli_warn_timeline(const struct incident *inc, const char *ref)
{
	struct lint_list	 l;
	size_t			 i;

	if (inc == NULL)
		return;
	lint_list_init(&l);
	lint_event(&l, inc, ref, tstamp_now());
	for (i = 0; i < l.n; i++)
		fprintf(stderr, "pmtool: warning: %s\n", l.items[i].message);
	lint_list_free(&l);
}

const char *
cli_plural(size_t n)
{
	return n == 1 ? "" : "s";
}

void
cli_attribute(struct cli *c, struct incident *inc)
{
	/* Who logged what is worth showing, never worth failing for. */
	if (attrib_fill(c->store, inc) < 0)
		fprintf(stderr, "pmtool: warning: who logged each event is not "
		    "known: %s\n", pm_error_last());
}
