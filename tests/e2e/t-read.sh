#!/bin/sh
# t-read.sh - show, list and metrics, in text and JSON (checked with
# python3's json module), on incidents built with real pmtool commands.
. "$(dirname "$0")/lib.sh"

S="$T/store"
new_store "$S"
cd "$S" || exit 1
export PMTOOL_TEST_TIME=2020-06-10T12:00:00Z

# --- a constructed incident ---------------------------------------------
ID=$(pmtool new --at 2020-06-07T00:45:00-07:00 --tz America/Los_Angeles \
    --severity SEV1 --service helpdesk --service api --commander "Alex Kim" \
    'Database "issues" \ and more')
assert_eq "$ID" "2020-06-07-database-issues-and-more" "the id"
F="incidents/$ID/timeline.txt"
pmtool log "$ID" detected --at 2020-06-07T08:10:00Z Alert: replication lag >/dev/null
pmtool log "$ID" acknowledged --at 2020-06-07T01:25:00-07:00 Alex is on it >/dev/null
printf 'investigating The platform is down\ndue to a database issue.\n' >"$T/text"
pmtool log "$ID" status --at 2020-06-07T01:58:00-07:00 - <"$T/text" >/dev/null
pmtool log "$ID" status identified --at 2020-06-07T02:30:00-07:00 Cause found >/dev/null
pmtool log "$ID" mitigated --at 2020-06-07T02:45:00-07:00 Failover done >/dev/null
pmtool log "$ID" resolved --at 2020-06-07T03:30:00-07:00 first resolve >/dev/null
pmtool log "$ID" status monitoring --at 2020-06-07T03:40:00-07:00 Watching >/dev/null
pmtool log "$ID" resolved --at 2020-06-07T03:50:00-07:00 really resolved >/dev/null
pmtool log "$ID" status resolved --at 2020-06-07T04:00:00-07:00 "All good. ünïcode ✓" >/dev/null
pmtool log "$ID" note --at 2020-06-07T02:00:00-07:00 zulu >/dev/null
# By hand, out of order: an earlier lead-up, a later second detection, and
# two events at the same instant as "zulu" (02:00 PDT = 09:00Z), written
# with other offsets: ties keep the file's order.
cat >>"$F" <<'EOF'
2020-06-07T00:30:00-07:00 lead-up Config change deployed
2020-06-07T01:40:00-07:00 detected second detection
2020-06-07T09:00:00Z action alpha
2020-06-07T11:00:00+02:00 lead-up mike
EOF
assert_eq "$(commit_count "$S")" 12 "setup: 1 init + 1 new + 10 logs"

run pmtool show "$ID"
assert_rc 0 "show"
assert_eq "$(printf '%s\n' "$OUT" | sed -n '1,7p' | tr '\n' '|')" \
    "$ID: Database \"issues\" \\ and more|  state      resolved|  severity   SEV1|  services   helpdesk, api|  commander  Alex Kim|  zone       America/Los_Angeles||" \
    "show: the header"
assert_eq "$(printf '%s\n' "$OUT" | sed -n '8,$p')" \
"  9120137 2020-06-07 00:30 PDT  lead-up              Config change deployed
  b2c598c 2020-06-07 00:45 PDT  started
  4bcc31f 2020-06-07 01:10 PDT  detected             Alert: replication lag
  33b1d7c 2020-06-07 01:25 PDT  acknowledged         Alex is on it
  3a5495a 2020-06-07 01:40 PDT  detected             second detection
  9a02ea9 2020-06-07 01:58 PDT  status/investigating The platform is down
                                                     due to a database issue.
  f6aaee9 2020-06-07 02:00 PDT  note                 zulu
  17c9809 2020-06-07 02:00 PDT  action               alpha
  eb77efb 2020-06-07 02:00 PDT  lead-up              mike
  0b64122 2020-06-07 02:30 PDT  status/identified    Cause found
  5a7fbcc 2020-06-07 02:45 PDT  mitigated            Failover done
  35d0a2e 2020-06-07 03:30 PDT  resolved             first resolve
  8efdab1 2020-06-07 03:40 PDT  status/monitoring    Watching
  0431492 2020-06-07 03:50 PDT  resolved             really resolved
  8d43a10 2020-06-07 04:00 PDT  status/resolved      All good. ünïcode ✓" \
    "show: events in time order, ties in file order, times in the zone"

