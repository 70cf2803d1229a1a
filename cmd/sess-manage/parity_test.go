package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// originalOut reads a golden output the original wrote
// (testdata/original-out, made by its generate.sh).
func originalOut(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testdata, "original-out", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestParityListings: on the original's store, listings the original
// answers without an error print what it printed: --limit 0 lists nothing,
// a limit above 10,000 is taken as it is, and a --project that no project
// can have (no valid slug) matches nothing, which is [] and no error.
func TestParityListings(t *testing.T) {
	t.Parallel()
	dir := copyOriginalStore(t)
	for _, tc := range []struct {
		args []string
		file string
	}{
		{[]string{"list-sessions", "--limit", "0"}, "list-sessions-limit-0.json"},
		{[]string{"list-sessions", "--limit", "20000"}, "list-sessions-limit-20000.json"},
		{[]string{"list-sessions", "--project", "Not A Slug!"}, "list-sessions-bad-project.json"},
		{[]string{"active-sessions", "--project", "Not A Slug!"}, "active-sessions-bad-project.json"},
		{[]string{"parked-sessions", "--project", "Not A Slug!"}, "parked-sessions-bad-project.json"},
	} {
		stdout, stderr, code := runInProcess(t, dir, tc.args...)
		if code != 0 || stderr != "" {
			t.Errorf("%q: exit %d, stderr %q", tc.args, code, stderr)
			continue
		}
		want := originalOut(t, tc.file)
		if w, h := canonicalJSON(t, want), canonicalJSON(t, stdout); w != h {
			t.Errorf("%q: output differs from the original's %s:\n%s", tc.args, tc.file, firstDiff(w, h))
		}
	}
	// --limit 0 and a filter that matches nothing print exactly "[]".
	for _, args := range [][]string{{"list-sessions", "--limit", "0"}, {"list-sessions", "--project", "Not A Slug!"}} {
		if stdout, _, _ := runInProcess(t, dir, args...); stdout != originalOut(t, "list-sessions-limit-0.json") {
			t.Errorf("%q: want %q, have %q", args, "[]\n", stdout)
		}
	}
}

// TestParityArchiveDaysZero: archive --days 0 is refused, as by the
// original, which prints {"error": "days must be positive (got 0)"}; sess
// keeps its contract (exit 1, a code) and says the same, and archives
// nothing.
func TestParityArchiveDaysZero(t *testing.T) {
	t.Parallel()
	dir := copyOriginalStore(t)
	before := snapshot(t, dir)
	stdout, stderr, code := runInProcess(t, dir, "archive", "--days", "0")
	var orig struct{ Error string }
	if err := json.Unmarshal([]byte(originalOut(t, "archive-days-0.json")), &orig); err != nil || orig.Error == "" {
		t.Fatalf("the original's output is no error: %v", err)
	}
	var have struct{ Error, Code string }
	if err := json.Unmarshal([]byte(stdout), &have); err != nil {
		t.Fatalf("not JSON: %q", stdout)
	}
	if code != 1 || have.Code != "VALIDATION_ERROR" {
		t.Errorf("want exit 1 and VALIDATION_ERROR, have %d %q (stderr %q)", code, have.Code, stderr)
	}
	// The original's message names the flag and the value it refused.
	for _, part := range []string{"days", "(got 0)"} {
		if !strings.Contains(orig.Error, part) || !strings.Contains(have.Error, part) {
			t.Errorf("both messages name %q: original %q, sess %q", part, orig.Error, have.Error)
		}
	}
	if after := snapshot(t, dir); !reflect.DeepEqual(before, after) {
		t.Error("archive --days 0 changed the store")
	}
	// Without --days, the config's archive_after_days applies, as before.
	if stdout, _, code := runInProcess(t, dir, "archive"); code != 0 || !strings.Contains(stdout, `"archived": `) {
		t.Errorf("archive: exit %d %s", code, stdout)
	}
}

// TestParityCaptureCommits: capture-commits records the commits in the
// original's order, git log's (newest first), from a repository made as
// generate.sh made it: the same commits, so the same shas.
func TestParityCaptureCommits(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	repo := t.TempDir()
	git := func(env []string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", repo, "-c", "user.name=T", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		cmd.Env = append(cmd.Env, env...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %q: %v\n%s", args, err, out)
		}
	}
	git(nil, "init", "-q")
	for _, c := range [][2]string{
		{"2026-11-20T10:00:00Z", "chore: before the session"},
		{"2026-11-26T10:00:00Z", "feat: first"},
		{"2026-11-26T10:01:00Z", "fix: second | with a pipe"},
		{"2026-11-26T10:02:00Z", "docs: third"},
	} {
		git([]string{"GIT_AUTHOR_DATE=" + c[0], "GIT_COMMITTER_DATE=" + c[0]}, "commit", "-q", "--allow-empty", "-m", c[1])
	}
	dir := copyOriginalStore(t)
	const id = "sess_20261125T0917_9e48"
	for _, file := range []string{"capture-commits.json", "capture-commits-again.json"} {
		stdout, stderr, code := runInProcess(t, dir, "capture-commits", id, "--repo-path", repo)
		if code != 0 {
			t.Fatalf("capture-commits: exit %d: %s %s", code, stdout, stderr)
		}
		if want := originalOut(t, file); stdout != want {
			t.Errorf("capture-commits: want the original's %s %q, have %q", file, want, stdout)
		}
	}
	stdout, _, _ := runInProcess(t, dir, "get-session", id)
	var want, have struct{ Commits []map[string]string }
	json.Unmarshal([]byte(originalOut(t, "capture-commits-session.json")), &want)
	json.Unmarshal([]byte(stdout), &have)
	if len(want.Commits) != 3 {
		t.Fatalf("the original's session holds %d commits", len(want.Commits))
	}
	if !reflect.DeepEqual(want.Commits, have.Commits) {
		w, _ := json.MarshalIndent(want.Commits, "", "  ")
		h, _ := json.MarshalIndent(have.Commits, "", "  ")
		t.Errorf("commits differ from the original's (newest first):\n%s", firstDiff(string(w), string(h)))
	}
}
