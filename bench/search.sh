#!/usr/bin/env bash
# search.sh — sess-manage search on a store of 10,000 sessions: the first
# build of the index, a search on an unchanged store, the first search after
# a change (an add-event before each run), and what keeping the index fresh
# costs a write (add-event with the index's journal there and without).
#
#   bench/search.sh [SESSIONS] [RUNS]
#
# Stdout: a Markdown table of hyperfine medians. Needs hyperfine.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
n=${1:-10000}
runs=${2:-30}
command -v hyperfine >/dev/null || { echo "search.sh: hyperfine is needed" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/sess-manage" ./cmd/sess-manage
go run ./bench/genstore -n "$n" -o "$tmp/store" >&2
sm="$tmp/sess-manage --dashboard-dir $tmp/store"
id=$(jq -r 'keys[0]' "$tmp/store/sessions/_index.json")

median() { # NAME [hyperfine options] -- COMMAND
	local name=$1
	shift
	hyperfine -N --style none --export-json "$tmp/$name.json" "$@" >/dev/null 2>&1
	jq -r '.results[0].median * 1000' "$tmp/$name.json"
}

build=$(median build --runs 3 --prepare "rm -rf $tmp/store/.search" "$sm search build")
fresh=$(median fresh --warmup 3 --runs "$runs" "$sm search $(q 'login bug')")
changed=$(median changed --warmup 3 --runs "$runs" --prepare "$sm add-event $id --message changed" "$sm search $(q 'login bug')")
prefix=$(median prefix --warmup 3 --runs "$runs" "$sm search refact --project web")
with=$(median with --warmup 3 --runs "$runs" "$sm add-event $id --message x")
mv "$tmp/store/.search/changes" "$tmp/changes"
without=$(median without --warmup 3 --runs "$runs" "$sm add-event $id --message x")
mv "$tmp/changes" "$tmp/store/.search/changes"

printf '| sess-manage, %s sessions | median ms |\n|---|---:|\n' "$n"
printf '| search, first build of the index | %.0f |\n' "$build"
printf '| search, store unchanged | %.1f |\n' "$fresh"
printf '| search, first after a change | %.1f |\n' "$changed"
printf '| search, a prefix in one project | %.1f |\n' "$prefix"
printf '| add-event, the index journal there | %.2f |\n' "$with"
printf '| add-event, no index | %.2f |\n' "$without"
