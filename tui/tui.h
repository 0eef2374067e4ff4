/*
 * tui.h - pmtool's terminal interface (ncursesw): the pieces shared by
 * the files in tui/. Nothing outside tui/ includes <curses.h>.
 */
#ifndef PM_TUI_H
#define PM_TUI_H

#include <stddef.h>
#include <wchar.h>

/*
 * A one-line UTF-8 editor. buf always holds valid UTF-8 (what is inserted
 * comes in as whole characters), and cur is a byte offset on a character
 * boundary. Zero-initialise; free with lineedit_free().
 */
struct lineedit {
	char	*buf;		/* NUL-terminated; NULL until the first insert */
	size_t	 len;
	size_t	 cap;
	size_t	 cur;
};

void	 lineedit_free(struct lineedit *);
/* The text; borrowed, "" when empty. */
const char *lineedit_text(const struct lineedit *);
void	 lineedit_set(struct lineedit *, const char *text);
void	 lineedit_clear(struct lineedit *);
/* Insert one character at the cursor; controls and invalid code points
 * are ignored. */
void	 lineedit_insert(struct lineedit *, wchar_t);
/* The same for a pasted character, which may also be a line break or a
 * TAB: the text of a multi-line event. */
void	 lineedit_insert_pasted(struct lineedit *, wchar_t);
void	 lineedit_left(struct lineedit *);
void	 lineedit_right(struct lineedit *);
void	 lineedit_home(struct lineedit *);
void	 lineedit_end(struct lineedit *);
/* Delete the character before / under the cursor. */
void	 lineedit_backspace(struct lineedit *);
void	 lineedit_delete(struct lineedit *);
/* Delete the word before the cursor, and the blanks after it. */
void	 lineedit_kill_word(struct lineedit *);

#endif
