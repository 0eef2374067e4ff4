#!/bin/sh
# t-hostile-exec.sh - no program is run but pmtool itself, $EDITOR
# (given the file as an argument) and 'git credential'; sqlite statements
# are constants with bound parameters.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile.sh"

# A template and data for the traced render --data.
printf '# {{title}}\n' >"$T/xss.mustache"
printf '{"title": "<script>alert(1)</script>"}\n' >"$T/xss-data.json"

# --- no shell: only pmtool, $EDITOR and git credential are run -------------
for f in $(find "$TOP/cli" "$TOP/core" "$TOP/formats" "$TOP/tui" -name '*.c' | LC_ALL=C sort); do
	grep -n -e 'system *(' -e 'popen *(' -e '"/bin/sh"' -e '"sh"' -e '"-c"' \
	    -e 'posix_spawn' -e 'wordexp' "$f" | sed "s|^|${f#$TOP/}:|"
done >"$T/shell.grep"
check
[ ! -s "$T/shell.grep" ] || fail "a shell or system() in the sources: $(cat "$T/shell.grep")"
# Every exec is one of the three: the editor (execvp of its first word),
# git credential, or pmtool itself through /proc/self/exe.
grep -n -E '\bexec(l|lp|le|v|vp|vpe|ve)[[:space:]]*\(' $(find "$TOP/cli" "$TOP/core" \
    "$TOP/formats" "$TOP/tui" -name '*.c') | sed "s|^$TOP/||" >"$T/exec.grep"
