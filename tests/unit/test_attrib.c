/* test_attrib.c - who logged each line (core/attrib), against real
 * temporary git repositories and the real `git blame --porcelain`. */
#include <sys/stat.h>

#include <ftw.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <sqlite3.h>

#include "attrib.h"
#include "error.h"
#include "incident.h"
#include "store.h"
#include "xmalloc.h"

Suite *attrib_suite(void);

#define ID	"2024-03-01-db-down"
#define TL	"incidents/" ID "/timeline.txt"
#define T0	1709290800	/* 2024-03-01T11:00:00Z */

static char		 tmpdir[64];
static char		*repo;
static char		*cache_path;
static struct store	*st;

/* Run a shell command in the repository; the test fails unless it
 * exits 0. */
static void __attribute__((format(printf, 1, 2)))
sh(const char *fmt, ...)
{
	va_list	 ap;
	char	*cmd, *full;
	int	 rc;

	va_start(ap, fmt);
	ck_assert_int_ge(vasprintf(&cmd, fmt, ap), 0);
	va_end(ap);
	full = xasprintf("cd '%s' && { %s; } >/dev/null 2>&1", repo, cmd);
	rc = system(full);
	ck_assert_msg(rc == 0, "command failed (%d): %s", rc, cmd);
	free(full);
	free(cmd);
}

static void
setup(void)
{
	static int	 inited;
	int		 created = 0;

	if (!inited) {
		ck_assert_int_eq(store_global_init(), 0);
		inited = 1;
	}
	setenv("GIT_AUTHOR_NAME", "Zoë Init", 1);
	setenv("GIT_AUTHOR_EMAIL", "init@example.com", 1);
	setenv("GIT_COMMITTER_NAME", "Zoë Init", 1);
	setenv("GIT_COMMITTER_EMAIL", "init@example.com", 1);
	setenv("PMTOOL_TEST_TIME", "2024-03-01T10:00:00Z", 1);
	setenv("TZ", "UTC", 1);
	/* Hermetic git: no user or system configuration. */
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
	strcpy(tmpdir, "/tmp/pmtool-attrib.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	repo = xasprintf("%s/store", tmpdir);
	ck_assert_msg(store_init(&st, repo, &created) == 0, "%s",
	    pm_error_last());
	cache_path = xasprintf("%s%s/%s", store_gitdir(st), ATTRIB_DIR,
	    ATTRIB_FILE);
	sh("git config gc.auto 0 && git config commit.gpgsign false");
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *f)
{
	return remove(path);
}

static void
teardown(void)
{
	store_close(st);
	st = NULL;
	nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(repo);
	repo = NULL;
	free(cache_path);
	cache_path = NULL;
	unsetenv("PMTOOL_TEST_TIME");
}

/* --- building histories ------------------------------------------------ */

static void
write_file(const char *rel, const char *mode, const char *text)
{
	char	*path;
	FILE	*f;

	path = xasprintf("%s/%s", repo, rel);
	f = fopen(path, mode);
	ck_assert_msg(f != NULL, "cannot open %s", path);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
	free(path);
}

/* Commit everything as who <who@example.com> at T0 + t (author and
 * committer, unless committer is given). */
static void
commit_as(const char *who, long t, const char *msg)
{
	sh("git add -A && GIT_AUTHOR_NAME='%s' GIT_AUTHOR_EMAIL='%s@example.com'"
	    " GIT_AUTHOR_DATE='@%ld +0000' GIT_COMMITTER_NAME='%s'"
	    " GIT_COMMITTER_EMAIL='%s@example.com'"
	    " GIT_COMMITTER_DATE='@%ld +0000' git commit -q --allow-empty"
	    " -m '%s'", who, who, (long)T0 + t, who, who, (long)T0 + t, msg);
}

/* Merge branch as who, by git's own merge (union for timelines). */
static void
merge_as(const char *who, long t, const char *branch)
{
	sh("GIT_AUTHOR_NAME='%s' GIT_AUTHOR_EMAIL='%s@example.com'"
	    " GIT_AUTHOR_DATE='@%ld +0000' GIT_COMMITTER_NAME='%s'"
	    " GIT_COMMITTER_EMAIL='%s@example.com'"
	    " GIT_COMMITTER_DATE='@%ld +0000' git merge -q --no-ff"
	    " --no-edit %s", who, who, (long)T0 + t, who, who, (long)T0 + t,
	    branch);
}

static void
create_incident(const char *who, long t)
{
	sh("mkdir -p incidents/" ID);
	write_file(TL, "w", "pmtool-incident 1\ntitle: Database down\n"
	    "zone: UTC\n\n2024-03-01T11:00:00Z started Writes failing\n");
	commit_as(who, t, "create");
}

/* Append event line n (a distinct text) of kind note. */
static void
append_event(int n)
{
	char	 line[128];

	snprintf(line, sizeof line, "2024-03-01T11:%02d:%02dZ note Event "
	    "number %d of the timeline\n", (n / 60) % 60, n % 60, n);
	write_file(TL, "a", line);
}

static void
append_as(const char *who, long t, int n)
{
	append_event(n);
	commit_as(who, t, "log");
}

/* --- git blame, parsed ------------------------------------------------- */

struct bline {
	char	*author;
	int64_t	 at;
	char	 sha[41];
};

struct blame {
	struct bline	*v;		/* by final line, 1-based */
	size_t		 n;
};

static void
blame_free(struct blame *b)
{
	size_t	 i;

	for (i = 0; i <= b->n; i++)
		free(b->v[i].author);
	free(b->v);
}

/* git blame --porcelain [opts] HEAD -- TL, one entry per line. */
static struct blame
blame_run(const char *opts)
{
	struct blame	 b = { NULL, 0 };
	struct {
		char	 sha[41];
		char	*author;
		int64_t	 at;
	}		*shas = NULL;
	size_t		 nshas = 0, i, cur = 0, cap = 0;
	char		*cmd, line[4096];
	unsigned long	 fin;
	FILE		*p;

	cmd = xasprintf("cd '%s' && git blame --porcelain %s HEAD -- %s",
	    repo, opts, TL);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	while (fgets(line, sizeof line, p) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '\t')
			continue;
		if (strlen(line) > 41 && line[40] == ' ' &&
		    strspn(line, "0123456789abcdef") == 40) {
			ck_assert_int_eq(sscanf(line + 41, "%*u %lu", &fin),
			    1);
			for (cur = 0; cur < nshas; cur++)
				if (memcmp(shas[cur].sha, line, 40) == 0)
					break;
			if (cur == nshas) {
				shas = xreallocarray(shas, ++nshas,
				    sizeof *shas);
				memcpy(shas[cur].sha, line, 40);
				shas[cur].sha[40] = '\0';
				shas[cur].author = NULL;
				shas[cur].at = 0;
			}
			if (fin >= cap) {
				b.v = xreallocarray(b.v, fin + 64,
				    sizeof *b.v);
				memset(b.v + cap, 0, (fin + 64 - cap) *
				    sizeof *b.v);
				cap = fin + 64;
			}
			/* Filled from the sha once its headers are read. */
			memcpy(b.v[fin].sha, line, 41);
			b.v[fin].sha[40] = '\0';
			if (fin > b.n)
				b.n = fin;
		} else if (strncmp(line, "author ", 7) == 0) {
			free(shas[cur].author);
			shas[cur].author = xstrdup(line + 7);
		} else if (strncmp(line, "author-time ", 12) == 0)
			shas[cur].at = strtoll(line + 12, NULL, 10);
	}
	ck_assert_int_eq(pclose(p), 0);
	free(cmd);
	ck_assert_msg(b.n > 0, "git blame printed nothing");
	for (fin = 1; fin <= b.n; fin++)
		for (i = 0; i < nshas; i++)
			if (strcmp(shas[i].sha, b.v[fin].sha) == 0) {
				b.v[fin].author = xstrdup(shas[i].author);
				b.v[fin].at = shas[i].at;
			}
	for (i = 0; i < nshas; i++)
		free(shas[i].author);
	free(shas);
	return b;
}

