/* utf8.c - UTF-8 validation and counting. */
#include <string.h>

#include "utf8.h"

int
utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char	*u = (const unsigned char *)s;
	uint32_t		 c, min;
	int			 len, i;

	if (n == 0)
		return -1;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if ((u[0] & 0xe0) == 0xc0) {
		len = 2; c = u[0] & 0x1f; min = 0x80;
	} else if ((u[0] & 0xf0) == 0xe0) {
		len = 3; c = u[0] & 0x0f; min = 0x800;
	} else if ((u[0] & 0xf8) == 0xf0) {
		len = 4; c = u[0] & 0x07; min = 0x10000;
	} else
		return -1;
	if ((size_t)len > n)
		return -1;
	for (i = 1; i < len; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return -1;
		c = (c << 6) | (u[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return -1;
	*cp = c;
	return len;
}

size_t
utf8_count(const char *s, size_t n)
{
	size_t	 i, count = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			count++;
	return count;
}

int
utf8_check_text(const char *s, size_t n, const char *allow, size_t *bad,
    const char **why)
{
	uint32_t	 cp;
	size_t		 i = 0;
	int		 len;

	while (i < n) {
		/* Printable ASCII, nearly all of any timeline, needs no
		 * decoding. */
		if ((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f) {
			i++;
			continue;
		}
		if ((len = utf8_decode(s + i, n - i, &cp)) < 0) {
			*bad = i;
			*why = "invalid UTF-8";
			return -1;
		}
		/* C1 controls (U+0080..U+009F) steer terminals as C0 ones do. */
		if (((cp < 0x20 || cp == 0x7f) && (cp == 0 ||
		    strchr(allow, (int)cp) == NULL)) ||
		    (cp >= 0x80 && cp <= 0x9f)) {
			*bad = i;
			*why = "control character";
			return -1;
		}
		i += (size_t)len;
	}
	return 0;
}
