#!/bin/sh
# t-user-changes.sh - pmtool commits only its own files: the user's staged,
# unstaged and untracked changes survive new and log exactly; hand edits of
# a timeline are read, and committed with the next log.
. "$(dirname "$0")/lib.sh"

S="$T/store"
new_store "$S"
cd "$S" || exit 1
export PMTOOL_TEST_TIME=2020-06-07T10:00:00Z

# The user's own files, committed with git.
printf 'notes v1\n' >notes.md
printf 'plan v1\n' >plan.md
mkdir docs
printf 'keep\n' >docs/keep.txt
git add notes.md plan.md docs/keep.txt
git commit -q -m "user: notes"

# An incident, made before the user starts editing.
ID=$(pmtool new --tz UTC --at 2020-06-07T09:00:00Z Disk full)
F="incidents/$ID/timeline.txt"

# Staged new file, unstaged edit of a tracked file, untracked file, a
# partly staged file (staged one way, then changed again), a staged
# deletion.
printf 'brand new\n' >staged-new.txt
git add staged-new.txt
printf 'notes v2, not staged\n' >>notes.md
printf 'plan v2 staged\n' >>plan.md
git add plan.md
printf 'plan v3 unstaged\n' >>plan.md
git rm -q --cached docs/keep.txt
printf 'scratch\n' >untracked.txt

snapshot() {
	# The user's paths only: pmtool's own are checked separately.
	git diff -- . ':(exclude)incidents' >"$T/diff.$1" 2>/dev/null
	git diff --cached -- . ':(exclude)incidents' >"$T/cached.$1" 2>/dev/null
	git status --porcelain -- . ':(exclude)incidents' >"$T/status.$1" 2>/dev/null
	for f in staged-new.txt notes.md plan.md untracked.txt docs/keep.txt; do
		cp "$f" "$T/$1.$(echo "$f" | tr / _)"
	done
	git show :plan.md >"$T/$1.index-plan"
}
compare() {	# WHAT
	assert_file_same "$T/diff.after" "$T/diff.before" "$1: git diff"
	assert_file_same "$T/cached.after" "$T/cached.before" "$1: git diff --cached"
	assert_file_same "$T/status.after" "$T/status.before" "$1: git status"
	for f in staged-new.txt notes.md plan.md untracked.txt docs_keep.txt \
	    index-plan; do
		assert_file_same "$T/after.$f" "$T/before.$f" "$1: $f"
	done
}
snapshot before
check; [ -s "$T/diff.before" ] && [ -s "$T/cached.before" ] || \
    fail "the setup has staged and unstaged changes"

N=$(commit_count "$S")
run pmtool log "$ID" detected --at 2020-06-07T09:20:00Z Disk alert
assert_rc 0 "log with user changes around"
snapshot after
compare "log"
assert_eq "$(commit_count "$S")" $((N + 1)) "log: one commit"
assert_eq "$(git show --name-only --format= HEAD)" "$F" "log: the commit holds only the timeline"
check; git cat-file -e HEAD:staged-new.txt 2>/dev/null && fail "log committed the user's staged file"
assert_eq "$(git show HEAD:notes.md)" "notes v1" "log: the user's unstaged edit is not committed"
assert_eq "$(git show HEAD:plan.md)" "plan v1" "log: the user's staged edit is not committed"
assert_eq "$(git show HEAD:docs/keep.txt)" "keep" "log: the user's staged deletion is not committed"
assert_eq "$(git status --porcelain -- incidents)" "" "log: the timeline is clean"

run pmtool new --tz UTC --at 2020-06-07T09:30:00Z Second one
assert_rc 0 "new with user changes around"
ID2=$OUT
snapshot after
compare "new"
assert_eq "$(git show --name-only --format= HEAD)" "incidents/$ID2/postmortem.md
incidents/$ID2/timeline.txt" \
    "new: the commit holds only the new incident's timeline and analysis"
assert_eq "$(git status --porcelain -- incidents)" "" "new: the timelines are clean"

# Multi-line text too.
printf 'one\ntwo\n' >"$T/text"
run pmtool log "$ID2" note - <"$T/text"
assert_rc 0 "multi-line log with user changes around"
snapshot after
compare "multi-line log"
run git fsck --no-dangling
assert_rc 0 "git fsck with user changes around"