/* --- checking ------------------------------------------------------------ */

static struct incident *
load(void)
{
	struct incident	*inc = NULL;

	ck_assert_msg(store_load(&inc, st, ID) == 0, "%s", pm_error_last());
	return inc;
}

static void
fill(struct incident *inc, struct attrib_stats *stats)
{
	ck_assert_msg(attrib_fill(st, inc) == 0, "%s", pm_error_last());
	attrib_last_stats(stats);
}

static size_t
check_line(const struct blame *b, const struct event *ev)
{
	const struct bline	*bl;

	ck_assert_msg(ev->line >= 1 && ev->line <= b->n, "line %u of %zu",
	    ev->line, b->n);
	bl = &b->v[ev->line];
	ck_assert_msg(bl->author != NULL, "no blame for line %u", ev->line);
	ck_assert_msg(ev->logged_by != NULL, "line %u (%s): not filled, "
	    "git blame says %s", ev->line, ev->text, bl->author);
	ck_assert_msg(strcmp(ev->logged_by, bl->author) == 0,
	    "line %u (%s): logged by '%s', git blame says '%s' (%s)",
	    ev->line, ev->text, ev->logged_by, bl->author, bl->sha);
	ck_assert_msg(ev->logged_at == bl->at, "line %u: at %lld, git blame "
	    "%lld", ev->line, (long long)ev->logged_at, (long long)bl->at);
	return 1;
}

/* Every line of inc against git blame [opts]; the number compared. */
static size_t
check_all(const struct incident *inc, const char *opts)
{
	struct blame	 b;
	size_t		 i, n = 0;

	b = blame_run(opts);
	for (i = 0; i < inc->nevents; i++)
		n += check_line(&b, &inc->events[i]);
	for (i = 0; i < inc->nretracted; i++)
		n += check_line(&b, &inc->retracted[i]);
	for (i = 0; i < inc->ncorrections; i++)
		n += check_line(&b, &inc->corrections[i].line);
	blame_free(&b);
	return n;
}

/* Load, fill (the cache as it is) and compare every line; then again
 * without a cache file. Returns the stats of the first fill. */
static struct attrib_stats
check_repo(const char *opts, size_t nlines)
{
	struct attrib_stats	 s;
	struct incident		*inc;

	inc = load();
	fill(inc, &s);
	ck_assert_uint_eq(check_all(inc, opts), nlines);
	incident_free(inc);
	return s;
}

