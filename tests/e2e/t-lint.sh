#!/bin/sh
# t-lint.sh - pmtool lint on real stores: each check's line, errors exit
# 1, warnings 0, --strict, every incident without an id, unknown ids.
. "$(dirname "$0")/lib.sh"

S="$T/store"
new_store "$S"
cd "$S" || exit 1
export PMTOOL_TEST_TIME=2020-01-02T12:00:00Z

# full_pm ID - a postmortem.md with every section written.
full_pm() {
	{
		echo "# Postmortem"
		for s in Summary Lead-up Fault Impact Detection Response \
		    Recovery "Root cause" "Lessons learned" "Corrective actions"
		do
			printf '\n## %s\n\nWritten.\n' "$s"
		done
	} >"incidents/$1/postmortem.md"
}
# line_of ID TEXT - the line of the timeline of ID that ends in TEXT.
line_of() {
	grep -n -- "$2\$" "incidents/$1/timeline.txt" | sed -n '1s/:.*//p'
}
# ref_of LINE - the reference pmtool gives a one-line event written so.
ref_of() {
	python3 -c '
import sys
h = 0xcbf29ce484222325
for b in (sys.argv[1] + "\n").encode():
    h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
print("%012x" % (h >> 16))' "$1"
}
# new_incident TITLE - an incident started 2020-01-01T00:00:00Z, its id.
new_incident() {
	pmtool_setup new --tz UTC --at 2020-01-01T00:00:00Z "$1"
}
# add ID LINES - lines appended to the timeline by hand.
add() { printf '%s\n' "$2" >>"incidents/$1/timeline.txt"; }

# --- a clean incident: nothing, exit 0 ---------------------------------
OK=$(new_incident "All good")
add "$OK" "2020-01-01T00:05:00Z detected
2020-01-01T00:06:00Z acknowledged
2020-01-01T00:10:00Z status investigating Looking
2020-01-01T00:30:00Z mitigated
2020-01-01T00:35:00Z resolved
2020-01-01T00:40:00Z status resolved Fixed"
full_pm "$OK"
run pmtool lint "$OK"
assert_rc 0 "clean: exit 0"
assert_eq "$OUT" "" "clean: no findings"
assert_eq "$ERR" "" "clean: nothing on stderr"
run pmtool lint --strict "$OK"
assert_rc 0 "clean --strict: exit 0"
run pmtool lint "${OK%-good}"
assert_rc 0 "an id prefix"

# --- contradictions: errors, exit 1 -------------------------------------
C=$(new_incident "Contradictions")
TLC="incidents/$C/timeline.txt"
add "$C" "2019-12-31T23:50:00Z detected before the start
2020-01-01T00:20:00Z detected again
2020-01-01T00:30:00Z status resolved Fixed
2020-01-01T00:40:00Z status investigating Not fixed after all
2020-01-01T00:50:00Z resolved"
full_pm "$C"
L1=$(line_of "$C" "before the start")
L2=$(line_of "$C" "detected again")
L3=$(line_of "$C" "status resolved Fixed")
L4=$(line_of "$C" "Not fixed after all")
STARTL=$(line_of "$C" "started")
R1=$(ref_of "2019-12-31T23:50:00Z detected before the start" | cut -c1-7)
R2=$(ref_of "2020-01-01T00:20:00Z detected again" | cut -c1-7)
R4=$(ref_of "2020-01-01T00:40:00Z status investigating Not fixed after all" |
    cut -c1-7)
run pmtool lint "$C"
assert_rc 1 "contradictions: exit 1"
assert_eq "$OUT" "$TLC:$L1: error: detected at 2019-12-31T23:50:00Z comes before started at 2020-01-01T00:00:00Z (line $STARTL): if this time is wrong, fix it with 'pmtool amend $C $R1 --at TIME'
$TLC:$L2: error: a second detected event (the other is line $L1) and no reopened event between them: time to detect counts from the earliest; withdraw the wrong one with 'pmtool retract $C $R2' or make it a note with 'pmtool amend $C $R2 --kind note'
$TLC:$L4: error: status investigating at 2020-01-01T00:40:00Z comes after the public status said resolved (line $L3) with no reopened event between: log 'pmtool log $C reopened --at TIME' if the incident opened again, else fix the update with 'pmtool amend $C $R4'" \
    "contradictions: the lines, sorted"
assert_eq "$ERR" "" "contradictions: nothing on stderr"

