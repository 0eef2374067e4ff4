/*
 * render.h - incidents through Mustache templates: the data document
 * (formats/template-data.md), template lookup, partials, output. The CLI's
 * render and show --json and the TUI's preview all come through here.
 */
#ifndef PM_RENDER_H
#define PM_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "incident.h"
#include "mustache.h"
#include "store.h"

#define RENDER_DEFAULT_TEMPLATE	"postmortem"

/* A template read into memory, and the folder its partials come from. */
struct template {
	char	*path;
	char	*dir;
	char	*text;
	size_t	 len;
};

/*
 * Find and read a template. spec is a path (it holds a '/' or ends in
 * .mustache) or a name: the store's templates/NAME.mustache (st may be
 * NULL), else $PMTOOL_TEMPLATES, the templates/ folder beside the binary,
 * the installed data folder. Links are not followed for names. Free with
 * template_free().
 */
int	 template_load(struct template *, struct store *st, const char *spec);
void	 template_free(struct template *);
/* Render t against data; partials only beside t. *out: caller frees. */
int	 template_render(char **out, const struct template *t, json_t *data,
	    enum mustache_escape escape);

/* The incident as one JSON document, with its analysis, actions and the
 * store's cadence. json_decref() it. */
int	 render_document(json_t **out, struct store *, const struct incident *);
/* The incident's corrective actions as a JSON array (actjson objects). */
int	 render_actions_json(json_t **out, struct store *,
	    const struct incident *, int64_t now);
/* The incident through template spec, as Markdown, or as an HTML page. */
int	 render_incident(char **out, struct store *, const struct incident *,
	    const char *spec, int html);

#endif
