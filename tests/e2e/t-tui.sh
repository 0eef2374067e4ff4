#!/bin/sh
# t-tui.sh - pmtool tui, the real binary inside tmux: open an incident from
# the list, log events with keys, the overdue banner, resize, Esc, UTF-8
# text, events from another pmtool, quitting.
. "$(dirname "$0")/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	echo "# t-tui.sh: SKIPPED: tmux is not installed"
	exit 0
fi

S="$T/store"
new_store "$S"
cd "$S" || exit 1
NOW=2020-06-07T10:00:00Z
export PMTOOL_TEST_TIME=$NOW
pmtool new --at 2020-06-01T08:00:00Z --tz UTC Old outage >/dev/null
OLD=$(ls incidents | head -1)
pmtool log "$OLD" resolved --at 2020-06-01T09:00:00Z fixed >/dev/null
ID=$(pmtool new --at -1h --tz UTC --severity SEV2 Queue backlog)
F="incidents/$ID/timeline.txt"

SOCK="pmtooltest$$"
tm() { tmux -u -L "$SOCK" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$T"' EXIT
# A session that outlives the others, so that killing one and starting
# the next never races with the tmux server shutting down.
tm new-session -d -s keep "sleep 600"

screen() { tm capture-pane -p -t tui 2>/dev/null; }
# wait_for TEXT MESSAGE - poll the screen until TEXT shows (5 s at most).
wait_for() {
	n=0
	while [ $n -lt 50 ]; do
		case "$(screen)" in *"$1"*) check; return 0 ;; esac
		sleep 0.1
		n=$((n + 1))
	done
	check
	fail "$2: [$1] not on screen:
$(screen)"
	return 1
}
# wait_gone TEXT MESSAGE - poll until TEXT is no longer on the screen.
wait_gone() {
	n=0
	while [ $n -lt 50 ]; do
		case "$(screen)" in *"$1"*) ;; *) check; return 0 ;; esac
		sleep 0.1
		n=$((n + 1))
	done
	check
	fail "$2: [$1] still on screen"
	return 1
}
keys() { tm send-keys -t tui "$@"; }
text() { tm send-keys -t tui -l -- "$1"; }
last_line() { tail -n 1 "$F"; }

tm new-session -d -s tui -x 100 -y 30 \
    "cd '$S' && TERM=xterm-256color LC_ALL=C.UTF-8 HOME='$HOME' \
    PMTOOL_TEST_TIME=$NOW '$PMTOOL_BIN' tui; sleep 30"
wait_for "LAST STATUS" "the list view shows"
# Open incidents come first: the open one is selected.
assert_contains "$(screen | sed -n 3p)" "$ID" "open incident first"
assert_contains "$(screen | sed -n 4p)" "$OLD" "resolved incident after"
keys Enter
wait_for "Queue backlog" "Enter opens the incident"
wait_for "since started 1h" "clock since started"

C0=$(commit_count "$S")
# A note.
keys n
wait_for "note>" "n opens the editor"
text "first note"
keys Enter
wait_for "logged note" "note logged"
assert_eq "$(last_line)" "2020-06-07T10:00:00Z note first note" "note line"
# detected, backdated 10 minutes
keys d
wait_for "detected>" "d opens the editor"
text "@-10m alert fired"
keys Enter
wait_for "logged detected" "detected logged"
assert_eq "$(last_line)" "2020-06-07T09:50:00Z detected alert fired" \
    "detected line, time from the -10m token"
wait_for "since detected 10m" "clock since detected"
# action at a wall-clock time
keys x
text "@09:55 restarted workers"
keys Enter
wait_for "logged action" "action logged"
assert_eq "$(last_line)" "2020-06-07T09:55:00Z action restarted workers" \
    "action line, time from HH:MM"
assert_eq "$(commit_count "$S")" "$((C0 + 3))" "one commit per event"

# Every event shows its reference; i opens the record: who logged what.
AREF=$(pmtool show "$ID" | awk '$5 == "action" { print $1 }')
wait_for "$AREF action" "the timeline shows the action's reference"
keys i
wait_for "The record" "i opens the record"
wait_for "$AREF  2020-06-07 09:55 UTC  action" "the record names the event by its reference"
wait_for "logged 2020-06-07 10:00 UTC by Test Author" "the record says who logged it and when"
keys q
wait_for "Timeline (" "q goes back to the incident"

# --- input that cannot hurt ----------------------------------------------
# A clock time without @ is text, logged now.
keys n
text "12:00 UTC is when the window opens"
keys Enter
wait_for "logged note at 10:00" "an unmarked clock time is text"
assert_eq "$(last_line)" "2020-06-07T10:00:00Z note 12:00 UTC is when the window opens" \
    "logged now, the text as typed"
