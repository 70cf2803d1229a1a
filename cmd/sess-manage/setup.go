package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/sess-dev/sess/examples"
	"github.com/sess-dev/sess/internal/notify"
	"github.com/sess-dev/sess/pkg/session"
)

func (a *app) setup() *ffcli.Command {
	var projectPath string
	var name optString
	return a.command(spec{
		name: "setup", usage: "--project-path DIR [--project-name NAME]", required: []string{"project-path"},
		help: "install the session-start and session-end skills into DIR/.claude/skills and register the project",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&projectPath, "project-path", "", "the project's folder")
			fs.Var(&name, "project-name", "display name (default: the folder name)")
		},
		run: func(ctx context.Context, _ []string) (any, error) {
			return a.installSkills(projectPath, name.ptr())
		},
	})
}

// setupResult is what setup did. slug, project_path, skills_installed and
// message are the original's fields; skills_skipped lists the files that
// were there already and were left alone, and project_registered says
// whether this run added the project to config.json (false: it was there,
// with its name, which setup leaves as it is).
type setupResult struct {
	Slug              string   `json:"slug"`
	ProjectPath       string   `json:"project_path"`
	SkillsInstalled   []string `json:"skills_installed"`
	SkillsSkipped     []string `json:"skills_skipped"`
	ProjectRegistered bool     `json:"project_registered"`
	Message           string   `json:"message"`
}

// installSkills copies the embedded example skills into the project, never
// over a file that is there already, and registers the project.
func (a *app) installSkills(projectPath string, name *string) (*setupResult, error) {
	abs, err := filepath.Abs(projectPath)
	if err == nil {
		abs, err = filepath.EvalSymlinks(abs)
	}
	if fi, serr := os.Stat(abs); err != nil || serr != nil || !fi.IsDir() {
		return nil, &session.Error{Code: session.CodeValidation, Field: "project_path", Message: fmt.Sprintf("not a folder: %q", projectPath)}
	}
	n := filepath.Base(abs)
	if name != nil {
		n = *name
	}
	res := &setupResult{ProjectPath: abs, SkillsInstalled: []string{}, SkillsSkipped: []string{}}
	err = fs.WalkDir(examples.Skills, "skills", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := examples.Skills.ReadFile(p)
		if err != nil {
			return err
		}
		rel := filepath.Join(".claude", filepath.FromSlash(p))
		target := filepath.Join(abs, rel)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			res.SkillsSkipped = append(res.SkillsSkipped, path.Join(".claude", p))
			return nil
		}
		if err != nil {
			return err
		}
		_, err = f.Write(data)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(target)
			return err
		}
		res.SkillsInstalled = append(res.SkillsInstalled, path.Join(".claude", p))
		return nil
	})
	if err != nil {
		return nil, &session.Error{Code: session.CodeStore, Message: "install skills", Err: err}
	}
	_, known := a.store().View().Config().Project(session.SlugOf(abs))
	if res.Slug, err = a.store().RegisterProject(n, abs); err != nil {
		return nil, err
	}
	res.ProjectRegistered = !known
	res.Message = res.summary()
	return res, nil
}

// summary says in a sentence or three what setup did and left alone.
func (r *setupResult) summary() string {
	files := func(n int) string {
		if n == 1 {
			return "1 skill file"
		}
		return fmt.Sprintf("%d skill files", n)
	}
	var msg string
	switch in, kept := len(r.SkillsInstalled), len(r.SkillsSkipped); {
	case kept == 0:
		msg = fmt.Sprintf("Installed %s.", files(in))
	case in == 0:
		msg = fmt.Sprintf("Installed nothing: the %s were there already and were left alone (skills_skipped).", files(kept))
	default:
		msg = fmt.Sprintf("Installed %s; left %d there already alone (skills_skipped).", files(in), kept)
	}
	if r.ProjectRegistered {
		msg += fmt.Sprintf(" Registered project %s.", r.Slug)
	} else {
		msg += fmt.Sprintf(" Project %s was registered already; left as it was.", r.Slug)
	}
	return msg + " Use /session-start to begin tracking and /session-end to close."
}

func (a *app) checkNotify() *ffcli.Command {
	var force, dryRun bool
	return a.command(spec{
		name: "check-notify", usage: "[--force] [--dry-run]",
		help: "notify of stale and long-parked sessions and of conversations waiting longer than waiting_notify_minutes (when notifications_enabled); waits also go to ntfy or a webhook",
		long: notifySettingsHelp(),
		flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&force, "force", false, "check even when notifications are disabled in config.json")
			fs.BoolVar(&dryRun, "dry-run", false, "send and record nothing; list what is due")
		},
		run: func(ctx context.Context, _ []string) (any, error) {
			return notify.Check(ctx, a.store(), a.notifier(), notify.Options{Force: force, DryRun: dryRun, Pusher: a.pusher})
		},
	})
}

// notifySettingsHelp lists the settings check-notify reads, for its -h:
// they live in config.json and sess.json, which have no command of their
// own.
func notifySettingsHelp() string {
	return fmt.Sprintf(`Settings, in config.json's "settings":
  notifications_enabled   true to notify at all (default false; --force checks anyway)
  parked_notify_hours     a session parked this long is told of (default 48)
  notify_cooldown_hours   a stale or parked session is told of again after this (default 12)
and in sess.json beside it (sess's own: the original stops on them in config.json):
  waiting_notify_minutes  a conversation waiting this long is told of, once per wait (default 10)
  notify_ntfy_url         also push waits to this ntfy topic, such as https://ntfy.sh/<topic>
  notify_webhook_url      also POST waits as JSON to this URL
A push carries the project, the intent and the reason, redacted; only waits are
pushed, by sess-cleanup (next to sess-manage or on PATH). A push that fails, or
gets no answer within %s, is listed under undelivered (with its target and
error) and tried again on the next run.`, notify.DefaultPushTimeout)
}
