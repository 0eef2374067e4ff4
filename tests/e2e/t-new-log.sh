#!/bin/sh
# t-new-log.sh - pmtool new and pmtool log: ids, appended lines, commits,
# and every form of --at, checked with git.
. "$(dirname "$0")/lib.sh"

S="$T/store"
new_store "$S"
cd "$S" || exit 1
NOW=2020-06-07T10:00:00Z	# 03:00 PDT, 12:00 CEST
export PMTOOL_TEST_TIME=$NOW

# added_lines - the lines HEAD added, without the "+".
added_lines() { git diff HEAD~1 HEAD | sed -n 's/^+\([^+]\)/\1/p; s/^+$//p'; }
# same_state FILE COPY COUNT WHAT - nothing changed since the snapshot.
same_state() {
	assert_file_same "$1" "$2" "$4: timeline"
	assert_eq "$(commit_count "$S")" "$3" "$4: commit count"
	assert_eq "$(git status --porcelain)" "" "$4: git status"
}

# --- new -----------------------------------------------------------------
run pmtool new --at 2020-06-07T00:45:00-07:00 --tz America/Los_Angeles \
    --severity SEV1 --service helpdesk --service api --commander "Alex Kim" \
    Database issues
assert_rc 0 "new"
assert_eq "$OUT" "2020-06-07-database-issues" "new prints the id alone on stdout"
ID=$OUT
F="incidents/$ID/timeline.txt"
assert_eq "$(cat "$F")" "pmtool-incident 1
title: Database issues
severity: SEV1
services: helpdesk, api
commander: Alex Kim
zone: America/Los_Angeles

2020-06-07T00:45:00-07:00 started" "new writes the header and the started event"
assert_eq "$(commit_count "$S")" 2 "new makes one commit"
assert_eq "$(git show --name-only --format= HEAD)" "incidents/$ID/postmortem.md
$F" "new commits only the timeline and the analysis skeleton"
assert_eq "$(git log -1 --format=%s)" "$ID: new incident" "new: commit subject"
assert_eq "$(git log -1 --format='%an <%ae>|%cn')" \
    "Test Author <author@example.invalid>|Test Author" "new: author from GIT_AUTHOR_*"
assert_eq "$(git log -1 --format=%at)" 1591524000 "new: commit time is PMTOOL_TEST_TIME"
assert_eq "$(git status --porcelain)" "" "new: git status clean"

run pmtool new --at 2020-06-07T00:45:00-07:00 --tz America/Los_Angeles Database issues
assert_rc 0 "new, same title again"
assert_eq "$OUT" "2020-06-07-database-issues-2" "a taken id gets the suffix -2"
run pmtool new --at 2020-06-07T00:45:00-07:00 --tz America/Los_Angeles "Database   issues!"
assert_eq "$OUT" "2020-06-07-database-issues-3" "the slug ignores punctuation; then -3"
ID2=2020-06-07-database-issues-2

# The id takes the start date in the incident's zone.
run pmtool new --at 2020-06-07T03:30:00Z --tz America/Los_Angeles Late night
assert_eq "$OUT" "2020-06-06-late-night" "03:30Z is still June 6 in Los Angeles"
run pmtool new --at 2020-06-07T13:30:00Z --tz Pacific/Auckland Early
assert_eq "$OUT" "2020-06-08-early" "13:30Z is already June 8 in Auckland"
run pmtool new --at "2020-06-07 23:30" --tz Europe/Amsterdam Local
assert_eq "$OUT" "2020-06-07-local" "local --at: the local date"
assert_eq "$(tail -n 1 "incidents/2020-06-07-local/timeline.txt")" \
    "2020-06-07T23:30:00+02:00 started" "local --at: the started line"
# Without --at: today in the zone, no started event.
PMTOOL_TEST_TIME=2020-06-07T05:00:00Z
run pmtool new --tz America/Los_Angeles No start
PMTOOL_TEST_TIME=$NOW
assert_eq "$OUT" "2020-06-06-no-start" "no --at: today's date in the zone"
assert_eq "$(grep -c '^[0-9]' incidents/2020-06-06-no-start/timeline.txt)" 0 \
    "no --at: no event line"
assert_eq "$(tail -n 2 incidents/2020-06-06-no-start/timeline.txt | tr '\n' '|')" \
    "zone: America/Los_Angeles||" "no --at: the header ends the file"
