#!/bin/sh
# t-merge.sh - two clones log to the same incident; git merges them with the
# committed merge=union attribute: no conflict, both events kept, pmtool
# orders them by time and the metrics are those of the union.
. "$(dirname "$0")/lib.sh"

export PMTOOL_TEST_TIME=2020-06-07T12:00:00Z
O="$T/origin" A="$T/alice" B="$T/bob"
new_store "$O"
ID=$(pmtool -C "$O" new --tz America/Los_Angeles --severity SEV1 \
    --at 2020-06-07T00:45:00-07:00 Database issues)
F="incidents/$ID/timeline.txt"
git clone -q "$O" "$A"
git clone -q "$O" "$B"
BR=$(git -C "$O" symbolic-ref --short HEAD)
assert_eq "$(git -C "$A" check-attr merge -- "$F")" "$F: merge: union" \
    "the clone has merge=union from the committed .gitattributes"
run pmtool -C "$A" list
assert_rc 0 "a clone is a store"

# Each logs different events, with times that interleave.
pmtool -C "$A" log "$ID" detected --at 2020-06-07T01:10:00-07:00 Alert from Alice >/dev/null
pmtool -C "$B" log "$ID" status investigating --at 2020-06-07T01:05:00-07:00 Bob posted >/dev/null
printf 'Alice failed over\nto the replica\n' >"$T/a.txt"
pmtool -C "$A" log "$ID" action --at 2020-06-07T01:30:00-07:00 - <"$T/a.txt" >/dev/null
printf 'monitoring Bob says\nit looks better\nsee the graphs\n' >"$T/b.txt"
pmtool -C "$B" log "$ID" status --at 2020-06-07T01:40:00-07:00 - <"$T/b.txt" >/dev/null
pmtool -C "$A" log "$ID" mitigated --at 2020-06-07T01:35:00-07:00 >/dev/null
pmtool -C "$B" log "$ID" acknowledged --at 2020-06-07T01:15:00-07:00 Bob is on it >/dev/null
pmtool -C "$B" log "$ID" resolved --at 2020-06-07T02:00:00-07:00 >/dev/null
assert_eq "$(commit_count "$A")" 5 "Alice: init, new, 3 logs"
assert_eq "$(commit_count "$B")" 6 "Bob: init, new, 4 logs"
cp "$A/$F" "$T/alice.before"
cp "$B/$F" "$T/bob.before"

# Alice pulls Bob's work.
run git -C "$A" pull --no-rebase --no-edit -q "$B" "$BR"
assert_rc 0 "git pull: no conflict"
assert_not_contains "$OUT$ERR" "CONFLICT" "git pull reports no conflict"
assert_eq "$(git -C "$A" status --porcelain)" "" "after the merge: clean"
assert_eq "$(git -C "$A" rev-list --count --merges HEAD)" 1 "a merge commit"
assert_eq "$(git -C "$A" rev-list --count HEAD)" 10 "both histories: 2 shared + 3 + 4 + merge"
check; grep -qE '^(<<<<<<<|=======|>>>>>>>)' "$A/$F" && fail "conflict markers in the merged file"
# Every line of both sides is there, each once.
for side in alice bob; do
	while IFS= read -r line; do
		check
		n=$(grep -cxF -- "$line" "$A/$F")
		case "$line" in
		""|"  "*) [ "$n" -ge 1 ] || fail "merged file lacks [$line] from $side" ;;
		*) [ "$n" -eq 1 ] || fail "merged file has [$line] from $side $n times" ;;
		esac
	done <"$T/$side.before"
done
assert_eq "$(wc -l <"$A/$F")" 16 "merged file: 5 header + 1 started + 4 from Alice + 6 from Bob"
# Multi-line events stay whole: each continuation follows its event.
assert_eq "$(grep -A1 'action Alice failed over' "$A/$F" | tail -n 1)" "  to the replica" \
    "Alice's continuation line follows her event"
assert_eq "$(grep -A2 'status monitoring Bob says' "$A/$F" | tail -n 2)" "  it looks better
  see the graphs" "Bob's continuation lines follow his event"
run git -C "$A" fsck --no-dangling
assert_rc 0 "git fsck after the merge"

