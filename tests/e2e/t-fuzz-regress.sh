#!/bin/sh
# t-fuzz-regress.sh - every seed and every crash the fuzzers found
# (tests/fuzz/seeds, tests/fuzz/regress) through its harness, built by
# the normal compiler without libFuzzer (tests/fuzz/replay.c): what once
# crashed stays fixed. `make check` builds the replay binaries.
. "$(dirname "$0")/lib.sh"

F="$TOP/tests/fuzz"
for src in "$F"/fuzz_*.c; do
	n=$(basename "$src" .c)
	n=${n#fuzz_}
	bin="$F/replay-$n"
	check
	if [ ! -x "$bin" ]; then
		fail "$n: no $bin (make fuzz-replay-bins)"
		continue
	fi
	set -- "$F/seeds/$n"
	[ -d "$F/regress/$n" ] && set -- "$@" "$F/regress/$n"
	if [ -n "${PMTOOL_VALGRIND:-}" ]; then
		run $VALGRIND "$bin" -v "$@"
	else
		run "$bin" -v "$@"
	fi
	assert_rc 0 "$n: replay of seeds and regressions"
	if [ "$RC" -ne 0 ]; then
		echo "$ERR" | tail -n 30
	fi
	assert_contains "$OUT" "replay: " "$n: replay ran"
done
finish
