#!/bin/sh
# t-correct.sh - the timeline as an audited record: amend and retract
# (appended lines, never rewriting), the state changes (severity, role,
# service, title, reopened, excluded), the warnings of log, who logged
# what (against git blame, after a merge), corrections made on two clones
# and synced, and a held incident replayed with mistakes then corrected.
. "$(dirname "$0")/lib.sh"

export PMTOOL_TEST_TIME=2020-06-07T12:00:00Z	# 05:00 PDT
S="$T/s"
new_store "$S"
cd "$S" || exit 1
ID=$(pmtool new --tz America/Los_Angeles --severity SEV2 --service db \
    --commander Ana --at 2020-06-07T00:45:00-07:00 Replication lag)
F="incidents/$ID/timeline.txt"

# ref_of KIND - the short reference show gives the first event of KIND.
ref_of() {
	pmtool show "$ID" | awk -v k="$1" '$1 ~ /^[0-9a-f]+$/ { sub(/^\*/, "", $5) } $5 == k { print $1; exit }'
}
# one_line_added WHAT - the last commit added exactly one line to $F.
one_line_added() {
	assert_eq "$(git diff --numstat HEAD~1 HEAD -- "$F")" "1	0	$F" "$1: git diff is one added line"
}

# --- log: the state changes --------------------------------------------
run pmtool log "$ID" detected --at 01:10 Alert: replication lag
assert_rc 0 "log detected"
assert_contains "$OUT" "(ref " "log names the new event's reference"
run pmtool log "$ID" severity SEV1 --at 01:20 customers see errors
assert_rc 0 "log severity"
assert_eq "$(tail -n 1 "$F")" "2020-06-07T01:20:00-07:00 severity SEV1 customers see errors" "severity line"
run pmtool log "$ID" role comms --at 01:21 Bea Lund
assert_rc 0 "log role"
assert_eq "$(tail -n 1 "$F")" "2020-06-07T01:21:00-07:00 role comms Bea Lund" "role line"
run pmtool log "$ID" role commander --at 01:40 Cy
assert_rc 0 "hand-off of the commander"
run pmtool log "$ID" service +billing --at 01:22
assert_rc 0 "service +"
run pmtool log "$ID" service -db --at 01:23
assert_rc 0 "service -"
assert_contains "$OUT" "logged service -db at" "log says which service"
run pmtool log "$ID" title --at 01:24 Primary database lost its replicas
assert_rc 0 "title"
run pmtool log "$ID" severity SEV3 --at 02:30
assert_rc 0 "de-escalate"
run pmtool show "$ID"
assert_eq "$(printf '%s\n' "$OUT" | sed -n '1,8p')" "$ID: Primary database lost its replicas
  declared   Replication lag
  state      open
  severity   SEV3 (declared SEV2, peak SEV1)
  services   billing
  commander  Cy
  roles      comms Bea Lund
  zone       America/Los_Angeles" "show: the current state"
run pmtool show "$ID" --json
pycheck "show --json: current values and their history" '
eq((d["title"], d["severity"], d["commander"], d["services"]), ("Primary database lost its replicas", "SEV3", "Cy", ["billing"]), "current values")
eq(d["declared"], {"title": "Replication lag", "severity": "SEV2", "services": ["db"], "commander": "Ana"}, "declared")
eq(d["peak_severity"], "SEV1", "peak")
eq([x["severity"] for x in d["severity_history"]], ["SEV2", "SEV1", "SEV3"], "severity history")
eq([(r["role"], r["person"], r["from"]["display"], (r["until"] or {}).get("display")) for r in d["roles"]],
   [("commander", "Ana", "declared", "2020-06-07 01:40 PDT"), ("comms", "Bea Lund", "2020-06-07 01:21 PDT", None),
    ("commander", "Cy", "2020-06-07 01:40 PDT", None)], "roles with hand-off times")
eq(all(len(e["ref"]) == 12 for e in d["events"]), True, "every event has a full ref")
eq(d["metrics"]["time_to_detect_s"], 1500, "state changes leave the metrics alone")
'
run pmtool list
assert_contains "$OUT" "open     SEV3" "list: current severity and state"
assert_contains "$OUT" "Primary database lost its replicas" "list: current title"

