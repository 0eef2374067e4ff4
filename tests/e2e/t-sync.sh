#!/bin/sh
# t-sync.sh - pmtool clone and sync through a bare repository on local
# disk: three clones log 100 events each to one incident, syncing at
# random points, some at the same time; afterwards every clone holds all
# 300 events, the three files are identical, no file holds a conflict
# marker and git fsck is clean. Also: a header conflict, an analysis
# conflict, an unreachable remote, a remote that is not a store.
. "$(dirname "$0")/lib.sh"

R="$T/remote.git"
git init -q --bare "$R"
new_store "$T/a"
git -C "$T/a" remote add origin "$R"
export PMTOOL_TEST_TIME=2026-03-01T10:00:00Z
cd "$T/a" || exit 1
ID=$(pmtool new --at 2026-03-01T09:00:00Z --tz UTC --severity SEV2 Shared outage)
run pmtool sync
assert_rc 0 "first sync pushes"
assert_contains "$OUT" "pushed to origin/" "it says so"
cd "$T" || exit 1
run pmtool clone "$R"
assert_rc 0 "clone URL"
assert_eq "$OUT" "cloned $R into remote" "clone names the folder after the URL"
run pmtool clone "$R" b
assert_rc 0 "clone URL DIR"
run pmtool clone "file://$R" c
assert_rc 0 "clone file://URL DIR"
for x in b c; do
	git -C "$T/$x" config user.name "Clone $x"
	git -C "$T/$x" config user.email "$x@example.invalid"
done
check
[ -f "$T/c/incidents/$ID/timeline.txt" ] || fail "the clone has the incident"

# --- three clones, 100 events each, syncing at random points ------------------
writer() {	# CLONE SEED
	cd "$T/$1" || exit 1
	n=1 fails=0 seed=$2
	while [ $n -le 100 ]; do
		"$PMTOOL_BIN" log "$ID" note "event $n from $1" >/dev/null ||
		    echo "log failed in $1 at $n" >>"$T/errors"
		seed=$(( (seed * 1103515245 + 12345) % 2147483648 ))
		if [ $((seed % 9)) -eq 0 ]; then
			"$PMTOOL_BIN" sync >/dev/null 2>>"$T/sync-$1.err" ||
			    echo "sync failed in $1 at $n" >>"$T/errors"
		fi
		n=$((n + 1))
	done
}
: >"$T/errors"
writer a 11 &
writer b 23 &
writer c 37 &
wait
assert_eq "$(cat "$T/errors")" "" "no log or sync failed during the run"
check
[ "$(git -C "$T/a" rev-list --merges --count HEAD)" -gt 3 ] || fail "syncs merged during the run"
for round in 1 2; do
	for x in a b c; do
		(cd "$T/$x" && "$PMTOOL_BIN" sync >/dev/null) ||
		    fail "final sync $round in $x"
	done
done
F="incidents/$ID/timeline.txt"
for x in a b c; do
	assert_eq "$(grep -c ' note event [0-9]* from [abc]$' "$T/$x/$F")" 300 \
	    "$x holds all 300 events"
	for y in a b c; do
		assert_eq "$(grep -c " note event [0-9]* from $y\$" "$T/$x/$F")" 100 \
		    "$x holds the 100 events of $y"
	done
	check
	if grep -q '^<<<<<<<\|^>>>>>>>\|^=======' "$T/$x/$F"; then
		fail "$x: a conflict marker in the timeline"
	fi
	run git -C "$T/$x" fsck --no-progress
	assert_rc 0 "git fsck clean in $x"
	assert_eq "$(git -C "$T/$x" status --porcelain)" "" "$x: git status clean"
	(cd "$T/$x" && "$PMTOOL_BIN" show "$ID" >/dev/null) ||
	    fail "$x: the merged timeline reads"
done
assert_file_same "$T/b/$F" "$T/a/$F" "b's file is a's"
assert_file_same "$T/c/$F" "$T/a/$F" "c's file is a's"
run git -C "$R" fsck --no-progress
assert_rc 0 "git fsck clean in the remote"

