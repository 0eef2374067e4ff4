# genwide.awk - a git fast-import stream of ONE commit adding n incidents
# of ev events each (default 10,000 x 100) to a pmtool store, for
# bench/index-export.sh. Deterministic (fixed seed). The incidents start
# over the 10 quarters 2023Q1..2025Q2, so a quarter holds ~n/10 of them.
# Each has a header (title, severity, services, commander, zone; a few
# severities and services, eight zones without daylight saving, so that
# every timestamp carries its zone's true offset) and a realistic
# timeline: an optional lead-up, started, detected, acknowledged, status
# updates of every state every few events, actions and notes (a few with
# a continuation line), mitigated, resolved. ~2% are still open, ~3% have
# no detected event.
# Usage: awk -v n=10000 -v ev=100 -v branch=refs/heads/master \
#            -v parent=SHA1 -f bench/genwide.awk | git fast-import --quiet
function pick(arr, k) { return arr[int(rand() * k) + 1] }
function ri(lo, hi) { return lo + int(rand() * (hi - lo + 1)) }
function stamp(t) {
	return strftime("%Y-%m-%dT%H:%M:%S", t + zoff[z], 1) zsuf[z]
}
function add(t, kind, text) {
	body = body stamp(t) " " kind (text != "" ? " " text : "") "\n"
	nev++
}
function svc_text(fmt) { return sprintf(fmt, s1) }
function middle(t,    r, st) {
	mid++
	if (mid % 5 == 0) {
		st = nstat == 0 ? "identified" : (rand() < 0.15 ? "monitoring" : "update")
		nstat++
		if (st == "identified")
			add(t, "status identified", sprintf("The cause has been identified: %s. A fix is being rolled out.", pick(cause, ncause)))
		else if (st == "monitoring")
			add(t, "status monitoring", svc_text("Error rates on %s are back to normal; we are monitoring."))
		else
			add(t, "status update", svc_text(pick(upd, nupd)))
		return
	}
	r = rand()
	if (r < 0.45)
		add(t, "action", sprintf(pick(act, nact), s1, ri(2, 40), ri(1, 9)))
	else if (r < 0.93)
		add(t, "note", sprintf(pick(note, nnote), ri(2, 95), s1))
	else
		add(t, "note", sprintf("Suspect the %s change from yesterday; comparing configs.\n  Follow-up: check whether client retries against %s made it worse.", s1, s2))
}
BEGIN {
	if (n == "") n = 10000
	if (ev == "") ev = 100
	srand(20261122)
	msg = "bench: " n " incidents of " ev " events\n"
	printf "commit %s\ncommitter bench <bench@example.invalid> 1751328000 +0000\n", branch
	printf "data %d\n%s", length(msg), msg
	printf "from %s\n", parent
	t_lo = 1672531200	# 2023-01-01T00:00:00Z
	t_hi = 1751328000	# 2025-07-01T00:00:00Z
	nsvc = split("api checkout payments search auth helpdesk notifications billing", svc, " ")
	nreg = split("us-east-1 us-west-2 eu-west-1 eu-central-1 ap-northeast-1", reg, " ")
	nname = split("Alex Kim|Sam Ortiz|Priya Natarajan|Jonas Weber|Mei Tanaka|Chris Okafor|Lena Novak|Ravi Shah", names, "|")
	# Zones without daylight saving over 2023-2025 (UTC weighted x3).
	nz = split("UTC UTC UTC Asia/Tokyo Asia/Kolkata America/Phoenix America/Bogota Africa/Johannesburg Asia/Singapore Europe/Istanbul", zname, " ")
	split("0 0 0 32400 19800 -25200 -18000 7200 28800 10800", zo, " ")
	split("Z Z Z +09:00 +05:30 -07:00 -05:00 +02:00 +08:00 +03:00", zs, " ")
	for (k = 1; k <= nz; k++) { zoff[k] = zo[k] + 0; zsuf[k] = zs[k] }
	ntitle = split("Elevated 5xx errors on %s|%s latency degraded|%s unavailable for some customers|Partial outage of %s|Delayed %s background jobs|Login failures affecting %s|%s database failover|Intermittent timeouts in %s", titles, "|")
	nlead = split("Deploy of %s v%d.%d rolled out to all regions|Config change to the %s connection pool merged|Certificate rotation started for %s|Traffic shifted to the new load balancer for %s", lead, "|")
	nstart = split("Error rate on %s rose above %d%%|p99 latency of %s passed %d00 ms|%s health checks started failing in %d of 5 regions", startt, "|")
	ndet = split("Alert %s-error-rate fired (page %d)|Customer reports about %s reached support (%d tickets)|Synthetic check for %s failed from %d probes", det, "|")
	nupd = split("We are continuing to work on a fix for %s.|Error rates on %s are improving; some requests may still fail.|The fix for %s is being deployed region by region.|Some %s requests are still slower than usual; next update in 30 minutes.", upd, "|")
	ncause = split("a bad configuration push|connection pool exhaustion on the primary database|an expired TLS certificate|a memory leak in the latest release|a failing network link between zones|a runaway batch job saturating the queue", cause, "|")
	nact = split("Rolled back %s to the previous release (v%d.%d)|Scaled %s out by %d replicas (%d per zone)|Restarted the %s workers in %d pods, %d at a time|Failed over the %s primary to the replica (lag %ds, %d retries)|Disabled feature flag %s-fast-path-%d (batch %d)|Drained traffic from the %s nodes in zone %d (%d left)|Raised the %s connection limit to %d00 (was %d00)", act, "|")
	nnote = split("Dashboards show %d%% of %s requests affected|Vendor ticket #%d opened about %s|Queue depth %dk messages and growing (%s)|%d customers contacted support about %s so far|Error budget %d%% burned this month for %s → freeze releases?|Bridge call at %d participants; %s on-call joined", note, "|")
	for (i = 0; i < n; i++) {
		start = t_lo + int(rand() * (t_hi - t_lo - 86400))
		z = ri(1, nz)
		s1 = pick(svc, nsvc)
		s2 = pick(svc, nsvc)
		title = sprintf(pick(titles, ntitle), s1)
		title = toupper(substr(title, 1, 1)) substr(title, 2)
		r = rand()
		sev = r < 0.06 ? "SEV1" : r < 0.25 ? "SEV2" : r < 0.70 ? "SEV3" : "SEV4"
		services = (s2 != s1 && rand() < 0.35) ? s1 ", " s2 : s1
		slug = tolower(title)
		gsub(/[^a-z0-9]+/, "-", slug)
		sub(/-$/, "", slug)
		id = strftime("%Y-%m-%d", start, 1) "-" slug "-" sprintf("%05d", i)
		is_open = rand() < 0.02
		no_detect = rand() < 0.03
		body = "pmtool-incident 1\ntitle: " title "\nseverity: " sev \
		    "\nservices: " services "\ncommander: " pick(names, nname) \
		    "\nzone: " zname[z] "\n\n"
		if (i % 10 == 3)
			body = body "# Times from the incident channel export.\n"
		nev = 0; mid = 0; nstat = 0
		if (rand() < 0.2)
			add(start - ri(600, 7200), "lead-up", sprintf(pick(lead, nlead), s1, ri(1, 9), ri(0, 40)))
		t = start
		add(t, "started", sprintf(pick(startt, nstart), s1, ri(2, 5)))
		if (!no_detect) {
			t += ri(60, 1800)
			add(t, "detected", sprintf(pick(det, ndet), s1, ri(2, 40)))
		}
		t += ri(30, 600)
		add(t, "acknowledged", pick(names, nname) " took the page and opened the bridge")
		t += ri(60, 900)
		add(t, "status investigating", svc_text("We are investigating elevated errors on %s."))
		tail = is_open ? 0 : 4
		while (nev < ev - tail) {
			t += rand() < 0.01 ? ri(1200, 3600) : ri(20, 360)
			middle(t)
		}
		if (!is_open) {
			t += ri(60, 300)
			add(t, "mitigated", svc_text("Error rate of %s back under 1%% after the fix"))
			t += ri(60, 300)
			add(t, "status monitoring", svc_text("A fix has been deployed and we are monitoring %s."))
			t += ri(300, 1200)
			add(t, "resolved", svc_text("All %s metrics back to baseline"))
			t += ri(60, 300)
			add(t, "status resolved", "This incident has been resolved.")
		}
		printf "M 100644 inline incidents/%s/timeline.txt\ndata %d\n%s\n", id, length(body), body
	}
}
