package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadStoreContents: corrupt, symlinked, oversized and wrongly typed
// session files, a corrupt index and a corrupt config do not stop listings,
// the overview, exports or cleanup; each bad file costs one warning line.
func TestBadStoreContents(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "register-project", "--name", "Web", "--path", "/x/web")
	good := createID(t, dir, "web")
	done := createID(t, dir, "web")
	mustRun(t, dir, "complete-session", done, "--outcome", "ok")
	sessions := filepath.Join(dir, "sessions")
	bad := map[string]func(p string) error{
		"sess_20260101T0000_0001": func(p string) error {
			return os.WriteFile(p, []byte(`{"session_id": "sess_20260101T0000_0001", "proj`), 0o600)
		},
		"sess_20260101T0000_0002": func(p string) error { return os.Symlink(filepath.Join(sessions, good+".json"), p) },
		"sess_20260101T0000_0003": func(p string) error {
			return os.WriteFile(p, append([]byte(`{"session_id": "sess_20260101T0000_0003", "intent": "`), bytes.Repeat([]byte("x"), 11<<20)...), 0o600)
		},
		"sess_20260101T0000_0004": func(p string) error {
			return os.WriteFile(p, []byte(`{"session_id": "sess_20260101T0000_0004", "project_slug": "web", "status": "active", "intent": 42}`), 0o600)
		},
	}
	for id, plant := range bad {
		if err := plant(filepath.Join(sessions, id+".json")); err != nil {
			t.Fatal(err)
		}
	}
	// The index still names them (as if they went bad after being indexed):
	// rebuild-index would drop them, so write the entries by hand.
	idx := map[string]map[string]any{}
	data, _ := os.ReadFile(filepath.Join(sessions, "_index.json"))
	json.Unmarshal(data, &idx)
	for id := range bad {
		idx[id] = map[string]any{"project_slug": "web", "status": "active", "intent": "bad", "started_at": "2026-01-01T00:00:00+00:00", "ended_at": nil, "last_heartbeat": "2026-01-01T00:00:00+00:00"}
	}
	data, _ = json.Marshal(idx)
	os.WriteFile(filepath.Join(sessions, "_index.json"), data, 0o600)

	check := func(name string, wantWarnings int, args ...string) string {
		t.Helper()
		cmd := sessManage(dir, args...)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Errorf("%s: %v\n%s\n%s", name, err, out, stderr.String())
		}
		lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
		if stderr.Len() == 0 {
			lines = nil
		}
		if len(lines) != wantWarnings {
			t.Errorf("%s: want %d warning lines, have %d:\n%s", name, wantWarnings, len(lines), stderr.String())
		}
		for id := range bad {
			if wantWarnings == len(bad) && !strings.Contains(stderr.String(), id) {
				t.Errorf("%s: no warning names %s", name, id)
			}
		}
		return string(out)
	}
	if out := check("active-sessions", 4, "active-sessions"); strings.Count(out, `"session_id"`) != 1 {
		t.Errorf("active-sessions: want the good session only:\n%s", out)
	}
	if out := check("overview", 4, "overview"); !strings.Contains(out, good) || !strings.Contains(out, done) {
		t.Errorf("overview lacks the good sessions")
	}
	if out := check("export", 4, "export", "web"); !strings.Contains(out, `"session_count": 2`) {
		t.Errorf("export: %s", out)
	}
	if out := check("list-sessions", 4, "list-sessions", "--limit", "100"); strings.Count(out, `"session_id"`) != 2 {
		t.Errorf("list-sessions: %s", out)
	}
	check("cleanup-stale", 4, "cleanup-stale")
	check("get good", 0, "get-session", good)

	// A corrupt index is rebuilt (one warning), a corrupt config is ignored
	// (one warning) and left as it was.
	os.WriteFile(filepath.Join(sessions, "_index.json"), []byte("{oops"), 0o600)
	os.WriteFile(filepath.Join(dir, "config.json"), []byte("[1,"), 0o600)
	for id := range bad {
		os.Remove(filepath.Join(sessions, id+".json"))
	}
	out := check("list after corrupt index", 1, "list-sessions")
	if strings.Count(out, `"session_id"`) != 2 {
		t.Errorf("list after corrupt index: %s", out)
	}
	out = check("overview with corrupt config", 1, "overview")
	// The issue "store in layers": a corrupt config degrades to the
	// projects of the sessions, with the default settings.
	if !strings.Contains(out, `"slug": "web"`) || !strings.Contains(out, `"dashboard_port": 9000`) {
		t.Errorf("overview with a corrupt config: want defaults and the sessions' projects:\n%s", out)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "config.json")); string(data) != "[1," {
		t.Error("a corrupt config must be left as it was")
	}
}
