/*
 * fuzz_actfile.c - the corrective-actions reader (actfile_parse), then
 * what is done with its result: every action as JSON (actjson_action),
 * looked up by number and by key.
 */
#include <stdlib.h>
#include <string.h>

#include "actfile.h"
#include "error.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct action_list	 list = { NULL, 0 };
	struct civil		 today = { 2020, 6, 7, 0, 0, 0 };
	struct action		*a;
	json_t			*j;
	char			*s;
	size_t			 i;

	pm_error_clear();
	if (actfile_parse(&list, "actions.txt", (const char *)data,
	    size) < 0) {
		fuzz_check_error("actfile_parse");
		if (list.items != NULL || list.n != 0)
			fuzz_fail("actfile_parse failed but filled the list");
		return 0;
	}
	for (i = 0; i < list.n; i++) {
		a = &list.items[i];
		if (a->n != i + 1)
			fuzz_fail("action %zu has number %u", i + 1, a->n);
		if (!action_key_valid(a->key, strlen(a->key)))
			fuzz_fail("action %u: bad key '%s'", a->n, a->key);
		if (action_list_get(&list, a->n) != a ||
		    action_list_find(&list, a->key) != a)
			fuzz_fail("action %u not found again", a->n);
		if (a->text == NULL || a->owner == NULL ||
		    strchr(a->text, '\n') != NULL)
			fuzz_fail("action %u: bad text or owner", a->n);
		(void)action_is_overdue(a, &today);
		if ((j = actjson_action(a, "2020-06-07-fuzz", &today)) == NULL)
			fuzz_fail("action %u: no JSON", a->n);
		if ((s = json_dumps(j, JSON_COMPACT)) == NULL)
			fuzz_fail("action %u: JSON does not dump", a->n);
		free(s);
		json_decref(j);
	}
	action_list_free(&list);
	return 0;
}
