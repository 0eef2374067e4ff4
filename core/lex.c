/* lex.c - line-level lexing shared by the plain-text formats. */
#include <stdarg.h>
#include <stdio.h>

#include "error.h"
#include "lex.h"
#include "utf8.h"

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

int
lex_error(const char *name, unsigned lineno, const char *line, size_t len,
    size_t byte, const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[1024];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (byte > len)
		byte = len;
	return pm_error_set("%s:%u:%zu: error: %s", name, lineno,
	    utf8_count(line, byte) + 1, msg);
}