run pmtool show "$ID" --json
assert_rc 0 "show --json"
pycheck "show --json" '
# The contract: these keys are always there (later issues only add keys).
eq(sorted(set(["id", "title", "severity", "services", "commander", "zone", "state", "started", "events"]) - set(d)), [], "top-level keys missing")
eq(d["id"], "2020-06-07-database-issues-and-more", "id")
eq(d["title"], "Database \"issues\" \\ and more", "title with quotes and backslash")
eq(d["severity"], "SEV1", "severity")
eq(d["services"], ["helpdesk", "api"], "services")
eq(d["commander"], "Alex Kim", "commander")
eq(d["zone"], "America/Los_Angeles", "zone")
eq(d["state"], "resolved", "state")
eq(d["started"], "2020-06-07T00:45:00-07:00", "started")
ev = d["events"]
eq(len(ev), 15, "15 events")
for e in ev:
    eq(sorted(set(["time", "time_local", "time_utc", "epoch", "kind", "state", "text", "line"]) - set(e)), [], "event keys missing at line %s" % e.get("line"))
eq([e["kind"] + ("/" + e["state"] if e["state"] else "") for e in ev],
   ["lead-up", "started", "detected", "acknowledged", "detected",
    "status/investigating", "note", "action", "lead-up", "status/identified",
    "mitigated", "resolved", "status/monitoring", "resolved",
    "status/resolved"], "kinds in order")
eq([e["epoch"] for e in ev], sorted(e["epoch"] for e in ev), "epochs ascending")
eq([e["text"] for e in ev if e["epoch"] == 1591520400], ["zulu", "alpha", "mike"], "ties keep file order")
det = ev[2]
eq(det["time"], "2020-06-07T08:10:00Z", "time as written (Z)")
eq(det["time_local"], "2020-06-07T01:10:00-07:00", "time_local in the zone")
eq(det["time_utc"], "2020-06-07T08:10:00Z", "time_utc")
eq(det["epoch"], 1591517400, "epoch")
eq(det["state"], None, "state null for non-status")
eq(det["text"], "Alert: replication lag", "text")
eq(det["line"], 9, "line number of the detected event")
mike = [e for e in ev if e["text"] == "mike"][0]
eq(mike["time"], "2020-06-07T11:00:00+02:00", "a +02:00 offset kept as written")
eq(mike["time_local"], "2020-06-07T02:00:00-07:00", "and shown in the zone")
eq(mike["line"], 23, "line number of a hand-added event")
inv = ev[5]
eq(inv["state"], "investigating", "status state")
eq(inv["text"], "The platform is down\ndue to a database issue.", "multi-line text")
eq(ev[-1]["text"], "All good. \u00fcn\u00efcode \u2713", "UTF-8 text")
'

# --- metrics -------------------------------------------------------------------
run pmtool metrics "$ID" --json
assert_rc 0 "metrics --json"
pycheck "metrics --json" '
eq(sorted(d), sorted(["id", "time_to_detect_s", "time_to_acknowledge_s", "time_to_first_status_s", "detect_to_status_s", "max_status_gap_s", "status_updates", "time_to_mitigate_s", "time_to_resolve_s", "times", "reopenings"]), "keys")
eq(d["id"], "2020-06-07-database-issues-and-more", "id")
eq(d["time_to_detect_s"], 1500, "time_to_detect_s: 00:45 -> 01:10 (earliest detected)")
eq(d["time_to_acknowledge_s"], 900, "time_to_acknowledge_s: 01:10 -> 01:25")
eq(d["time_to_first_status_s"], 4380, "time_to_first_status_s: 00:45 -> 01:58")
eq(d["detect_to_status_s"], 2880, "detect_to_status_s: 01:10 -> 01:58")
eq(d["max_status_gap_s"], 4200, "max_status_gap_s: 02:30 -> 03:40")
eq(d["status_updates"], 4, "status_updates")
eq(d["time_to_mitigate_s"], 7200, "time_to_mitigate_s: 00:45 -> 02:45")
eq(d["time_to_resolve_s"], 11100, "time_to_resolve_s: 00:45 -> 03:50 (latest resolved)")
eq(d["times"], {"started": "2020-06-07T00:45:00-07:00", "detected": "2020-06-07T08:10:00Z", "acknowledged": "2020-06-07T01:25:00-07:00", "first_status": "2020-06-07T01:58:00-07:00", "mitigated": "2020-06-07T02:45:00-07:00", "resolved": "2020-06-07T03:50:00-07:00"}, "times")
for k in ("time_to_detect_s", "time_to_resolve_s", "status_updates"):
    eq(type(d[k]), int, k + " is an integer")
