/*
 * lex.h - the line-level lexing the plain-text formats share (the
 * timeline, the actions log): blanks, words, trimming.
 */
#ifndef PM_LEX_H
#define PM_LEX_H

#include <stddef.h>

/* 1 when s[0..len) holds only spaces and TABs. */
int	 lex_is_blank(const char *s, size_t len);
/* The first index from i that is not a space or TAB (at most len). */
size_t	 lex_skip_space(const char *s, size_t len, size_t i);
/* The first index from i that is a space or TAB (at most len). */
size_t	 lex_word_end(const char *s, size_t len, size_t i);
/* Move *s and shrink *len past leading and trailing spaces and TABs. */
void	 lex_trim(const char **s, size_t *len);

/*
 * Report an error at byte offset byte of line (len bytes, line lineno of
 * file name) as "NAME:LINE:COL: error: MESSAGE". The column counts
 * characters, so that an editor's cursor lands on it. Returns -1.
 */
int	 lex_error(const char *name, unsigned lineno, const char *line,
	    size_t len, size_t byte, const char *fmt, ...)
	    __attribute__((format(printf, 6, 7)));

#endif
