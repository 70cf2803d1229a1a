#!/usr/bin/env bash
# Side-by-side benchmark of the Markdown archive export on a 10,000-session
# store: sess-export --all against the original's `manage.py export-all`,
# best of 3 runs each, for a first run (every file new) and for an
# incremental run (nothing new). Usage: bench/export.sh ORIGINAL_CHECKOUT.
# It runs the original's manage.py from that checkout in a temporary HOME and
# contains none of its code.
set -euo pipefail
orig=$(cd "${1:?usage: bench/export.sh ORIGINAL_CHECKOUT}" && pwd)
cd "$(dirname "$0")/.."
n=${SESSIONS:-10000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/sess-export" ./cmd/sess-export
go run ./bench/genstore -n "$n" -o "$tmp/store" 2>/dev/null
home=$tmp/home
mkdir -p "$home/.claude"
cp -r "$tmp/store" "$home/.claude/dashboard"
export PYTHONPYCACHEPREFIX=$tmp/pycache

# best CMD...: the best wall time of 3 runs, in ms; PREP runs before each.
best() {
	local b= t0 t1 ms
	for _ in 1 2 3; do
		eval "$PREP"
		sync
		t0=$(date +%s%N)
		"$@" >/dev/null
		t1=$(date +%s%N)
		ms=$(((t1 - t0) / 1000000))
		if [[ -z $b || $ms -lt $b ]]; then b=$ms; fi
	done
	echo "$b"
}

oout=$home/.claude/session-exports
sout=$tmp/exports
PREP="rm -rf '$oout' '$sout'"
o1=$(best env HOME="$home" python3 "$orig/manage.py" export-all --output-dir "$oout")
s1=$(best "$tmp/sess-export" --dashboard-dir "$tmp/store" --all --output-dir "$sout")
PREP=":"
o2=$(best env HOME="$home" python3 "$orig/manage.py" export-all --output-dir "$oout")
s2=$(best "$tmp/sess-export" --dashboard-dir "$tmp/store" --all --output-dir "$sout")
count=$(find "$sout" -name '*.md' | wc -l)

printf '| export of %s sessions (%s files) | original ms | sess ms | ratio |\n|---|---:|---:|---:|\n' "$n" "$count"
printf '| first run | %s | %s | %.1f× |\n' "$o1" "$s1" "$(echo "$o1 / $s1" | bc -l)"
printf '| incremental (nothing new) | %s | %s | %.1f× |\n' "$o2" "$s2" "$(echo "$o2 / $s2" | bc -l)"