# A reopened event between makes the same updates fine.
RO=$(new_incident "Reopened")
add "$RO" "2020-01-01T00:05:00Z detected
2020-01-01T00:10:00Z status resolved Fixed
2020-01-01T00:20:00Z reopened It is back
2020-01-01T00:25:00Z detected again
2020-01-01T00:30:00Z status investigating Back
2020-01-01T00:50:00Z resolved
2020-01-01T00:55:00Z status resolved Fixed again"
full_pm "$RO"
run pmtool lint "$RO"
assert_rc 0 "reopened: exit 0"
assert_eq "$OUT" "" "reopened: no findings"

# --- warnings only: exit 0, --strict 1 ----------------------------------
W=$(new_incident "Warnings")
TLW="incidents/$W/timeline.txt"
add "$W" "2020-01-01T00:05:00Z detected
2020-01-01T00:10:00Z status investigating Looking
2020-01-01T01:10:00Z status identified Found it
2020-01-01T01:20:00Z resolved
2020-01-01T01:25:00Z status monitoring Watching
2020-01-01T01:30:00Z status resolved Fixed
2020-01-01T01:40:00Z role scribe"
full_pm "$W"
pmtool_setup action add "$W" --due 2019-12-15 --owner Sam Fix the alerting >/dev/null
pmtool_setup action add "$W" --due 2020-02-01 Not yet due >/dev/null
G=$(line_of "$W" "Found it")
GP=$(line_of "$W" "Looking")
RE=$(line_of "$W" "01:20:00Z resolved")
MO=$(line_of "$W" "Watching")
RL=$(line_of "$W" "role scribe")
AL=$(grep -n " add [0-9a-f]* Fix the alerting\$" "incidents/$W/actions.txt" |
    sed 's/:.*//')
RR=$(ref_of "2020-01-01T01:20:00Z resolved" | cut -c1-7)
run pmtool lint "$W"
assert_rc 0 "warnings only: exit 0"
assert_eq "$OUT" "incidents/$W/actions.txt:$AL: warning: action 1 is overdue (due 2019-12-15): once done, mark it with 'pmtool action done $W 1'
$TLW:$G: warning: 1h between public status updates (lines $GP and $G), over the cadence of 30m
$TLW:$MO: warning: status monitoring at 2020-01-01T01:25:00Z comes after the resolved event (line $RE): the status page lagged the end of the impact; if the impact had not ended, fix the resolved event with 'pmtool amend $W $RR --at TIME'
$TLW:$RL: warning: role scribe handed to no one: name who holds it with 'pmtool log $W role scribe NAME'" \
    "warnings: the lines, sorted"
run pmtool lint --strict "$W"
assert_rc 1 "warnings with --strict: exit 1"
assert_eq "$(printf '%s\n' "$OUT" | grep -c ': warning: ')" 4 \
    "--strict prints the same warnings"
# The store's cadence decides the gaps.
printf '[status]\n\tcadence = 2h\n' >>.pmtool
run pmtool lint "$W"
assert_not_contains "$OUT" "between public status updates" \
    "a longer cadence: no gap"
git checkout -q .pmtool

# --- corrections: unknown references, amends of corrections -------------
K=$(new_incident "Corrections")
TLK="incidents/$K/timeline.txt"
DET="2020-01-01T00:05:00Z detected"
DREF=$(ref_of "$DET")
AM1="2020-01-01T01:00:00Z amend $DREF at=2020-01-01T00:04:00Z -- earlier"
AM1REF=$(ref_of "$AM1")
add "$K" "$DET
2020-01-01T00:10:00Z status resolved Fixed
2020-01-01T00:20:00Z resolved
$AM1
2020-01-01T01:10:00Z amend $AM1REF at=2020-01-01T00:03:00Z -- even earlier
2020-01-01T01:20:00Z retract 0bad1dea not here"
full_pm "$K"
LA=$(line_of "$K" "even earlier")
LU=$(line_of "$K" "not here")
UREF=$(ref_of "2020-01-01T01:20:00Z retract 0bad1dea not here" | cut -c1-7)
run pmtool lint "$K"
assert_rc 1 "corrections: exit 1"
assert_eq "$OUT" "$TLK:$LA: error: amend of a correction (the amend at line $(line_of "$K" "earlier")) changes nothing: correct the event itself with 'pmtool amend $K $(echo "$DREF" | cut -c1-7)'
$TLK:$LU: error: retract of '0bad1dea': no event has that reference, so it changes nothing; 'pmtool show $K' lists the references: withdraw this line with 'pmtool retract $K $UREF' and correct the right event" \
    "corrections: the lines"

