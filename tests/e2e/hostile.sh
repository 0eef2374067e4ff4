# hostile.sh - sourced by the hostile-input tests (t-hostile*.sh) after
# lib.sh: the corpus (tests/hostile/README.md) copied and generated, an
# editor that only leaves a mark, and the helpers that check a store was
# left as it was. The tests are three scripts so that they run side by
# side: the corpus (t-hostile.sh), HTML that stays inert
# (t-hostile-html.sh), and what is executed and sent to sqlite
# (t-hostile-exec.sh).

HOSTILE="$TOP/tests/hostile"
C="$T/corpus"			# a copy: no case may change the tree
cp -R "$HOSTILE" "$C" || { fail "cannot copy $HOSTILE"; finish; exit 1; }
export PMTOOL_TEST_TIME=2020-06-07T10:00:00Z
# An editor that only leaves a mark: no case but edit may run it.
cat >"$T/editor" <<'EOF'
#!/bin/sh
echo "$@" >>"${0%/*}/editor-ran"
EOF
chmod +x "$T/editor"
export EDITOR="$T/editor"
: >"$T/afile"
# The incidents the command-line cases name (@ID@, @NY@).
ID=2020-06-07-disk-full NY=2020-03-01-pipeline-stuck

# Generated inputs: NAME.gen prints the file NAME (huge or odd bytes).
for g in $(find "$C" -name '*.gen' | LC_ALL=C sort); do
	sh "$g" >"${g%.gen}" || fail "generating ${g#"$C"/}"
done

CASES=0
KINDS=""
count() {	# KIND
	CASES=$((CASES + 1))
	KINDS="$KINDS $1"
}

# tree_state DIR - what must not change: HEAD, the commit count, git
# status, and every file, link and folder of the work tree.
tree_state() {
	(
	cd "$1" || exit 1
	git rev-parse HEAD 2>/dev/null
	git rev-list --count HEAD 2>/dev/null
	git status --porcelain --untracked-files=all
	{
		find . -path ./.git -prune -o -type d -print | sed 's/^/D /'
		find . -path ./.git -prune -o -type l -print | while IFS= read -r f; do
			printf 'L %s -> %s\n' "$f" "$(readlink "$f")"
		done
		find . -path ./.git -prune -o -type f -exec cksum {} +
	} | LC_ALL=C sort
	)
}
snap() { tree_state "$1" >"$T/snap.state"; rm -f "$T/editor-ran"; }
unchanged() {	# DIR WHAT
	tree_state "$1" >"$T/now.state"
	check
	cmp -s "$T/snap.state" "$T/now.state" ||
	    fail "$2: the store changed: $(diff "$T/snap.state" "$T/now.state" | grep '^[<>]' | head -5 | tr '\n' ' ')"
	check
	[ ! -e "$T/editor-ran" ] || fail "$2: the editor was run: $(cat "$T/editor-ran")"
}
# expected FILE - FILE with @T@, @S@, @ID@ and @NY@ filled in, as $T/exp.
expected() {
	sed -e "s|@T@|$T|g" -e "s|@S@|$S|g" -e "s|@ID@|$ID|g" -e "s|@NY@|$NY|g" \
	    "$1" >"$T/exp"
}
# same_stderr WHAT - stderr ($T/err) is exactly $T/exp.
same_stderr() {
	check
	cmp -s "$T/err" "$T/exp" ||
	    fail "$1: stderr [$(cat "$T/err")], expected [$(cat "$T/exp")]"
}
# refused WHAT CMD... - exit 1, stderr exactly $T/exp, nothing on stdout.
refused() {
	what=$1
	shift
	"$@" >"$T/out" 2>"$T/err" </dev/null
	RC=$?
	check
	[ "$RC" -eq 1 ] || fail "$what: exit $RC, expected 1 (stderr: $(cat "$T/err"))"
	same_stderr "$what"
	check
	[ ! -s "$T/out" ] || fail "$what: stdout [$(head -c 300 "$T/out")], expected nothing"
}
# commit_all MESSAGE - commit whatever the work tree holds.
commit_all() {
	git add -A >/dev/null 2>&1
	git diff --cached --quiet || git commit -qm "$1" >/dev/null 2>&1 ||
	    fail "commit: $1"
}
