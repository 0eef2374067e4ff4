#!/bin/sh
# t-render.sh - pmtool render (Markdown, HTML, the shipped templates, a
# store's own templates, partials, template errors, --data) and the
# document templates see (show --json), on incidents built with real
# pmtool commands, and on the project's sample incidents.
. "$(dirname "$0")/lib.sh"

S="$T/store"
new_store "$S"
cd "$S" || exit 1
# Today is 2020-06-20 (05:00 in Los Angeles): an action due 2020-06-10 is
# overdue, one due 2020-07-01 is not.
export PMTOOL_TEST_TIME=2020-06-20T12:00:00Z

# between TEXT FIRST STOP - the lines of TEXT from the line FIRST up to,
# not including, the line STOP.
between() {
	printf '%s\n' "$1" | awk -v a="$2" -v b="$3" '$0 == a { p = 1 } p && $0 == b { exit } p'
}
# headings TEXT - the level-2 headings, joined with '|'.
headings() { printf '%s\n' "$1" | sed -n 's/^## //p' | tr '\n' '|'; }

# --- a constructed incident ----------------------------------------------
ID=$(pmtool new --at 2020-06-07T00:45:00-07:00 --tz America/Los_Angeles \
    --severity SEV1 --service helpdesk --service api --commander "Alex Kim" \
    'Database outage')
assert_eq "$ID" 2020-06-07-database-outage "the id"
TL="incidents/$ID/timeline.txt"
PM="incidents/$ID/postmortem.md"
# Logged out of time order; status gaps 22m, 40m, 1h 10m and exactly 30m.
printf 'investigating The platform is down\ndue to a database issue.\n' >"$T/text"
pmtool log "$ID" status --at 2020-06-07T01:58:00-07:00 - <"$T/text" >/dev/null
pmtool log "$ID" detected --at 2020-06-07T01:10:00-07:00 Alert: replication lag >/dev/null
pmtool log "$ID" acknowledged --at 2020-06-07T01:25:00-07:00 Alex is on it >/dev/null
pmtool log "$ID" note --at 2020-06-07T02:05:00-07:00 Paged the DBA >/dev/null
pmtool log "$ID" status identified --at 2020-06-07T02:20:00-07:00 'Cause found | replica lag' >/dev/null
pmtool log "$ID" action --at 2020-06-07T02:30:00-07:00 Failing over to the standby >/dev/null
pmtool log "$ID" mitigated --at 2020-06-07T02:45:00-07:00 Failover done >/dev/null
pmtool log "$ID" status monitoring --at 2020-06-07T03:00:00-07:00 Watching >/dev/null
pmtool log "$ID" status update --at 2020-06-07T04:10:00-07:00 Still watching >/dev/null
pmtool log "$ID" resolved --at 2020-06-07T04:30:00-07:00 Replicas rebuilt >/dev/null
pmtool log "$ID" status resolved --at 2020-06-07T04:40:00-07:00 All good >/dev/null
pmtool log "$ID" lead-up --at 2020-06-07T00:30:00-07:00 Config change deployed >/dev/null
pmtool action add "$ID" --owner "Sam Lee" --due 2020-06-10 Fix the upgrade script >/dev/null
pmtool action add "$ID" --due 2020-07-01 Add replica monitoring >/dev/null
pmtool action add "$ID" --owner Kim --due 2020-06-01 Document the failover >/dev/null
pmtool action done "$ID" 3 >/dev/null
# The written analysis: sections in an odd order and case, a hint-only
# section, two sections pmtool does not know, committed with git.
cat >"$PM" <<'EOF'
# Postmortem: Database outage

## ROOT CAUSE

A bug in the upgrade path.

## Operator notes

Extra notes the tool does not know.
Second line of them.

## summary

The helpdesk was down for almost four hours.

## corrective ACTIONS

Tracked below.

## Fault

The primary failed to upgrade.

Second paragraph of the fault.

## Lessons Learned

<!-- hint only -->

## Impact

All customers.

## Appendix B

Second unknown.
EOF
git add "$PM" && git commit -q -m "write the postmortem by hand"
assert_eq "$(commit_count "$S")" 19 "setup: 1 init + 1 new + 12 logs + 4 actions + 1 git"
HEAD0=$(git rev-parse HEAD)

run pmtool render "$ID"
assert_rc 0 "render"
MD=$OUT
assert_eq "$(printf '%s\n' "$MD" | sed -n '1,12p')" \
"# Postmortem: Database outage

| | |
|---|---|
| **Incident** | 2020-06-07-database-outage |
| **Severity** | SEV1 |
| **Services** | helpdesk, api |
| **Commander** | Alex Kim |
| **State** | resolved |
| **Started** | 2020-06-07 00:45 PDT (2020-06-07 07:45 UTC) |
| **Ended** | 2020-06-07 04:30 PDT (2020-06-07 11:30 UTC) |
| **Duration** | 3h 45m |" "render: the header table"
assert_eq "$(headings "$MD")" \
    "Summary|Metrics|Lead-up|Fault|Impact|Detection|Response|Recovery|Root cause|Lessons learned|Corrective actions|Operator notes|Appendix B|Timeline|Status-update cadence|" \
    "render: every known heading in the documented order, then the unknown ones as written, then timeline and cadence"
assert_eq "$(between "$MD" "## Summary" "## Metrics")" "## Summary