# @TIME shows what it resolves to before the commit.
keys n
text "@09:42 checked the graphs"
wait_for "@09:42 = 09:42 UTC, today, 18m ago" "the line shows the time resolved"
keys Enter
wait_for "logged note at 09:42" "@HH:MM sets the time"
assert_eq "$(last_line)" "2020-06-07T09:42:00Z note checked the graphs" "the @ marker is not text"
# A bracketed paste of three lines is text: its r, p and q never act.
C2=$(commit_count "$S")
printf 'restart the primary\npq quit\nr' >"$T/paste"
tm load-buffer -b p "$T/paste"
tm paste-buffer -p -d -b p -t tui
wait_for "pasted into a note" "a paste opens a note"
assert_eq "$(commit_count "$S")" "$C2" "the paste logged nothing by itself"
keys Enter
wait_for "logged note at 10:00" "Enter logs the pasted note"
assert_eq "$(tail -n 3 "$F")" "2020-06-07T10:00:00Z note restart the primary
  pq quit
  r" "the paste is the event's text, its lines kept"
# u withdraws it, by an appended line.
keys u
wait_for "undone: note at 10:00 withdrawn" "u undoes the last event"
assert_contains "$(last_line)" " retract " "by an appended retraction"
run pmtool show "$ID"
assert_not_contains "$OUT" "restart the primary" "the undone note left the timeline"
# A second detected asks first: nothing is written until y.
C3=$(commit_count "$S")
keys d
text "again"
keys Enter
wait_for "a second detected event" "a second detected warns"
wait_for "y logs it anyway" "and asks"
assert_eq "$(commit_count "$S")" "$C3" "nothing logged before y"
keys n
wait_for "not logged: edit the line" "n goes back to the line"
keys Enter
wait_for "y logs it anyway" "asks again"
keys y
wait_for "logged detected at 10:00" "y logs it"
assert_eq "$(commit_count "$S")" "$((C3 + 1))" "one commit"
keys u
wait_for "undone: detected at 10:00" "and u takes it back"
# A time in the future asks too.
keys n
text "@2020-06-07 11:00 planned"
wait_for "@2020-06-07 11:00 = 11:00 UTC, today, in 1h" "a future time shows as such"
keys Enter
wait_for "in the future" "a time ahead warns"
keys Escape
keys Escape
wait_for "cancelled; nothing logged" "Esc cancels"

# --- the ':' prompt: the CLI's commands with the CLI's syntax ------------
keys :
text "sev"
keys Tab
wait_for ":severity" "Tab completes the command"
text "SEV1 customers see errors"
keys Enter
wait_for "logged severity SEV1" ":severity logs the escalation"
assert_eq "$(last_line)" "2020-06-07T10:00:00Z severity SEV1 customers see errors" \
    "the severity line"
wait_for "SEV1  zone UTC" "the header shows the current severity"
keys :
text "role comms Bea Lund"
keys Enter
wait_for "SEV1  comms Bea Lund" "the header shows the role"
keys :
text "role commander Cy"
keys Enter
wait_for "lead Cy" "a hand-off of the commander"
keys :
text "amend $AREF --at @09:56"
keys Enter
wait_for "bad time" "a bad time: the error, back at the prompt"
keys C-u
text "amend $AREF --at 09:56 the time was off"
keys Enter
wait_for "amended action $AREF" "amend from the prompt"
keys :
text "action add --owner Ana --due 2020-06-20 Alert on queue depth"
keys Enter
wait_for "pmtool action: 1" "action add from the prompt"
assert_contains "$(cat "incidents/$ID/actions.txt")" "Alert on queue depth" "the action is recorded"
keys :
text "frobnicate"
keys Enter
wait_for "frobnicate: not a command here" "an unknown command says so"
keys Escape
keys :
text "metrics"
keys Enter
wait_for "time to detect" ":metrics in the pager"
keys q
wait_for "Timeline (" "q goes back"

# A status update 40 minutes ago: overdue against the 30m cadence.
keys s
wait_for "i investigating" "the state picker shows its keys"
keys i
wait_for "status investigating>" "state picked"
text "@-40m Looking into it"
keys Enter
wait_for "status update overdue" "overdue banner"
assert_eq "$(last_line)" \
    "2020-06-07T09:20:00Z status investigating Looking into it" "status line"

# Resize: the screen redraws at the new size.
tm resize-window -t tui -x 80 -y 24
wait_for "status update overdue" "banner after resize"
check
[ "$(screen | wc -l)" -eq 24 ] || fail "screen has 24 lines after resize"
wait_for "t d a s x m r n l: log" "hints after resize"

