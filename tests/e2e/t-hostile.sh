#!/bin/sh
# t-hostile.sh - hostile input (tests/hostile/README.md): the corpus of bad
# incident files, actions files, templates, imports and command lines, each
# refused with its exact message and nothing written.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile.sh"

# --- incident files ------------------------------------------------------
# Each case is incidents/hostile/timeline.txt: every reader refuses it with
# the same FILE:LINE:COL message, and a writer adds nothing to it.
S="$T/s-incident"
new_store "$S"
cd "$S" || exit 1
# Each case's first command runs under valgrind when asked (make
# valgrind); the others take the same reading path again, with the plain
# binary (pmtool_setup), so that the run stays inside CI's time.
for exp in "$C"/incident/*.expect; do
	name=$(basename "$exp" .expect)
	in="$C/incident/$name.txt"
	count incident
	mkdir -p incidents/hostile
	cp "$in" incidents/hostile/timeline.txt
	commit_all "case $name"
	expected "$exp"
	snap "$S"
	refused "incident $name: show" pmtool show hostile
	refused "incident $name: show --json" pmtool_setup show hostile --json
	refused "incident $name: metrics" pmtool_setup metrics hostile
	refused "incident $name: render --html" pmtool_setup render hostile --html
	refused "incident $name: log" pmtool_setup log hostile note --at 2020-06-07T09:30:00Z not added
	refused "incident $name: action add" pmtool_setup action add hostile not added
	pmtool_setup list >"$T/out" 2>"$T/err"
	RC=$?
	assert_eq "$RC" 1 "incident $name: list exit status"
	same_stderr "incident $name: list"
	unchanged "$S" "incident $name"
	assert_file_same incidents/hostile/timeline.txt "$in" "incident $name: the file"
	git rm -rqf incidents/hostile && git commit -qm "end of $name"
done

# --- actions files -------------------------------------------------------
S="$T/s-actions"
new_store "$S"
cd "$S" || exit 1
pmtool new --tz UTC --at 2020-06-07T09:00:00Z Hostile >/dev/null
git mv -k incidents/2020-06-07-hostile incidents/hostile && git commit -qm rename
for exp in "$C"/actions/*.expect; do
	name=$(basename "$exp" .expect)
	in="$C/actions/$name.txt"
	count actions
	cp "$in" incidents/hostile/actions.txt
	commit_all "case $name"
	expected "$exp"
	snap "$S"
	refused "actions $name: action list ID" pmtool action list hostile
	refused "actions $name: action add" pmtool_setup action add hostile not added
	refused "actions $name: action done" pmtool_setup action done hostile 1
	refused "actions $name: render" pmtool_setup render hostile
	refused "actions $name: show --json" pmtool_setup show hostile --json
	pmtool_setup action list >"$T/out" 2>"$T/err"
	RC=$?
	assert_eq "$RC" 1 "actions $name: action list (all) exit status"
	same_stderr "actions $name: action list (all)"
	unchanged "$S" "actions $name"
	assert_file_same incidents/hostile/actions.txt "$in" "actions $name: the file"
	git rm -qf incidents/hostile/actions.txt && git commit -qm "end of $name"
done

# --- templates -----------------------------------------------------------
# NAME.mustache (with NAME.json: --data) or a folder NAME/ with
# main.mustache (and data.json); run from the corpus folder, so that the
# message names the file as given.
S="$T/s-template"
new_store "$S"
cd "$S" || exit 1
pmtool new --tz UTC --at 2020-06-07T09:00:00Z Hostile >/dev/null
git mv -k incidents/2020-06-07-hostile incidents/hostile && git commit -qm rename
cd "$C/template" || exit 1
for exp in "$C"/template/*.expect; do
	name=$(basename "$exp" .expect)
	count template
	if [ -d "$name" ]; then
		tpl="$name/main.mustache" data="$name/data.json"
	else
		tpl="$name.mustache" data="$name.json"
	fi
	expected "$exp"
	rm -f "$T/rendered"
	snap "$S"
	tree_state "$C/template" >"$T/corpus.state"
	if [ -e "$data" ]; then
		refused "template $name" pmtool render --template "$tpl" --data "$data"
		refused "template $name: --html -o" pmtool render --template "$tpl" \
		    --data "$data" --html -o "$T/rendered"
	else
		refused "template $name" pmtool -C "$S" render hostile --template "$tpl"
		refused "template $name: --html -o" pmtool -C "$S" render hostile \
		    --template "$tpl" --html -o "$T/rendered"
	fi
	check
	[ ! -e "$T/rendered" ] || fail "template $name: -o file written"
	check
	[ -z "$(ls "$T" | grep pmtool-tmp)" ] || fail "template $name: a temporary file left"
	unchanged "$S" "template $name"
	tree_state "$C/template" >"$T/now.state"
	check
	cmp -s "$T/corpus.state" "$T/now.state" || fail "template $name: the template folder changed"
done

# --- imports -------------------------------------------------------------
S="$T/s-import"
new_store "$S"
cd "$S" || exit 1
pmtool new --tz UTC --at 2020-06-07T09:00:00Z Already here >/dev/null
for kind in statuspage statuspage-text pagerduty; do
	cd "$C/import/$kind" || exit 1
	for exp in *.expect; do
		name=${exp%.expect}
		count "import"
		file=$(ls "$name".* | grep -v -e '\.expect$' -e '\.args$' -e '\.gen$')
		set --
		if [ -f "$name.args" ]; then
			while IFS= read -r a; do set -- "$@" "$a"; done <"$name.args"
		fi
		expected "$exp"
		snap "$S"
		refused "import $kind $name" pmtool -C "$S" import "$kind" "$file" "$@"
		unchanged "$S" "import $kind $name"
	done
done

# --- how many ------------------------------------------------------------
# Every case of the corpus ran (the command lines run in t-hostile-cli.sh).
for k in incident actions template import; do
	echo "# hostile $k: $(printf '%s\n' $KINDS | grep -c "^$k\$") cases"
done
ncli=$(ls "$C"/cli/*.expect | wc -l)
nfiles=$(find "$C" -name '*.expect' | wc -l)
echo "# hostile corpus: $nfiles cases ($CASES here, $ncli command lines)"
check
[ "$CASES" -eq $((nfiles - ncli)) ] ||
    fail "$CASES cases ran, the corpus holds $((nfiles - ncli)) besides the command lines"
check
[ "$nfiles" -ge 50 ] || fail "the corpus has $nfiles cases, fewer than 50"

finish
