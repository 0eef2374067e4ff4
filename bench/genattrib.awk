# genattrib.awk - a git fast-import stream of a pmtool store with one
# long-lived incident: N commits each appending one event to its
# timeline, by five authors in turn; every 50th commit starts a side
# branch (3 commits by a sixth author) that comes back two main commits
# later in a merge by a seventh, whose file is the union of both sides
# (as merge=union leaves it). Every 10th commit also touches a second
# incident, so the incidents tree changes under the walk as in a store.
# Usage: awk -v n=5000 -v branch=refs/heads/main -f bench/genattrib.awk |
#     git fast-import --quiet
function ev(i, who) {
	return sprintf("%s note Event %d logged by %s: what the responders saw and did at that moment.\n", \
	    strftime("%Y-%m-%dT%H:%M:%SZ", t0 + i * 61, 1), i, who)
}
function commit(ref, who, ts, from, merge, path, body, msg) {
	mark++
	printf "commit %s\nmark :%d\n", ref, mark
	printf "author %s <%s@example.invalid> %d +0000\n", who, tolower(who), ts
	printf "committer %s <%s@example.invalid> %d +0000\n", who, tolower(who), ts
	printf "data %d\n%s\n", length(msg), msg
	if (from != "")
		printf "from :%d\n", from
	if (merge != "")
		printf "merge :%d\n", merge
	printf "M 100644 inline %s\ndata %d\n%s\n", path, length(body), body
	return mark
}
BEGIN {
	if (branch == "")
		branch = "refs/heads/main"
	split("Alice Bob Carol Dave Erin", who, " ")
	t0 = 1700000000
	marker = "[pmtool]\n\tformat = 1\n"
	attrs = "incidents/*/timeline.txt merge=union text eol=lf\n"
	mark = 1
	printf "commit %s\nmark :1\ncommitter pm <pm@example.invalid> %d +0000\n", branch, t0
	printf "data 21\npmtool: create store\n"
	printf "M 100644 inline .pmtool\ndata %d\n%s\n", length(marker), marker
	printf "M 100644 inline .gitattributes\ndata %d\n%s\n", length(attrs), attrs
	id = "2023-11-14-long-incident"
	path = "incidents/" id "/timeline.txt"
	other = "incidents/2023-11-14-other/timeline.txt"
	head = "pmtool-incident 1\ntitle: A long incident\nzone: UTC\n\n"
	body = head
	obody = head
	tip = 1
	side = ""
	for (i = 0; i < n; i++) {
		a = who[i % 5 + 1]
		ts = t0 + i * 61
		body = body ev(i, a)
		tip = commit(branch, a, ts, tip, "", path, body, "log note")
		if (i % 50 == 10) {
			# A side branch from here: three events by Frank.
			sbody = body
			sf = tip
			for (k = 1; k <= 3; k++) {
				sline[k] = ev(n + i * 3 + k, "Frank")
				sbody = sbody sline[k]
				sf = commit("refs/heads/side", "Frank", ts + k, \
				    sf, "", path, sbody, "log note on a branch")
			}
			side = sf
		} else if (i % 50 == 12 && side != "") {
			for (k = 1; k <= 3; k++)
				body = body sline[k]
			tip = commit(branch, "Mallory", ts + 30, tip, side, \
			    path, body, "merge side")
			side = ""
		}
		if (i % 10 == 5) {
			obody = obody ev(i, "Oscar")
			tip = commit(branch, "Oscar", ts + 40, tip, "", other, \
			    obody, "other incident")
		}
	}
}
