package derived_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sess-dev/sess/pkg/store"
	"github.com/sess-dev/sess/pkg/store/derived"
)

// notifyFiles is the derived part of a new store, with its warnings.
func notifyFiles(t *testing.T) (*derived.Files, string, *bytes.Buffer) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "dashboard")
	var warnings bytes.Buffer
	f := derived.New(dir, time.Now, func(format string, args ...any) {
		warnings.WriteString(strings.TrimSpace(format) + "\n")
	})
	return f, dir, &warnings
}

func readState(t *testing.T, f *derived.Files) map[string]derived.NotifyEntry {
	t.Helper()
	var state map[string]derived.NotifyEntry
	if err := f.UpdateNotifyState(true, func(s map[string]derived.NotifyEntry) error { state = s; return nil }); err != nil {
		t.Fatal(err)
	}
	return state
}

// TestNotifyStateRoundTrip: what fn leaves is written, in the original's
// format, and read back; a dry run and a failed fn write nothing.
func TestNotifyStateRoundTrip(t *testing.T) {
	t.Parallel()
	f, dir, warnings := notifyFiles(t)
	if state := readState(t, f); len(state) != 0 {
		t.Fatalf("a missing file: want an empty state, have %v", state)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatal("a dry run made the store's folder")
	}
	entry := derived.NotifyEntry{Reason: "waiting since x", NotifiedAt: "2026-01-01T00:00:00+00:00", Told: []string{"desktop"}}
	err := f.UpdateNotifyState(false, func(s map[string]derived.NotifyEntry) error {
		s["sess_20260101T0000_abcd"] = entry
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "notify_state.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"sess_20260101T0000_abcd\": {\n    \"reason\": \"waiting since x\",\n    \"notified_at\": \"2026-01-01T00:00:00+00:00\",\n    \"told\": [\n      \"desktop\"\n    ]\n  }\n}\n"
	if string(data) != want {
		t.Errorf("notify_state.json:\nwant %s\nhave %s", want, data)
	}
	if state := readState(t, f); len(state) != 1 || state["sess_20260101T0000_abcd"].Reason != entry.Reason {
		t.Errorf("read back: %v", state)
	}
	for name, dry := range map[string]bool{"dry run": true, "failed": false} {
		err := f.UpdateNotifyState(dry, func(s map[string]derived.NotifyEntry) error {
			delete(s, "sess_20260101T0000_abcd")
			if !dry {
				return errors.New("no")
			}
			return nil
		})
		if after, _ := os.ReadFile(filepath.Join(dir, "notify_state.json")); string(after) != want {
			t.Errorf("%s: the file changed (%v):\n%s", name, err, after)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, ".pending.notify")); !os.IsNotExist(err) {
		t.Error("the pending marker is left after a write")
	}
	if w := warnings.String(); w != "" {
		t.Errorf("want no warning, have %q", w)
	}
}

// TestNotifyStateCorrupt: a corrupt file is an empty state, with a
// warning, and is replaced by the next write.
func TestNotifyStateCorrupt(t *testing.T) {
	t.Parallel()
	f, dir, warnings := notifyFiles(t)
	os.MkdirAll(dir, 0o700)
	os.WriteFile(filepath.Join(dir, "notify_state.json"), []byte("{not json"), 0o600)
	if state := readState(t, f); len(state) != 0 {
		t.Errorf("want an empty state, have %v", state)
	}
	if !strings.Contains(warnings.String(), "corrupt notify_state.json") {
		t.Errorf("want a warning, have %q", warnings.String())
	}
}

// TestNotifyStateInterrupted: a writer killed mid-write leaves its marker
// and temp file; the next writer, or the store's mend when no writer
// holds the lock, removes them.
func TestNotifyStateInterrupted(t *testing.T) {
	t.Parallel()
	leave := func(t *testing.T, dir string) {
		t.Helper()
		os.MkdirAll(dir, 0o700)
		os.WriteFile(filepath.Join(dir, ".pending.notify"), nil, 0o600)
		os.WriteFile(filepath.Join(dir, "notify_state.json.tmp"), []byte("{"), 0o600)
	}
	gone := func(t *testing.T, dir string) {
		t.Helper()
		for _, name := range []string{".pending.notify", "notify_state.json.tmp"} {
			if _, err := os.Stat(filepath.Join(dir, name)); !os.IsNotExist(err) {
				t.Errorf("%s is left", name)
			}
		}
	}
	t.Run("next writer", func(t *testing.T) {
		f, dir, _ := notifyFiles(t)
		leave(t, dir)
		if err := f.UpdateNotifyState(false, func(map[string]derived.NotifyEntry) error { return nil }); err != nil {
			t.Fatal(err)
		}
		gone(t, dir)
	})
	t.Run("store's mend", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "dashboard")
		leave(t, dir)
		st := store.Open(dir, store.Options{})
		st.View() // the first read of a process mends
		gone(t, dir)
	})
}