# Malformed state changes: usage errors, nothing written.
n0=$(commit_count "$S")
cp "$F" "$T/before"
for args in "severity" "severity SEV!" "role" "role comms!" "service billing" \
    "service +" "service +a,b" "title" "excluded" "amend 1234 --at now" "retract 1234"; do
	# shellcheck disable=SC2086
	run pmtool log "$ID" $args
	check
	[ "$RC" -ne 0 ] || fail "log $args: exit 0"
	assert_contains "$ERR" "pmtool" "log $args: a message"
done
assert_file_same "$F" "$T/before" "malformed state changes"
assert_eq "$(commit_count "$S")" "$n0" "no commit for a refused log"
run pmtool log "$ID" amend 1234
assert_contains "$ERR" "pmtool amend" "log amend points to pmtool amend"

# --- amend ---------------------------------------------------------------
DET=$(ref_of detected)
assert_eq "${#DET}" 7 "show gives 7-digit refs"
run pmtool amend "$ID" "$DET" --at 01:05 --reason "the alert fired at 01:05"
assert_rc 0 "amend --at"
assert_contains "$OUT" "amended detected $DET in $ID: at 2020-06-07 01:05 PDT (was 2020-06-07 01:10 PDT)" "amend says what changed"
one_line_added "amend"
assert_contains "$(tail -n 1 "$F")" "amend " "the added line is an amend line"
assert_contains "$(cat "$F")" "2020-06-07T01:10:00-07:00 detected Alert: replication lag" "the original line stays"
assert_eq "$(ref_of detected)" "$DET" "the amended event keeps its reference"
run pmtool metrics "$ID" --json
pycheck "metrics read the corrected timeline" 'eq(d["time_to_detect_s"], 1200, "time to detect from 01:05")'
run pmtool amend "$ID" "$DET" --kind note
assert_rc 0 "amend --kind"
run pmtool amend "$ID" "$(printf %.5s "$DET")" --kind detected --text "Alert: lag on replica 2" lag is on one replica
assert_rc 0 "amend by a 5-digit prefix, --kind and --text with a reason"
run pmtool show "$ID" --history
assert_rc 0 "show --history"
assert_contains "$OUT" "time 2020-06-07 01:10 PDT -> 2020-06-07 01:05 PDT" "history: the time change"
assert_contains "$OUT" "why: the alert fired at 01:05" "history: why"
assert_contains "$OUT" "kind detected -> note" "history: the kind change"
run pmtool show "$ID" --json
pycheck "show --json: corrections" '
c = d["corrections"]
eq(len(c), 3, "three corrections")
eq([x["outcome"] for x in c], ["applied"] * 3, "all applied")
eq(c[0]["changes"], [{"field": "time", "from": "2020-06-07 01:10 PDT", "to": "2020-06-07 01:05 PDT"}], "changes")
eq(c[0]["reason"], "the alert fired at 01:05", "reason")
eq(c[0]["logged_by"], "Test Author", "who corrected it")
eq(d["has_corrections"], True, "has_corrections")
ev = [e for e in d["events"] if e["kind"] == "detected"][0]
eq((ev["text"], ev["amended"], ev["time"]), ("Alert: lag on replica 2", True, "2020-06-07T01:05:00-07:00"), "the corrected event")
'
# Refused amends: nothing written.
cp "$F" "$T/before"
n0=$(commit_count "$S")
run pmtool amend "$ID" ffff --at 01:00
assert_rc 1 "amend of an unknown ref"
assert_contains "$ERR" "ffff" "names the ref"
run pmtool amend "$ID" "$DET"
assert_rc 2 "amend with nothing to change"
run pmtool amend "$ID" "$DET" --at "2020-06-07 06:00"
assert_rc 1 "amend to a time in the future"
assert_contains "$ERR" "in the future" "says so"
run pmtool amend "$ID" "$DET" --status monitoring
assert_rc 1 "a state on an event that is no status"
AM=$(pmtool show "$ID" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["corrections"][0]["ref_short"])')
run pmtool amend "$ID" "$AM" --at 01:00
assert_rc 1 "amend of a correction"
assert_contains "$ERR" "correction" "says it is a correction"
assert_file_same "$F" "$T/before" "refused amends"
assert_eq "$(commit_count "$S")" "$n0" "no commit for a refused amend"

