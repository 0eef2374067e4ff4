/* stats.c - nearest-rank summaries of integer samples. */
#include <stdlib.h>
#include <string.h>

#include "stats.h"

static int
cmp_int64(const void *a, const void *b)
{
	int64_t	 x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

int64_t
stats_percentile(const int64_t *sorted, size_t n, unsigned p)
{
	/* rank = ceil(p * n / 100), in integers: no rounding surprises. */
	size_t	 rank = ((size_t)p * n + 99) / 100;

	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

/* sum / n rounded to the nearest integer, halves away from zero. */
static int64_t
rounded_mean(int64_t sum, size_t n)
{
	int64_t	 q = sum / (int64_t)n, r = sum % (int64_t)n;

	if (2 * (r < 0 ? -r : r) >= (int64_t)n)
		q += sum < 0 ? -1 : 1;
	return q;
}

void
stats_summarize(struct stats *out, int64_t *v, size_t n)
{
	size_t	 i;

	memset(out, 0, sizeof *out);
	if (n == 0)
		return;
	qsort(v, n, sizeof *v, cmp_int64);
	out->count = n;
	for (i = 0; i < n; i++)
		out->sum += v[i];
	out->median = stats_percentile(v, n, 50);
	out->p90 = stats_percentile(v, n, 90);
	out->mean = rounded_mean(out->sum, n);
	out->min = v[0];
	out->max = v[n - 1];
}
