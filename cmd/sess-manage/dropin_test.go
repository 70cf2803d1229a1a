package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/sess-dev/sess/internal/storetest"
)

const testdata = "../../testdata"

func copyOriginalStore(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "dashboard")
	if err := storetest.CopyTree(filepath.Join(testdata, "original-store"), dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestDropInReadsOriginal: on a store the original wrote, sess-manage prints
// what the original printed, byte for byte where nothing depends on the
// clock.
func TestDropInReadsOriginal(t *testing.T) {
	t.Parallel()
	dir := copyOriginalStore(t)
	for _, tc := range []struct {
		args []string
		file string
	}{
		{[]string{"get-session", "sess_20261125T0917_315f"}, "get-session.json"},
		{[]string{"list-projects"}, "list-projects.json"},
		{[]string{"project-state", "alpha-service"}, "project-state.json"},
		{[]string{"export", "sess_20261125T0917_674d", "--format", "json"}, "export-session.json"},
		{[]string{"export", "sess_20261125T0917_674d", "--format", "markdown"}, "export-session.md"},
		{[]string{"export", "sess_20261125T0917_315f", "--format", "markdown"}, "export-session-active.md"},
		{[]string{"export", "alpha-service", "--format", "markdown"}, "export-project.md"},
	} {
		stdout, stderr, code := runInProcess(t, dir, tc.args...)
		if code != 0 {
			t.Errorf("%q: exit %d: %s %s", tc.args, code, stdout, stderr)
			continue
		}
		want, err := os.ReadFile(filepath.Join(testdata, "original-output", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		// The original's print() adds a newline after a Markdown document
		// that already ends in one; sess indents the continuation lines of a
		// multi-line list item, so that a line like "- x" cannot start a new
		// item; JSON is compared as values (task_summary keys come in
		// another order).
		// A Markdown document ends as the original's does: print() adds a
		// blank line after it.
		if trailing := func(s string) int { return len(s) - len(strings.TrimRight(s, "\n")) }; trailing(string(want)) != trailing(stdout) {
			t.Errorf("%q: ends with %d newlines, the original's %s with %d", tc.args, trailing(stdout), tc.file, trailing(string(want)))
		}
		w, h := strings.TrimRight(string(want), "\n"), strings.TrimRight(stdout, "\n")
		if strings.HasSuffix(tc.file, ".md") {
			w, h = trimLines(w), trimLines(h)
		} else {
			w, h = canonicalJSON(t, w), canonicalJSON(t, h)
		}
		if w != h {
			t.Errorf("%q: output differs from the original's %s:\n%s", tc.args, tc.file, firstDiff(w, h))
		}
	}

	// The overview: the same sessions in the same shape, the totals and last
	// activity of the original's project files (stale on purpose). The
	// clock-dependent values (timestamp, is_stale) are left out.
	stdout, _, code := runInProcess(t, dir, "overview")
	if code != 0 {
		t.Fatal(stdout)
	}
	var have, want map[string]any
	json.Unmarshal([]byte(stdout), &have)
	data, _ := os.ReadFile(filepath.Join(testdata, "original-output", "overview.json"))
	json.Unmarshal(data, &want)
	strip := func(ov map[string]any) {
		delete(ov, "timestamp")
		for _, p := range ov["projects"].([]any) {
			pm := p.(map[string]any)
			for _, s := range pm["active_sessions"].([]any) {
				delete(s.(map[string]any), "is_stale")
			}
		}
	}
	strip(have)
	strip(want)
	if !reflect.DeepEqual(want, have) {
		w, _ := json.MarshalIndent(want, "", "  ")
		h, _ := json.MarshalIndent(have, "", "  ")
		t.Errorf("overview differs from the original's:\n%s", firstDiff(string(w), string(h)))
	}
}

func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimLeft(l, " ")
	}
	return strings.Join(lines, "\n")
}

func canonicalJSON(t *testing.T, s string) string {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

func firstDiff(want, have string) string {
	wl, hl := strings.Split(want, "\n"), strings.Split(have, "\n")
	for i := 0; i < len(wl) || i < len(hl); i++ {
		var w, h string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(hl) {
			h = hl[i]
		}
		if w != h {
			return "line " + itoa(i+1) + ":\n  original: " + w + "\n  sess:     " + h
		}
	}
	return "(no line differs)"
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// TestDropInWritesOriginal: sess-manage changes a store the original wrote
// and leaves it whole, in the original's format.
func TestDropInWritesOriginal(t *testing.T) {
	t.Parallel()
	dir := copyOriginalStore(t)
	steps := [][]string{
		{"add-event", "sess_20261125T0917_315f", "--message", "from sess"},
		{"add-tasks", "sess_20261125T0917_315f", "--subjects", "one more"},
		{"complete-session", "sess_20261125T0917_35bb", "--outcome", "done by sess", "--next-steps", "a", "b"},
		{"park-session", "sess_20261125T0917_9e48", "--reason", "parked by sess"},
		{"resume-session", "sess_20261125T0917_f02b"},
		{"register-project", "--name", "New", "--path", "/home/u/new"},
		{"update-project-state", "web-app", "--current-phase", "beta"},
		{"archive", "--session-id", "sess_20261125T0917_0f1f"},
		{"create-session", "--project", "new", "--intent", "fresh"},
	}
	for _, args := range steps {
		if out, stderr, code := runInProcess(t, dir, args...); code != 0 {
			t.Fatalf("%q: exit %d: %s %s", args, code, out, stderr)
		}
	}
	ids := checkStore(t, dir)
	if len(ids) != 9 { // 8 - 1 archived + 1 resumed + 1 created
		t.Errorf("want 9 live sessions, have %d", len(ids))
	}
	// Every session file keeps the original's layout: all fields, schema 4
	// last, 2-space indent, raw UTF-8.
	for _, id := range ids {
		data, _ := os.ReadFile(filepath.Join(dir, "sessions", id+".json"))
		var m map[string]any
		json.Unmarshal(data, &m)
		if len(m) != 23 || m["schema_version"] != 4.0 || !strings.HasSuffix(string(data), "  \"schema_version\": 4\n}\n") {
			t.Errorf("%s: not in the original's layout:\n%s", id, data)
		}
	}
	a, _ := os.ReadFile(filepath.Join(dir, "sessions", "sess_20261125T0917_315f.json"))
	if !strings.Contains(string(a), "é") || strings.Contains(string(a), `\u00e9`) || strings.Contains(string(a), `\u003c`) {
		t.Error("text must stay raw UTF-8 with < unescaped")
	}
	// config.json keeps its projects and settings and gains the new one.
	var cfg struct {
		Version  int
		Projects map[string]map[string]string
		Settings map[string]any
	}
	data, _ := os.ReadFile(filepath.Join(dir, "config.json"))
	if err := json.Unmarshal(data, &cfg); err != nil || cfg.Version != 1 || len(cfg.Projects) != 4 || len(cfg.Settings) != 6 {
		t.Errorf("config after register: %+v %v", cfg, err)
	}
}

// TestOlderSchemas: session files of schema 1 to 3 and other timestamp forms
// are read, listed and migrated to 4 on their next write.
func TestOlderSchemas(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := storetest.CopyTree(filepath.Join(testdata, "schemas"), filepath.Join(dir, "sessions")); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := runInProcess(t, dir, "list-sessions", "--limit", "100")
	if code != 0 || stderr != "" {
		t.Fatalf("list: %d %s %s", code, out, stderr)
	}
	var list []map[string]any
	json.Unmarshal([]byte(out), &list)
	if len(list) != 4 {
		t.Fatalf("want 4 sessions, have %d", len(list))
	}
	for _, s := range list {
		if _, ok := s["schema_version"]; ok {
			t.Error("printed sessions carry no schema_version")
		}
		if s["tasks"] == nil || s["git_branch"] == "" {
			t.Errorf("not migrated: %v", s)
		}
		id := s["session_id"].(string)
		if _, stderr, code := runInProcess(t, dir, "add-event", id, "--message", "touch"); code != 0 {
			t.Fatalf("add-event %s: %s", id, stderr)
		}
		data, _ := os.ReadFile(filepath.Join(dir, "sessions", id+".json"))
		var m map[string]any
		json.Unmarshal(data, &m)
		if m["schema_version"] != 4.0 || len(m) != 23 {
			t.Errorf("%s after a write: schema %v, %d fields", id, m["schema_version"], len(m))
		}
	}
}