# --- retract ---------------------------------------------------------------
run pmtool log "$ID" resolved --at 02:00 paste went wrong
BAD=$(printf '%s' "$OUT" | sed -n 's/.*(ref \([0-9a-f]*\)).*/\1/p')
run pmtool list
assert_contains "$OUT" "resolved SEV3" "a stray resolved resolves"
run pmtool retract "$ID" "$BAD" pasted by mistake
assert_rc 0 "retract"
assert_contains "$OUT" "retracted resolved $BAD" "retract says what"
one_line_added "retract"
run pmtool list
assert_contains "$OUT" "open     SEV3" "retracted: open again"
run pmtool show "$ID" --history
assert_contains "$OUT" "Withdrawn events" "history lists withdrawn events"
assert_contains "$OUT" "paste went wrong" "the withdrawn event"
run pmtool amend "$ID" "$BAD" --at 02:05
assert_rc 1 "amend of a retracted event is refused"
RET=$(pmtool show "$ID" --json | python3 -c 'import json,sys; print([c for c in json.load(sys.stdin)["corrections"] if c["kind"] == "retract"][0]["ref_short"])')
run pmtool retract "$ID" "$RET" -- the resolve was right after all
assert_rc 0 "retract a retraction"
run pmtool list
assert_contains "$OUT" "resolved SEV3" "retracting the retraction gives the event back"
run pmtool retract "$ID" "$RET"
assert_rc 1 "retract a withdrawn line again"

# --- reopen --------------------------------------------------------------
run pmtool log "$ID" reopened --at 03:00 errors are back
assert_rc 0 "reopened"
run pmtool list
assert_contains "$OUT" "open     SEV3" "reopened: open"
run pmtool log "$ID" resolved --at 04:00 for good
run pmtool metrics "$ID" --json
pycheck "reopen metrics" '
eq(d["reopenings"], 1, "one reopening")
eq(d["time_to_resolve_s"], 3 * 3600 + 15 * 60, "time to resolve to the last resolved")
'
run pmtool show "$ID"
assert_contains "$OUT" "resolved (reopened 1 time)" "show: reopened once"

# --- log's warnings ------------------------------------------------------
J=$(pmtool new --tz America/Los_Angeles --at 2020-06-07T04:00:00-07:00 Second one)
run pmtool log "$J" note --at "2020-06-07 05:30" too early
assert_rc 1 "a time 30 minutes ahead is refused"
assert_contains "$ERR" "30m in the future (more than 5 minutes of clock skew)" "says by how much"
assert_contains "$ERR" "--force" "names --force"
run pmtool log "$J" note --at "2020-06-07 05:04" clock skew
assert_rc 0 "4 minutes ahead is clock skew"
run pmtool log "$J" note --force --at "2020-06-07 05:30" planned window
assert_rc 0 "--force logs it"
run pmtool log "$J" detected --at 03:00 before the start
assert_rc 0 "a contradiction still logs"
assert_contains "$ERR" "pmtool: warning: detected at 2020-06-07T03:00:00-07:00 comes before started" "warns of the contradiction"
assert_contains "$ERR" "pmtool amend $J" "says what to run"
run pmtool log "$J" detected --at 04:10 a second one
assert_contains "$ERR" "a second detected event" "warns of a second detection"
run pmtool log "$J" action --at 10:10 typed 10:10 for 01:10
assert_rc 0 "HH:MM that falls back to yesterday"
assert_contains "$ERR" "'10:10' was taken as yesterday's, 2020-06-06 10:10 PDT, 18h 50m ago" "warns it fell back"
assert_contains "$ERR" "pmtool amend $J" "and how to fix it"
run pmtool log "$J" note --at 04:30 plain
assert_eq "$ERR" "" "no warning for an event that contradicts nothing"