while IFS= read -r line; do
	check
	case "$line" in
	cli/cmd_edit.c:*'execvp(argv[0], argv);') ;;
	core/sync.c:*'execlp("git", "git", "credential", "fill", (char *)NULL);') ;;
	tui/*:*'execv(exe, argv);'|tui/*:*'execve(CHILD_EXE, '*) ;;
	*) fail "an exec that is not the editor, git credential or pmtool: $line" ;;
	esac
done <"$T/exec.grep"
for f in $(grep -l -E 'execv\(exe,' "$TOP"/tui/*.c 2>/dev/null); do
	check
	grep -q -E 'exe\[\] = "/proc/self/exe"' "$f" ||
	    fail "${f#$TOP/}: the program it runs is not /proc/self/exe"
done
# The TUI's child processes (the background sync, the ':' prompt) run
# CHILD_EXE, which must be this very binary.
check
grep -q -E 'define CHILD_EXE[[:space:]]+"/proc/self/exe"' "$TOP/tui/child.h" ||
    fail "tui/child.h: CHILD_EXE is not /proc/self/exe"
check
[ "$(grep -l 'execve(CHILD_EXE' "$TOP"/tui/*.c | wc -l)" -eq 1 ] ||
    fail "CHILD_EXE is exec'd by tui/child.c alone"


have_strace=0
if command -v strace >/dev/null 2>&1 || sh "$TOP/tests/deps.sh" strace >/dev/null 2>&1; then
	strace -f -qq -o /dev/null true 2>/dev/null && have_strace=1
fi
if [ "$have_strace" -eq 0 ]; then
	echo "# SKIPPED: strace is missing or cannot trace here (sh tests/deps.sh strace); the exec check is static only"
else
	cat >"$T/execs.py" <<'EOF'
# execs.py LOG PMTOOL EDITOR FILE - the execve calls in an strace log are
# PMTOOL itself, EDITOR on (a path ending in /)FILE, or git credential;
# never a shell.
import re, sys
log, pm, editor, file = sys.argv[1:5]
seen = 0
for line in open(log, encoding="utf-8", errors="replace"):
    m = re.search(r'execve(?:at)?\((?:AT_FDCWD, )?"([^"]*)", \[(.*?)\]', line)
    if not m:
        continue
    path, argv = m.group(1), re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(2))
    base = path.rsplit("/", 1)[-1]
    seen += 1
    if seen == 1 and path == pm:
        continue
    if base in ("sh", "bash", "dash", "zsh", "ksh", "busybox"):
        print("FAIL a shell: " + line.strip())
    elif editor and argv[:1] == [editor.rsplit("/", 1)[-1]] or editor and path == editor:
        if not argv[-1].endswith("/" + file):
            print("FAIL the editor without the file as its last argument: " + line.strip())
    elif base == "git" and argv[1:2] == ["credential"]:
        pass
    else:
        print("FAIL an unexpected program: " + line.strip())
print("ok")
EOF
	S="$T/s-strace"
	git init -q --bare "$T/remote.git"
	# traced WHAT [EDITOR FILE --] CMD... - run CMD under strace, exit 0.
	traced() {
		what=$1 ed="" file=""
		shift
		if [ "$1" = --editor ]; then ed=$2 file=$3; shift 4; fi
		# LeakSanitizer cannot work under ptrace: under make asan the
		# traced runs check what they exec, not their leaks.
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		    strace -f -qq -s 4096 -e trace=execve,execveat \
		    -o "$T/strace.log" "$@" >"$T/out" 2>"$T/err"
		RC=$?
		check
		[ "$RC" -eq 0 ] || fail "strace $what: exit $RC ($(cat "$T/err"))"
		python3 "$T/execs.py" "$T/strace.log" "$PMTOOL_BIN" "$ed" "$file" >"$T/execs.out" 2>&1
		n=0
		while IFS= read -r line; do
			check
			case "$line" in ok) n=1 ;; *) fail "strace $what: $line" ;; esac
		done <"$T/execs.out"
		check
		[ "$n" -eq 1 ] || fail "strace $what: $(cat "$T/execs.out")"
	}
	P=$PMTOOL_BIN
	traced init "$P" init "$S"
	cd "$S" || exit 1
	git remote add origin "$T/remote.git"
	traced new "$P" new --tz UTC --at 2020-06-07T09:00:00Z Traced
	TI=$(cat "$T/out")
	traced log "$P" log "$TI" detected --at 2020-06-07T09:05:00Z Alert
	traced show "$P" show "$TI"
	traced list "$P" list --search alert
	traced metrics "$P" metrics "$TI" --json
	traced "action add" "$P" action add "$TI" --due 2020-07-01 Fix it
	traced "action done" "$P" action done "$TI" 1
	traced "action list" "$P" action list
	traced render "$P" render "$TI" --html
	cat >"$T/ed-write" <<'EOF'
#!/bin/sh
printf '## Summary\n\nTraced.\n' >"$1"
EOF
	chmod +x "$T/ed-write"
	PM="incidents/$TI/postmortem.md"
	EDITOR=true
	traced "edit (EDITOR=true)" --editor true "$PM" -- "$P" edit "$TI"
	EDITOR="$T/ed-write"
	traced "edit (an editor that writes)" --editor "$T/ed-write" "$PM" -- "$P" edit "$TI"
	# Shell syntax in $EDITOR is not run by a shell: the words are the
	# editor's arguments.
	EDITOR="true \$(touch $T/pwned1) \`touch $T/pwned2\` ; touch $T/pwned3 | touch $T/pwned4 && touch $T/pwned5"
	traced "edit (shell syntax in EDITOR)" --editor true "$PM" -- "$P" edit "$TI"
	EDITOR="$T/editor"
	check
	[ -z "$(ls "$T" | grep pwned)" ] || fail "shell syntax in EDITOR was run: $(ls "$T" | grep pwned)"
	traced import "$P" import pagerduty "$TOP/tests/fixtures/import/pd-log-entries.json"
	traced export "$P" export --quarter 2020Q2 --format json
	traced "export sqlite" "$P" export --quarter 2020Q2 --format sqlite -o "$T/traced.sqlite"
	traced reindex "$P" reindex
	traced sync "$P" sync
	traced clone "$P" clone "$T/remote.git" "$T/traced-clone"
	traced "--data" "$P" render --template "$T/xss.mustache" --data "$T/xss-data.json"
fi

# --- sqlite: constant statements, bound parameters ------------------------
cat >"$T/sqlcheck.py" <<'EOF'
# sqlcheck.py FILE... - every statement given to sqlite3_prepare*() or
# sqlite3_exec() is a string literal, a static const char array, an element
# of a static const array of them, or the parameter of a helper every
# caller of which passes one of those. No sqlite3_*printf, no SQL text
# built with printf-like calls.
import re, sys
def args_of(text, start):
    depth, cur, out, i, q = 0, "", [], start, None
    while i < len(text):
        c = text[i]
        if q:
            cur += c
            if c == "\\":
                cur += text[i + 1]; i += 1
            elif c == q:
                q = None
        elif c in "\"'":
            q = c; cur += c
        elif c in "([{":
            depth += 1; cur += c
        elif c in ")]}":
            if depth == 0:
                out.append(cur.strip()); return out
            depth -= 1; cur += c
        elif c == "," and depth == 0:
            out.append(cur.strip()); cur = ""
        else:
            cur += c
        i += 1
    return out
problems, checked = [], 0
for path in sys.argv[1:]:
    src = open(path, encoding="utf-8").read()
    # Comments go, lines stay where they were.
    text = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)), src, flags=re.S)
    funcs = [(m.start(), m.group(1), m.group(2)) for m in
             re.finditer(r"(?m)^(\w+)\(([^)]*)\)\s*\{", text)]
    def enclosing(pos):
        best = None
        for s, name, params in funcs:
            if s < pos:
                best = (name, params)
        return best
    def line(pos):
        return text.count("\n", 0, pos) + 1
    def scope(pos):	# None at file scope (column 0), else the function
        bol = text.rfind("\n", 0, pos) + 1
        if pos == bol:
            return None
        enc = enclosing(pos)
        return enc[0] if enc else None
    consts = {(m.group(1), scope(m.start())) for m in
              re.finditer(r"static\s+const\s+char\s+(\w+)\s*\[\s*\]\s*=", text)}
    arrays = {(m.group(1), scope(m.start())) for m in
              re.finditer(r"static\s+const\s+char\s*\*\s*const\s+(\w+)\s*\[[^\]]*\]\s*=", text)}
    def param_names(enc):
        params = [p.strip() for p in enc[1].split(",")] if enc else []
        return params, [(re.findall(r"(\w+)\s*$", p) or [""])[0] for p in params]
    def ok_expr(e, pos):
        if re.fullmatch(r'("([^"\\]|\\.)*"\s*)+', e):
            return True
        enc = enclosing(pos)
        here = enc[0] if enc else None
        params, names = param_names(enc)
        m = re.fullmatch(r"(\w+)\s*\[[^\]]*\]", e)
        name, table = (m.group(1), arrays) if m else (e, consts)
        if name in names:
            return False	# a parameter, whatever else has its name
        return (name, None) in table or (name, here) in table
    def check_call(fname, pos, argn, depth=0):
        global checked
        a = args_of(text, text.index("(", pos) + 1)
        if len(a) <= argn:
            problems.append("%s:%d: %s(): cannot read its arguments" % (path, line(pos), fname)); return
        e = a[argn]
        checked += 1
        if ok_expr(e, pos):
            return
        enc = enclosing(pos)
        params, names = param_names(enc)
        if enc and e in names and depth < 2 and re.search(r"\bconst\s+char\s*\*", params[names.index(e)]):
            helper, k = enc[0], names.index(e)
            # Calls are indented; the definition starts its line.
            calls = [m.start() for m in re.finditer(r"\b%s\s*\(" % helper, text)
                     if m.start() > 0 and text[m.start() - 1] != "\n"]
            if not calls:
                problems.append("%s:%d: %s() is never called" % (path, line(pos), helper))
            for c in calls:
                check_call(helper, c, k, depth + 1)
            return
        problems.append("%s:%d: %s() is given '%s', not a constant statement" % (path, line(pos), fname, e))
    for m in re.finditer(r"\bsqlite3_(prepare(?:_v2|_v3|16\w*)?|exec)\s*\(", text):
        check_call("sqlite3_" + m.group(1), m.start(), 1)
    for m in re.finditer(r"\bsqlite3_v?s?n?mprintf\s*\(|\bsqlite3_snprintf\s*\(", text):
        problems.append("%s:%d: %s builds text for sqlite" % (path, line(m.start()), m.group(0)))
    for m in re.finditer(r"\b(x?asprintf|snprintf|buf_printf|buf_adds?)\s*\([^;]*?\"\s*(SELECT|INSERT|UPDATE|DELETE|DROP|CREATE|PRAGMA|ATTACH)\b", text):
        problems.append("%s:%d: SQL built with %s()" % (path, line(m.start()), m.group(1)))
for p in problems:
    print("FAIL " + p)
print("ok %d" % checked)
EOF
python3 "$T/sqlcheck.py" $(grep -l 'sqlite3_' "$TOP"/core/*.c "$TOP"/formats/*.c "$TOP"/cli/*.c "$TOP"/tui/*.c 2>/dev/null) >"$T/sql.out" 2>&1
n=0
while IFS= read -r line; do
	check
	case "$line" in
	"ok "*) n=${line#ok } ;;
	*) fail "sqlite static check: $line" ;;
	esac
done <"$T/sql.out"
echo "# sqlite: $n statements checked"
check
[ "$n" -ge 5 ] || fail "sqlite static check: only $n statements found ($(cat "$T/sql.out"))"

# The dynamic half: injections in every text that reaches a query, in the
# data the index holds and in the export file's name.
S="$T/s-sql"
new_store "$S"
cd "$S" || exit 1
INJ="x'); DROP TABLE incidents; --"
A=$(pmtool new --tz UTC --at 2020-06-07T09:00:00Z --severity SEV1 \
    --service "db'; DELETE FROM events; --" "Robert'); DROP TABLE incidents; -- disk")
B=$(pmtool new --tz UTC --at 2020-06-08T09:00:00Z --service api 'Plain "quoted" title')
pmtool log "$A" note --at 2020-06-07T09:05:00Z -- "$INJ" >/dev/null
PMTOOL_TEST_TIME=2020-06-09T00:00:00Z pmtool log "$B" note --at 2020-06-08T09:05:00Z -- '"); DELETE FROM search; --' >/dev/null
for q in "$INJ" '"); DELETE FROM search; --' "' OR '1'='1" '" OR "1"="1' '*' 'NEAR(a b)' \
    'title:x' '{title}: x' '^x' '(' 'a AND' 'NOT disk' '%' '_' '\' '-x' "$(printf 'caf\303\251')"; do
	run pmtool list --search "$q"
	assert_rc 0 "list --search [$q]"
	run pmtool list --severity "$q"
	assert_rc 0 "list --severity [$q]"
	run pmtool list --service "$q"
	assert_rc 0 "list --service [$q]"
done
run pmtool list --search "Robert'); DROP"
assert_eq "$(printf '%s\n' "$OUT" | cut -d' ' -f1)" "$A" "the injection is searched for as text"
run pmtool list --service "db'; DELETE FROM events; --"
assert_eq "$(printf '%s\n' "$OUT" | cut -d' ' -f1)" "$A" "a service name with quotes is matched as text"
run pmtool list --json
pycheck "the index still holds everything" '
eq(sorted(x["id"] for x in d), sorted(a), "both incidents listed")
eq(sorted(x["events"] for x in d), [2, 2], "every event still indexed")
' "$A" "$B"
OUTF="$T/x'; DROP TABLE incidents; --.sqlite"
run pmtool export --from 2020-06-01 --to 2020-06-30 --format sqlite -o "$OUTF"
assert_rc 0 "export sqlite to a file name with quotes"
python3 - "$OUTF" "$S/.git/pmtool/index.sqlite" >"$T/sqlite.out" 2>&1 <<'EOF'
import sqlite3, sys
for f in sys.argv[1:]:
    db = sqlite3.connect("file:%s?mode=ro" % f.replace("?", "%3f").replace("#", "%23"), uri=True)
    n = db.execute("SELECT count(*) FROM incidents").fetchone()[0]
    e = db.execute("SELECT count(*) FROM events").fetchone()[0]
    print("%d %d" % (n, e))
EOF
assert_eq "$(cat "$T/sqlite.out")" "2 4
2 4" "the export and the index hold both incidents and their four events"
run pmtool reindex
assert_eq "$OUT" "indexed 2 incidents" "reindex after the injections"
assert_eq "$(git status --porcelain)" "" "sql: the store is clean"

finish
