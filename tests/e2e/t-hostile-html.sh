#!/bin/sh
# t-hostile-html.sh - HTML output stays inert for known XSS payloads in
# event text, actions, the written analysis, imports and --data.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile.sh"

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

finish
