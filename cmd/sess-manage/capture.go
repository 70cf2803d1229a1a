package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"github.com/sess-dev/sess/internal/journal"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/sess-dev/sess/pkg/session"
)

func (a *app) captureCommits() *ffcli.Command {
	var repo string
	return a.command(spec{
		name: "capture-commits", writes: true, usage: "<session-id> --repo-path DIR", args: []string{"session-id"},
		help: "record the git commits made since the session started", required: []string{"repo-path"},
		flags: func(fs *flag.FlagSet) { fs.StringVar(&repo, "repo-path", "", "path of the git repository") },
		run: func(ctx context.Context, args []string) (any, error) {
			st := a.store()
			sess, err := st.View().Session(args[0])
			if err != nil {
				return nil, err
			}
			if fi, err := os.Stat(repo); err != nil || !fi.IsDir() {
				return nil, &session.Error{Code: session.CodeValidation, Field: "repo_path", Message: fmt.Sprintf("not a folder: %q", repo)}
			}
			commits, err := gitCommitsSince(ctx, repo, sess.StartedAt)
			if err != nil {
				return nil, err
			}
			total := len(sess.Commits)
			added := 0
			if len(commits) > 0 {
				sess, added, err = journal.AddCommits(st, args[0], commits)
				if err != nil {
					return nil, err
				}
				total = len(sess.Commits)
			}
			return struct {
				Captured     int `json:"captured"`
				TotalCommits int `json:"total_commits"`
			}{added, total}, nil
		},
	})
}

// gitCommitsSince lists the commits of the repository's current branch made
// since a timestamp in git log's order, newest first: the order the
// original records them in.
func gitCommitsSince(ctx context.Context, repo, since string) ([]session.Commit, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", "log", "--since="+since, "--format=%H%x00%s")
	cmd.Dir = repo
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return nil, &session.Error{Code: session.CodeStore, Message: "git log failed: " + strings.TrimSpace(errb.String()), Err: err}
	}
	var commits []session.Commit
	for _, line := range strings.Split(out.String(), "\n") {
		sha, msg, ok := strings.Cut(line, "\x00")
		if !ok {
			continue
		}
		msg = strings.TrimSpace(msg)
		if msg == "" {
			msg = "(no message)"
		}
		if r := []rune(msg); len(r) > session.MaxMessage {
			msg = string(r[:session.MaxMessage])
		}
		commits = append(commits, session.Commit{SHA: sha, Message: msg})
	}
	if len(commits) > session.MaxCommits {
		commits = commits[:session.MaxCommits] // the newest
	}
	return commits, nil
}