'
run pmtool metrics "$ID"
assert_rc 0 "metrics text"
assert_contains "$OUT" "times in America/Los_Angeles" "metrics text: the zone"
assert_contains "$OUT" "  started                2020-06-07 00:45 PDT" "metrics text: started"
assert_contains "$OUT" "  detected               2020-06-07 01:10 PDT" "metrics text: detected in the zone"
assert_contains "$OUT" "  time to detect         25m" "metrics text: 25m"
assert_contains "$OUT" "  time to acknowledge    15m" "metrics text: 15m"
assert_contains "$OUT" "  time to first status   1h 13m" "metrics text: 1h 13m"
assert_contains "$OUT" "  detect to status       48m" "metrics text: 48m"
assert_contains "$OUT" "  longest status gap     1h 10m" "metrics text: 1h 10m"
assert_contains "$OUT" "  time to mitigate       2h" "metrics text: 2h"
assert_contains "$OUT" "  time to resolve        3h 5m" "metrics text: 3h 5m"
assert_contains "$OUT" "  status updates         4" "metrics text: status updates"

# Missing endpoints: null in JSON, n/a in text.
P=$(pmtool new --at 2020-06-01T10:00:00Z --tz UTC Partial)
pmtool log "$P" status investigating --at 2020-06-03T11:13:20Z Looking >/dev/null
run pmtool metrics "$P" --json
assert_rc 0 "metrics --json, partial"
pycheck "metrics --json, partial" '
eq(d["time_to_detect_s"], None, "no detected: time_to_detect_s null")
eq(d["time_to_acknowledge_s"], None, "time_to_acknowledge_s null")
eq(d["time_to_first_status_s"], 177200, "time_to_first_status_s over two days")
eq(d["detect_to_status_s"], None, "detect_to_status_s null")
eq(d["max_status_gap_s"], None, "one status update: max_status_gap_s null")
eq(d["status_updates"], 1, "status_updates 1")
eq(d["time_to_mitigate_s"], None, "time_to_mitigate_s null")
eq(d["time_to_resolve_s"], None, "time_to_resolve_s null")
eq(d["times"]["detected"], None, "times.detected null")
eq(d["times"]["started"], "2020-06-01T10:00:00Z", "times.started")
'
run pmtool metrics "$P"
assert_contains "$OUT" "  time to first status   2d 1h 13m" "metrics text: days"
assert_contains "$OUT" "  time to detect         n/a (no detected event)" "metrics text: n/a with a reason"
assert_contains "$OUT" "  longest status gap     n/a (fewer than two status updates)" \
    "metrics text: gap n/a"
assert_contains "$OUT" "  detected               -" "metrics text: missing time is -"

# A negative duration (status posted before the detection was logged).
pmtool log "$P" detected --at 2020-06-03T11:23:20Z Late detection >/dev/null
run pmtool metrics "$P"
assert_contains "$OUT" "  detect to status       -10m" "metrics text: a negative duration"
run pmtool metrics "$P" --json
pycheck "metrics --json, negative" '
eq(d["detect_to_status_s"], -600, "detect_to_status_s negative")
eq(d["time_to_detect_s"], 177800, "time_to_detect_s")
'

# Text round trip: what log takes from stdin is what show --json gives
# back, after the documented clean-up (leading blanks of the text,
# trailing blanks of each line, trailing empty lines).
printf '\n  first was blank\n\tTAB led\n#not a comment\n2020-06-07T09:00:00Z note fake\n   \ntrailing  \nend\n\n\n' >"$T/tricky"
pmtool log "$P" note --at 2020-06-04T00:00:00Z - <"$T/tricky" >/dev/null
run pmtool show "$P" --json
pycheck "text round trip" '
e = [e for e in d["events"] if e["time"] == "2020-06-04T00:00:00Z"]
eq(len(e), 1, "one event, the fake event line stays inside the text")
eq(e[0]["text"] if e else None, "\n  first was blank\n\tTAB led\n#not a comment\n2020-06-07T09:00:00Z note fake\n\ntrailing\nend", "the text")
eq(len(d["events"]), 4, "no event made from the text")
'