# --- excluded ------------------------------------------------------------
X=$(pmtool new --tz UTC --at 2020-06-07T06:00:00Z --severity SEV1 Game day drill)
pmtool log "$X" resolved --at 2020-06-07T07:00:00Z >/dev/null
run pmtool log "$X" excluded a planned drill
assert_rc 0 "excluded"
run pmtool list
assert_contains "$OUT" "[excluded] Game day drill" "list marks it"
run pmtool list --json
pycheck "list --json: excluded" '
eq({x["id"]: x["excluded"] for x in d}, {a[0]: True, a[1]: False, a[2]: False}, "excluded key")' "$X" "$ID" "$J"
run pmtool export --quarter 2020Q2 --format json
assert_rc 0 "export json"
pycheck "export leaves it out" '
eq(sorted(i["id"] for i in d["incidents"]), sorted([a[0], a[1]]), "not among the incidents")
eq(d["excluded"], 1, "counted")
i = [i for i in d["incidents"] if i["id"] == a[0]][0]
eq((i["severity"], i["severity_at_start"], i["peak_severity"], i["reopenings"]), ("SEV3", "SEV2", "SEV1", 1), "severities")
eq(sorted(d["by"]), [], "no grouping asked")' "$ID" "$J"
run pmtool export --quarter 2020Q2 --format json --by severity
pycheck "export --by severity groups by the peak" 'eq(sorted(d["by"]), ["(none)", "SEV1"], "groups")'
run pmtool export --quarter 2020Q2 --format csv
assert_contains "$ERR" "1 incident excluded from the figures left out" "csv: a note on stderr"
assert_not_contains "$OUT" "$X" "csv: left out"
assert_contains "$(printf '%s' "$OUT" | head -n 1)" ",severity_at_start,peak_severity,reopenings" "csv: new columns at the end"
run pmtool export --quarter 2020Q2 --format md
assert_contains "$OUT" "Excluded from these figures: 1" "the report says how many"
run pmtool render "$ID"
assert_rc 0 "render"
assert_contains "$OUT" "## Corrections to the timeline" "render: corrections"
assert_contains "$OUT" "## Roles" "render: roles"
assert_contains "$OUT" "| comms | Bea Lund | 2020-06-07 01:21 PDT | the end |" "render: a role row"
assert_contains "$OUT" "## Severity" "render: severity history"
assert_contains "$OUT" "SEV3 (declared SEV2, peak SEV1)" "render: the header's severity"
run pmtool render "$J"
assert_not_contains "$OUT" "Corrections to the timeline" "no corrections, no list"

# --- who logged what, against git blame, after a merge --------------------
O="$T/origin"
new_store "$O"
B=$(PMTOOL_TEST_TIME=2020-06-07T09:00:30Z pmtool -C "$O" new --tz UTC --at 2020-06-07T09:00:00Z Blame check)
BF="incidents/$B/timeline.txt"
git clone -q "$O" "$T/al"
git clone -q "$O" "$T/bo"
PMTOOL_TEST_TIME=2020-06-07T09:11:00Z GIT_AUTHOR_NAME=Alice pmtool -C "$T/al" log "$B" detected --at 2020-06-07T09:10:00Z alice saw it >/dev/null
PMTOOL_TEST_TIME=2020-06-07T09:21:00Z GIT_AUTHOR_NAME=Bob pmtool -C "$T/bo" log "$B" acknowledged --at 2020-06-07T09:20:00Z bob took it >/dev/null
PMTOOL_TEST_TIME=2020-06-07T09:40:00Z GIT_AUTHOR_NAME=Bob pmtool -C "$T/bo" log "$B" note --at 2020-06-07T09:05:00Z bob backfilled >/dev/null
BR=$(git -C "$O" symbolic-ref --short HEAD)
GIT_AUTHOR_NAME=Merger GIT_COMMITTER_NAME=Merger git -C "$T/al" pull -q --no-rebase --no-edit "$T/bo" "$BR" >/dev/null 2>&1
assert_eq "$(git -C "$T/al" log -1 --format='%an %P' | wc -w | tr -d ' ')" 3 "a merge commit by Merger"
run pmtool -C "$T/al" show "$B" --json
git -C "$T/al" blame --porcelain -- "$BF" >"$T/blame"
pycheck "logged_by is git blame's author for every line" '
blame, cur, author, atime = {}, None, {}, {}
for line in open(a[0], encoding="utf-8"):
    p = line.rstrip("\n").split(" ")
    if len(p) >= 3 and len(p[0]) == 40 and p[1].isdigit():
        cur = p[0]; n = int(p[2]); blame[n] = cur
    elif p[0] == "author":
        author[cur] = line[7:].rstrip("\n")
    elif p[0] == "author-time":
        atime[cur] = int(p[1])
import datetime
def epoch(s):
    return int(datetime.datetime.fromisoformat(s).timestamp())