export PMTOOL_TZ=Asia/Tokyo
run pmtool new --at 2020-06-07T16:00:00Z Tokyo default
unset PMTOOL_TZ
assert_eq "$OUT" "2020-06-08-tokyo-default" "PMTOOL_TZ is the default zone"
assert_contains "$(cat incidents/2020-06-08-tokyo-default/timeline.txt)" \
    "zone: Asia/Tokyo" "PMTOOL_TZ recorded as the zone"
run pmtool new --tz UTC -- -starts with a dash
assert_rc 0 "new -- TITLE starting with '-'"
assert_contains "$(cat incidents/2020-06-07-starts-with-a-dash/timeline.txt)" \
    "title: -starts with a dash" "new --: the title"
N=$(commit_count "$S")
run pmtool new --tz Mars/Olympus Bad zone
assert_rc 1 "new with an unknown zone"
assert_contains "$ERR" "Mars/Olympus" "unknown zone named"
assert_eq "$(commit_count "$S")" "$N" "unknown zone: no commit"

# --- log: every kind is one line and one commit ---------------------------
cp "$F" "$T/before"
N=$(commit_count "$S")
m=1
for kind in lead-up started detected acknowledged action mitigated resolved note; do
	at="2020-06-07T01:0$m:00-07:00"
	run pmtool log "$ID" $kind --at "$at" "the $kind text"
	assert_rc 0 "log $kind"
	assert_contains "$OUT" "logged $kind at 2020-06-07 01:0$m PDT in $ID" "log $kind: confirmation"
	N=$((N + 1))
	assert_eq "$(commit_count "$S")" "$N" "log $kind: one commit"
	assert_eq "$(git diff --numstat HEAD~1 HEAD)" "1	0	$F" "log $kind: diff is one added line"
	assert_eq "$(added_lines)" "$at $kind the $kind text" "log $kind: the added line"
	assert_eq "$(tail -n 1 "$F")" "$at $kind the $kind text" "log $kind: last line of the file"
	assert_eq "$(git log -1 --format=%s)" "$ID: log $kind" "log $kind: commit subject"
	assert_eq "$(git log -1 --format=%an)" "Test Author" "log $kind: author"
	assert_eq "$(git status --porcelain)" "" "log $kind: git status clean"
	m=$((m + 1))
done
# Only appends: the file before is a prefix of the file after.
check; head -c "$(wc -c <"$T/before")" "$F" | cmp -s - "$T/before" || \
    fail "log rewrote earlier lines"

# status: --status, or the state as the first word.
run pmtool log "$ID" status --status investigating --at 2020-06-07T01:58:00-07:00 \
    The platform is down
assert_rc 0 "log status --status"
assert_eq "$(added_lines)" "2020-06-07T01:58:00-07:00 status investigating The platform is down" \
    "status --status: the line"
assert_eq "$(git log -1 --format=%s)" "$ID: log status investigating" "status: commit subject names the state"
run pmtool log "$ID" status monitoring --at 2020-06-07T02:30:00-07:00 A fix is deployed
assert_rc 0 "log status STATE TEXT"
assert_eq "$(added_lines)" "2020-06-07T02:30:00-07:00 status monitoring A fix is deployed" \
    "status with the state as first word: the line"
run pmtool log "$ID" status --at 2020-06-07T03:00:00-07:00 resolved
assert_rc 0 "log status STATE, no text"
assert_eq "$(added_lines)" "2020-06-07T03:00:00-07:00 status resolved" "status, state only: the line"
N=$(commit_count "$S")
cp "$F" "$T/before"
run pmtool log "$ID" status Everything is fine
assert_rc 2 "status without a state"
assert_contains "$ERR" "needs a state" "status without a state: message"
run pmtool log "$ID" status --status fixed Text
assert_rc 2 "status with an unknown state"
assert_contains "$ERR" "unknown status state 'fixed'" "unknown state: message"
run pmtool log "$ID" note --status monitoring Text
assert_rc 2 "--status with a note"
same_state "$F" "$T/before" "$N" "rejected status events"

# Several lines from standard input.
printf 'First line\nsecond line\n\nfourth: after a blank\n' >"$T/text"
run pmtool log "$ID" note --at 2020-06-07T02:00:00-07:00 - <"$T/text"
assert_rc 0 "log - (stdin)"
assert_eq "$(git diff --numstat HEAD~1 HEAD)" "4	0	$F" "stdin: four added lines"
assert_eq "$(added_lines)" "2020-06-07T02:00:00-07:00 note First line
  second line
  
  fourth: after a blank" "stdin: the lines, continued with two spaces"
