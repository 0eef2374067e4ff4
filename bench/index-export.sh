#!/bin/sh
# index-export.sh - issue 5's benchmark, on a store of N incidents of 100
# events each (one commit, bench/genwide.awk, cached in bench/tmp/):
#
# (a) cold index build: `pmtool reindex` with no index file (deleted
#     before every run), against `cat` reading every timeline. Target <= 3x.
# (b) warm `pmtool export --format json --quarter 2024Q2` (index built and
#     current), against the sqlite3 command-line tool computing the same
#     figures from the same index. Target <= 3x.
#
# Both references run in the same invocation, on the same store, with the
# page cache warm for both. Prints a Markdown table; bench/RESULTS.md
# records the latest figures. Not a test: nothing fails on a slow machine.
# Usage: sh bench/index-export.sh [N] [RUNS]   (defaults 10000 5; export
# and its reference get 4 x RUNS runs: each takes well under a second)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-10000}
RUNS=${2:-5}
EVENTS=100
QUARTER=2024Q2
Q_FROM=1711929600	# 2024-04-01T00:00:00Z
Q_TO=1719792000		# 2024-07-01T00:00:00Z
sh "$top/tests/deps.sh" hyperfine git sqlite3
PMTOOL="$top/pmtool"
work="$top/bench/tmp"
store="$work/wide$N"
db="$store/.git/pmtool/index.sqlite"
mkdir -p "$work"
export TZ=UTC
make -s -C "$top" all

# The store: `pmtool init`, then one fast-import commit adding the N
# timelines, checked out. Made once; the .ok stamp marks a complete one.
if [ ! -f "$store.ok" ]; then
	rm -rf "$store" "$store.ok"
	"$PMTOOL" init "$store" >/dev/null
	git -C "$store" config gc.auto 0
	branch=$(git -C "$store" symbolic-ref HEAD)
	parent=$(git -C "$store" rev-parse HEAD)
	awk -v n="$N" -v ev="$EVENTS" -v branch="$branch" -v parent="$parent" \
	    -f "$top/bench/genwide.awk" |
	    (cd "$store" && LC_ALL=C git fast-import --quiet)
	git -C "$store" reset -q --hard
	# Sanity: one incident parses, and the list works.
	one=$(ls "$store/incidents" | sed -n 2p)
	"$PMTOOL" -C "$store" show "$one" >/dev/null
	"$PMTOOL" -C "$store" list --json | head -c 300 | grep -q '"id"'
	[ "$(ls "$store/incidents" | wc -l)" -eq "$N" ]
	touch "$store.ok"
fi

# (b)'s reference: the figures of `export --format json`, from the index,
# as JSON. Nearest-rank percentiles: the value at rank ceil(p * n / 100)
# of the n sorted values, as core/stats.c. The status cadence is the
# store's default, 30m.
sql="$work/export-$QUARTER.sql"
cat >"$sql" <<EOF
.mode json
-- The quarter's incidents [$Q_FROM, $Q_TO), one row each: the incident's
-- columns, its metrics (one metrics row per key) pivoted into columns,
-- its action counts, and whether it kept to the status cadence.
CREATE TEMP TABLE q AS
SELECT i.id, i.title, i.severity, i.services, i.state,
    strftime('%Y-%m-%dT%H:%M:%SZ', i.start_utc, 'unixepoch') AS start,
    strftime('%Y-%m-%dT%H:%M:%SZ', i.started_utc, 'unixepoch') AS started,
    strftime('%Y-%m-%dT%H:%M:%SZ', i.detected_utc, 'unixepoch') AS detected,
    strftime('%Y-%m-%dT%H:%M:%SZ', i.resolved_utc, 'unixepoch') AS resolved,
    max(CASE m.key WHEN 'time_to_detect_s' THEN m.seconds END) AS time_to_detect_s,
    max(CASE m.key WHEN 'time_to_acknowledge_s' THEN m.seconds END) AS time_to_acknowledge_s,
    max(CASE m.key WHEN 'time_to_first_status_s' THEN m.seconds END) AS time_to_first_status_s,
    max(CASE m.key WHEN 'detect_to_status_s' THEN m.seconds END) AS detect_to_status_s,
    max(CASE m.key WHEN 'max_status_gap_s' THEN m.seconds END) AS max_status_gap_s,
    max(CASE m.key WHEN 'time_to_mitigate_s' THEN m.seconds END) AS time_to_mitigate_s,
    max(CASE m.key WHEN 'time_to_resolve_s' THEN m.seconds END) AS time_to_resolve_s,
    max(CASE m.key WHEN 'status_updates' THEN m.seconds END) AS status_updates,
    (SELECT count(*) FROM actions a
        WHERE a.incident_id = i.id AND a.done = 0) AS open_actions,
    (SELECT count(*) FROM actions a
        WHERE a.incident_id = i.id AND a.done = 0
        AND a.due < date('now')) AS overdue_actions,
    i.start_utc