The helpdesk was down for almost four hours." "render: the summary (heading 'summary' in lower case)"
assert_eq "$(between "$MD" "## Metrics" "## Lead-up")" "## Metrics

| Metric | Value | Definition |
|---|---|---|
| time to detect | 25m | detected - started |
| time to acknowledge | 15m | acknowledged - detected |
| time to first status | 1h 13m | first status - started |
| detect to status | 48m | first status - detected |
| longest status gap | 1h 10m | largest gap between consecutive status updates |
| time to mitigate | 2h | mitigated - started |
| time to resolve | 3h 45m | resolved - started |
| status updates | 5 | public status updates posted |" "render: the metrics table, readable values"
assert_eq "$(between "$MD" "## Lead-up" "## Fault")" "## Lead-up

_Not written yet_ (write it with pmtool edit $ID)." "render: a missing section says so"
assert_eq "$(between "$MD" "## Fault" "## Impact")" "## Fault

The primary failed to upgrade.

Second paragraph of the fault." "render: a written section verbatim"
assert_eq "$(between "$MD" "## Root cause" "## Lessons learned")" "## Root cause

A bug in the upgrade path." "render: 'ROOT CAUSE' found whatever its case, under the usual heading"
assert_eq "$(between "$MD" "## Lessons learned" "## Corrective actions")" "## Lessons learned

_Not written yet_ (write it with pmtool edit $ID)." "render: a section of nothing but a comment is empty"
assert_eq "$(between "$MD" "## Corrective actions" "## Operator notes")" "## Corrective actions

Tracked below.

| # | Item | Owner | Due | State |
|---|---|---|---|---|
| 1 | Fix the upgrade script | Sam Lee | 2020-06-10 | open (**overdue**) |
| 2 | Add replica monitoring |  | 2020-07-01 | open |
| 3 | Document the failover | Kim | 2020-06-01 | done |

2 open, 1 overdue." "render: the corrective-actions prose, then the table with owner, due, state and overdue"
assert_eq "$(between "$MD" "## Operator notes" "## Timeline")" "## Operator notes

Extra notes the tool does not know.
Second line of them.

## Appendix B

Second unknown." "render: the unknown sections, in the order written, after the known ones"
assert_eq "$(between "$MD" "## Timeline" "## Status-update cadence")" "## Timeline

Times in America/Los\\_Angeles.

| Time | Event | Details |
|---|---|---|
| 2020-06-07 00:30 PDT | lead-up | Config change deployed |
| 2020-06-07 00:45 PDT | started |  |
| 2020-06-07 01:10 PDT | detected | Alert: replication lag |
| 2020-06-07 01:25 PDT | acknowledged | Alex is on it |
| 2020-06-07 01:58 PDT | status: investigating | The platform is down due to a database issue. |
| 2020-06-07 02:05 PDT | note | Paged the DBA |
| 2020-06-07 02:20 PDT | status: identified | Cause found \\| replica lag |
| 2020-06-07 02:30 PDT | action | Failing over to the standby |
| 2020-06-07 02:45 PDT | mitigated | Failover done |
| 2020-06-07 03:00 PDT | status: monitoring | Watching |
| 2020-06-07 04:10 PDT | status: update | Still watching |
| 2020-06-07 04:30 PDT | resolved | Replicas rebuilt |
| 2020-06-07 04:40 PDT | status: resolved | All good |" "render: the timeline in time order, local times, one line per event"
CADENCE30="## Status-update cadence

A public status update is due at least every 30m.
2 gap(s) between updates exceeded it.

| From | To | Gap | |
|---|---|---|---|
| 2020-06-07 01:58 PDT | 2020-06-07 02:20 PDT | 22m |  |
| 2020-06-07 02:20 PDT | 2020-06-07 03:00 PDT | 40m | **overdue** |
| 2020-06-07 03:00 PDT | 2020-06-07 04:10 PDT | 1h 10m | **overdue** |
| 2020-06-07 04:10 PDT | 2020-06-07 04:40 PDT | 30m |  |

---
*Generated by pmtool from incidents/$ID at 2020-06-20T12:00:00Z.*"
assert_eq "$(printf '%s\n' "$MD" | sed -n '/^## Status-update cadence$/,$p')" \
    "$CADENCE30" "render: the cadence table, gaps over 30m overdue (30m exactly is not)"
