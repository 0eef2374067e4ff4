#!/bin/sh
# t-writers.sh - many writers at once, and writes that cannot be done.
#
# 16 processes each log 50 events to one incident at once: 800 events, 800
# commits, no error shown to anyone. A writer that gives up waiting says so
# (only with PMTOOL_SLOW_TESTS=1: that takes the 30 s pmtool waits). A
# file-size limit (ulimit -f) that stops the object, the timeline or the
# branch's write, and a read-only store: a clear error, the timeline as it
# was, no half line, no commit, and the next log works.
. "$(dirname "$0")/lib.sh"

export PMTOOL_TEST_TIME=2020-06-07T10:00:00Z
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# git_locks - git lock files in the current store, one a line.
git_locks() {
	for l in .git/index.lock .git/HEAD.lock ".git/$(git symbolic-ref HEAD).lock"; do
		[ -e "$l" ] && echo "$l"
	done
}
# fsck_clean WHAT [dangling] - git fsck exits 0 and reports nothing; with
# "dangling", dangling objects are allowed (a write that failed after its
# objects were made leaves them).
fsck_clean() {
	git fsck --no-progress >"$T/fsck" 2>&1
	rc=$?
	check
	if [ "${2:-}" = dangling ]; then
		grep -Ev '^dangling (blob|tree|commit) [0-9a-f]{40}$' "$T/fsck" >"$T/fsck.bad"
	else
		cp "$T/fsck" "$T/fsck.bad"
	fi
	if [ $rc -ne 0 ] || [ -s "$T/fsck.bad" ]; then
		fail "$1: git fsck (exit $rc): $(head -n 5 "$T/fsck")"
	fi
}

# --- 16 writers, 50 events each, at once ------------------------------------------
S="$T/store"
new_store "$S"
cd "$S" || exit 1
ID=$(pmtool new --tz UTC --at 2020-06-07T09:00:00Z Sixteen writers)
F="incidents/$ID/timeline.txt"
N0=$(commit_count "$S")
L0=$(wc -l <"$F")

# (The binary itself, also under PMTOOL_VALGRIND: 800 logs through
# valgrind would hold the lock so long that waiters would give up.)
t0=$(now_ms)
w=1
while [ $w -le 16 ]; do
	(
		i=1
		while [ $i -le 50 ]; do
			"$PMTOOL_BIN" log "$ID" note "w$w e$i" >>"$T/out.$w" 2>>"$T/err.$w" </dev/null ||
			    echo "w$w e$i: exit $?" >>"$T/rc.$w"
			i=$((i + 1))
		done
	) &
	w=$((w + 1))
done
wait
echo "# 16 writers x 50 events: $(($(now_ms) - t0)) ms"

assert_eq "$(cat "$T"/rc.* 2>/dev/null)" "" "every log exited 0"
assert_eq "$(cat "$T"/err.*)" "" "no writer printed anything on stderr"
assert_eq "$(cat "$T"/out.* | grep -c '^logged note ')" 800 "800 logs said logged"
assert_eq "$(wc -l <"$F" | tr -d ' ')" $((L0 + 800)) "800 new lines"
assert_eq "$(commit_count "$S")" $((N0 + 800)) "800 new commits"
# Each event once, and each writer's in the order it logged them.
tail -n +$((L0 + 1)) "$F" | awk '
	$1 != "2020-06-07T10:00:00Z" || $2 != "note" || NF != 4 ||
	    $3 !~ /^w([1-9]|1[0-6])$/ || $4 !~ /^e([1-9]|[1-4][0-9]|50)$/ {
		print "a stray line: " $0; next }
	{ w = substr($3, 2); e = substr($4, 2) + 0
	  if (++n[$3 " " $4] > 1) print "twice: " $3 " " $4
	  if (e <= last[w]) print "out of order: " $3 " " $4 " after e" last[w]
	  last[w] = e }
	END { for (w = 1; w <= 16; w++) for (e = 1; e <= 50; e++)
		if (!(("w" w " e" e) in n)) print "missing: w" w " e" e }' >"$T/lines.bad"
