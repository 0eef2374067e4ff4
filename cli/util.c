/* util.c - what the command handlers share. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "error.h"
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
	struct civil	 c;
	char		 abbr[ZONE_ABBR_MAX];
	int32_t		 off;

	if (zone_offset_at(&off, zone, ts.t, abbr) < 0) {
		off = ts.off;
		abbr[0] = '\0';
	}
	civil_from_time(&c, ts.t, off);
	snprintf(out, size, "%04d-%02d-%02d %02d:%02d %s", c.year, c.mon,
	    c.day, c.hour, c.min, abbr);
}
