package main

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"

	"github.com/sess-dev/sess/internal/hookconf"
)

// archiveModeVar chooses how a hook archives a transcript: "detached"
// (the default) starts sess-manage transcripts append and does not wait;
// "inline" waits for it; "off" keeps no archive.
const archiveModeVar = "SESS_TRANSCRIPT_ARCHIVE"

// archiver is how the hook hands off the archive's append (hook.Hook's
// Archive), by the mode getenv sets; nil keeps no archive.
//
// Why another process, and why detached: the append redacts every new row,
// and redaction reads about a megabyte a second; a turn adds tens to
// hundreds of kilobytes (a file read, a test run), a pasted screenshot a
// megabyte. That is 50 ms to a second inside a Stop hook whose own work is
// 4 ms. Starting the child costs the hook about a millisecond
// (bench/hooks.sh: a Stop with the archive off, and with a turn archived);
// the child runs in its own session with its standard files on /dev/null,
// so Claude Code waits for neither. It is sess-manage, not sess-hook
// again, so that sess-hook, started on every event, links no compressor.
func archiver(getenv func(string) string, dir string) func(claudeID, path string) error {
	mode := getenv(archiveModeVar)
	if mode == "off" {
		return nil
	}
	return func(claudeID, path string) error {
		if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
			return nil // no transcript yet: nothing to archive, no process started
		}
		prog, err := manageProgram()
		if err != nil {
			return err
		}
		cmd := exec.Command(prog, "transcripts", "append", claudeID, "--transcript", path, "--dashboard-dir", dir)
		if mode == "inline" {
			if out, err := cmd.CombinedOutput(); err != nil {
				return errors.New(string(out))
			}
			return nil
		}
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		if err := cmd.Start(); err != nil {
			return err
		}
		return cmd.Process.Release()
	}
}

// manageProgram is sess-manage: beside this program (go install puts
// them together), else on PATH.
func manageProgram() (string, error) {
	if exe, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(exe), hookconf.ArchiveProgram)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	p, err := exec.LookPath(hookconf.ArchiveProgram)
	if err != nil {
		return "", errors.New("sess-manage, which keeps the transcript archive, is not beside sess-hook nor on PATH: install it (go install ./cmd/...), or set " + archiveModeVar + "=off")
	}
	return p, nil
}
