# lib.sh - sourced by every end-to-end test (tests/e2e/t-*.sh).
#
# Each test runs the real ./pmtool against real temporary git repositories,
# in a hermetic environment: private HOME, TZ=UTC, fixed author, no user
# git config. Assertions print "not ok - MESSAGE" and count failures; the
# script's exit status is the number of failed checks (capped at 1).

set -u
TOP=${PM_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
PMTOOL_BIN="$TOP/pmtool"
T=$(mktemp -d "${TMPDIR:-/tmp}/pmtool-e2e.XXXXXX")
export HOME="$T/home"
mkdir -p "$HOME"
export TZ=UTC LC_ALL=C.UTF-8 TERM=xterm-256color
export GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME="Test Author" GIT_AUTHOR_EMAIL="author@example.invalid"
export GIT_COMMITTER_NAME="Test Author" GIT_COMMITTER_EMAIL="author@example.invalid"
unset PMTOOL_TZ PMTOOL_TEST_TIME VISUAL EDITOR
FAILS=0
CHECKS=0
trap 'rm -rf "$T"' EXIT

# How make valgrind runs a program: a definite leak or any error fails
# it (exit 99). No inline frames in reports, no gdbserver: both cost
# start-up time, paid on every run.
VALGRIND="valgrind -q --leak-check=full --errors-for-leak-kinds=definite \
    --suppressions=$TOP/tests/valgrind.supp --error-exitcode=99 \
    --read-inline-info=no --vgdb=no"

# vg_shape - the shape of a pmtool command line given one argument per
# line on stdin: its command (with the subcommand of action and import)
# and the names of its options, sorted; values, ids and text left out.
vg_shape() {
	awk 'skip { skip = 0; next }
	    $0 == "--" { exit }
	    $0 == "-C" { skip = 1; next }
	    /^-/ { sub(/=.*/, ""); opt[$0] = 1; next }
	    words < 2 { if (words == 0 || cmd ~ /^(action|import)$/)
		cmd = cmd (words ? " " : "") $0; words++ }
	    END { n = 0; for (o in opt) o_[++n] = o
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
		    if (o_[j] < o_[i]) { t = o_[i]; o_[i] = o_[j]; o_[j] = t }
		line = cmd; for (i = 1; i <= n; i++) line = line " " o_[i]
		print line }'
}

# vg_pick SHAPE - 0 when a run of that shape goes under valgrind: every
# run under PMTOOL_VALGRIND, or with PMTOOL_VALGRIND_SAMPLE=N (CI's
# budget) only the first N runs of each shape in this script; the others
# run the plain binary, and ASan's run of the suite checks every one.
vg_pick() {
	[ -n "${PMTOOL_VALGRIND:-}" ] || return 1
	[ -n "${PMTOOL_VALGRIND_SAMPLE:-}" ] || return 0
	_n=$(grep -cxF -- "$1" "$T/vg-shapes" 2>/dev/null)
	printf '%s\n' "$1" >>"$T/vg-shapes"
	[ "${_n:-0}" -lt "$PMTOOL_VALGRIND_SAMPLE" ]
}

# pmtool ARGS... - the binary under test (under valgrind when asked).
pmtool() {
	if [ -n "${PMTOOL_VALGRIND:-}" ] &&
	    vg_pick "$(printf '%s\n' "$@" | vg_shape)"; then
		$VALGRIND "$PMTOOL_BIN" "$@"
	else
		"$PMTOOL_BIN" "$@"
	fi
}

# pmtool_setup ARGS... - the binary, never under valgrind: for building
# stores of many incidents, where each kind of command the setup runs is
# checked under valgrind by the tests about that command.
pmtool_setup() { "$PMTOOL_BIN" "$@"; }

fail() { FAILS=$((FAILS + 1)); echo "not ok - $*"; }
pass() { :; }
check() { CHECKS=$((CHECKS + 1)); }

# run CMD... - run, capturing stdout in $OUT, stderr in $ERR, status in $RC.
run() {
	"$@" >"$T/out" 2>"$T/err"
	RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}

assert_rc() {	# EXPECTED MESSAGE
	check
	[ "$RC" -eq "$1" ] || fail "$2: exit $RC, expected $1 (stderr: $ERR)"
}
assert_eq() {	# ACTUAL EXPECTED MESSAGE
	check
	[ "$1" = "$2" ] || fail "$3: got [$1], expected [$2]"
}
assert_contains() {	# HAYSTACK NEEDLE MESSAGE
	check
	case "$1" in *"$2"*) ;; *) fail "$3: [$2] not in [$1]" ;; esac
}
assert_not_contains() {
	check
	case "$1" in *"$2"*) fail "$3: [$2] unexpectedly in [$1]" ;; *) ;; esac
}
assert_file_same() {	# FILE COPY MESSAGE
	check
	cmp -s "$1" "$2" || fail "$3: $1 changed"
}

# new_store DIR - a fresh store via pmtool init.
new_store() {
	pmtool init "$1" >/dev/null || fail "pmtool init $1"
}

commit_count() { git -C "$1" rev-list --count HEAD; }

# pycheck WHAT PYTHON [ARG...] - run PYTHON with s, the text of $OUT, d,
# the same parsed as JSON (None when it is not JSON), and a, the ARGs; it
# calls eq(actual, expected, name) for each check. Each eq is one check.
pycheck() {
	printf '%s' "$OUT" >"$T/pyin"
	what=$1 code=$2
	shift 2
	python3 - "$T/pyin" "$@" >"$T/pyres" 2>&1 <<EOF
import json, re, sys
with open(sys.argv[1], encoding="utf-8") as f:
    s = f.read()
try:
    d = json.loads(s)
except ValueError:
    d = None
a = sys.argv[2:]
def eq(x, y, name):
    print(("ok %s" if x == y else "FAIL %s: got %r, expected %r") % ((name,) if x == y else (name, x, y)))
# cells(LINE) - the cells of a Markdown table row: '|' splits unless
# backslash-escaped.
def cells(line):
    out, cur, i = [], "", 0
    while i < len(line):
        c = line[i]
        if c == "\\\\" and i + 1 < len(line):
            cur += line[i:i + 2]; i += 2; continue
        if c == "|":
            out.append(cur); cur = ""
        else:
            cur += c
        i += 1
    out.append(cur)
    return [x.strip() for x in out[1:-1]]
# md_tables(TEXT) - every Markdown table as a list of rows of cells.
def md_tables(text):
    tabs, cur = [], []
    for line in text.split("\n"):
        if line.startswith("|"):
            cur.append(cells(line))
        elif cur:
            tabs.append(cur); cur = []
    if cur:
        tabs.append(cur)
    return tabs
# html_tables(TEXT) - every HTML table as a list of rows of cell counts.
def html_tables(text):
    return [[len(re.findall(r"<t[hd][ >]", tr)) for tr in re.findall(r"(?s)<tr>.*?</tr>", t)]
            for t in re.findall(r"(?s)<table>.*?</table>", text)]
$code
EOF
	[ -s "$T/pyres" ] || echo "FAIL python printed nothing" >"$T/pyres"
	while IFS= read -r line; do
		check
		case "$line" in
		"ok "*) ;;
		*) fail "$what: $line" ;;
		esac
	done <"$T/pyres"
}

finish() {
	echo "# $(basename "$0"): $CHECKS checks, $FAILS failed"
	[ "$FAILS" -eq 0 ]
}
