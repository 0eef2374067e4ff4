/*
 * stats.h - the summary of a distribution of durations (or counts), as
 * reports give it: count, median, 90th percentile, mean and maximum.
 *
 * Percentiles are nearest-rank: with the n values sorted ascending, the
 * p-th percentile is the value at rank ceil(p / 100 * n) (1-based). So
 * the median of an even count is the lower of the two middle values,
 * and every figure is one of the values, never an interpolation.
 */
#ifndef PM_STATS_H
#define PM_STATS_H

#include <stddef.h>
#include <stdint.h>

struct stats {
	size_t	 count;		/* the others are 0 when count is 0 */
	int64_t	 median;
	int64_t	 p90;
	int64_t	 mean;		/* rounded to the nearest, halves away from 0 */
	int64_t	 min;
	int64_t	 max;
	int64_t	 sum;
};

/* Summarise v[0..n); sorts v in place. */
void	 stats_summarize(struct stats *out, int64_t *v, size_t n);
/* The nearest-rank p-th percentile (0 < p <= 100) of sorted v[0..n),
 * n > 0. */
int64_t	 stats_percentile(const int64_t *sorted, size_t n, unsigned p);

#endif
