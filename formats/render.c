/* render.c - an incident through a template: the document, the
 * templates and their partials. */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "actfile.h"
#include "analysis.h"
#include "config.h"
#include "error.h"
#include "incdoc.h"
#include "mdhtml.h"
#include "lex.h"
#include "render.h"
#include "utf8.h"
#include "xmalloc.h"
#include "zone.h"

#define TEMPLATE_EXT	".mustache"

/* A template read into memory, and the folder its partials come from. */
void
template_free(struct template *t)
{
	free(t->path);
	free(t->dir);
	free(t->text);
	memset(t, 0, sizeof *t);
}

/* A template is UTF-8 text: a NUL would cut it short unseen, invalid
 * bytes would reach the output. */
static int
check_template_text(const char *path, const char *s, size_t len)
{
	const char	*why, *line = s, *nl;
	size_t		 bad;
	unsigned	 lineno = 1;

	if (utf8_check_text(s, len, "\t\n\r", &bad, &why) == 0)
		return 0;
	while ((nl = memchr(line, '\n', len - (size_t)(line - s))) != NULL &&
	    (size_t)(nl - s) < bad) {
		line = nl + 1;
		lineno++;
	}
	nl = memchr(line, '\n', len - (size_t)(line - s));
	return lex_error(path, lineno, line, nl != NULL ? (size_t)(nl - line) :
	    len - (size_t)(line - s), bad - (size_t)(line - s), "%s", why);
}

static int
slurp(char **out, size_t *len, const char *path)
{
	struct buf	 b = BUF_INIT;
	FILE		*f;
	char		 chunk[8192];
	size_t		 n;

	if ((f = fopen(path, "rb")) == NULL)
		return pm_error_sys("%s", path);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	if (ferror(f)) {
		fclose(f);
		buf_free(&b);
		return pm_error_sys("%s: read error", path);
	}
	fclose(f);
	if (check_template_text(path, buf_str(&b), b.len) < 0) {
		buf_free(&b);
		return -1;
	}
	*len = b.len;
	*out = buf_detach(&b);
	return 0;
}

/* Template and partial names: letters, digits, '-', '_' and '.', not
 * starting with '.': never a path, so never outside the folder. */
static int
name_safe(const char *name)
{
	const char	*p;

	if (*name == '\0' || *name == '.' || strlen(name) > 100)
		return 0;
	for (p = name; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		    *p == '.'))
			return 0;
	return strstr(name, "..") == NULL;
}