static const char *
who_of(const struct incident *inc, const char *text)
{
	size_t	 i;

	for (i = 0; i < inc->nevents; i++)
		if (strcmp(inc->events[i].text, text) == 0)
			return inc->events[i].logged_by;
	ck_abort_msg("no event '%s'", text);
	return NULL;
}

/* --- tests ---------------------------------------------------------------- */

START_TEST(authors_appending)
{
	struct attrib_stats	 s;
	struct incident		*inc;
	static const char *const who[] = { "Alice", "Bob", "Ça Dupré" };
	int			 i;

	create_incident("Alice", 0);
	for (i = 1; i <= 9; i++)
		append_as(who[i % 3], i * 60, i);
	inc = load();
	fill(inc, &s);
	ck_assert_uint_eq(check_all(inc, ""), 10);
	ck_assert_str_eq(who_of(inc, "Event number 2 of the timeline"),
	    "Ça Dupré");
	ck_assert_int_eq(inc->events[0].logged_at, T0);
	ck_assert_int_eq(s.cached, 1);
	ck_assert_int_eq(s.full, 1);
	ck_assert_uint_eq(s.walked, 11);	/* store_init's, and ten */
	ck_assert_uint_eq(s.recorded, 10);
	incident_free(inc);
}
END_TEST

/* The path pmtool itself writes by: store_append(), one commit each. */
START_TEST(store_api_appends)
{
	struct incident	*inc, *one;
	struct event	*ev;
	struct tstamp	 at = { 0, 0, 1 };
	struct civil	 day = { 2024, 3, 1, 0, 0, 0 };
	char		*id = NULL;
	static const char *const who[] = { "Alice", "Bob", "Carol" };
	char		 text[64], when[32];
	int		 i;

	inc = incident_new();
	incident_set(&inc->title, "Database down");
	incident_set(&inc->zone, "UTC");
	ck_assert_msg(store_create(&id, st, inc, &day, NULL, 0) == 0, "%s",
	    pm_error_last());
	incident_free(inc);
	for (i = 0; i < 6; i++) {
		setenv("GIT_AUTHOR_NAME", who[i % 3], 1);
		snprintf(when, sizeof when, "2024-03-01T12:%02d:00Z", i);
		setenv("PMTOOL_TEST_TIME", when, 1);
		one = incident_new();
		at.t = T0 + i;
		snprintf(text, sizeof text, "Step %d", i);
		ev = incident_add_event(one, at, EV_ACTION, ST_NONE, text);
		ck_assert_msg(store_append(st, id, ev) == 0, "%s",
		    pm_error_last());
		incident_free(one);
	}
	ck_assert_msg(store_load(&inc, st, id) == 0, "%s", pm_error_last());
	ck_assert_int_eq(attrib_fill(st, inc), 0);
	ck_assert_uint_eq(inc->nevents, 6);
	for (i = 0; i < 6; i++) {
		ck_assert_str_eq(inc->events[i].logged_by, who[i % 3]);
		ck_assert_int_eq(inc->events[i].logged_at, T0 + 3600 + i * 60);
	}
	incident_free(inc);
	free(id);
}
END_TEST

/* A branch merged by a third person: each line belongs to the one who
 * wrote it, not to the merger. Union merge, both sides adding lines. */
START_TEST(merge_keeps_original_author)
{
	struct attrib_stats	 s;
	struct incident		*inc;
	size_t			 i;

	create_incident("Alice", 0);
	append_as("Alice", 60, 1);
	sh("git checkout -q -b side");
	append_as("Bob", 120, 2);
	append_as("Bob", 180, 3);
	sh("git checkout -q -");
	append_as("Alice", 150, 4);
	append_as("Alice", 200, 5);
	merge_as("Mallory Merger", 300, "side");
	append_as("Carol", 400, 6);
	s = check_repo("", 7);
	ck_assert_int_eq(s.full, 1);
	/* The merge introduced nothing: each line was recorded once. */
	ck_assert_uint_eq(s.recorded, 7);
	inc = load();
	fill(inc, &s);
	ck_assert_uint_eq(s.walked, 0);
	for (i = 0; i < inc->nevents; i++)
		ck_assert_str_ne(inc->events[i].logged_by, "Mallory Merger");
	ck_assert_str_eq(who_of(inc, "Event number 3 of the timeline"),
	    "Bob");
	incident_free(inc);
	/* The same without any cache file. */
	ck_assert_int_eq(unlink(cache_path), 0);
	s = check_repo("", 7);
	ck_assert_int_eq(s.full, 1);
}
END_TEST

/* Two branches, each merged, and a merge of a merge; lines written on
 * both sides at the same moment by different people. */
START_TEST(union_merges_both_sides)
{
	int	 i;

	create_incident("Alice", 0);
	sh("git checkout -q -b trunk && git branch a && git branch b &&"
	    " git branch c && git checkout -q a");
	for (i = 1; i <= 4; i++)
		append_as("Bob", 10 * i, i);
	sh("git checkout -q b");
	for (i = 11; i <= 14; i++)
		append_as("Carol", 10 * i, i);
	sh("git checkout -q c");
	append_as("Dave", 5, 21);
	merge_as("Erin", 500, "a");	/* c gets a */
	append_as("Dave", 510, 22);
	sh("git checkout -q trunk");
	merge_as("Mallory", 600, "b");	/* fast-forward refused: --no-ff */
	merge_as("Mallory", 700, "c");	/* a merge of a merge */
	append_as("Alice", 800, 30);
	check_repo("", 1 + 4 + 4 + 2 + 1);
	/* Incremental: the cache from the first fill, two more merges. */
	sh("git checkout -q -b d HEAD~1");
	append_as("Frank", 900, 40);
	sh("git checkout -q trunk");
	append_as("Alice", 910, 41);
	merge_as("Mallory", 950, "d");
	ck_assert_int_eq(check_repo("", 14).full, 0);
}
END_TEST

