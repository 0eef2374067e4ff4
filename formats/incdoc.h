/*
 * incdoc.h - the incident as one JSON document: what templates render and
 * what 'pmtool show ID --json' prints. It extends incjson_incident() (whose
 * keys stay) with display times, the metrics, the status-update cadence,
 * the written sections and the corrective actions. formats/template-data.md
 * documents every key; keys are only ever added.
 */
#ifndef PM_INCDOC_H
#define PM_INCDOC_H

#include <stdint.h>

#include <jansson.h>

#include "analysis.h"
#include "incident.h"

struct incdoc_input {
	const struct incident	*inc;		/* events sorted */
	const struct analysis	*analysis;	/* NULL: none written */
	json_t			*actions;	/* array of actjson objects,
						 * borrowed; NULL: none */
	int64_t			 cadence_s;	/* status update threshold */
	int64_t			 now;		/* for open incidents */
	int64_t			 backfill_s;	/* logged this long after its
						 * time: backfilled */
};

/* A new document (json_decref() it), or NULL with the error set. */
json_t	*incdoc_build(const struct incdoc_input *);

#endif
