#!/usr/bin/env bash
# compare.sh ORIGINAL_CHECKOUT — time sess-manage against the original
# claude-sessions-dashboard in the same run, on the same generated stores.
#
#   bench/compare.sh /path/to/claude-sessions-dashboard > table.md
#
# It builds sess-manage and genstore from this repository, generates stores
# of 1,000 and 10,000 sessions, gives each tool its own copy of each store,
# and runs every command with hyperfine on both. It only runs the original's
# manage.py from the given checkout (python3, $HOME pointed at a temporary
# folder, bytecode cached outside the checkout); it copies nothing from it.
#
# Stdout: a Markdown table (command, store size, original ms, sess ms, ratio).
# Stderr: progress. Raw hyperfine JSON and logs: bench/results/<UTC time>/.
#
# Every state command is measured doing its real work on every run: before
# each run (hyperfine --prepare) the session it changes and the index are
# restored from a snapshot taken before the benchmark, and session files it
# created are removed. So park/complete always see an active session, resume a
# parked one, add-task a new subject, cleanup-stale the same stale sessions.
#
# Knobs (environment): RUNS_ORIG (10), RUNS_SESS (30), WARMUP (2),
# SIZES ("1000 10000"), QUERY_SIZE (10000: the store the queries run on),
# ONLY (a regular expression: run only the commands whose name matches),
# KEEP_TMP (set: keep the stores and prepare scripts for a look afterwards),
# BEFORE (a checkout of an earlier sess: its sess-manage runs too, on its own
# copy of each store, in a column of its own; to show a change's cost).
set -euo pipefail

die() { printf 'compare.sh: %s\n' "$*" >&2; exit 2; }
log() { printf '%s\n' "$*" >&2; }

[[ $# -eq 1 ]] || die "usage: bench/compare.sh ORIGINAL_CHECKOUT"
orig=$(cd "$1" && pwd) || die "no such folder: $1"
[[ -f $orig/manage.py ]] || die "$orig/manage.py not found: give the original's checkout"

RUNS_ORIG=${RUNS_ORIG:-10}
RUNS_SESS=${RUNS_SESS:-30}
WARMUP=${WARMUP:-2}
SIZES=${SIZES:-"1000 10000"}
QUERY_SIZE=${QUERY_SIZE:-10000}

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

# --- tools -------------------------------------------------------------------

need_apt=()
command -v hyperfine >/dev/null || need_apt+=(hyperfine)
command -v jq >/dev/null || need_apt+=(jq)
if ((${#need_apt[@]})); then
	log "installing ${need_apt[*]}: apt-get update && apt-get install -y ${need_apt[*]}"
	apt-get update >&2
	apt-get install -y "${need_apt[@]}" >&2
fi
command -v python3 >/dev/null || die "python3 is needed to run the original"
command -v go >/dev/null || die "go is needed to build sess-manage"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sess-compare.XXXXXX")
if [[ ${KEEP_TMP:-} ]]; then log "keeping $tmp"; else trap 'rm -rf "$tmp"' EXIT; fi
results=$repo/bench/results/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$results" "$tmp/bin" "$tmp/snap" "$tmp/prep"

log "building sess-manage and genstore"
go build -o "$tmp/bin/sess-manage" ./cmd/sess-manage
go build -o "$tmp/bin/genstore" ./bench/genstore
tools=(orig sess)
if [[ ${BEFORE:-} ]]; then
	log "building the earlier sess-manage from $BEFORE"
	(cd "$BEFORE" && go build -o "$tmp/bin/sess-manage-before" ./cmd/sess-manage)
	tools+=(before)
fi

# The original as a user runs it, with its bytecode cached (outside the
# checkout) rather than recompiled on every start.
orig_env=(env -u PYTHONDONTWRITEBYTECODE "PYTHONPYCACHEPREFIX=$tmp/pycache")

# shellcheck source=bench/lib.sh
source "$repo/bench/lib.sh"

# --- stores --------------------------------------------------------------------

# store_of TOOL SIZE: the dashboard folder of that tool's copy.
store_of() {
	case $1 in
	orig) printf '%s/orig-%s/home/.claude/dashboard' "$tmp" "$2" ;;
	sess) printf '%s/sess-%s/store' "$tmp" "$2" ;;
	before) printf '%s/before-%s/store' "$tmp" "$2" ;;
	esac
}

# cmd_of TOOL SIZE ARGS...: the command line running one tool on its copy.
cmd_of() {
	local tool=$1 size=$2
	shift 2
	case $tool in
	orig) q "${orig_env[@]}" "HOME=$tmp/orig-$size/home" python3 "$orig/manage.py" "$@" ;;
	sess) q "$tmp/bin/sess-manage" --dashboard-dir "$(store_of sess "$size")" "$@" ;;
	before) q "$tmp/bin/sess-manage-before" --dashboard-dir "$(store_of before "$size")" "$@" ;;
	esac
}