FROM incidents i JOIN metrics m ON m.incident_id = i.id
WHERE i.start_utc >= $Q_FROM AND i.start_utc < $Q_TO
GROUP BY i.id;
SELECT *, status_updates >= 1 AND coalesce(max_status_gap_s <= 1800, 1)
    AS status_compliant
FROM q ORDER BY start_utc, id;

-- Totals over the quarter.
SELECT count(*) AS incidents, sum(state = 'open') AS open,
    sum(state = 'resolved') AS resolved,
    sum(status_updates >= 1 AND coalesce(max_status_gap_s <= 1800, 1))
        AS status_compliant,
    sum(open_actions) AS open_actions, sum(overdue_actions) AS overdue_actions
FROM q;

-- Per metric key: count, median, p90 (nearest rank), mean (rounded) and
-- max of the values that are not null, over the quarter's incidents.
WITH v AS (
    SELECT m.key, m.seconds AS s,
        row_number() OVER (PARTITION BY m.key ORDER BY m.seconds) AS rank,
        count(*) OVER (PARTITION BY m.key) AS n
    FROM metrics m JOIN q ON q.id = m.incident_id
    WHERE m.seconds IS NOT NULL
)
SELECT key, n AS count,
    max(CASE WHEN rank = (50 * n + 99) / 100 THEN s END) AS median,
    max(CASE WHEN rank = (90 * n + 99) / 100 THEN s END) AS p90,
    CAST(round(avg(s)) AS INTEGER) AS mean,
    max(s) AS max
FROM v GROUP BY key ORDER BY key;
EOF

csv_median() {	# hyperfine CSV -> median in ms
	awk -F, 'NR == 2 { printf "%.1f", $4 * 1000 }' "$1"
}

# (a) Cold build: no index file (deleted before each run), page cache
# warm. The reference reads the same bytes: one cat of every timeline
# (find batches the names instead when the glob is too long for exec).
hyperfine --warmup 1 --runs "$RUNS" --style none \
    --prepare "rm -f $db $db-wal $db-shm $db-journal" \
    --export-csv "$work/reindex$N.csv" \
    "$PMTOOL -C $store reindex" >/dev/null
if cat "$store"/incidents/*/timeline.txt >/dev/null 2>&1; then
	ref="cat $store/incidents/*/timeline.txt >/dev/null"
else
	ref="find $store/incidents -name timeline.txt -exec cat {} + >/dev/null"
fi
hyperfine --warmup 2 --runs "$RUNS" --style none \
    --export-csv "$work/cat$N.csv" "$ref" >/dev/null

# (b) Warm export: the index exists and is current (export still checks
# every timeline's stat, as every command does).
"$PMTOOL" -C "$store" export --format json --quarter $QUARTER >"$work/export-$QUARTER.json"
sqlite3 "$db" ".read $sql" >"$work/export-$QUARTER.sqlite.json"
# Both list the same incidents (every figure was compared once by hand:
# equal; see bench/RESULTS.md).
nq=$(grep -c '"status_compliant": \(true\|false\)' "$work/export-$QUARTER.json" || true)
[ "$nq" -eq "$(grep -o '"start_utc":' "$work/export-$QUARTER.sqlite.json" | wc -l)" ] || {
	echo "index-export.sh: pmtool and sqlite3 disagree on the quarter's incidents" >&2
	exit 1
}
hyperfine -N --warmup 3 --runs $((4 * RUNS)) --style none \
    --export-csv "$work/export$N.csv" \
    "$PMTOOL -C $store export --format json --quarter $QUARTER" >/dev/null
hyperfine -N --warmup 3 --runs $((4 * RUNS)) --style none \
    --export-csv "$work/sqlite$N.csv" \
    "sqlite3 $db '.read $sql'" >/dev/null

ra=$(csv_median "$work/reindex$N.csv"); ca=$(csv_median "$work/cat$N.csv")
eb=$(csv_median "$work/export$N.csv"); sb=$(csv_median "$work/sqlite$N.csv")
echo "## Index build and export: $N incidents x $EVENTS events ($(date -u +%Y-%m-%d), medians)"
echo
echo "| operation | pmtool | reference | reference time | ratio | target |"
echo "|---|---:|---|---:|---:|---:|"
awk -v a="$ra" -v b="$ca" -v r="$RUNS" 'BEGIN { printf "| (a) cold index build, %d runs | `reindex` %.1f ms | `cat` of every timeline | %.1f ms | **%.2f** | <= 3 |\n", r, a, b, a / b }'
awk -v a="$eb" -v b="$sb" -v r=$((4 * RUNS)) -v q="$QUARTER" -v nq="$nq" 'BEGIN { printf "| (b) warm `export --format json --quarter %s` (%d incidents), %d runs | %.1f ms | `sqlite3` same figures from the index | %.1f ms | **%.2f** | <= 3 |\n", q, nq, r, a, b, a / b }'
echo
mb=$(find "$store/incidents" -name timeline.txt -printf '%s\n' |
    awk '{ s += $1 } END { printf "%.0f", s / 1048576 }')
echo "Store: $mb MiB of timelines; index $(du -m "$db" | cut -f1) MiB."
