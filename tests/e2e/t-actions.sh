#!/bin/sh
# t-actions.sh - pmtool action add, done and list: the appended records, one
# commit each, the table and the JSON, overdue actions, broken files, and
# two clones adding actions to one incident and merging.
. "$(dirname "$0")/lib.sh"

S="$T/store"
new_store "$S"
cd "$S" || exit 1
NOW=2021-11-19T16:24:00Z		# 17:24 in Amsterdam
export PMTOOL_TEST_TIME=$NOW
ID=$(pmtool new --tz Europe/Amsterdam --at 2021-11-19T15:00:00Z Database issues)
assert_eq "$ID" 2021-11-19-database-issues "the incident"
AF="incidents/$ID/actions.txt"
HEADER="pmtool-actions 1
# Corrective actions of this incident. One record per line; see
# formats/actions-format.md."

# added_lines - the lines HEAD added, without the "+".
added_lines() { git diff HEAD~1 HEAD | sed -n 's/^+\([^+]\)/\1/p; s/^+$//p'; }
# key_of TEXT - the key of the action added with TEXT.
key_of() { sed -n "s/^[^ ]* add \([0-9a-f]\{6\}\) $1\$/\1/p" "$AF"; }
# clean WHAT - git status is clean.
clean() { assert_eq "$(git status --porcelain)" "" "$1: git status clean"; }
# one_commit N WHAT - HEAD is commit N and touches only the actions file.
one_commit() {
	assert_eq "$(commit_count "$S")" "$1" "$2: one commit"
	assert_eq "$(git show --name-only --format= HEAD)" "$AF" \
	    "$2: the commit touches only actions.txt"
	assert_contains "$(git show --stat --format= HEAD)" "1 file changed" \
	    "$2: git show --stat"
}
# unchanged COPY N WHAT - a failed command left the file and history.
unchanged() {
	assert_file_same "$AF" "$1" "$3: actions.txt"
	assert_eq "$(commit_count "$S")" "$2" "$3: nothing committed"
	clean "$3"
}
# json_rows PYTHON-EXPR - evaluate EXPR for each object of $OUT, one a line.
json_rows() {
	printf '%s' "$OUT" | python3 -c '
import json, sys
try:
    rows = json.load(sys.stdin)
except ValueError:
    rows = []
    print("(not JSON)")
for a in rows:
    print('"$1"')'
}

# --- add ---------------------------------------------------------------------
N=$(commit_count "$S")
run pmtool action add "$ID" --owner "Alex Kim" --due 2021-12-15 \
    Fix the product bug
assert_rc 0 "add with owner and due"
assert_eq "$OUT" 1 "add prints the number alone"
assert_eq "$ERR" "" "add: nothing on stderr"
K1=$(key_of "Fix the product bug")
assert_eq "$(printf '%s' "$K1" | grep -cx '[0-9a-f]\{6\}')" 1 "a 6-hex key"
assert_eq "$(cat "$AF")" "$HEADER
2021-11-19T17:24:00+01:00 add $K1 Fix the product bug
2021-11-19T17:24:00+01:00 owner $K1 Alex Kim
2021-11-19T17:24:00+01:00 due $K1 2021-12-15" "the first add creates the file"
one_commit $((N + 1)) "first add"
assert_eq "$(added_lines)" "$(cat "$AF")" "first add: the commit adds the whole file"
assert_eq "$(git log -1 --format=%B)" "$ID: add corrective action 1

Fix the product bug" "add: commit message"
assert_eq "$(git log -1 --format=%at)" 1637339040 "add: commit time is PMTOOL_TEST_TIME"
clean "first add"

PMTOOL_TEST_TIME=2021-11-19T16:25:00Z
run pmtool action add "$ID" Monitor the monitoring services
assert_rc 0 "add without owner or due"
assert_eq "$OUT" 2 "second add prints 2"
K2=$(key_of "Monitor the monitoring services")
one_commit $((N + 2)) "second add"
assert_eq "$(added_lines)" \
    "2021-11-19T17:25:00+01:00 add $K2 Monitor the monitoring services" \
    "second add: exactly one line"
assert_eq "$(git diff --numstat HEAD~1 HEAD)" "1	0	$AF" "second add: numstat"
assert_eq "$(git log -1 --format=%s)" "$ID: add corrective action 2" \
    "second add: subject"
clean "second add"

