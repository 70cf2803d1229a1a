package hookio

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
)

// Repo is what a hook learns of the git repository around a folder by
// reading files, without starting git: a hook runs on every event, and a
// process costs more than the rest of its work.
type Repo struct {
	Root     string // the main work tree: a linked work tree's repository root, else Worktree
	Worktree string // the work tree holding the folder
	Branch   string // the checked-out branch; a detached HEAD gives the short sha
}

// RepoOf returns the repository holding dir, or ok false outside of one
// (or when its .git cannot be read).
func RepoOf(dir string) (r Repo, ok bool) {
	wt := WorktreeRoot(dir)
	if wt == "" {
		return Repo{}, false
	}
	dotgit := filepath.Join(wt, ".git")
	fi, err := os.Lstat(dotgit)
	if err != nil {
		return Repo{}, false
	}
	gitdir, root := dotgit, wt
	if !fi.IsDir() {
		// A linked work tree (git worktree add) or a submodule: .git is
		// a file "gitdir: <path>"; the repository's shared folder is named
		// by <gitdir>/commondir, and the main work tree is above it.
		gitdir = readGitdirFile(dotgit, wt)
		if gitdir == "" {
			return Repo{}, false
		}
		root = mainWorktree(gitdir, wt)
	}
	return Repo{Root: root, Worktree: wt, Branch: branchOf(gitdir)}, true
}

// readGitdirFile reads the gitdir a .git file points at, made absolute.
func readGitdirFile(path, wt string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	dir, ok := strings.CutPrefix(strings.TrimSpace(string(data)), "gitdir:")
	if !ok {
		return ""
	}
	dir = strings.TrimSpace(dir)
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(wt, dir)
	}
	return filepath.Clean(dir)
}

// mainWorktree is the main work tree of a linked one whose gitdir is
// given: the folder holding the common ".git" folder. Anything else (a
// bare repository, a submodule's folder under .git/modules) keeps wt.
func mainWorktree(gitdir, wt string) string {
	data, err := os.ReadFile(filepath.Join(gitdir, "commondir"))
	if err != nil {
		return wt
	}
	common := strings.TrimSpace(string(data))
	if !filepath.IsAbs(common) {
		common = filepath.Join(gitdir, common)
	}
	common = filepath.Clean(common)
	if filepath.Base(common) != ".git" {
		return wt
	}
	return filepath.Dir(common)
}

// branchOf reads HEAD in gitdir: the branch it names, or the first seven
// characters of a detached commit; "" when it cannot tell.
func branchOf(gitdir string) string {
	data, err := os.ReadFile(filepath.Join(gitdir, "HEAD"))
	if err != nil {
		return ""
	}
	head := string(bytes.TrimSpace(data))
	if ref, ok := strings.CutPrefix(head, "ref:"); ok {
		return strings.TrimPrefix(strings.TrimSpace(ref), "refs/heads/")
	}
	if len(head) >= 7 {
		return head[:7]
	}
	return ""
}
