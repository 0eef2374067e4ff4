/* actions.c - the corrective-action model. */
#include <sys/random.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "actions.h"
#include "error.h"
#include "xmalloc.h"

void
action_list_free(struct action_list *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++) {
		free(l->items[i].text);
		free(l->items[i].owner);
	}
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

struct action *
action_list_get(const struct action_list *l, unsigned n)
{
	if (n == 0 || n > l->n)
		return NULL;
	return &l->items[n - 1];
}

struct action *
action_list_find(const struct action_list *l, const char *key)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->items[i].key, key) == 0)
			return &l->items[i];
	return NULL;
}

int
action_date_cmp(const struct civil *a, const struct civil *b)
{
	if (a->year != b->year)
		return a->year < b->year ? -1 : 1;
	if (a->mon != b->mon)
		return a->mon < b->mon ? -1 : 1;
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	return 0;
}

int
action_is_overdue(const struct action *a, const struct civil *today)
{
	return !a->done && a->has_due && action_date_cmp(&a->due, today) < 0;
}

int
action_key_valid(const char *s, size_t len)
{
	size_t	 i;

	if (len != ACTION_KEY_LEN)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' &&
		    s[i] <= 'f')))
			return 0;
	return 1;
}

/*
 * Three random bytes. Keys only need to differ between clones, not to be
 * secret, so when the kernel cannot help, rand() seeded from the time and
 * the process id is good enough.
 */
static void
random_bytes(unsigned char out[3])
{
	static int	 seeded;
	ssize_t		 n;
	int		 fd, i;

	do
		n = getrandom(out, 3, GRND_NONBLOCK);
	while (n == -1 && errno == EINTR);
	if (n == 3)
		return;
	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) != -1) {
		n = read(fd, out, 3);
		close(fd);
		if (n == 3)
			return;
	}
	if (!seeded) {
		srand((unsigned)time(NULL) ^ ((unsigned)getpid() << 16));
		seeded = 1;
	}
	for (i = 0; i < 3; i++)
		out[i] = (unsigned char)(rand() >> 7);
}

int
action_key_new(char out[ACTION_KEY_LEN + 1], const struct action_list *taken)
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 b[3];
	int			 i;

	if (taken != NULL && taken->n >= (size_t)1 << (4 * ACTION_KEY_LEN))
		return pm_error_set("no free action key left");
	do {
		random_bytes(b);
		for (i = 0; i < 3; i++) {
			out[2 * i] = hex[b[i] >> 4];
			out[2 * i + 1] = hex[b[i] & 0xf];
		}
		out[ACTION_KEY_LEN] = '\0';
	} while (taken != NULL && action_list_find(taken, out) != NULL);
	return 0;
}

int
action_date_parse(struct civil *out, const char *s, size_t len)
{
	struct civil	 c;
	size_t		 i;
	int		 show;

	/* Quote at most a date's worth and a little: it is a message. */
	show = (int)(len > 32 ? 32 : len);
	if (len != 10 || s[4] != '-' || s[7] != '-')
		return pm_error_set("bad date '%.*s': expected YYYY-MM-DD",
		    show, s);
	for (i = 0; i < len; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return pm_error_set("bad date '%.*s': expected "
			    "YYYY-MM-DD", show, s);
	memset(&c, 0, sizeof c);
	c.year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	c.mon = (s[5] - '0') * 10 + (s[6] - '0');
	c.day = (s[8] - '0') * 10 + (s[9] - '0');
	if (!civil_valid(&c))
		return pm_error_set("bad date '%.*s': no such day", show, s);
	*out = c;
	return 0;
}