# --- hand edits of a timeline ---------------------------------------------
# An event added by hand, earlier than the ones logged (out of order), and
# a comment; not committed.
N=$(commit_count "$S")
printf '# added by hand from the chat log\n2020-06-07T09:10:00Z acknowledged Sam took it\n' >>"$F"
assert_eq "$(git status --porcelain -- incidents)" " M $F" "hand edit shows as modified"
run pmtool show "$ID" --json
assert_rc 0 "show reads the hand edit"
assert_eq "$(printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(" ".join("%s@%s" % (e["kind"], e["time"]) for e in d["events"]))')" \
    "started@2020-06-07T09:00:00Z acknowledged@2020-06-07T09:10:00Z detected@2020-06-07T09:20:00Z" \
    "show --json: the hand-added event, in time order"
run pmtool metrics "$ID" --json
assert_eq "$(printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["time_to_detect_s"], d["time_to_acknowledge_s"])')" "1200 -600" \
    "metrics read the hand-added acknowledged event"
run pmtool show "$ID"
assert_contains "$OUT" "2020-06-07 09:10 UTC  acknowledged         Sam took it" \
    "show text: the hand-added event"

run pmtool log "$ID" mitigated --at 2020-06-07T09:40:00Z Cleaned up
assert_rc 0 "log after a hand edit"
assert_eq "$(commit_count "$S")" $((N + 1)) "log after a hand edit: one commit"
assert_eq "$(git diff --numstat HEAD~1 HEAD)" "3	0	$F" \
    "log after a hand edit: the commit adds the hand lines and the new one"
assert_eq "$(git diff HEAD~1 HEAD | sed -n 's/^+\([^+]\)/\1/p')" \
    "# added by hand from the chat log
2020-06-07T09:10:00Z acknowledged Sam took it
2020-06-07T09:40:00Z mitigated Cleaned up" "log after a hand edit: the added lines"
assert_eq "$(git status --porcelain -- incidents)" "" "hand edit committed: timeline clean"
snapshot after
compare "log after a hand edit"

# A hand edit that leaves no newline at the end of the file.
printf '2020-06-07T09:45:00Z note typed by hand, no newline' >>"$F"
run pmtool show "$ID"
assert_rc 0 "show reads a file without a final newline"
assert_contains "$OUT" "typed by hand, no newline" "show: the unterminated line"
run pmtool log "$ID" resolved --at 2020-06-07T09:50:00Z
assert_rc 0 "log after an unterminated hand line"
assert_eq "$(tail -n 2 "$F")" "2020-06-07T09:45:00Z note typed by hand, no newline
2020-06-07T09:50:00Z resolved" "the missing newline is added before the new line"
check; [ "$(tail -c 1 "$F" | od -An -c | tr -d ' ')" = '\n' ] || fail "file ends in a newline"
assert_eq "$(git diff --numstat HEAD~1 HEAD)" "2	0	$F" \
    "the commit adds the hand line and the new line, removes nothing"
assert_eq "$(git show HEAD:"$F" | tail -n 1)" "2020-06-07T09:50:00Z resolved" \
    "the committed file ends with the new line"
assert_eq "$(git status --porcelain -- incidents)" "" "timeline clean after the fix-up"
run pmtool list --json
assert_contains "$OUT" '"state": "resolved"' "list: the incident is resolved"
snapshot after
compare "log after an unterminated line"

# A hand edit saved with a CRLF line ending (the format tolerates the CR).
# The store's .gitattributes says "text eol=lf", so git stores that line
# without its CR; pmtool's commit must agree with git, leaving git status
# clean and no difference between the work tree and HEAD.
printf '2020-06-07T09:55:00Z note typed on Windows\r\n' >>"$F"
run pmtool show "$ID"
assert_rc 0 "show reads a CRLF line"
assert_contains "$OUT" "typed on Windows" "show: the CRLF line"
run pmtool log "$ID" note --at 2020-06-07T09:56:00Z after a CRLF line
assert_rc 0 "log after a CRLF hand edit"
assert_eq "$(git status --porcelain -- incidents 2>/dev/null)" "" \
    "log after a CRLF hand edit: git status clean"
assert_eq "$(git diff HEAD --stat -- "$F" 2>/dev/null)" "" \
    "log after a CRLF hand edit: work tree and HEAD agree for git"
assert_eq "$(git show HEAD:"$F" | grep -c "$(printf '\r')")" 0 \
    "log after a CRLF hand edit: the commit has no CR (eol=lf)"
snapshot after
compare "log after a CRLF line"

run git fsck --no-dangling
assert_rc 0 "git fsck at the end"

finish
