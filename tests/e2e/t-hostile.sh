#!/bin/sh
# t-hostile.sh - hostile input (tests/hostile/README.md): the corpus of bad
# incident files, actions files, templates, imports and command lines, each
# refused with its exact message and nothing written; HTML that stays inert
# for known XSS payloads; no program run but pmtool itself, $EDITOR (given
# the file as an argument) and 'git credential'; sqlite statements that are
# constants with bound parameters.
. "$(dirname "$0")/lib.sh"

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

# --- how many ------------------------------------------------------------
for k in incident actions template import cli; do
	echo "# hostile $k: $(printf '%s\n' $KINDS | grep -c "^$k\$") cases"
done
echo "# hostile corpus: $CASES cases"
check
[ "$CASES" -ge 50 ] || fail "the corpus has $CASES cases, fewer than 50"

# --- XSS: HTML output stays inert -----------------------------------------
cat >"$T/inert.py" <<'EOF'
# inert.py PAGE [SHOWN] - PAGE is pmtool's own page with nothing active
# in its body; every line of SHOWN appears in the body's text as written.
import html.parser, re, sys
BAD = {"script", "iframe", "object", "embed", "style", "base", "link", "meta",
       "form", "frame", "frameset", "applet", "svg", "math", "template",
       "noscript", "xmp", "plaintext", "html", "head", "body", "title",
       "button", "textarea", "select", "video", "audio", "source", "details",
       "div", "span", "marquee", "isindex", "keygen", "portal"}
URL_ATTRS = {"href", "src", "action", "formaction", "data", "xlink:href",
             "poster", "background", "lowsrc", "dynsrc", "codebase", "cite",
             "srcset", "ping", "content"}
def active_url(v):
    # What a browser makes of it: ASCII tab and newlines removed, leading
    # controls and spaces dropped, scheme case ignored.
    v = re.sub(r"[\t\n\r]", "", v).lstrip("".join(map(chr, range(0x21)))).lower()
    v = re.sub(r"^\d+\s*;\s*url\s*=\s*", "", v)	# meta refresh
    return v.startswith(("javascript:", "vbscript:", "data:"))
class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bad, self.head, self.text, self.in_body = [], [], [], False
    def handle_starttag(self, tag, attrs):
        self.tag(tag, attrs)
    def handle_startendtag(self, tag, attrs):
        self.tag(tag, attrs)
    def tag(self, tag, attrs):
        where = "line %d" % self.getpos()[0]
        if not self.in_body:
            if tag == "body":
                self.in_body = True
                if attrs:
                    self.bad.append("%s: <body> with attributes %r" % (where, attrs))
                return
            self.head.append((tag, tuple(sorted(k for k, _ in attrs))))
        elif tag in BAD:
            self.bad.append("%s: <%s> in the body" % (where, tag))
        elif tag == "input" and sorted(k for k, _ in attrs if k != "checked") != ["disabled", "type"]:
            # cmark-gfm's task lists: a disabled checkbox, nothing else.
            self.bad.append("%s: <input %r> in the body" % (where, attrs))
        for k, v in attrs:
            if k.startswith("on"):
                self.bad.append("%s: <%s %s=%r>" % (where, tag, k, v))
            elif k in URL_ATTRS and v is not None and active_url(v):
                self.bad.append("%s: <%s %s=%r>" % (where, tag, k, v))
            elif k == "style":
                self.bad.append("%s: <%s style=%r>" % (where, tag, v))
            elif k == "http-equiv":
                self.bad.append("%s: <%s http-equiv=%r>" % (where, tag, v))
    def handle_data(self, d):
        if self.in_body:
            self.text.append(d)
s = open(sys.argv[1], encoding="utf-8").read()
p = Page()
p.feed(s)
p.close()
own = [("html", ()), ("head", ()), ("meta", ("charset",)),
       ("meta", ("content", "name")), ("title", ()), ("style", ())]
if p.head != own:
    p.bad.append("the head is not pmtool's own: %r" % (p.head,))
if len(re.findall(r"(?i)<style", s)) != 1:
    p.bad.append("%d <style> elements (pmtool's own is the only one)" % len(re.findall(r"(?i)<style", s)))
if len(re.findall(r"(?i)<script", s)) != 0:
    p.bad.append("<script in the page")
for b in p.bad:
    print("FAIL " + b)
if len(sys.argv) > 2:
    body = " ".join(" ".join(p.text).split())
    for line in open(sys.argv[2], encoding="utf-8").read().split("\n"):
        if line and " ".join(line.split()) not in body:
            print("FAIL not shown as written: " + line)
