package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/peterbourgon/ff/v3/ffcli"
	"github.com/rogpeppe/go-internal/diff"

	"github.com/sess-dev/sess/internal/cli"
	"github.com/sess-dev/sess/internal/hookconf"
	"github.com/sess-dev/sess/pkg/session"
)

func (a *app) hooks() *ffcli.Command {
	var settings, binDir optString
	var dryRun bool
	return a.command(spec{
		name: "hooks", usage: "install|uninstall|doctor [--settings FILE] [--dry-run] [--bin-dir DIR]",
		args: []string{"install|uninstall|doctor"},
		help: "install sess's Claude Code hooks into settings.json, take them out, or check them",
		flags: func(fs *flag.FlagSet) {
			fs.Var(&settings, "settings", "Claude Code settings file (default ~/.claude/settings.json)")
			fs.BoolVar(&dryRun, "dry-run", false, "print the change as a diff; write nothing")
			fs.Var(&binDir, "bin-dir", "folder of sess-hook (default: this program's folder, else PATH)")
		},
		run: func(ctx context.Context, args []string) (any, error) {
			path, err := a.settingsPath(settings)
			if err != nil {
				return nil, err
			}
			switch args[0] {
			case "install":
				prog, err := a.hookProgram(binDir)
				if err != nil {
					return nil, err
				}
				return a.editSettings(path, dryRun, func(data []byte) (hookconf.Result, error) {
					return hookconf.Merge(data, hookconf.Groups(hookconf.Command(prog)))
				})
			case "uninstall":
				return a.editSettings(path, dryRun, hookconf.Remove)
			case "doctor":
				dir, err := cli.DashboardDir(a.dashboardDir)
				if err != nil {
					return nil, err
				}
				d := &hookconf.Doctor{Settings: path, Store: dir, Version: cli.Version(version), Getenv: a.getenv,
					OwnInConfig: a.store().OwnSettingsInConfig()}
				return d.Run(ctx), nil
			}
			return nil, cli.Usagef("unknown action %q: want install, uninstall or doctor", args[0])
		},
	})
}

// settingsPath is the settings file the flag names, else the user's.
func (a *app) settingsPath(flag optString) (string, error) {
	if flag.set {
		return filepath.Abs(flag.v)
	}
	home := a.getenv("HOME")
	if home == "" {
		var err error
		if home, err = os.UserHomeDir(); err != nil {
			return "", &session.Error{Code: session.CodeValidation, Field: "settings", Message: "no home folder: give --settings"}
		}
	}
	return filepath.Join(home, ".claude", "settings.json"), nil
}

// hookProgram is the absolute path of sess-hook: in --bin-dir, else beside
// this program (go install puts them together), else on PATH.
func (a *app) hookProgram(binDir optString) (string, error) {
	var candidates []string
	if binDir.set {
		candidates = []string{filepath.Join(binDir.v, hookconf.Program)}
	} else {
		if exe, err := os.Executable(); err == nil {
			if exe, err = filepath.EvalSymlinks(exe); err == nil {
				candidates = append(candidates, filepath.Join(filepath.Dir(exe), hookconf.Program))
			}
		}
		if p, err := exec.LookPath(hookconf.Program); err == nil {
			candidates = append(candidates, p)
		}
	}
	for _, c := range candidates {
		if abs, err := filepath.Abs(c); err == nil {
			if fi, err := os.Stat(abs); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
				return abs, nil
			}
		}
	}
	return "", &session.Error{Code: session.CodeValidation, Field: "bin_dir",
		Message: "sess-hook not found beside sess-manage or on PATH: install it (go install ./cmd/...) or give --bin-dir"}
}

// settingsChange is what hooks install and uninstall did.
type settingsChange struct {
	Settings string `json:"settings"`
	Changed  bool   `json:"changed"`
	Backup   string `json:"backup"`
	Removed  int    `json:"removed"` // sess commands taken out (install puts the current ones back)
	Message  string `json:"message"`
}

// editSettings applies edit to the settings file: a diff on a dry run;
// else, when it changes anything, a backup of the old file and an atomic
// replace of the file (or of what a symlink points at).
func (a *app) editSettings(path string, dryRun bool, edit func([]byte) (hookconf.Result, error)) (any, error) {
	if target, err := filepath.EvalSymlinks(path); err == nil {
		path = target
	}
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, &session.Error{Code: session.CodeStore, Message: "read settings", Err: err}
	}
	res, err := edit(old)
	if err != nil {
		return nil, &session.Error{Code: session.CodeValidation, Field: "settings", Message: fmt.Sprintf("%s: %v; nothing changed", path, err)}
	}
	out := &settingsChange{Settings: path, Changed: res.Changed}
	if res.Changed {
		out.Removed = res.Removed
	}
	if dryRun {
		if !res.Changed {
			return raw(fmt.Sprintf("no change to %s\n", path)), nil
		}
		return raw(diff.Diff(path, old, path+" (after)", res.Settings)), nil
	}
	if !res.Changed {
		out.Message = "nothing to change"
		return out, nil
	}
	if old != nil {
		out.Backup = fmt.Sprintf("%s.%s.bak", path, time.Now().UTC().Format("20060102T150405"))
		if err := writeFileAtomic(out.Backup, old); err != nil {
			return nil, &session.Error{Code: session.CodeStore, Message: "back up settings", Err: err}
		}
	}
	if err := writeFileAtomic(path, res.Settings); err != nil {
		return nil, &session.Error{Code: session.CodeStore, Message: "write settings", Err: err}
	}
	out.Message = fmt.Sprintf("wrote %s", path)
	if out.Backup != "" {
		out.Message += "; the previous version is " + out.Backup
	}
	return out, nil
}

// writeFileAtomic replaces path with data through a synced temp file in its
// folder, keeping the old file's mode (0600 for a new one: settings can
// hold secrets in "env").
func writeFileAtomic(path string, data []byte) error {
	mode := fs.FileMode(0o600)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(mode)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
