package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sess-dev/sess/internal/archive"
	"github.com/sess-dev/sess/internal/hookconf"
	"github.com/sess-dev/sess/pkg/store"
	"github.com/sess-dev/sess/pkg/store/derived/transcripts"
)

// manageStandIn is what this test binary does as sess-manage: the one
// command sess-hook starts, transcripts append, through the same
// internal/archive (sess-manage's own tests run the command itself).
func manageStandIn() {
	args := os.Args[1:]
	var dir, transcript, cid string
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "--dashboard-dir":
			i++
			dir = args[i]
		case "--transcript":
			i++
			transcript = args[i]
		case "transcripts", "append":
		default:
			cid = args[i]
		}
	}
	if _, err := archive.Append(store.Open(dir, store.Options{}), cid, transcript); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

// hookBin is a folder with this test binary as sess-hook and as
// sess-manage, and the PATH that finds them.
func hookBin(t *testing.T) (bin, path string) {
	t.Helper()
	bin = t.TempDir()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{hookconf.Program, "sess-manage"} {
		if err := os.Symlink(exe, filepath.Join(bin, name)); err != nil {
			t.Fatal(err)
		}
	}
	return bin, bin + string(os.PathListSeparator) + os.Getenv("PATH")
}

// TestArchiveModes: PreCompact has sess-manage archive the transcript,
// waited for when SESS_TRANSCRIPT_ARCHIVE is inline; off keeps none; a
// sess-manage that is missing is one line on stderr.
func TestArchiveModes(t *testing.T) {
	t.Parallel()
	bin, path := hookBin(t)
	base := t.TempDir()
	dir := filepath.Join(base, "dashboard")
	for _, c := range []struct {
		mode, cid, path string
		want            bool
		wantStderr      string
	}{
		{"inline", "c-inline", path, true, ""},
		{"off", "c-off", path, false, ""},
		{"inline", "c-nomanage", "/nonexistent", false, "sess-manage, which keeps the transcript archive, is not beside sess-hook nor on PATH"},
	} {
		src := filepath.Join(base, c.cid+".jsonl")
		os.WriteFile(src, []byte(`{"type":"user","message":{"content":"mail ann@example.org"}}`+"\n"), 0o600)
		payload, _ := json.Marshal(map[string]any{"session_id": c.cid, "transcript_path": src, "hook_event_name": "PreCompact", "cwd": base, "trigger": "auto"})
		cmd := exec.Command(filepath.Join(bin, hookconf.Program))
		cmd.Env = append(os.Environ(), "SESS_DASHBOARD_DIR="+dir, archiveModeVar+"="+c.mode, "PATH="+c.path)
		cmd.Stdin = bytes.NewReader(payload)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s: %v", c.cid, err)
		}
		if c.wantStderr == "" && stderr.Len() > 0 || !strings.Contains(stderr.String(), c.wantStderr) {
			t.Errorf("%s: stderr: want %q, have %q", c.cid, c.wantStderr, stderr.String())
		}
		if want, have := c.want, transcripts.Of(store.Open(dir, store.Options{})).Archived(c.cid); want != have {
			t.Errorf("%s: archived: want %v, have %v", c.cid, want, have)
		}
	}
}

// TestHookLinksNoArchive: sess-hook starts on every event; the archive's
// compressor is sess-manage's to link.
func TestHookLinksNoArchive(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, d := range strings.Fields(string(out)) {
		if strings.HasPrefix(d, "github.com/klauspost/") || d == "github.com/sess-dev/sess/pkg/store/derived/transcripts" {
			t.Errorf("sess-hook links %s", d)
		}
	}
}