OUT=$MD
pycheck "render: Markdown tables" '
t = md_tables(s)
eq(len(t), 5, "five tables: header, metrics, actions, timeline, cadence")
eq([sorted(set(len(r) for r in x)) for x in t], [[2], [3], [5], [3], [4]], "every row has the header'"'"'s cell count")
'
assert_eq "$(git rev-parse HEAD)" "$HEAD0" "render commits nothing"
assert_eq "$(git status --porcelain)" "" "render writes nothing into the store"

# --- show --json: the documented keys, exact values ---------------------
LEADUP_LINE=$(grep -n 'lead-up Config change deployed' "$TL" | cut -d: -f1)
INV_LINE=$(grep -n 'status investigating The platform is down' "$TL" | cut -d: -f1)
run pmtool show "$ID" --json
assert_rc 0 "show --json"
pycheck "show --json" '
top = ["id", "title", "severity", "commander", "zone", "services", "services_text",
       "has_services", "has_severity", "has_commander", "state", "is_resolved",
       "started", "start", "end", "duration_s", "duration", "events", "updates",
       "metrics", "metrics_table", "cadence", "sections", "sections_list",
       "extra_sections", "actions", "has_actions", "open_actions",
       "overdue_actions", "generated_at"]
eq(sorted(set(top) - set(d)), [], "documented top-level keys missing")
eq((d["id"], d["title"], d["severity"], d["commander"], d["zone"]),
   ("2020-06-07-database-outage", "Database outage", "SEV1", "Alex Kim", "America/Los_Angeles"), "header")
eq((d["services"], d["services_text"]), (["helpdesk", "api"], "helpdesk, api"), "services")
eq((d["has_services"], d["has_severity"], d["has_commander"]), (True, True, True), "has_*")
eq((d["state"], d["is_resolved"]), ("resolved", True), "state")
eq(d["started"], "2020-06-07T00:45:00-07:00", "started: the started event, not the earlier lead-up")
eq(d["start"], {"time": "2020-06-07T00:45:00-07:00", "time_local": "2020-06-07T00:45:00-07:00",
    "time_utc": "2020-06-07T07:45:00Z", "display": "2020-06-07 00:45 PDT",
    "display_utc": "2020-06-07 07:45 UTC"}, "start moment")
eq(d["end"], {"time": "2020-06-07T04:30:00-07:00", "time_local": "2020-06-07T04:30:00-07:00",
    "time_utc": "2020-06-07T11:30:00Z", "display": "2020-06-07 04:30 PDT",
    "display_utc": "2020-06-07 11:30 UTC"}, "end moment: the resolved event, not the later status")
eq((d["duration_s"], d["duration"]), (13500, "3h 45m"), "duration")
ev = d["events"]
eq(len(ev), 13, "13 events")
ek = ["time", "time_local", "time_utc", "epoch", "kind", "state", "text", "lines",
      "line", "display", "display_utc", "label", "is_status"]
eq(sorted(set(ek) - set().union(*[set(e) for e in ev]) ), [], "event keys missing somewhere")
eq([sorted(set(ek) - set(e)) for e in ev], [[]] * 13, "event keys missing")
eq([e["label"] for e in ev], ["lead-up", "started", "detected", "acknowledged",
    "status: investigating", "note", "status: identified", "action", "mitigated",
    "status: monitoring", "status: update", "resolved", "status: resolved"], "labels in time order")
eq([e["is_status"] for e in ev].count(True), 5, "five status events")
eq([e["epoch"] for e in ev], sorted(e["epoch"] for e in ev), "epochs ascending")
inv = ev[4]
eq((inv["time"], inv["time_local"], inv["time_utc"], inv["epoch"], inv["kind"], inv["state"]),
   ("2020-06-07T01:58:00-07:00", "2020-06-07T01:58:00-07:00", "2020-06-07T08:58:00Z",
    1591520280, "status", "investigating"), "the investigating update")
eq(inv["text"], "The platform is down\ndue to a database issue.", "multi-line text")
eq(inv["lines"], ["The platform is down", "due to a database issue."], "lines")
eq((inv["display"], inv["display_utc"]), ("2020-06-07 01:58 PDT", "2020-06-07 08:58 UTC"), "display")
eq(inv["line"], int(a[1]), "line in timeline.txt")
eq(ev[0]["line"], int(a[0]), "line of the lead-up, logged last")
eq((ev[1]["kind"], ev[1]["state"], ev[1]["text"], ev[1]["is_status"]), ("started", None, "", False), "started event")
up = d["updates"]
eq([(u["state"], u["state_title"], u["text"]) for u in up],
   [("resolved", "Resolved", "All good"), ("update", "Update", "Still watching"),
    ("monitoring", "Monitoring", "Watching"), ("identified", "Identified", "Cause found | replica lag"),
    ("investigating", "Investigating", "The platform is down\ndue to a database issue.")],
   "updates newest first, with state_title")
m = d["metrics"]
eq(m, {"id": "2020-06-07-database-outage", "time_to_detect_s": 1500, "time_to_acknowledge_s": 900,
       "time_to_first_status_s": 4380, "detect_to_status_s": 2880, "max_status_gap_s": 4200,
       "time_to_mitigate_s": 7200, "time_to_resolve_s": 13500, "status_updates": 5, "reopenings": 0,
       "times": {"started": "2020-06-07T00:45:00-07:00", "detected": "2020-06-07T01:10:00-07:00",
                 "acknowledged": "2020-06-07T01:25:00-07:00", "first_status": "2020-06-07T01:58:00-07:00",
                 "mitigated": "2020-06-07T02:45:00-07:00", "resolved": "2020-06-07T04:30:00-07:00"}},
   "metrics")
eq([sorted(r) for r in d["metrics_table"]], [["definition", "key", "label", "seconds", "value"]] * 7, "metrics_table keys")
eq([(r["key"], r["seconds"], r["value"]) for r in d["metrics_table"]],
   [("time_to_detect_s", 1500, "25m"), ("time_to_acknowledge_s", 900, "15m"),
    ("time_to_first_status_s", 4380, "1h 13m"), ("detect_to_status_s", 2880, "48m"),
    ("max_status_gap_s", 4200, "1h 10m"), ("time_to_mitigate_s", 7200, "2h"),
    ("time_to_resolve_s", 13500, "3h 45m")], "metrics_table rows")
c = d["cadence"]
eq(sorted(set(["threshold_s", "threshold", "gaps", "overdue_count", "compliant",
    "since_last_status_s", "since_last_status", "status_overdue"]) - set(c)), [], "cadence keys missing")
eq((c["threshold_s"], c["threshold"]), (1800, "30m"), "threshold 30m by default")
eq([sorted(g) for g in c["gaps"]], [["duration", "from", "overdue", "seconds", "to"]] * 4, "gap keys")
eq([(g["from"], g["to"], g["seconds"], g["duration"], g["overdue"]) for g in c["gaps"]],
   [("2020-06-07 01:58 PDT", "2020-06-07 02:20 PDT", 1320, "22m", False),
    ("2020-06-07 02:20 PDT", "2020-06-07 03:00 PDT", 2400, "40m", True),
    ("2020-06-07 03:00 PDT", "2020-06-07 04:10 PDT", 4200, "1h 10m", True),
    ("2020-06-07 04:10 PDT", "2020-06-07 04:40 PDT", 1800, "30m", False)], "gaps")
eq((c["overdue_count"], c["compliant"]), (2, False), "overdue_count, compliant")
eq((c["since_last_status_s"], c["since_last_status"], c["status_overdue"]), (None, None, False), "resolved: nothing since")
known = ["summary", "lead_up", "fault", "impact", "detection", "response", "recovery",
         "root_cause", "lessons_learned", "corrective_actions"]
eq(sorted(d["sections"]), sorted(known), "sections: the ten known keys")
for k in known:
    eq(sorted(set(["key", "title", "heading", "markdown", "present", "empty"]) - set(d["sections"][k])), [], "section keys of " + k)
sec = d["sections"]
eq((sec["summary"]["title"], sec["summary"]["heading"], sec["summary"]["markdown"], sec["summary"]["present"], sec["summary"]["empty"]),
   ("summary", "Summary", "The helpdesk was down for almost four hours.", True, False), "summary")
eq((sec["root_cause"]["key"], sec["root_cause"]["title"], sec["root_cause"]["heading"]), ("root_cause", "ROOT CAUSE", "Root cause"), "root_cause: title as written")
eq(sec["fault"]["markdown"], "The primary failed to upgrade.\n\nSecond paragraph of the fault.", "fault verbatim")
eq((sec["lessons_learned"]["present"], sec["lessons_learned"]["empty"]), (True, True), "lessons learned: present but empty")
eq((sec["detection"]["present"], sec["detection"]["empty"], sec["detection"]["markdown"]), (False, True, ""), "detection: missing")
eq((sec["corrective_actions"]["title"], sec["corrective_actions"]["markdown"]), ("corrective ACTIONS", "Tracked below."), "corrective_actions")
eq([x.get("key") for x in d["sections_list"]], known + [None, None], "sections_list: the known in order, then the others")
eq([(x["heading"], x["markdown"], "key" in x) for x in d["extra_sections"]],
   [("Operator notes", "Extra notes the tool does not know.\nSecond line of them.", False),
    ("Appendix B", "Second unknown.", False)], "extra_sections, in the order written, without key")
acts = d["actions"]
ak = ["incident", "n", "key", "text", "owner", "has_owner", "due", "state", "overdue", "added", "done_at"]
eq([sorted(set(ak) - set(x)) for x in acts], [[]] * 3, "action keys missing")
eq([(x["incident"], x["n"], x["text"], x["owner"], x["has_owner"], x["due"], x["state"], x["overdue"]) for x in acts],
   [("2020-06-07-database-outage", 1, "Fix the upgrade script", "Sam Lee", True, "2020-06-10", "open", True),
    ("2020-06-07-database-outage", 2, "Add replica monitoring", "", False, "2020-07-01", "open", False),
    ("2020-06-07-database-outage", 3, "Document the failover", "Kim", True, "2020-06-01", "done", False)], "actions")
eq([bool(re.fullmatch("[0-9a-f]{6}", x["key"])) for x in acts], [True] * 3, "action keys are 6 hex digits")
eq([x["added"] for x in acts], ["2020-06-20T05:00:00-07:00"] * 3, "added")
eq([x["done_at"] for x in acts], [None, None, "2020-06-20T05:00:00-07:00"], "done_at")
eq((d["has_actions"], d["open_actions"], d["overdue_actions"]), (True, 2, 1), "has_actions, open, overdue")
eq(d["generated_at"], "2020-06-20T12:00:00Z", "generated_at")
' "$LEADUP_LINE" "$INV_LINE"

# --- the store's status.cadence ------------------------------------------
git config -f .pmtool status.cadence 45m
run pmtool render "$ID"
assert_rc 0 "render, cadence 45m"
assert_eq "$(between "$OUT" "## Status-update cadence" "| From | To | Gap | |"
    printf '%s\n' "$OUT" | grep '^| 2020-06-07 [0-9:]* PDT | 2020-06-07')" \
"## Status-update cadence

