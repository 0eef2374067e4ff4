#!/bin/sh
# run.sh - pmtool's benchmarks, each against a named reference measured in
# the same run on the same repository. Prints the figures as Markdown;
# bench/RESULTS.md records the latest. Not a test: nothing here fails on a
# slow machine.
#
# 1. pmtool log (append one event and commit it, fsynced) against the git
#    CLI doing the same (echo >> file && git add && git commit -q), with
#    1,000 and 100,000 events in the history.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
sh tests/deps.sh hyperfine git
PMTOOL="$top/pmtool"
work="$top/bench/tmp"
RUNS=${RUNS:-40}
mkdir -p "$work"
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid
export TZ=UTC

make_store() {	# N -> $work/rN
	dir="$work/r$1"
	if [ ! -d "$dir/.git" ] || [ "$(git -C "$dir" rev-list --count HEAD)" -lt "$1" ]; then
		rm -rf "$dir"
		git init -q -b main "$dir"
		git -C "$dir" config gc.auto 0
		awk -v n="$1" -f bench/genstore.awk | (cd "$dir" && LC_ALL=C git fast-import --quiet)
		git -C "$dir" reset -q --hard main
	fi
}

median() {	# hyperfine CSV -> median in ms
	awk -F, 'NR == 2 { printf "%.2f", $4 * 1000 }' "$1"
}

bench_log() {	# N
	dir="$work/r$1"
	gitfile="incidents/2023-11-14-incident-00010/timeline.txt"
	pmid="2023-11-14-incident-00011"
	hyperfine -N --warmup 3 --runs "$RUNS" --style none \
	    --export-csv "$work/pm$1.csv" \
	    "$PMTOOL -C $dir log $pmid note perf line appended by benchmark" >/dev/null
	hyperfine --warmup 3 --runs "$RUNS" --style none \
	    --export-csv "$work/git$1.csv" \
	    "cd $dir && echo '2023-11-14T00:00:00Z note perf line appended by benchmark' >> $gitfile && git add $gitfile && git commit -q -m perf" >/dev/null
	hyperfine --warmup 3 --runs "$RUNS" --style none \
	    --export-csv "$work/gitsync$1.csv" \
	    "cd $dir && echo '2023-11-14T00:00:00Z note perf line appended by benchmark' >> $gitfile && git -c core.fsync=all -c core.fsyncMethod=fsync add $gitfile && git -c core.fsync=all -c core.fsyncMethod=fsync commit -q -m perf" >/dev/null
}

make -s all
for n in 1000 100000; do
	make_store "$n"
	bench_log "$n"
done
pm1=$(median "$work/pm1000.csv");   pm2=$(median "$work/pm100000.csv")
g1=$(median "$work/git1000.csv");   g2=$(median "$work/git100000.csv")
s1=$(median "$work/gitsync1000.csv"); s2=$(median "$work/gitsync100000.csv")
echo "## pmtool log vs git add + git commit ($(date -u +%Y-%m-%d), $RUNS runs each, medians)"
echo
echo "| events in history | pmtool log (fsync on) | git add + commit -q (no fsync) | ratio pmtool/git | git with core.fsync=all | ratio |"
echo "|---:|---:|---:|---:|---:|---:|"
awk -v a="$pm1" -v b="$g1" -v c="$s1" 'BEGIN { printf "| 1,000 | %.2f ms | %.2f ms | **%.2f** | %.2f ms | %.2f |\n", a, b, a / b, c, a / c }'
awk -v a="$pm2" -v b="$g2" -v c="$s2" 'BEGIN { printf "| 100,000 | %.2f ms | %.2f ms | **%.2f** | %.2f ms | %.2f |\n", a, b, a / b, c, a / c }'
echo
awk -v a="$pm1" -v b="$pm2" 'BEGIN { printf "Flatness: pmtool at 100k / at 1k = **%.2f** (target <= 1.3). Target pmtool/git <= 0.5.\n", b / a }'

# 2. pmtool tui's first full screen against tig's, on 10,000 incidents.
echo
sh "$top/bench/tui-start.sh" 10000 5
echo; sh "$top/bench/index-export.sh" 10000 5	# 3. reindex vs cat, export vs sqlite3 (issue 5)
echo; sh "$top/bench/attrib.sh" 5000 5	# 4. attrib_fill cold and warm vs git blame
