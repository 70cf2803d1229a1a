package benchstore

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var testNow = time.Date(2026, 2, 10, 14, 30, 5, 123456000, time.UTC)

func generate(t *testing.T, n int, seed int64) string {
	t.Helper()
	return generateWith(t, Options{Sessions: n, Seed: seed, Now: testNow, LockFiles: true})
}

func generateWith(t *testing.T, opts Options) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "dashboard")
	if err := Generate(dir, opts); err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return dir
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func TestGenerate(t *testing.T) {
	t.Parallel()
	dir := generate(t, 200, 1)

	// Every JSON file parses.
	var jsonFiles int
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		var v any
		readJSON(t, path, &v)
		jsonFiles++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want, have := 200+1+10+1, jsonFiles; want != have {
		t.Errorf("json files: want %d, have %d", want, have)
	}

	var index map[string]indexEntry
	readJSON(t, filepath.Join(dir, "sessions", "_index.json"), &index)
	names, err := filepath.Glob(filepath.Join(dir, "sessions", "sess_*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fileIDs, indexIDs []string
	for _, name := range names {
		fileIDs = append(fileIDs, strings.TrimSuffix(filepath.Base(name), ".json"))
	}
	for id := range index {
		indexIDs = append(indexIDs, id)
	}
	slices.Sort(indexIDs)
	if !slices.Equal(fileIDs, indexIDs) {
		t.Fatalf("index keys differ from session files: %d keys, %d files", len(indexIDs), len(fileIDs))
	}

	idRE := regexp.MustCompile(`^sess_\d{8}T\d{4}_[0-9a-f]{4}$`)
	stampRE := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$`)
	counts := map[string]int{}
	var stale, bytesTotal int
	for _, name := range names {
		var s sessionRecord
		readJSON(t, name, &s)
		id := strings.TrimSuffix(filepath.Base(name), ".json")
		if want, have := id, s.SessionID; want != have {
			t.Errorf("session_id: want %s, have %s", want, have)
		}
		if !idRE.MatchString(id) {
			t.Errorf("%s: id does not match %s", id, idRE)
		}
		for _, ts := range []string{s.StartedAt, s.LastHeartbeat} {
			if !stampRE.MatchString(ts) {
				t.Errorf("%s: timestamp %q not in the original's form", id, ts)
			}
		}
		started, err := time.Parse(timeLayout, s.StartedAt)
		if err != nil {
			t.Fatal(err)
		}
		if want, have := started.Format("20060102T1504"), id[5:18]; want != have {
			t.Errorf("%s: id minute: want %s (started_at %s), have %s", id, want, s.StartedAt, have)
		}
		heartbeat, err := time.Parse(timeLayout, s.LastHeartbeat)
		if err != nil {
			t.Fatal(err)
		}
		if heartbeat.Before(started) || heartbeat.After(testNow) {
			t.Errorf("%s: heartbeat %s outside [started_at, now]", id, s.LastHeartbeat)
		}
		if s.Status == "active" {
			if age := testNow.Sub(heartbeat); age > 24*time.Hour {
				stale++
			} else if age > 3*time.Hour {
				t.Errorf("%s: active heartbeat %v old, want within 3h or stale", id, age)
			}
		}
		if (s.EndedAt == nil) != (s.Status == "active") {
			t.Errorf("%s: status %s with ended_at %v", id, s.Status, s.EndedAt)
		}
		e := index[id]
		if want, have := (indexEntry{s.ProjectSlug, s.Status, s.Intent, s.StartedAt, s.EndedAt, s.LastHeartbeat}), e; !equalEntry(want, have) {
			t.Errorf("%s: index entry: want %+v, have %+v", id, want, have)
		}
		if want, have := 4, s.SchemaVersion; want != have {
			t.Errorf("%s: schema_version: want %d, have %d", id, want, have)
		}
		counts[s.Status]++
		fi, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		bytesTotal += int(fi.Size())
	}
	for _, c := range []struct {
		status string
		want   int
	}{{"active", 10}, {"parked", 10}, {"completed", 180}} {
		if want, have := c.want, counts[c.status]; want != have {
			t.Errorf("%s sessions: want %d, have %d", c.status, want, have)
		}
	}
	if want, have := 1, stale; want != have {
		t.Errorf("stale active sessions: want %d, have %d", want, have)
	}
	if avg := bytesTotal / len(names); avg < 3500 || avg > 7000 {
		t.Errorf("mean session file size %d bytes, want about 4-6 KB", avg)
	}

	var cfg struct {
		Projects map[string]registration `json:"projects"`
		Settings settings                `json:"settings"`
	}
	readJSON(t, filepath.Join(dir, "config.json"), &cfg)
	if want, have := 10, len(cfg.Projects); want != have {
		t.Errorf("projects: want %d, have %d", want, have)
	}
	if want, have := defaultSettings(), cfg.Settings; want != have {
		t.Errorf("settings: want %+v, have %+v", want, have)
	}
	total := 0
	for slug := range cfg.Projects {
		var ps projectState
		readJSON(t, filepath.Join(dir, "projects", slug+".json"), &ps)
		total += ps.TotalSessions
	}
	if want, have := 200, total; want != have {
		t.Errorf("sum of project total_sessions: want %d, have %d", want, have)
	}
}

func equalEntry(a, b indexEntry) bool {
	if (a.EndedAt == nil) != (b.EndedAt == nil) || (a.EndedAt != nil && *a.EndedAt != *b.EndedAt) {
		return false
	}
	a.EndedAt, b.EndedAt = nil, nil
	return a == b
}

// TestFieldOrder checks that a session file lists its keys in the order of
// the original's Session dataclass, schema_version last.
func TestFieldOrder(t *testing.T) {
	t.Parallel()
	dir := generate(t, 20, 2)
	names, _ := filepath.Glob(filepath.Join(dir, "sessions", "sess_*.json"))
	data, err := os.ReadFile(names[0])
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"session_id", "project_slug", "status", "intent", "roadmap_ref",
		"started_at", "last_heartbeat", "ended_at", "outcome", "parked_reason",
		"current_activity", "awaiting_action", "events", "git_branch",
		"worktree_root", "claude_session_id", "files_changed", "commits",
		"decisions", "open_questions", "next_steps", "tasks", "schema_version",
	}
	var have []string
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, `  "`) {
			have = append(have, strings.SplitN(line[3:], `"`, 2)[0])
		}
	}
	if !slices.Equal(want, have) {
		t.Errorf("keys:\nwant %v\nhave %v", want, have)
	}
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	a, b := generate(t, 50, 7), generate(t, 50, 7)
	err := filepath.WalkDir(a, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, path)
		x, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil {
			return err
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with the same seed", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestPythonBytes re-encodes every file with Python's json.dump(indent=2,
// ensure_ascii=False) and wants the same bytes back.
func TestPythonBytes(t *testing.T) {
	t.Parallel()
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not on PATH")
	}
	short := generate(t, 100, 3)
	long := generateWith(t, Options{Sessions: 20, Seed: 3, Now: testNow, IntentLen: MaxIntent})
	const script = `
import json, pathlib, sys
bad = []
for p in sorted(f for d in sys.argv[1:] for f in pathlib.Path(d).rglob("*.json")):
    raw = p.read_text(encoding="utf-8")
    if json.dumps(json.loads(raw), indent=2, ensure_ascii=False) + "\n" != raw:
        bad.append(str(p))
print("\n".join(bad))
`
	out, err := exec.Command(python, "-c", script, short, long).CombinedOutput()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, out)
	}
	if s := strings.TrimSpace(string(out)); s != "" {
		t.Errorf("files Python would write differently:\n%s", s)
	}
}

