#!/usr/bin/env bash
# hooks.sh — sess-hook's time per Claude Code event on a store of 10,000
# sessions (bench/hooktime), against the journal's bounds: median at most
# 15 ms, no run over 100 ms, the throttled Stop at most 2 ms.
#
#   bench/hooks.sh [-n 10000] [-runs 50]
#   BUSY=2 bench/hooks.sh     # with two busy loops beside it: two busy cores
#   bench/hooks.sh -shell     # each hook through sh -c, as Claude Code starts it
#   bench/hooks.sh -parallel 200   # 200 hooks at once: where they wait on one another
#   BEFORE=../sess-old bench/hooks.sh   # an earlier checkout's sess-hook too, same run
#
# Stdout: a Markdown table; exit 1 when an event is over its bound.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/sess-hook" ./cmd/sess-hook
go build -o "$tmp/sess-manage" ./cmd/sess-manage # the transcript archive's append, which a Stop starts
go build -o "$tmp/hooktime" ./bench/hooktime
busy
if [[ ${BEFORE:-} ]]; then
	(cd "$BEFORE" && go build -o "$tmp/sess-hook-before" ./cmd/sess-hook)
	printf '### before: %s (%s)\n\n' "$BEFORE" "$(git -C "$BEFORE" describe --always --dirty 2>/dev/null || echo unknown)"
	"$tmp/hooktime" -hook "$tmp/sess-hook-before" "$@" || true
	printf '\n### now: %s\n\n' "$(git describe --always --dirty 2>/dev/null || echo unknown)"
fi
"$tmp/hooktime" -hook "$tmp/sess-hook" "$@"
