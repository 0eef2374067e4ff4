/* error.c - the thread's last error message. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <git2.h>

#include "error.h"

/* One message per thread, like git_error_last(); big enough for a path and
 * a sentence, and truncated rather than allocated so that reporting an
 * out-of-memory condition cannot itself fail. */
static _Thread_local char last_error[2048];

static void
error_vset(const char *suffix, const char *fmt, va_list ap)
{
	size_t	 len;

	vsnprintf(last_error, sizeof last_error, fmt, ap);
	if (suffix != NULL && *suffix != '\0') {
		len = strlen(last_error);
		snprintf(last_error + len, sizeof last_error - len, ": %s",
		    suffix);
	}
}

int
pm_error_set(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	error_vset(NULL, fmt, ap);
	va_end(ap);
	return -1;
}

int
pm_error_sys(const char *fmt, ...)
{
	va_list	 ap;
	char	 why[256];

	snprintf(why, sizeof why, "%s", strerror(errno));
	va_start(ap, fmt);
	error_vset(why, fmt, ap);
	va_end(ap);
	return -1;
}

int
pm_error_git(const char *fmt, ...)
{
	const git_error	*e;
	va_list		 ap;
	char		 why[512];

	e = git_error_last();
	snprintf(why, sizeof why, "%s", e != NULL && e->message != NULL ?
	    e->message : "");
	va_start(ap, fmt);
	error_vset(why, fmt, ap);
	va_end(ap);
	return -1;
}

int
pm_error_wrap(const char *fmt, ...)
{
	va_list	 ap;
	char	 old[sizeof last_error];

	memcpy(old, last_error, sizeof old);
	va_start(ap, fmt);
	error_vset(old, fmt, ap);
	va_end(ap);
	return -1;
}

const char *
pm_error_last(void)
{
	return last_error[0] != '\0' ? last_error : "unknown error";
}

void
pm_error_clear(void)
{
	last_error[0] = '\0';
}
