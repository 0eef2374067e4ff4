#!/bin/sh
# t-bad-input.sh - wrong input is refused with a clear message and the
# right exit status, and nothing is lost: the timeline stays byte for byte
# the same, no commit is made, git status does not change.
. "$(dirname "$0")/lib.sh"

S="$T/store"
new_store "$S"
cd "$S" || exit 1
export PMTOOL_TEST_TIME=2020-06-07T10:00:00Z

ID=$(pmtool new --tz UTC --at 2020-06-07T09:00:00Z Disk full)
F="incidents/$ID/timeline.txt"
pmtool log "$ID" detected --at 2020-06-07T09:05:00Z Alert >/dev/null

# snap; ...; unchanged WHAT - the store is as it was at snap.
snap() {
	cp "$F" "$T/snap.file"
	SNAP_N=$(commit_count "$S")
	SNAP_HEAD=$(git rev-parse HEAD)
	git status --porcelain >"$T/snap.status"
}
unchanged() {
	assert_file_same "$F" "$T/snap.file" "$1: timeline byte-identical"
	assert_eq "$(commit_count "$S")" "$SNAP_N" "$1: commit count"
	assert_eq "$(git rev-parse HEAD)" "$SNAP_HEAD" "$1: HEAD"
	git status --porcelain >"$T/now.status"
	assert_file_same "$T/now.status" "$T/snap.status" "$1: git status"
}
# refused RC NEEDLE WHAT CMD... - run, expect RC and NEEDLE on stderr,
# nothing on stdout, nothing changed.
refused() {
	rc=$1 needle=$2 what=$3
	shift 3
	snap
	run "$@"
	assert_rc "$rc" "$what"
	assert_contains "$ERR" "$needle" "$what: message"
	assert_eq "$OUT" "" "$what: nothing on stdout"
	unchanged "$what"
}

# --- the command line --------------------------------------------------------
refused 2 "unknown event kind 'detect'" "unknown kind" pmtool log "$ID" detect Alert
assert_contains "$ERR" "lead-up, started, detected" "unknown kind: lists the kinds"
assert_contains "$ERR" "usage: pmtool log" "unknown kind: usage"
refused 2 "an incident id and an event kind are needed" "log without a kind" pmtool log "$ID"
refused 2 "unknown option '--when'" "log: unknown option" pmtool log "$ID" note --when now x
refused 2 "--at needs a value" "log: --at without a value" pmtool log "$ID" note --at
refused 2 "no command 'lgo'" "unknown command" pmtool lgo "$ID" note x
refused 2 "unknown option '--verbose'" "unknown global option" pmtool --verbose list
refused 2 "unknown option '--all'" "show: unknown option" pmtool show "$ID" --all
refused 2 "unknown option '-x'" "list: unknown option" pmtool list -x
refused 2 "unknown option '--csv'" "metrics: unknown option" pmtool metrics "$ID" --csv
refused 2 "unknown option '--force'" "new: unknown option" pmtool new --force Title
refused 2 "a title is needed" "new without a title" pmtool new --tz UTC
refused 2 "an incident id is needed" "show without an id" pmtool show
refused 2 "usage: pmtool" "no command at all" pmtool

# --help of every command: exit 0, usage on stdout.
for c in init new log show list metrics help version; do
	run pmtool $c --help
	assert_rc 0 "$c --help"
	assert_contains "$OUT" "usage: pmtool [-C DIR] $c" "$c --help: usage"
	assert_eq "$ERR" "" "$c --help: nothing on stderr"
	run pmtool help $c
	assert_rc 0 "help $c"
	assert_contains "$OUT" "usage: pmtool [-C DIR] $c" "help $c: usage"
done
run pmtool log -h
assert_rc 0 "log -h"
assert_contains "$OUT" "usage: pmtool [-C DIR] log ID KIND" "log -h: usage"
# A -h inside the text is not a help request that silently logs nothing:
# it is a usage error that points to --, and nothing is logged.
cp "$F" "$T/before-h"
run pmtool log "$ID" action ran pg_dump -h db1
assert_rc 2 "log ... -h inside the text"
assert_contains "$ERR" "unknown option '-h'" "log text -h: names the option"
assert_contains "$ERR" "put -- before" "log text -h: points to --"
assert_file_same "$F" "$T/before-h" "log text -h: file unchanged"
run pmtool --help
assert_rc 0 "--help"
assert_contains "$OUT" "usage: pmtool [-C DIR] COMMAND" "--help: usage"
for c in init new log show list metrics; do
	assert_contains "$OUT" "  $c " "--help lists $c"
done
run pmtool --version
assert_rc 0 "--version"
assert_contains "$OUT" "pmtool " "--version prints the version"
# After --, --help is text.
run pmtool log "$ID" note --at 2020-06-07T09:06:00Z -- --help is text
assert_rc 0 "log -- --help"
assert_eq "$(tail -n 1 "$F")" "2020-06-07T09:06:00Z note --help is text" "-- --help is logged as text"

