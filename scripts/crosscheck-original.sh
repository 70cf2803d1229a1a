#!/usr/bin/env bash
# crosscheck-original.sh — check by hand that the original Python tool
# (claude-sessions-dashboard) can read a store written by sess.
#
# Usage: scripts/crosscheck-original.sh ORIGINAL_CHECKOUT STORE_DIR
#
#   ORIGINAL_CHECKOUT  path to a checkout of the original tool (must contain manage.py)
#   STORE_DIR          a dashboard store directory (config.json, sessions/, projects/)
#
# STORE_DIR is copied into a fresh temporary HOME as $HOME/.claude/dashboard and
# the original's manage.py is run against that copy only; STORE_DIR is never
# modified. Every check must exit 0 and print valid JSON without an "error" key.
#
# Environment:
#   PYTHON=python3.11   interpreter for the original (needs Python >= 3.11)
#   KEEP_TMP=1          keep the temporary HOME for inspection
#   VERBOSE=1           print the output of every check, not only of failures
set -euo pipefail

usage() {
	echo "usage: $0 ORIGINAL_CHECKOUT STORE_DIR" >&2
	exit 2
}

[ $# -eq 2 ] || usage
[ -d "$1" ] || { echo "error: ORIGINAL_CHECKOUT $1 is not a directory" >&2; exit 2; }
[ -d "$2" ] || { echo "error: STORE_DIR $2 is not a directory" >&2; exit 2; }
ORIG=$(cd "$1" && pwd)
STORE=$(cd "$2" && pwd)
PY=${PYTHON:-python3}

[ -f "$ORIG/manage.py" ] || { echo "error: $ORIG/manage.py not found" >&2; exit 2; }
[ -d "$STORE/sessions" ] || [ -f "$STORE/config.json" ] ||
	{ echo "error: $STORE does not look like a dashboard store (no config.json, no sessions/)" >&2; exit 2; }
"$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' ||
	{ echo "error: the original needs Python >= 3.11 (set PYTHON=...)" >&2; exit 2; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/crosscheck-original.XXXXXX")
cleanup() {
	if [ "${KEEP_TMP:-0}" = 1 ]; then
		echo "temporary HOME kept: $TMP/home"
	else
		rm -rf "$TMP"
	fi
}
trap cleanup EXIT

mkdir -p "$TMP/home/.claude" "$TMP/out"
cp -R "$STORE" "$TMP/home/.claude/dashboard"
DASH="$TMP/home/.claude/dashboard"

PASS=0
FAIL=0
WARN=0
N=0

# orig CMD... : run the original against the temporary HOME.
orig() {
	(cd "$TMP" && HOME="$TMP/home" "$PY" "$ORIG/manage.py" "$@")
}

# json_ok FILE [PYTHON-EXPR]: FILE holds exactly one JSON value, which (if an
# object) has no "error" key; PYTHON-EXPR, if given, is evaluated with the
# parsed value bound to `v` and must be true. Prints a reason on failure.
json_ok() {
	"$PY" - "$1" "${2:-True}" <<'PYEOF'
import json, sys
path, expr = sys.argv[1], sys.argv[2]
try:
    with open(path, encoding="utf-8") as f:
        v = json.load(f)
except Exception as e:
    print(f"invalid JSON: {e}")
    sys.exit(1)
if isinstance(v, dict) and "error" in v:
    print(f"error key: {v['error']!r}")
    sys.exit(1)
try:
    ok = eval(expr, {}, {"v": v})
except Exception as e:
    print(f"assertion {expr!r} raised {type(e).__name__}: {e}")
    sys.exit(1)
if not ok:
    if isinstance(v, list):
        got = f"a list of {len(v)} items"
    else:
        got = json.dumps(v, ensure_ascii=False)
        got = got if len(got) <= 300 else got[:300] + "..."
    print(f"assertion failed: {expr}; got {got}")
    sys.exit(1)
PYEOF
}

# check NAME EXPR -- ARGS...: run the original with ARGS and check its output.
check() {
	local name=$1 expr=$2
	shift 3
	N=$((N + 1))
	local out="$TMP/out/$N.out" err="$TMP/out/$N.err" rc=0 why
	orig "$@" >"$out" 2>"$err" || rc=$?
	if [ "$rc" -ne 0 ]; then
		why="exit status $rc"
	elif ! why=$(json_ok "$out" "$expr"); then
		:
	else
		why=""
	fi
	if [ -z "$why" ]; then
		PASS=$((PASS + 1))
		echo "PASS  $name"
		[ "${VERBOSE:-0}" = 1 ] && sed 's/^/      | /' "$out"
	else
		FAIL=$((FAIL + 1))
		echo "FAIL  $name: $why"
		case $why in
		"assertion failed"*) ;;
		*) head -n 20 "$out" | sed 's/^/      out| /' ;;
		esac
	fi
	if [ -s "$err" ]; then
		WARN=$((WARN + 1))
		echo "      warning: $name wrote to stderr:"
		tail -n 10 "$err" | sed 's/^/      err| /'
	fi
	return 0
}