for e in d["events"]:
    c = blame[e["line"]]
    eq(e["logged_by"], author[c], "line %d author" % e["line"])
    eq(epoch(e["logged_at"]), atime[c], "line %d author time" % e["line"])
eq(sorted(set(e["logged_by"] for e in d["events"])), ["Alice", "Bob", "Test Author"], "nobody is the merger")
eq([e["backfilled"] for e in d["events"]], [False, True, False, False], "backfilled: logged 35 minutes after")
' "$T/blame"
run pmtool -C "$T/al" show "$B" --verbose
assert_contains "$OUT" "logged 2020-06-07 09:40 UTC by Bob (backfilled)" "show --verbose: who and when"
git -C "$T/al" config -f .pmtool timeline.backfill 1h
run pmtool -C "$T/al" show "$B" --json
pycheck "[timeline] backfill sets the threshold" 'eq([e["backfilled"] for e in d["events"]], [False] * 4, "none over an hour")'
git -C "$T/al" config -f .pmtool timeline.backfill soon
run pmtool -C "$T/al" show "$B"
assert_rc 1 "a bad backfill is an error"
assert_contains "$ERR" "timeline.backfill" "naming the key"
git -C "$T/al" checkout -q .pmtool

# --- corrections on two clones, synced ------------------------------------
R="$T/remote.git"
git init -q --bare "$R"
C1="$T/c1" C2="$T/c2"
new_store "$C1"
git -C "$C1" remote add origin "$R"
K=$(pmtool -C "$C1" new --tz UTC --at 2020-06-07T08:00:00Z Two clones)
pmtool -C "$C1" log "$K" detected --at 2020-06-07T08:30:00Z alert >/dev/null
pmtool -C "$C1" log "$K" resolved --at 2020-06-07T09:00:00Z done >/dev/null
pmtool -C "$C1" sync >/dev/null 2>&1
pmtool clone "$R" "$C2" >/dev/null 2>&1
KD=$(pmtool -C "$C1" show "$K" | awk '$5 == "detected" { print $1 }')
KR=$(pmtool -C "$C1" show "$K" | awk '$5 == "resolved" { print $1 }')
assert_eq "$(pmtool -C "$C2" show "$K" | awk '$5 == "detected" { print $1 }')" "$KD" "the same ref on the other clone"
PMTOOL_TEST_TIME=2020-06-07T12:01:00Z pmtool -C "$C1" amend "$K" "$KD" --at 2020-06-07T08:20:00Z >/dev/null
PMTOOL_TEST_TIME=2020-06-07T12:02:00Z pmtool -C "$C2" retract "$K" "$KD" not a real detection >/dev/null
PMTOOL_TEST_TIME=2020-06-07T12:03:00Z pmtool -C "$C2" amend "$K" "$KR" --at 2020-06-07T09:10:00Z >/dev/null
PMTOOL_TEST_TIME=2020-06-07T12:04:00Z pmtool -C "$C1" log "$K" acknowledged --at 2020-06-07T08:40:00Z >/dev/null
for c in "$C1" "$C2" "$C1"; do
	run pmtool -C "$c" sync
	assert_rc 0 "sync $(basename "$c")"
done
pmtool -C "$C1" show "$K" --json | python3 -c 'import json,sys; d=json.load(sys.stdin); [d.pop(k) for k in ("generated_at", "cadence")]; print(json.dumps(d, sort_keys=True))' >"$T/c1.json"
pmtool -C "$C2" show "$K" --json | python3 -c 'import json,sys; d=json.load(sys.stdin); [d.pop(k) for k in ("generated_at", "cadence")]; print(json.dumps(d, sort_keys=True))' >"$T/c2.json"
assert_eq "$(cmp "$T/c1.json" "$T/c2.json" && echo same)" same "show --json identical on both clones"
OUT=$(cat "$T/c1.json")
pycheck "amend of an event the other clone retracted: retraction wins" '
c = {x["ref_short"]: x for x in d["corrections"]}
eq(sorted(x["outcome"] for x in d["corrections"]), ["applied", "applied", "its event was retracted"], "outcomes")
eq([e["kind"] for e in d["events"]], ["started", "acknowledged", "resolved"], "the detection is withdrawn")
eq(d["metrics"]["time_to_resolve_s"], 70 * 60, "the amended resolve counts")
eq(d["metrics"]["time_to_detect_s"], None, "no detection")
'
run pmtool -C "$C2" lint "$K"
assert_contains "$OUT" "amend of a retracted event" "lint reports the amend that lost"

