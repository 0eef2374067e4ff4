/*
 * mdhtml.h - Markdown to a standalone HTML page, through cmark-gfm with
 * GitHub's table, strikethrough, autolink and task-list extensions.
 * Safe: raw HTML and dangerous link schemes in the Markdown are dropped
 * (cmark's default), so text from events, imports and analyses stays inert.
 */
#ifndef PM_MDHTML_H
#define PM_MDHTML_H

#include <stddef.h>

/* A whole HTML document for md[0..len), its <title> title (escaped).
 * Returns a new string (free()), or NULL with the error set. */
char	*mdhtml_page(const char *md, size_t len, const char *title);

#endif
