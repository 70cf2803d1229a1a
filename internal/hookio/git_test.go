package hookio

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=T", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=master"}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// TestRepoOf: a subfolder, a linked work tree and a detached HEAD each map
// to the repository's main folder and the real branch; a folder outside any
// repository is not one.
func TestRepoOf(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("skipping: git is not installed (.ci/run installs it)")
	}
	base := t.TempDir()
	repo := filepath.Join(base, "My_App")
	sub := filepath.Join(repo, "src", "deep")
	if err := os.MkdirAll(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	git(t, repo, "init", "-q")
	git(t, repo, "commit", "-q", "--allow-empty", "-m", "one")
	wt := filepath.Join(base, "My_App-feature")
	git(t, repo, "worktree", "add", "-q", "-b", "feature/x", wt)
	detached := filepath.Join(base, "detached")
	git(t, repo, "worktree", "add", "-q", "--detach", detached)
	sha := git(t, repo, "rev-parse", "HEAD")[:7]
	outside := filepath.Join(base, "notes")
	os.MkdirAll(outside, 0o700)

	for _, tc := range []struct {
		dir  string
		want Repo
	}{
		{repo, Repo{Root: repo, Worktree: repo, Branch: "master"}},
		{sub, Repo{Root: repo, Worktree: repo, Branch: "master"}},
		{wt, Repo{Root: repo, Worktree: wt, Branch: "feature/x"}},
		{detached, Repo{Root: repo, Worktree: detached, Branch: sha}},
	} {
		have, ok := RepoOf(tc.dir)
		if !ok || have != tc.want {
			t.Errorf("RepoOf(%s): want %+v, have %+v (ok %v)", tc.dir, tc.want, have, ok)
		}
	}
	if r, ok := RepoOf(outside); ok {
		t.Errorf("a folder outside any repository: %+v", r)
	}
	if _, ok := RepoOf(""); ok {
		t.Error("an empty folder name is a repository")
	}
}