# --- a held incident, replayed with mistakes, then corrected ---------------
HELD=2020-06-07-database-issues
pmtool -C "$TOP" show "$HELD" --json >"$T/held.json"
# replay STORE MISTAKES - log every event of the held incident; with
# MISTAKES, some go in wrong and are corrected afterwards.
replay() {
	new_store "$1"
	python3 - "$T/held.json" "$2" >"$T/replay.sh" <<'EOF'
import json, shlex, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
mistakes = sys.argv[2] == "1"
q = shlex.quote
print("set -e")
print("ID=$(pmtool new --tz %s --at %s %s)" % (q(d["zone"]), q(d["events"][0]["time"]), q(d["title"])))
fixes = []
for n, e in enumerate(d["events"][1:]):
    kind, state, text, at = e["kind"], e["state"], e["text"], e["time"]
    args = [kind] + ([state] if state else [])
    if mistakes and n == 0:
        # logged an hour late, and as a note
        print("pmtool log \"$ID\" note --at %s -- %s >$T/r.out" % (q(at[:11] + "%02d" % (int(at[11:13]) + 1) + at[13:]), q(text)))
        fixes.append("--at %s --kind %s" % (q(at), kind) + (" --status %s" % state if state else ""))
    elif mistakes and kind == "status" and n == 2:
        print("pmtool log \"$ID\" status identified --at %s -- %s >$T/r.out" % (q(at), q(text + " (typo)")))
        fixes.append("--status %s --text %s" % (state, q(text)))
    else:
        print("pmtool log \"$ID\" %s --at %s -- %s >$T/r.out" % (" ".join(args), q(at), q(text)))
        fixes.append(None)
    if fixes[-1]:
        print("REF=$(sed -n \"s/.*(ref \\([0-9a-f]*\\)).*/\\1/p\" $T/r.out)")
        print("pmtool amend \"$ID\" \"$REF\" %s -- replay fix >/dev/null" % fixes[-1])
    if mistakes and n == 1:
        print("pmtool log \"$ID\" resolved --at %s -- pasted >$T/r.out" % q(at))
        print("REF=$(sed -n \"s/.*(ref \\([0-9a-f]*\\)).*/\\1/p\" $T/r.out)")
        print("pmtool retract \"$ID\" \"$REF\" pasted by mistake >/dev/null")
print("echo \"$ID\"")
EOF
	(cd "$1" && . "$T/replay.sh") 2>"$T/replay.err"
}
unset PMTOOL_TEST_TIME
CLEAN=$(replay "$T/clean" 0)
assert_eq "$CLEAN" "$HELD" "clean replay"
MIS=$(replay "$T/mistakes" 1)
assert_eq "$MIS" "$HELD" "replay with mistakes"
assert_contains "$(cat "$T/mistakes/incidents/$HELD/timeline.txt")" " retract " "the mistakes were corrected by appended lines"
run pmtool -C "$T/clean" reindex
assert_eq "$OUT" "indexed 1 incident" "plural forms: one incident"
pmtool -C "$T/clean" metrics "$HELD" --json >"$T/m.clean"
pmtool -C "$T/mistakes" metrics "$HELD" --json >"$T/m.mis"
pmtool -C "$TOP" metrics "$HELD" --json >"$T/m.held"
assert_eq "$(cmp "$T/m.clean" "$T/m.mis" && echo same)" same "corrected replay: exactly the clean replay's metrics"
assert_eq "$(cmp "$T/m.clean" "$T/m.held" && echo same)" same "and the held incident's"
pmtool -C "$T/clean" show "$HELD" --json >"$T/clean.json"
OUT=$(pmtool -C "$T/mistakes" show "$HELD" --json)
pycheck "the corrected timeline reads as the clean one" '
clean = json.load(open(a[0], encoding="utf-8"))
key = lambda e: (e["time"], e["kind"], e["state"], e["text"])
eq([key(e) for e in d["events"]], [key(e) for e in clean["events"]], "events")
eq(len(d["corrections"]), 3, "three corrections")
' "$T/clean.json"

finish
