/*
 * fuzz_import_statuspage.c - the Statuspage JSON importer
 * (import_statuspage): any bytes either fail with a message or give
 * incidents as import.h promises them (fuzz_check_import).
 */
#include "error.h"
#include "fuzz.h"
#include "import.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_set	 set = { NULL, 0 };

	pm_error_clear();
	if (import_statuspage(&set, "fuzz.json", (const char *)data,
	    size) < 0) {
		fuzz_check_error("import_statuspage");
		if (set.n != 0)
			fuzz_fail("import_statuspage failed but gave "
			    "incidents");
		return 0;
	}
	fuzz_check_import(&set);
	import_set_free(&set);
	return 0;
}
