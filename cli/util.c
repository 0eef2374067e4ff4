/* util.c - what the command handlers share. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "error.h"
#include "xmalloc.h"
#include "zone.h"

int
cli_load(struct incident **out, struct cli *c, const char *given)
{
	char	*id;
	int	 rc;

	if (store_resolve_id(&id, c->store, given) < 0)
		return -1;
	rc = store_load(out, c->store, id);
	free(id);
	return rc;
}

void
cli_local_time(char *out, size_t size, struct tstamp ts, const char *zone)
{
	/* The zone was checked when the incident was read; should it fail
	 * now, the time is still shown, labelled UTC. */
	if (zone_format_display(out, size, ts.t, zone) < 0)
		zone_format_display(out, size, ts.t, NULL);
}

char *
cli_join_words(int n, char **words)
{
	struct buf	 b = BUF_INIT;
	int		 i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(&b, ' ');
		buf_adds(&b, words[i]);
	}
	return buf_detach(&b);
}

char *
cli_read_stdin(void)
{
	struct buf	 b = BUF_INIT;
	char		 chunk[8192];
	size_t		 n;

	while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
		buf_add(&b, chunk, n);
	return buf_detach(&b);
}