/* A hand edit that only reorders lines: git blame -M follows moved
 * lines; so does attrib, by reference. */
START_TEST(reordered_lines)
{
	struct incident	*inc;
	struct attrib_stats s;

	create_incident("Alice", 0);
	append_as("Bob", 60, 1);
	append_as("Carol", 120, 2);
	append_as("Dave", 180, 3);
	write_file(TL, "w", "pmtool-incident 1\ntitle: Database down\n"
	    "zone: UTC\n\n"
	    "2024-03-01T11:00:03Z note Event number 3 of the timeline\n"
	    "2024-03-01T11:00:00Z started Writes failing\n"
	    "2024-03-01T11:00:02Z note Event number 2 of the timeline\n"
	    "2024-03-01T11:00:01Z note Event number 1 of the timeline\n");
	commit_as("Erin", 240, "reorder");
	s = check_repo("-M", 4);
	inc = load();
	fill(inc, &s);
	ck_assert_str_eq(who_of(inc, "Event number 3 of the timeline"),
	    "Dave");
	ck_assert_str_eq(who_of(inc, "Writes failing"), "Alice");
	incident_free(inc);
}
END_TEST

/* A line deleted and added again by someone else: git blame names the
 * one who added it last; so does attrib (it follows the line). */
START_TEST(line_removed_and_readded)
{
	create_incident("Alice", 0);
	append_as("Bob", 60, 1);
	append_as("Bob", 120, 2);
	sh("sed -i '/Event number 1 /d' %s", TL);
	commit_as("Carol", 180, "drop");
	append_as("Dave", 240, 1);
	check_repo("", 3);
	/* And by a merge of a branch where it stayed. */
	sh("git checkout -q -b old HEAD~2");
	append_as("Erin", 300, 5);
	sh("git checkout -q -");
	merge_as("Mallory", 400, "old");
	check_repo("", 4);
	ck_assert_int_eq(unlink(cache_path), 0);
	check_repo("", 4);
}
END_TEST

START_TEST(uncommitted_line)
{
	struct attrib_stats	 s;
	struct incident		*inc;

	create_incident("Alice", 0);
	append_as("Bob", 60, 1);
	append_event(2);	/* written, not committed */
	inc = load();
	ck_assert_uint_eq(inc->nevents, 3);
	fill(inc, &s);
	ck_assert_str_eq(who_of(inc, "Event number 1 of the timeline"),
	    "Bob");
	ck_assert_ptr_null(inc->events[2].logged_by);
	ck_assert_int_eq(inc->events[2].logged_at, 0);
	/* Values held before are replaced. */
	fill(inc, &s);
	ck_assert_ptr_null(inc->events[2].logged_by);
	ck_assert_str_eq(inc->events[0].logged_by, "Alice");
	incident_free(inc);
}
END_TEST

/* A repository without any commit: every line NULL and 0. */
START_TEST(empty_repository)
{
	struct attrib_stats	 s;
	struct store		*st2 = NULL;
	struct incident		*inc;
	char			*dir;

	dir = xasprintf("%s/empty", tmpdir);
	ck_assert_int_eq(mkdir(dir, 0777), 0);
	free(repo);
	repo = dir;
	sh("git init -q . && touch .pmtool && mkdir -p incidents/" ID);
	write_file(TL, "w", "pmtool-incident 1\ntitle: T\nzone: UTC\n\n"
	    "2024-03-01T11:00:00Z started Writes failing\n");
	ck_assert_msg(store_open(&st2, dir) == 0, "%s", pm_error_last());
	ck_assert_msg(store_load(&inc, st2, ID) == 0, "%s", pm_error_last());
	incident_set(&inc->events[0].logged_by, "stale");
	inc->events[0].logged_at = 42;
	ck_assert_int_eq(attrib_fill(st2, inc), 0);
	attrib_last_stats(&s);
	ck_assert_ptr_null(inc->events[0].logged_by);
	ck_assert_int_eq(inc->events[0].logged_at, 0);
	ck_assert_uint_eq(s.walked, 0);
	incident_free(inc);
	store_close(st2);
}
END_TEST

/* An incident with no timeline in HEAD (created, never committed). */
START_TEST(incident_not_committed)
{
	struct incident	*inc;
	struct attrib_stats s;

	create_incident("Alice", 0);
	sh("git mv incidents/" ID " incidents/other && git commit -q -m mv"
	    " && cp -r incidents/other incidents/" ID);
	inc = load();
	fill(inc, &s);
	ck_assert_ptr_null(inc->events[0].logged_by);
	incident_free(inc);
}
END_TEST

