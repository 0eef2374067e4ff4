#!/bin/sh
# t-export.sh - pmtool export: stores built with the real CLI from a plan
# that python3 draws (seeded), every figure of the CSV, JSON, Markdown and
# sqlite exports checked against values the plan computes on its own
# (nearest-rank percentiles, quarter membership in several zones, metrics
# from the planned event times), empty periods, and an index made stale by
# a hand edit, by git checkout and by deleting an incident.
. "$(dirname "$0")/lib.sh"

S="$T/store"
new_store "$S"
cd "$S" || exit 1
export PMTOOL_TEST_TIME=2026-10-15T12:00:00Z

# --- the plan: incidents, their events and actions, and the expected rows
python3 - "$T" <<'PY'
import json, random, shlex, sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

T = sys.argv[1]
rnd = random.Random(20261015)
ZONES = ["UTC", "Europe/Amsterdam", "America/Los_Angeles", "Asia/Tokyo",
         "Australia/Sydney"]
SEVS = ["SEV1", "SEV2", "SEV3", ""]
SERVICES = ["api", "db", "dbproxy", "web"]
TODAY = "2026-10-15"

def rfc(dt):
    return dt.isoformat().replace("+00:00", "Z") if dt.utcoffset() == timedelta(0) and str(dt.tzinfo) == "UTC" else dt.isoformat()

plan = []
def incident(title, zone, start_local, has_started=True, sev="", services=(),
             detect=None, ack=None, statuses=(), mitigate=None, resolve=None,
             actions=()):
    z = ZoneInfo(zone)
    t0 = start_local.replace(tzinfo=z)
    ev = []
    if has_started:
        ev.append(("started", t0, None, "began"))
    def at(minutes):
        return t0 + timedelta(minutes=minutes)
    if detect is not None:
        ev.append(("detected", at(detect), None, "alert fired"))
    if ack is not None:
        ev.append(("acknowledged", at(ack), None, "on it"))
    for i, m in enumerate(statuses):
        ev.append(("status", at(m), ["investigating", "identified", "update",
                   "monitoring"][i % 4], "update %d" % i))
    if mitigate is not None:
        ev.append(("mitigated", at(mitigate), None, "failed over"))
    if resolve is not None:
        ev.append(("resolved", at(resolve), None, "all clear"))
    plan.append(dict(title=title, zone=zone, sev=sev, services=list(services),
                     has_started=has_started, t0=t0, events=ev,
                     actions=list(actions)))

# Boundary cases: the last minute of Q2 and the first of Q3, local time.
for zone in ["UTC", "Europe/Amsterdam", "America/Los_Angeles", "Asia/Tokyo"]:
    short = zone.split("/")[-1].replace("_", " ")
    incident("Edge late %s" % short, zone, datetime(2026, 6, 30, 23, 59),
             sev="SEV2", services=["api"], detect=5, statuses=[10, 30],
             resolve=60)
    incident("Edge early %s" % short, zone, datetime(2026, 7, 1, 0, 0),
             sev="SEV3", services=["db"], detect=3, statuses=[20],
             resolve=45)
# Incidents without a started event: the first event is their start.
incident("No start detected first", "Europe/Amsterdam",
         datetime(2026, 8, 3, 10, 0), has_started=False, sev="SEV1",
         services=["web"], detect=0, ack=4, statuses=[9, 50, 120],
         resolve=200)
incident("No start status only", "UTC", datetime(2026, 9, 30, 23, 0),
         has_started=False, statuses=[70, 75])
# Random incidents over Q1-Q3 2026.
for n in range(30):
    zone = rnd.choice(ZONES)
    day = datetime(2026, 1, 2) + timedelta(days=rnd.randrange(0, 268),
                                           minutes=rnd.randrange(0, 1440))
    detect = rnd.choice([None, rnd.randrange(1, 240)])
    ack = None if detect is None or rnd.random() < 0.3 else detect + rnd.randrange(0, 30)
    nst = rnd.randrange(0, 5)
    first = (detect or 0) + rnd.randrange(1, 60)
    sts = []
    for i in range(nst):
        sts.append(first)
        first += rnd.randrange(5, 90)
    end = max([detect or 0, ack or 0] + sts)
    mit = rnd.choice([None, end + rnd.randrange(1, 60)])
    res = None if rnd.random() < 0.2 else (mit or end) + rnd.randrange(1, 300)
    acts = []
    for a in range(rnd.randrange(0, 4)):
        due = rnd.choice([None, "2026-%02d-%02d" % (rnd.randrange(7, 13), rnd.randrange(1, 29))])
        acts.append(dict(due=due, done=rnd.random() < 0.3))
    incident("Random incident %02d" % n, zone, day, sev=rnd.choice(SEVS),
             services=rnd.sample(SERVICES, rnd.randrange(0, 3)),
             detect=detect, ack=ack, statuses=sts, mitigate=mit, resolve=res,
             actions=acts)

