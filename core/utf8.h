/* utf8.h - UTF-8 validation and counting. */
#ifndef PM_UTF8_H
#define PM_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decode one code point at s (n bytes available). Returns its length in
 * bytes and sets *cp, or -1 for an invalid, overlong, surrogate or
 * truncated sequence. */
int	 utf8_decode(const char *s, size_t n, uint32_t *cp);
/* The number of code points in the valid UTF-8 s[0..n). */
size_t	 utf8_count(const char *s, size_t n);
/* 0 when s[0..n) is valid UTF-8 without control characters other than
 * those in allow (e.g. "\t\n"); else -1 and *bad is the byte offset of the
 * first offending character, *why a short reason (static string). */
int	 utf8_check_text(const char *s, size_t n, const char *allow,
	    size_t *bad, const char **why);

#endif
