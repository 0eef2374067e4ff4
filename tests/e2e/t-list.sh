#!/bin/sh
# t-list.sh - pmtool list with its filters (--open, --severity, --service,
# --since, --until, --search), read from the index, on a store built with
# real pmtool commands; the index kept in step with hand edits, git
# checkouts and deleted folders, rebuilt when missing or corrupt; pmtool
# reindex; bad arguments. The output of list is a contract: it must be
# what list printed before it had an index.
. "$(dirname "$0")/lib.sh"

S="$T/store"
new_store "$S"
cd "$S" || exit 1
export PMTOOL_TEST_TIME=2024-03-01T12:00:00Z
IX=.git/pmtool/index.sqlite

# lists ARGS... - run pmtool list ARGS; $IDS: the first word of each line
# of its output, one space apart ("" for "no incidents match").
lists() {
	run pmtool list "$@"
	IDS=$(printf '%s\n' "$OUT" | grep -vx 'no incidents match' |
	    awk '{ print $1 }' | tr '\n' ' ' | sed 's/ $//')
}
# filter EXPECTED-IDS WHAT ARGS... - list ARGS succeeds, quietly, with
# exactly these ids in this order.
filter() {
	want=$1 what=$2
	shift 2
	lists "$@"
	assert_rc 0 "$what"
	assert_eq "$IDS" "$want" "$what: the ids"
	assert_eq "$ERR" "" "$what: nothing on stderr"
}
# no_index CMD... - run CMD with an index that cannot be opened at all
# (.git/pmtool is a file), as with a read-only .git; root ignores modes.
no_index() {
	mv .git/pmtool "$T/pmtool.saved"
	: >.git/pmtool
	run "$@"
	rm .git/pmtool
	mv "$T/pmtool.saved" .git/pmtool
}

# --- the store ---------------------------------------------------------------
OLD=$(pmtool new --at 2023-12-31T23:59:59Z --tz UTC --severity SEV3 \
    Year end glitch)
pmtool log "$OLD" status resolved --at 2024-01-01T00:30:00Z All good >/dev/null
DB=$(pmtool new --at 2024-01-10T10:00:00Z --tz UTC --severity SEV1 \
    --service db --service api Database failover)
pmtool log "$DB" detected --at 2024-01-10T10:05:00Z replica lag on the primary \
    >/dev/null
REV1=$(git rev-parse HEAD)
pmtool log "$DB" resolved --at 2024-01-10T12:00:00Z Failover done >/dev/null
# Its start is 2024-02-06 in UTC, the day --since and --until count in.
PX=$(pmtool new --at 2024-02-05T23:30:00-05:00 --tz America/New_York \
    --severity sev2 --service dbproxy Proxy timeouts)
pmtool log "$PX" note --at 2024-02-06T05:00:00Z foo-bar deployment rolled back \
    >/dev/null
PU=$(pmtool new --at 2024-02-15T12:00:00+01:00 --tz Europe/Berlin \
    --severity SEV2 --service Zahlungsdienst --service api Ölpumpe ausgefallen)
pmtool log "$PU" note --at 2024-02-15T12:10:00+01:00 naïve façade, Straße gesperrt \
    >/dev/null
pmtool action add "$PU" --owner Zoë --due 2024-02-20 Fix the pump >/dev/null
EM=$(pmtool new --tz UTC Nothing logged yet)
assert_eq "$OLD $DB $PX $EM" "2023-12-31-year-end-glitch 2024-01-10-database-failover 2024-02-05-proxy-timeouts 2024-03-01-nothing-logged-yet" \
    "setup: the ids"
NCOMMITS=$(commit_count "$S")
ALL="$EM $PU $PX $DB $OLD"

# --- no filter: what list printed before the index ---------------------------
check; [ ! -e "$IX" ] || fail "no index before the first list"
filter "$ALL" "list: open first, no start first, then the latest start"
check; [ -s "$IX" ] || fail "list made the index"
TEXT=$OUT
run pmtool list --json
assert_rc 0 "list --json"
JSON=$OUT
printf '%s' "$JSON" >"$T/all.json"
pycheck "list --json" '
keys = ["id", "title", "severity", "services", "started", "state", "events", "last_status", "excluded"]
for o in d:
    eq(list(o), keys, "keys of %s, in order" % o.get("id"))
eq(" ".join(o["id"] for o in d), a[0], "ids in the order of the text")
by = {o["id"]: o for o in d}
p = by[a[1]]
eq((p["title"], p["severity"], p["services"], p["started"], p["state"], p["events"], p["last_status"]),
   ("Proxy timeouts", "sev2", ["dbproxy"], "2024-02-05T23:30:00-05:00", "open", 2, None), "the proxy row")