# A fresh status update clears the banner.
keys s
wait_for "d identified" "picker again"
keys d
text "Found the cause"
keys Enter
wait_for "logged status identified" "status logged"
wait_gone "status update overdue" "banner gone after a new status"
assert_eq "$(last_line)" \
    "2020-06-07T10:00:00Z status identified Found the cause" "status line 2"

# Esc cancels: nothing logged.
C1=$(commit_count "$S")
cp "$F" "$T/before"
keys n
text "do not log this"
keys Escape
wait_for "cancelled" "Esc cancels"
assert_file_same "$F" "$T/before" "Esc leaves the timeline alone"
assert_eq "$(commit_count "$S")" "$C1" "Esc makes no commit"

# Editing keys: Ctrl-W, Ctrl-U, Left, Backspace on multibyte characters.
keys n
text "junk words"
keys C-w C-u
text "Störung – 数据库X"
keys BSpace
text "!"
keys Left Left BSpace Right
keys Enter
wait_for "logged note" "UTF-8 note logged"
assert_eq "$(last_line)" "2020-06-07T10:00:00Z note Störung – 数库!" \
    "non-ASCII text logged exactly, editing by characters"
wait_for "Störung – 数库!" "non-ASCII text shown"
assert_eq "$(commit_count "$S")" "$((C1 + 1))" "one commit for the note"

# Another writer: shows within 2 s.
pmtool log "$ID" note "from another terminal" >/dev/null
n=0
while [ $n -lt 20 ]; do
	case "$(screen)" in *"from another terminal"*) break ;; esac
	sleep 0.1
	n=$((n + 1))
done
check
[ $n -lt 20 ] || fail "an event from another pmtool shows within 2 s"

# A slow commit: another writer holds the store's lock for 3 s. The
# screen keeps moving (a spinner) instead of freezing, keys typed
# meanwhile are handled afterwards, and the event is logged once the lock
# is free.
if command -v flock >/dev/null 2>&1; then
	flock "$S/.git/pmtool.lock" sleep 3 &
	HOLDER=$!
	sleep 0.3
	C3=$(commit_count "$S")
	keys n
	text "while locked"
	keys Enter
	wait_for "committing note... while locked" "a spinner while the lock is held"
	frames=
	for i in 1 2 3 4 5; do
		frames="$frames$(screen | tail -n 1 | cut -c1)"
		sleep 0.13
	done
	check
	[ "$(printf '%s' "$frames" | fold -w1 | sort -u | wc -l)" -ge 2 ] ||
	    fail "the spinner turns ($frames)"
	keys n
	text "typed meanwhile"
	wait_for "note> typed meanwhile" "keys typed during the commit are kept"
	assert_eq "$(grep -c 'note while locked$' "$F")" 1 "the slow event, once"
	keys Escape
	wait "$HOLDER"
	assert_eq "$(commit_count "$S")" "$((C3 + 1))" "one commit for it"
fi

# store_append fails (the file no longer reads cleanly): the error shows
# on the status line and the typed text stays in the editor.
cp "$F" "$T/good"
echo "not a valid line" >>"$F"
C2=$(commit_count "$S")
keys n
text "kept text"
keys Enter
wait_for "$F" "the store's error on the status line"
wait_for "note> kept text" "the text stays in the editor"
assert_eq "$(commit_count "$S")" "$C2" "nothing committed on failure"
cp "$T/good" "$F"
keys Enter
wait_for "logged note" "Enter again logs once the file is fixed"
assert_eq "$(last_line)" "2020-06-07T10:00:00Z note kept text" "kept text"

# The postmortem preview and the help page.
keys p
wait_for "Postmortem preview" "p shows the postmortem"
wait_for "Queue backlog" "postmortem has the title"
keys q
wait_for "since started" "q goes back to the incident"
keys '?'
wait_for "anything else worth recording" "? shows the keys"
keys G
wait_for "Ctrl-W" "G scrolls help to its end"
keys q
wait_for "since started" "q leaves help"

# q: incident -> list -> quit.
keys q
wait_for "LAST STATUS" "q goes back to the list"
keys q
# The pane's shell goes on to "sleep" once pmtool has exited.
pane_cmd() { tm display-message -p -t tui '#{pane_current_command}'; }
n=0
while [ $n -lt 50 ] && [ "$(pane_cmd)" != sleep ]; do
	sleep 0.1
	n=$((n + 1))
