#!/bin/sh
# t-tui-sync.sh - pmtool tui with sync.interval set: the real binary in
# tmux, real git, a bare repository as the remote and two clones. The TUI
# of clone a syncs by itself: b's events show up in it, its own events
# reach the remote, an unreachable remote shows as a failure in the
# header and clears once the remote is back. Also: bad sync settings.
. "$(dirname "$0")/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	echo "# t-tui-sync.sh: SKIPPED: tmux is not installed"
	exit 0
fi

# --- the remote, and two clones of it ------------------------------------------
# (pmtool_setup: clone and sync are checked under valgrind by t-sync.sh.)
R="$T/remote.git"
git init -q --bare "$R"
new_store "$T/seed"
git -C "$T/seed" remote add origin "$R"
cd "$T/seed" || exit 1
ID=$(pmtool new --at -5m --tz UTC --severity SEV2 Shared outage)
pmtool_setup sync >/dev/null || fail "the seed store goes to the remote"
cd "$T" || exit 1
pmtool_setup clone "$R" a >/dev/null || fail "pmtool clone a"
pmtool_setup clone "$R" b >/dev/null || fail "pmtool clone b"
git -C "$T/b" config user.name "Clone b"
git -C "$T/b" config user.email "b@example.invalid"
F="incidents/$ID/timeline.txt"

# --- bad settings are errors that name the key ---------------------------------
cd "$T/a" || exit 1
cp .pmtool "$T/pmtool.orig"
git config -f .pmtool sync.interval soon
run pmtool render "$ID"
assert_rc 1 "a bad sync.interval"
assert_contains "$ERR" ".pmtool: sync.interval: bad duration 'soon'" \
    "the error names sync.interval"
git config -f .pmtool sync.interval 0
git config -f .pmtool sync.remote -x
run pmtool render "$ID"
assert_rc 1 "a bad sync.remote"
assert_contains "$ERR" ".pmtool: sync.remote: bad remote name '-x'" \
    "the error names sync.remote"
git config -f .pmtool --unset sync.remote
run pmtool render "$ID"
assert_rc 0 "sync.interval 0 (off) is fine"
cp "$T/pmtool.orig" .pmtool

git config -f .pmtool sync.interval 1s
git commit -q -m "sync every second" .pmtool

SOCK="pmtoolsync$$"
tm() { tmux -u -L "$SOCK" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$T"' EXIT
tm new-session -d -s keep "sleep 600"

screen() { tm capture-pane -p -t tui 2>/dev/null; }
# wait_re REGEX MESSAGE [TENTHS] - poll the screen until a line matches
# REGEX (grep -E), 10 s at most unless TENTHS says otherwise.
wait_re() {
	n=0
	while [ $n -lt "${3:-100}" ]; do
		if screen | grep -Eq -- "$1"; then
			check
			return 0
		fi
		sleep 0.1
		n=$((n + 1))
	done
	check
	fail "$2: /$1/ not on screen:
$(screen)"
	return 1
}
keys() { tm send-keys -t tui "$@"; }
text() { tm send-keys -t tui -l -- "$1"; }
pane_cmd() { tm display-message -p -t tui '#{pane_current_command}'; }
# remote_has TEXT - 0 when some commit of the remote holds TEXT.
remote_has() { git -C "$R" log --all -p 2>/dev/null | grep -qF -- "$1"; }
SYNCED='synced [0-9]+[smhd] ago'

tui() {	# ARGS... - pmtool tui ARGS in clone a, in a 140x30 pane
	tm new-session -d -s tui -x 140 -y 30 \
	    "cd '$T/a' && TERM=xterm-256color LC_ALL=C.UTF-8 HOME='$HOME' \
	    '$PMTOOL_BIN' tui $*; sleep 30"
}

tui "$ID"
wait_re "Shared outage" "the TUI opens the incident"
wait_re "cadence 30m  $SYNCED" "the header says it synced, soon after start"

# --- b's events arrive by themselves -------------------------------------------
(cd "$T/b" && "$PMTOOL_BIN" log "$ID" note "from clone b" >/dev/null &&
    "$PMTOOL_BIN" sync >/dev/null) || fail "b logs and syncs"
wait_re "note +from clone b" "b's event shows in a's TUI"
wait_re "$SYNCED" "the header still says synced"

# --- a's events go out by themselves -------------------------------------------
keys n
wait_re "^note>" "n opens the editor"
text "from clone a"
keys Enter
wait_re "logged note" "a's note logged"
n=0
while [ $n -lt 100 ] && ! remote_has "note from clone a"; do
	sleep 0.1
	n=$((n + 1))
done
check
[ $n -lt 100 ] || fail "a's event reaches the remote within 10 s"
(cd "$T/b" && "$PMTOOL_BIN" sync >/dev/null) || fail "b syncs again"
assert_contains "$(cat "$T/b/$F")" "note from clone a" "b gets a's event"

# --- an unreachable remote, then back ------------------------------------------
mv "$R" "$T/away.git"
wait_re "sync failed [0-9]+[smhd] ago: cannot fetch from $R" \
    "the header shows the failure and why"
# capture-pane -e writes attribute changes: yellow (33m) right before it.
check
case "$(tm capture-pane -e -p -t tui)" in
*"33msync failed"*|*"33m"*"sync failed"*) ;;
*) fail "the failure is in the warning colour" ;;
esac
assert_contains "$(screen)" "from clone a" "the timeline stays on screen"
mv "$T/away.git" "$R"
wait_re "cadence 30m  $SYNCED" "synced again once the remote is back"

# --- help, the list, quitting ----------------------------------------------------
keys '?' G
wait_re "Auto-sync" "? mentions the automatic sync"
wait_re "every 1s, 'pmtool sync' runs in" "... and how often"
keys q
wait_re "since started" "q leaves help"
keys q
wait_re "LAST STATUS" "q goes to the list"
wait_re "1 incident in .*  ($SYNCED|syncing)" "the list's bar shows the sync too"
keys q
n=0
while [ $n -lt 50 ] && [ "$(pane_cmd)" != sleep ]; do
	sleep 0.1
	n=$((n + 1))
done
assert_eq "$(pane_cmd)" sleep "q quits, within 5 s even while syncing"
tm kill-session -t tui

# --- sync.remote: the remote named is the one synced with -------------------------
git config -f .pmtool sync.remote nosuch
tui
wait_re "LAST STATUS" "the list view shows"
wait_re "sync failed [0-9]+[smhd] ago: no remote 'nosuch'" \
    "sync.remote is the remote the TUI syncs with"
keys q
tm kill-session -t tui
cp "$T/pmtool.orig" .pmtool
git config -f .pmtool sync.interval 1s
assert_eq "$(git status --porcelain)" "" "git status clean in a"
finish