declare -A S_ACT S_PARK S_COMP S_RES S_DONE PROJ PROJ_DONE TASK STALE
for size in $SIZES; do
	gen=$tmp/gen-$size
	log "generating $size sessions"
	"$tmp/bin/genstore" -n "$size" -o "$gen" -seed 1
	for tool in "${tools[@]}"; do
		mkdir -p "$(dirname "$(store_of "$tool" "$size")")"
		cp -a "$gen" "$(store_of "$tool" "$size")"
	done
	idx=$gen/sessions/_index.json
	# Fresh active sessions, newest first; stale ones have no heartbeat in 24h.
	mapfile -t fresh < <(jq -r '
		to_entries
		| map(select(.value.status == "active"
			and ((.value.last_heartbeat[:19] + "Z") | fromdateiso8601) > now - 86400))
		| sort_by(.value.started_at) | reverse | .[].key' "$idx")
	((${#fresh[@]} >= 3)) || die "store of $size sessions has fewer than 3 fresh active sessions"
	S_ACT[$size]=${fresh[0]} S_PARK[$size]=${fresh[1]} S_COMP[$size]=${fresh[2]}
	S_RES[$size]=$(jq -r 'to_entries | map(select(.value.status == "parked"))
		| sort_by(.value.started_at) | last | .key' "$idx")
	S_DONE[$size]=$(jq -r 'to_entries | map(select(.value.status == "completed"))
		| sort_by(.value.started_at) | last | .key' "$idx")
	PROJ_DONE[$size]=$(jq -r --arg id "${S_DONE[$size]}" '.[$id].project_slug' "$idx")
	PROJ[$size]=$(jq -r --arg id "${S_ACT[$size]}" '.[$id].project_slug' "$idx")
	TASK[$size]=$(jq -r '.tasks[0].id' "$gen/sessions/${S_ACT[$size]}.json")
	STALE[$size]=$(jq -r '[to_entries[]
		| select(.value.status == "active"
			and ((.value.last_heartbeat[:19] + "Z") | fromdateiso8601) < now - 86400)
		| .key] | join(" ")' "$idx")
	rm -rf "$gen"
done

# A repository with three commits for capture-commits, and a project folder
# for setup.
repo=$tmp/repo
mkdir -p "$repo" "$tmp/proj"
git -C "$repo" init -q
for i in 1 2 3; do
	git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit -q --allow-empty -m "bench commit $i"
done

# --- one benchmark -------------------------------------------------------------

# snapshot TOOL SIZE NAME RESTORE: write the prepare script for one benchmark.
# RESTORE is a list of words: session ids to restore, "index" to restore the
# index, "new" to remove session files created since, "config" for config.json,
# "project:SLUG" for a project state, "unarchive:ID" to remove an archived
# copy, "rm:PATH" to remove a path.
snapshot() {
	local tool=$1 size=$2 name=$3 restore=$4
	local store snap prep w
	store=$(store_of "$tool" "$size")
	snap=$tmp/snap/$tool-$size-${name// /_}
	prep=$tmp/prep/$tool-$size-${name// /_}.sh
	mkdir -p "$snap"
	{
		printf 'set -e\ncd %q\n' "$store"
		for w in $restore; do
			case $w in
			new)
				# Only files that were not there at the snapshot: a tool that
				# rewrote some other session would keep its change.
				(cd "$store/sessions" && find . -maxdepth 1 -name 'sess_*' -printf '%f\n') >"$snap/files"
				printf 'find sessions -maxdepth 1 -name "sess_*" -newer %q -printf "%%f\\n" | grep -vxFf %q | sed "s|^|sessions/|" | xargs -r rm -f\n' \
					"$snap/marker" "$snap/files"
				;;
			esac
		done
		for w in $restore; do
			case $w in
			new) ;;
			index) cp "$store/sessions/_index.json" "$snap/_index.json"
				printf 'cp -f %q sessions/_index.json\n' "$snap/_index.json" ;;
			config) cp "$store/config.json" "$snap/config.json"
				printf 'cp -f %q config.json\n' "$snap/config.json" ;;
			project:*) cp "$store/projects/${w#project:}.json" "$snap/${w#project:}.json"
				printf 'cp -f %q projects/\n' "$snap/${w#project:}.json" ;;
			unarchive:*) printf 'rm -f %q\n' "sessions/archive/${w#unarchive:}.json" ;;
			rm:*) printf 'rm -rf %q\n' "${w#rm:}" ;;
			*) cp "$store/sessions/$w.json" "$snap/$w.json"
				printf 'cp -f %q sessions/\n' "$snap/$w.json" ;;
			esac
		done
		# Flush what the restore wrote, so that a timed run's fsyncs pay for
		# its own writes only (ext4 flushes every dirty file of a journal
		# transaction it commits).
		printf 'sync\n'
	} >"$prep"
	sleep 0.01
	touch "$snap/marker"
	printf '%s' "$prep"
}