done
assert_eq "$(pane_cmd)" sleep "q from the list quits pmtool"
assert_not_contains "$(screen)" "LAST STATUS" "the screen is restored"
tm kill-session -t tui

# 'pmtool' alone on a terminal starts the list; 'tui PREFIX' opens one
# incident, and q goes back to the list. The banner is red in colour.
tm new-session -d -s tui -x 80 -y 24 \
    "cd '$S' && TERM=xterm-256color LC_ALL=C.UTF-8 HOME='$HOME' \
    PMTOOL_TEST_TIME=2020-06-07T11:00:00Z '$PMTOOL_BIN'; sleep 30"
wait_for "LAST STATUS" "pmtool alone opens the TUI"
keys q
n=0
while [ $n -lt 50 ] && [ "$(pane_cmd)" != sleep ]; do
	sleep 0.1
	n=$((n + 1))
done
assert_eq "$(pane_cmd)" sleep "q quits pmtool alone"
tm kill-session -t tui
tm new-session -d -s tui -x 80 -y 24 \
    "cd '$S' && TERM=xterm-256color LC_ALL=C.UTF-8 HOME='$HOME' \
    PMTOOL_TEST_TIME=2020-06-07T11:00:00Z '$PMTOOL_BIN' tui 2020-06-07-q; \
    sleep 30"
wait_for "status update overdue" "tui PREFIX, an hour later: overdue"
# capture-pane -e only writes attribute changes: red (31m) is switched on
# at the clock and carries on through the banner.
check
case "$(tm capture-pane -e -p -t tui | tr '\n' ' ')" in
*"since status update "*"31m"*"status update overdue"*) ;;
*) fail "the overdue clock and banner are red" ;;
esac
keys q
wait_for "LAST STATUS" "q from tui ID goes to the list"
# The list follows the store too: an incident opened elsewhere shows up
# within a few seconds, without a restart.
(cd "$S" && PMTOOL_TEST_TIME=2020-06-07T11:00:00Z "$PMTOOL_BIN" new --tz UTC \
    --at 2020-06-07T10:59:00Z Opened in another terminal >/dev/null)
wait_for "opened-in-another-terminal" "a new incident appears in the open list"
keys :
text "new --tz UTC --severity SEV3 Declared from the TUI"
keys Enter
wait_for "opened 2020-06-07-declared-from-the-tui" ":new declares and opens the incident"
wait_for "SEV3  zone UTC" "its header"
keys q
wait_for "LAST STATUS" "back to the list"
keys q
tm kill-session -t tui

# e: the written analysis in $EDITOR (a script standing in for the user),
# then back to the incident with the edit committed.
cat >"$T/editor" <<'EOS'
#!/bin/sh
printf '\nEdited from the TUI.\n' >>"$1"
EOS
chmod +x "$T/editor"
C4=$(commit_count "$S")
tm new-session -d -s tui -x 80 -y 24 \
    "cd '$S' && TERM=xterm-256color LC_ALL=C.UTF-8 HOME='$HOME' \
    EDITOR='$T/editor' VISUAL= PMTOOL_TEST_TIME=$NOW '$PMTOOL_BIN' tui '$ID'; \
    sleep 30"
wait_for "since started" "tui ID opens the incident"
keys e
wait_for "postmortem.md edited" "e runs the editor and comes back"
wait_for "since started" "the incident view is back after the editor"
assert_contains "$(cat "incidents/$ID/postmortem.md")" "Edited from the TUI." \
    "the editor's change is in postmortem.md"
assert_eq "$(commit_count "$S")" "$((C4 + 1))" "the edit is one commit"
assert_eq "$(git show --name-only --format= HEAD)" \
    "incidents/$ID/postmortem.md" "the commit holds postmortem.md only"
keys q q
tm kill-session -t tui

# Reopened after resolved: open again, and the clocks and the overdue nag
# are back.
pmtool log "$OLD" status investigating --at 2020-06-07T09:00:00Z flapping >/dev/null 2>&1
run pmtool log "$OLD" reopened --at 2020-06-07T09:01:00Z errors are back
assert_rc 0 "reopened"
tm new-session -d -s tui -x 80 -y 24 \
    "cd '$S' && TERM=xterm-256color LC_ALL=C.UTF-8 HOME='$HOME' \
    PMTOOL_TEST_TIME=$NOW '$PMTOOL_BIN' tui '$OLD'; sleep 30"
wait_for "OPEN" "a reopened incident is open in the TUI"
wait_for "since status update 1h" "its status clock runs"
wait_for "status update overdue" "and the overdue nag is back"
keys q q
tm kill-session -t tui
assert_eq "$(git status --porcelain)" "" "git status clean"
finish
