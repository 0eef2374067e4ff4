#!/bin/sh
# run-all.sh - every test: the Check unit tests, then the end-to-end tests
# of the real binary. Prints one closing line "N passed, N failed".
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
export PM_TOP="$top"
status=0
out=$(mktemp)
if [ -n "$PMTOOL_VALGRIND" ]; then
	CK_FORK=no valgrind -q --leak-check=full --errors-for-leak-kinds=definite \
	    --suppressions="$top/tests/valgrind.supp" --error-exitcode=99 \
	    --read-inline-info=no --vgdb=no tests/unit/run >"$out" 2>&1 ||
	    status=1
else
	tests/unit/run >"$out" 2>&1 || status=1
fi
cat "$out"
unit_pass=$(sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$out")
unit_fail=$(sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$out")
[ -n "$unit_pass" ] || { unit_pass=0; unit_fail=1; status=1; }
sh tests/e2e/run.sh >"$out" 2>&1 || status=1
cat "$out"
e2e_pass=$(sed -n 's/^e2e: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$out")
e2e_fail=$(sed -n 's/^e2e: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$out")
[ -n "$e2e_pass" ] || { e2e_pass=0; e2e_fail=1; status=1; }
rm -f "$out"
echo "$((unit_pass + e2e_pass)) passed, $((unit_fail + e2e_fail)) failed"
exit $status