A public status update is due at least every 45m.
1 gap(s) between updates exceeded it.

| 2020-06-07 01:58 PDT | 2020-06-07 02:20 PDT | 22m |  |
| 2020-06-07 02:20 PDT | 2020-06-07 03:00 PDT | 40m |  |
| 2020-06-07 03:00 PDT | 2020-06-07 04:10 PDT | 1h 10m | **overdue** |
| 2020-06-07 04:10 PDT | 2020-06-07 04:40 PDT | 30m |  |" \
    "render, cadence 45m: the 40m gap is no longer overdue"
run pmtool show "$ID" --json
pycheck "show --json, cadence 45m" '
c = d["cadence"]
eq((c["threshold_s"], c["threshold"], c["overdue_count"]), (2700, "45m", 1), "threshold and count")
eq([g["overdue"] for g in c["gaps"]], [False, False, True, False], "overdue gaps")
'
run pmtool render "$ID" --template exec-summary
assert_contains "$OUT" "| public status updates | 5 (1 gaps over 45m) |" "exec-summary, cadence 45m"
git config -f .pmtool status.cadence soon
run pmtool render "$ID"
assert_rc 1 "render, cadence = soon"
assert_eq "$OUT" "" "render, cadence = soon: no output"
assert_contains "$ERR" ".pmtool" "render, cadence = soon: the message names .pmtool"
assert_contains "$ERR" "soon" "render, cadence = soon: and the value"
run pmtool show "$ID" --json
assert_rc 1 "show --json, cadence = soon"
git checkout -q -- .pmtool
assert_eq "$(git status --porcelain)" "" "setup: .pmtool restored"