# The commands that build the store.
with open(T + "/build.sh", "w") as f:
    for inc in plan:
        args = ["pmtool_setup", "new", "--tz", inc["zone"]]
        if inc["has_started"]:
            args += ["--at", inc["t0"].isoformat()]
        if inc["sev"]:
            args += ["--severity", inc["sev"]]
        for s in inc["services"]:
            args += ["--service", s]
        args += ["--", inc["title"]]
        f.write("id=$(%s)\n" % " ".join(shlex.quote(a) for a in args))
        for kind, t, state, text in inc["events"]:
            if kind == "started":
                continue
            args = ["pmtool_setup", "log", "$id", kind, "--at", t.isoformat()]
            if state:
                args += ["--status", state]
            args += ["--", text]
            f.write(" ".join(a if a == "$id" else shlex.quote(a) for a in args).replace("$id", '"$id"') + " >/dev/null\n")
        for i, a in enumerate(inc["actions"]):
            args = ["pmtool_setup", "action", "add", "$id"]
            if a["due"]:
                args += ["--due", a["due"]]
            args += ["--", "fix %d" % i]
            f.write(" ".join(shlex.quote(x) for x in args).replace("'$id'", '"$id"') + " >/dev/null\n")
            if a["done"]:
                f.write('pmtool_setup action done "$id" %d >/dev/null\n' % (i + 1))

# What each incident's export row must hold.
def rows():
    out = {}
    for inc in plan:
        ev = inc["events"]
        t = {}
        for kind, at, state, text in ev:
            if kind != "status":
                t[kind] = at
        st = [at for kind, at, s, x in ev if kind == "status"]
        start = t.get("started", min(at for k, at, s, x in ev))
        def d(a, b):
            return int((b - a).total_seconds()) if a is not None and b is not None else None
        gaps = [int((b - a).total_seconds()) for a, b in zip(st, st[1:])]
        r = {
            "start": start.astimezone(timezone.utc),
            "started": t.get("started"), "detected": t.get("detected"),
            "resolved": t.get("resolved"),
            "severity": inc["sev"], "services": inc["services"],
            "time_to_detect_s": d(t.get("started"), t.get("detected")),
            "time_to_acknowledge_s": d(t.get("detected"), t.get("acknowledged")),
            "time_to_first_status_s": d(t.get("started"), st[0] if st else None),
            "detect_to_status_s": d(t.get("detected"), st[0] if st else None),
            "max_status_gap_s": max(gaps) if gaps else None,
            "time_to_mitigate_s": d(t.get("started"), t.get("mitigated")),
            "time_to_resolve_s": d(t.get("started"), t.get("resolved")),
            "status_updates": len(st),
            "open_actions": sum(1 for a in inc["actions"] if not a["done"]),
            "overdue_actions": sum(1 for a in inc["actions"] if not a["done"] and a["due"] and a["due"] < TODAY),
            "state": "resolved" if "resolved" in t else "open",
            "status_compliant": len(st) >= 1 and (not gaps or max(gaps) <= 1800),
            "nevents": len(ev),
        }
        out[inc["title"]] = r
    return out

R = rows()
def ser(v):
    if isinstance(v, datetime):
        return v.timestamp()
    return v
json.dump({k: {kk: ser(vv) for kk, vv in v.items()} for k, v in R.items()},
          open(T + "/expect.json", "w"), indent=1)
PY
check
[ -s "$T/build.sh" ] || fail "the plan was written"
. "$T/build.sh"
assert_eq "$(git status --porcelain)" "" "the store is clean after the build"