# --- values ------------------------------------------------------------------------
refused 1 "bad time 'tomorrow'" "bad --at" pmtool log "$ID" note --at tomorrow x
refused 1 "bad time '2020-06-07T09:00:00+0200'" "--at with an offset without a colon" \
    pmtool log "$ID" note --at 2020-06-07T09:00:00+0200 x
refused 1 "bad time '2020-06-07T09:00:00+24:00'" "--at with an offset out of range" \
    pmtool log "$ID" note --at 2020-06-07T09:00:00+24:00 x
refused 1 "bad time '2020-06-31 10:00'" "--at June 31" pmtool log "$ID" note --at "2020-06-31 10:00" x
refused 1 "no incident 'nope'" "unknown incident (log)" pmtool log nope note x
refused 1 "no incident 'nope'" "unknown incident (show)" pmtool show nope
refused 1 "no incident 'nope'" "unknown incident (metrics)" pmtool metrics nope --json
refused 1 "invalid UTF-8" "non-UTF-8 text" pmtool log "$ID" note "$(printf 'caf\351 \377')"
printf 'fine line\nbad \377 line\n' >"$T/bad-utf8"
refused 1 "invalid UTF-8" "non-UTF-8 text on stdin" pmtool log "$ID" note - <"$T/bad-utf8"
refused 1 "control character" "a control character in the text" \
    pmtool log "$ID" note "$(printf 'bell\007')"
head -c 1048576 /dev/zero | tr '\0' x >"$T/mb"
refused 1 "too long" "a 1 MB line of text" pmtool log "$ID" note - <"$T/mb"
refused 1 "unknown time zone 'Nowhere/City'" "new with a bad zone" \
    pmtool new --tz Nowhere/City Title
refused 1 "severity 'SEV 1'" "new with a bad severity" pmtool new --tz UTC --severity "SEV 1" Title
refused 1 "title" "new with an empty title" pmtool new --tz UTC "  "
refused 1 "title" "new with a two-line title" pmtool new --tz UTC "$(printf 'a\nb')"
refused 1 "too long" "new with a 65,535-byte title" \
    pmtool new --tz UTC "$(printf '%065535d' 0)"
# Each service is short enough, but the services: line they make is longer
# than a line may be (65,536 bytes): new must refuse rather than write a
# file that no pmtool can read.
SVC=$(printf '%040000d' 0)
refused 1 "too long" "new whose services: line would be too long" \
    pmtool new --tz UTC --service "$SVC" --service "$SVC" Long services