# Options after the text; non-ASCII text and owner; an owner without due.
run pmtool action add "$ID" Überprüfen der Zähler — 日本語 --owner "Zoë Brontë"
assert_rc 0 "add, non-ASCII"
assert_eq "$OUT" 3 "third add prints 3"
K3=$(key_of "Überprüfen der Zähler — 日本語")
assert_eq "$(added_lines)" \
"2021-11-19T17:25:00+01:00 add $K3 Überprüfen der Zähler — 日本語
2021-11-19T17:25:00+01:00 owner $K3 Zoë Brontë" "non-ASCII add: two lines, verbatim"
one_commit $((N + 3)) "third add"
clean "third add"

# Text that begins with a dash, after --; a due date without owner.
run pmtool action add "$ID" --due 2021-11-01 -- -5% error budget alert
assert_rc 0 "add -- -text"
assert_eq "$OUT" 4 "fourth add prints 4"
K4=$(key_of "-5% error budget alert")
assert_eq "$(added_lines)" \
"2021-11-19T17:25:00+01:00 add $K4 -5% error budget alert
2021-11-19T17:25:00+01:00 due $K4 2021-11-01" "add --: the text keeps its dash"
one_commit $((N + 4)) "fourth add"
clean "fourth add"
assert_eq "$(printf '%s\n%s\n%s\n%s\n' "$K1" "$K2" "$K3" "$K4" | sort -u | wc -l)" 4 \
    "four different keys"

# --- usage and input errors: exit 2 or 1, nothing written ------------------
cp "$AF" "$T/af.copy"
N=$(commit_count "$S")
run pmtool action add "$ID" -x
assert_rc 2 "add -x: usage error"
assert_contains "$ERR" "put -- before the text" "add -x: points to --"
run pmtool action add "$ID" --due 2021-02-30 Some text
assert_rc 2 "bad --due: usage error"
assert_contains "$ERR" "--due: bad date '2021-02-30': no such day" "bad --due: says why"
run pmtool action add "$ID" --due tomorrow Some text
assert_rc 2 "--due tomorrow"
assert_contains "$ERR" "bad date 'tomorrow': expected YYYY-MM-DD" "--due tomorrow: says the format"
run pmtool action add "$ID" --due
assert_rc 2 "--due without a value"
run pmtool action add "$ID"
assert_rc 2 "add without text"
assert_contains "$ERR" "an incident id and the action's text are needed" "add without text: says so"
run pmtool action add "$ID" "   "
assert_rc 2 "add with blank text"
run pmtool action add "$ID" "two
lines"
assert_rc 1 "add with a newline in the text"
assert_contains "$ERR" "text: must be one line" "newline in text: says so"
run pmtool action add "$ID" --owner "$(printf 'bell\a')" text
assert_rc 1 "control character in the owner"
assert_contains "$ERR" "owner: control character" "control character: says so"
run pmtool action add no-such-incident Some text
assert_rc 1 "add to an unknown incident"
run pmtool action
assert_rc 2 "action without a subcommand"
run pmtool action remove "$ID" 1
assert_rc 2 "unknown subcommand"
assert_contains "$ERR" "unknown action command 'remove'" "unknown subcommand: named"
unchanged "$T/af.copy" "$N" "after the refused adds"

# --- list --------------------------------------------------------------------
run pmtool action list "$ID"
assert_rc 0 "list ID"
assert_eq "$OUT" "N  STATE    DUE         OWNER       TEXT
1  open     2021-12-15  Alex Kim    Fix the product bug
2  open     -           -           Monitor the monitoring services
3  open     -           Zoë Brontë  Überprüfen der Zähler — 日本語
4  OVERDUE  2021-11-01  -           -5% error budget alert" "list ID: the table"
run pmtool action list 2021-11-19-data
assert_rc 0 "list with a unique prefix"
assert_contains "$OUT" "Fix the product bug" "list prefix: the actions"
run pmtool action list "$ID" --json
assert_rc 0 "list --json"
assert_eq "$(json_rows '"|".join(str(a[k]) for k in ("incident", "n", "key", "text", "owner", "due", "state", "overdue", "added", "done_at"))')" \
"$ID|1|$K1|Fix the product bug|Alex Kim|2021-12-15|open|False|2021-11-19T17:24:00+01:00|None
$ID|2|$K2|Monitor the monitoring services||None|open|False|2021-11-19T17:25:00+01:00|None
$ID|3|$K3|Überprüfen der Zähler — 日本語|Zoë Brontë|None|open|False|2021-11-19T17:25:00+01:00|None
$ID|4|$K4|-5% error budget alert||2021-11-01|open|True|2021-11-19T17:25:00+01:00|None" \
    "list --json: exact values"
