#!/usr/bin/env bash
# generate.sh — write the golden outputs of this folder with the original
# tool (claude-sessions-dashboard), for the drop-in tests of sess-manage
# (cmd/sess-manage/parity_test.go).
#
# Usage: testdata/original-out/generate.sh [ORIGINAL_CHECKOUT]   (default /tmp/orig)
#
# Each command runs in a fresh temporary HOME holding a copy of
# testdata/original-store; nothing here is the original's code.
set -euo pipefail
ORIG=${1:-/tmp/orig}
HERE=$(cd "$(dirname "$0")" && pwd)
STORE=$HERE/../original-store
TMP=$(mktemp -d "${TMPDIR:-/tmp}/original-out.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# fresh: a new HOME with a copy of the original's store.
fresh() {
	rm -rf "$TMP/home"
	mkdir -p "$TMP/home/.claude"
	cp -R "$STORE" "$TMP/home/.claude/dashboard"
}
m() { (cd "$TMP" && HOME="$TMP/home" python3 "$ORIG/manage.py" "$@"); }

fresh
m list-sessions --limit 0 >"$HERE/list-sessions-limit-0.json"
m list-sessions --limit 20000 >"$HERE/list-sessions-limit-20000.json"
m list-sessions --project 'Not A Slug!' >"$HERE/list-sessions-bad-project.json"
m active-sessions --project 'Not A Slug!' >"$HERE/active-sessions-bad-project.json"
m parked-sessions --project 'Not A Slug!' >"$HERE/parked-sessions-bad-project.json"
m archive --days 0 >"$HERE/archive-days-0.json"

# capture-commits: a repository whose commits have fixed dates and authors,
# so that their shas are the same wherever it is made again (the test makes
# it with the same commands). The first is older than the session and is
# not captured.
fresh
R=$TMP/repo
git init -q "$R"
commit() {
	GIT_AUTHOR_DATE=$1 GIT_COMMITTER_DATE=$1 git -C "$R" -c user.name=T -c user.email=t@example.com \
		-c commit.gpgsign=false commit -q --allow-empty -m "$2"
}
commit 2026-11-20T10:00:00Z "chore: before the session"
commit 2026-11-26T10:00:00Z "feat: first"
commit 2026-11-26T10:01:00Z "fix: second | with a pipe"
commit 2026-11-26T10:02:00Z "docs: third"
S=sess_20261125T0917_9e48
m capture-commits "$S" --repo-path "$R" >"$HERE/capture-commits.json"
m capture-commits "$S" --repo-path "$R" >"$HERE/capture-commits-again.json"
m get-session "$S" >"$HERE/capture-commits-session.json"

# Project counts (issue 23): four sessions of one project, each with a
# commit and next steps, completed; the first three are then aged (their
# times set to January 2020 and the index rebuilt, as the test does). The
# original recounts total_sessions, last_activity and recent_commits from
# the sessions not archived on every refresh (archive --days among them);
# archive --session-id leaves projects/<slug>.json as it was; the overview
# shows the project file's total and last activity (0 and "" without one).
# Session ids are written as SESS1..SESS5, in the order of creation; the
# ids archive --days lists are sorted by that name (the original lists
# them in the folder's order).
rm -rf "$TMP/home"
mkdir -p "$TMP/home"
D=$TMP/home/.claude/dashboard
m register-project --name Counts --path /home/u/counts >/dev/null
ids=()
for i in 1 2 3 4; do
	id=$(m create-session --project counts --intent "work $i" | python3 -c 'import json,sys; print(json.load(sys.stdin)["session_id"])')
	ids+=("$id")
	m add-commit "$id" --sha "c0ffee$i" --message "commit $i" >/dev/null
	m complete-session "$id" --outcome "done $i" --next-steps "step $i" >/dev/null
done
# age: started_at, last_heartbeat and ended_at of a session file.
age() {
	python3 - "$D/sessions/$1.json" "$2" <<'PY'
import json, sys
path, day = sys.argv[1], sys.argv[2]
with open(path) as f:
    s = json.load(f)
s["started_at"] = f"2020-01-0{day}T10:00:00.000000+00:00"
s["last_heartbeat"] = s["ended_at"] = f"2020-01-0{day}T11:00:00.000000+00:00"
with open(path, "w") as f:
    json.dump(s, f, indent=2, ensure_ascii=False)
PY
}
age "${ids[0]}" 1
age "${ids[1]}" 2
age "${ids[2]}" 3
m rebuild-index >/dev/null
# named: stdin with the session ids replaced by SESS1..SESS5 and a list of
# session_ids sorted.
named() {
	python3 -c '
import json, sys
ids = sys.argv[1:]
text = sys.stdin.read()
for i, sid in enumerate(ids):
    text = text.replace(sid, f"SESS{i + 1}")
v = json.loads(text)
if isinstance(v, dict) and isinstance(v.get("session_ids"), list):
    v["session_ids"].sort()
print(json.dumps(v, indent=2, ensure_ascii=False))
' "${ids[@]}"
}
m archive --days 30 | named >"$HERE/counts-archive-days.json"
m project-state counts | named >"$HERE/counts-project-state-days.json"
named <"$D/projects/counts.json" >"$HERE/counts-project-file-days.json"
m archive --session-id "${ids[3]}" | named >"$HERE/counts-archive-id.json"
named <"$D/projects/counts.json" >"$HERE/counts-project-file-id.json"
m overview | named >"$HERE/counts-overview-id.json"
ids+=("$(m create-session --project counts --intent "work 5" | python3 -c 'import json,sys; print(json.load(sys.stdin)["session_id"])')")
m project-state counts | named >"$HERE/counts-project-state-create.json"
rm "$D/projects/counts.json"
m overview | named >"$HERE/counts-overview-no-state.json"