u = by[a[2]]
eq((u["title"], u["services"], u["started"]), ("\u00d6lpumpe ausgefallen", ["Zahlungsdienst", "api"], "2024-02-15T12:00:00+01:00"), "the pump row")
e = by[a[3]]
eq((e["started"], e["events"], e["state"], e["severity"]), (None, 0, "open", ""), "no events")
eq(by[a[4]]["state"], "resolved", "a resolved event resolves")
' "$ALL" "$PX" "$PU" "$EM" "$DB"
# The same bytes as reading every file, the way list worked before it
# had an index (and still does when the index cannot be opened).
no_index pmtool list --json
assert_rc 0 "list --json without an index"
assert_eq "$OUT" "$JSON" "list --json: the same with and without the index"
assert_eq "$ERR" "" "list --json without an index: silent"
no_index pmtool list
assert_rc 0 "list without an index"
assert_eq "$OUT" "$TEXT" "list: the same with and without the index"
assert_eq "$TEXT" \
"2024-03-01-nothing-logged-yet  open     -      -                      Nothing logged yet
2024-02-15-lpumpe-ausgefallen  open     SEV2   2024-02-15 12:00 CET   Ölpumpe ausgefallen
2024-02-05-proxy-timeouts      open     sev2   2024-02-05 23:30 EST   Proxy timeouts
2024-01-10-database-failover   resolved SEV1   2024-01-10 10:00 UTC   Database failover
2023-12-31-year-end-glitch     resolved SEV3   2023-12-31 23:59 UTC   Year end glitch" \
    "list text: the table, starts in each incident's zone"

# --- each filter alone -------------------------------------------------------------
filter "$EM $PU $PX" "--open" --open
filter "$DB" "--severity sev1 (case ignored)" --severity sev1
filter "$PU $PX" "--severity SEV2 (matches sev2)" --severity SEV2
filter "" "--severity SEV" --severity SEV
filter "$DB" "--service db is not dbproxy" --service db
filter "$PX" "--service dbproxy" --service dbproxy
filter "$PU $DB" "--service API: one of several, case ignored" --service API
filter "$PU" "--service zahlungsdienst" --service zahlungsdienst
filter "" "--service proxy: no substring" --service proxy
filter "$PU $PX" "--since a day, in UTC" --since 2024-02-06
filter "$PU" "--since the next day" --since 2024-02-07
filter "$PU $PX $DB" "--since leaves out no start and 23:59:59 the day before" \
    --since 2024-01-01
filter "$DB $OLD" "--until a day, in UTC" --until 2024-02-05
filter "$PX $DB $OLD" "--until includes the whole day" --until 2024-02-06
filter "$OLD" "--until includes the last second of the day" --until 2023-12-31
filter "$PU $PX $DB" "--since an instant includes it" --since 2024-01-10T10:00:00Z
filter "$PU $PX" "--since a second later" --since 2024-01-10T10:00:01Z
filter "$DB $OLD" "--until an instant includes it" --until 2024-01-10T11:00:00+01:00
filter "$OLD" "--until a second earlier" --until 2024-01-10T09:59:59Z
filter "$DB" "--search a title word" --search failover
filter "$DB" "--search words of an event's text" --search "REPLICA lag"
filter "$PX" "--search title and text together" --search "timeouts rolled"
filter "" "--search every word must be found" --search "replica proxy"
filter "" "--search whole words" --search repl
filter "$PX" "--search foo-bar" --search foo-bar
filter "$PU" "--search without diacritics" --search "naive facade"
filter "$PU" "--search non-ASCII" --search "ölpumpe straße"
filter "$PU" "--search non-ASCII, upper case" --search ÖLPUMPE
filter "" "--search a lone quote" --search '"'
assert_eq "$OUT" "no incidents match" "nothing matched: says so"
filter "$DB" "--search a quoted word" --search '"failover"'
filter "" "--search OR is a word, not an operator" --search 'failover OR glitch'
filter "" "--search a star is no prefix" --search 'fail*'
filter "$DB" "--search=TEXT" --search=failover

# --- filters combined -----------------------------------------------------------
filter "$PU $PX" "--open --severity sev2" --open --severity sev2
filter "$PU" "--open --severity sev2 --since" --open --severity sev2 \
    --since 2024-02-10
filter "$PX" "--open --severity sev2 --until" --open --until 2024-02-10 \
    --severity sev2
filter "$PU" "--open --service api" --open --service api
filter "" "--open --service db" --open --service db
filter "$DB" "every filter at once" --severity SEV1 --service API \
    --since 2024-01-10 --until 2024-01-10 --search replica
filter "" "--since after --until" --since 2024-02-10 --until 2024-02-01
filter "$PX" "--search with --until" --search deployment --until 2024-02-06

