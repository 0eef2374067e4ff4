#!/bin/sh
# run.sh - `make fuzz`: run libFuzzer harnesses one after another.
#
#   sh tests/fuzz/run.sh BINDIR WORKDIR SECONDS NAME...
#
# Each BINDIR/fuzz_NAME runs for SECONDS with the seeds of
# tests/fuzz/seeds/NAME (and WORKDIR/NAME/seeds, where `make fuzz` puts
# generated seeds) and the dictionary tests/fuzz/NAME.dict, adding what
# it finds to its own corpus WORKDIR/NAME/corpus. Its log is
# WORKDIR/NAME/log, and a crash, leak or timeout is kept as
# WORKDIR/NAME/crash-*, leak-*, timeout-*.
# Prints one line per harness; exits 1 when any of them failed.
#
# FUZZ_TIMEOUT (seconds per input, default 20) and FUZZ_FLAGS (more
# libFuzzer options) come from the environment.
dir=$(dirname "$0")
bin=$1 work=$2 secs=$3
shift 3
status=0
for n in "$@"; do
	w="$work/$n"
	mkdir -p "$w/corpus"
	set -- "$w/corpus"
	# Not tests/fuzz/regress: make check replays those, and some were
	# found as inputs that run up to a limit, slow to mutate.
	for d in "$dir/seeds/$n" "$w/seeds"; do
		[ -d "$d" ] && set -- "$@" "$d"
	done
	[ -f "$dir/$n.dict" ] && set -- "$@" "-dict=$dir/$n.dict"
	# shellcheck disable=SC2086
	"$bin/fuzz_$n" "$@" -max_total_time="$secs" \
	    -timeout="${FUZZ_TIMEOUT:-20}" -print_final_stats=1 \
	    -artifact_prefix="$w/" ${FUZZ_FLAGS:-} >"$w/log" 2>&1
	rc=$?
	# The log may hold the inputs' bytes: read it as text (-a, LC_ALL).
	runs=$(LC_ALL=C sed -n 's/^stat::number_of_executed_units: *//p' \
	    "$w/log" | tail -n 1)
	rate=$(LC_ALL=C sed -n 's/^stat::average_exec_per_sec: *//p' \
	    "$w/log" | tail -n 1)
	cov=$(LC_ALL=C grep -a -o 'cov: [0-9]*' "$w/log" | tail -n 1)
	if [ "$rc" -eq 0 ]; then
		echo "fuzz $n: ok, ${runs:-?} runs in ${secs}s" \
		    "(${rate:-?} exec/s), $cov, corpus" \
		    "$(ls "$w/corpus" | wc -l)"
	else
		status=1
		echo "fuzz $n: FAILED (exit $rc) after ${runs:-?} runs;" \
		    "log $w/log"
		ls "$w"/crash-* "$w"/leak-* "$w"/timeout-* "$w"/oom-* \
		    "$w"/slow-unit-* 2>/dev/null | sed 's/^/    /'
		LC_ALL=C grep -a -m 3 -E '^(==[0-9]+==ERROR|SUMMARY|fuzz: )' \
		    "$w/log" |
		    sed 's/^/    /'
	fi
done
exit $status
