#!/bin/sh
# t-crash.sh - pmtool killed with SIGKILL at random moments of a log, 200
# times: every event pmtool reported as logged is in the file and in a
# commit, the incident files read, git fsck is clean, and the next log
# works. A git lock left by a killed pmtool is recovered, but never one
# that a live process holds.
#
# PMTOOL_CRASH_SEED=N repeats a run's kill delays (the timing still varies).
. "$(dirname "$0")/lib.sh"

S="$T/store"
new_store "$S"
cd "$S" || exit 1
export PMTOOL_TEST_TIME=2020-06-07T10:00:00Z
ID=$(pmtool new --tz UTC --at 2020-06-07T09:00:00Z Killed writers)
ID2=$(pmtool new --tz UTC --at 2020-06-07T08:00:00Z Bystander)
F="incidents/$ID/timeline.txt"
BRANCH=$(git symbolic-ref HEAD)
: >"$T/reported"

# now_ms - milliseconds since the epoch.
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# git_locks - the git lock files a killed commit can leave, one a line.
git_locks() {
	for l in .git/index.lock .git/HEAD.lock ".git/$BRANCH.lock"; do
		[ -e "$l" ] && echo "$l"
	done
}

# fsck_clean WHAT [OPTION] - git fsck exits 0 and reports nothing but
# dangling objects (a kill leaves objects that no commit reaches).
fsck_clean() {
	git fsck --no-progress ${2:-} >"$T/fsck" 2>&1
	rc=$?
	check
	if [ $rc -ne 0 ] || grep -Ev '^dangling (blob|tree|commit|tag) [0-9a-f]{40}$' "$T/fsck" >"$T/fsck.bad"; then
		fail "$1: git fsck (exit $rc): $(head -n 5 "$T/fsck")"
	fi
}

# events_ok WHAT FILE - every reported event is in FILE once, and no note
# is there twice.
events_ok() {
	awk -v want="$T/reported" '
	BEGIN { while ((getline l < want) > 0) w[l] = 1 }
	sub(/^[^ ]+ note /, "") { n[$0]++ }
	END {
		for (k in w) if (!(k in n)) print "missing [" k "]"
		for (k in n) if (n[k] > 1) print "twice [" k "]"
	}' "$2" >"$T/events.bad"
	check
	[ -s "$T/events.bad" ] && fail "$1: $(head -n 5 "$T/events.bad" | tr '\n' ' ')"
}

# has_event FILE TEXT - FILE holds the note TEXT.
has_event() { grep -q "^[^ ]* note $2\$" "$1"; }

# ends_in_newline FILE - its last byte is a newline (no half line).
ends_in_newline() { [ -z "$(tail -c 1 "$1")" ]; }

# The loop runs the binary itself, also under PMTOOL_VALGRIND (which would
# make it take an hour): the cases after it run through valgrind.

# --- how long one log takes, to spread the kills over all of it ---------------
t0=$(now_ms)
for i in 1 2 3; do
	"$PMTOOL_BIN" log "$ID" note "calibrate $i" >/dev/null || fail "calibration log $i"
	echo "calibrate $i" >>"$T/reported"
done
D=$((($(now_ms) - t0) / 3))
SPAN=$((D * 16 / 10))
[ $SPAN -lt 20 ] && SPAN=20
[ $SPAN -gt 400 ] && SPAN=400
SEED=${PMTOOL_CRASH_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
awk -v seed="$SEED" -v span="$SPAN" 'BEGIN {
	srand(seed); for (i = 0; i < 200; i++) printf "%d\n", rand() * span }' >"$T/delays"
echo "# one log takes ~${D} ms; kills after 0-${SPAN} ms; seed $SEED"

