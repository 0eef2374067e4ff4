/* cmd_sync.c - pmtool clone and pmtool sync: the store through git remotes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "error.h"
#include "sync.h"
#include "xmalloc.h"

/* "https://host/team/incidents.git" -> "incidents", as git clone does. */
static char *
default_dir(const char *url)
{
	const char	*end = url + strlen(url), *start;

	while (end > url && (end[-1] == '/' || end[-1] == ':'))
		end--;
	if (end - url > 4 && strncmp(end - 4, ".git", 4) == 0)
		end -= 4;
	for (start = end; start > url && start[-1] != '/' && start[-1] != ':';
	    start--)
		;
	if (start == end)
		return NULL;
	return xstrndup(start, (size_t)(end - start));
}

int
cmd_clone(struct cli *c, int argc, char **argv)
{
	const struct cmd_entry	*cmd = cli_find("clone");
	char			*dir;
	int			 rc;

	(void)c;
	if (cli_plain_args(&argc, argv, cmd) != 0)
		return EXIT_USAGE;
	if (argc < 2 || argc > 3)
		return cli_usage(cmd, "clone: give URL [DIR]");
	dir = argc == 3 ? xstrdup(argv[2]) : default_dir(argv[1]);
	if (dir == NULL)
		return cli_usage(cmd, "clone: cannot name a folder after '%s': "
		    "give DIR", argv[1]);
	if (sync_clone(argv[1], dir) < 0) {
		rc = cli_core_error();
		free(dir);
		return rc;
	}
	printf("cloned %s into %s\n", argv[1], dir);
	free(dir);
	return EXIT_OK;
}

int
cmd_sync(struct cli *c, int argc, char **argv)
{
	struct sync_result	 r;
	size_t			 i;

	if (cli_plain_args(&argc, argv, cli_find("sync")) != 0)
		return EXIT_USAGE;
	if (argc > 2)
		return cli_usage(cli_find("sync"), "sync: give at most a "
		    "REMOTE");
	if (sync_store(&r, c->store, argc == 2 ? argv[1] : NULL) < 0) {
		sync_result_free(&r);
		return cli_core_error();
	}
	if (r.merged)
		printf("merged %s/%s\n", r.remote, r.branch);
	else if (r.fast_forward)
		printf("updated from %s/%s\n", r.remote, r.branch);
	else
		printf("nothing new from %s/%s\n", r.remote, r.branch);
	for (i = 0; i < r.notes.n; i++)
		printf("note: %s\n", r.notes.v[i]);
	if (r.pushed)
		printf("pushed to %s/%s%s\n", r.remote, r.branch,
		    r.retries > 0 ? " (after the remote moved on)" : "");
	else
		printf("%s/%s has everything from here\n", r.remote,
		    r.branch);
	sync_result_free(&r);
	return EXIT_OK;
}