# export_check WHAT QUARTER TZ - the JSON export of QUARTER seen in TZ
# against the plan: membership, every field, the summaries and groups.
export_check() {
	run pmtool export --quarter "$2" --tz "$3" --format json --by severity
	assert_rc 0 "$1: export json"
	pycheck "$1" '
from datetime import datetime, timezone, timedelta
from zoneinfo import ZoneInfo
E = json.load(open(a[0] + "/expect.json"))
q, tz = a[1], a[2]
y, n = int(q[:4]), int(q[5])
z = ZoneInfo(tz)
lo = datetime(y, 3 * n - 2, 1, tzinfo=z).timestamp()
hi = (datetime(y + 1, 1, 1, tzinfo=z) if n == 4 else datetime(y, 3 * n + 1, 1, tzinfo=z)).timestamp()
want = sorted([t for t, r in E.items() if lo <= r["start"] < hi], key=lambda t: (E[t]["start"], t))
got = {i["title"]: i for i in d["incidents"]}
eq(sorted(got), sorted(want), "the period holds exactly the planned incidents")
def fmt(ts):
    if ts is None: return None
    dt = datetime.fromtimestamp(ts, ZoneInfo(tz))
    s = dt.isoformat()
    return s.replace("+00:00", "Z") if tz == "UTC" else s
KEYS = ["time_to_detect_s", "time_to_acknowledge_s", "time_to_first_status_s",
        "detect_to_status_s", "max_status_gap_s", "time_to_mitigate_s",
        "time_to_resolve_s", "status_updates"]
for t in want:
    if t not in got: continue
    g, e = got[t], E[t]
    for k in KEYS + ["open_actions", "overdue_actions", "state", "status_compliant", "severity", "services"]:
        eq(g[k], e[k], t + " " + k)
    for k in ["started", "detected", "resolved"]:
        eq(g[k], fmt(e[k]), t + " " + k)
    eq(g["start"], fmt(e["start"]), t + " start")
def nr(v, p):
    v = sorted(v)
    import math
    return v[max(1, math.ceil(p * len(v) / 100)) - 1]
def summ(titles):
    out = {}
    for k in KEYS:
        v = [E[t][k] for t in titles if E[t][k] is not None]
        if v:
            m = sum(v) / len(v)
            out[k] = {"count": len(v), "median": nr(v, 50), "p90": nr(v, 90),
                      "mean": int(m + 0.5) if m >= 0 else -int(-m + 0.5), "max": max(v)}
        else:
            out[k] = {"count": 0, "median": None, "p90": None, "mean": None, "max": None}
    return out
eq(d["summary"], summ(want), "summary of every metric")
eq(d["totals"]["incidents"], len(want), "totals: incidents")
eq(d["totals"]["open"], sum(1 for t in want if E[t]["state"] == "open"), "totals: open")
eq(d["totals"]["status_compliant"], sum(1 for t in want if E[t]["status_compliant"]), "totals: compliant")
eq(d["totals"]["overdue_actions"], sum(E[t]["overdue_actions"] for t in want), "totals: overdue actions")
groups = {}
for t in want:
    groups.setdefault(E[t]["severity"] or "(none)", []).append(t)
eq(sorted(d["by"]), sorted(groups), "groups by severity")
for g, ts in groups.items():
    if g in d["by"]:
        eq(d["by"][g]["incidents"], len(ts), "group " + g + " count")
        eq(d["by"][g]["summary"], summ(ts), "group " + g + " summary")
eq(d["period"]["tz"], tz, "period tz")
eq(d["period"]["quarter"], q, "period quarter")
' "$T" "$2" "$3"
}

export_check "Q3 in UTC" 2026Q3 UTC
export_check "Q2 in UTC" 2026Q2 UTC
export_check "Q3 in Amsterdam" 2026Q3 Europe/Amsterdam
export_check "Q2 in Los Angeles" 2026Q2 America/Los_Angeles
export_check "Q3 in Tokyo" 2026Q3 Asia/Tokyo
export_check "Q1 in Sydney" 2026Q1 Australia/Sydney

# The boundary cases by name, as a person would check them.
run pmtool export --quarter 2026Q3 --format json
assert_contains "$OUT" '"Edge early UTC"' "00:00 UTC on 1 July is Q3 in UTC"
assert_not_contains "$OUT" '"Edge late UTC"' "23:59 UTC on 30 June is not"
assert_contains "$OUT" '"Edge late Los Angeles"' "23:59 in LA on 30 June is Q3 in UTC"
assert_not_contains "$OUT" '"Edge early Amsterdam"' "00:00 in Amsterdam on 1 July is Q2 in UTC"
run pmtool export --quarter 2026Q3 --tz Europe/Amsterdam --format json
assert_contains "$OUT" '"Edge early Amsterdam"' "... and Q3 in Amsterdam"

