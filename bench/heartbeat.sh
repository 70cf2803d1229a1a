#!/usr/bin/env bash
# Side-by-side benchmark of the Stop hook: sess-heartbeat against the
# original's heartbeat.sh, on a store of 1,000 sessions, both on the
# throttled path (the throttle file is fresh) and on the update path (it is
# removed before each run). Usage: bench/heartbeat.sh ORIGINAL_CHECKOUT.
# It runs the original's heartbeat.sh and manage.py from that checkout (in a
# temporary HOME) and contains none of its code.
set -euo pipefail
orig=$(cd "${1:?usage: bench/heartbeat.sh ORIGINAL_CHECKOUT}" && pwd)
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "installing hyperfine" >&2; apt-get install -y -qq hyperfine >/dev/null; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/sess-heartbeat" ./cmd/sess-heartbeat
go run ./bench/genstore -n 1000 -o "$tmp/gen" 2>/dev/null

# The original reads $HOME/.claude/dashboard and runs manage.py from there.
home=$tmp/home
mkdir -p "$home/.claude"
cp -r "$tmp/gen" "$home/.claude/dashboard"
ln -s "$orig/manage.py" "$home/.claude/dashboard/manage.py"
ln -s "$orig/lib" "$home/.claude/dashboard/lib"
cp -r "$tmp/gen" "$tmp/store"
slug=$(jq -r '[to_entries[] | select(.value.status == "active")][0].value.project_slug' "$tmp/store/sessions/_index.json")
export CLAUDE_PROJECT_DIR=/work/$slug
export PYTHONPYCACHEPREFIX=$tmp/pycache

orig_throttle=$home/.claude/dashboard/.throttle/$slug
sess_throttle=$tmp/store/.throttle/$slug
mkdir -p "$(dirname "$orig_throttle")" "$(dirname "$sess_throttle")"

run() { # NAME PREPARE CMD...
	local name=$1 prep=$2
	shift 2
	hyperfine -N --warmup 3 --runs "${RUNS:-40}" --prepare "$prep" --export-json "$tmp/$name.json" "$*" >/dev/null
	jq -r '.results[0].mean * 1000' "$tmp/$name.json"
}

touch "$orig_throttle" "$sess_throttle"
o1=$(run orig-throttled "touch $orig_throttle" env HOME="$home" bash "$orig/heartbeat.sh")
s1=$(run sess-throttled "touch $sess_throttle" "$tmp/sess-heartbeat" --dashboard-dir "$tmp/store")
o2=$(run orig-update "rm -f $orig_throttle" env HOME="$home" bash "$orig/heartbeat.sh")
s2=$(run sess-update "rm -f $sess_throttle" "$tmp/sess-heartbeat" --dashboard-dir "$tmp/store")

printf '| path | heartbeat.sh ms | sess-heartbeat ms | ratio |\n|---|---:|---:|---:|\n'
printf '| throttled | %.1f | %.2f | %.1f× |\n' "$o1" "$s1" "$(echo "$o1 / $s1" | bc -l)"
printf '| update (1,000 sessions) | %.1f | %.2f | %.1f× |\n' "$o2" "$s2" "$(echo "$o2 / $s2" | bc -l)"