# --- the other shipped templates -----------------------------------------
run pmtool render "$ID" --template status-summary
assert_rc 0 "status-summary"
assert_eq "$OUT" "# Database outage

This incident affected: helpdesk, api.

The helpdesk was down for almost four hours.

**Resolved** — All good  
*Posted 2020-06-07 04:40 PDT*

**Update** — Still watching  
*Posted 2020-06-07 04:10 PDT*

**Monitoring** — Watching  
*Posted 2020-06-07 03:00 PDT*

**Identified** — Cause found \\| replica lag  
*Posted 2020-06-07 02:20 PDT*

**Investigating** — The platform is down due to a database issue.  
*Posted 2020-06-07 01:58 PDT*" "status-summary: updates newest first"

run pmtool render "$ID" --template exec-summary
assert_rc 0 "exec-summary"
EX=$OUT
assert_eq "$(printf '%s\n' "$EX" | sed -n '1,8p')" "# Database outage: executive summary

**SEV1, resolved.**
Started 2020-06-07 00:45 PDT, lasted 3h 45m.
Affected: helpdesk, api.

The helpdesk was down for almost four hours." "exec-summary: the opening"
assert_eq "$(between "$EX" "## Response in numbers" "## Impact")" "## Response in numbers

| | |
|---|---|
| time to detect | 25m |
| time to acknowledge | 15m |
| time to first status | 1h 13m |
| detect to status | 48m |
| longest status gap | 1h 10m |
| time to mitigate | 2h |
| time to resolve | 3h 45m |
| public status updates | 5 (2 gaps over 30m) |" "exec-summary: the numbers"
assert_eq "$(printf '%s\n' "$EX" | sed -n '/^## Impact$/,$p')" "## Impact

All customers.

## Root cause

A bug in the upgrade path.

## Follow-up

2 of the corrective actions are open, 1 overdue.

- Fix the upgrade script — Sam Lee, due 2020-06-10 (open, **overdue**)
- Add replica monitoring, due 2020-07-01 (open)
- Document the failover — Kim, due 2020-06-01 (done)" "exec-summary: impact, root cause, follow-up"

# --- a store's own templates, template files, partials ----------------------
mkdir -p templates
printf 'STORE {{id}} [{{> foot}}]\n' >templates/postmortem.mustache
printf 'FOOT {{severity}}' >templates/foot.mustache
run pmtool render "$ID"
assert_rc 0 "store template"
assert_eq "$OUT" "STORE $ID [FOOT SEV1]" "the store's templates/postmortem.mustache overrides the shipped one, with its partial"
(cd "$T" && pmtool -C "$S" render "$ID") >"$T/o" 2>&1
assert_eq "$(cat "$T/o")" "STORE $ID [FOOT SEV1]" "store template found with -C from elsewhere"
run pmtool render "$ID" --template status-summary
assert_eq "$(printf '%s\n' "$OUT" | head -1)" "# Database outage" "other shipped templates still shipped"
# A store template that is a symbolic link is not followed.
rm templates/postmortem.mustache
ln -s /etc/passwd templates/postmortem.mustache
run pmtool render "$ID"
assert_rc 0 "store template symlink"
assert_eq "$(printf '%s\n' "$OUT" | head -1)" "# Postmortem: Database outage" \
    "a symlinked store template is ignored: the shipped one is used"
assert_not_contains "$OUT" "root:" "a symlinked store template: never the target's content"
ln -s /etc/passwd templates/evil.mustache
run pmtool render "$ID" --template evil
assert_rc 1 "a symlinked store template by name"
assert_not_contains "$OUT" "root:" "a symlinked store template by name: no content"
rm -r templates