assert_eq "$(git log -1 --format=%b)" "2020-06-07T02:00:00-07:00 note First line
  second line
  
  fourth: after a blank" "stdin: the commit body is the event"
run pmtool show "$ID" --json
assert_contains "$OUT" '"text": "First line\nsecond line\n\nfourth: after a blank"' \
    "stdin: the text reads back"
printf 'identified the cause\nmore to come\n' >"$T/text"
run pmtool log "$ID" status --at 2020-06-07T02:10:00-07:00 - <"$T/text"
assert_rc 0 "status with the state on stdin"
assert_eq "$(added_lines)" "2020-06-07T02:10:00-07:00 status identified the cause
  more to come" "status state from stdin"

# -- lets the text start with '-'.
run pmtool log "$ID" note --at 2020-06-07T02:01:00-07:00 -- -5m is not a time --at now
assert_rc 0 "log -- TEXT"
assert_eq "$(added_lines)" "2020-06-07T02:01:00-07:00 note -5m is not a time --at now" \
    "-- keeps the text as written"

# --- --at forms ------------------------------------------------------------
# at_is TIME EXPECTED-STAMP [ID]
at_is() {
	run pmtool log "${3:-$ID}" note --at "$1" "at $1"
	assert_rc 0 "--at '$1'"
	assert_eq "$(added_lines)" "$2 note at $1" "--at '$1' writes $2"
}
at_is 2020-06-07T01:58:00-07:00 2020-06-07T01:58:00-07:00
at_is 2020-06-07T08:58:00Z 2020-06-07T08:58:00Z
at_is 2020-06-07T14:28:00+05:30 2020-06-07T14:28:00+05:30
at_is 2020-06-07T01:58:00.250-07:00 2020-06-07T01:58:00-07:00
at_is now 2020-06-07T03:00:00-07:00
at_is -5m 2020-06-07T02:55:00-07:00
at_is -2h 2020-06-07T01:00:00-07:00
at_is -1h30m 2020-06-07T01:30:00-07:00
at_is -90s 2020-06-07T02:58:30-07:00
at_is 02:30 2020-06-07T02:30:00-07:00		# earlier today
at_is 09:30 2020-06-06T09:30:00-07:00		# later than now: yesterday
at_is 03:00 2020-06-07T03:00:00-07:00		# now exactly
# Local dates across DST changes in America/Los_Angeles.
at_is "2020-03-08 01:30" 2020-03-08T01:30:00-08:00
at_is "2020-03-08 03:30" 2020-03-08T03:30:00-07:00
# (Told it is December, so that these autumn times are in the past: a
# time more than a few minutes ahead is refused, tested below.)
PMTOOL_TEST_TIME=2020-12-01T00:00:00Z
at_is "2020-11-01 00:30" 2020-11-01T00:30:00-07:00
at_is "2020-11-01 02:30" 2020-11-01T02:30:00-08:00
at_is "2020-11-01T01:30:00-08:00" 2020-11-01T01:30:00-08:00
PMTOOL_TEST_TIME=$NOW
# HH:MM on the day after the change uses that day's offset.
PMTOOL_TEST_TIME=2020-03-08T20:00:00Z
at_is 11:15 2020-03-08T11:15:00-07:00
PMTOOL_TEST_TIME=2020-03-08T09:00:00Z
at_is 00:15 2020-03-08T00:15:00-08:00
PMTOOL_TEST_TIME=$NOW

# at_err TIME NEEDLE [ID] - refused with exit 1, nothing changed.
at_err() {
	f="incidents/${3:-$ID}/timeline.txt"
	cp "$f" "$T/before"
	n=$(commit_count "$S")
	run pmtool log "${3:-$ID}" note --at "$1" never
	assert_rc 1 "--at '$1' refused"
	assert_contains "$ERR" "$2" "--at '$1': message"
	same_state "$f" "$T/before" "$n" "--at '$1'"
}
at_err "2020-03-08 02:30" "2020-03-08 02:30 does not exist in America/Los_Angeles"
at_err "2020-11-01 01:30" "2020-11-01 01:30 happens twice in America/Los_Angeles"
check; case "$ERR" in *-07:00*-08:00*) ;; *) fail "ambiguous time: both offsets named: $ERR" ;; esac
PMTOOL_TEST_TIME=2020-11-01T12:00:00Z
at_err 01:30 "happens twice"
PMTOOL_TEST_TIME=$NOW
at_err "2020-02-30 10:00" "bad time"
at_err "25:00" "bad time"
at_err "yesterday" "bad time"
at_err "-5x" "bad time"
at_err "2020-06-07t01:58:00z" "bad time"
at_err "2020-06-07 01:58:00-07:00" "bad time"

