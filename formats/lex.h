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

#endif
