#!/usr/bin/env bash
# search.sh — sess-manage search on a store of 10,000 sessions: the first
# build of the index, a search on an unchanged store, the first search after
# a change (an add-event before each run), and what keeping the index fresh
# costs a write (add-event with the search's change feed there and without).
# Then the same store with its completed sessions older than 60 days moved
# to the archive (about 4,500). When ORIGINAL names a checkout of the
# original (its manage.py), both stores are searched while it writes
# between searches (it knows nothing of the index).
#
#   bench/search.sh [SESSIONS] [RUNS]
#   ORIGINAL=~/src/claude-sessions-dashboard bench/search.sh
#   BUSY=2 bench/search.sh    # with both cores taken by busy loops
#
# Stdout: a Markdown table of hyperfine medians. Needs hyperfine.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
n=${1:-10000}
runs=${2:-30}
command -v hyperfine >/dev/null || { echo "search.sh: hyperfine is needed" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/sess-manage" ./cmd/sess-manage
go run ./bench/genstore -n "$n" -o "$tmp/store" >&2
sm="$tmp/sess-manage --dashboard-dir $tmp/store"
id=$(jq -r 'keys[0]' "$tmp/store/sessions/_index.json")
busy
# The machine's state, for the figures' reader: others' work counts too.
if [ -r /proc/loadavg ]; then
	echo "search.sh: load average at the start: $(cut -d' ' -f1-3 /proc/loadavg), BUSY=${BUSY:-0}" >&2
fi

median() { # NAME [hyperfine options] -- COMMAND
	local name=$1
	shift
	hyperfine -N --style none --export-json "$tmp/$name.json" "$@" >/dev/null 2>&1
	jq -r '.results[0].median * 1000' "$tmp/$name.json"
}

# cpu is the mean CPU time (user and system) of a run measured by median:
# on a machine others share, the work done, which their load moves less
# than the time it took.
cpu() { # NAME
	jq -r '(.results[0].user + .results[0].system) * 1000' "$tmp/$1.json"
}

build=$(median build --runs 3 --prepare "rm -rf $tmp/store/.search" "$sm search build")
fresh=$(median fresh --warmup 3 --runs "$runs" "$sm search $(q 'login bug')")
changed=$(median changed --warmup 3 --runs "$runs" --prepare "$sm add-event $id --message changed" "$sm search $(q 'login bug')")
prefix=$(median prefix --warmup 3 --runs "$runs" "$sm search refact --project web")
with=$(median with --warmup 3 --runs "$runs" "$sm add-event $id --message x")
mv "$tmp/store/.search/changes" "$tmp/changes"
without=$(median without --warmup 3 --runs "$runs" "$sm add-event $id --message x")
mv "$tmp/changes" "$tmp/store/.search/changes"
orig() { # the original, writing as a user's skills do: HOME whose dashboard is this store
	echo "env HOME=$tmp/home python3 $ORIGINAL/manage.py $*"
}
porig=""
if [ -n "${ORIGINAL:-}" ]; then
	mkdir -p "$tmp/home/.claude"
	ln -s "$tmp/store" "$tmp/home/.claude/dashboard"
	porig=$(median porig --warmup 3 --runs "$runs" --prepare "$(orig add-event "$id" --message by-the-original)" "$sm search $(q 'login bug')")
fi

# The archive: completed sessions older than 60 days moved there.
$sm archive --days 60 >/dev/null
archived=$(ls "$tmp/store/sessions/archive" | wc -l)
id=$(jq -r 'keys[0]' "$tmp/store/sessions/_index.json") # one still live
abuild=$(median abuild --runs 3 --prepare "rm -rf $tmp/store/.search" "$sm search build")
afresh=$(median afresh --warmup 3 --runs "$runs" "$sm search $(q 'login bug')")
achanged=$(median achanged --warmup 3 --runs "$runs" --prepare "$sm add-event $id --message changed" "$sm search $(q 'login bug')")
aorig=""
if [ -n "${ORIGINAL:-}" ]; then
	aorig=$(median aorig --warmup 3 --runs "$runs" --prepare "$(orig add-event "$id" --message by-the-original)" "$sm search $(q 'login bug')")
fi

printf '| sess-manage, %s sessions | median ms | CPU ms |\n|---|---:|---:|\n' "$n"
printf '| search, first build of the index | %.0f | %.0f |\n' "$build" "$(cpu build)"
printf '| search, store unchanged | %.1f | %.1f |\n' "$fresh" "$(cpu fresh)"
printf '| search, first after a change | %.1f | %.1f |\n' "$changed" "$(cpu changed)"
printf '| search, a prefix in one project | %.1f | %.1f |\n' "$prefix" "$(cpu prefix)"
if [ -n "$porig" ]; then
	printf '| search, first after a write of the original | %.1f | %.1f |\n' "$porig" "$(cpu porig)"
fi
printf '| add-event, the change feed there | %.2f | %.1f |\n' "$with" "$(cpu with)"
printf '| add-event, no index | %.2f | %.1f |\n' "$without" "$(cpu without)"
printf '| with %s archived: search, first build of the index | %.0f | %.0f |\n' "$archived" "$abuild" "$(cpu abuild)"
printf '| with %s archived: search, store unchanged | %.1f | %.1f |\n' "$archived" "$afresh" "$(cpu afresh)"
printf '| with %s archived: search, first after a change | %.1f | %.1f |\n' "$archived" "$achanged" "$(cpu achanged)"
if [ -n "$aorig" ]; then
	printf '| with %s archived: search, first after a write of the original | %.1f | %.1f |\n' "$archived" "$aorig" "$(cpu aorig)"
fi
if [ -r /proc/loadavg ]; then
	echo "search.sh: load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
fi