# A template file by path, relative to the current folder; its partials
# beside it, never in the current folder.
mkdir -p tpl/sub "$T/elsewhere"
printf 'MAIN {{title}} <{{> part}}>\n' >tpl/my.mustache
printf 'PART {{commander}}' >tpl/part.mustache
printf 'DECOY' >part.mustache
printf 'SUBPART' >tpl/sub/part.mustache
printf 'SECRET-CONTENT' >"$T/secret.mustache"
run pmtool render "$ID" --template tpl/my.mustache
assert_rc 0 "--template FILE"
assert_eq "$OUT" "MAIN Database outage <PART Alex Kim>" "--template FILE with a partial beside it"
cp tpl/my.mustache tpl/part.mustache "$T/elsewhere/"
printf 'ELSEWHERE {{commander}}' >"$T/elsewhere/part.mustache"
run pmtool render "$ID" --template "$T/elsewhere/my.mustache"
assert_eq "$OUT" "MAIN Database outage <ELSEWHERE Alex Kim>" \
    "--template /abs/FILE: the partial beside the template, not the current folder's"
rm part.mustache
# Partial names that would leave the folder, and a symlinked partial.
n=0
for p in "../../secret" "sub/part" "$T/secret" "..secret"; do
	n=$((n + 1))
	printf 'X[{{> %s}}]\n' "$p" >"tpl/bad$n.mustache"
	run pmtool render "$ID" --template "tpl/bad$n.mustache"
	check
	case $RC in 0|1) ;; *) fail "partial '$p': exit $RC" ;; esac
	assert_not_contains "$OUT" "SECRET-CONTENT" "partial '$p' is not followed"
	assert_not_contains "$OUT" "SUBPART" "partial '$p' is not looked up in a subfolder"
done
ln -s "$T/secret.mustache" tpl/lnk.mustache
ln -s /etc/passwd tpl/pw.mustache
printf 'L[{{> lnk}}] P[{{> pw}}]\n' >tpl/links.mustache
run pmtool render "$ID" --template tpl/links.mustache
check
case $RC in 0|1) ;; *) fail "symlinked partials: exit $RC" ;; esac
assert_not_contains "$OUT" "SECRET-CONTENT" "a symlinked partial is not followed"
assert_not_contains "$OUT" "root:" "a partial linked to /etc/passwd is not followed"
[ "$RC" -eq 0 ] && assert_eq "$OUT" "L[] P[]" "symlinked partials render as empty"
printf 'M[{{> missing}}]\n' >tpl/miss.mustache
run pmtool render "$ID" --template tpl/miss.mustache
assert_rc 0 "a missing partial"
assert_eq "$OUT" "M[]" "a missing partial is empty, as the spec says"
run pmtool render "$ID" --template nosuch
assert_rc 1 "an unknown template name"
assert_contains "$ERR" "no template 'nosuch'" "an unknown template name: the message"
assert_eq "$OUT" "" "an unknown template name: no output"
run pmtool render "$ID" --template "$T/none.mustache"
assert_rc 1 "a missing template file"
assert_contains "$ERR" "$T/none.mustache" "a missing template file: named"
rm -r tpl

# --- template errors ------------------------------------------------------------
D="$T/bad"
mkdir -p "$D"
printf 'kept\n' >"$T/keep.md"
cp "$T/keep.md" "$T/keep.copy"
# tmpl_error NAME TEXT LINE COL MESSAGE
tmpl_error() {
	printf "$2" >"$D/$1.mustache"
	run pmtool render "$ID" --template "$D/$1.mustache" -o "$T/new.md"
	assert_rc 1 "template error $1"
	assert_eq "$ERR" "pmtool: $D/$1.mustache:$3:$4: error: $5" "template error $1: FILE:LINE:COL"
	assert_eq "$OUT" "" "template error $1: no output"
	check
	[ ! -e "$T/new.md" ] || fail "template error $1: -o file created"
	run pmtool render "$ID" --template "$D/$1.mustache" -o "$T/keep.md"
	assert_file_same "$T/keep.md" "$T/keep.copy" "template error $1: an existing -o file"
	check
	[ -z "$(ls "$T" | grep pmtool-tmp)" ] || fail "template error $1: a temporary file left"
}
tmpl_error unclosed 'line one\n  {{#events}}\n{{kind}}\n' 2 3 "unclosed section 'events'"
tmpl_error mismatch 'a\nb {{#events}}x\n  {{/updates}}\n' 3 3 \
    "unexpected closing tag 'updates' (open section is 'events')"
tmpl_error nested 'a\n{{#events}}\n{{#lines}}\n{{/events}}\n' 4 1 \
    "unexpected closing tag 'events' (open section is 'lines')"
tmpl_error stray 'x {{/events}}\n' 1 3 "unexpected closing tag 'events' (no section is open)"
tmpl_error tag 'ok\nthen {{title\nmore\n' 2 6 "unclosed tag"
tmpl_error inverted '\n\n   {{^updates}}x' 3 4 "unclosed section 'updates'"
tmpl_error utf8 'é✓ {{#events}}\n' 1 4 "unclosed section 'events'"
tmpl_error crlf 'a\r\nb {{#events}}\r\n' 2 3 "unclosed section 'events'"
# An error inside a partial names the partial's file, with positions in it.
printf 'x{{> pbad}}\n' >"$D/pm.mustache"
printf 'line1\nzz {{/nope}}\n' >"$D/pbad.mustache"
run pmtool render "$ID" --template "$D/pm.mustache"
assert_rc 1 "template error in a partial"
assert_eq "$ERR" "pmtool: $D/pbad.mustache:2:4: error: unexpected closing tag 'nope' (no section is open)" \
    "template error in a partial: the partial's FILE:LINE:COL"