check; [ -s "$T/lines.bad" ] && fail "each event once, in order: $(head -n 5 "$T/lines.bad" | tr '\n' ' ')"
assert_eq "$(git log --format= --numstat -800 | sort -u)" "1	0	$F" "each of the 800 commits adds one line"
assert_eq "$(git log --format=%P -800 | awk 'NF != 1' | wc -l | tr -d ' ')" 0 "a linear history"
assert_eq "$(git show HEAD:"$F" | cmp - "$F" && echo same)" same "the file is what is committed"
fsck_clean "after 800 writes"
assert_eq "$(git status --porcelain)" "" "git status clean after 800 writes"
assert_eq "$(git_locks)" "" "no git lock left after 800 writes"
check; [ ! -s .git/pmtool.lock ] || fail "pmtool.lock not emptied: $(cat .git/pmtool.lock)"
run pmtool show "$ID" --json
assert_rc 0 "show after 800 writes"
assert_eq "$(printf '%s' "$OUT" | grep -c '"text": "w[0-9]* e[0-9]*"')" 800 "show reads the 800 events"
# From here on the events are logged at given times up to 10:40: an
# hour later, so that none is refused as being in the future.
export PMTOOL_TEST_TIME=2020-06-07T11:00:00Z

# snap; ...; unchanged WHAT - nothing was written since snap.
snap() {
	cp "$F" "$T/snap.file"
	SNAP_N=$(commit_count .)
	SNAP_HEAD=$(git rev-parse HEAD)
	git status --porcelain >"$T/snap.status"
}
unchanged() {
	assert_file_same "$F" "$T/snap.file" "$1: timeline byte-identical"
	assert_eq "$(commit_count .)" "$SNAP_N" "$1: no commit"
	assert_eq "$(git rev-parse HEAD)" "$SNAP_HEAD" "$1: HEAD"
	git status --porcelain >"$T/now.status"
	assert_file_same "$T/now.status" "$T/snap.status" "$1: git status"
	assert_eq "$(git_locks)" "" "$1: no git lock left"
	assert_eq "$(find .git/objects -maxdepth 2 -name 'tmp_*' | head -n 3)" "" \
	    "$1: no temporary object left"
	check; [ ! -s "$F" ] || [ "$(tail -c 1 "$F" | od -An -c | tr -d ' ')" = '\n' ] ||
	    fail "$1: a half line"
}
# works_again WHAT TIME - the next log, without the limit, adds one line
# in one commit.
works_again() {
	run pmtool log "$ID" note --at "$2" "after $1"
	assert_rc 0 "$1: the next log works"
	assert_eq "$ERR" "" "$1: the next log says nothing on stderr"
	assert_eq "$(git diff --numstat HEAD~1 HEAD)" "1	0	$F" "$1: the next log adds one line"
	assert_eq "$(tail -n 1 "$F")" "$2 note after $1" "$1: the next log's line"
	assert_eq "$(git status --porcelain)" "" "$1: git status clean after the next log"
}

# --- giving up on a held lock -------------------------------------------------------
if [ "${PMTOOL_SLOW_TESTS:-}" = 1 ]; then
	flock .git/pmtool.lock sh -c 'while [ ! -e "$1" ]; do sleep 0.1; done' sh "$T/release" &
	holder=$!
	n=0
	while flock -n .git/pmtool.lock true && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
	snap
	t0=$(now_ms)
	run pmtool log "$ID" note "never logged"
	waited=$(($(now_ms) - t0))
	assert_rc 1 "a writer gives up after waiting for the lock"
	assert_contains "$ERR" "gave up after 30 s waiting for another pmtool writing to this store" \
	    "giving up: says so"
	assert_contains "$ERR" "nothing was changed, try again" "giving up: says nothing changed"
	check; [ $waited -ge 29000 ] || fail "giving up: gave up after only $waited ms"
	unchanged "giving up"
	touch "$T/release"
	wait "$holder"
	works_again "giving up" 2020-06-07T10:01:00Z
