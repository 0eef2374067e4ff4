/*
 * error.h - the last error of the calling thread, as text.
 *
 * A call that can fail returns an int (0 ok, -1 failure) and leaves its
 * reason here; the caller at the boundary (CLI: stderr; TUI: status line)
 * reads it with pm_error_last(). Nothing below the boundary prints.
 */
#ifndef PM_ERROR_H
#define PM_ERROR_H

/* Replace the last error. Always returns -1, so "return pm_error_set(...)". */
int	 pm_error_set(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Like pm_error_set(), adding ": <strerror(errno)>". */
int	 pm_error_sys(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Like pm_error_set(), adding ": <git_error_last() text>" when there is one. */
int	 pm_error_git(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Prefix the current error with more context: "context: old message". */
int	 pm_error_wrap(const char *, ...) __attribute__((format(printf, 1, 2)));
/* The last message; borrowed, valid until the next pm_error_* call. */
const char *pm_error_last(void);
void	 pm_error_clear(void);

#endif
