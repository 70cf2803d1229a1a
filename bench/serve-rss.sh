#!/usr/bin/env bash
# Memory of sess-serve whatever the query strings: starts the real binary
# over a generated store, fires REQUESTS distinct /api/overview?cb=I (one
# answer under many URLs), then every /api/activity?days=1..366 (each a
# distinct answer, the worst case for the response cache), then 16 clients
# at once asking for every project's biggest export (never cached), and
# prints VmHWM and VmRSS from /proc after each phase. Exits 1 when the peak
# passes LIMIT_MIB.
# Usage: bench/serve-rss.sh   (SESSIONS=10000 REQUESTS=500 LIMIT_MIB=60;
# SESS_SERVE=path measures a binary built elsewhere, e.g. an older commit)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${SESSIONS:-10000}
reqs=${REQUESTS:-500}
limit=${LIMIT_MIB:-60}
port=${PORT:-9313}
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
bin=${SESS_SERVE:-}
if [ -z "$bin" ]; then
	bin=$tmp/sess-serve
	go build -o "$bin" ./cmd/sess-serve
fi
go run ./bench/genstore -n "$n" -o "$tmp/store" >/dev/null 2>&1
"$bin" --dashboard-dir "$tmp/store" --addr "127.0.0.1:$port" 2>/dev/null &
pid=$!
base=http://localhost:$port
for _ in $(seq 100); do curl -sf -o /dev/null "$base/api/overview" && break; sleep 0.1; done

kib() { awk -v k="$1" '$1 == k":" {print $2}' "/proc/$pid/status"; }
report() { # PHASE
	printf '| %s | %d | %d |\n' "$1" $(($(kib VmHWM) / 1024)) $(($(kib VmRSS) / 1024))
}
# fire [--parallel] URL...: one curl, every answer must be 200.
fire() {
	local codes args=()
	if [ "$1" = --parallel ]; then
		args+=(--parallel --parallel-max 16)
		shift
	fi
	for u in "$@"; do args+=(-o /dev/null "$u"); done
	codes=$(curl -s --no-progress-meter -w '%{http_code}\n' "${args[@]}" 2>/dev/null | sort -u | tr '\n' ' ')
	[ "$codes" = "200 " ] || { echo "unexpected status codes: $codes" >&2; exit 1; }
}

printf '| sess-serve, %s sessions | VmHWM MiB | VmRSS MiB |\n|---|---:|---:|\n' "$n"
report "started, one overview"
urls=()
for i in $(seq "$reqs"); do urls+=("$base/api/overview?cb=$i"); done
fire "${urls[@]}"
report "after $reqs distinct /api/overview?cb=N"
urls=()
for d in $(seq 366); do urls+=("$base/api/activity?days=$d&cb=$d"); done
fire "${urls[@]}"
report "after /api/activity?days=1..366"
urls=()
for round in 1 2 3 4; do
	for f in "$tmp"/store/projects/*.json; do
		urls+=("$base/api/export/project/$(basename "$f" .json)?include_archived=1&limit=500&cb=$round")
	done
done
fire --parallel "${urls[@]}"
report "after 40 project exports, 16 at once"
peak=$(($(kib VmHWM) / 1024))
if [ "$peak" -ge "$limit" ]; then
	echo "peak RSS $peak MiB is over the $limit MiB bound" >&2
	exit 1
fi