# --- -o and --html ----------------------------------------------------------------
run pmtool render "$ID" -o "$T/pm.md"
assert_rc 0 "-o"
assert_eq "$OUT" "" "-o: nothing on stdout"
pmtool render "$ID" >"$T/stdout.md"
check
cmp -s "$T/pm.md" "$T/stdout.md" || fail "-o: the file is what stdout gets"
run pmtool render "$ID" -o "$T/nodir/pm.md"
assert_rc 1 "-o into a missing folder"
assert_contains "$ERR" "$T/nodir/pm.md" "-o into a missing folder: named"

run pmtool render "$ID" --html -o "$T/pm.html"
assert_rc 0 "--html -o"
assert_eq "$OUT" "" "--html -o: nothing on stdout"
OUT=$(cat "$T/pm.html")
pycheck "--html" '
eq(s.startswith("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"), True, "a full page")
eq(s.endswith("</body>\n</html>"), True, "closed")
eq(re.findall("<title>(.*)</title>", s), ["Database outage"], "the title")
eq(re.findall("<h1>(.*)</h1>", s), ["Postmortem: Database outage"], "h1")
eq(re.findall("<h2>(.*)</h2>", s), ["Summary", "Metrics", "Lead-up", "Fault", "Impact",
   "Detection", "Response", "Recovery", "Root cause", "Lessons learned", "Corrective actions",
   "Operator notes", "Appendix B", "Timeline", "Status-update cadence"], "h2 in order")
eq([sorted(set(r)) for r in html_tables(s)], [[2], [3], [5], [3], [4]], "five tables, every row complete")
eq("<td>Cause found | replica lag</td>" in s, True, "a pipe in a cell stays text")
eq("<td>The platform is down due to a database issue.</td>" in s, True, "multi-line text in one cell")
eq("<p>The primary failed to upgrade.</p>\n<p>Second paragraph of the fault.</p>" in s, True, "written Markdown rendered")
eq("<td>open (<strong>overdue</strong>)</td>" in s, True, "overdue in bold")
'

# --- hostile content ---------------------------------------------------------------
H=$(pmtool new --at 2020-06-08T10:00:00Z --tz UTC --service '<b>svc</b>' \
    --commander '<img src=x onerror=alert(1)>' \
    'Evil <script>alert(1)</script> [x](javascript:alert(1))')
pmtool log "$H" note --at 2020-06-08T10:01:00Z '<script>alert(1)</script>' >/dev/null
pmtool log "$H" note --at 2020-06-08T10:02:00Z '<img src=x onerror=alert(1)>' >/dev/null
pmtool log "$H" note --at 2020-06-08T10:03:00Z '[x](javascript:alert(1))' >/dev/null
pmtool log "$H" note --at 2020-06-08T10:04:00Z 'a | b | c' >/dev/null
pmtool log "$H" status investigating --at 2020-06-08T10:05:00Z '<SCRIPT>x</SCRIPT> | <javascript:alert(2)>' >/dev/null
pmtool action add "$H" --owner 'Ann | <b>Bo</b>' \
    '<script>alert(3)</script> | [z](javascript:alert(4)) <img src=x onerror=alert(5)>' >/dev/null
cat >"incidents/$H/postmortem.md" <<'EOF'
## Summary

<script>alert(6)</script>

<img src=x onerror=alert(7)>

