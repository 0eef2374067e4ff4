#!/bin/sh
# t-edit.sh - pmtool edit: the editor ($VISUAL, else $EDITOR, split on
# blanks and run without a shell) on incidents/ID/postmortem.md, one commit
# when it changed the file, none otherwise; editors that fail, write bad
# UTF-8 or cannot be run; an incident without postmortem.md.
. "$(dirname "$0")/lib.sh"

S="$T/store"
new_store "$S"
cd "$S" || exit 1
S=$(pwd -P)		# the path pmtool hands the editor
export PMTOOL_TEST_TIME=2020-06-20T12:00:00Z
ID=$(pmtool new --at 2020-06-07T00:45:00Z --tz UTC --severity SEV2 'Replica loss')
assert_eq "$ID" 2020-06-07-replica-loss "the id"
PM="incidents/$ID/postmortem.md"
ABS="$S/$PM"
SKELETON_COMMIT=$(git rev-parse HEAD)
check
git cat-file -e "HEAD:$PM" 2>/dev/null || fail "setup: new commits a skeleton postmortem.md"

# Editors: small scripts. Each logs its arguments, one a line, to
# $T/NAME.args, then does its job to the file, its last argument.
B="$T/bin"
mkdir -p "$B"
# mkeditor NAME BODY - $B/NAME; BODY sees the file as "$f", and $T.
mkeditor() {
	cat >"$B/$1" <<EOF
#!/bin/sh
T='$T'
printf '%s\n' "\$@" >"\$T/$1.args"
for f; do :; done
$2
EOF
	chmod +x "$B/$1"
}
mkeditor addfault 'awk '\''{ print } $0 == "## Fault" { print ""; print "The replica set lost quorum at 01:02." }'\'' "$f" >"$f.new" && mv "$f.new" "$f"'
mkeditor addvisual 'awk '\''{ print } $0 == "## Impact" { print ""; print "Written in VISUAL." }'\'' "$f" >"$f.new" && mv "$f.new" "$f"'
mkeditor logonly ':'
mkeditor seen 'cp "$f" "$T/seen.md"'
mkeditor halfway 'printf "\nHalf-written thought.\n" >>"$f"; exit 3'
mkeditor badutf8 'printf "Intro line\nbad \377 byte\n" >>"$f"'
mkeditor ctrl 'printf "bell \007 here\n" >>"$f"'
mkeditor remove 'rm "$f"'

# edit_run VISUAL EDITOR ARGS... - run pmtool edit ARGS with these
# editors ("-": unset); no prefix assignments on shell functions, whose
# effect differs between shells.
edit_run() {
	if [ "$1" = - ]; then unset VISUAL; else VISUAL=$1; export VISUAL; fi
	if [ "$2" = - ]; then unset EDITOR; else EDITOR=$2; export EDITOR; fi
	shift 2
	run pmtool edit "$@"
	unset VISUAL EDITOR
}

# state_same N WHAT - HEAD is still commit N and the tree is clean.
state_same() {
	assert_eq "$(commit_count "$S")" "$1" "$2: nothing committed"
	assert_eq "$(git status --porcelain)" "" "$2: git status clean"
}

# --- an editor that appends a paragraph under "## Fault" --------------------
N=$(commit_count "$S")
HEAD0=$(git rev-parse HEAD)
git show "HEAD:$PM" >"$T/before.md"
edit_run - "$B/addfault" "$ID"
assert_rc 0 "edit"
assert_eq "$OUT" "committed $PM" "edit: the message"
assert_eq "$(commit_count "$S")" "$((N + 1))" "edit: exactly one commit"
assert_eq "$(git rev-parse HEAD~1)" "$HEAD0" "edit: on top of the previous HEAD"
assert_eq "$(git show --name-only --format= HEAD)" "$PM" "edit: the commit touches only postmortem.md"
assert_eq "$(git diff --numstat HEAD~1 HEAD)" "2	0	$PM" "edit: two lines added"
assert_eq "$(git log -1 --format=%s)" "$ID: edit the written analysis" "edit: the commit message"
assert_eq "$(git log -1 --format='%an <%ae>')" "Test Author <author@example.invalid>" "edit: the author"
assert_eq "$(git status --porcelain)" "" "edit: git status clean"
awk '{ print } $0 == "## Fault" { print ""; print "The replica set lost quorum at 01:02." }' \
    "$T/before.md" >"$T/expected.md"
git show "HEAD:$PM" >"$T/committed.md"
assert_file_same "$T/committed.md" "$T/expected.md" "edit: the committed file is what the editor wrote"
assert_eq "$(cat "$T/addfault.args")" "$ABS" "edit: the editor gets the file's path alone"
run pmtool render "$ID"
assert_rc 0 "render after edit"
assert_eq "$(printf '%s\n' "$OUT" | awk '$0 == "## Fault" { p = 1 } $0 == "## Impact" { exit } p')" \
"## Fault