# Europe/Amsterdam.
run pmtool new --tz Europe/Amsterdam --at "2020-03-29 01:30" Amsterdam spring
assert_rc 0 "new in Amsterdam"
AMS=$OUT
assert_eq "$AMS" "2020-03-29-amsterdam-spring" "Amsterdam id"
assert_eq "$(tail -n 1 "incidents/$AMS/timeline.txt")" "2020-03-29T01:30:00+01:00 started" \
    "Amsterdam: before the change is +01:00"
at_is "2020-03-29 03:30" 2020-03-29T03:30:00+02:00 "$AMS"
PMTOOL_TEST_TIME=2020-12-01T00:00:00Z
at_is "2020-10-25 01:30" 2020-10-25T01:30:00+02:00 "$AMS"
at_is "2020-10-25 03:30" 2020-10-25T03:30:00+01:00 "$AMS"
PMTOOL_TEST_TIME=$NOW
at_is 11:00 2020-06-07T11:00:00+02:00 "$AMS"
at_is 13:00 2020-06-06T13:00:00+02:00 "$AMS"
at_err "2020-03-29 02:30" "does not exist in Europe/Amsterdam" "$AMS"
at_err "2020-10-25 02:30" "happens twice in Europe/Amsterdam" "$AMS"
run pmtool new --tz Europe/Amsterdam --at "2020-03-29 02:15" Gap
assert_rc 1 "new --at in a DST gap"
assert_contains "$ERR" "does not exist" "new --at in a gap: message"
check; [ ! -e incidents/2020-03-29-gap ] || fail "new --at in a gap: no incident made"

# --- ids and prefixes ----------------------------------------------------------
N=$(commit_count "$S")
cp "$F" "$T/before1"
cp "incidents/$ID2/timeline.txt" "$T/before2"
run pmtool log 2020-06-07-data note --at 2020-06-07T02:00:00-07:00 ambiguous
assert_rc 1 "an ambiguous prefix"
assert_contains "$ERR" "could be any of 3 incidents" "ambiguous prefix: message"
assert_contains "$ERR" "2020-06-07-database-issues, 2020-06-07-database-issues-2" \
    "ambiguous prefix: the candidates"
assert_file_same "$F" "$T/before1" "ambiguous prefix: first file"
assert_file_same "incidents/$ID2/timeline.txt" "$T/before2" "ambiguous prefix: second file"
assert_eq "$(commit_count "$S")" "$N" "ambiguous prefix: no commit"
run pmtool log 2020-06-07-database-issues-2 note --at 2020-06-07T02:00:00-07:00 exact id
assert_rc 0 "an exact id that is also a prefix of others"
assert_eq "$(git diff --name-only HEAD~1 HEAD)" "incidents/$ID2/timeline.txt" \
    "exact id: the right incident"
run pmtool log 2020-06-06-late note --at 2020-06-07T02:00:00-07:00 by prefix
assert_rc 0 "a unique prefix"
assert_eq "$(git diff --name-only HEAD~1 HEAD)" "incidents/2020-06-06-late-night/timeline.txt" \
    "unique prefix: the right incident"
assert_contains "$OUT" "in 2020-06-06-late-night" "unique prefix: the full id in the message"
assert_eq "$(git log -1 --format=%s)" "2020-06-06-late-night: log note" \
    "unique prefix: the commit names the full id"

# --- the repository stays sound -----------------------------------------------
assert_eq "$(git status --porcelain)" "" "git status clean at the end"
run git fsck --strict --no-dangling
assert_rc 0 "git fsck at the end"
assert_eq "$OUT" "" "git fsck reports nothing"
assert_eq "$(git log --format=%an | sort -u)" "Test Author" "every commit by GIT_AUTHOR_NAME"
run pmtool show "$ID"
assert_rc 0 "show reads everything logged"

finish