# --json with filters: the same objects as without, in the same order.
for args in "--open" "--severity sev2" "--service api" "--since 2024-02-06" \
    "--until 2024-01-31" "--search replica" "--open --service api --search naive"; do
	# shellcheck disable=SC2086
	run pmtool list $args --json
	assert_rc 0 "list $args --json"
	pycheck "list $args --json" '
with open(a[0], encoding="utf-8") as f:
    full = json.load(f)
eq(type(d), list, "an array")
ids = [o["id"] for o in full]
eq([o["id"] for o in d], [i for i in ids if i in [o["id"] for o in d]], "the order of the full list")
for o in d:
    eq(o, full[ids.index(o["id"])], "the object of %s unchanged" % o["id"])
' "$T/all.json"
done
run pmtool list --open --service db --json
assert_eq "$OUT" "[]" "--json with nothing matched: []"
run pmtool list --severity SEV2 --json
pycheck "--severity SEV2 --json" 'eq([o["id"] for o in d], a, "ids")' "$PU" "$PX"

# Reading changes nothing.
assert_eq "$(git status --porcelain)" "" "list leaves git status clean"
assert_eq "$(commit_count "$S")" "$NCOMMITS" "list makes no commits"

# --- the index follows the files -------------------------------------------------
# An appended line: found at once.
F="incidents/$PX/timeline.txt"
printf '2024-02-06T06:00:00Z note quokka sighted near the proxy\n' >>"$F"
filter "$PX" "hand-appended text is found at once" --search quokka
# The same size, the same second: a severity changed in place.
sed -i 's/^severity: sev2$/severity: SEV1/' "$F"
filter "$PX $DB" "an in-place header edit is seen" --severity sev1
# In place: the same size, the same inode, likely the same second.
off=$(grep -bo quokka "$F" | cut -d: -f1)
printf wombat | dd of="$F" bs=1 seek="$off" conv=notrunc 2>/dev/null
filter "" "the old word is gone" --search quokka
filter "$PX" "the new word is there" --search wombat
git checkout -q -- "$F"
filter "" "checked-out file: the edit is gone" --search wombat
filter "$PU $PX" "checked-out file: its severity back" --severity sev2

# An older commit: list shows the files of then.
BRANCH=$(git symbolic-ref --short HEAD)
git checkout -q "$REV1"
filter "$DB $OLD" "older commit: only the incidents of then"
filter "$DB" "older commit: not resolved then" --open
filter "" "older commit: later text not found" --search foo-bar
git checkout -q "$BRANCH"
filter "$ALL" "back to the branch: all of them"
filter "$EM $PU $PX" "back to the branch: --open" --open

# A deleted folder disappears; restored, it is back.
rm -rf "incidents/$OLD"
filter "$EM $PU $PX $DB" "a deleted incident folder is not listed"
filter "" "a deleted incident folder is not found" --severity SEV3
git checkout -q -- "incidents/$OLD"
filter "$OLD" "a restored folder is back" --severity SEV3

# --- a missing or corrupt index is rebuilt silently -----------------------------
rm -f "$IX" "$IX-wal" "$IX-shm"
filter "$ALL" "no index file: rebuilt"
assert_eq "$OUT" "$TEXT" "no index file: the same output"
check; [ -s "$IX" ] || fail "the index file is back"
rm -rf .git/pmtool
run pmtool list --json
assert_rc 0 "no index folder"
assert_eq "$OUT" "$JSON" "no index folder: the same JSON"
assert_eq "$ERR" "" "no index folder: silent"
printf 'this is not an sqlite database, only garbage in its place\n' >"$IX"
filter "$PU $PX" "garbage index: rebuilt" --open --since 2024-02-01
filter "$ALL" "garbage index: all of them"
assert_eq "$OUT" "$TEXT" "garbage index: the same output"
head -c 100 /dev/urandom >"$IX"
filter "$DB" "random bytes as index: rebuilt" --search failover
: >"$IX"
filter "$DB" "empty index file: rebuilt" --search failover
# Damage deep inside a valid file (its first page intact): seen only when
# a page is read, then the index is made anew.
pmtool reindex >/dev/null
for page in 2 3 4 5 6 7 8 9; do
	rm -f "$IX-wal" "$IX-shm"
	cp "$IX" "$T/ix.good"
	dd if=/dev/urandom of="$IX" bs=4096 seek=$page count=1 conv=notrunc \
	    2>/dev/null
	filter "$DB" "page $page damaged: rebuilt" --search failover
	filter "$ALL" "page $page damaged: all of them"
	cp "$T/ix.good" "$IX"
done

