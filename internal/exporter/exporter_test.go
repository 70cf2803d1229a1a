package exporter

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sess-dev/sess/internal/storetest"
	"github.com/sess-dev/sess/pkg/store"
)

func TestProgress(t *testing.T) {
	var b bytes.Buffer
	p := &progress{w: &b, total: 10, start: time.Now().Add(-2 * time.Second)}
	p.tick(5)
	p.tick(10)
	p.end()
	out := b.String()
	if !strings.Contains(out, "5/10 sessions") || !strings.Contains(out, "10/10 sessions") || !strings.Contains(out, "/s, ") || !strings.HasSuffix(out, "\n") {
		t.Errorf("progress: %q", out)
	}
	var quiet bytes.Buffer
	q := newProgress(&quiet, 10) // not a terminal
	q.tick(10)
	q.end()
	if quiet.Len() != 0 {
		t.Errorf("progress on a pipe: %q", quiet.String())
	}
}

// copyStore copies the store the original wrote (3 completed, 1 parked and
// 4 active sessions, 1 archived one) and opens it.
func copyStore(t *testing.T) (string, *store.Store) {
	t.Helper()
	dir := storetest.CopyOriginal(t)
	return dir, store.Open(dir, store.Options{Warnings: io.Discard})
}

// allGuarded runs All, failing the test if it has not returned in a minute:
// a guard against a hang (the FIFO case), not an assertion.
func allGuarded(t *testing.T, st *store.Store, o Options) *Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	type ret struct {
		res *Result
		err error
	}
	done := make(chan ret, 1)
	go func() {
		res, err := All(ctx, st, o)
		done <- ret{res, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatalf("All: %v", r.err)
		}
		return r.res
	case <-time.After(2 * time.Minute):
		t.Fatal("All did not return: it hangs")
		return nil
	}
}

