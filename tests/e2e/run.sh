#!/bin/sh
# run.sh - every end-to-end test script; prints "e2e: N passed, N failed"
# where N counts scripts.
#
# Scripts run PMTOOL_JOBS at a time (default: one per CPU); each one's
# output is printed whole, in name order, when all are done. The scripts
# that drive a terminal (t-tui*.sh) run alone afterwards: their screens
# are timed, and a loaded machine would make them flaky, not wrong.
top=$(cd "$(dirname "$0")/../.." && pwd)
export PM_TOP="$top"
jobs=${PMTOOL_JOBS:-$(nproc 2>/dev/null || echo 1)}

# one SCRIPT - run it, keeping its output and its status in $logs.
one() {
	name=$(basename "$1")
	start=$(date +%s)
	sh "$1" >"$logs/$name.out" 2>&1
	echo $? >"$logs/$name.rc"
	echo $(( $(date +%s) - start )) >"$logs/$name.time"
}

# run.sh --one LOGDIR SCRIPT: how xargs starts each script.
if [ "${1:-}" = --one ]; then
	logs=$2
	one "$3"
	exit 0
fi
logs=$(mktemp -d "${TMPDIR:-/tmp}/pmtool-e2e-logs.XXXXXX")
trap 'rm -rf "$logs"' EXIT

ls "$top"/tests/e2e/t-*.sh 2>/dev/null | grep -v '/t-tui' |
    xargs -r -n 1 -P "$jobs" sh "$top/tests/e2e/run.sh" --one "$logs"
for t in "$top"/tests/e2e/t-tui*.sh; do
	[ -e "$t" ] && one "$t"
done

pass=0 failn=0
for t in "$top"/tests/e2e/t-*.sh; do
	[ -e "$t" ] || continue
	name=$(basename "$t")
	secs=$(cat "$logs/$name.time" 2>/dev/null || echo '?')
	cat "$logs/$name.out" 2>/dev/null
	if [ "$(cat "$logs/$name.rc" 2>/dev/null)" = 0 ]; then
		pass=$((pass + 1))
		echo "ok - $name ($secs s)"
	else
		failn=$((failn + 1))
		echo "FAILED - $name ($secs s)"
	fi
done
echo "e2e: $pass passed, $failn failed"
[ "$failn" -eq 0 ]
