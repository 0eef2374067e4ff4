/* child.c - a pmtool child process for the TUI (child.h). */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "child.h"
#include "xmalloc.h"

#define PROMPT_ENV	"GIT_TERMINAL_PROMPT="

char **
child_env(void)
{
	char	**env;
	size_t	 n = 0, i, k = 0;

	while (environ[n] != NULL)
		n++;
	env = xcalloc(n + 2, sizeof *env);
	for (i = 0; i < n; i++)
		if (strncmp(environ[i], PROMPT_ENV, strlen(PROMPT_ENV)) != 0)
			env[k++] = xstrdup(environ[i]);
	env[k] = xstrdup(PROMPT_ENV "0");
	return env;
}

void
child_free_vec(char **v)
{
	size_t	 i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

int
child_start(struct child *c, char *const argv[], char *const envp[],
    size_t cap, const char **why)
{
	int	 p[2], null, saved;
	pid_t	 pid;

	memset(c, 0, sizeof *c);
	c->fd = -1;
	if ((null = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1) {
		*why = "/dev/null";
		return -1;
	}
	if (pipe2(p, O_CLOEXEC) == -1) {
		saved = errno;
		close(null);
		errno = saved;
		*why = "pipe";
		return -1;
	}
	if ((pid = fork()) == -1) {
		saved = errno;
		close(null);
		close(p[0]);
		close(p[1]);
		errno = saved;
		*why = "fork";
		return -1;
	}
	if (pid == 0) {
		/* Only async-signal-safe calls between fork and exec. */
		setsid();
		dup2(null, STDIN_FILENO);
		dup2(p[1], STDOUT_FILENO);
		dup2(p[1], STDERR_FILENO);
		execve(CHILD_EXE, argv, envp);
		_exit(CHILD_NOEXEC);
	}
	close(null);
	close(p[1]);
	fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
	c->pid = pid;
	c->fd = p[0];
	c->cap = cap > 0 ? cap : 1;
	c->out = xcalloc(c->cap, 1);
	return 0;
}

void
child_drain(struct child *c)
{
	char	 junk[512], *dst;
	size_t	 room;
	ssize_t	 n;

	while (c->fd != -1) {
		room = c->cap - 1 - c->outlen;
		dst = room > 0 ? c->out + c->outlen : junk;
		n = read(c->fd, dst, room > 0 ? room : sizeof junk);
		if (n > 0) {
			if (room > 0)
				c->outlen += (size_t)n;
			c->out[c->outlen] = '\0';
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		close(c->fd);
		c->fd = -1;
	}
}

int
child_reap(struct child *c, int *status)
{
	pid_t	 r;

	*status = 0;
	if (c->pid == 0)
		return -1;
	child_drain(c);
	while ((r = waitpid(c->pid, status, WNOHANG)) == -1 && errno == EINTR)
		;
	if (r == 0)
		return 0;
	child_drain(c);
	if (c->fd != -1) {	/* something of its own still holds the pipe */
		close(c->fd);
		c->fd = -1;
	}
	c->pid = 0;
	return r == -1 ? -1 : 1;
}

void
child_release(struct child *c)
{
	if (c->fd != -1)
		close(c->fd);
	free(c->out);
	memset(c, 0, sizeof *c);
	c->fd = -1;
}
