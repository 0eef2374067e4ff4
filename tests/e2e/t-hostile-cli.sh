#!/bin/sh
# t-hostile-cli.sh - the hostile command lines of the corpus
# (tests/hostile/cli/, tests/hostile/README.md): each refused with its
# exact message and exit status, and nothing written.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile.sh"

# --- command lines -------------------------------------------------------
# NAME.args: one argument a line (\e \n \t \a \\ \xHH; @T@ @S@ @ID@ @NY@;
# @REPEAT:N:TEXT@). NAME.expect: 'exit N', then the exact stderr.
# NAME.stdout: the exact stdout (else none). NAME.stdin. NAME.setup: run in
# a fresh store first.
cat >"$T/runargs.py" <<'EOF'
import os, re, subprocess, sys
args_file, stdin_file, cmd = sys.argv[1], sys.argv[2], sys.argv[4:]
env = {k: os.environ[k].encode() for k in ("T", "S", "ID", "NY")}
def expand(line):
    for k, v in env.items():
        line = line.replace(b"@" + k.encode() + b"@", v)
    line = re.sub(rb"@REPEAT:(\d+):(.*?)@", lambda m: m.group(2) * int(m.group(1)), line)
    out, i = b"", 0
    esc = {b"n": b"\n", b"t": b"\t", b"e": b"\x1b", b"a": b"\x07", b"\\": b"\\"}
    while i < len(line):
        c = line[i:i + 1]
        if c == b"\\" and line[i + 1:i + 2] in esc:
            out += esc[line[i + 1:i + 2]]; i += 2
        elif c == b"\\" and line[i + 1:i + 2] == b"x":
            out += bytes([int(line[i + 2:i + 4], 16)]); i += 4
        else:
            out += c; i += 1
    return out
with open(args_file, "rb") as f:
    data = f.read()
lines = data.split(b"\n")
if lines and lines[-1] == b"":
    lines.pop()
argv = [c.encode() for c in cmd] + [expand(l) for l in lines]
with open(stdin_file, "rb") as i, open(os.environ["T"] + "/out", "wb") as o, \
        open(os.environ["T"] + "/err", "wb") as e:
    sys.exit(subprocess.call(argv, stdin=i, stdout=o, stderr=e))
EOF
# fresh_cli_store DIR - a store with the two incidents the cases name.
fresh_cli_store() {
	new_store "$1"
	(
	cd "$1" || exit 1
	pmtool new --tz UTC --at 2020-06-07T09:00:00Z Disk full >/dev/null
	pmtool new --tz America/New_York --at 2020-03-01T09:00:00-05:00 \
	    Pipeline stuck >/dev/null
	pmtool action add 2020-06-07-disk-full --owner Ann Fix the alerts >/dev/null
	)
}
export T ID NY
SHARED="$T/s-cli"
fresh_cli_store "$SHARED"
cp -a "$SHARED" "$T/s-cli-fresh"	# copied for each case with a setup
n=0
for exp in "$C"/cli/*.expect; do
	name=$(basename "$exp" .expect)
	base="$C/cli/$name"
	count cli
	if vg_pick "$(vg_shape <"$base.args")"; then
		set -- $VALGRIND "$PMTOOL_BIN"
	else
		set -- "$PMTOOL_BIN"
	fi
	if [ -f "$base.setup" ]; then
		n=$((n + 1))
		S="$T/s-cli-$n"
		cp -a "$T/s-cli-fresh" "$S"
		cd "$S" || exit 1
		sh -e "$base.setup" >"$T/setup.out" 2>&1 ||
		    fail "cli $name: setup: $(cat "$T/setup.out")"
		commit_all "setup of $name"
	else
		S="$SHARED"
	fi
	export S
	cd "$S" || exit 1
	stdin=/dev/null
	[ -f "$base.stdin" ] && stdin="$base.stdin"
	expected "$exp"
	want_rc=$(sed -n '1s/^exit //p' "$T/exp")
	sed 1d "$T/exp" >"$T/exp.err" && mv "$T/exp.err" "$T/exp"
	snap "$S"
	python3 "$T/runargs.py" "$base.args" "$stdin" -- "$@"
	RC=$?
	check
	[ "$RC" = "$want_rc" ] || fail "cli $name: exit $RC, expected $want_rc (stderr: $(cat "$T/err"))"
	same_stderr "cli $name"
	if [ -f "$base.stdout" ]; then
		expected "$base.stdout"
	else
		: >"$T/exp"
	fi
	check
	cmp -s "$T/out" "$T/exp" || fail "cli $name: stdout [$(head -c 300 "$T/out")], expected [$(cat "$T/exp")]"
	unchanged "$S" "cli $name"
	check
	[ ! -e "$T/c" ] || { fail "cli $name: $T/c was made"; rm -rf "$T/c"; }
done
set --

check
[ "$CASES" -eq "$(ls "$C"/cli/*.expect | wc -l)" ] ||
    fail "$CASES command lines ran, the corpus holds $(ls "$C"/cli/*.expect | wc -l)"
echo "# hostile cli: $CASES cases"

finish