assert_eq "$(json_rows 'sorted(a.keys()) == sorted(["incident", "n", "key", "text", "owner", "due", "state", "overdue", "added", "done_at"])' | sort -u)" \
    True "list --json: exactly the documented keys"
assert_eq "$(json_rows 'type(a["n"]).__name__, type(a["overdue"]).__name__' | sort -u)" \
    "int bool" "list --json: n is a number, overdue a boolean"
clean "list"

# --- done --------------------------------------------------------------------
N=$(commit_count "$S")
PMTOOL_TEST_TIME=2021-12-10T09:12:00Z
run pmtool action done "$ID" 1
assert_rc 0 "done"
assert_eq "$OUT" "action 1 of $ID done" "done: the message"
assert_eq "$(added_lines)" "2021-12-10T10:12:00+01:00 done $K1" "done: one record"
one_commit $((N + 1)) "done"
assert_eq "$(git log -1 --format=%B)" "$ID: corrective action 1 done

Fix the product bug" "done: commit message"
clean "done"
cp "$AF" "$T/af.copy"
N=$(commit_count "$S")
run pmtool action done "$ID" 1
assert_rc 1 "done twice"
assert_contains "$ERR" "action 1 of $ID is already done (since 2021-12-10 10:12 CET)" \
    "done twice: says so"
run pmtool action done "$ID" 9
assert_rc 1 "done, no such action"
assert_contains "$ERR" "$ID has no action 9 (it has 4)" "done 9: says so"
run pmtool action done "$ID" 0
assert_rc 2 "done 0"
run pmtool action done "$ID" two
assert_rc 2 "done two"
run pmtool action done "$ID"
assert_rc 2 "done without a number"
run pmtool action done "$ID" 2 3
assert_rc 2 "done with two numbers"
unchanged "$T/af.copy" "$N" "after the refused dones"

run pmtool action list "$ID" --json
assert_eq "$(json_rows 'a["n"], a["state"], a["done_at"]' | head -n 2)" \
"1 done 2021-12-10T10:12:00+01:00
2 open None" "list --json after done"
run pmtool action list "$ID" --open
assert_rc 0 "list --open"
assert_eq "$(printf '%s\n' "$OUT" | cut -c1-2 | tr -d ' ' | tr '\n' ' ')" \
    "N 2 3 4 " "--open: only the open actions"
run pmtool action list "$ID" --open --json
assert_eq "$(json_rows 'a["n"]' | tr '\n' ' ')" "2 3 4 " "--open --json"

# --- overdue: today in the incident's zone -----------------------------------
PMTOOL_TEST_TIME=2021-12-10T09:00:00Z
pmtool action add "$ID" --due 2021-12-15 Write the runbook >/dev/null
PMTOOL_TEST_TIME=2021-12-15T22:30:00Z	# 23:30 on the 15th in Amsterdam
run pmtool action list "$ID" --json
assert_eq "$(json_rows 'a["overdue"]' | tail -n 1)" False "due today: not overdue"
run pmtool action list "$ID"
assert_contains "$OUT" "5  open     2021-12-15" "due today: open"
PMTOOL_TEST_TIME=2021-12-15T23:30:00Z	# 00:30 on the 16th in Amsterdam
run pmtool action list "$ID" --json
assert_eq "$(json_rows 'a["overdue"]' | tail -n 1)" True "due yesterday: overdue"
run pmtool action list "$ID"
assert_contains "$OUT" "5  OVERDUE  2021-12-15" "due yesterday: OVERDUE in the table"
assert_contains "$OUT" "1  done     2021-12-15" "a done action is never overdue"

