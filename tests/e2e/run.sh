#!/bin/sh
# run.sh - every end-to-end test script; prints "e2e: N passed, N failed"
# where N counts scripts.
top=$(cd "$(dirname "$0")/../.." && pwd)
export PM_TOP="$top"
pass=0 failn=0
for t in "$top"/tests/e2e/t-*.sh; do
	[ -e "$t" ] || continue
	if sh "$t"; then
		pass=$((pass + 1))
		echo "ok - $(basename "$t")"
	else
		failn=$((failn + 1))
		echo "FAILED - $(basename "$t")"
	fi
done
echo "e2e: $pass passed, $failn failed"
[ "$failn" -eq 0 ]
