#!/bin/sh
# tui-start.sh - start-up to the first full screen: pmtool tui's incident
# list against tig on the same repository (a store of N incidents, one
# commit), each run in a fresh tmux pane; the time is from starting the
# pane to the first capture that shows the program's full screen.
# Usage: sh bench/tui-start.sh [N] [RUNS]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-10000}
RUNS=${2:-10}
sh "$top/tests/deps.sh" tmux tig
store="$top/bench/tmp/tui$N"
if [ ! -d "$store/.git" ]; then
	"$top/pmtool" init "$store" >/dev/null
	i=0
	while [ $i -lt "$N" ]; do
		d=$(printf '%s/incidents/2024-01-01-incident-%05d' "$store" $i)
		mkdir -p "$d"
		printf 'pmtool-incident 1\ntitle: Incident %d\nseverity: SEV%d\nzone: UTC\n\n2024-01-01T00:00:00Z started\n2024-01-01T00:05:00Z detected alert\n2024-01-01T00:10:00Z status investigating looking\n2024-01-01T01:00:00Z resolved\n' \
		    $i $((i % 4 + 1)) >"$d/timeline.txt"
		i=$((i + 1))
	done
	git -C "$store" add -A
	git -C "$store" -c user.name=bench -c user.email=bench@example.invalid \
	    commit -qm "$N incidents"
fi

now_ms() { date +%s%3N; }

# first_screen CMD MARKER: milliseconds until MARKER is on the screen.
first_screen() {
	sock="pmbench$$"
	t0=$(now_ms)
	tmux -L "$sock" new-session -d -x 120 -y 40 "cd '$store' && TERM=xterm-256color $1"
	while ! tmux -L "$sock" capture-pane -p 2>/dev/null | grep -q "$2"; do
		[ $(( $(now_ms) - t0 )) -gt 20000 ] && break
	done
	t1=$(now_ms)
	tmux -L "$sock" kill-server 2>/dev/null || true
	echo $((t1 - t0))
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

pm=$(i=0; while [ $i -lt "$RUNS" ]; do first_screen "$top/pmtool tui" "incidents in"; i=$((i + 1)); done | median)
tg=$(i=0; while [ $i -lt "$RUNS" ]; do first_screen "tig" "\[main\]"; i=$((i + 1)); done | median)
echo "## pmtool tui vs tig: first full screen, $N incidents ($(date -u +%Y-%m-%d), $RUNS runs, medians)"
echo
echo "| program | first full screen |"
echo "|---|---:|"
echo "| pmtool tui (incident list) | $pm ms |"
echo "| tig (main view) | $tg ms |"
awk -v a="$pm" -v b="$tg" 'BEGIN { printf "\nRatio pmtool/tig: **%.2f** (target <= 1.0)\n", a / b }'
