#!/bin/sh
# t-concurrent.sh - pmtool writers running at once queue on the store's
# lock: every event is one line and one commit, none is lost.
. "$(dirname "$0")/lib.sh"

S="$T/store"
new_store "$S"
cd "$S" || exit 1
export PMTOOL_TEST_TIME=2020-06-07T10:00:00Z
ID=$(pmtool new --tz UTC --at 2020-06-07T09:00:00Z Busy)
F="incidents/$ID/timeline.txt"
N0=$(commit_count "$S")

# Twelve logs and four news with the same title, all at once.
i=1
while [ $i -le 12 ]; do
	pmtool log "$ID" note --at "2020-06-07T09:$(printf %02d $i):00Z" "writer $i" \
	    >"$T/out.$i" 2>"$T/err.$i" &
	i=$((i + 1))
done
i=1
while [ $i -le 4 ]; do
	pmtool new --tz UTC --at 2020-06-07T09:30:00Z Same title >"$T/new.$i" 2>"$T/nerr.$i" &
	i=$((i + 1))
done
wait
assert_eq "$(cat "$T"/err.* "$T"/nerr.*)" "" "no writer complained"
assert_eq "$(commit_count "$S")" $((N0 + 16)) "16 writers, 16 commits"
i=1
while [ $i -le 12 ]; do
	assert_eq "$(grep -c "^2020-06-07T09:$(printf %02d $i):00Z note writer $i\$" "$F")" 1 \
	    "writer $i's line is there once"
	i=$((i + 1))
done
assert_eq "$(cat "$T"/new.* | sort | tr '\n' ' ')" \
    "2020-06-07-same-title 2020-06-07-same-title-2 2020-06-07-same-title-3 2020-06-07-same-title-4 " \
    "four news, four distinct ids"
# Every commit added exactly one line to one file (or created one file).
assert_eq "$(git log --format= --numstat "HEAD~16..HEAD" -- "$F" | cut -f1,2 | sort -u)" "1	0" \
    "each log commit adds one line"
assert_eq "$(git log --format=%H "HEAD~16..HEAD" | while read -r c; do
	git diff-tree --no-commit-id --name-only -r "$c" | cut -d/ -f1,2 | sort -u | wc -l; done | sort -u | tr -d ' ')" 1 \
    "each commit touches one incident's files only"
assert_eq "$(git log --format=%P "HEAD~16..HEAD" | awk '{print NF}' | sort -u)" 1 "a linear history"
assert_eq "$(git status --porcelain)" "" "git status clean after the rush"
run git fsck --no-dangling
assert_rc 0 "git fsck after the rush"
run pmtool show "$ID" --json
assert_eq "$(printf '%s' "$OUT" | grep -c '"text": "writer ')" 12 "show reads all twelve"

# A writer waits for the lock held by another process, then succeeds.
N=$(commit_count "$S")
flock .git/pmtool.lock sh -c 'sleep 1; : >"$1"' sh "$T/released" &
holder=$!
sleep 0.2
run pmtool log "$ID" note --at 2020-06-07T09:50:00Z waited for the lock
assert_rc 0 "a writer queues behind a held lock"
check; [ -e "$T/released" ] || fail "the writer did not wait for the lock"
wait "$holder"
assert_eq "$(commit_count "$S")" $((N + 1)) "the queued writer committed"
assert_eq "$(tail -n 1 "$F")" "2020-06-07T09:50:00Z note waited for the lock" "the queued line"

finish
