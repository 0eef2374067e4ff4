/*
 * attrib-bench.c - the work `pmtool show` adds for attribution, as one
 * process: open the store, load the incident, attrib_fill() it.
 *
 *   attrib-bench [-c] [-p] [-s] STORE ID
 *	-c  cold: remove the cache file first (and keep none: the walk's
 *	    answer is stored as usual, so the next run is warm)
 *	-p  print every line's attribution: "LINE<TAB>AUTHOR<TAB>TIME"
 *	-s  print attrib_last_stats() on stderr
 *
 * bench/attrib.sh runs it under hyperfine against git blame --porcelain.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attrib.h"
#include "error.h"
#include "incident.h"
#include "store.h"
#include "xmalloc.h"

static void
print_line(const struct event *ev)
{
	printf("%u\t%s\t%lld\n", ev->line, ev->logged_by != NULL ?
	    ev->logged_by : "", (long long)ev->logged_at);
}

int
main(int argc, char **argv)
{
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
	struct attrib_stats	 s;
	struct incident		*inc = NULL;
	struct store		*st = NULL;
	char			*p;
	size_t			 i;
	int			 c, cold = 0, print = 0, stats = 0, rc = 1;

	while ((c = getopt(argc, argv, "cps")) != -1) {
		switch (c) {
		case 'c':
			cold = 1;
			break;
		case 'p':
			print = 1;
			break;
		case 's':
			stats = 1;
			break;
		default:
			goto usage;
		}
	}
	if (argc - optind != 2)
		goto usage;
	if (store_global_init() < 0 || store_open(&st, argv[optind]) < 0 ||
	    store_load(&inc, st, argv[optind + 1]) < 0)
		goto fail;
	if (cold)
		for (i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
			p = xasprintf("%s%s/%s%s", store_gitdir(st),
			    ATTRIB_DIR, ATTRIB_FILE, sfx[i]);
			unlink(p);
			free(p);
		}
	if (attrib_fill(st, inc) < 0)
		goto fail;
	attrib_last_stats(&s);
	if (stats)
		fprintf(stderr, "walked %zu, parsed %zu, recorded %zu, "
		    "cached %d, full %d, rebuilt %d\n", s.walked, s.parsed,
		    s.recorded, s.cached, s.full, s.rebuilt);
	if (print) {
		for (i = 0; i < inc->nevents; i++)
			print_line(&inc->events[i]);
		for (i = 0; i < inc->nretracted; i++)
			print_line(&inc->retracted[i]);
		for (i = 0; i < inc->ncorrections; i++)
			print_line(&inc->corrections[i].line);
	}
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "attrib-bench: %s\n", pm_error_last());
	goto out;
usage:
	fprintf(stderr, "usage: attrib-bench [-c] [-p] [-s] STORE ID\n");
	rc = 2;
out:
	incident_free(inc);
	store_close(st);
	store_global_shutdown();
	return rc;
}
