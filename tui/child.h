/*
 * child.h - a pmtool child process for the TUI: this very binary
 * (/proc/self/exe, no shell) in a session of its own, with no terminal:
 * stdin is /dev/null, stdout and stderr go to one pipe that the UI reads
 * without blocking, and GIT_TERMINAL_PROMPT=0 keeps git's credential
 * helpers from asking anything. What the background sync and the ':'
 * prompt run, so that git never freezes the screen.
 */
#ifndef PM_CHILD_H
#define PM_CHILD_H

#include <sys/types.h>

#include <stddef.h>

#define CHILD_EXE	"/proc/self/exe"
#define CHILD_NOEXEC	127	/* the child's exit when exec fails */

struct child {
	pid_t	 pid;		/* running, or 0 */
	int	 fd;		/* its output (non-blocking), or -1 */
	char	*out;		/* what it wrote, NUL-terminated (cap bytes) */
	size_t	 outlen, cap;
};

/* Our environment, with GIT_TERMINAL_PROMPT=0 in place of any other; a
 * NULL-terminated vector freed with child_free_vec(). */
char	**child_env(void);
void	 child_free_vec(char **);

/* Start argv (argv[0] is only its name) with envp, keeping up to cap
 * bytes of its output. 0, or -1 with errno set and what failed in *why. */
int	 child_start(struct child *, char *const argv[], char *const envp[],
	    size_t cap, const char **why);
/* Read what it has written so far; what does not fit is dropped, so the
 * child never blocks on us. */
void	 child_drain(struct child *);
/* 1 when it has ended (*status as waitpid() gives it, the pipe read to
 * its end and closed), 0 while it runs, -1 when it is not ours any
 * more. */
int	 child_reap(struct child *, int *status);
/* Let go of it (closing the pipe; a child still running finishes on its
 * own) and free the output. */
void	 child_release(struct child *);

#endif
