/* lineedit.c - a one-line editor that moves and deletes whole UTF-8
 * characters. No curses here: tui.c feeds it keys and draws it. */
#include <stdlib.h>
#include <string.h>

#include "tui.h"
#include "xmalloc.h"

#define IS_CONT(c)	(((unsigned char)(c) & 0xc0) == 0x80)

void
lineedit_free(struct lineedit *le)
{
	free(le->buf);
	memset(le, 0, sizeof *le);
}

const char *
lineedit_text(const struct lineedit *le)
{
	return le->buf != NULL ? le->buf : "";
}

void
lineedit_clear(struct lineedit *le)
{
	le->len = le->cur = 0;
	if (le->buf != NULL)
		le->buf[0] = '\0';
}

static void
reserve(struct lineedit *le, size_t more)
{
	int	 fresh = le->buf == NULL;

	if (le->len + more + 1 <= le->cap)
		return;
	le->cap = (le->len + more + 1) * 2;
	le->buf = xrealloc(le->buf, le->cap);
	if (fresh)
		le->buf[0] = '\0';
}

void
lineedit_set(struct lineedit *le, const char *text)
{
	size_t	 n = strlen(text);

	lineedit_clear(le);
	reserve(le, n);
	memcpy(le->buf, text, n + 1);
	le->len = le->cur = n;
}

static size_t
encode(char out[4], unsigned long cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static void
insert_cp(struct lineedit *le, unsigned long cp)
{
	char	 enc[4];
	size_t	 n;

	n = encode(enc, cp);
	reserve(le, n);
	memmove(le->buf + le->cur + n, le->buf + le->cur,
	    le->len - le->cur + 1);
	memcpy(le->buf + le->cur, enc, n);
	le->len += n;
	le->cur += n;
}

/* A character that is text: no control character, no surrogate. */
static int
is_text(unsigned long cp)
{
	return !(cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff);
}

void
lineedit_insert(struct lineedit *le, wchar_t wc)
{
	if (is_text((unsigned long)wc))
		insert_cp(le, (unsigned long)wc);
}

void
lineedit_insert_pasted(struct lineedit *le, wchar_t wc)
{
	unsigned long	 cp = (unsigned long)wc;

	if (is_text(cp) || cp == '\n' || cp == '\t')
		insert_cp(le, cp);
}

static size_t
prev_char(const struct lineedit *le, size_t at)
{
	if (at == 0)
		return 0;
	at--;
	while (at > 0 && IS_CONT(le->buf[at]))
		at--;
	return at;
}

static size_t
next_char(const struct lineedit *le, size_t at)
{
	if (at >= le->len)
		return le->len;
	at++;
	while (at < le->len && IS_CONT(le->buf[at]))
		at++;
	return at;
}

static void
cut(struct lineedit *le, size_t from, size_t to)
{
	if (to <= from)
		return;
	memmove(le->buf + from, le->buf + to, le->len - to + 1);
	le->len -= to - from;
	le->cur = from;
}

void
lineedit_left(struct lineedit *le)
{
	le->cur = prev_char(le, le->cur);
}

void
lineedit_right(struct lineedit *le)
{
	le->cur = next_char(le, le->cur);
}

void
lineedit_home(struct lineedit *le)
{
	le->cur = 0;
}

void
lineedit_end(struct lineedit *le)
{
	le->cur = le->len;
}

void
lineedit_backspace(struct lineedit *le)
{
	cut(le, prev_char(le, le->cur), le->cur);
}

void
lineedit_delete(struct lineedit *le)
{
	size_t	 at = le->cur;

	cut(le, at, next_char(le, at));
}

void
lineedit_kill_word(struct lineedit *le)
{
	size_t	 at = le->cur;

	while (at > 0 && (le->buf[at - 1] == ' ' || le->buf[at - 1] == '\t'))
		at--;
	while (at > 0 && le->buf[at - 1] != ' ' && le->buf[at - 1] != '\t')
		at--;
	cut(le, at, le->cur);
}