# --- 200 kills -------------------------------------------------------------------
before=0 objects=0 appended=0 committed=0 reported=0 locked=0 recovered=0
i=0
while read -r d <&3; do
	i=$((i + 1))
	cp "$F" "$T/before.txt"
	# (Emptied here: a log killed before its redirections are made must
	# not leave the last run's output to be read as its own.)
	: >"$T/k.out"
	: >"$T/k.err"
	"$PMTOOL_BIN" log "$ID" note "k $i" >"$T/k.out" 2>"$T/k.err" </dev/null &
	pid=$!
	sleep "$(printf '%d.%03d' $((d / 1000)) $((d % 1000)))"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null		# (no "Killed" from the shell)
	krc=$?
	git show "HEAD:$F" >"$T/head.txt" 2>/dev/null || fail "kill $i: HEAD has no $F"
	if grep -q '^logged ' "$T/k.out"; then
		# Reported: it must be on disk and committed, whatever came after.
		reported=$((reported + 1))
		echo "k $i" >>"$T/reported"
		check; [ $krc -eq 0 ] || [ $krc -eq 137 ] || fail "kill $i: logged, but exit $krc"
		# (It may have recovered the lock of the kill before.)
		grep -v '^pmtool: warning: removed .*, left by pmtool process [0-9]* that was killed while committing$' \
		    "$T/k.err" >"$T/k.err2"
		check; [ $krc -ne 0 ] || [ ! -s "$T/k.err2" ] || fail "kill $i: logged, with stderr $(cat "$T/k.err")"
	else
		check; [ $krc -ne 0 ] || fail "kill $i: exit 0 without 'logged'"
		check; [ $krc -eq 137 ] || fail "kill $i: exit $krc ($(cat "$T/k.err"))"
		if has_event "$T/head.txt" "k $i"; then
			committed=$((committed + 1))	# killed after the branch moved
		elif has_event "$F" "k $i"; then
			appended=$((appended + 1))	# the line, not yet its commit
		elif { cat "$T/before.txt"; echo "$PMTOOL_TEST_TIME note k $i"; } |
		    git cat-file -e "$(git hash-object --stdin)" 2>/dev/null; then
			objects=$((objects + 1))	# its blob written, no line
		else
			before=$((before + 1))
		fi
	fi
	[ -n "$(git_locks)" ] && locked=$((locked + 1))

	# After every kill: the files read, what was reported is committed.
	run "$PMTOOL_BIN" show "$ID"
	assert_rc 0 "kill $i: show reads the incident"
	check; ends_in_newline "$F" || fail "kill $i: a half line"
	events_ok "kill $i: in the file" "$F"
	events_ok "kill $i: committed" "$T/head.txt"
	# (Every object is read and hashed after every tenth kill; in between
	# only what commits and trees name is checked, to keep the test short.
	# A bad object stays, so the next full check would still see it.)
	if [ $((i % 10)) -eq 0 ]; then
		fsck_clean "kill $i"
	else
		fsck_clean "kill $i" --connectivity-only
	fi

	# Every fifth kill is followed by the next kill straight away, on
	# whatever the last one left; the others by a log that must work.
	[ $((i % 5)) -eq 0 ] && [ $i -lt 200 ] && continue
	locks=$(git_locks)
	run "$PMTOOL_BIN" log "$ID" note "n $i"
	assert_rc 0 "the log after kill $i"
	assert_contains "$OUT" "logged note" "the log after kill $i: says logged"
	echo "n $i" >>"$T/reported"
	if [ -n "$locks" ]; then
		recovered=$((recovered + 1))
		for l in $locks; do
			assert_contains "$ERR" "warning: removed $S/$l, left by pmtool process" \
			    "the log after kill $i: names the lock it recovered"
		done
	else
		assert_eq "$ERR" "" "the log after kill $i: nothing on stderr"
	fi
	assert_eq "$(git_locks)" "" "the log after kill $i: no git lock left"
	check; [ ! -s .git/pmtool.lock ] || fail "the log after kill $i: pmtool.lock not emptied: $(cat .git/pmtool.lock)"
	assert_eq "$(git status --porcelain)" "" "the log after kill $i: git status clean"
	check; has_event "$F" "n $i" || fail "the log after kill $i: its line"
done 3<"$T/delays"

echo "# 200 kills: $reported reported logged; not reported: $before killed before writing," \
    "$objects while writing objects, $appended after the line before its commit," \
    "$committed after the commit; $locked left a git lock ($recovered recovered by the next log)"
# Kills must have landed before, during and after the commit.
check; [ $before -gt 0 ] || fail "no kill landed before anything was written"
check; [ $((objects + appended + committed + locked)) -gt 0 ] || fail "no kill landed mid-commit"
check; [ $reported -gt 0 ] || fail "no killed log got to report"

# At the end: everything reported is there and committed, once.
git show "HEAD:$F" >"$T/head.txt"
events_ok "at the end: in the file" "$F"
events_ok "at the end: committed" "$T/head.txt"
assert_file_same "$F" "$T/head.txt" "at the end: the file is what is committed"
fsck_clean "at the end"
assert_eq "$(git status --porcelain)" "" "at the end: git status clean"
run pmtool show "$ID2"
assert_rc 0 "at the end: show reads the other incident"
run pmtool list
assert_rc 0 "at the end: every incident file reads"
assert_contains "$OUT" "$ID2" "at the end: list names the other incident"
run pmtool show "$ID" --json
assert_rc 0 "at the end: show --json"
assert_eq "$(git log --format=%P | awk 'NF > 1' | wc -l | tr -d ' ')" 0 "at the end: a linear history"

