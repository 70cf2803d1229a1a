#!/usr/bin/env bash
# machines.sh — one journal across machines: sess-manage overview and
# search on a machine that reads 5 other machines' parts of 10,000 sessions
# each (a shared folder, as a replicator leaves it), beside one machine's
# own store of 50,000; and what publishing costs a change (sync after an
# add-event, on a store of 10,000 whose part is up to date).
#
#   bench/machines.sh [SESSIONS_PER_MACHINE] [MACHINES] [RUNS]
#   BUSY=2 bench/machines.sh
#
# Needs hyperfine and jq. Stdout: a Markdown table of medians.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
per=${1:-10000}
machines=${2:-5}
runs=${3:-10}
command -v hyperfine >/dev/null || { echo "machines.sh: hyperfine is needed" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/sess-manage" ./cmd/sess-manage
go build -o "$tmp/genstore" ./bench/genstore
sm="$tmp/sess-manage"
for i in $(seq 1 "$machines"); do
	"$tmp/genstore" -n "$per" -seed "$i" -o "$tmp/m$i" >&2
	$sm --dashboard-dir "$tmp/m$i" machine name "machine $i" >/dev/null
	$sm --dashboard-dir "$tmp/m$i" sync init "$tmp/shared" >/dev/null
	$sm --dashboard-dir "$tmp/m$i" sync >/dev/null
done
"$tmp/genstore" -n "$((per * machines))" -seed 99 -o "$tmp/one" >&2
mkdir -p "$tmp/here"
$sm --dashboard-dir "$tmp/here" sync init "$tmp/shared" >/dev/null
# Build the search indexes once (each part's is kept in this store).
$sm --dashboard-dir "$tmp/here" search 'login bug' >/dev/null
$sm --dashboard-dir "$tmp/one" search 'login bug' >/dev/null
id=$(jq -r 'keys[0]' "$tmp/m1/sessions/_index.json")
sync
busy

median() { # NAME [hyperfine options] -- COMMAND
	local name=$1
	shift
	hyperfine -N --style none --export-json "$tmp/$name.json" "$@" >/dev/null 2>&1
	jq -r '.results[0].median * 1000' "$tmp/$name.json"
}

ov_all=$(median ov_all --warmup 2 --runs "$runs" "$sm --dashboard-dir $tmp/here overview")
ov_one=$(median ov_one --warmup 2 --runs "$runs" "$sm --dashboard-dir $tmp/one overview")
se_all=$(median se_all --warmup 2 --runs "$runs" "$sm --dashboard-dir $tmp/here search $(q 'login bug')")
se_one=$(median se_one --warmup 2 --runs "$runs" "$sm --dashboard-dir $tmp/one search $(q 'login bug')")
ls_all=$(median ls_all --warmup 2 --runs "$runs" "$sm --dashboard-dir $tmp/here list-sessions")
ls_one=$(median ls_one --warmup 2 --runs "$runs" "$sm --dashboard-dir $tmp/one list-sessions")
pub=$(median pub --runs "$runs" --prepare "$sm --dashboard-dir $tmp/m1 add-event $id --message bench" "$sm --dashboard-dir $tmp/m1 sync")
idle=$(median idle --warmup 2 --runs "$runs" "$sm --dashboard-dir $tmp/m1 sync")

printf '| %s cores%s | %d machines × %d sessions, ms | one machine × %d, ms | ratio |\n|---|---:|---:|---:|\n' \
	"$(nproc)" "${BUSY:+, $BUSY busy loops}" "$machines" "$per" "$((per * machines))"
row() { printf '| %s | %.1f | %.1f | %.2f |\n' "$1" "$2" "$3" "$(echo "$2 / $3" | bc -l)"; }
row overview "$ov_all" "$ov_one"
row "search 'login bug'" "$se_all" "$se_one"
row "list-sessions" "$ls_all" "$ls_one"
printf '\nPublishing: sync after one add-event %.1f ms (the session and the index copied), with nothing to publish %.1f ms (%d sessions).\n' "$pub" "$idle" "$per"
