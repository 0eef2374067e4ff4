/*
 * xmalloc.h - allocation that never returns NULL, and a growable buffer.
 *
 * Running out of memory is not an error pmtool can recover from in any
 * useful way, so these abort with a message instead of returning NULL:
 * callers need no NULL checks (as in tmux's xmalloc.c).
 */
#ifndef PM_XMALLOC_H
#define PM_XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...)
	    __attribute__((format(printf, 1, 2)));
char	*xvasprintf(const char *, va_list);

/*
 * A growable byte buffer, always NUL-terminated once anything was added.
 * Zero-initialise it (struct buf b = BUF_INIT); buf_free() releases it;
 * buf_detach() hands the string to the caller, who frees it with free().
 */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};
#define BUF_INIT { NULL, 0, 0 }

void	 buf_grow(struct buf *, size_t);
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_adds(struct buf *, const char *);
void	 buf_addc(struct buf *, char);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_vprintf(struct buf *, const char *, va_list);
void	 buf_truncate(struct buf *, size_t);
const char *buf_str(const struct buf *);	/* "" when empty */
char	*buf_detach(struct buf *);		/* never NULL */
void	 buf_free(struct buf *);

#endif
