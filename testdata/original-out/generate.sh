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
