/* mdhtml.c - Markdown to a standalone, safe HTML page (cmark-gfm). */
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#include "error.h"
#include "mdhtml.h"
#include "xmalloc.h"

/* No autolink: the text pmtool escapes for Markdown must show as written,
 * and autolink would take a URL's escapes and entities into its href. */
static const char *extensions[] = { "table", "strikethrough", "tasklist" };

static const char page_style[] =
    "body{font:16px/1.5 system-ui,sans-serif;max-width:60em;margin:2em auto;"
    "padding:0 1em;color:#1f2328}"
    "table{border-collapse:collapse;margin:1em 0}"
    "th,td{border:1px solid #d0d7de;padding:.3em .6em;text-align:left;"
    "vertical-align:top}"
    "th{background:#f6f8fa}code{background:#f6f8fa;padding:.1em .3em}"
    "h1,h2{border-bottom:1px solid #d0d7de;padding-bottom:.2em}";

static void
add_escaped(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&': buf_adds(b, "&amp;"); break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		default: buf_addc(b, *s); break;
		}
	}
}

char *
mdhtml_page(const char *md, size_t len, const char *title)
{
	cmark_parser		*p;
	cmark_syntax_extension	*ext;
	cmark_node		*doc;
	struct buf		 b = BUF_INIT;
	char			*body;
	size_t			 i;
	/* CMARK_OPT_DEFAULT is safe: no raw HTML, no javascript: links. */
	int			 opts = CMARK_OPT_DEFAULT;

	cmark_gfm_core_extensions_ensure_registered();
	p = cmark_parser_new(opts);
	for (i = 0; i < sizeof extensions / sizeof extensions[0]; i++) {
		if ((ext = cmark_find_syntax_extension(extensions[i])) == NULL ||
		    cmark_parser_attach_syntax_extension(p, ext) == 0) {
			cmark_parser_free(p);
			pm_error_set("cmark-gfm has no '%s' extension",
			    extensions[i]);
			return NULL;
		}
	}
	cmark_parser_feed(p, md, len);
	doc = cmark_parser_finish(p);
	body = cmark_render_html(doc, opts, cmark_parser_get_syntax_extensions(p));
	buf_adds(&b, "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width\">\n<title>");
	add_escaped(&b, title);
	buf_printf(&b, "</title>\n<style>%s</style>\n</head>\n<body>\n",
	    page_style);
	buf_adds(&b, body);
	buf_adds(&b, "</body>\n</html>\n");
	free(body);
	cmark_node_free(doc);
	cmark_parser_free(p);
	return buf_detach(&b);
}
