/* lex.c - line-level lexing shared by the plain-text formats. */
#include "lex.h"

static int
is_space(char c)
{
	return c == ' ' || c == '\t';
}

int
lex_is_blank(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if (!is_space(s[i]))
			return 0;
	return 1;
}

size_t
lex_skip_space(const char *s, size_t len, size_t i)
{
	while (i < len && is_space(s[i]))
		i++;
	return i;
}

size_t
lex_word_end(const char *s, size_t len, size_t i)
{
	while (i < len && !is_space(s[i]))
		i++;
	return i;
}

void
lex_trim(const char **s, size_t *len)
{
	while (*len > 0 && is_space((*s)[0])) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && is_space((*s)[*len - 1]))
		(*len)--;
}