The replica set lost quorum at 01:02.

<!-- What failed, and how. -->" "render after edit: the paragraph under Fault"
run pmtool render "$ID" --html
assert_contains "$OUT" "<h2>Fault</h2>
<p>The replica set lost quorum at 01:02.</p>" "render --html after edit: the paragraph"
run pmtool show "$ID" --json
assert_eq "$(printf '%s' "$OUT" | python3 -c 'import json, sys; d = json.load(sys.stdin); s = d["sections"]["fault"]; print(s["empty"], s["markdown"].split("\n")[0])')" \
    "False The replica set lost quorum at 01:02." "show --json after edit: the fault section"

# --- VISUAL before EDITOR ----------------------------------------------------
N=$(commit_count "$S")
rm -f "$T/addfault.args"
edit_run "$B/addvisual" "$B/addfault" "$ID"
assert_rc 0 "VISUAL"
assert_eq "$(commit_count "$S")" "$((N + 1))" "VISUAL: one commit"
assert_contains "$(git show HEAD:"$PM")" "## Impact

Written in VISUAL." "VISUAL: its change committed"
check
[ ! -e "$T/addfault.args" ] || fail "VISUAL set: EDITOR must not run"
assert_eq "$(grep -c 'lost quorum' "$PM")" 1 "VISUAL set: EDITOR's change not made"
# An empty VISUAL is no VISUAL.
edit_run "" "$B/logonly" "$ID"
assert_rc 0 "empty VISUAL"
assert_eq "$(cat "$T/logonly.args" 2>/dev/null)" "$ABS" "empty VISUAL: EDITOR runs"

# --- arguments, and no shell ---------------------------------------------------
# -C from another folder: the path is still absolute.
N=$(commit_count "$S")
(cd "$T" && EDITOR="$B/addfault --flag  value" && export EDITOR && pmtool -C "$S" edit "$ID") >"$T/o" 2>"$T/e"
RC=$?
check
[ "$RC" -eq 0 ] || fail "EDITOR with arguments: exit $RC"
assert_eq "$(cat "$T/addfault.args")" "--flag
value
$ABS" "EDITOR with arguments: split on blanks, the file last"
assert_eq "$(commit_count "$S")" "$((N + 1))" "EDITOR with arguments: one commit"
assert_eq "$(grep -c 'lost quorum' "$PM")" 2 "EDITOR with arguments: the change made"
N=$(commit_count "$S")
mkdir "$T/cwd"
(cd "$T/cwd" && EDITOR='/bin/echo $(touch pwned) `touch pwned2`; touch pwned3' &&
    export EDITOR && pmtool -C "$S" edit "$ID") >"$T/o" 2>"$T/e"
RC=$?
check
[ "$RC" -eq 0 ] || fail "EDITOR with shell syntax: exit $RC"
assert_eq "$(cat "$T/o")" "\$(touch pwned) \`touch pwned2\`; touch pwned3 $ABS" \
    "EDITOR with shell syntax: the words are plain arguments"
for f in pwned pwned2 pwned3; do
	check
	[ ! -e "$T/cwd/$f" ] && [ ! -e "$S/$f" ] && [ ! -e "$S/incidents/$ID/$f" ] ||
	    fail "EDITOR with shell syntax: '$f' created: a shell ran"
done
assert_contains "$(cat "$T/e")" "unchanged" "EDITOR with shell syntax: nothing changed"
state_same "$N" "EDITOR with shell syntax"
edit_run - "$B/logonly 'quoted arg' a;b \$HOME" "$ID"
assert_rc 0 "EDITOR with quotes"
assert_eq "$(cat "$T/logonly.args")" "'quoted
arg'
a;b
\$HOME
$ABS" "EDITOR with quotes: no quote removal, no expansion"

# --- an editor that changes nothing ------------------------------------------------
N=$(commit_count "$S")
cp "$PM" "$T/pm.copy"
edit_run - true "$ID"
assert_rc 0 "unchanged"
assert_contains "$ERR" "$PM unchanged; nothing committed" "unchanged: the message"
assert_eq "$OUT" "" "unchanged: nothing on stdout"
state_same "$N" "unchanged"
assert_file_same "$PM" "$T/pm.copy" "unchanged: the file"
# An editor that deletes the file has changed it: pmtool must not report
# it "unchanged" and exit 0 leaving the deletion in the working tree.
edit_run - "$B/remove" "$ID"
check
case "$RC:$ERR" in
0:*unchanged*)
	cmp -s "$PM" "$T/pm.copy" ||
	    fail "an editor that deletes the file: exit 0 and '$ERR', but git status says '$(git status --porcelain)'"
	;;
