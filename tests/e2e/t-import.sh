#!/bin/sh
# t-import.sh - pmtool import into real stores: Statuspage JSON (a DST
# change, a repeated state, a Markdown- and HTML-breaking body), a second
# import of the same file, a newer export, a truncated file, the page
# text with PST/PDT and an ambiguous IST, PagerDuty log entries, standard
# input, all or nothing when writing fails, and bad arguments.
. "$(dirname "$0")/lib.sh"

FX="$(cd "$(dirname "$0")/../fixtures/import-e2e" && pwd)"
S="$T/store"
new_store "$S"
cd "$S" || exit 1
export PMTOOL_TEST_TIME=2026-01-10T12:00:00Z
A=2025-10-26-checkout-errors-payments-degraded
B=2025-06-02-slow-search

# --- Statuspage JSON ------------------------------------------------------
C0=$(commit_count "$S")
run pmtool import statuspage "$FX/page-v1.json"
assert_rc 0 "import statuspage"
assert_eq "$OUT" "created $A (3 events)
created $B (2 events)" "import statuspage: what it did"
assert_eq "$(commit_count "$S")" $((C0 + 1)) "one commit for the whole import"
assert_eq "$(git show --name-only --format= HEAD | sort | tr '\n' ' ')" \
    "incidents/$B/postmortem.md incidents/$B/timeline.txt incidents/$A/postmortem.md incidents/$A/timeline.txt " \
    "the commit holds both incidents"
assert_eq "$(git status --porcelain)" "" "git status clean after import"
F="incidents/$A/timeline.txt"
run pmtool show "$A" --json
assert_rc 0 "an imported incident reads"
pycheck "imported incident" '
eq(d["title"], "Checkout errors | payments degraded", "title")
eq(d["severity"], "SEV2", "impact major is SEV2")
eq(d["services"], ["Checkout", "Payments API"], "components are the services")
eq(d["zone"], "Europe/Amsterdam", "the page zone")
ev = [(e["time"], e["kind"], e.get("state"), e["text"]) for e in d["events"]]
eq(ev[0], ("2025-10-26T01:40:12+02:00", "status", "investigating", "We are investigating failed checkouts."), "first update, offset kept, oldest first")
eq(ev[1][1:3], ("status", "update"), "a repeated state is an update")
eq(ev[1][0], "2025-10-26T02:50:00+02:00", "display_at, summer time")
eq(ev[2][0], "2025-10-26T03:20:00+01:00", "after the DST change: winter time")
eq(ev[2][3], "A fix is in place.\n\n# Not a heading\n| not | a | table |\n<script>alert(\x27x\x27)</script>", "the body, <br /> as line breaks")
eq(len(ev), 3, "three events")
'
assert_contains "$(cat "$F")" "# source: statuspage:incident:inc0000000a1" "the incident's source id"
assert_contains "$(cat "$F")" "# source: statuspage:update:upd00000a1c3" "an update's source id"
run pmtool metrics "$A" --json
pycheck "metrics of an import" 'eq(d["status_updates"], 3, "three status updates")'

# The HTML postmortem keeps the hostile body inert.
run pmtool render "$A" --html
assert_rc 0 "render --html of an imported incident"
assert_not_contains "$OUT" "<script>" "no script element from a body"
run pmtool render "$A"
assert_rc 0 "render of an imported incident"

# Importing the same file again changes nothing.
C1=$(commit_count "$S")
cp "$F" "$T/a.before"
run pmtool import statuspage "$FX/page-v1.json"
assert_rc 0 "import again"
assert_eq "$OUT" "unchanged $A
unchanged $B" "import again: unchanged"
assert_eq "$(commit_count "$S")" "$C1" "import again: no commit"
assert_file_same "$F" "$T/a.before" "import again: the file as it was"

# A newer export with two more updates adds just those.
pmtool log "$A" started --at 2025-10-26T01:30:00+02:00 "by hand" >/dev/null
C2=$(commit_count "$S")
run pmtool import statuspage "$FX/page-v2.json"
assert_rc 0 "newer export"
assert_eq "$OUT" "updated $A (2 new events)
unchanged $B" "newer export: two new events"
assert_eq "$(commit_count "$S")" $((C2 + 1)) "newer export: one commit"
assert_eq "$(git diff --numstat HEAD~1 HEAD | awk '{ print $1, $2 }')" "4 0" \
    "newer export: four added lines (two events, two sources), none removed"
run pmtool show "$A" --json
pycheck "after the newer export" '
ev = [(e["kind"], e.get("state")) for e in d["events"]]
eq(ev, [("started", None), ("status", "investigating"), ("status", "update"), ("status", "monitoring"), ("status", "update"), ("status", "resolved")], "hand-logged event kept, new ones in order")
eq(d["state"] if "state" in d else "resolved", "resolved", "resolved now")
'

