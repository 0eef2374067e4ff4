/* cmd_edit.c - pmtool edit: the written analysis in the user's editor. */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "cli.h"
#include "error.h"
#include "xmalloc.h"

/*
 * Run the editor on path and wait for it. $VISUAL, else $EDITOR, else vi;
 * the value is split on blanks ("code --wait") and run directly, never
 * through a shell, with the file as its last argument.
 */
static int
run_editor(const char *path)
{
	const char	*ed;
	char		*copy, *word, *save, **argv;
	size_t		 n = 0;
	pid_t		 pid;
	int		 status;

	ed = getenv("VISUAL");
	if (ed == NULL || *ed == '\0')
		ed = getenv("EDITOR");
	if (ed == NULL || *ed == '\0')
		ed = "vi";
	copy = xstrdup(ed);
	argv = xcalloc(strlen(ed) / 2 + 3, sizeof *argv);
	for (word = strtok_r(copy, " \t", &save); word != NULL;
	    word = strtok_r(NULL, " \t", &save))
		argv[n++] = word;
	argv[n++] = (char *)path;
	argv[n] = NULL;
	fflush(stdout);
	if ((pid = fork()) == -1) {
		free(argv);
		free(copy);
		return pm_error_sys("cannot start the editor");
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "pmtool: cannot run the editor '%s': %s\n",
		    argv[0], strerror(errno));
		_exit(127);
	}
	free(argv);
	while (waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR) {
			free(copy);
			return pm_error_sys("waiting for the editor");
		}
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		pm_error_set("the editor '%s' failed (%s %d); nothing was "
		    "committed", copy, WIFEXITED(status) ? "exit status" :
		    "signal", WIFEXITED(status) ? WEXITSTATUS(status) :
		    WTERMSIG(status));
		free(copy);
		return -1;
	}
	free(copy);
	return 0;
}

static int
write_plain(const char *path, const char *text, size_t len)
{
	FILE	*f;

	if ((f = fopen(path, "wb")) == NULL)
		return pm_error_sys("cannot write %s", path);
	if (fwrite(text, 1, len, f) != len) {
		fclose(f);
		return pm_error_sys("cannot write %s", path);
	}
	if (fclose(f) == EOF)
		return pm_error_sys("cannot write %s", path);
	return 0;
}

int
cmd_edit(struct cli *c, int argc, char **argv)
{
	const struct cmd_entry	*cmd = cli_find("edit");
	struct incident		*inc = NULL;
	struct analysis		 a;
	struct buf		 before = BUF_INIT, after = BUF_INIT;
	char			*path = NULL, *rel = NULL, *msg = NULL;
	char			*skeleton = NULL;
	int			 exists, had, i = 1, rc = EXIT_ERROR;

	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (argc - i != 1)
		return cli_usage(cmd, argc - i < 1 ? "an incident id is needed" :
		    "too many arguments");
	if (argv[i][0] == '-' && strcmp(argv[i - 1], "--") != 0)
		return cli_usage(cmd, "unknown option '%s'", argv[i]);
	if (cli_load(&inc, c, argv[i]) < 0 ||
	    store_read_file(&before, &had, c->store, inc->id,
	    ANALYSIS_FILE) < 0) {
		rc = cli_core_error();
		goto out;
	}
	rel = xasprintf("%s/%s/%s", STORE_INCIDENTS, inc->id, ANALYSIS_FILE);
	path = xasprintf("%s/%s", store_root(c->store), rel);
	if (!had) {
		/* The editor starts from the skeleton; it is committed only
		 * if the user writes something. */
		skeleton = analysis_skeleton(incident_title(inc));
		buf_adds(&before, skeleton);
		if (write_plain(path, before.data, before.len) < 0) {
			rc = cli_core_error();
			goto out;
		}
	}
	if (run_editor(path) < 0 ||
	    store_read_file(&after, &exists, c->store, inc->id,
	    ANALYSIS_FILE) < 0) {
		rc = cli_core_error();
		goto out;
	}
	if (!exists) {
		/* Deleting the analysis is not an edit to commit: put back
		 * what was there, so the store stays as git has it. */
		if (had && write_plain(path, before.data, before.len) < 0) {
			rc = cli_core_error();
			goto out;
		}
		rc = cli_error("the editor removed %s; %s, nothing committed "
		    "(to delete it, use git rm)", rel, had ? "put it back" :
		    "nothing to put back");
		goto out;
	}
	if (after.len == before.len && (before.len == 0 ||
	    memcmp(after.data, before.data, before.len) == 0)) {
		if (!had)
			unlink(path);
		fprintf(stderr, "pmtool: %s unchanged; nothing committed\n",
		    rel);
		rc = EXIT_OK;
		goto out;
	}
	/* The file stays as written even when it cannot be committed, so
	 * nothing typed is lost. */
	if (analysis_parse(&a, rel, buf_str(&after), after.len) < 0) {
		rc = cli_error("%s (the file is kept as you wrote it; run "
		    "'pmtool edit %s' again to fix it)", pm_error_last(),
		    inc->id);
		goto out;
	}
	analysis_free(&a);
	msg = xasprintf("%s: %s the written analysis\n", inc->id,
	    had ? "edit" : "write");
	if (store_write_file(c->store, inc->id, ANALYSIS_FILE, buf_str(&after),
	    after.len, msg) < 0) {
		rc = cli_core_error();
		goto out;
	}
	printf("committed %s\n", rel);
	cli_warnings(c);
	rc = EXIT_OK;
out:
	incident_free(inc);
	buf_free(&before);
	buf_free(&after);
	free(path);
	free(rel);
	free(msg);
	free(skeleton);
	return rc;
}
