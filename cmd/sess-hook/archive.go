package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/debug"
	"syscall"

	"github.com/sess-dev/sess/internal/journal/hook"
	"github.com/sess-dev/sess/pkg/store"
)

// archiveModeVar chooses how a hook archives a transcript: "detached"
// (the default) starts this program again to do it and does not wait;
// "inline" does it in the hook, which then waits for it; "off" keeps no
// archive.
const archiveModeVar = "SESS_TRANSCRIPT_ARCHIVE"

// archiver is how the hook hands off an archive's append (hook.Hook's
// Archive), by the mode getenv sets: nil runs it in the hook.
//
// Why detached: the append redacts every new row, and redaction reads
// about a megabyte a second; a turn adds tens to hundreds of kilobytes
// (a file read, a test run), a pasted screenshot a megabyte. That is
// 50 ms to a second inside a Stop hook whose own work is 4 ms. Starting
// the child costs the hook about a millisecond (bench/hooks.sh: the Stop
// with and without the archive); the child runs in its own session, its
// standard files on /dev/null, so Claude Code waits for neither.
func archiver(getenv func(string) string, dir string) func(claudeID, path string) error {
	switch getenv(archiveModeVar) {
	case "off":
		return func(string, string) error { return nil }
	case "inline":
		return nil
	}
	return func(claudeID, path string) error {
		exe, err := os.Executable()
		if err != nil {
			return err
		}
		cmd := exec.Command(exe, "--dashboard-dir", dir, "--archive-transcript", claudeID, "--transcript", path)
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		if err := cmd.Start(); err != nil {
			return err
		}
		return cmd.Process.Release()
	}
}

// archiveNow is the detached child's work: one append, its problem one
// line on stderr (on /dev/null when a hook started it; a person running
// it sees it).
func archiveNow(dir, claudeID, path string, stdout, stderr io.Writer) error {
	// A long append allocates as it goes: collect as usual, unlike a hook.
	debug.SetGCPercent(100)
	st := store.Open(dir, store.Options{Warnings: stderr})
	a, err := hook.ArchiveTranscript(st, claudeID, path)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "{\"archived_bytes\": %d, \"frames\": %d, \"part\": %d}\n", a.Bytes, a.Frames, a.Part)
	return err
}