# --- a lock left by a killed pmtool, made by hand ------------------------------------
# dead_pid - the pid of a process that has ended (and been reaped).
dead_pid() { sh -c 'exit 0' & wait $!; echo $!; }
# leftover PID [PHASE] - what a pmtool killed while committing leaves: its
# line "PID START PHASE T" in pmtool.lock (PHASE: the git lock it was
# taking, index by default, or - for none) and git's index.lock.
leftover() {
	now=$(date +%s)
	printf '%s %s %s %s\n' "$1" "$now" "${2:-index}" "$now" >.git/pmtool.lock
	: >.git/index.lock
}

# snap; ...; unchanged WHAT - nothing was written since snap.
snap() {
	cp "$F" "$T/snap.file"
	SNAP_HEAD=$(git rev-parse HEAD)
}
unchanged() {
	assert_file_same "$F" "$T/snap.file" "$1: timeline byte-identical"
	assert_eq "$(git rev-parse HEAD)" "$SNAP_HEAD" "$1: no commit"
}

leftover "$(dead_pid)"
run pmtool log "$ID" note --at 2020-06-07T09:30:00Z after a crash
assert_rc 0 "a lock left by a dead pmtool is recovered"
assert_contains "$ERR" "warning: removed $S/.git/index.lock, left by pmtool process" \
    "the recovery is reported"
check; [ ! -e .git/index.lock ] || fail "the dead pmtool's index.lock is still there"
assert_eq "$(git show "HEAD:$F" | tail -n 1)" "2020-06-07T09:30:00Z note after a crash" \
    "the event after a recovery is committed"
assert_eq "$(git status --porcelain)" "" "git status clean after a recovery"
check; [ ! -s .git/pmtool.lock ] || fail "pmtool.lock not emptied after a recovery"

# A stale branch lock (killed while moving the branch).
leftover "$(dead_pid)" ref
rm -f .git/index.lock
printf '0000000000000000000000000000000000000000\n' >".git/$BRANCH.lock"
run pmtool log "$ID" note --at 2020-06-07T09:31:00Z after a crash on the branch
assert_rc 0 "a branch lock left by a dead pmtool is recovered"
assert_contains "$ERR" "removed $S/.git/$BRANCH.lock" "the branch lock's recovery is reported"
assert_eq "$(git_locks)" "" "no git lock left after recovering the branch lock"
assert_eq "$(git show "HEAD:$F" | tail -n 1)" "2020-06-07T09:31:00Z note after a crash on the branch" \
    "the event after recovering the branch lock is committed"

# A lock older than the dead holder's tenure is not its lock: refused.
leftover "$(dead_pid)"
touch -d '-1 hour' .git/index.lock
snap
run pmtool log "$ID" note "older lock"
assert_rc 1 "a lock older than the dead pmtool is not removed"
assert_contains "$ERR" "the git index is locked" "older lock: the message"
check; [ -e .git/index.lock ] || fail "older lock: index.lock was removed"
unchanged "older lock"
rm -f .git/index.lock

# The safety case: the lock is open in a live process. pmtool refuses
# and leaves it, and recovers it once that process is gone.
leftover "$(dead_pid)"
sleep 30 <.git/index.lock &
holder=$!
snap
run pmtool log "$ID" note "while the lock is open"
assert_rc 1 "a lock open in a live process is not removed"
assert_contains "$ERR" "the git index is locked" "open lock: the message"
assert_contains "$ERR" "Nothing was changed" "open lock: says nothing changed"
check; [ -e .git/index.lock ] || fail "open lock: pmtool removed a lock a live process holds"
unchanged "open lock"
kill "$holder"
wait "$holder" 2>/dev/null
run pmtool log "$ID" note --at 2020-06-07T09:32:00Z once the holder is gone
assert_rc 0 "the lock is recovered once its holder is gone"
assert_contains "$ERR" "removed $S/.git/index.lock" "recovered after the holder: reported"
assert_eq "$(git_locks)" "" "recovered after the holder: no lock left"

