#!/usr/bin/env bash
# Side-by-side load test of the dashboard's /api/overview on a 1,000-session
# store: sess-serve against the original's FastAPI server (Debian's
# python3-fastapi and python3-uvicorn run it), with wrk -t2 -c8. Prints
# requests/s, latency percentiles and sess-serve's peak RSS.
# Usage: bench/serve.sh ORIGINAL_CHECKOUT. It runs the original from that
# checkout in a temporary HOME and contains none of its code.
set -euo pipefail
orig=$(cd "${1:?usage: bench/serve.sh ORIGINAL_CHECKOUT}" && pwd)
cd "$(dirname "$0")/.."
for p in wrk; do command -v $p >/dev/null || apt-get install -y -qq wrk >/dev/null; done
/usr/bin/python3 -c 'import fastapi, uvicorn' 2>/dev/null || apt-get install -y -qq python3-fastapi python3-uvicorn >/dev/null
n=${SESSIONS:-1000}
dur=${DURATION:-15s}
tmp=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$tmp"' EXIT
go build -o "$tmp/sess-serve" ./cmd/sess-serve
go run ./bench/genstore -n "$n" -o "$tmp/store" 2>/dev/null
home=$tmp/home
mkdir -p "$home/.claude"
cp -r "$tmp/store" "$home/.claude/dashboard"

HOME=$home /usr/bin/python3 "$orig/manage.py" serve --host 127.0.0.1 --port 9311 >/dev/null 2>&1 &
pids+=($!)
"$tmp/sess-serve" --dashboard-dir "$tmp/store" --addr 127.0.0.1:9312 2>/dev/null &
sess=$!
pids+=($sess)
for port in 9311 9312; do
	for _ in $(seq 100); do curl -sf -o /dev/null "http://localhost:$port/api/overview" && break; sleep 0.1; done
done

load() { # PORT: wrk's summary lines
	wrk -t2 -c8 -d"$dur" --latency "http://localhost:$1/api/overview" 2>&1
}
o=$(load 9311)
s=$(load 9312)
rss=$(awk '/VmHWM/ {print $2}' /proc/$sess/status)
rps() { awk '/Requests\/sec/ {print $2}' <<<"$1"; }
pct() { awk -v p="$2" '$1 == p {print $2}' <<<"$1"; }
printf '| /api/overview, %s sessions, wrk -t2 -c8 -d%s | original | sess-serve |\n|---|---:|---:|\n' "$n" "$dur"
printf '| requests/s | %s | %s |\n' "$(rps "$o")" "$(rps "$s")"
printf '| p50 latency | %s | %s |\n' "$(pct "$o" 50%)" "$(pct "$s" 50%)"
printf '| p99 latency | %s | %s |\n' "$(pct "$o" 99%)" "$(pct "$s" 99%)"
printf '| peak RSS of sess-serve | | %d MiB |\n' $((rss / 1024))
echo "ratio: $(echo "$(rps "$s") / $(rps "$o")" | bc -l | cut -c1-6)x"
