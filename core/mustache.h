/*
 * mustache.h - render Mustache templates against JSON data.
 *
 * Implements the required modules of the Mustache specification:
 * interpolation, sections, inverted sections, comments, partials and set
 * delimiters (no lambdas, inheritance or dynamic names; {{<x}} and {{$x}}
 * tags are reported as errors rather than silently ignored).
 *
 * Choices the specification leaves open:
 *   - falsey values are exactly those the spec names: a missing name, JSON
 *     null, false and the empty array; "" and 0 are truthy;
 *   - {{x}} escapes the four characters the spec escapes: & " < >;
 *   - integers print without ".0", reals in the fewest digits that read
 *     back to the same double (1.21, 1e+21), true/false as words, null as
 *     nothing, objects and arrays as compact JSON;
 *   - a missing partial renders as nothing, as do all partials when no
 *     partial callback is given.
 *
 * Limits, so that no template can crash or hang the caller: 100 sections
 * open at once in one template, 100 partials inside partials, 1000 levels
 * of both together, ten million rendering steps (a node, a list item, a
 * context searched or a dotted part of a name looked up), 128 MiB of
 * output and 16 MiB of partial text indented for standalone partial tags.
 * Going past one is a template error like any other.
 */
#ifndef PM_MUSTACHE_H
#define PM_MUSTACHE_H

#include <stddef.h>

#include <jansson.h>

/*
 * Where partials come from: called with the partial's name; on success
 * sets *out (malloc'd, caller frees with free()) and *len and returns 0;
 * returns 1 when there is no such partial (rendered as empty, as the spec
 * says); returns -1 on a real error with pm_error_set() already called.
 *
 * The renderer owns *out once 0 is returned and frees it before
 * mustache_render() returns. Each name is asked for at most once per
 * mustache_render() call; the answer is reused for later uses of the
 * partial, recursive ones included.
 */
typedef int (*mustache_partial_fn)(void *ctx, const char *name, char **out,
    size_t *len);

/*
 * Render template `tmpl` (len bytes, need not be NUL-terminated) against
 * `data`. `name` is used in error messages (a file name, e.g.
 * "templates/postmortem.mustache"). partial may be NULL (no partials).
 *
 * tmpl, name and data are borrowed: read during the call only, data's
 * reference count and contents untouched. ctx is passed to partial as is.
 *
 * On success *out is a malloc'd NUL-terminated string the caller frees,
 * returns 0. On a template error returns -1 with
 * pm_error_set("%s:%d:%d: error: %s", name, line, col, message) - e.g.
 * "unclosed section 'events'", "unexpected closing tag 'x' (open section
 * is 'y')", "unclosed tag", "bad delimiter change", "empty tag" - line and
 * column (1-based, column counting characters) pointing at the start of
 * the offending tag. An error inside a partial names the partial instead
 * of the template, with positions in the partial's own text: as
 * "DIR/NAME.mustache" when the including template's name is a .mustache
 * path (where pmtool looks for partials), else as NAME. *out is
 * untouched on error.
 */
int	mustache_render(char **out, const char *name, const char *tmpl,
	    size_t len, json_t *data, mustache_partial_fn partial, void *ctx);

/* What {{name}} escapes for ({{{name}}} and {{& name}} never escape). */
enum mustache_escape {
	MUSTACHE_ESCAPE_HTML,		/* & " < >, as the spec says */
	MUSTACHE_ESCAPE_MARKDOWN,	/* HTML's four as entities, Markdown
					 * inline markup backslashed, line
					 * breaks as spaces: text stays text
					 * in a paragraph or a table cell */
	MUSTACHE_ESCAPE_NONE
};

/* mustache_render() with a choice of escaping for {{name}}. */
int	mustache_render_escaped(char **out, const char *name, const char *tmpl,
	    size_t len, json_t *data, mustache_partial_fn partial, void *ctx,
	    enum mustache_escape escape);

/* Append s[0..len) as MUSTACHE_ESCAPE_MARKDOWN writes a value: inert
 * inline text that cannot end a table row or start a block. */
struct buf;
void	mustache_escape_markdown(struct buf *, const char *s, size_t len);

#endif
