/*
 * fuzz_import_sptext.c - the status-page text importer
 * (import_statuspage_text), twice per input: without a zone (times are
 * read from the zone abbreviations of the page) and with --tz
 * America/Los_Angeles and a title of our own. Either call fails with a
 * message or gives incidents as import.h promises them.
 */
#include "error.h"
#include "fuzz.h"
#include "import.h"

static void
one(const uint8_t *data, size_t size, const char *tz, const char *title)
{
	struct import_set	 set = { NULL, 0 };

	pm_error_clear();
	if (import_statuspage_text(&set, "page.txt", (const char *)data, size,
	    tz, title) < 0) {
		fuzz_check_error("import_statuspage_text");
		if (set.n != 0)
			fuzz_fail("import_statuspage_text failed but gave "
			    "incidents");
		return;
	}
	fuzz_check_import(&set);
	import_set_free(&set);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size, NULL, NULL);
	one(data, size, "America/Los_Angeles", "Fuzzed incident");
	return 0;
}