# --- every incident ----------------------------------------------------------
PMTOOL_TEST_TIME=2021-12-01T12:00:00Z
ID2=$(pmtool new --tz America/Los_Angeles --at 2021-11-30T10:00:00-08:00 API outage)
ID3=$(pmtool new --tz UTC --at 2021-11-01T10:00:00Z Quiet one)
pmtool action add "$ID2" --due 2021-12-15 --owner Sam Add retries >/dev/null
pmtool action add "$ID2" Page the API team >/dev/null
# 05:00Z on the 16th: the 16th in Amsterdam, still the 15th in Los Angeles.
PMTOOL_TEST_TIME=2021-12-16T05:00:00Z
run pmtool action list --json
assert_rc 0 "list every incident"
assert_eq "$(json_rows '"%s %d %s %s" % (a["incident"], a["n"], a["state"], a["overdue"])')" \
"$ID 1 done False
$ID 2 open False
$ID 3 open False
$ID 4 open True
$ID 5 open True
$ID2 1 open False
$ID2 2 open False" "every incident: sorted by incident then number; today per zone"
run pmtool action list
assert_rc 0 "list every incident, text"
assert_eq "$(printf '%s\n' "$OUT" | head -n 1)" \
    "INCIDENT                    N  STATE    DUE         OWNER       TEXT" \
    "every incident: the heading"
assert_eq "$(printf '%s\n' "$OUT" | tail -n 2)" \
"2021-11-30-api-outage       1  open     2021-12-15  Sam         Add retries
2021-11-30-api-outage       2  open     -           -           Page the API team" \
    "every incident: the other incident's rows"
assert_not_contains "$OUT" "$ID3" "an incident without actions has no rows"
run pmtool action list "$ID3"
assert_rc 0 "list an incident without actions"
assert_eq "$OUT" "no corrective actions in $ID3" "no actions: says so"
run pmtool action list "$ID3" --json
assert_eq "$OUT" "[]" "no actions: an empty JSON array"
clean "lists"

# --- a broken actions file ---------------------------------------------------
AF2="incidents/$ID2/actions.txt"
printf '2021-12-02T10:00:00Z done zzzzzz\n' >>"$AF2"
cp "$AF2" "$T/af2.copy"
N=$(commit_count "$S")
ERRMSG="$AF2:8:27: error: bad action key 'zzzzzz': expected 6 lowercase hexadecimal digits"
run pmtool action list
assert_rc 1 "list with a broken file"
assert_eq "$ERR" "pmtool: $ERRMSG" "broken file: FILE:LINE:COL on stderr"
assert_contains "$OUT" "Fix the product bug" "broken file: the others still listed"
assert_not_contains "$OUT" "Add retries" "broken file: its actions not listed"
run pmtool action list --json
assert_rc 1 "list --json with a broken file"
assert_eq "$(json_rows 'a["incident"]' | sort -u)" "$ID" "list --json: the others, valid JSON"
run pmtool action list "$ID2"
assert_rc 1 "list ID of the broken file"
assert_contains "$ERR" "$ERRMSG" "list ID: the error"
run pmtool action add "$ID2" More work
assert_rc 1 "add to a broken file"
assert_contains "$ERR" "$ERRMSG" "add to a broken file: the error"
run pmtool action done "$ID2" 1
assert_rc 1 "done in a broken file"
assert_file_same "$AF2" "$T/af2.copy" "broken file untouched"
assert_eq "$(commit_count "$S")" "$N" "broken file: nothing committed"
assert_eq "$(git status --porcelain)" " M $AF2" "broken file: only the hand edit"
# A second add for a key already added (a bad copy and paste).
git checkout -q -- "$AF2"
sed -n '4p' "$AF2" >>"$AF2"
run pmtool action add "$ID2" More work
assert_rc 1 "a key added twice"
assert_contains "$ERR" "$AF2:8:31: error: action" "key added twice: position"
assert_contains "$ERR" "is added twice (first on line 4)" "key added twice: message"
assert_eq "$(commit_count "$S")" "$N" "key added twice: nothing committed"
git checkout -q -- "$AF2"

# A hand edit that dropped the final newline: pmtool restores it.
printf '%s' "$(cat "$AF2")" >"$AF2"
git commit -q -am "hand edit"
N=$(commit_count "$S")
run pmtool action add "$ID2" After the hand edit
assert_rc 0 "add after a hand edit without a final newline"
assert_eq "$OUT" 3 "add after the hand edit: 3"
assert_eq "$(git diff --numstat HEAD~1 HEAD)" "2	1	$AF2" \
    "the missing newline and the record"
assert_eq "$(tail -n 2 "$AF2" | cut -d' ' -f2,4-)" "add Page the API team
add After the hand edit" "the last two records, one a line"
clean "after the hand edit"