[click](javascript:alert(8)) [c2](JAVASCRIPT:alert(9)) <javascript:alert(10)> [b](java&#115;cript:alert(11)) ![i](javascript:alert(12)) <a href="javascript:alert(13)">a</a> <svg onload=alert(14)>

[ref]

[ref]: javascript:alert(15)

## <script>alert(16)</script> Notes

<div onclick="alert(17)">block</div>
EOF
git add -A && git commit -q -m "hostile postmortem"
run pmtool render "$H" --html
assert_rc 0 "hostile --html"
pycheck "hostile --html" '
eq(re.findall(r"(?i)<script", s), [], "no <script")
eq(re.findall(r"(?i)<[a-z][^>]*\bon[a-z]+\s*=", s), [], "no event handler attribute inside a tag")
eq(re.findall(r"(?i)(?:href|src)\s*=\s*[\"\x27]?\s*(?:javascript|vbscript)\s*:", s), [], "no javascript: link")
eq(re.findall(r"(?i)<(?:svg|div|b)\b", s), [], "no raw HTML tags")
eq(re.findall("<title>(.*)</title>", s), ["Evil &lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:alert(1))"], "the title as text")
eq("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>" in s, True, "event text shown as written")
eq("<td>&lt;img src=x onerror=alert(1)&gt;</td>" in s, True, "img text shown as written")
eq("<td>[x](javascript:alert(1))</td>" in s, True, "a link in event text stays text")
eq("<td>a | b | c</td>" in s, True, "pipes in event text stay text")
eq("<td>&lt;b&gt;svc&lt;/b&gt;</td>" in s, True, "a service shown as written")
# Header, metrics, actions, timeline; no cadence table (fewer than two
# status updates, so no gaps).
eq([sorted(set(r)) for r in html_tables(s)], [[2], [3], [5], [3]], "no table gained a column")
'
run pmtool render "$H"
assert_rc 0 "hostile Markdown"
pycheck "hostile Markdown" '
t = md_tables(s)
eq([sorted(set(len(r) for r in x)) for x in t], [[2], [3], [5], [3]], "escaped pipes add no cell")
eq(t[2][2], ["1", "&lt;script&gt;alert(3)&lt;/script&gt; \\| \\[z\\](javascript:alert(4)) &lt;img src=x onerror=alert(5)&gt;",
   "Ann \\| &lt;b&gt;Bo&lt;/b&gt;", "", "open"], "the action row")
eq(t[3][6][2], "a \\| b \\| c", "the pipe row")
rows = [l for l in s.split("\n") if l.startswith("| 2020-") or l.startswith("| 1 |") or l.startswith("# ")]
eq([l for l in rows if "<" in l], [], "no raw < from data in the title, the timeline or the actions")
'

# --- --data -------------------------------------------------------------------------
printf '{"name": "<b>A & B</b> \\"q\\" | x", "items": [1, 2.5, "three"], "nested": {"ok": true}, "n": null}\n' >"$T/d.json"
printf 'N={{name}}\nR={{{name}}}\n{{#items}}[{{.}}]{{/items}}\n{{#nested.ok}}yes{{/nested.ok}}{{^n}}nonull{{/n}}\n' >"$T/d.mustache"
cd "$T" || exit 1	# no store needed
run pmtool render --template "$T/d.mustache" --data "$T/d.json"
assert_rc 0 "--data"
assert_eq "$OUT" 'N=&lt;b&gt;A &amp; B&lt;/b&gt; &quot;q&quot; | x
R=<b>A & B</b> "q" | x
[1][2.5][three]
yesnonull' "--data: HTML escaping by default"
run pmtool render --template "$T/d.mustache" --data "$T/d.json" --escape none
assert_rc 0 "--data --escape none"
assert_eq "$(printf '%s\n' "$OUT" | head -1)" 'N=<b>A & B</b> "q" | x' "--escape none"
run pmtool render --template "$T/d.mustache" --data "$T/d.json" --escape markdown
assert_eq "$(printf '%s\n' "$OUT" | head -1)" 'N=&lt;b&gt;A &amp; B&lt;/b&gt; &quot;q&quot; \| x' "--escape markdown"
run pmtool render --template "$T/d.mustache" --data "$T/d.json" --escape bogus
assert_rc 2 "--escape bogus"
run pmtool render --template "$T/d.mustache" --data "$T/d.json" -o "$T/d.out"
assert_rc 0 "--data -o"
assert_eq "$(head -1 "$T/d.out")" 'N=&lt;b&gt;A &amp; B&lt;/b&gt; &quot;q&quot; | x' "--data -o: the file"
printf '{\n  "a": 1,\n  "b": [1, 2,\n  }\n' >"$T/broken.json"
run pmtool render --template "$T/d.mustache" --data "$T/broken.json" -o "$T/b.out"
assert_rc 1 "--data broken JSON"
assert_contains "$ERR" "pmtool: $T/broken.json:4:3: error: " "--data broken JSON: FILE:LINE:COL"
check
[ ! -e "$T/b.out" ] || fail "--data broken JSON: -o file created"
run pmtool render --data "$T/d.json"
assert_rc 2 "--data without --template"
run pmtool -C "$S" render "$ID" --template "$T/d.mustache" --data "$T/d.json"
assert_rc 2 "--data with an incident id"
cd "$S" || exit 1

# --- the project's sample incidents -------------------------------------------
run pmtool -C "$TOP" list --json
assert_rc 0 "sample incidents: list"
SAMPLES=$(printf '%s' "$OUT" | python3 -c 'import json, sys; print("\n".join(o["id"] for o in json.load(sys.stdin)))')
check
[ -n "$SAMPLES" ] || fail "sample incidents: none listed"
for sid in $SAMPLES; do
	run pmtool -C "$TOP" render "$sid"
	assert_rc 0 "sample $sid: render"
	check
	[ -f "$TOP/incidents/$sid/postmortem.md" ] || { fail "sample $sid: no postmortem.md"; continue; }
	pycheck "sample $sid" '
known = ["Summary", "Lead-up", "Fault", "Impact", "Detection", "Response", "Recovery",
         "Root cause", "Lessons learned", "Corrective actions"]
src = open(a[0], encoding="utf-8").read()
parts = re.split(r"(?m)^## +(.*?) *$", src)
written = {}
for i in range(1, len(parts), 2):
    written.setdefault(parts[i].lower(), parts[i + 1])
out_h = re.findall(r"(?m)^## (.*)$", s)
have = [h for h in known if h.lower() in written]
eq(len(have) > 0, True, "the postmortem has known sections")
eq([h for h in out_h if h in have], have, "every known heading written is rendered, in the documented order")
for h in have:
    body = re.sub(r"(?s)<!--.*?-->", "", written[h.lower()])
    first = [l for l in body.split("\n") if l.strip()]
    if first:
        eq(first[0] in s, True, "the first line of %s is rendered" % h)
' "$TOP/incidents/$sid/postmortem.md"
	run pmtool -C "$TOP" render "$sid" --html
	assert_rc 0 "sample $sid: --html"
	assert_contains "$OUT" "<h2>Summary</h2>" "sample $sid: --html summary"
done

finish
