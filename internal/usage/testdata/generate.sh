#!/usr/bin/env bash
# generate.sh — the ccusage goldens in ccusage/: what ccusage 18.0.11 reports
# of the golden tree, a projects folder of made-up transcripts that
# bench/gentranscripts (internal/transcriptgen) writes from the flags below.
#
#   internal/usage/testdata/generate.sh
#   CCUSAGE=/path/to/node_modules/ccusage/dist/index.js internal/usage/testdata/generate.sh
#
# Needs go, jq and node, node only here: the goldens are committed, and a
# test makes the tree again with transcriptgen.Generate from tree.json (the
# same parameters as flags; bench/gentranscripts's TestGoldenTree checks
# that they agree). ccusage runs from $CCUSAGE if set (its dist/index.js),
# else through npx. Every report is --json --offline (the prices ccusage
# ships with, not LiteLLM's of the day) with TZ=UTC. The tree's dates are
# in September and October 2026, so that no block is active (isActive is
# the one field of blocks that depends on the clock).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../../.."

version=18.0.11
flags="-seed 4 -conversations 20 -mb 0 -turns 0 -projects 4 -days 61"
since=20260928 # daily-since: one week, September into October
until=20261004
project=-home-dev-src-github-com-acme-billing-api # daily-project: one folder

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2086 # the flags are words
go run ./bench/gentranscripts -o "$tmp/claude/projects" $flags >&2

if [ -n "${CCUSAGE:-}" ]; then
	ccusage=(node "$CCUSAGE")
else
	ccusage=(npx -y "ccusage@$version")
fi
have=$("${ccusage[@]}" --version)
if [ "$have" != "$version" ]; then
	echo "generate.sh: ccusage is $have, want $version" >&2
	exit 1
fi

# A resumed conversation for session --id: the first whose file holds rows
# of another conversation (an older build's copies keep their id).
resumed=
for f in $(find "$tmp/claude/projects" -mindepth 2 -maxdepth 2 -name '*-*-*-*-*.jsonl' | sort); do
	if [ "$(grep -o '"sessionId":"[^"]*"' "$f" | sort -u | wc -l)" -gt 1 ]; then
		resumed=$(basename "$f" .jsonl)
		break
	fi
done

out=$here/ccusage
mkdir -p "$out"
# ccusage reads a .ccusage/ccusage.json in its working folder: none here.
cd "$tmp"
export CLAUDE_CONFIG_DIR=$tmp/claude TZ=UTC NO_COLOR=1

# report NAME ARGS...: ccusage ARGS --json --offline into ccusage/NAME.json,
# which must be JSON (ccusage prints its help on stdout when it cannot parse
# its arguments).
report() {
	local name=$1
	shift
	"${ccusage[@]}" "$@" --json --offline >"$out/$name.json"
	jq -e . "$out/$name.json" >/dev/null || {
		echo "generate.sh: ccusage $* printed no JSON" >&2
		exit 1
	}
}
report daily daily
report weekly weekly
report monthly monthly
report session session
report blocks blocks
report daily-calculate daily --mode calculate
report daily-display daily --mode display
report daily-kolkata daily --timezone Asia/Kolkata
report daily-since daily --since "$since" --until "$until"
# A folder's name starts with "-": ccusage takes it for an option unless
# it is given with "=".
report daily-project daily --project="$project"
report daily-instances daily --instances
report session-id session --id "$resumed"
echo "goldens of ccusage $version in $out (session-id: $resumed)" >&2
