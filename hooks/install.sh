#!/usr/bin/env bash
# Merge the sess hooks into a Claude Code settings.json, keeping every other
# setting and hook. Usage: hooks/install.sh [SETTINGS] (default
# ~/.claude/settings.json). Needs jq. Safe to run again: a hook already there
# is not added twice. The old file is kept as SETTINGS.bak.
set -euo pipefail
settings=${1:-$HOME/.claude/settings.json}
here=$(cd "$(dirname "$0")" && pwd)
command -v jq >/dev/null || { echo "install.sh: jq is needed (apt install jq / brew install jq)" >&2; exit 1; }
mkdir -p "$(dirname "$settings")"
[ -s "$settings" ] || echo '{}' >"$settings"
tmp=$(mktemp "$settings.XXXXXX")
trap 'rm -f "$tmp"' EXIT
jq --slurpfile add "$here/settings.json" '
  .hooks = (reduce ($add[0].hooks | to_entries[]) as $e (.hooks // {};
    .[$e.key] = ((.[$e.key] // []) as $have
      | $have + [$e.value[] | select(. as $g | $have | index([$g]) | not)])))
' "$settings" >"$tmp"
cp -p "$settings" "$settings.bak"
mv "$tmp" "$settings"
trap - EXIT
echo "sess hooks merged into $settings (previous version: $settings.bak)"