func TestRefusesExistingStore(t *testing.T) {
	t.Parallel()
	dir := generate(t, 5, 1)
	if err := Generate(dir, Options{Sessions: 5, Now: testNow}); err == nil {
		t.Errorf("Generate over an existing store: want an error, have none")
	}
}

func TestCounts(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ n, active, parked, completed, stale int }{
		{0, 0, 0, 0, 0},
		{1, 0, 0, 1, 0},
		{10, 1, 1, 8, 1},
		{200, 10, 10, 180, 1},
		{10000, 500, 500, 9000, 50},
	} {
		a, p, done, s := Counts(c.n)
		if want, have := [4]int{c.active, c.parked, c.completed, c.stale}, [4]int{a, p, done, s}; want != have {
			t.Errorf("Counts(%d): want %v, have %v", c.n, want, have)
		}
	}
}

// TestIntentLen: with IntentLen every intent, in its file and in the index,
// is exactly that many 4-byte characters, and nothing else differs from the
// store the same Options without IntentLen give.
func TestIntentLen(t *testing.T) {
	t.Parallel()
	opts := Options{Sessions: 60, Seed: 5, Now: testNow}
	short := generateWith(t, opts)
	opts.IntentLen = MaxIntent
	long := generateWith(t, opts)

	var shortIndex, longIndex map[string]indexEntry
	readJSON(t, filepath.Join(short, "sessions", "_index.json"), &shortIndex)
	readJSON(t, filepath.Join(long, "sessions", "_index.json"), &longIndex)
	if want, have := len(shortIndex), len(longIndex); want != have {
		t.Fatalf("index entries: want %d, have %d", want, have)
	}
	for id, se := range shortIndex {
		le, ok := longIndex[id]
		if !ok {
			t.Fatalf("%s: in the store without IntentLen only", id)
		}
		if want, have := MaxIntent, utf8.RuneCountInString(le.Intent); want != have {
			t.Errorf("%s: index intent: want %d characters, have %d", id, want, have)
		}
		if want, have := 4*MaxIntent, len(le.Intent); want != have {
			t.Errorf("%s: index intent: want %d bytes, have %d", id, want, have)
		}
		var ss, ls sessionRecord
		readJSON(t, filepath.Join(short, "sessions", id+".json"), &ss)
		readJSON(t, filepath.Join(long, "sessions", id+".json"), &ls)
		if want, have := le.Intent, ls.Intent; want != have {
			t.Errorf("%s: intent in the file differs from the index's", id)
		}
		se.Intent, le.Intent, ss.Intent, ls.Intent = "", "", "", ""
		if !equalEntry(se, le) {
			t.Errorf("%s: index entry besides the intent: want %+v, have %+v", id, se, le)
		}
		x, _ := json.Marshal(ss)
		y, _ := json.Marshal(ls)
		if !bytes.Equal(x, y) {
			t.Errorf("%s: session besides the intent differs from the store without IntentLen", id)
		}
	}

	for _, n := range []int{-1, MaxIntent + 1} {
		dir := filepath.Join(t.TempDir(), "dashboard")
		if err := Generate(dir, Options{Sessions: 1, IntentLen: n}); err == nil {
			t.Errorf("Generate with IntentLen %d: want an error, have none", n)
		}
	}
}
