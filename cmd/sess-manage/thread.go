package main

import (
	"context"
	"flag"
	"math"
	"path/filepath"

	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/sess-dev/sess/internal/cli"
	"github.com/sess-dev/sess/internal/hookio"
	"github.com/sess-dev/sess/internal/journal"
	"github.com/sess-dev/sess/pkg/export"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/jsonout"
)

func (a *app) thread() *ffcli.Command {
	return a.command(spec{
		name: "thread", usage: "<session-id>", args: []string{"session-id"},
		help: "print a session's thread: the sessions that carry each other on, with their tasks, commits, decisions, next steps and cost",
		run: func(ctx context.Context, args []string) (any, error) {
			thread, err := a.journal().Thread(args[0])
			if err != nil {
				return nil, err
			}
			out := export.Thread(args[0], thread)
			tc := a.threadCostOf(args[0], thread)
			if tc == nil {
				return out, nil
			}
			b, err := jsonout.Marshal(out)
			if err != nil {
				return nil, err
			}
			b, err = jsonout.AppendMember(b, "cost", tc)
			return raw(b), err
		},
	})
}

func (a *app) brief() *ffcli.Command {
	var cwd optString
	var all bool
	return a.command(spec{
		name: "brief", usage: "[<session-id> | --cwd DIR] [--all]", args: []string{"session-id"}, optionalArgs: 1,
		help: "print the resume brief of a session's thread, as SessionStart hands it to Claude Code",
		flags: func(fs *flag.FlagSet) {
			fs.Var(&cwd, "cwd", "the session of the work in this folder (default: the current folder)")
			fs.BoolVar(&all, "all", false, "the whole brief, not cut to brief_max_chars")
		},
		run: func(ctx context.Context, args []string) (any, error) {
			id := ""
			if len(args) > 0 {
				if cwd.set {
					return nil, cli.Usagef("give a session id or --cwd, not both")
				}
				id = args[0]
			} else {
				var err error
				if id, err = a.sessionIn(cwd); err != nil {
					return nil, err
				}
			}
			thread, err := a.journal().Thread(id)
			if err != nil {
				return nil, err
			}
			max := a.store().View().Config().Settings.BriefMax()
			if all {
				max = math.MaxInt
			}
			brief := export.Brief(thread, max, journal.IsLaunchIntent)
			if tc := a.threadCostOf(id, thread); all && brief != "" && tc != nil {
				brief += "\n\nCost of the thread: " + export.CostLine(tc.Total)
			}
			return raw(brief), nil
		},
	})
}

// sessionIn is the id of the session of the work in a folder (the current
// one by default): the folder's repository is its project, as for the hooks.
func (a *app) sessionIn(dir optString) (string, error) {
	d := "."
	if dir.set {
		d = dir.v
	}
	abs, err := filepath.Abs(d)
	if err != nil {
		return "", err
	}
	slug, worktree := session.SlugOf(abs), abs
	if repo, ok := hookio.RepoOf(abs); ok {
		slug, worktree = session.SlugOf(repo.Root), repo.Worktree
	}
	sess, err := journal.LatestIn(a.store(), slug, worktree)
	if err != nil {
		return "", err
	}
	if sess == nil {
		return "", session.NotFound("no session of the work in %s", abs)
	}
	return sess.SessionID, nil
}
