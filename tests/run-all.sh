#!/bin/sh
# run-all.sh - every test: the Check unit tests and the end-to-end tests
# of the real binary, side by side (the unit tests are one process: under
# valgrind or ASan they would leave the other CPUs idle for minutes), the
# unit tests' output first. Prints one closing line "N passed, N failed".
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
export PM_TOP="$top"
status=0
unit_out=$(mktemp)
e2e_out=$(mktemp)
trap 'rm -f "$unit_out" "$e2e_out"' EXIT

# Check's per-test time limits guard against hangs; with the end-to-end
# tests on the same CPUs a test may take longer, not hang.
unit() {
	export CK_TIMEOUT_MULTIPLIER="${CK_TIMEOUT_MULTIPLIER:-10}"
	if [ -n "$PMTOOL_VALGRIND" ]; then
		CK_FORK=no valgrind -q --leak-check=full \
		    --errors-for-leak-kinds=definite \
		    --suppressions="$top/tests/valgrind.supp" \
		    --error-exitcode=99 --read-inline-info=no --vgdb=no \
		    tests/unit/run
	else
		tests/unit/run
	fi
}

unit >"$unit_out" 2>&1 &
unit_pid=$!
sh tests/e2e/run.sh >"$e2e_out" 2>&1 || status=1
wait "$unit_pid" || status=1

cat "$unit_out"
unit_pass=$(sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$unit_out")
unit_fail=$(sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$unit_out")
[ -n "$unit_pass" ] || { unit_pass=0; unit_fail=1; status=1; }
cat "$e2e_out"
e2e_pass=$(sed -n 's/^e2e: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$e2e_out")
e2e_fail=$(sed -n 's/^e2e: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$e2e_out")
[ -n "$e2e_pass" ] || { e2e_pass=0; e2e_fail=1; status=1; }
echo "$((unit_pass + e2e_pass)) passed, $((unit_fail + e2e_fail)) failed"
exit $status
