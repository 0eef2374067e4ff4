/* cmd_render.c - pmtool render: templates to Markdown or HTML. */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "error.h"
#include "mdhtml.h"
#include "mustache.h"
#include "xmalloc.h"

#define TEMPLATE_EXT	".mustache"
#define DEFAULT_TEMPLATE "postmortem"

/* A template read into memory, and the folder its partials come from. */
struct template {
	char	*path;
	char	*dir;
	char	*text;
	size_t	 len;
};

static void
template_free(struct template *t)
{
	free(t->path);
	free(t->dir);
	free(t->text);
	memset(t, 0, sizeof *t);
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

static int
template_load(struct template *t, struct store *st, const char *spec)
{
	char	*dirs[3], *cand;
	size_t	 i;
	int	 rc = -1;

	memset(t, 0, sizeof *t);
	if (strchr(spec, '/') != NULL || (strlen(spec) > strlen(TEMPLATE_EXT) &&
	    strcmp(spec + strlen(spec) - strlen(TEMPLATE_EXT),
	    TEMPLATE_EXT) == 0)) {
		t->path = xstrdup(spec);
	} else {
		if (!name_safe(spec))
			return pm_error_set("bad template name '%s': use a "
			    "name such as postmortem, or a path to a .mustache "
			    "file", spec);
		/* The store's own templates override the shipped ones. */
		if (st != NULL) {
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

static int
load_json(json_t **out, const char *path)
{
	json_error_t	 e;

	*out = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
	if (*out == NULL)
		return pm_error_set("%s:%d:%d: error: %s", path,
		    e.line > 0 ? e.line : 1, e.column > 0 ? e.column : 1,
		    e.text);
	return 0;
}

/* Write the whole output, or nothing: a temporary file renamed over. */
static int
write_output(const char *path, const char *text)
{
	char	*tmp;
	FILE	*f;
	int	 rc = 0;

	if (path == NULL || strcmp(path, "-") == 0) {
		fputs(text, stdout);
		return 0;
	}
	tmp = xasprintf("%s.pmtool-tmp", path);
	if ((f = fopen(tmp, "wb")) == NULL) {
		rc = pm_error_sys("cannot write %s", path);
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

static int
parse_escape(enum mustache_escape *out, const char *s)
{
	if (strcmp(s, "html") == 0)
		*out = MUSTACHE_ESCAPE_HTML;
	else if (strcmp(s, "markdown") == 0)
		*out = MUSTACHE_ESCAPE_MARKDOWN;
	else if (strcmp(s, "none") == 0)
		*out = MUSTACHE_ESCAPE_NONE;
	else
		return -1;
	return 0;
}

int
cmd_render(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "template", required_argument, NULL, 't' },
		{ "data", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "html", no_argument, NULL, 'H' },
		{ "escape", required_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd_entry	*cmd = cli_find("render");
	struct template		 t;
	struct incident		*inc = NULL;
	enum mustache_escape	 escape = MUSTACHE_ESCAPE_HTML;
	json_t			*data = NULL, *title;
	const char		*spec = NULL, *data_path = NULL, *outp = NULL;
	char			*md = NULL, *html = NULL;
	int			 ch, as_html = 0, escape_set = 0;
	int			 rc = EXIT_ERROR;

	memset(&t, 0, sizeof t);
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":t:d:o:", opts, NULL)) != -1) {
		switch (ch) {
		case 't': spec = optarg; break;
		case 'd': data_path = optarg; break;
		case 'o': outp = optarg; break;
		case 'H': as_html = 1; break;
		case 'e':
			if (parse_escape(&escape, optarg) < 0)
				return cli_usage(cmd, "--escape takes html, "
				    "markdown or none");
			escape_set = 1;
			break;
		case ':':
			return cli_usage(cmd, "%s needs a value",
			    argv[optind - 1]);
		default:
			return cli_usage(cmd, "unknown option '%s'",
			    argv[optind - 1]);
		}
	}
	if (data_path != NULL) {
		if (spec == NULL)
			return cli_usage(cmd, "--data needs --template");
		if (optind != argc)
			return cli_usage(cmd, "an incident id and --data do not "
			    "go together");
		/* Any store here may still override a named template. */
		if (store_open(&c->store, c->dir) < 0)
			c->store = NULL;
		pm_error_clear();
		if (load_json(&data, data_path) < 0) {
			rc = cli_core_error();
			goto out;
		}
	} else {
		if (argc - optind != 1)
			return cli_usage(cmd, argc - optind == 0 ? "an incident "
			    "id (or --template FILE --data FILE.json) is needed" :
			    "too many arguments");
		/* An incident's postmortem is Markdown: {{x}} escapes for
		 * it unless told otherwise. */
		if (!escape_set)
			escape = MUSTACHE_ESCAPE_MARKDOWN;
		if (spec == NULL)
			spec = DEFAULT_TEMPLATE;
		if (store_open(&c->store, c->dir) < 0 ||
		    cli_load(&inc, c, argv[optind]) < 0 ||
		    cli_document(&data, c, inc) < 0) {
			rc = cli_core_error();
			goto out;
		}
	}
	if (template_load(&t, c->store, spec) < 0 ||
	    mustache_render_escaped(&md, t.path, t.text, t.len, data,
	    partial_from_dir, t.dir, escape) < 0) {
		rc = cli_core_error();
		goto out;
	}
	if (as_html) {
		title = json_is_object(data) ? json_object_get(data, "title") :
		    NULL;
		html = mdhtml_page(md, strlen(md), json_is_string(title) ?
		    json_string_value(title) : "pmtool");
		if (html == NULL) {
			rc = cli_core_error();
			goto out;
		}
	}
	if (write_output(outp, html != NULL ? html : md) < 0) {
		rc = cli_core_error();
		goto out;
	}
	rc = EXIT_OK;
out:
	template_free(&t);
	json_decref(data);
	incident_free(inc);
	free(md);
	free(html);
	return rc;
}
