#!/usr/bin/env bash
# usage.sh — sess-manage usage daily beside ccusage 18.0.11 (daily --json
# --offline) on the same generated tree of transcripts (bench/gentranscripts,
# MB MiB, default 500): the first report (no summaries yet), a report with
# nothing changed, one after a transcript grew by a reply; and the peak
# memory of a first report on a tenth of the tree and on all of it (flat:
# a report holds one transcript's requests at a time).
#
#   bench/usage.sh                 # 500 MiB
#   MB=50 bench/usage.sh           # a quick look
#   BUSY=2 bench/usage.sh          # both cores taken by busy loops
#   CCUSAGE=/path/to/ccusage/dist/index.js bench/usage.sh
#
# Needs hyperfine, jq and node (ccusage from $CCUSAGE, else npx
# ccusage@18.0.11). Stdout: a Markdown table of medians.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
MB=${MB:-500}
RUNS=${RUNS:-10}
CCRUNS=${CCRUNS:-3}
command -v hyperfine >/dev/null || { echo "usage.sh: hyperfine is needed" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -n "${CCUSAGE:-}" ]; then
	cc="node $CCUSAGE"
else
	npm install --prefix "$tmp/npm" ccusage@18.0.11 >/dev/null 2>&1
	cc="node $tmp/npm/node_modules/ccusage/dist/index.js"
fi
go build -o "$tmp/sess-manage" ./cmd/sess-manage
go build -o "$tmp/gentranscripts" ./bench/gentranscripts
"$tmp/gentranscripts" -o "$tmp/claude/projects" -mb "$MB" >&2
"$tmp/gentranscripts" -o "$tmp/tenth/projects" -mb "$((MB / 10))" >&2
mkdir -p "$tmp/store"
export CLAUDE_CONFIG_DIR=$tmp/claude TZ=UTC
sm="$tmp/sess-manage --dashboard-dir $tmp/store usage daily --json"
# The transcript that grows, and the reply it grows by: a copy of its last.
# (No head in a pipe: with pipefail, sort's SIGPIPE would end the script.)
find "$tmp/claude/projects" -name '*.jsonl' -not -path '*/subagents/*' | sort >"$tmp/transcripts"
grow=$(sed -n 1p "$tmp/transcripts")
grep '"usage"' "$grow" | tail -1 | sed 's/"requestId":"[^"]*"/"requestId":"req_bench_NN"/' >"$tmp/reply"
sync
busy
if [ -r /proc/loadavg ]; then
	echo "usage.sh: load average at the start: $(cut -d' ' -f1-3 /proc/loadavg), BUSY=${BUSY:-0}" >&2
fi

median() { # NAME [hyperfine options] -- COMMAND
	local name=$1
	shift
	hyperfine -N --style none --export-json "$tmp/$name.json" "$@" >/dev/null 2>&1
	jq -r '.results[0].median' "$tmp/$name.json"
}

ccusage=$(median ccusage --runs "$CCRUNS" "$cc daily --json --offline")
first=$(median first --runs 3 --prepare "rm -rf $tmp/store/.usage" "$sm")
same=$(median same --warmup 2 --runs "$RUNS" "$sm")
grew=$(median grew --runs "$RUNS" --prepare "sh -c 'sed s/NN/\$\$/ $tmp/reply >> $grow'" "$sm")

# peak KB LABEL DIR: a first report's peak memory over the tree in DIR.
peak() {
	rm -rf "$tmp/store/.usage"
	CLAUDE_CONFIG_DIR=$2 /usr/bin/time -f '%M' -o "$tmp/time" $sm >/dev/null 2>&1
	echo $(($(cat "$tmp/time") / 1024))
}
small=$(peak small "$tmp/tenth")
large=$(peak large "$tmp/claude")
ccpeak=$( /usr/bin/time -f '%M' -o "$tmp/time" $cc daily --json --offline >/dev/null 2>&1; echo $(($(cat "$tmp/time") / 1024)) )

printf '| %s MiB of transcripts, %s cores%s | ccusage s | sess s | sess faster |\n|---|---:|---:|---:|\n' "$MB" "$(nproc)" "${BUSY:+, $BUSY busy loops}"
row() { printf '| %s | %.2f | %.3f | %.0f× |\n' "$1" "$ccusage" "$2" "$(echo "$ccusage / $2" | bc -l)"; }
row "first report (no summaries)" "$first"
row "nothing changed" "$same"
row "one transcript grew by a reply" "$grew"
printf '\nPeak memory of a first report: sess %s MiB on %s MiB of transcripts, %s MiB on %s MiB; ccusage %s MiB on %s MiB.\n' \
	"$small" "$((MB / 10))" "$large" "$MB" "$ccpeak" "$MB"
