#!/bin/sh
# attrib.sh - who logged each line (core/attrib.c) on a long history: one
# incident's timeline appended to by N commits (five authors in turn, a
# side branch merged every 50 commits, a second incident touched every
# 10: bench/genattrib.awk, cached in bench/tmp/), against
# `git blame --porcelain` of the same file, measured in the same run:
#
# (a) cold: attrib_fill() with no cache file (deleted before every run),
#     which walks the whole history. Target: no slower than git blame.
# (b) warm: the cache current (what `pmtool show` pays on every call).
#     Target: a small fraction of git blame, and flat in N.
# (c) the cache one commit behind.
# (d) cold on a wide store (W events, 50 an incident; W=20000).
#
# Each run is one process of bench/attrib-bench (open the store, load the
# incident, attrib_fill(): what pmtool show adds), against one git blame
# process. Before timing, every line's attribution is compared with git
# blame's; any difference fails the script. Prints a Markdown table;
# bench/RESULTS.md records the latest figures. Not a test: nothing fails
# on a slow machine.
# Usage: sh bench/attrib.sh [N] [RUNS]   (defaults 5000 5; warm gets
# 4 x RUNS runs)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-5000}
RUNS=${2:-5}
sh "$top/tests/deps.sh" hyperfine git
BENCH="$top/bench/attrib-bench"
work="$top/bench/tmp"
store="$work/attrib$N"
id=2023-11-14-long-incident
file="incidents/$id/timeline.txt"
cache="$store/.git/pmtool/attrib.sqlite"
mkdir -p "$work"
export TZ=UTC
make -s -C "$top" all bench/attrib-bench

if [ ! -f "$store.ok" ]; then
	rm -rf "$store" "$store.ok"
	git init -q -b main "$store"
	git -C "$store" config gc.auto 0
	awk -v n="$N" -f "$top/bench/genattrib.awk" |
	    (cd "$store" && LC_ALL=C git fast-import --quiet)
	git -C "$store" reset -q --hard main
	touch "$store.ok"
fi

# The same answer as git blame, line by line (the line of each event, of
# each withdrawn event and of each correction).
git -C "$store" blame --porcelain -- "$file" | awk '
length($1) == 40 && $1 ~ /^[0-9a-f]+$/ && NF >= 3 { sha = $1; L[$3] = sha; next }
/^author / { A[sha] = substr($0, 8); next }
/^author-time / { T[sha] = $2; next }
END { for (l in L) printf "%d\t%s\t%s\n", l, A[L[l]], T[L[l]] }' >"$work/attrib-blame$N.txt"
"$BENCH" -c -p "$store" "$id" >"$work/attrib-pm$N.txt"
check=$(awk -F'\t' 'NR == FNR { a[$1] = $2 "\t" $3; next }
    { n++; if (!($1 in a) || a[$1] != $2 "\t" $3) bad++ }
    END { printf "%d %d", n, bad }' "$work/attrib-blame$N.txt" "$work/attrib-pm$N.txt")
lines=${check% *}
bad=${check#* }
if [ "$bad" -ne 0 ] || [ "$lines" -eq 0 ]; then
	echo "attrib.sh: $bad of $lines lines differ from git blame" >&2
	exit 1
fi

hyperfine -N --warmup 1 --runs "$RUNS" --style none \
    --export-csv "$work/attrib-blame$N.csv" \
    "git -C $store blame --porcelain -- $file" >/dev/null
hyperfine -N --warmup 1 --runs "$RUNS" --style none \
    --export-csv "$work/attrib-cold$N.csv" \
    "$BENCH -c $store $id" >/dev/null
"$BENCH" "$store" "$id"		# the cache current
hyperfine -N --warmup 3 --runs $((4 * RUNS)) --style none \
    --export-csv "$work/attrib-warm$N.csv" \
    "$BENCH $store $id" >/dev/null
# One commit more: the incremental walk (the cache one commit behind).
# HEAD made again (the same tree and author, a new committer time): one
# new commit, the cache's watermark its parent's sibling.
cat >"$work/attrib-recommit.sh" <<EOF
git -C $store reset -q --soft HEAD~1 &&
git -C $store -c user.name=b -c user.email=b@example.invalid commit -q -C ORIG_HEAD
EOF
hyperfine -N --warmup 1 --runs "$RUNS" --style none \
    --prepare "sh $work/attrib-recommit.sh" \
    --export-csv "$work/attrib-incr$N.csv" \
    "$BENCH $store $id" >/dev/null

# (d) A wide store: bench/genstore.awk's history of W events, one commit
# each, 50 per incident (W / 50 incidents). A cold walk records every
# incident's lines at once (what the cache then serves for all of them),
# against git blame of one of them.
W=${W:-20000}
wide="$work/attrib-wide$W"
wid=$(printf '2023-11-14-incident-%05d' $((W / 100)))
if [ ! -f "$wide.ok" ]; then
	rm -rf "$wide"
	git init -q -b main "$wide"
	git -C "$wide" config gc.auto 0
	awk -v n="$W" -f "$top/bench/genstore.awk" |
	    (cd "$wide" && LC_ALL=C git fast-import --quiet)
	git -C "$wide" reset -q --hard main
	touch "$wide.ok"
fi
hyperfine -N --warmup 1 --runs "$RUNS" --style none \
    --export-csv "$work/attrib-wblame$W.csv" \
    "git -C $wide blame --porcelain -- incidents/$wid/timeline.txt" >/dev/null
hyperfine -N --warmup 1 --runs "$RUNS" --style none \
    --export-csv "$work/attrib-wcold$W.csv" \
    "$BENCH -c $wide $wid" >/dev/null

csv_median() {	# hyperfine CSV -> median in ms
	awk -F, 'NR == 2 { printf "%.1f", $4 * 1000 }' "$1"
}
b=$(csv_median "$work/attrib-blame$N.csv")
c=$(csv_median "$work/attrib-cold$N.csv")
w=$(csv_median "$work/attrib-warm$N.csv")
i=$(csv_median "$work/attrib-incr$N.csv")
wb=$(csv_median "$work/attrib-wblame$W.csv")
wc=$(csv_median "$work/attrib-wcold$W.csv")
commits=$(git -C "$store" rev-list --count HEAD)
echo "## Attribution of a long timeline: $commits commits, $lines lines ($(date -u +%Y-%m-%d), medians)"
echo
echo "| operation | attrib-bench | \`git blame --porcelain\` | ratio | target |"
echo "|---|---:|---:|---:|---:|"
awk -v a="$c" -v b="$b" -v r="$RUNS" 'BEGIN { printf "| (a) cold: no cache, the whole history walked, %d runs | %.1f ms | %.1f ms | **%.2f** | <= 1 |\n", r, a, b, a / b }'
awk -v a="$w" -v b="$b" -v r=$((4 * RUNS)) 'BEGIN { printf "| (b) warm: the cache current, %d runs | %.1f ms | %.1f ms | **%.3f** | small |\n", r, a, b, a / b }'
awk -v a="$i" -v b="$b" -v r="$RUNS" 'BEGIN { printf "| (c) the cache one commit behind, %d runs | %.1f ms | %.1f ms | **%.3f** | small |\n", r, a, b, a / b }'
awk -v a="$wc" -v b="$wb" -v r="$RUNS" -v w="$W" 'BEGIN { printf "| (d) cold, %d commits of %d incidents (all recorded), %d runs | %.1f ms | %.1f ms | **%.2f** | - |\n", w, w / 50, r, a, b, a / b }'
echo
echo "Every one of the $lines lines attributed as git blame does."
