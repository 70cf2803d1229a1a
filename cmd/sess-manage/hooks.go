package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/sess-dev/sess/pkg/store"
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
					OwnInConfig: ownInConfig(a.store()), Archive: a.archiveSize}
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
	Settings string   `json:"settings"`
	Changed  bool     `json:"changed"`
	Backup   string   `json:"backup"`  // a new file each time: earlier backups are kept
	Removed  int      `json:"removed"` // sess commands taken out (install puts the current ones back)
	Retries  int      `json:"retries,omitempty"`
	Warnings []string `json:"warnings,omitempty"` // commands sess's only in part, left as they were
	Message  string   `json:"message"`
}

// editSettings applies edit to the settings file (or what a symlink points
// at): a diff on a dry run; else, when it changes anything, a backup of the
// old file and an atomic replace that never loses another program's write
// (hookconf.EditFile).
func (a *app) editSettings(path string, dryRun bool, edit func([]byte) (hookconf.Result, error)) (any, error) {
	if dryRun {
		return dryRunSettings(path, edit)
	}
	var editErr error
	w, err := hookconf.EditFile(path, time.Now(), func(data []byte) (hookconf.Result, error) {
		res, err := edit(data)
		editErr = err
		return res, err
	})
	if err != nil {
		return nil, settingsError(w.Path, err, editErr)
	}
	out := &settingsChange{Settings: w.Path, Changed: w.Result.Changed, Backup: w.Backup,
		Retries: w.Retries, Warnings: w.Result.Warnings}
	if !w.Result.Changed {
		out.Message = "nothing to change"
		return out, nil
	}
	out.Removed = w.Result.Removed
	out.Message = fmt.Sprintf("wrote %s", w.Path)
	if out.Backup != "" {
		out.Message += "; the previous version is " + out.Backup
	}
	return out, nil
}

// dryRunSettings prints the change edit would make, as a diff.
func dryRunSettings(path string, edit func([]byte) (hookconf.Result, error)) (any, error) {
	target, err := hookconf.Target(path)
	if err != nil {
		return nil, settingsError(path, err, nil)
	}
	old, err := os.ReadFile(target)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, &session.Error{Code: session.CodeStore, Message: "read settings", Err: err}
	}
	res, err := edit(old)
	if err != nil {
		return nil, settingsError(target, err, err)
	}
	if !res.Changed {
		return raw(fmt.Sprintf("no change to %s\n", target)), nil
	}
	return raw(diff.Diff(target, old, target+" (after)", res.Settings)), nil
}

// settingsError maps an error of editing the settings file to the CLI's
// codes: what the file holds or is (a duplicated "hooks", read-only, a
// dangling link) is the user's to fix; another program that kept writing
// it is a conflict, run again; the rest could not be read or written.
func settingsError(path string, err, editErr error) error {
	switch {
	case editErr != nil:
		return &session.Error{Code: session.CodeValidation, Field: "settings", Message: fmt.Sprintf("%s: %v; nothing changed", path, err)}
	case errors.Is(err, hookconf.ErrReadOnly), errors.Is(err, hookconf.ErrDanglingLink):
		return &session.Error{Code: session.CodeValidation, Field: "settings", Message: err.Error() + "; nothing changed"}
	case errors.Is(err, hookconf.ErrChanged):
		return &session.Error{Code: session.CodeConflict, Field: "settings", Message: err.Error() + "; nothing changed"}
	}
	return &session.Error{Code: session.CodeStore, Message: "edit settings", Err: err}
}

// ownInConfig are sess's own settings that config.json holds (the
// original stops on them): the doctor warns of them.
func ownInConfig(st *store.Store) []string { return st.View().OwnSettingsInConfig() }
