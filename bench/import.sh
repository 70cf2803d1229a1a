#!/usr/bin/env bash
# import.sh — sess-manage import on a generated history of Claude Code
# transcripts (bench/gentranscripts): the first import of MB MiB (default
# 1024) into a new store, without the archive, its wall time and its peak
# memory; a second run (nothing new); and the archive alone on ARCHIVE_MB
# (default 64) of it, since redaction is what it costs.
#
#   bench/import.sh              # 1 GiB
#   MB=128 bench/import.sh       # a quick look
#   BUSY=2 bench/import.sh       # two busy loops beside it
#
# Stdout: a Markdown table. The transcripts are generated into a temporary
# folder and removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
MB=${MB:-1024}
ARCHIVE_MB=${ARCHIVE_MB:-64}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/sess-manage" ./cmd/sess-manage
go build -o "$tmp/gentranscripts" ./bench/gentranscripts
"$tmp/gentranscripts" -o "$tmp/projects" -mb "$MB" >&2
"$tmp/gentranscripts" -o "$tmp/small" -mb "$ARCHIVE_MB" >&2
sync
busy

# timed LABEL ARGS...: one run of sess-manage, its wall seconds and peak RSS.
timed() {
	local label=$1
	shift
	/usr/bin/time -f '%e %M' -o "$tmp/time" "$tmp/sess-manage" "$@" >"$tmp/out" 2>"$tmp/err"
	read -r secs kb <"$tmp/time"
	printf '| %s | %s | %s | %s |\n' "$label" "$secs" "$((kb / 1024))" "$(jq -c '{imported, skipped, archived, archived_bytes}' "$tmp/out")"
}

printf 'sess-manage import, %s MiB of transcripts (%s conversations), %s cores%s:\n\n' \
	"$MB" "$(find "$tmp/projects" -name '*.jsonl' -not -name 'agent-*' -not -path '*/subagents/*' | wc -l)" "$(nproc)" "${BUSY:+, $BUSY busy loops beside it}"
printf '| run | seconds | peak MiB | result |\n|---|---:|---:|---|\n'
timed "first import, --no-archive" --dashboard-dir "$tmp/store" import --from "$tmp/projects" --no-archive
timed "second import (nothing new), --no-archive" --dashboard-dir "$tmp/store" import --from "$tmp/projects" --no-archive
timed "first import of $ARCHIVE_MB MiB with the archive" --dashboard-dir "$tmp/store2" import --from "$tmp/small"
timed "second import of $ARCHIVE_MB MiB with the archive (nothing new)" --dashboard-dir "$tmp/store2" import --from "$tmp/small"
printf '\narchive of the %s MiB: %s MiB\n' "$ARCHIVE_MB" "$(du -sm "$tmp/store2/.transcripts" | cut -f1)"