START_TEST(cache_incremental)
{
	struct attrib_stats	 s;
	int			 i;

	create_incident("Alice", 0);
	for (i = 1; i <= 20; i++)
		append_as(i % 2 ? "Bob" : "Carol", 60 * i, i);
	s = check_repo("", 21);
	ck_assert_int_eq(s.cached, 1);
	ck_assert_int_eq(s.full, 1);
	ck_assert_uint_eq(s.walked, 22);
	ck_assert_int_eq(access(cache_path, F_OK), 0);
	/* Second call: nothing to walk. */
	s = check_repo("", 21);
	ck_assert_int_eq(s.cached, 1);
	ck_assert_int_eq(s.full, 0);
	ck_assert_uint_eq(s.walked, 0);
	ck_assert_uint_eq(s.parsed, 0);	/* HEAD's lines kept too */
	/* Two new commits: only they are walked. */
	append_as("Dave", 2000, 30);
	append_as("Erin", 2100, 31);
	s = check_repo("", 23);
	ck_assert_int_eq(s.cached, 1);
	ck_assert_int_eq(s.full, 0);
	ck_assert_uint_eq(s.walked, 2);
	ck_assert_uint_eq(s.recorded, 2);
	s = check_repo("", 23);
	ck_assert_uint_eq(s.walked, 0);
}
END_TEST

/* Another incident changed: walked, the lines of this one unchanged. */
START_TEST(cache_other_incident)
{
	struct attrib_stats	 s;

	create_incident("Alice", 0);
	append_as("Bob", 60, 1);
	check_repo("", 2);
	sh("mkdir incidents/other && cp %s incidents/other/", TL);
	commit_as("Carol", 120, "other");
	s = check_repo("", 2);
	ck_assert_uint_eq(s.walked, 1);
	ck_assert_uint_eq(s.recorded, 2);	/* other's lines, cached */
}
END_TEST

/* History rewritten and the old commits pruned: the watermark is gone,
 * the cache starts over. */
START_TEST(cache_watermark_gone)
{
	struct attrib_stats	 s;

	create_incident("Alice", 0);
	append_as("Bob", 60, 1);
	append_as("Bob", 120, 2);
	check_repo("", 3);
	sh("git reset -q --hard HEAD~1");
	append_as("Carol", 180, 2);
	sh("git reflog expire --expire=now --all && git gc -q --prune=now");
	s = check_repo("", 3);
	ck_assert_int_eq(s.full, 1);
	s = check_repo("", 3);
	ck_assert_uint_eq(s.walked, 0);
}
END_TEST

/* Another branch checked out: its own commits walked, the answer its. */
START_TEST(cache_other_branch)
{
	struct incident		*inc;
	struct attrib_stats	 s;

	create_incident("Alice", 0);
	append_as("Bob", 60, 1);
	sh("git checkout -q -b side HEAD~1");
	append_as("Carol", 120, 1);	/* the same line, by someone else */
	check_repo("", 2);
	sh("git checkout -q -");
	s = check_repo("", 2);
	ck_assert_uint_eq(s.walked, 1);
	inc = load();
	fill(inc, &s);
	ck_assert_str_eq(who_of(inc, "Event number 1 of the timeline"),
	    "Bob");
	incident_free(inc);
	sh("git checkout -q side");
	inc = load();
	fill(inc, &s);
	ck_assert_uint_le(s.walked, 1);
	ck_assert_str_eq(who_of(inc, "Event number 1 of the timeline"),
	    "Carol");
	incident_free(inc);
}
END_TEST