else
	echo "# SKIPPED: giving up after the 30 s lock wait (STORE_LOCK_WAIT_MS is a" \
	    "compile-time constant); PMTOOL_SLOW_TESTS=1 runs it"
fi

# --- a file-size limit -----------------------------------------------------------------
# limited BLOCKS TEXT - log TEXT under ulimit -f BLOCKS (sh's 512-byte
# blocks). pmtool ignores SIGXFSZ, so a write over the limit fails with
# EFBIG ("File too large").
limited() {
	run sh -c 'ulimit -f "$1" && shift && exec "$@"' sh "$1" \
	    "$PMTOOL_BIN" log "$ID" note --at 2020-06-07T10:30:00Z "$2"
}

S="$T/disk"
new_store "$S"
cd "$S" || exit 1
ID=$(pmtool new --tz UTC --at 2020-06-07T09:00:00Z Disk full)
DISK_ID=$ID
F="incidents/$ID/timeline.txt"
BRANCH=$(git symbolic-ref HEAD)

# The timeline's append crosses the limit: 30 filler lines make the file
# ~930 bytes that compress well, so the objects fit in 1,536 bytes and a
# 600-byte line does not.
i=0
while [ $i -lt 30 ]; do printf 'filler line %02d of the note\n' $i; i=$((i + 1)); done >"$T/filler"
pmtool log "$ID" note --at 2020-06-07T09:10:00Z - <"$T/filler" >/dev/null
size=$(wc -c <"$F")
check; [ "$size" -gt 800 ] && [ "$size" -lt 1000 ] || fail "setup: file size $size not in (800, 1000)"
LONG=$(printf '%0600d' 0 | tr 0 y)
snap
limited 3 "$LONG"
assert_rc 1 "an append that crosses the file-size limit"
assert_contains "$ERR" "cannot write $F" "append crossing the limit: names the file"
assert_contains "$ERR" "File too large" "append crossing the limit: says why"
unchanged "append crossing the limit"
fsck_clean "append crossing the limit" dangling
works_again "append crossing the limit" 2020-06-07T10:02:00Z

# The timeline is already over the limit: the first byte fails.
snap
limited 1 "short"
assert_rc 1 "an append to a file over the limit"
assert_contains "$ERR" "File too large" "append over the limit: says why"
unchanged "append over the limit"
fsck_clean "append over the limit" dangling
works_again "append over the limit" 2020-06-07T10:03:00Z

# The object write fails: a note of random text that does not compress
# makes the timeline's blob bigger than 1,024 bytes. Objects are written
# before the timeline, so nothing else is.
head -c 2400 /dev/urandom | base64 -w 0 >"$T/random"
echo >>"$T/random"
pmtool log "$ID" note --at 2020-06-07T09:20:00Z - <"$T/random" >/dev/null
snap
objs=$(git count-objects | cut -d' ' -f1)
limited 2 "short"
assert_rc 1 "an object write over the file-size limit"
assert_contains "$ERR" "cannot store $F" "object over the limit: names the file"
assert_contains "$ERR" "File too large" "object over the limit: says why"
unchanged "object over the limit"
assert_eq "$(git count-objects | cut -d' ' -f1)" "$objs" "object over the limit: no object written"
fsck_clean "object over the limit" dangling
works_again "object over the limit" 2020-06-07T10:04:00Z

# The branch cannot move: its reflog, written while the branch is locked,
# crosses the limit half-way through an entry (the timeline and objects
# are small). Done in a fresh incident-sized store so the sizes are known.
S="$T/reflog"
new_store "$S"
cd "$S" || exit 1
ID=$(pmtool new --tz UTC --at 2020-06-07T09:00:00Z Reflog full)
F="incidents/$ID/timeline.txt"
BRANCH=$(git symbolic-ref HEAD)
RL=".git/logs/$BRANCH"
s0=$(wc -c <"$RL")
pmtool log "$ID" note --at 2020-06-07T09:01:00Z first >/dev/null
e=$(($(wc -c <"$RL") - s0))	# one entry's length
n=0
while size=$(wc -c <"$RL") && { [ $((size % 512)) -eq 0 ] || [ $((512 - size % 512)) -ge $e ]; } &&
    [ $n -lt 10 ]; do
	pmtool log "$ID" note --at 2020-06-07T09:02:00Z "to fill the reflog $n" >/dev/null
	n=$((n + 1))