# A truncated file: an error with its position, nothing written.
C3=$(commit_count "$S")
run pmtool import statuspage "$FX/page-truncated.json"
assert_rc 1 "truncated file"
assert_contains "$ERR" "page-truncated.json:" "the file is named"
assert_contains "$ERR" "error:" "an error"
assert_eq "$(commit_count "$S")" "$C3" "truncated: no commit"
assert_eq "$(git status --porcelain)" "" "truncated: nothing written"

# --- the page text ----------------------------------------------------------
run pmtool import statuspage-text "$FX/page.txt" --tz America/Los_Angeles
assert_rc 0 "import statuspage-text"
TID=2025-03-09-checkout-outage
assert_eq "$OUT" "created $TID (4 events)" "page text: created"
run pmtool show "$TID" --json
pycheck "page text" '
ev = [(e["time"], e.get("state")) for e in d["events"]]
eq(ev, [("2025-03-09T01:20:00-08:00", "investigating"), ("2025-03-09T01:45:00-08:00", "identified"), ("2025-03-09T03:30:00-07:00", "update"), ("2025-03-09T04:10:00-07:00", "resolved")], "PST then PDT, oldest first")
eq(d["services"], ["Checkout", "Payments API"], "services from the affected line")
eq(d["title"], "Checkout outage", "title from the heading")
'
run pmtool import statuspage-text "$FX/page.txt" --tz America/Los_Angeles
assert_eq "$OUT" "unchanged $TID" "page text again: unchanged"
C4=$(commit_count "$S")
run pmtool import statuspage-text "$FX/page-ist.txt"
assert_rc 1 "an ambiguous abbreviation"
assert_contains "$ERR" "page-ist.txt:5:" "names the line"
assert_contains "$ERR" "--tz" "says to give --tz"
assert_eq "$(commit_count "$S")" "$C4" "ambiguous: no commit"
run pmtool import statuspage-text "$FX/page-ist.txt" --tz Asia/Kolkata --title "Slow logins"
assert_rc 0 "with --tz and --title"
assert_eq "$OUT" "created 2025-02-03-slow-logins (2 events)" "--title names it"
assert_contains "$(cat incidents/2025-02-03-slow-logins/timeline.txt)" \
    "2025-02-03T10:15:00+05:30 status investigating" "IST as India's +05:30"

# --- PagerDuty ---------------------------------------------------------------
run pmtool import pagerduty "$FX/pagerduty.json"
assert_rc 0 "import pagerduty"
PID=2025-05-01-1234-orders-api-5xx-above-5
assert_eq "$OUT" "created $PID (4 events)" "pagerduty: notify is left out"
run pmtool show "$PID" --json
pycheck "pagerduty" '
ev = [(e["kind"], e["text"]) for e in d["events"]]
eq([k for k, t in ev], ["detected", "acknowledged", "note", "resolved"], "kinds")
eq("Sam Roe" in ev[2][1], True, "the agent in the note")
eq("Rolled back release 42" in ev[2][1], True, "the note text")
'
run pmtool metrics "$PID" --json
pycheck "pagerduty metrics" 'eq(d["time_to_acknowledge_s"], 180, "time to acknowledge")'
run pmtool import pagerduty - <"$FX/pagerduty.json"
assert_rc 0 "from standard input"
assert_eq "$OUT" "unchanged $PID" "standard input: unchanged"

# Imported incidents export like any other.
run pmtool export --quarter 2025Q4 --format json
pycheck "export of imports" 'eq([i["id"] for i in d["incidents"]], [a[0]], "the October incident")' "$A"

# --- all or nothing when writing fails ----------------------------------------
S2="$T/store2"
new_store "$S2"
C5=$(commit_count "$S2")
(ulimit -f 1; cd "$S2" && "$PMTOOL_BIN" import statuspage "$FX/page-v1.json" \
    >"$T/out" 2>"$T/err")
assert_eq "$?" 1 "a write failure: exit 1"
assert_contains "$(cat "$T/err")" "pmtool:" "a write failure is reported"
assert_eq "$(commit_count "$S2")" "$C5" "write failure: no commit"
assert_eq "$(ls "$S2/incidents" 2>/dev/null | wc -l)" 0 "write failure: no folder left"
assert_eq "$(git -C "$S2" status --porcelain)" "" "write failure: nothing left"

# --- bad arguments --------------------------------------------------------------
for args in "" "xml $FX/page.txt" "statuspage" "statuspage a b" \
    "statuspage --tz UTC $FX/page-v1.json" "statuspage-text $FX/page.txt --tz Mars/Base" \
    "statuspage-text $FX/page.txt --title"; do
	# shellcheck disable=SC2086
	run pmtool import $args
	assert_rc 2 "import $args"
done
run pmtool import statuspage "$T/no-such-file.json"
assert_rc 1 "a missing file"
assert_contains "$ERR" "no-such-file.json" "names it"
finish
