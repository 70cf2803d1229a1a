package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sess-dev/sess/pkg/store"
	"github.com/sess-dev/sess/pkg/store/derived/transcripts"
)

// TestArchiveKilled kills the archive's append (sess-manage transcripts
// append, which the hooks start) at each of its calls that open, lock, cut, write
// and sync (strace fault injection), during an append of two frames onto
// an archive with a torn append at its end. After each kill the archive
// reads, and holds the transcript's first rows, each once; after the next
// append it holds every row, each once.
func TestArchiveKilled(t *testing.T) {
	strace := straceOrSkip(t)
	bin, err := exec.LookPath("sess-manage")
	if err != nil {
		t.Fatal(err)
	}
	base := t.TempDir()
	// Rows that redact to themselves: 2 MB archived before, 7 MB to come
	// (two frames), and a torn append after the archive's last commit.
	seed := filepath.Join(base, "seed")
	writeRows(t, filepath.Join(seed, "c.jsonl"), 0, 2<<20)
	runArchive(t, bin, seed, nil)
	writeRows(t, filepath.Join(seed, "c.jsonl"), 2<<20, 9<<20)
	arc := filepath.Join(seed, "store", ".transcripts", "c.jsonl.zst")
	appendFile(t, arc, []byte("\x28\xb5\x2f\xfd torn"))
	want, _ := os.ReadFile(filepath.Join(seed, "c.jsonl"))

	for _, call := range []string{"openat", "flock", "ftruncate", "pwrite64", "fsync"} {
		t.Run(call, func(t *testing.T) {
			for n := 1; n < 40; n++ {
				dir := filepath.Join(t.TempDir(), "copy")
				if out, err := exec.Command("cp", "-a", seed, dir).CombinedOutput(); err != nil {
					t.Fatalf("copy: %v: %s", err, out)
				}
				killed := runArchive(t, bin, dir, []string{strace, "-f", "-qq", "-o", "/dev/null", "-e", "trace=" + call, "-e", fmt.Sprintf("inject=%s:signal=KILL:when=%d", call, n)})
				have := archived(t, dir)
				if !bytes.HasPrefix(want, have) || len(have) > 0 && have[len(have)-1] != '\n' || len(have) < 2<<20 {
					t.Fatalf("after a kill at %s #%d: the archive holds %d bytes, not the first rows", call, n, len(have))
				}
				runArchive(t, bin, dir, nil)
				if have := archived(t, dir); !bytes.Equal(want, have) {
					t.Fatalf("after a kill at %s #%d and an append: %d bytes archived, want %d", call, n, len(have), len(want))
				}
				if !killed {
					t.Logf("killed at each of %d calls", n-1)
					return
				}
			}
		})
	}
}

// writeRows appends rows to path until it is size bytes long.
func writeRows(t *testing.T, path string, from, size int) {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o700)
	var b bytes.Buffer
	for i := 0; from+b.Len() < size; i++ {
		fmt.Fprintf(&b, "{\"n\":%d,\"at\":%d}\n", from+i, from+b.Len())
	}
	appendFile(t, path, b.Bytes())
}

func appendFile(t *testing.T, path string, data []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		t.Fatal(err)
	}
}

// runArchive runs the append on dir's transcript, under prefix (a
// tracer) if given, and reports whether it was killed.
func runArchive(t *testing.T, bin, dir string, prefix []string) bool {
	t.Helper()
	args := append(prefix, bin, "transcripts", "append", "c", "--dashboard-dir", filepath.Join(dir, "store"), "--transcript", filepath.Join(dir, "c.jsonl"))
	cmd := exec.Command(args[0], args[1:]...)
	// strace counts a call's n-th time per thread: on one P the child's
	// writes and syncs stay on one thread, so "the second write" is the
	// second of the process.
	cmd.Env = append(os.Environ(), "GOMAXPROCS=1")
	out, err := cmd.CombinedOutput()
	if prefix == nil && (err != nil || !strings.Contains(string(out), "archived_bytes")) {
		t.Fatalf("archive: %v: %s", err, out)
	}
	return !strings.Contains(string(out), "archived_bytes")
}

// archived is the archive's stream; it must read to its end.
func archived(t *testing.T, dir string) []byte {
	t.Helper()
	r, err := transcripts.Of(store.Open(filepath.Join(dir, "store"), store.Options{})).Open("c")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("read the archive: %v", err)
	}
	return data
}