# --- a header field changed on both sides: the remote's value wins ------------
cd "$T/a" || exit 1
sed -i 's/^severity: SEV2$/severity: SEV1/' "$F"
git commit -q -am "SEV1 here"
(cd "$T/b" && sed -i 's/^severity: SEV2$/severity: SEV3/' "$F" &&
    git commit -q -am "SEV3 there" && "$PMTOOL_BIN" sync >/dev/null)
run pmtool sync
assert_rc 0 "sync with a header conflict"
assert_contains "$OUT" "'severity' changed on both sides: kept the remote's 'SEV3', yours was 'SEV1'" \
    "sync reports what it chose"
assert_eq "$(grep -c '^severity:' "$F")" 1 "one severity line"
assert_contains "$(cat "$F")" "severity: SEV3" "the remote's value"
(cd "$T/b" && "$PMTOOL_BIN" sync >/dev/null)
assert_file_same "$T/b/$F" "$T/a/$F" "both sides agree after the header conflict"

# --- the analysis changed on both sides in the same place ---------------------
PM="incidents/$ID/postmortem.md"
sed -i '0,/^## Summary$/s//## Summary\nWritten in a./' "$PM"
git commit -q -am "summary in a"
(cd "$T/b" && sed -i '0,/^## Summary$/s//## Summary\nWritten in b./' "$PM" &&
    git commit -q -am "summary in b" && "$PMTOOL_BIN" sync >/dev/null)
run pmtool sync
assert_rc 0 "sync with an analysis conflict"
assert_contains "$OUT" "postmortem.md: changed on both sides in the same place: yours kept" \
    "sync says the analysis needs a hand"
assert_contains "$(cat "$PM")" "Written in a." "ours kept"
assert_contains "$(cat "incidents/$ID/postmortem.remote.md")" "Written in b." \
    "theirs beside it"
assert_not_contains "$(cat "$PM")" "<<<<<<<" "no conflict markers"
assert_eq "$(git status --porcelain)" "" "git status clean after the analysis conflict"

# --- an unreachable remote -----------------------------------------------------
mv "$R" "$T/elsewhere.git"
pmtool log "$ID" note "while offline" >/dev/null
C0=$(commit_count "$T/a")
cp "$F" "$T/before"
run pmtool sync
assert_rc 1 "an unreachable remote"
assert_contains "$ERR" "cannot fetch from $R" "names the remote"
assert_eq "$(commit_count "$T/a")" "$C0" "unreachable: no commit"
assert_file_same "$F" "$T/before" "unreachable: the timeline as it was"
mv "$T/elsewhere.git" "$R"
run pmtool sync
assert_rc 0 "back online"
assert_contains "$OUT" "pushed to origin/" "the offline event goes out"

# --- a remote that is not a store ------------------------------------------------
git init -q --bare "$T/plain.git"
git init -q "$T/plain"
echo hello >"$T/plain/README"
git -C "$T/plain" add README
git -C "$T/plain" -c user.name=x -c user.email=x@x commit -q -m plain
git -C "$T/plain" push -q "$T/plain.git" HEAD:refs/heads/master 2>/dev/null ||
    git -C "$T/plain" push -q "$T/plain.git" HEAD:master
cd "$T" || exit 1
run pmtool clone "$T/plain.git" notastore
assert_rc 1 "cloning a repository that is not a store"
assert_contains "$ERR" "is not a pmtool store" "says why"
check
[ ! -e "$T/notastore" ] || fail "nothing left behind"
cd "$T/a" || exit 1
git remote add plain "$T/plain.git"
C1=$(commit_count "$T/a")
run pmtool sync plain
assert_rc 1 "syncing with a remote that is not a store"
assert_contains "$ERR" "is not a pmtool store" "says why"
assert_eq "$(commit_count "$T/a")" "$C1" "not a store: no commit"
run pmtool sync nosuchremote
assert_rc 1 "a remote that does not exist"
assert_contains "$ERR" "no remote 'nosuchremote'" "names it"
run pmtool sync a b
assert_rc 2 "two remotes"
finish
