#!/bin/sh
# t-init.sh - pmtool init, -C and store discovery, against real git repos.
. "$(dirname "$0")/lib.sh"

ATTR='incidents/*/timeline.txt merge=union text eol=lf
incidents/*/actions.txt merge=union text eol=lf'
# run_in DIR CMD... - run in DIR, then come back.
run_in() {
	_back=$PWD
	cd "$1" || { fail "cd $1"; return; }
	shift
	run "$@"
	cd "$_back" || exit 1
}
export PMTOOL_TEST_TIME=2020-06-07T10:00:00Z

# The scratch folder must not be inside any git repository, or the
# "outside any store" checks would find that one.
if git -C "$T" rev-parse --git-dir >/dev/null 2>&1; then
	echo "# $T is inside a git repository; set TMPDIR elsewhere"
	fail "scratch folder inside a git repository"
	finish
	exit 1
fi

# --- a fresh store -------------------------------------------------------
S="$T/store"
run pmtool init "$S"
assert_rc 0 "init new dir"
assert_contains "$OUT" "Created a pmtool store in $S" "init says what it made"
assert_eq "$(commit_count "$S")" 1 "init makes exactly one commit"
assert_eq "$(git -C "$S" ls-tree -r --name-only HEAD | tr '\n' ' ')" \
    ".gitattributes .pmtool " "the commit holds .gitattributes and .pmtool"
assert_eq "$(cat "$S/.gitattributes")" "$ATTR" ".gitattributes is the union-merge line"
assert_eq "$(git -C "$S" show HEAD:.gitattributes)" "$ATTR" "committed .gitattributes"
assert_eq "$(git -C "$S" check-attr merge -- incidents/x/timeline.txt)" \
    "incidents/x/timeline.txt: merge: union" "git sees merge=union for timelines"
assert_eq "$(git -C "$S" check-attr eol -- incidents/x/timeline.txt)" \
    "incidents/x/timeline.txt: eol: lf" "git sees eol=lf for timelines"
check; [ -f "$S/.pmtool" ] || fail ".pmtool exists"
assert_eq "$(git config -f "$S/.pmtool" pmtool.format)" 1 \
    ".pmtool is git-config syntax with format = 1"
assert_eq "$(git -C "$S" status --porcelain)" "" "git status clean after init"
assert_eq "$(git -C "$S" log -1 --format='%an <%ae>')" \
    "Test Author <author@example.invalid>" "init commit author"
assert_eq "$(git -C "$S" log -1 --format=%at)" 1591524000 \
    "init commit time is PMTOOL_TEST_TIME"
check; git -C "$S" symbolic-ref -q HEAD >/dev/null || fail "HEAD is on a branch"
run git -C "$S" fsck --no-dangling
assert_rc 0 "git fsck after init"

# --- init again: nothing changes ----------------------------------------
head1=$(git -C "$S" rev-parse HEAD)
cp "$S/.gitattributes" "$T/attr.copy"
cp "$S/.pmtool" "$T/pmtool.copy"
run pmtool init "$S"
assert_rc 0 "second init"
assert_eq "$OUT" "" "second init prints nothing on stdout"
assert_contains "$ERR" "already a store" "second init says so"
assert_eq "$(git -C "$S" rev-parse HEAD)" "$head1" "second init: HEAD unchanged"
assert_eq "$(commit_count "$S")" 1 "second init: still one commit"
assert_file_same "$S/.gitattributes" "$T/attr.copy" "second init: .gitattributes"
assert_file_same "$S/.pmtool" "$T/pmtool.copy" "second init: .pmtool"
assert_eq "$(git -C "$S" status --porcelain)" "" "second init: status clean"
# "init" with no DIR in the store itself, and through -C.
run_in "$S" pmtool init
assert_rc 0 "init with no DIR inside a store"
assert_eq "$(commit_count "$S")" 1 "init with no DIR: still one commit"
run pmtool -C "$S" init
assert_rc 0 "-C STORE init"
assert_eq "$(commit_count "$S")" 1 "-C STORE init: still one commit"

# --- init in a user's existing repository --------------------------------
U="$T/user"
git init -q "$U"
printf 'hello\n' >"$U/README"
printf '*.png binary\n*.sh text eol=lf' >"$U/.gitattributes"	# no final LF
git -C "$U" add README .gitattributes
git -C "$U" commit -q -m "user: first"
printf 'more\n' >>"$U/README"
git -C "$U" commit -q -am "user: second"
user_head=$(git -C "$U" rev-parse HEAD)
run pmtool init "$U"
assert_rc 0 "init in an existing repo"
assert_eq "$(commit_count "$U")" 3 "existing repo: one new commit on top of the user's two"
assert_eq "$(git -C "$U" rev-parse HEAD~1)" "$user_head" "existing repo: the user's commits are the parent"
assert_eq "$(git -C "$U" log --format=%s | tr '\n' '|')" \
    "pmtool: create store|user: second|user: first|" "existing repo: history kept"
assert_eq "$(git -C "$U" show HEAD:README)" "hello
more" "existing repo: README kept in the new commit"
assert_eq "$(git -C "$U" diff --name-only HEAD~1 HEAD | tr '\n' ' ')" \
    ".gitattributes .pmtool " "existing repo: the commit touches only our files"
assert_eq "$(cat "$U/.gitattributes")" "*.png binary
*.sh text eol=lf
$ATTR" "existing repo: user's .gitattributes kept, our line added"
assert_eq "$(git -C "$U" diff HEAD~1 HEAD -- .gitattributes | grep '^[-+][^-+]')" \
    "-*.sh text eol=lf
+*.sh text eol=lf
$(printf '%s\n' "$ATTR" | sed 's/^/+/')" "existing repo: .gitattributes diff is the missing newline and our lines"
assert_eq "$(git -C "$U" status --porcelain)" "" "existing repo: status clean"
run git -C "$U" fsck --no-dangling
assert_rc 0 "existing repo: git fsck"

# A .gitattributes that already has our line is left alone.
V="$T/user2"
git init -q "$V"
printf '%s\n*.png binary\n' "$ATTR" >"$V/.gitattributes"
git -C "$V" add .gitattributes
git -C "$V" commit -q -m "user: attrs"
cp "$V/.gitattributes" "$T/v.attr"
run pmtool init "$V"
assert_rc 0 "init with our line already present"
assert_file_same "$V/.gitattributes" "$T/v.attr" "our line is not added twice"
assert_eq "$(git -C "$V" diff --name-only HEAD~1 HEAD)" ".pmtool" "only .pmtool committed"

# --- -C and discovery ----------------------------------------------------
mkdir "$T/elsewhere"
run_in "$T/elsewhere" pmtool -C "$S" new --tz UTC --at 2020-06-07T09:00:00Z "Via dash C"
assert_rc 0 "-C DIR new from another folder"
assert_eq "$OUT" "2020-06-07-via-dash-c" "-C DIR new prints the id"
check; [ -f "$S/incidents/2020-06-07-via-dash-c/timeline.txt" ] || \
    fail "-C DIR: the incident is in DIR"
check; [ ! -e "$T/elsewhere/incidents" ] || fail "-C DIR: nothing made in the current folder"
run pmtool -C "$S" list
assert_rc 0 "-C DIR list"
assert_contains "$OUT" "2020-06-07-via-dash-c" "-C DIR list shows the incident"
run pmtool -C"$S" list
assert_rc 0 "-CDIR (attached) list"
assert_contains "$OUT" "2020-06-07-via-dash-c" "-CDIR list shows the incident"

run_in "$S/incidents/2020-06-07-via-dash-c" pmtool log 2020-06-07-via note \
    --at 2020-06-07T09:05:00Z from a subfolder
assert_rc 0 "discovery from a subfolder of the store"
assert_eq "$(tail -n 1 "$S/incidents/2020-06-07-via-dash-c/timeline.txt")" \
    "2020-06-07T09:05:00Z note from a subfolder" "subfolder log landed in the store"
assert_eq "$(commit_count "$S")" 3 "subfolder log made one commit"
run_in "$S/incidents" pmtool list --json
assert_rc 0 "list from a subfolder"
assert_contains "$OUT" '"id": "2020-06-07-via-dash-c"' "list from a subfolder finds the store"

# --- not a store ---------------------------------------------------------
mkdir "$T/plain"
run_in "$T/plain" pmtool list
assert_rc 1 "outside any store"
assert_contains "$ERR" "not in a pmtool store" "outside any store: message"
assert_contains "$ERR" "pmtool init" "outside any store: says how to make one"
assert_eq "$OUT" "" "outside any store: no output"
run pmtool -C "$T/plain" new --tz UTC Nothing
assert_rc 1 "-C a folder that is not a repository"
assert_contains "$ERR" "$T/plain is not a pmtool store" "-C non-repo: message"
check; [ ! -e "$T/plain/incidents" ] && [ ! -e "$T/plain/.git" ] || \
    fail "-C non-repo: nothing created"

G="$T/gitonly"
git init -q "$G"
printf 'x\n' >"$G/file"
git -C "$G" add file
git -C "$G" commit -q -m "user"
run pmtool -C "$G" new --tz UTC Nothing
assert_rc 1 "-C a git repo without .pmtool"
assert_contains "$ERR" "not a pmtool store" "git repo without .pmtool: message"
assert_contains "$ERR" ".pmtool" "git repo without .pmtool: names the missing file"
run_in "$G" pmtool list
assert_rc 1 "discovery in a git repo without .pmtool"
assert_contains "$ERR" "not a pmtool store" "discovered repo without .pmtool: message"
assert_eq "$(commit_count "$G")" 1 "git repo without .pmtool: no commit made"
assert_eq "$(git -C "$G" status --porcelain)" "" "git repo without .pmtool: untouched"

# A bare repository has no work tree: refused, left alone.
git init -q --bare "$T/bare.git"
run pmtool init "$T/bare.git"
assert_rc 1 "init of a bare repository"
assert_contains "$ERR" "bare git repository" "init of a bare repository: message"
check; [ ! -e "$T/bare.git/.pmtool" ] || fail "init of a bare repository wrote .pmtool"
run pmtool -C "$T/bare.git" list
assert_rc 1 "-C a bare repository"
assert_contains "$ERR" "bare git repository" "-C a bare repository: message"

# init on a path that is a file fails cleanly.
printf 'x\n' >"$T/afile"
run pmtool init "$T/afile"
assert_rc 1 "init on a regular file"
assert_eq "$(cat "$T/afile")" "x" "init on a regular file leaves it alone"

finish