check; [ "$(ls incidents)" = "$ID" ] || fail "refused new commands made no folder: $(ls incidents)"
for d in incidents/*; do
	[ "$d" = "incidents/$ID" ] && continue
	run pmtool show "${d#incidents/}"
	assert_rc 0 "every incident pmtool made can be read: ${d#incidents/}"
	rm -rf "$d"
	git rm -rq --cached "$d" 2>/dev/null
	git commit -qm "test: drop ${d#incidents/}" 2>/dev/null
done

# Ids that try to leave incidents/.
mkdir -p "$T/outside/incidents/evil"
cp "$F" "$T/outside/incidents/evil/timeline.txt"
cp "$F" "$T/outside.copy"
for bad in .. ../x "$ID/../$ID" "../../outside/incidents/evil" ./"$ID" "a/b" .git; do
	refused 1 "bad incident id" "id '$bad' (log)" pmtool log "$bad" note x
	refused 1 "bad incident id" "id '$bad' (show)" pmtool show "$bad"
done
ln -s "$T/outside/incidents/evil" incidents/evil
git status --porcelain >/dev/null
refused 1 "no incident 'evil'" "an incident folder that is a symbolic link" \
    pmtool log evil note x
assert_file_same "$T/outside/incidents/evil/timeline.txt" "$T/outside.copy" \
    "the file behind the link is untouched"
rm incidents/evil

# -- a folder that is not a store.
mkdir "$T/notstore"
refused 1 "is not a pmtool store" "-C a folder that is not a store" \
    pmtool -C "$T/notstore" log "$ID" note x
check; [ -z "$(ls -A "$T/notstore")" ] || fail "-C not a store: folder still empty"

# --- a stale .git/index.lock ------------------------------------------------------
: >.git/index.lock
refused 1 "index.lock" "log with a stale index.lock" pmtool log "$ID" note x
assert_contains "$ERR" "remove that file" "index.lock: says what to do"
refused 1 "index.lock" "new with a stale index.lock" pmtool new --tz UTC Blocked
check; [ -e .git/index.lock ] || fail "pmtool removed index.lock by itself"
rm .git/index.lock
run pmtool log "$ID" note --at 2020-06-07T09:07:00Z after the lock
assert_rc 0 "log after removing index.lock"
assert_eq "$(tail -n 1 "$F")" "2020-06-07T09:07:00Z note after the lock" "the line after the lock"
assert_eq "$(git status --porcelain)" "" "status clean after the lock"

# --- a hand-corrupted timeline ---------------------------------------------------
cat >>"$F" <<'EOF'
2020-06-07T09:10:00Z note fine
2020-06-07T09:61:00Z note bad minute
EOF
N=$(grep -n 'bad minute' "$F" | cut -d: -f1)
refused 1 "$F:$N:1: error: bad timestamp" "show of a bad timestamp" pmtool show "$ID"
refused 1 "$F:$N:1: error: bad timestamp" "show --json of a bad timestamp" pmtool show "$ID" --json
refused 1 "$F:$N:1: error: bad timestamp" "metrics of a bad timestamp" pmtool metrics "$ID"
refused 1 "$F:$N:1: error: bad timestamp" "log to a file with a bad timestamp" \
    pmtool log "$ID" note --at 2020-06-07T09:20:00Z not added
check; case "$ERR" in "pmtool: $F:$N:1: error: "*) ;; *) fail "error starts with FILE:LINE:COL: [$ERR]" ;; esac
# list shows the others and fails.
OK=$(pmtool new --tz UTC --at 2020-06-07T08:00:00Z Healthy)
snap
run pmtool list
assert_rc 1 "list with one bad file"
assert_contains "$OUT" "$OK" "list with one bad file: still lists the good one"
assert_contains "$ERR" "$F:$N:1: error:" "list with one bad file: names it"
unchanged "list with one bad file"

# An unknown kind: the column of the kind.
cp "$T/snap.file" "$T/good"
git checkout -q -- "$F"
printf '2020-06-07T09:10:00Z  nite x\n' >>"$F"
N=$(wc -l <"$F")
refused 1 "$F:$N:23: error: unknown event kind 'nite'" "unknown kind in the file (show)" pmtool show "$ID"
refused 1 "$F:$N:23: error: unknown event kind 'nite'" "unknown kind in the file (log)" \
    pmtool log "$ID" note --at 2020-06-07T09:20:00Z not added
# The column counts characters, not bytes.
git checkout -q -- "$F"
printf '2020-06-07T09:10:00Z note héllo wörld \001\n' >>"$F"
N=$(wc -l <"$F")
refused 1 "$F:$N:39: error: control character" "column in characters (show)" pmtool show "$ID"
refused 1 "$F:$N:39: error: control character" "column in characters (log)" \
    pmtool log "$ID" note --at 2020-06-07T09:20:00Z not added
git checkout -q -- "$F"
printf '2020-06-07T09:10:00Z status fixed it\n' >>"$F"
N=$(wc -l <"$F")
refused 1 "$F:$N:29:" "an unknown status state in the file" pmtool show "$ID"
git checkout -q -- "$F"
sed -i 's/^pmtool-incident 1$/pmtool-incident 7/' "$F"
refused 1 "$F:1:17: error: format version 7" "an unknown format version" pmtool log "$ID" note x
git checkout -q -- "$F"
sed -i 's/^zone: UTC$/zone: Mars\/Base/' "$F"
refused 1 "$F:3:" "an unknown zone in the file" pmtool show "$ID"
assert_contains "$ERR" "Mars/Base" "unknown zone in the file: named"
git checkout -q -- "$F"
assert_eq "$(git status --porcelain)" "" "restored"

# --- a write that hits the file-size limit ------------------------------------------
# The file is made bigger than 1 KB by a committed multi-line note; with
# ulimit -f 3 (1.5 KB in sh's 512-byte blocks) the next append crosses the
# limit half-way. It must fail with no half line and no commit. (This also
# works as root, for whom a read-only file would not be.)
i=0
while [ $i -lt 28 ]; do printf 'filler line %02d of the note\n' $i; i=$((i + 1)); done >"$T/filler"
pmtool log "$ID" note --at 2020-06-07T09:30:00Z - <"$T/filler" >/dev/null
size=$(wc -c <"$F")
check; [ "$size" -gt 1000 ] && [ "$size" -lt 1536 ] || fail "setup: file size $size not in (1000, 1536)"
LONG=$(printf '%0600d' 0 | tr 0 y)
snap
run sh -c 'ulimit -f 3 && cd "$1" && exec "$2" log "$3" note --at 2020-06-07T09:40:00Z "$4"' \
    sh "$S" "$PMTOOL_BIN" "$ID" "$LONG"
assert_rc 1 "an append over the file-size limit"
assert_contains "$ERR" "cannot write $F" "file-size limit: message"
unchanged "file-size limit"
assert_eq "$(tail -c 1 "$F" | od -An -c | tr -d ' ')" '\n' "file-size limit: no half line"
run pmtool log "$ID" note --at 2020-06-07T09:41:00Z after the limit
assert_rc 0 "log works again without the limit"
assert_eq "$(git diff --numstat HEAD~1 HEAD)" "1	0	$F" "after the limit: one line"

# Read-only file and store (not for root, who ignores permissions).
if [ "$(id -u)" -ne 0 ]; then
	chmod a-w "$F"
	refused 1 "cannot open $F" "a read-only timeline" pmtool log "$ID" note x
	chmod u+w "$F"
	chmod -R a-w .git
	refused 1 "pmtool: " "a read-only .git" pmtool log "$ID" note x
	chmod -R u+w .git
else
	echo "# running as root: read-only checks skipped (the ulimit check covers a failed write)"
fi

run git fsck --no-dangling
assert_rc 0 "git fsck at the end"
assert_eq "$(git status --porcelain)" "" "git status clean at the end"

finish