# pyrepr STRING: STRING as a Python literal, for use inside check expressions.
pyrepr() { "$PY" -c 'import sys; print(repr(sys.argv[1]))' "$1"; }

# Last check's stdout (for picking ids out of it).
last_out() { cat "$TMP/out/$N.out"; }

echo "original: $ORIG"
echo "store:    $STORE (copied to $DASH)"

# --- reads -------------------------------------------------------------------
check "list-projects" 'isinstance(v, dict)' -- list-projects
check "active-sessions" 'isinstance(v, list) and all(s["status"] == "active" for s in v)' -- active-sessions
ACTIVE_ID=$(last_out | "$PY" -c 'import json,sys
try:
    v = json.load(sys.stdin)
    print(v[0]["session_id"] if isinstance(v, list) and v else "")
except Exception:
    print("")')
check "parked-sessions" 'isinstance(v, list) and all(s["status"] == "parked" for s in v)' -- parked-sessions
check "list-sessions --limit 1000" 'isinstance(v, list)' -- list-sessions --limit 1000
COUNT_BEFORE=$(last_out | "$PY" -c 'import json,sys
try: print(len(json.load(sys.stdin)))
except Exception: print(-1)')
check "list-sessions --include-archived --limit 1000" 'isinstance(v, list)' -- list-sessions --include-archived --limit 1000
check "overview" 'isinstance(v, dict) and isinstance(v.get("projects"), list)' -- overview

# Session ids: file names in sessions/ and sessions/archive/ (not _index.json).
SESSION_FILES=0
for f in "$DASH"/sessions/*.json "$DASH"/sessions/archive/*.json; do
	[ -e "$f" ] || continue
	id=$(basename "$f" .json)
	case $id in _*) continue ;; esac
	case $f in "$DASH"/sessions/archive/*) where=archive ;; *) where=sessions; SESSION_FILES=$((SESSION_FILES + 1)) ;; esac
	check "get-session $id ($where)" "v.get('session_id') == $(pyrepr "$id")" -- get-session "$id"
done

# Projects: every projects/<slug>.json, plus registered ones (config.json) that
# have a state file. A registered project without projects/<slug>.json is
# skipped: the original itself answers {"error": "Project state not found"}.
SLUGS=$(
	{
		for f in "$DASH"/projects/*.json; do [ -e "$f" ] && basename "$f" .json; done
		[ -f "$DASH/config.json" ] && "$PY" -c 'import json,sys
for s in json.load(open(sys.argv[1], encoding="utf-8")).get("projects", {}): print(s)' "$DASH/config.json"
	} | sort -u
)
while IFS= read -r slug; do
	[ -n "$slug" ] || continue
	if [ -f "$DASH/projects/$slug.json" ]; then
		check "project-state $slug" "v.get('project_slug') == $(pyrepr "$slug")" -- project-state "$slug"
	else
		echo "SKIP  project-state $slug (registered, but no projects/$slug.json)"
	fi
done <<<"$SLUGS"

# --- index ------------------------------------------------------------------
# rebuild-index must see every sessions/sess_*.json, and the original's view
# through the store's own _index.json (list-sessions above) must not change
# when the index is rebuilt from the files: a stale or incomplete _index.json
# written by sess shows up here.
check "rebuild-index (entries == $SESSION_FILES session files)" \
	"v.get(\"status\") == \"rebuilt\" and v.get(\"entries\") == $SESSION_FILES" -- rebuild-index
check "list-sessions after rebuild-index (same count as before: $COUNT_BEFORE)" \
	"isinstance(v, list) and len(v) == $COUNT_BEFORE" -- list-sessions --limit 1000

# --- one write ----------------------------------------------------------------
if [ -n "$ACTIVE_ID" ]; then
	MSG="crosscheck-original write test ✓"
	check "add-event $ACTIVE_ID" "v.get('session_id') == $(pyrepr "$ACTIVE_ID") and v['events'][-1]['message'] == $(pyrepr "$MSG")" \
		-- add-event "$ACTIVE_ID" --message "$MSG"
	check "get-session $ACTIVE_ID (after add-event)" "v['events'][-1]['message'] == $(pyrepr "$MSG")" \
		-- get-session "$ACTIVE_ID"
else
	echo "SKIP  add-event (no active session)"
fi

[ "$WARN" -eq 0 ] || echo "$WARN check(s) wrote to stderr (see warnings above)"
echo "$PASS checks passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