run pmtool -C "$A" show "$ID"
assert_rc 0 "show after the merge"
assert_eq "$(printf '%s\n' "$OUT" | sed -n '/^  [0-9a-f]\{7\} 2020-/p' | cut -c11-)" \
"2020-06-07 00:45 PDT  started
2020-06-07 01:05 PDT  status/investigating Bob posted
2020-06-07 01:10 PDT  detected             Alert from Alice
2020-06-07 01:15 PDT  acknowledged         Bob is on it
2020-06-07 01:30 PDT  action               Alice failed over
2020-06-07 01:35 PDT  mitigated
2020-06-07 01:40 PDT  status/monitoring    Bob says
2020-06-07 02:00 PDT  resolved" "show orders both sides' events by time"
run pmtool -C "$A" show "$ID" --json
assert_contains "$OUT" '"text": "Alice failed over\nto the replica"' "Alice's multi-line text intact"
assert_contains "$OUT" '"text": "Bob says\nit looks better\nsee the graphs"' "Bob's multi-line text intact"
assert_contains "$OUT" '"state": "resolved"' "merged incident is resolved (Bob's resolved event)"

# The metrics of the merge are the metrics of the union, computed by a
# third store where one person logged everything, in another order.
run pmtool -C "$A" metrics "$ID" --json
assert_rc 0 "metrics after the merge"
printf '%s' "$OUT" >"$T/merged.json"
C="$T/carol"
new_store "$C"
CID=$(pmtool -C "$C" new --tz America/Los_Angeles --at 2020-06-07T00:45:00-07:00 Union)
pmtool -C "$C" log "$CID" resolved --at 2020-06-07T02:00:00-07:00 >/dev/null
pmtool -C "$C" log "$CID" status --at 2020-06-07T01:40:00-07:00 - <"$T/b.txt" >/dev/null
pmtool -C "$C" log "$CID" mitigated --at 2020-06-07T01:35:00-07:00 >/dev/null
pmtool -C "$C" log "$CID" acknowledged --at 2020-06-07T01:15:00-07:00 x >/dev/null
pmtool -C "$C" log "$CID" detected --at 2020-06-07T01:10:00-07:00 x >/dev/null
pmtool -C "$C" log "$CID" status investigating --at 2020-06-07T01:05:00-07:00 x >/dev/null
run pmtool -C "$C" metrics "$CID" --json
printf '%s' "$OUT" >"$T/union.json"
assert_eq "$(python3 -c '
import json, sys
m = json.load(open(sys.argv[1])); u = json.load(open(sys.argv[2]))
del m["id"], u["id"]
print("same" if m == u else "differ: %r vs %r" % (m, u))' "$T/merged.json" "$T/union.json")" \
    same "metrics after the merge = metrics of the union"
assert_eq "$(python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
print(m["time_to_detect_s"], m["time_to_acknowledge_s"], m["time_to_first_status_s"],
      m["detect_to_status_s"], m["max_status_gap_s"], m["status_updates"],
      m["time_to_mitigate_s"], m["time_to_resolve_s"])' "$T/merged.json")" \
    "1500 300 1200 -300 2100 2 3000 4500" "metrics after the merge: exact values"

# Bob pulls back: a fast-forward; both clones now hold the same file.
run git -C "$B" pull --no-rebase -q "$A" "$BR"
assert_rc 0 "Bob pulls the merge"
assert_eq "$(git -C "$B" rev-parse HEAD)" "$(git -C "$A" rev-parse HEAD)" "Bob fast-forwards to Alice's merge"
assert_file_same "$B/$F" "$A/$F" "same timeline in both clones"
assert_eq "$(git -C "$B" status --porcelain)" "" "Bob: clean"

# A second round on top of the merge: both log again, merge again.
pmtool -C "$A" log "$ID" note --at 2020-06-07T03:00:00-07:00 Alice round two >/dev/null
pmtool -C "$B" log "$ID" note --at 2020-06-07T02:30:00-07:00 Bob round two >/dev/null
run git -C "$B" pull --no-rebase --no-edit -q "$A" "$BR"
assert_rc 0 "second merge: no conflict"
assert_eq "$(git -C "$B" status --porcelain)" "" "second merge: clean"
run pmtool -C "$B" show "$ID"
assert_eq "$(printf '%s\n' "$OUT" | tail -n 2 | cut -c11-)" \
"2020-06-07 02:30 PDT  note                 Bob round two
2020-06-07 03:00 PDT  note                 Alice round two" "second merge: ordered by time"
# pmtool keeps working on the merged file.
run pmtool -C "$B" log "$ID" note --at 2020-06-07T03:10:00-07:00 after the merges
assert_rc 0 "log after the merges"
assert_eq "$(git -C "$B" diff --numstat HEAD~1 HEAD)" "1	0	$F" "log after the merges: one line"
assert_eq "$(git -C "$B" status --porcelain)" "" "log after the merges: clean"

finish
