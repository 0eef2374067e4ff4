/*
 * fuzz.h - what the fuzz harnesses (tests/fuzz/fuzz_*.c) share.
 *
 * Each harness defines LLVMFuzzerTestOneInput(). clang's libFuzzer calls
 * it for `make fuzz`; replay.c calls it for every file it is given, so
 * the seeds and the crash regressions also run in normal gcc builds
 * (`make fuzz-replay`, and tests/e2e/t-fuzz-regress.sh in `make check`).
 *
 * A harness frees everything it allocates (a leak is an error under
 * ASan) and never exits: a broken invariant is reported through
 * fuzz_fail(), which aborts, so libFuzzer keeps the input as a crash.
 */
#ifndef PM_FUZZ_H
#define PM_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "import.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Print "fuzz: invariant broken: MESSAGE" on stderr and abort(). */
void	 fuzz_fail(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
/* After a call that failed: abort when what set no error message
 * (pm_error_clear() before the call). */
void	 fuzz_check_error(const char *what);
/* data[0..size) as a NUL-terminated string (free()); it ends at the first
 * NUL of data, as a C string would. */
char	*fuzz_string(const uint8_t *data, size_t size);
/* Check what import.h promises of an importer's result: titles one line
 * and not empty, text cleaned, events oldest first, source ids unique
 * within an incident, a zone in the database; and that each incident,
 * written as pmtool import writes it, reads back. Aborts when it does
 * not hold. */
void	 fuzz_check_import(const struct import_set *set);

#endif
