/* cmd_render.c - pmtool render: templates to Markdown or HTML. */
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
#include "render.h"
#include "xmalloc.h"


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
			spec = RENDER_DEFAULT_TEMPLATE;
		if (store_open(&c->store, c->dir) < 0 ||
		    cli_load(&inc, c, argv[optind]) < 0 ||
		    render_document(&data, c->store, inc) < 0) {
			rc = cli_core_error();
			goto out;
		}
	}
	if (template_load(&t, c->store, spec) < 0 ||
	    template_render(&md, &t, data, escape) < 0) {
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
	if (cli_write_output(outp, html != NULL ? html : md) < 0) {
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