done
blocks=$((size / 512 + 1))
check; [ $((blocks * 512)) -gt $(($(wc -c <"$F") + 200)) ] || fail "setup: the timeline must fit in $blocks blocks"
snap
limited "$blocks" "short"
assert_rc 1 "a branch update over the file-size limit"
assert_contains "$ERR" "cannot update $BRANCH" "branch over the limit: names the branch"
assert_contains "$ERR" "File too large" "branch over the limit: says why"
unchanged "branch over the limit"
fsck_clean "branch over the limit" dangling
works_again "branch over the limit" 2020-06-07T10:05:00Z
# The reflog is git's history of the branch: no half entry in it either.
grep -nEv "^[0-9a-f]{40} [0-9a-f]{40} [^	]*> [0-9]+ [-+][0-9]{4}	" "$RL" | cut -c1-120 >"$T/reflog.bad"
check; [ -s "$T/reflog.bad" ] && fail "branch over the limit: a broken reflog entry: $(head -n 2 "$T/reflog.bad")"
assert_eq "$(git rev-parse "$BRANCH@{0}")" "$(git rev-parse HEAD)" "branch over the limit: the reflog's latest entry is HEAD"
assert_eq "$(git reflog show --format=%H "$BRANCH" | wc -l | tr -d ' ')" "$(commit_count .)" \
    "branch over the limit: one reflog entry per commit"

# --- a read-only store -----------------------------------------------------------------
# As root, permissions stop nothing: the store is made read-only by a
# read-only bind mount in a private mount namespace (unshare -m, or
# unshare -rm for a user that is not root).
RO=
for u in "unshare -m" "unshare -rm"; do
	mkdir -p "$T/probe"
	if $u sh -c 'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" "$1" &&
	    ! touch "$1/x" 2>/dev/null' sh "$T/probe" 2>/dev/null; then
		RO=$u
		break
	fi
done
# ro_run DIR CMD... - run CMD here with DIR mounted read-only.
ro_run() {
	ro_dir=$1
	shift
	$RO sh -c 'd=$1 top=$2; shift 2
	    mount --bind "$d" "$d" && mount -o remount,ro,bind "$d" "$d" || exit 97
	    cd "$top" && exec "$@"' sh "$ro_dir" "$PWD" "$@"
}
if [ -n "$RO" ]; then
	S="$T/disk"
	cd "$S" || exit 1
	ID=$DISK_ID
	F="incidents/$ID/timeline.txt"
	for what in "the whole store:." "the incident's folder:incidents/$ID" "the .git folder:.git"; do
		name=${what%%:*} dir=${what#*:}
		snap
		run ro_run "$S/$dir" "$PMTOOL_BIN" log "$ID" note --at 2020-06-07T10:40:00Z "read-only"
		check; [ $RC -ne 97 ] || fail "read-only $name: the bind mount failed"
		assert_rc 1 "a log with $name read-only"
		assert_contains "$ERR" "Read-only file system" "read-only $name: says why"
		check; case "$ERR" in "pmtool: cannot "*) ;; *) fail "read-only $name: one clear error: [$ERR]" ;; esac
		unchanged "read-only $name"
		fsck_clean "read-only $name" dangling
		run ro_run "$S/$dir" "$PMTOOL_BIN" show "$ID"
		assert_rc 0 "read-only $name: show still reads"
	done
	works_again "the read-only store" 2020-06-07T10:06:00Z
else
	echo "# SKIPPED: read-only store (neither 'unshare -m' nor 'unshare -rm' can make a read-only bind mount here)"
fi

finish