# The holder's pid is alive (another process has it now): hands off.
sleep 30 &
alive=$!
leftover "$alive"
snap
run pmtool log "$ID" note "holder pid alive"
assert_rc 1 "the lock of a pmtool whose pid is alive is not removed"
assert_contains "$ERR" "the git index is locked" "pid alive: the message"
check; [ -e .git/index.lock ] || fail "pid alive: index.lock was removed"
unchanged "pid alive"
kill "$alive"
wait "$alive" 2>/dev/null
rm -f .git/index.lock
: >.git/pmtool.lock

# A killed pmtool that its parent has not reaped yet (a zombie) holds no
# lock: what it left is recovered, at the latest once it is reaped - its
# line must not be lost meanwhile.
python3 - "$S/.git" "$T/reap" >"$T/zombie" <<'EOF' &
import os, sys, time
git, flag = sys.argv[1], sys.argv[2]
pid = os.fork()
if pid == 0:
    with open(os.path.join(git, "pmtool.lock"), "w") as f:
        t = int(time.time())
        f.write("%d %d index %d\n" % (os.getpid(), t, t))
    open(os.path.join(git, "index.lock"), "w").close()
    os._exit(0)
print(pid, flush=True)
for _ in range(600):
    if os.path.exists(flag):
        break
    time.sleep(0.05)
os.waitpid(pid, 0)
EOF
parent=$!
n=0 zpid=
while [ $n -lt 100 ]; do
	zpid=$(cat "$T/zombie" 2>/dev/null)
	[ -n "$zpid" ] && awk '{ exit $3 != "Z" }' "/proc/$zpid/stat" 2>/dev/null && break
	sleep 0.05
	n=$((n + 1))
done
check; awk '{ exit $3 != "Z" }' "/proc/$zpid/stat" 2>/dev/null || fail "setup: $zpid is not a zombie"
run pmtool log "$ID" note --at 2020-06-07T09:33:00Z after a zombie
if [ $RC -ne 0 ]; then
	assert_contains "$ERR" "the git index is locked" "zombie holder: refused with the lock message"
	assert_eq "$(cut -d' ' -f1 .git/pmtool.lock)" "$zpid" \
	    "zombie holder: its line stays in pmtool.lock until it can be judged"
fi
touch "$T/reap"
wait "$parent"
if [ $RC -ne 0 ]; then
	run pmtool log "$ID" note --at 2020-06-07T09:33:00Z after a zombie
	assert_rc 0 "a lock left by a killed pmtool is recovered once it is reaped"
fi
assert_eq "$(git_locks)" "" "zombie holder: no lock left"
check; has_event "$F" "after a zombie" || fail "zombie holder: the event was not logged"
rm -f .git/index.lock
: >.git/pmtool.lock

# A live git commit holds index.lock without keeping it open while its
# pre-commit hook runs. A dead pmtool's line must not let pmtool take
# that lock away: pmtool refuses, and git's commit goes through.
echo "user file" >notes.txt
git add notes.txt
git commit -qm "test: a user file"
echo "changed" >>notes.txt
mkdir -p .git/hooks
cat >.git/hooks/pre-commit <<EOF
#!/bin/sh
n=0
while [ ! -e "$T/hook-go" ] && [ \$n -lt 200 ]; do sleep 0.05; n=\$((n + 1)); done
EOF
chmod +x .git/hooks/pre-commit
# The dead pmtool had no git lock in hand (phase -): whatever lock is
# there now is someone else's.
leftover "$(dead_pid)" -
rm -f .git/index.lock
git commit -qam "test: the user's commit" >"$T/git.out" 2>&1 &
gitpid=$!
n=0
while [ ! -e .git/index.lock ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
snap
run pmtool log "$ID" note "during a git commit"
assert_rc 1 "pmtool refuses while a live git commit holds the index lock"
assert_contains "$ERR" "the git index is locked" "live git commit: the message"
assert_not_contains "$ERR" "removed" "live git commit: its lock is not removed"
check; [ -e .git/index.lock ] || fail "live git commit: pmtool removed the lock of a running git commit"
unchanged "live git commit"
touch "$T/hook-go"
wait "$gitpid"
grc=$?
check; [ $grc -eq 0 ] || fail "live git commit: git commit failed (exit $grc): $(cat "$T/git.out")"
assert_eq "$(git log -1 --format=%s)" "test: the user's commit" "live git commit: it is committed"
rm -f .git/hooks/pre-commit .git/index.lock
: >.git/pmtool.lock
run pmtool log "$ID" note --at 2020-06-07T09:34:00Z after the git commit
assert_rc 0 "a log after the git commit"
fsck_clean "after the lock cases"
assert_eq "$(git status --porcelain)" "" "git status clean after the lock cases"

finish
