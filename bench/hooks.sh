#!/usr/bin/env bash
# hooks.sh — sess-hook's time per Claude Code event on a store of 10,000
# sessions (bench/hooktime), against the journal's bounds: median at most
# 15 ms, no run over 100 ms, the throttled Stop at most 2 ms.
#
#   bench/hooks.sh [-n 10000] [-runs 50]
#
# Stdout: a Markdown table; exit 1 when an event is over its bound.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/sess-hook" ./cmd/sess-hook
go run ./bench/hooktime -hook "$tmp/sess-hook" "$@"
