package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestParityProjectCounts runs the scenario of generate.sh's project counts
// and compares every output with the original's: a refresh (archive --days,
// create) recounts the project from the sessions not archived, archive
// --session-id leaves projects/<slug>.json as it was, and the overview
// shows the total and last activity of that file (0 and "" without one).
func TestParityProjectCounts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	m := func(args ...string) string {
		t.Helper()
		stdout, stderr, code := runInProcess(t, dir, args...)
		if code != 0 {
			t.Fatalf("%q: exit %d: %s %s", args, code, stdout, stderr)
		}
		return stdout
	}
	m("register-project", "--name", "Counts", "--path", "/home/u/counts")
	var ids []string
	for i := 1; i <= 4; i++ {
		ids = append(ids, createdID(t, m("create-session", "--project", "counts", "--intent", fmt.Sprint("work ", i))))
		m("add-commit", ids[i-1], "--sha", fmt.Sprint("c0ffee", i), "--message", fmt.Sprint("commit ", i))
		m("complete-session", ids[i-1], "--outcome", fmt.Sprint("done ", i), "--next-steps", fmt.Sprint("step ", i))
	}
	for i, id := range ids[:3] {
		ageSession(t, filepath.Join(dir, "sessions", id+".json"), i+1)
	}
	m("rebuild-index")
	projectFile := filepath.Join(dir, "projects", "counts.json")
	readFile := func() string {
		data, err := os.ReadFile(projectFile)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	check := func(golden, have string) {
		t.Helper()
		w, h := normalizeCounts(t, originalOut(t, golden), ids), normalizeCounts(t, have, ids)
		if w != h {
			t.Errorf("%s differs from the original's:\n%s", golden, firstDiff(w, h))
		}
	}
	check("counts-archive-days.json", m("archive", "--days", "30"))
	check("counts-project-state-days.json", m("project-state", "counts"))
	before := readFile()
	check("counts-project-file-days.json", before)
	check("counts-archive-id.json", m("archive", "--session-id", ids[3]))
	if after := readFile(); after != before {
		t.Errorf("archive --session-id rewrote projects/counts.json:\n%s", firstDiff(before, after))
	}
	check("counts-project-file-id.json", readFile())
	check("counts-overview-id.json", m("overview"))
	ids = append(ids, createdID(t, m("create-session", "--project", "counts", "--intent", "work 5")))
	check("counts-project-state-create.json", m("project-state", "counts"))
	if err := os.Remove(projectFile); err != nil {
		t.Fatal(err)
	}
	check("counts-overview-no-state.json", m("overview"))
}

func createdID(t *testing.T, stdout string) string {
	t.Helper()
	var s struct {
		SessionID string `json:"session_id"`
	}
	if err := json.Unmarshal([]byte(stdout), &s); err != nil || s.SessionID == "" {
		t.Fatalf("create-session printed no session: %q", stdout)
	}
	return s.SessionID
}

// ageSession sets a session file's start, heartbeat and end to day of
// January 2020, as generate.sh does, leaving the rest of its bytes alone.
func ageSession(t *testing.T, path string, day int) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for field, hour := range map[string]int{"started_at": 10, "last_heartbeat": 11, "ended_at": 11} {
		re := regexp.MustCompile(`"` + field + `": "[^"]*"`)
		to := fmt.Sprintf(`"%s": "2020-01-%02dT%02d:00:00.000000+00:00"`, field, day, hour)
		if !re.Match(data) {
			t.Fatalf("%s: no %s", path, field)
		}
		data = re.ReplaceAll(data, []byte(to))
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// clockTime is a timestamp of the clock's, not of 2020's aged sessions.
var clockTime = regexp.MustCompile(`"(20[2-9][1-9]|20[3-9]\d)-\d\d-\d\dT[^"]*"`)

// normalizeCounts makes an output of the counts scenario comparable: session
// ids become SESS1.., a list of session_ids is sorted, JSON is indented
// alike and the clock's timestamps are "<now>".
func normalizeCounts(t *testing.T, s string, ids []string) string {
	t.Helper()
	for i, id := range ids {
		s = strings.ReplaceAll(s, id, fmt.Sprint("SESS", i+1))
	}
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("not JSON: %v: %q", err, s)
	}
	if o, ok := v.(map[string]any); ok {
		if list, ok := o["session_ids"].([]any); ok {
			slices.SortFunc(list, func(a, b any) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
		}
	}
	b, _ := json.MarshalIndent(v, "", "  ")
	return clockTime.ReplaceAllString(string(b), `"<now>"`)
}