rows=()
failures=()

# bench SIZE NAME RESTORE ARGS...: benchmark one command on both tools.
bench() {
	local size=$1 name=$2 restore=$3
	shift 3
	[[ -z ${ONLY:-} || $name =~ $ONLY ]] || return 0
	local tool prep cmd runs out rc json cells=() means=()
	for tool in "${tools[@]}"; do
		prep=$(snapshot "$tool" "$size" "$name" "$restore")
		cmd=$(cmd_of "$tool" "$size" "$@")
		# One checked run first: the original reports errors as {"error": ...}
		# with exit status 0, sess-manage with a non-zero status.
		bash "$prep"
		rc=0
		out=$(cd "$tmp" && eval "$cmd" 2>"$tmp/stderr") || rc=$?
		if ((rc != 0)) || jq -e 'type == "object" and has("error")' <<<"$out" >/dev/null 2>&1; then
			local msg
			msg=$( (jq -r '.error // empty' <<<"$out" 2>/dev/null; head -c 300 "$tmp/stderr") | head -n 3 | tr '\n' ' ')
			failures+=("$tool $name ($size): exit $rc: $msg")
			log "  $tool $name ($size): FAILED: exit $rc: $msg"
			cells+=("FAIL")
			means+=("")
			continue
		fi
		runs=$RUNS_SESS
		[[ $tool == orig ]] && runs=$RUNS_ORIG
		json=$results/$size-${name// /_}-$tool.json
		if ! (cd "$tmp" && hyperfine -N --warmup "$WARMUP" --runs "$runs" \
			--prepare "bash $prep" --export-json "$json" --command-name "$tool $name" \
			--style basic --time-unit millisecond "$cmd") >>"$results/hyperfine.log" 2>&1; then
			failures+=("$tool $name ($size): hyperfine failed, see $results/hyperfine.log")
			cells+=("FAIL")
			means+=("")
			continue
		fi
		local mean sd
		read -r mean sd < <(jq -r '.results[0] | "\(.mean * 1000) \(.stddev * 1000)"' "$json")
		cells+=("$(printf '%.1f ± %.1f' "$mean" "$sd")")
		means+=("$mean")
	done
	local ratio="–"
	if [[ -n ${means[0]} && -n ${means[1]} ]]; then
		ratio=$(printf '%.1f×' "$(jq -n --argjson o "${means[0]}" --argjson s "${means[1]}" '$o / $s')")
	fi
	if [[ ${BEFORE:-} ]]; then
		local change="–"
		if [[ -n ${means[1]} && -n ${means[2]} ]]; then
			change=$(printf '%+.0f%%' "$(jq -n --argjson b "${means[2]}" --argjson s "${means[1]}" '($s / $b - 1) * 100')")
		fi
		rows+=("| $name | $size | ${cells[0]} | ${cells[2]} | ${cells[1]} | $ratio | $change |")
		log "  $name ($size): before ${cells[2]} ms, now ${cells[1]} ms ($change)"
		return
	fi
	rows+=("| $name | $size | ${cells[0]} | ${cells[1]} | $ratio |")
	log "  $name ($size): original ${cells[0]} ms, sess ${cells[1]} ms, $ratio"
}

# --- the commands --------------------------------------------------------------

started=$(date +%s)
qs=$QUERY_SIZE
if [[ " $SIZES " == *" $qs "* ]]; then
	log "queries on $qs sessions"
	bench "$qs" overview "" overview
	bench "$qs" active-sessions "" active-sessions
	bench "$qs" "list-sessions --limit 20" "" list-sessions --limit 20
	bench "$qs" cleanup-stale "index ${STALE[$qs]}" cleanup-stale
fi

for size in $SIZES; do
	s=${S_ACT[$size]} p=${PROJ[$size]}
	log "state commands on $size sessions (active $s, project $p)"
	bench "$size" create-session "index new" create-session --project "$p" \
		--intent "Benchmark: create a session for the comparison run"
	bench "$size" add-event "index $s" add-event "$s" \
		--message "Benchmark event: measured the add-event path of both tools on one store"
	bench "$size" "update-session --current-activity" "index $s" update-session "$s" \
		--current-activity "Benchmarking update-session"
	bench "$size" add-commit "index $s" add-commit "$s" \
		--sha 0123456789abcdef0123456789abcdef01234567 --message "perf(bench): measure add-commit"
	bench "$size" add-decision "index $s" add-decision "$s" \
		--decision "Benchmark sessions are restored before every run"
	bench "$size" add-task "index $s" add-task "$s" --subject "Benchmark task one"
	bench "$size" add-tasks "index $s" add-tasks "$s" \
		--subjects "Benchmark task A" "Benchmark task B" "Benchmark task C"
	bench "$size" update-task "index $s" update-task "$s" --task-id "${TASK[$size]}" --status completed
	bench "$size" heartbeat "index $s" heartbeat "$s"
	bench "$size" heartbeat-project "index $s" heartbeat-project "$p"
	bench "$size" request-action "index $s" request-action "$s" --reason "Benchmark: please review"
	bench "$size" clear-action "index $s" clear-action "$s"
	bench "$size" park-session "index ${S_PARK[$size]}" park-session "${S_PARK[$size]}" \
		--reason "Benchmark park" --next-steps "Step one" "Step two"
	bench "$size" complete-session "index ${S_COMP[$size]}" complete-session "${S_COMP[$size]}" \
		--outcome "Benchmark complete" --next-steps "Next one"
	bench "$size" resume-session "index new ${S_RES[$size]}" resume-session "${S_RES[$size]}"
	bench "$size" get-session "" get-session "$s"
	bench "$size" register-project "config" register-project --name "Bench New" \
		--path /home/dev/projects/bench-new
	bench "$size" list-projects "" list-projects
	bench "$size" parked-sessions "" parked-sessions
	bench "$size" stale-sessions "" stale-sessions
	bench "$size" project-state "" project-state "$p"
	bench "$size" update-project-state "project:$p" update-project-state "$p" \
		--current-phase "Benchmark phase" --next-up "Step one" "Step two"
	bench "$size" "export (a session as JSON)" "" export "$s"
	bench "$size" capture-commits "index $s" capture-commits "$s" --repo-path "$repo"
	c=${S_DONE[$size]}
	bench "$size" archive "index $c unarchive:$c project:${PROJ_DONE[$size]}" archive --session-id "$c"
	bench "$size" cleanup-locks "" cleanup-locks
	bench "$size" check-notify "" check-notify
	bench "$size" setup "config rm:$tmp/proj/.claude" setup --project-path "$tmp/proj" --project-name "Bench Proj"
	bench "$size" rebuild-index "index" rebuild-index
done

# --- report ----------------------------------------------------------------------

printf '## sess-manage vs the original (%s)\n\n' "$(date -u +%Y-%m-%dT%H:%MZ)"
printf 'Machine: %s cores, %s; %s; hyperfine %s; sess at %s.\n' \
	"$(nproc)" "$(uname -sr)" "$(python3 --version)" "$(hyperfine --version | cut -d' ' -f2)" \
	"$(git describe --always --dirty 2>/dev/null || echo unknown)"
printf 'Runs: original %s, sess %s, after %s warm-up runs; mean ± σ in ms; ratio = original / sess.\n\n' \
	"$RUNS_ORIG" "$RUNS_SESS" "$WARMUP"
if [[ ${BEFORE:-} ]]; then
	printf 'Before: sess-manage built from %s (%s).\n\n' "$BEFORE" "$(git -C "$BEFORE" describe --always --dirty 2>/dev/null || echo unknown)"
	printf '| command | sessions | original ms | before ms | sess ms | ratio | change |\n'
	printf '|---|---:|---:|---:|---:|---:|---:|\n'
else
	printf '| command | sessions | original ms | sess ms | ratio |\n'
	printf '|---|---:|---:|---:|---:|\n'
fi
printf '%s\n' "${rows[@]}"
printf '\nEach state command does its full work on every run: the session it changes and the index\n'
printf 'are restored before each run, so cleanup-stale closes the same %s stale sessions every time.\n' \
	"$(wc -w <<<"${STALE[$qs]:-}" | tr -d ' ')"
if ((${#failures[@]})); then
	printf '\nFailures:\n\n'
	printf -- '- %s\n' "${failures[@]}"
fi
log "done in $(($(date +%s) - started)) s; raw results in $results"
