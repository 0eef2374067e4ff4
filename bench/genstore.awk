# genstore.awk - a git fast-import stream of a pmtool store whose history
# holds N events, one commit each, 50 events per incident (as the
# reference timings in shared/reference/perf-anchors.md were measured).
# Usage: awk -v n=1000 -f bench/genstore.awk | git fast-import --quiet
BEGIN {
	split("investigating identified monitoring update resolved", st, " ")
	marker = "[pmtool]\n\tformat = 1\n"
	attrs = "incidents/*/timeline.txt merge=union text eol=lf\n"
	t0 = 1700000000
	printf "commit refs/heads/main\ncommitter pm <pm@example.invalid> %d +0000\n", t0
	printf "data 21\npmtool: create store\n"
	printf "M 100644 inline .pmtool\ndata %d\n%s\n", length(marker), marker
	printf "M 100644 inline .gitattributes\ndata %d\n%s\n", length(attrs), attrs
	for (i = 0; i < n; i++) {
		inc = int(i / 50)
		id = sprintf("2023-11-14-incident-%05d", inc)
		path = "incidents/" id "/timeline.txt"
		ts = t0 + i * 97
		if (i % 50 == 0)
			body[inc] = "pmtool-incident 1\ntitle: Incident " inc "\nzone: UTC\n\n"
		body[inc] = body[inc] sprintf("%s status %s Event %d for incident %d: responders posted an update with some text.\n", \
		    strftime("%Y-%m-%dT%H:%M:%SZ", ts, 1), st[i % 5 + 1], i, inc)
		msg = sprintf("%s: log status\n", id)
		printf "commit refs/heads/main\ncommitter pm <pm@example.invalid> %d +0000\n", ts
		printf "data %d\n%s", length(msg), msg
		printf "M 100644 inline %s\ndata %d\n%s\n", path, length(body[inc]), body[inc]
		if (i % 50 == 49)
			delete body[inc]
	}
}