static void
cache_write(const char *bytes, size_t len)
{
	FILE	*f;

	f = fopen(cache_path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(bytes, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

static void
cache_remove_all(void)
{
	char	*p;

	unlink(cache_path);
	p = xasprintf("%s-wal", cache_path);
	unlink(p);
	free(p);
	p = xasprintf("%s-shm", cache_path);
	unlink(p);
	free(p);
}

START_TEST(cache_deleted)
{
	struct attrib_stats	 s;

	create_incident("Alice", 0);
	append_as("Bob", 60, 1);
	check_repo("", 2);
	cache_remove_all();
	s = check_repo("", 2);
	ck_assert_int_eq(s.cached, 1);
	ck_assert_int_eq(s.full, 1);
	ck_assert_int_eq(access(cache_path, F_OK), 0);
	/* The folder too. */
	sh("rm -rf .git/pmtool");
	s = check_repo("", 2);
	ck_assert_int_eq(s.cached, 1);
	ck_assert_int_eq(s.full, 1);
	s = check_repo("", 2);
	ck_assert_uint_eq(s.walked, 0);
}
END_TEST

START_TEST(cache_corrupt)
{
	struct attrib_stats	 s;
	static const char	 junk[] = "this is not an sqlite file at all,"
	    " only some text where the cache should be ..................";
	char			*page;
	FILE			*f;

	create_incident("Alice", 0);
	append_as("Bob", 60, 1);
	check_repo("", 2);
	cache_remove_all();
	cache_write(junk, sizeof junk);
	s = check_repo("", 2);
	ck_assert_int_eq(s.rebuilt, 1);
	ck_assert_int_eq(s.cached, 1);
	s = check_repo("", 2);
	ck_assert_int_eq(s.rebuilt, 0);
	ck_assert_uint_eq(s.walked, 0);
	/* A valid header, its pages overwritten with noise. */
	append_as("Carol", 120, 2);
	check_repo("", 3);
	sh("sqlite3 %s 'PRAGMA wal_checkpoint(TRUNCATE)' 2>/dev/null || true",
	    cache_path);
	page = xmalloc(4096);
	memset(page, 0xa5, 4096);
	f = fopen(cache_path, "r+b");
	ck_assert_ptr_nonnull(f);
	fseek(f, 4096, SEEK_SET);
	fwrite(page, 1, 4096, f);
	fwrite(page, 1, 4096, f);
	fclose(f);
	free(page);
	append_as("Dave", 180, 3);
	s = check_repo("", 4);
	ck_assert_int_eq(s.cached, 1);
	ck_assert_int_eq(s.rebuilt, 1);
	s = check_repo("", 4);
	ck_assert_uint_eq(s.walked, 0);
	/* An empty file. */
	cache_remove_all();
	cache_write("", 0);
	s = check_repo("", 4);
	ck_assert_int_eq(s.cached, 1);
}
END_TEST

START_TEST(cache_unknown_version)
{
	struct attrib_stats	 s;
	sqlite3			*db;

	create_incident("Alice", 0);
	append_as("Bob", 60, 1);
	check_repo("", 2);
	ck_assert_int_eq(sqlite3_open(cache_path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "PRAGMA user_version = 99", NULL,
	    NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	s = check_repo("", 2);
	ck_assert_int_eq(s.rebuilt, 1);
	ck_assert_int_eq(s.full, 1);
	s = check_repo("", 2);
	ck_assert_int_eq(s.rebuilt, 0);
	ck_assert_uint_eq(s.walked, 0);
	/* Some other database of version 0 in its place. */
	cache_remove_all();
	ck_assert_int_eq(sqlite3_open(cache_path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "CREATE TABLE intro (x);"
	    " CREATE TABLE state (y)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	s = check_repo("", 2);
	ck_assert_int_eq(s.cached, 1);
	s = check_repo("", 2);
	ck_assert_uint_eq(s.walked, 0);
}
END_TEST

/* Rows of the cache that lie (a wrong author): the watermark says they
 * are trusted, so this shows the answer comes from the cache. */
START_TEST(cache_is_used)
{
	struct incident		*inc;
	struct attrib_stats	 s;
	sqlite3			*db;

	create_incident("Alice", 0);
	append_as("Bob", 60, 1);
	check_repo("", 2);
	ck_assert_int_eq(sqlite3_open(cache_path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "UPDATE intro SET author ="
	    " 'Cached Name'", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	inc = load();
	fill(inc, &s);
	ck_assert_str_eq(inc->events[1].logged_by, "Cached Name");
	incident_free(inc);
}
END_TEST

/* A cache that cannot be written is not an error. */
START_TEST(cache_unwritable)
{
	struct attrib_stats	 s;
	sqlite3			*db;

	create_incident("Alice", 0);
	append_as("Bob", 60, 1);
	/* Its place taken by a folder: no cache at all. */
	sh("mkdir -p .git/pmtool/attrib.sqlite");
	s = check_repo("", 2);
	ck_assert_int_eq(s.cached, 0);
	ck_assert_int_eq(s.full, 1);
	/* The folder a file: the same. */
	sh("rm -rf .git/pmtool && touch .git/pmtool");
	s = check_repo("", 2);
	ck_assert_int_eq(s.cached, 0);
	sh("rm -f .git/pmtool");
	/* Locked by another writer: read, not written, still right. */
	check_repo("", 2);
	append_as("Carol", 120, 2);
	ck_assert_int_eq(sqlite3_open(cache_path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "BEGIN EXCLUSIVE", NULL, NULL,
	    NULL), SQLITE_OK);
	s = check_repo("", 3);
	ck_assert_uint_eq(s.walked, 1);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
	s = check_repo("", 3);
	ck_assert_uint_eq(s.walked, 1);	/* the watermark did not move */
	s = check_repo("", 3);
	ck_assert_uint_eq(s.walked, 0);
}
END_TEST

/* Names go through .mailmap, as git blame's do. */
START_TEST(mailmap_names)
{
	struct incident		*inc;
	struct attrib_stats	 s;

	create_incident("Alice", 0);
	append_as("bob", 60, 1);
	append_as("Carol", 120, 2);
	write_file(".mailmap", "w",
	    "Robert Smith <bob@example.com>\n"
	    "Carol Jones <carol@example.com> <Carol@example.com>\n");
	commit_as("Alice", 180, "mailmap");
	inc = load();
	fill(inc, &s);
	ck_assert_uint_eq(check_all(inc, ""), 3);
	ck_assert_str_eq(who_of(inc, "Event number 1 of the timeline"),
	    "Robert Smith");
	ck_assert_str_eq(who_of(inc, "Event number 2 of the timeline"),
	    "Carol Jones");
	incident_free(inc);
}
END_TEST

/* Corrections' lines and withdrawn events are filled too. */
START_TEST(corrections_and_withdrawn)
{
	struct incident		*inc;
	struct attrib_stats	 s;
	char			 line[256];
	char			 r1[EVENT_REF_LEN + 1], r2[EVENT_REF_LEN + 1];

	create_incident("Alice", 0);
	append_as("Bob", 60, 1);
	append_as("Bob", 120, 2);
	inc = load();
	memcpy(r1, inc->events[1].ref, sizeof r1);
	memcpy(r2, inc->events[2].ref, sizeof r2);
	incident_free(inc);
	snprintf(line, sizeof line, "2024-03-01T12:00:00Z retract %s "
	    "Logged twice\n", r1);
	write_file(TL, "a", line);
	commit_as("Carol", 180, "retract");
	snprintf(line, sizeof line, "2024-03-01T12:01:00Z amend %s "
	    "at=2024-03-01T11:30:00Z -- The clock was wrong\n", r2);
	write_file(TL, "a", line);
	commit_as("Dave", 240, "amend");
	inc = load();
	ck_assert_uint_eq(inc->nretracted, 1);
	ck_assert_uint_eq(inc->ncorrections, 2);
	fill(inc, &s);
	ck_assert_uint_eq(check_all(inc, ""), 5);
	ck_assert_str_eq(inc->retracted[0].logged_by, "Bob");
	ck_assert_str_eq(inc->corrections[0].line.logged_by, "Carol");
	ck_assert_str_eq(inc->corrections[1].line.logged_by, "Dave");
	ck_assert_int_eq(inc->corrections[1].line.logged_at, T0 + 240);
	incident_free(inc);
	/* Without the cache. */
	cache_remove_all();
	sh("mkdir -p .git/pmtool/attrib.sqlite");
	inc = load();
	fill(inc, &s);
	ck_assert_int_eq(s.cached, 0);
	ck_assert_uint_eq(check_all(inc, ""), 5);
	incident_free(inc);
}
END_TEST

/* A version that does not parse (a bad hand edit, fixed later): its
 * lines are those before it; the fix introduces only what is new. */
START_TEST(unparsed_version)
{
	int	 i;

	create_incident("Alice", 0);
	append_as("Bob", 60, 1);
	write_file(TL, "a", "garbage line\n");
	commit_as("Carol", 120, "broken");
	for (i = 0; i < 10; i++) {
		write_file(TL, "a", "more garbage\n");
		commit_as("Carol", 130 + i, "broken");
	}
	sh("grep -v garbage %s > x && mv x %s", TL, TL);
	append_event(2);
	commit_as("Dave", 180, "fix");
	check_repo("", 3);
	cache_remove_all();
	sh("mkdir -p .git/pmtool/attrib.sqlite");
	check_repo("", 3);
}
END_TEST

/* A line appended twice (the second copy is a line of its own, as for
 * git blame), and continuation lines added to the last event: that
 * event is then a new line as a whole (attrib.c: where it differs from
 * git blame). */
START_TEST(appended_copies_and_continuations)
{
	struct incident	*inc;
	struct attrib_stats s;
	size_t		 i, n = 0;

	create_incident("Alice", 0);
	append_as("Bob", 60, 1);
	append_as("Carol", 120, 2);
	append_as("Dave", 180, 1);	/* a copy of Bob's line */
	append_as("Erin", 240, 1);	/* and another */
	check_repo("", 5);
	inc = load();
	fill(inc, &s);
	for (i = 0; i < inc->nevents; i++)
		if (strcmp(inc->events[i].text,
		    "Event number 1 of the timeline") == 0)
			n |= 1u << (inc->events[i].logged_by[0] - 'A');
	ck_assert_uint_eq(n, (1u << 1) | (1u << 3) | (1u << 4));
	incident_free(inc);
	write_file(TL, "a", "  and a second line\n");
	commit_as("Frank", 300, "more text");
	inc = load();
	fill(inc, &s);
	ck_assert_str_eq(who_of(inc, "Event number 1 of the timeline\n"
	    "and a second line"), "Frank");
	ck_assert_str_eq(who_of(inc, "Event number 2 of the timeline"),
	    "Carol");
	incident_free(inc);
	cache_remove_all();
	inc = load();
	fill(inc, &s);
	ck_assert_str_eq(who_of(inc, "Event number 1 of the timeline\n"
	    "and a second line"), "Frank");
	incident_free(inc);
}
END_TEST

/* An octopus merge of more branches than the walk keeps trees open. */
START_TEST(octopus_merge)
{
	static const char *const who[] = { "Ann", "Ben", "Cat", "Dan", "Eve",
	    "Fay", "Gus", "Hal", "Ivy", "Jon" };
	char	 names[256];
	size_t	 len = 0;
	int	 i;

	create_incident("Alice", 0);
	sh("git checkout -q -b trunk");
	for (i = 0; i < 10; i++) {
		sh("git checkout -q -b o%d trunk", i);
		append_as(who[i], 60 + i, 10 + i);
		len += (size_t)snprintf(names + len, sizeof names - len,
		    " o%d", i);
	}
	/* git's octopus strategy does not run merge drivers: the union of
	 * the ten, committed by hand. */
	sh("git checkout -q trunk");
	for (i = 0; i < 10; i++)
		append_event(10 + i);
	sh("git add -A && c=$(GIT_AUTHOR_NAME=Mallory"
	    " GIT_AUTHOR_EMAIL=m@example.com GIT_COMMITTER_NAME=Mallory"
	    " GIT_COMMITTER_EMAIL=m@example.com git commit-tree"
	    " $(git write-tree) -p HEAD $(for b in %s; do printf ' -p %%s' $b;"
	    " done) -m octopus) && git reset -q --hard $c", names);
	sh("test $(git rev-list --parents -n 1 HEAD | wc -w) = 12");
	check_repo("", 11);
	cache_remove_all();
	sh("mkdir -p .git/pmtool/attrib.sqlite");
	check_repo("", 11);
}
END_TEST

/* A broken version brought back by a revert, then fixed again. */
START_TEST(unparsed_version_reverted)
{
	create_incident("Alice", 0);
	append_as("Bob", 60, 1);
	write_file(TL, "a", "garbage line\n");
	commit_as("Carol", 120, "broken");
	sh("grep -v garbage %s > x && mv x %s", TL, TL);
	append_event(2);
	commit_as("Dave", 180, "fix");
	sh("GIT_AUTHOR_NAME=Erin GIT_AUTHOR_EMAIL=e@example.com"
	    " GIT_COMMITTER_NAME=Erin GIT_COMMITTER_EMAIL=e@example.com"
	    " git revert --no-edit HEAD");
	sh("grep -v garbage %s > x && mv x %s", TL, TL);
	append_event(2);
	append_event(3);
	commit_as("Frank", 300, "fix again");
	check_repo("", 4);
	cache_remove_all();
	sh("mkdir -p .git/pmtool/attrib.sqlite");
	check_repo("", 4);
}
END_TEST

/* A shallow clone: the boundary commit holds every line it has, as git
 * blame says (libgit2 cannot walk past the boundary by itself). */
START_TEST(shallow_clone)
{
	struct attrib_stats	 s;
	struct store		*orig = st;
	char			*dir;
	int			 i;

	create_incident("Alice", 0);
	for (i = 1; i <= 8; i++)
		append_as(i % 2 ? "Bob" : "Carol", 60 * i, i);
	dir = xasprintf("%s/shallow", tmpdir);
	sh("git clone -q --depth 3 file://%s %s", repo, dir);
	free(repo);
	repo = dir;
	sh("test -f .git/shallow && git config gc.auto 0");
	ck_assert_msg(store_open(&st, repo) == 0, "%s", pm_error_last());
	free(cache_path);
	cache_path = xasprintf("%s%s/%s", store_gitdir(st), ATTRIB_DIR,
	    ATTRIB_FILE);
	s = check_repo("", 9);
	ck_assert_uint_eq(s.walked, 3);
	ck_assert_int_eq(s.full, 1);
	append_as("Dave", 1000, 20);
	s = check_repo("", 10);
	ck_assert_uint_eq(s.walked, 1);
	ck_assert_int_eq(s.full, 0);
	cache_remove_all();
	sh("mkdir -p .git/pmtool/attrib.sqlite");
	s = check_repo("", 10);
	ck_assert_int_eq(s.cached, 0);
	store_close(st);
	st = orig;
}
END_TEST

/* Multi-line events, two incidents and many commits: the whole file
 * against git blame. */
START_TEST(long_history)
{
	char	 line[160];
	size_t	 n = 1;
	int	 i;

	create_incident("Alice", 0);
	for (i = 1; i <= 120; i++, n++) {
		if (i % 7 == 0) {
			snprintf(line, sizeof line, "2024-03-01T12:%02d:00Z "
			    "status update Update %d\n  second line\n", i % 60,
			    i);
			write_file(TL, "a", line);
			commit_as(i % 3 ? "Bob" : "Carol", i * 10, "st");
		} else if (i % 10 == 0) {
			sh("git checkout -q -b b%d", i);
			append_as("Dave", i * 10 + 1, 1000 + i);
			sh("git checkout -q -");
			append_as("Erin", i * 10 + 2, 2000 + i);
			snprintf(line, sizeof line, "b%d", i);
			merge_as("Mallory", i * 10 + 5, line);
			n++;
		} else
			append_as(i % 2 ? "Bob" : "Ça", i * 10, i);
		if (i % 40 == 0)
			check_repo("", n + 1);
	}
}
END_TEST

Suite *
attrib_suite(void)
{
	Suite	*s = suite_create("attrib");
	TCase	*tc = tcase_create("attrib");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, authors_appending);
	tcase_add_test(tc, store_api_appends);
	tcase_add_test(tc, merge_keeps_original_author);
	tcase_add_test(tc, union_merges_both_sides);
	tcase_add_test(tc, reordered_lines);
	tcase_add_test(tc, line_removed_and_readded);
	tcase_add_test(tc, uncommitted_line);
	tcase_add_test(tc, empty_repository);
	tcase_add_test(tc, incident_not_committed);
	tcase_add_test(tc, cache_incremental);
	tcase_add_test(tc, cache_other_incident);
	tcase_add_test(tc, cache_watermark_gone);
	tcase_add_test(tc, cache_other_branch);
	tcase_add_test(tc, cache_deleted);
	tcase_add_test(tc, cache_corrupt);
	tcase_add_test(tc, cache_unknown_version);
	tcase_add_test(tc, cache_is_used);
	tcase_add_test(tc, cache_unwritable);
	tcase_add_test(tc, mailmap_names);
	tcase_add_test(tc, corrections_and_withdrawn);
	tcase_add_test(tc, unparsed_version);
	tcase_add_test(tc, appended_copies_and_continuations);
	tcase_add_test(tc, octopus_merge);
	tcase_add_test(tc, unparsed_version_reverted);
	tcase_add_test(tc, shallow_clone);
	tcase_add_test(tc, long_history);
	suite_add_tcase(s, tc);
	return s;
}