// outsideSession writes a valid session file of id outside the store and
// returns its path: what a symlink in the store would smuggle in.
func outsideSession(t *testing.T, dir, id string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "sessions", "archive", "sess_20261125T0917_dd05.json"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), id+".json")
	if err := os.WriteFile(p, bytes.ReplaceAll(data, []byte("sess_20261125T0917_dd05"), []byte(id)), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestAllUnusableSessionFiles puts a FIFO, a file over store.MaxFileSize or
// a symlink to a session outside the store where a session file belongs:
// each is one entry in errors, the rest is exported, nothing hangs and no
// more than a few MiB are allocated. The cases run one after the other
// because the allocation count is the whole process's.
func TestAllUnusableSessionFiles(t *testing.T) {
	const (
		archivedNew = "sess_20261125T0917_aaaa" // not in the index
		completed   = "sess_20261125T0917_e04c" // in the index
		parked      = "sess_20261125T0917_f02b" // in the index
	)
	for _, tc := range []struct {
		name         string
		id           string
		setup        func(t *testing.T, dir, path string)
		live         bool // path is in sessions/, else in sessions/archive/
		wantExported int
		wantErr      string
	}{
		{"fifo in archive", archivedNew, mkfifo, false, 5, "not a regular file"},
		{"fifo in sessions", parked, mkfifo, true, 4, "not a regular file"},
		{"sparse 1.5 GiB file in archive", archivedNew, truncate(3 << 29), false, 5, "too large"},
		{"file just over the limit in sessions", completed, truncate(store.MaxFileSize + 1), true, 4, "too large"},
		{"symlink out of the archive", archivedNew, symlinkOut, false, 5, "symlink"},
		{"symlink out of sessions", completed, symlinkOut, true, 4, "symlink"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, st := copyStore(t)
			path := filepath.Join(dir, "sessions", "archive", tc.id+".json")
			if tc.live {
				path = filepath.Join(dir, "sessions", tc.id+".json")
			}
			tc.setup(t, dir, path)
			out := filepath.Join(t.TempDir(), "out")
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			res := allGuarded(t, st, Options{OutputDir: out})
			runtime.ReadMemStats(&after)
			if want, have := tc.wantExported, res.Exported; want != have {
				t.Errorf("exported: want %d, have %d (%+v)", want, have, res)
			}
			if len(res.Errors) != 1 || !strings.HasPrefix(res.Errors[0], tc.id+": ") || !strings.Contains(res.Errors[0], tc.wantErr) {
				t.Errorf("errors: want one for %s with %q, have %q", tc.id, tc.wantErr, res.Errors)
			}
			if m, _ := filepath.Glob(filepath.Join(out, "*", tc.id+".md")); len(m) != 0 {
				t.Errorf("exported what the store refuses: %v", m)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4*store.MaxFileSize {
				t.Errorf("allocated %d bytes: the file was read", alloc)
			}
		})
	}
}

func mkfifo(t *testing.T, _, path string) {
	os.Remove(path)
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
}

// truncate makes path a sparse file of size bytes (after what it held).
func truncate(size int64) func(t *testing.T, dir, path string) {
	return func(t *testing.T, _, path string) {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE, 0o600)
		if err == nil {
			err = f.Truncate(size)
			f.Close()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

func symlinkOut(t *testing.T, dir, path string) {
	target := outsideSession(t, dir, strings.TrimSuffix(filepath.Base(path), ".json"))
	os.Remove(path)
	if err := os.Symlink(target, path); err != nil {
		t.Fatal(err)
	}
}

// TestAllIncrementalDoesNotRead: an export newer than its session file is
// skipped without reading the session. A file made unreadable but left
// older than its export is not reported, until --force reads it.
func TestAllIncrementalDoesNotRead(t *testing.T) {
	t.Parallel()
	dir, st := copyStore(t)
	out := filepath.Join(t.TempDir(), "out")
	if res := allGuarded(t, st, Options{OutputDir: out}); res.Exported != 5 || len(res.Errors) != 0 {
		t.Fatalf("first run: %+v", res)
	}
	const id = "sess_20261125T0917_e04c"
	exp, err := os.Stat(filepath.Join(out, "my-project", id+".md"))
	if err != nil {
		t.Fatal(err)
	}
	sess := filepath.Join(dir, "sessions", id+".json")
	old := exp.ModTime().Add(-time.Hour)
	if err := os.WriteFile(sess, []byte("{corrupt"), 0o600); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(sess, old, old)
	for _, tc := range []struct {
		force                  bool
		wantExported, wantSkip int
		wantErrors             int
	}{
		{false, 0, 5, 0},
		{true, 4, 0, 1},
	} {
		res := allGuarded(t, st, Options{OutputDir: out, Force: tc.force})
		if res.Exported != tc.wantExported || res.Skipped != tc.wantSkip || len(res.Errors) != tc.wantErrors {
			t.Errorf("force %v: want %d exported, %d skipped, %d errors, have %+v", tc.force, tc.wantExported, tc.wantSkip, tc.wantErrors, res)
		}
	}
}

// TestAllFilters: --project and --since cut live and archived sessions
// alike (the archived one by the day in its id).
func TestAllFilters(t *testing.T) {
	t.Parallel()
	_, st := copyStore(t)
	for _, tc := range []struct {
		o    Options
		want int
	}{
		{Options{}, 5},
		{Options{Project: "web-app"}, 2}, // parked f02b, archived dd05
		{Options{Project: "my-project"}, 2},
		{Options{Since: "2026-11-25"}, 5},
		{Options{Since: "2026-11-25T23:59:00+00:00"}, 5},
		{Options{Since: "2026-11-26"}, 0},
		{Options{Project: "no-such-project"}, 0},
	} {
		tc.o.OutputDir = filepath.Join(t.TempDir(), "out")
		res := allGuarded(t, st, tc.o)
		if res.Exported != tc.want || len(res.Errors) != 0 {
			t.Errorf("%+v: want %d exported, have %+v", tc.o, tc.want, res)
		}
	}
}

// TestAllRemovesLeftovers: the temp files a killed export-all left in the
// output folder are removed by the next run; a young one (a run beside it
// writes it) and the user's own files stay.
func TestAllRemovesLeftovers(t *testing.T) {
	t.Parallel()
	_, st := copyStore(t)
	out := filepath.Join(t.TempDir(), "out")
	if res := allGuarded(t, st, Options{OutputDir: out}); res.Exported != 5 {
		t.Fatalf("first run: %+v", res)
	}
	project, _ := filepath.Glob(filepath.Join(out, "*"))
	if len(project) == 0 {
		t.Fatal("no project folder")
	}
	old := time.Now().Add(-time.Hour)
	files := map[string]bool{ // name: removed
		filepath.Join(out, ".sess_20261125T0917_e04c.md.123456789.tmp"):        true,
		filepath.Join(project[0], ".sess_20261125T0917_f02b.md.987654321.tmp"): true,
		filepath.Join(project[0], ".sess_20261125T0917_f02b.md.555.tmp"):       false, // young
		filepath.Join(project[0], ".notes.md.1.tmp"):                           false, // not an export's
		filepath.Join(project[0], "sess_20261125T0917_f02b.md.1.tmp"):          false,
	}
	for p, removed := range files {
		os.WriteFile(p, []byte("half"), 0o600)
		if removed || strings.Contains(p, "notes") || !strings.HasPrefix(filepath.Base(p), ".") {
			os.Chtimes(p, old, old)
		}
	}
	allGuarded(t, st, Options{OutputDir: out})
	for p, removed := range files {
		if _, err := os.Lstat(p); (err != nil) != removed {
			t.Errorf("%s: removed %v, want %v", filepath.Base(p), err != nil, removed)
		}
	}
}
