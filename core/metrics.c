/* metrics.c - response metrics of one incident. */
#include <string.h>

#include "metrics.h"

static const char *keys[] = {
#define X(e, key, label, def) key,
	METRICS
#undef X
};
static const char *labels[] = {
#define X(e, key, label, def) label,
	METRICS
#undef X
};
static const char *definitions[] = {
#define X(e, key, label, def) def,
	METRICS
#undef X
};
static const char *endpoint_keys[] = {
#define X(e, key) key,
	ENDPOINTS
#undef X
};

static void
set_diff(struct metrics *m, enum metric which, enum endpoint from,
    enum endpoint to)
{
	if (m->at[from] != NULL && m->at[to] != NULL) {
		m->has[which] = 1;
		m->value[which] = m->at[to]->at.t - m->at[from]->at.t;
	}
}

void
metrics_compute(struct metrics *m, const struct incident *inc)
{
	const struct event	*ev, *prev_status = NULL, *reopened;
	size_t			 i;
	int64_t			 gap;

	memset(m, 0, sizeof *m);
	for (i = 0; i < inc->nevents; i++) {
		ev = &inc->events[i];
		switch (ev->kind) {
		case EV_STARTED:
			if (m->at[P_STARTED] == NULL)
				m->at[P_STARTED] = ev;
			break;
		case EV_DETECTED:
			if (m->at[P_DETECTED] == NULL)
				m->at[P_DETECTED] = ev;
			break;
		case EV_ACKNOWLEDGED:
			if (m->at[P_ACKNOWLEDGED] == NULL)
				m->at[P_ACKNOWLEDGED] = ev;
			break;
		case EV_MITIGATED:
			if (m->at[P_MITIGATED] == NULL)
				m->at[P_MITIGATED] = ev;
			break;
		case EV_RESOLVED:
			m->at[P_RESOLVED] = ev;		/* the latest */
			break;
		case EV_STATUS:
			if (m->at[P_FIRST_STATUS] == NULL)
				m->at[P_FIRST_STATUS] = ev;
			if (prev_status != NULL) {
				gap = ev->at.t - prev_status->at.t;
				if (!m->has[M_MAX_GAP] ||
				    gap > m->value[M_MAX_GAP]) {
					m->has[M_MAX_GAP] = 1;
					m->value[M_MAX_GAP] = gap;
				}
			}
			prev_status = ev;
			m->status_updates++;
			break;
		default:
			break;
		}
	}
	/* Reopened after it: open again, not resolved. */
	reopened = incident_last_reopened(inc);
	if (m->at[P_RESOLVED] != NULL && reopened != NULL &&
	    reopened > m->at[P_RESOLVED])	/* both in the sorted events */
		m->at[P_RESOLVED] = NULL;
	m->reopenings = (int)inc->cur.reopenings;
	set_diff(m, M_DETECT, P_STARTED, P_DETECTED);
	set_diff(m, M_ACKNOWLEDGE, P_DETECTED, P_ACKNOWLEDGED);
	set_diff(m, M_FIRST_STATUS, P_STARTED, P_FIRST_STATUS);
	set_diff(m, M_DETECT_STATUS, P_DETECTED, P_FIRST_STATUS);
	set_diff(m, M_MITIGATE, P_STARTED, P_MITIGATED);
	set_diff(m, M_RESOLVE, P_STARTED, P_RESOLVED);
}

const char *
metric_key(enum metric m)
{
	return m < M__COUNT ? keys[m] : "";
}

const char *
metric_label(enum metric m)
{
	return m < M__COUNT ? labels[m] : "";
}

const char *
metric_definition(enum metric m)
{
	return m < M__COUNT ? definitions[m] : "";
}

const char *
endpoint_key(enum endpoint p)
{
	return p < P__COUNT ? endpoint_keys[p] : "";
}