# CSV: RFC 4180, the header row, the same figures as the JSON.
run pmtool export --quarter 2026Q3
assert_rc 0 "export csv"
pmtool export --quarter 2026Q3 >"$T/csv"
run pmtool export --quarter 2026Q3 --format json
pycheck "csv against json" '
import csv, io
rows = list(csv.reader(io.StringIO(open(a[0]).read(), newline="")))
hdr = rows[0]
eq(hdr, ["id","title","severity","services","started","detected","resolved",
  "time_to_detect_s","time_to_acknowledge_s","time_to_first_status_s",
  "detect_to_status_s","max_status_gap_s","time_to_mitigate_s",
  "time_to_resolve_s","status_updates","open_actions","overdue_actions",
  "severity_at_start","peak_severity","reopenings"], "header row")
eq(len(rows) - 1, len(d["incidents"]), "one row per incident")
for r, j in zip(rows[1:], d["incidents"]):
    row = dict(zip(hdr, r))
    for k in hdr:
        v = j[k]
        if k == "services": v = ", ".join(v)
        elif v is None: v = ""
        else: v = str(v)
        eq(row[k], v, j["id"] + " " + k)
eq(open(a[0], "rb").read().count(b"\r\n"), len(rows), "CRLF line ends")
' "$T/csv"

# A title with a comma and quotes is quoted as RFC 4180 says.
QID=$(pmtool new --at 2026-08-01T10:00:00Z --tz UTC --service 'a' --service 'b' -- 'Quote "this", please')
run pmtool export --quarter 2026Q3
assert_contains "$OUT" "$QID,\"Quote \"\"this\"\", please\",,\"a, b\"," "RFC 4180 quoting"

# Empty periods: a valid, empty export.
run pmtool export --quarter 2020Q1
assert_rc 0 "empty quarter, csv"
assert_eq "$(printf '%s\n' "$OUT" | wc -l)" 1 "empty quarter: the header row only"
run pmtool export --quarter 2020Q1 --format json
assert_rc 0 "empty quarter, json"
pycheck "empty json" '
eq(d["incidents"], [], "no incidents")
eq(d["summary"]["time_to_resolve_s"], {"count": 0, "median": None, "p90": None, "mean": None, "max": None}, "null figures")
eq(d["totals"]["incidents"], 0, "zero count")
eq(d["by"], {}, "no groups")
'
run pmtool export --quarter 2020Q1 --format md
assert_rc 0 "empty quarter, md"
assert_contains "$OUT" "Incidents: 0 (0 open, 0 resolved)" "empty report"

# --from/--to: both days included.
run pmtool export --from 2026-06-30 --to 2026-06-30 --format json
pycheck "from/to one day" '
E = json.load(open(a[0] + "/expect.json"))
from datetime import datetime, timezone
lo = datetime(2026, 6, 30, tzinfo=timezone.utc).timestamp()
want = sorted(t for t, r in E.items() if lo <= r["start"] < lo + 86400)
eq(sorted(i["title"] for i in d["incidents"]), want, "one whole day")
' "$T"

# The Markdown report: figures that match the JSON.
run pmtool export --quarter 2026Q3 --format json
printf '%s\n' "$OUT" >"$T/q3.json"
run pmtool export --quarter 2026Q3 --format md
assert_rc 0 "export md"
pycheck "md report" '
j = json.load(open(a[0]))
n = len(j["incidents"])
eq("# Reliability report 2026Q3" in s, True, "title")
eq(("- Incidents: %d (" % n) in s, True, "incident count")
lines = [l for l in s.splitlines() if l.startswith("| time to resolve |")]
eq(len(lines), 1, "a time-to-resolve row")
eq(cells(lines[0])[1].strip(), str(j["summary"]["time_to_resolve_s"]["count"]), "its count")
k = j["totals"]["status_compliant"]
eq(("Kept to it: %d of %d" % (k, n)) in s, True, "cadence compliance")
eq(("Overdue (due before today, still open): %d" % j["totals"]["overdue_actions"]) in s, True, "overdue actions")
eq("```text" in s, True, "a text chart")
eq("## Longest incidents" in s, True, "longest incidents")
eq("previous median" in s, True, "change against the previous quarter")
' "$T/q3.json"