# --- the analysis: missing sections ---------------------------------------
A=$(new_incident "No analysis")
add "$A" "2020-01-01T00:05:00Z detected
2020-01-01T00:10:00Z status resolved Fixed"
PMA="incidents/$A/postmortem.md"
run pmtool lint "$A"
assert_rc 1 "resolved with the skeleton's empty sections: exit 1"
assert_eq "$(printf '%s\n' "$OUT" | grep -c "^$PMA:[0-9]*: error: the '.*' section is empty: write it with 'pmtool edit $A'\$")" \
    10 "every empty section is an error"
assert_contains "$OUT" "$PMA:$(grep -n '^## Summary' "$PMA" | sed 's/:.*//'): error: the 'Summary' section is empty" \
    "on the heading's line"
full_pm "$A"
sed -i '/^## Root cause/,/^## Lessons/{/Written/d}' "$PMA"
sed -i '/^## Impact/d' "$PMA"
run pmtool lint "$A"
assert_eq "$OUT" "$PMA:1: error: no 'Impact' section: add '## Impact' with 'pmtool edit $A'
$PMA:$(grep -n '^## Root cause' "$PMA" | sed 's/:.*//'): error: the 'Root cause' section is empty: write it with 'pmtool edit $A'" \
    "an absent section on line 1, an empty one on its heading"
rm "$PMA"
run pmtool lint "$A"
assert_rc 1 "no postmortem.md: exit 1"
assert_eq "$OUT" "$PMA:1: error: no written analysis: write it with 'pmtool edit $A'" \
    "no postmortem.md"

# An open incident: the same are warnings, and its silence too.
O=$(new_incident "Still open")
run pmtool lint "$O"
assert_rc 0 "open: exit 0"
assert_contains "$OUT" "incidents/$O/postmortem.md:8: warning: the 'Summary' section is empty" \
    "open: empty sections are warnings"
assert_contains "$OUT" "incidents/$O/timeline.txt:5: warning: no public status update in the 1d 12h since the incident started (the cadence is 30m): post one with 'pmtool log $O status investigating TEXT'" \
    "open: no status update yet"
assert_not_contains "$OUT" "error" "open: no errors"

# --- every incident, sorted; unknown ids ----------------------------------
run pmtool lint
assert_rc 1 "all: exit 1 (some have errors)"
for id in "$C" "$W" "$K" "$A" "$O"; do
	assert_contains "$OUT" "incidents/$id/" "all: $id is linted"
done
assert_not_contains "$OUT" "incidents/$OK/" "all: the clean one has nothing"
assert_eq "$OUT" "$(printf '%s\n' "$OUT" | LC_ALL=C sort -t: -k1,1 -k2,2n -s)" \
    "all: sorted by file, then line"
run pmtool lint "$W" "$OK" "$W"
assert_rc 0 "several ids"
assert_eq "$(printf '%s\n' "$OUT" | grep -c ': warning: ')" 4 \
    "an id given twice is linted once"
run pmtool lint no-such-incident
assert_rc 1 "unknown id: exit 1"
assert_eq "$OUT" "" "unknown id: nothing on stdout"
assert_contains "$ERR" "pmtool: no incident 'no-such-incident'" \
    "unknown id: a clear message"
run pmtool lint "$OK" no-such-incident
assert_rc 1 "a known and an unknown id: exit 1"
run pmtool lint --bogus
assert_rc 2 "an unknown option: usage"
run pmtool lint --help
assert_rc 0 "--help"
assert_contains "$OUT" "usage: pmtool [-C DIR] lint [--strict] [ID...]" \
    "--help: usage"
assert_contains "$OUT" "--strict   warnings count as errors" "--help: --strict"

# A timeline that cannot be read is named, and the others still linted.
B=$(new_incident "Broken file")
printf 'garbage line\n' >>"incidents/$B/timeline.txt"
run pmtool lint
assert_rc 1 "a broken timeline: exit 1"
assert_contains "$ERR" "incidents/$B/timeline.txt:" "the broken file is named"
assert_contains "$OUT" "incidents/$W/" "the others are still linted"

# --- the sample incidents: warnings only ------------------------------------
run pmtool -C "$TOP" lint
assert_rc 0 "sample incidents: no errors"
assert_eq "$ERR" "" "sample incidents: nothing on stderr"
assert_not_contains "$OUT" ": error: " "sample incidents: warnings only"
assert_contains "$OUT" "incidents/2021-11-13-services-disturbed/timeline.txt:35: warning: 3h 47m between public status updates" \
    "sample incidents: a status gap"
run pmtool -C "$TOP" lint --strict
assert_rc 1 "sample incidents --strict: exit 1"

finish