esac
assert_eq "$(commit_count "$S")" "$N" "an editor that deletes the file: nothing committed"
git checkout -q -- "$PM"

# --- an editor that fails ------------------------------------------------------
edit_run - "$B/halfway" "$ID"
assert_rc 1 "failing editor"
assert_contains "$ERR" "exit status 3" "failing editor: the status"
assert_contains "$ERR" "nothing was committed" "failing editor: says nothing was committed"
assert_eq "$(commit_count "$S")" "$N" "failing editor: nothing committed"
{ cat "$T/pm.copy"; printf '\nHalf-written thought.\n'; } >"$T/expected.md"
assert_file_same "$PM" "$T/expected.md" "failing editor: the file kept as the editor left it"
assert_eq "$(git status --porcelain)" " M $PM" "failing editor: the change is left uncommitted"
git checkout -q -- "$PM"

# --- an editor that writes invalid UTF-8, or a control character ----------------
LINES=$(wc -l <"$PM")
edit_run - "$B/badutf8" "$ID"
assert_rc 1 "invalid UTF-8"
assert_contains "$ERR" "pmtool: $PM:$((LINES + 2)):5: error: " "invalid UTF-8: FILE:LINE:COL"
assert_contains "$ERR" "UTF-8" "invalid UTF-8: the message says so"
assert_eq "$(commit_count "$S")" "$N" "invalid UTF-8: nothing committed"
{ cat "$T/pm.copy"; printf 'Intro line\nbad \377 byte\n'; } >"$T/expected.md"
assert_file_same "$PM" "$T/expected.md" "invalid UTF-8: the file kept as written"
git checkout -q -- "$PM"
edit_run - "$B/ctrl" "$ID"
assert_rc 1 "control character"
assert_contains "$ERR" "pmtool: $PM:$((LINES + 1)):6: error: " "control character: FILE:LINE:COL"
assert_eq "$(commit_count "$S")" "$N" "control character: nothing committed"
git checkout -q -- "$PM"

# --- an editor that cannot be run -------------------------------------------------
edit_run - "$T/no-such-editor" "$ID"
assert_rc 1 "a missing editor"
assert_contains "$ERR" "$T/no-such-editor" "a missing editor: named"
state_same "$N" "a missing editor"
edit_run - "$B" "$ID"
assert_rc 1 "an editor that is a folder"
state_same "$N" "an editor that is a folder"

# --- usage ---------------------------------------------------------------------
edit_run - "$B/logonly"
assert_rc 2 "edit without an id"
edit_run - "$B/logonly" "$ID" extra
assert_rc 2 "edit with two ids"
edit_run - "$B/logonly" 2019-01-01-nope
assert_rc 1 "edit of an unknown incident"
state_same "$N" "usage errors"

# --- an incident without postmortem.md: the skeleton ----------------------------
git rm -q "$PM" && git commit -q -m "remove the postmortem"
N=$(commit_count "$S")
git show "$SKELETON_COMMIT:$PM" >"$T/skeleton.md"
edit_run - "$B/seen" "$ID"
assert_rc 0 "no postmortem.md, untouched skeleton"
assert_file_same "$T/seen.md" "$T/skeleton.md" "no postmortem.md: the editor gets the skeleton a new incident has"
assert_contains "$ERR" "unchanged" "no postmortem.md, untouched skeleton: unchanged"
state_same "$N" "no postmortem.md, untouched skeleton"
check
[ ! -e "$PM" ] || fail "no postmortem.md, untouched skeleton: the skeleton is not left behind"
edit_run - "$B/addfault" "$ID"
assert_rc 0 "no postmortem.md, written"
assert_eq "$(commit_count "$S")" "$((N + 1))" "no postmortem.md, written: one commit"
assert_eq "$(git show --name-only --format= HEAD)" "$PM" "no postmortem.md, written: only postmortem.md"
assert_eq "$(git log -1 --format=%s)" "$ID: write the written analysis" "no postmortem.md, written: the message"
awk '{ print } $0 == "## Fault" { print ""; print "The replica set lost quorum at 01:02." }' \
    "$T/skeleton.md" >"$T/expected.md"
git show "HEAD:$PM" >"$T/committed.md"
assert_file_same "$T/committed.md" "$T/expected.md" "no postmortem.md, written: the skeleton with the paragraph"
assert_eq "$(git status --porcelain)" "" "no postmortem.md, written: clean"
run pmtool render "$ID"
assert_contains "$OUT" "## Fault

The replica set lost quorum at 01:02." "no postmortem.md, written: rendered"

finish