/* A regular file, not a symbolic link: links could lead anywhere. */
static int
plain_file(const char *path)
{
	struct stat	 sb;

	return lstat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* The store's templates/ folder, if it has one, is a real folder: a link
 * there could lead templates from anywhere. */
static int
store_templates_ok(struct store *st)
{
	struct stat	 sb;
	char		*dir = xasprintf("%s/templates", store_root(st));
	int		 ok;

	ok = lstat(dir, &sb) == 0 && S_ISDIR(sb.st_mode);
	free(dir);
	return ok;
}

static char *
dir_of(const char *path)
{
	const char	*slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* Where shipped templates are: $PMTOOL_TEMPLATES, beside the binary (a
 * build tree), then the installed data folder. */
static void
shipped_dirs(char *dirs[3])
{
	const char	*env;
	char		 exe[4096];
	ssize_t		 n;

	memset(dirs, 0, 3 * sizeof *dirs);
	env = getenv("PMTOOL_TEMPLATES");
	if (env != NULL && *env != '\0')
		dirs[0] = xstrdup(env);
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		char	*d;

		exe[n] = '\0';
		d = dir_of(exe);
		dirs[1] = xasprintf("%s/templates", d);
		free(d);
	}
	dirs[2] = xstrdup(PM_DATADIR "/templates");
}

int
template_load(struct template *t, struct store *st, const char *spec)
{
	char	*dirs[3], *cand;
	size_t	 i;
	int	 rc = -1;

	memset(t, 0, sizeof *t);
	if (strlen(spec) > strlen(TEMPLATE_EXT) && strcmp(spec +
	    strlen(spec) - strlen(TEMPLATE_EXT), TEMPLATE_EXT) == 0) {
		/* A file the user names: only ever a .mustache one. */
		t->path = xstrdup(spec);
	} else {
		if (!name_safe(spec))
			return pm_error_set("bad template name '%s': use a "
			    "name such as postmortem, or a path to a .mustache "
			    "file", spec);
		/* The store's own templates override the shipped ones. */
		if (st != NULL && store_templates_ok(st)) {
			cand = xasprintf("%s/templates/%s%s", store_root(st),
			    spec, TEMPLATE_EXT);
			if (plain_file(cand))
				t->path = cand;
			else
				free(cand);
		}
		shipped_dirs(dirs);
		for (i = 0; i < 3; i++) {
			if (t->path == NULL && dirs[i] != NULL) {
				cand = xasprintf("%s/%s%s", dirs[i], spec,
				    TEMPLATE_EXT);
				if (plain_file(cand))
					t->path = cand;
				else
					free(cand);
			}
			free(dirs[i]);
		}
		if (t->path == NULL)
			return pm_error_set("no template '%s' (shipped: "
			    "postmortem, status-summary, exec-summary; a "
			    "store's own go in templates/NAME%s)", spec,
			    TEMPLATE_EXT);
	}
	if (slurp(&t->text, &t->len, t->path) < 0)
		goto out;
	t->dir = dir_of(t->path);
	rc = 0;
out:
	if (rc < 0)
		template_free(t);
	return rc;
}

/* Partials are NAME.mustache beside the template, and nowhere else. */
static int
partial_from_dir(void *ctx, const char *name, char **out, size_t *len)
{
	const char	*dir = ctx;
	char		*path;
	int		 rc;

	if (!name_safe(name))
		return pm_error_set("bad partial name '%s': partials are "
		    "NAME.mustache files beside the template", name);
	path = xasprintf("%s/%s%s", dir, name, TEMPLATE_EXT);
	if (!plain_file(path)) {
		free(path);
		return 1;
	}
	rc = slurp(out, len, path);
	free(path);
	return rc;
}

/* The analysis of inc, when it has one written: 0 with *have set. */
static int
load_analysis(struct analysis *out, int *have, struct store *st,
    const struct incident *inc)
{
	struct buf	 b = BUF_INIT;
	char		*name;
	int		 exists, rc;

	*have = 0;
	if (store_read_file(&b, &exists, st, inc->id,
	    ANALYSIS_FILE) < 0)
		return -1;
	if (!exists) {
		buf_free(&b);
		return 0;
	}
	name = xasprintf("%s/%s/%s", STORE_INCIDENTS, inc->id, ANALYSIS_FILE);
	rc = analysis_parse(out, name, buf_str(&b), b.len);
	*have = rc == 0;
	free(name);
	buf_free(&b);
	return rc;
}

int
render_actions_json(json_t **out, struct store *st,
    const struct incident *inc,
    int64_t now)
{
	struct action_list	 list = { NULL, 0 };
	struct buf		 b = BUF_INIT;
	struct civil		 today;
	int32_t			 off;
	json_t			*arr;
	char			*name;
	size_t			 i;
	int			 exists;

	if (store_read_file(&b, &exists, st, inc->id, ACTFILE_NAME) < 0)
		return -1;
	arr = json_array();
	if (exists) {
		name = xasprintf("%s/%s/actions.txt", STORE_INCIDENTS, inc->id);
		if (actfile_parse(&list, name, buf_str(&b), b.len) < 0) {
			free(name);
			buf_free(&b);
			json_decref(arr);
			return -1;
		}
		free(name);
		if (zone_offset_at(&off, inc->zone, now, NULL) < 0) {
			action_list_free(&list);
			buf_free(&b);
			json_decref(arr);
			return -1;
		}
		civil_from_time(&today, now, off);
		for (i = 0; i < list.n; i++)
			json_array_append_new(arr, actjson_action(&list.items[i],
			    inc->id, &today));
		action_list_free(&list);
	}
	buf_free(&b);
	*out = arr;
	return 0;
}

int
render_document(json_t **out, struct store *st, const struct incident *inc)
{
	struct incdoc_input	 in;
	struct analysis		 a;
	struct config		 cfg;
	json_t			*actions = NULL;
	int			 have_analysis = 0, rc = -1;

	in.inc = inc;
	in.now = tstamp_now();
	if (config_load(&cfg, store_root(st)) < 0)
		return -1;
	in.cadence_s = cfg.cadence_s;
	in.backfill_s = cfg.backfill_s;
	if (load_analysis(&a, &have_analysis, st, inc) < 0)
		return -1;
	in.analysis = have_analysis ? &a : NULL;
	if (render_actions_json(&actions, st, inc, in.now) < 0)
		goto out;
	in.actions = actions;
	if ((*out = incdoc_build(&in)) != NULL)
		rc = 0;
out:
	json_decref(actions);
	if (have_analysis)
		analysis_free(&a);
	return rc;
}

int
template_render(char **out, const struct template *t, json_t *data,
    enum mustache_escape escape)
{
	return mustache_render_escaped(out, t->path, t->text, t->len, data,
	    partial_from_dir, t->dir, escape);
}

int
render_incident(char **out, struct store *st, const struct incident *inc,
    const char *spec, int html)
{
	struct template	 t;
	json_t		*data = NULL;
	char		*md = NULL;
	int		 rc = -1;

	memset(&t, 0, sizeof t);
	if (render_document(&data, st, inc) < 0 ||
	    template_load(&t, st, spec) < 0 ||
	    template_render(&md, &t, data, MUSTACHE_ESCAPE_MARKDOWN) < 0)
		goto out;
	if (html) {
		*out = mdhtml_page(md, strlen(md), inc->title);
		rc = *out != NULL ? 0 : -1;
	} else {
		*out = md;
		md = NULL;
		rc = 0;
	}
out:
	free(md);
	template_free(&t);
	json_decref(data);
	return rc;
}