print("ok")
EOF
# inert WHAT PAGE [SHOWN]
inert() {
	python3 "$T/inert.py" "$2" ${3:+"$3"} >"$T/inert.out" 2>&1
	n=0
	while IFS= read -r line; do
		check
		case "$line" in
		ok) n=1 ;;
		*) fail "$1: $line" ;;
		esac
	done <"$T/inert.out"
	check
	[ "$n" -eq 1 ] || fail "$1: the check did not finish: $(cat "$T/inert.out")"
}
# Well-known payloads, one a line.
cat >"$T/payloads" <<'EOF'
<script>alert(1)</script>
<img src=x onerror=alert(1)>
[x](javascript:alert(1))
<svg onload=alert(1)>
"><script>alert(1)</script>
'><svg/onload=alert(1)>
<iframe src="javascript:alert(1)"></iframe>
<a href="data:text/html,<script>alert(1)</script>">x</a>
<javascript:alert(1)>
&lt;script&gt;alert(1)&lt;/script&gt;
&#60;script&#62;alert(1)&#60;/script&#62;
<style>body{background:url(javascript:alert(1))}</style>
<object data="javascript:alert(1)"></object>
<embed src="javascript:alert(1)">
<div onmouseover="alert(1)">x</div>
<base href="javascript:alert(1)//">
<meta http-equiv="refresh" content="0;url=javascript:alert(1)">
<details open ontoggle=alert(1)>
[x](JaVaScRiPt:alert(1))
[x](vbscript:msgbox(1))
[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
![x](javascript:alert(1))
[x](java&#115;cript:alert(1))
[x](java&#x09;script:alert(1))
[x](javascript&colon;alert(1))
[x](<javascript:alert(1)>)
[x](javascript:alert(1) "title")
<a href="&#106;avascript:alert(1)">x</a>
<!--><script>alert(1)</script>-->
<![CDATA[><script>alert(1)</script>]]>
<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">x</button></form>
<scr<script>ipt>alert(1)</script>
<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>
<IMG SRC=JaVaScRiPt:alert('XSS')>
<body onload=alert(1)>
<link rel=stylesheet href="javascript:alert(1)">
<input autofocus onfocus=alert(1)>
<video><source onerror="alert(1)"></video>
<https://example.com/"onmouseover="alert(1)>
https://example.com/?a=1&b=<script>alert(1)</script>
www.example.com/x_y*z*"onclick="alert(1)
EOF
check
[ "$(wc -l <"$T/payloads")" -ge 15 ] || fail "fewer than 15 XSS payloads"

S="$T/s-xss"
new_store "$S"
cd "$S" || exit 1
X=$(pmtool new --tz UTC --at 2020-06-07T09:00:00Z --service '<script>alert(1)</script>' \
    --commander '<img src=x onerror=alert(1)>' '"><script>alert(1)</script> [x](javascript:alert(1))')
# (a) in event text, through pmtool log; and in actions.
i=0
while IFS= read -r p; do
	i=$((i + 1))
	at=$(printf '2020-06-07T09:%02d:00Z' "$i")
	pmtool log "$X" note --at "$at" -- "$p" >/dev/null || fail "xss: log [$p]"
	pmtool log "$X" status --status update --at "$at" -- "$p" >/dev/null ||
	    fail "xss: log status [$p]"
done <"$T/payloads"
pmtool action add "$X" --owner '<svg onload=alert(1)>' -- '<script>alert(1)</script> [x](javascript:alert(1))' >/dev/null ||
    fail "xss: action add"
run pmtool render "$X" --html -o "$T/xss-a.html"
assert_rc 0 "xss: render --html"
inert "xss in events and actions" "$T/xss-a.html" "$T/payloads"
# (b) in the written analysis, through pmtool edit and an editor that
# writes the payloads as Markdown (each a paragraph), plus Markdown's own.
cat >"$T/xss-editor" <<EOF
#!/bin/sh
{
	printf '## Summary\n\n'
	while IFS= read -r p; do printf '%s\n\n' "\$p"; done <"$T/payloads"
	printf '[ref]\n\n[ref]: javascript:alert(1)\n\n'
	printf '| a | b |\n|---|---|\n| <script>alert(1)</script> | <img src=x onerror=alert(1)> |\n\n'
	printf '\`\`\`\n</code><script>alert(1)</script>\n\`\`\`\n\n'
	printf '## <script>alert(2)</script> Notes\n\n<div>\n<script>alert(3)</script>\n</div>\n'
} >"\$1"
EOF
chmod +x "$T/xss-editor"
EDITOR="$T/xss-editor"
pmtool edit "$X" >/dev/null 2>"$T/err" || fail "xss: edit: $(cat "$T/err")"
EDITOR="$T/editor"
run pmtool render "$X" --html -o "$T/xss-b.html"
assert_rc 0 "xss: render --html with the analysis"
inert "xss in the analysis" "$T/xss-b.html"
check
[ "$(grep -c 'raw HTML omitted' "$T/xss-b.html")" -ge 20 ] ||
    fail "xss: the analysis's raw HTML is not dropped by cmark-gfm's safe mode"
# (c) in an import: Statuspage JSON whose name and bodies are payloads.
python3 - "$T/payloads" "$T/xss.json" <<'EOF'
import json, sys
p = open(sys.argv[1], encoding="utf-8").read().splitlines()
ups = [{"id": "u%03d" % i, "status": "investigating" if i == 0 else "update",
        "body": x, "created_at": "2021-03-01T10:%02d:00Z" % i} for i, x in enumerate(p)]
inc = {"id": "xss0001", "name": p[0], "impact": "major",
       "components": [{"name": p[1]}], "incident_updates": ups[::-1]}
json.dump({"page": {"time_zone": "Etc/UTC"}, "incidents": [inc]}, open(sys.argv[2], "w"))
EOF
run pmtool import statuspage "$T/xss.json"
assert_rc 0 "xss: import"
XI=$(printf '%s\n' "$OUT" | sed -n 's/^created \([^ ]*\) .*/\1/p')
run pmtool render "$XI" --html -o "$T/xss-c.html"
assert_rc 0 "xss: render --html of the import"
inert "xss in an import" "$T/xss-c.html" "$T/payloads"
# (d) any JSON through a template, with each escaping.
python3 - "$T/payloads" "$T/xss-data.json" <<'EOF'
import json, sys
p = open(sys.argv[1], encoding="utf-8").read().splitlines()
json.dump({"title": p[0], "items": p}, open(sys.argv[2], "w"))
EOF
printf '# {{title}}\n\n{{#items}}\n- {{.}}\n{{/items}}\n\n{{#items}}\n{{{.}}}\n\n{{/items}}\n' >"$T/xss.mustache"
for e in html markdown none; do
	run pmtool render --template "$T/xss.mustache" --data "$T/xss-data.json" \
	    --escape "$e" --html -o "$T/xss-d-$e.html"
	assert_rc 0 "xss: render --data --escape $e"
	inert "xss through --data --escape $e" "$T/xss-d-$e.html"
done
# Escaping must not garble a URL: it shows exactly as written. (The HTML
# makes no autolink of it: cmark-gfm's autolink would read the escapes
# into the href; formats/mdhtml.c.)
U=$(pmtool new --tz UTC --at 2020-06-07T09:00:00Z Links)
pmtool log "$U" note --at 2020-06-07T09:01:00Z \
    'Dashboard https://grafana.example.com/d/x_y?a=1&b=2*3 is red' >/dev/null
run pmtool render "$U" --html
pycheck "a URL in event text" '
import html
hrefs = [html.unescape(h) for h in re.findall(r"<a href=\"([^\"]*)\"", s)]
eq(hrefs, [], "no link made from escaped text")
eq("Dashboard https://grafana.example.com/d/x_y?a=1&amp;b=2*3 is red" in re.sub(r"<[^>]*>", "", s), True, "the text shows the URL as written")
'
assert_eq "$(git status --porcelain)" "" "xss: the store is clean"

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
	tui/*:*'execv(exe, argv);'|tui/*:*'execve(AUTOSYNC_EXE, '*) ;;
	*) fail "an exec that is not the editor, git credential or pmtool: $line" ;;
	esac
done <"$T/exec.grep"
for f in $(grep -l -E 'execv\(exe,|AUTOSYNC_EXE' "$TOP"/tui/*.c 2>/dev/null); do
	check
	grep -q -E '(exe\[\] = |define AUTOSYNC_EXE[[:space:]]+)"/proc/self/exe"' "$f" ||
	    fail "${f#$TOP/}: the program it runs is not /proc/self/exe"
done

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
pmtool log "$B" note --at 2020-06-08T09:05:00Z -- '"); DELETE FROM search; --' >/dev/null
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