E=$(pmtool new --tz UTC Empty)
run pmtool metrics "$E" --json
pycheck "metrics --json, no events" '
eq([k for k in d if d[k] is not None and k not in ("id", "times", "status_updates", "reopenings")], [], "every duration null")
eq(d["status_updates"], 0, "status_updates 0")
eq(d["reopenings"], 0, "reopenings 0")
eq(set(d["times"].values()), {None}, "every time null")
'

# --- list ------------------------------------------------------------------------
# Open: a status resolved followed by a later status update; open, no
# events; open, older. Resolved: by a status resolved alone.
B=$(pmtool new --at 2020-06-08T10:00:00Z --tz UTC Reopened)
pmtool log "$B" status resolved --at 2020-06-08T11:00:00Z Fixed >/dev/null
pmtool log "$B" status update --at 2020-06-08T12:00:00Z Back again >/dev/null
C=$(pmtool new --at 2020-06-02T10:00:00Z --tz Europe/Amsterdam Public resolved)
pmtool log "$C" status resolved --at 2020-06-02T13:00:00+02:00 Done >/dev/null
run pmtool list --json
assert_rc 0 "list --json"
pycheck "list --json" '
keys = ["id", "title", "severity", "services", "started", "state", "events", "last_status", "excluded"]
for o in d:
    eq(sorted(o), sorted(keys), "keys of %s" % o.get("id"))
eq([o["id"] for o in d], ["2020-06-10-empty", "2020-06-08-reopened", "2020-06-01-partial", "2020-06-07-database-issues-and-more", "2020-06-02-public-resolved"], "open first, then the latest start first")
by = {o["id"]: o for o in d}
a = by["2020-06-07-database-issues-and-more"]
eq(a["title"], "Database \"issues\" \\ and more", "title")
eq(a["severity"], "SEV1", "severity")
eq(a["services"], ["helpdesk", "api"], "services")
eq(a["started"], "2020-06-07T00:45:00-07:00", "started is the started event, not the earlier lead-up")
eq(a["state"], "resolved", "resolved by resolved events")
eq(a["events"], 15, "event count")
eq(a["last_status"], "2020-06-07T04:00:00-07:00", "last_status")
b = by["2020-06-08-reopened"]
eq(b["state"], "open", "a status update after status resolved reopens")
eq(b["last_status"], "2020-06-08T12:00:00Z", "last_status of the reopened one")
eq(b["severity"], "", "no severity is an empty string")
eq(b["services"], [], "no services is an empty list")
c = by["2020-06-02-public-resolved"]
eq(c["state"], "resolved", "status resolved alone resolves")
eq(c["started"], "2020-06-02T10:00:00Z", "started as given")
e = by["2020-06-10-empty"]
eq((e["state"], e["started"], e["events"], e["last_status"]), ("open", None, 0, None), "no events")
'
run pmtool list
assert_rc 0 "list text"
assert_eq "$(printf '%s\n' "$OUT" | awk '{print $1, $2}' | tr '\n' '|')" \
    "2020-06-10-empty open|2020-06-08-reopened open|2020-06-01-partial open|2020-06-07-database-issues-and-more resolved|2020-06-02-public-resolved resolved|" \
    "list text: ids and states in order"
assert_contains "$OUT" "2020-06-07 00:45 PDT" "list text: start in the incident's zone"
assert_contains "$OUT" "2020-06-02 12:00 CEST" "list text: start in Amsterdam time"

# Reading changes nothing.
assert_eq "$(git status --porcelain)" " M $F" "reads leave the files alone"
assert_eq "$(commit_count "$S")" 22 "reads make no commits"

# An empty store.
E2="$T/empty"
new_store "$E2"
run pmtool -C "$E2" list --json
assert_rc 0 "list --json, empty store"
assert_eq "$OUT" "[]" "list --json, empty store: []"
run pmtool -C "$E2" list
assert_rc 0 "list, empty store"
assert_contains "$OUT" "no incidents yet" "list, empty store: message"

finish
