package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
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