# sqlite: a self-contained file with the four tables.
run pmtool export --quarter 2026Q3 --format sqlite -o "$T/q3.sqlite"
assert_rc 0 "export sqlite"
pycheck "sqlite file" '
import sqlite3
db = sqlite3.connect(a[0])
j = json.load(open(a[1]))
ids = sorted(i["id"] for i in j["incidents"])
eq(sorted(r[0] for r in db.execute("select id from incidents")), ids, "incidents table")
eq(db.execute("select count(distinct incident_id) from metrics").fetchone()[0], len(ids), "metrics table")
tables = sorted(r[0] for r in db.execute("select name from sqlite_master where type = \"table\""))
eq(tables, ["actions", "events", "incidents", "metrics"], "four tables")
eq(db.execute("select count(*) from actions where done = 0").fetchone()[0], j["totals"]["open_actions"], "open actions")
' "$T/q3.sqlite" "$T/q3.json"
run pmtool export --quarter 2026Q3 --format sqlite
assert_rc 2 "sqlite needs -o"

# -o writes the whole file or nothing.
run pmtool export --quarter 2026Q3 --format json -o "$T/out.json"
assert_rc 0 "-o FILE"
assert_file_same "$T/out.json" "$T/q3.json" "-o holds what stdout would"
run pmtool export --quarter 2026Q3 -o "$T/no/such/dir/out.csv"
assert_rc 1 "-o into a missing folder"
check
[ ! -e "$T/no" ] || fail "nothing written"

# Bad arguments: exit 2 and a message.
for args in "--quarter 2026Q5" "--quarter 26Q1" "--from 2026-01-01" \
    "--from 2026-02-30 --to 2026-03-01" "--format xml" "--by team" \
    "--tz Mars/Olympus" "--quarter 2026Q1 --from 2026-01-01 --to 2026-02-01" \
    "--bogus" "--quarter"; do
	# shellcheck disable=SC2086
	run pmtool export $args
	assert_rc 2 "export $args"
	assert_contains "$ERR" "pmtool: export: " "export $args: a message"
done

# A stale index: a hand edit, a checkout of an older commit, a deletion.
EID=$(pmtool export --quarter 2026Q3 --format json | python3 -c '
import json, sys
print([i["id"] for i in json.load(sys.stdin)["incidents"] if i["title"] == "Edge early UTC"][0])')
F="incidents/$EID/timeline.txt"
sed -i 's/^2026-07-01T00:45:00\(Z\|+00:00\) resolved/2026-07-01T02:00:00Z resolved/' "$F"
run pmtool export --quarter 2026Q3 --format json
pycheck "after a hand edit" '
eq([i["time_to_resolve_s"] for i in d["incidents"] if i["id"] == a[0]], [7200], "the edited resolve time is read")
' "$EID"
git checkout -q -- "$F"
BEFORE=$(git rev-parse HEAD)
pmtool log "$EID" note --at 2026-07-01T00:50:00Z later >/dev/null
pmtool log "$EID" status --status update --at 2026-07-01T00:55:00Z more >/dev/null
run pmtool export --quarter 2026Q3 --format json
pycheck "after logging" '
eq([i["status_updates"] for i in d["incidents"] if i["id"] == a[0]], [2], "two status updates")
' "$EID"
git checkout -q "$BEFORE" -- incidents
run pmtool export --quarter 2026Q3 --format json
pycheck "after git checkout" '
eq([i["status_updates"] for i in d["incidents"] if i["id"] == a[0]], [1], "back to one")
' "$EID"
git checkout -q HEAD -- incidents
rm -r "incidents/$EID"
run pmtool export --quarter 2026Q3 --format json
assert_not_contains "$OUT" "\"$EID\"" "a deleted incident is gone from the export"
git checkout -q HEAD -- incidents
run pmtool export --quarter 2026Q3 --format json
assert_contains "$OUT" "\"$EID\"" "a restored incident is back"
WARM=$OUT
rm -f .git/pmtool/index.sqlite*
run pmtool export --quarter 2026Q3 --format json
assert_rc 0 "export without an index"
assert_eq "$OUT" "$WARM" "a deleted index is rebuilt: the same export"
echo "garbage, not a database" >.git/pmtool/index.sqlite
run pmtool export --quarter 2026Q3 --format json
assert_eq "$OUT" "$WARM" "a corrupt index is rebuilt silently: the same export"
assert_eq "$ERR" "" "... without a word"
finish