# --- two clones, one incident, merged ----------------------------------------
O="$T/origin" A="$T/alice" B="$T/bob"
new_store "$O"
PMTOOL_TEST_TIME=2022-03-01T09:00:00Z
MID=$(pmtool -C "$O" new --tz UTC --at 2022-03-01T08:00:00Z Disk full)
MF="incidents/$MID/actions.txt"
# Each clone adds the first action: both create the file.
git clone -q "$O" "$A"
git clone -q "$O" "$B"
BR=$(git -C "$O" symbolic-ref --short HEAD)
assert_eq "$(git -C "$A" check-attr merge -- "$MF")" "$MF: merge: union" \
    "the store's .gitattributes declares merge=union for actions.txt"
PMTOOL_TEST_TIME=2022-03-01T10:00:00Z
run pmtool -C "$A" action add "$MID" --owner Alice Alice first
assert_eq "$OUT" 1 "Alice's first action is her 1"
PMTOOL_TEST_TIME=2022-03-01T09:30:00Z
run pmtool -C "$B" action add "$MID" Bob first
assert_eq "$OUT" 1 "Bob's first action is his 1"
run git -C "$A" pull --no-rebase --no-edit -q "$B" "$BR"
assert_rc 0 "merging two new actions files: no conflict"
assert_not_contains "$OUT$ERR" "CONFLICT" "first merge: no CONFLICT"
assert_eq "$(git -C "$A" status --porcelain)" "" "first merge: clean"
assert_eq "$(grep -c '^pmtool-actions 1$' "$A/$MF")" 1 "first merge: one magic line"
run pmtool -C "$A" action list "$MID" --json
assert_rc 0 "list after the first merge"
assert_eq "$(json_rows '"%d %s" % (a["n"], a["text"])')" "1 Bob first
2 Alice first" "first merge: numbered by time (Bob's was earlier)"

# Then both work on the merged file.
run git -C "$B" pull --no-rebase -q "$A" "$BR"
assert_rc 0 "Bob fast-forwards"
PMTOOL_TEST_TIME=2022-03-02T10:00:00Z
run pmtool -C "$A" action add "$MID" Alice second
assert_eq "$OUT" 3 "Alice's second is 3 on her clone"
run pmtool -C "$A" action done "$MID" 1
assert_rc 0 "Alice marks Bob's action done"
PMTOOL_TEST_TIME=2022-03-02T09:00:00Z
run pmtool -C "$B" action add "$MID" --due 2022-03-10 Bob second
assert_eq "$OUT" 3 "Bob's second is 3 on his clone"
run pmtool -C "$B" action done "$MID" 1
assert_rc 0 "Bob marks his own action done too"
cp "$A/$MF" "$T/alice.before"
cp "$B/$MF" "$T/bob.before"
run git -C "$A" pull --no-rebase --no-edit -q "$B" "$BR"
assert_rc 0 "second merge: no conflict"
assert_not_contains "$OUT$ERR" "CONFLICT" "second merge: no CONFLICT"
assert_eq "$(git -C "$A" status --porcelain)" "" "second merge: clean"
check; grep -qE '^(<<<<<<<|=======|>>>>>>>)' "$A/$MF" && fail "conflict markers"
for side in alice bob; do
	while IFS= read -r line; do
		check
		n=$(grep -cxF -- "$line" "$A/$MF")
		[ "$n" -eq 1 ] || fail "merged file has [$line] from $side $n times"
	done <"$T/$side.before"
done
run pmtool -C "$A" action list "$MID" --json
assert_rc 0 "list after the second merge"
assert_eq "$(json_rows '"%d %s %s %s" % (a["n"], a["text"], a["state"], a["done_at"])')" \
"1 Bob first done 2022-03-02T09:00:00Z
2 Alice first open None
3 Bob second open None
4 Alice second open None" "second merge: all four, numbered by time; done since the first done"
run git -C "$B" pull --no-rebase -q "$A" "$BR"
assert_rc 0 "Bob pulls the merge"
assert_file_same "$B/$MF" "$A/$MF" "both clones: the same file"
run pmtool -C "$B" action list "$MID"
assert_eq "$OUT" "N  STATE    DUE         OWNER  TEXT
1  done     -           -      Bob first
2  open     -           Alice  Alice first
3  open     2022-03-10  -      Bob second
4  open     -           -      Alice second" "Bob's clone numbers them the same"
run pmtool -C "$B" action done "$MID" 4
assert_rc 0 "done after the merges"
assert_eq "$(git -C "$B" diff --numstat HEAD~1 HEAD)" "1	0	$MF" "done after the merges: one line"
assert_eq "$(git -C "$B" status --porcelain)" "" "done after the merges: clean"

finish