# --- a broken file: reported, the others still listed -----------------------------
cp "$F" "$T/px.good"
printf '2024-02-06T25:00:00Z note bad hour\n' >>"$F"
N=$(wc -l <"$F")
lists --open
assert_rc 1 "a broken timeline: exit 1"
assert_eq "$IDS" "$EM $PU" "a broken timeline: the others listed"
assert_contains "$ERR" "pmtool: $F:$N:1: error:" "a broken timeline: named"
lists
assert_rc 1 "a broken timeline, no filter: exit 1"
assert_eq "$IDS" "$EM $PU $DB $OLD" "a broken timeline, no filter: the others"
assert_eq "$(printf '%s\n' "$ERR" | grep -c "$F")" 1 "reported once"
cp "$T/px.good" "$F"
filter "$EM $PU $PX" "mended: back" --open

# --- reindex -----------------------------------------------------------------------
run pmtool reindex
assert_rc 0 "reindex"
assert_eq "$OUT" "indexed 5 incidents" "reindex: the count"
assert_eq "$ERR" "" "reindex: nothing on stderr"
filter "$ALL" "after reindex: the same"
rm -rf .git/pmtool
run pmtool reindex
assert_rc 0 "reindex with no index"
assert_eq "$OUT" "indexed 5 incidents" "reindex with no index: the count"
check; [ -s "$IX" ] || fail "reindex made the index"
printf 'garbage\n' >"$IX"
run pmtool reindex
assert_rc 0 "reindex of a garbage file"
assert_eq "$OUT" "indexed 5 incidents" "reindex of a garbage file: the count"
printf '2024-02-06T25:00:00Z note bad hour\n' >>"$F"
run pmtool reindex
assert_rc 1 "reindex with a broken timeline: exit 1"
assert_eq "$OUT" "indexed 4 incidents" "reindex with a broken timeline: the rest"
assert_contains "$ERR" "pmtool: $F:$N:1: error:" "reindex: names the broken file"
cp "$T/px.good" "$F"
E2="$T/empty"
new_store "$E2"
run pmtool -C "$E2" reindex
assert_rc 0 "reindex of an empty store"
assert_eq "$OUT" "indexed 0 incidents" "reindex of an empty store: 0"
run pmtool -C "$E2" list --open
assert_rc 0 "list --open, empty store"
assert_eq "$OUT" "no incidents match" "list --open, empty store"
run pmtool reindex --help
assert_rc 0 "reindex --help"
assert_contains "$OUT" "usage: pmtool [-C DIR] reindex" "reindex --help: usage"
no_index pmtool reindex
assert_rc 1 "reindex with an index that cannot be opened"
assert_contains "$ERR" "index.sqlite" "reindex: names the index"

# --- an index that cannot be used at all -------------------------------------
no_index pmtool list --open
assert_rc 1 "filters without a usable index: exit 1"
assert_eq "$OUT" "" "filters without a usable index: no output"
assert_contains "$ERR" "the filters need the index" \
    "filters without a usable index: says so"

# --- bad arguments -------------------------------------------------------------
# refused NEEDLE WHAT ARGS... - list ARGS is a usage error naming NEEDLE.
refused() {
	needle=$1 what=$2
	shift 2
	run pmtool list "$@"
	assert_rc 2 "$what"
	assert_eq "$OUT" "" "$what: nothing on stdout"
	assert_contains "$ERR" "$needle" "$what: the message"
	assert_contains "$ERR" "usage: pmtool list [--open]" "$what: the usage"
}
refused "--since: 'yesterday' is not a date" "a bad --since" --since yesterday
refused "--until: '2024-02-30' is not a date" "no such day" --until 2024-02-30
refused "--until: '2024-02-01T10:00:00' is not a date" "no offset" \
    --until 2024-02-01T10:00:00
refused "--since needs a value" "--since without a value" --since
refused "--search needs a value" "--search without a value" --open --search
refused "--search needs a value" "--search blank" --search "  "
refused "--severity needs a value" "--severity empty" --severity ""
refused "--service needs a value" "--service empty" --service ""
refused "unknown option '--verbose'" "an unknown option" --verbose
refused "unknown option '--se'" "an ambiguous abbreviation" --se x
refused "no arguments expected" "an argument" "$DB"
run pmtool reindex now
assert_rc 2 "reindex with an argument"
assert_contains "$ERR" "usage: pmtool reindex" "reindex with an argument: usage"
run pmtool reindex --force
assert_rc 2 "reindex with an option"
assert_contains "$ERR" "unknown option '--force'" "reindex --force: named"

assert_eq "$(git status --porcelain)" "" "git status clean at the end"
assert_eq "$(commit_count "$S")" "$NCOMMITS" "no commits by list or reindex"
finish
