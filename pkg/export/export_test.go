package export_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sess-dev/sess/pkg/export"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/jsonout"
)

var update = flag.Bool("update", false, "rewrite golden files")

func strp(s string) *string { return &s }

// richSession has every field set, tasks in every status, and text with
// newlines, pipes, backticks and Markdown markers.
func richSession() *session.Session {
	return &session.Session{
		SessionID:       "sess_20260210T1430_a1b2",
		ProjectSlug:     "alpha-service",
		Status:          session.StatusCompleted,
		Intent:          "Export sessions | `sess-export`\nsecond line of the intent #",
		RoadmapRef:      strp("FASE D.4 | step `2`"),
		StartedAt:       "2026-02-10T14:30:00.000000+00:00",
		LastHeartbeat:   "2026-02-10T16:40:12.123456+00:00",
		EndedAt:         strp("2026-02-10T16:45:30.000000+00:00"),
		Outcome:         strp("Exports work.\nA second line | with a pipe.\n# not a heading\n---\n```\n<!-- not a comment\n\nA second paragraph."),
		ParkedReason:    strp("Waited for review\n==="),
		CurrentActivity: strp("Writing docs"),
		AwaitingAction:  strp("Review the layout"),
		Events: []session.Event{
			{Timestamp: "2026-02-10T14:30:00.000000+00:00", Message: "Session started"},
			{Timestamp: "2026-02-10T15:00:00Z", Message: "Ran the tests\nall | green\n## not a heading"},
			{Timestamp: "2026-02-10T17:05:00+01:00", Message: "Offset timestamp, shown in UTC"},
			{Timestamp: "yesterday", Message: "Timestamp that is not one"},
		},
		GitBranch:       "feature/`tick`",
		WorktreeRoot:    strp("/home/u/alpha-service"),
		ClaudeSessionID: strp("0d2c6f3e-9a41-4c55-8d1e-2b7f0c9e4a11"),
		FilesChanged:    []string{"pkg/export/export.go", "odd `name`.md", "`leading", "two\nlines.txt"},
		Commits: []session.Commit{
			{SHA: "0123456789abcdef0123456789abcdef01234567", Message: "feat: export\n\nBody | with a pipe"},
			{SHA: "abc", Message: "short sha"},
		},
		Decisions: []string{
			"Use `h` for hours",
			"Multi-line\ndecision with | pipe",
			"--",
			"[label]: https://example.com",
		},
		OpenQuestions: []string{"Should `--all` include active sessions?"},
		NextSteps:     []string{"Write the docs", "- - -", "```"},
		Tasks: []session.Task{
			{ID: "t00000001", Subject: "Write the exporter", Status: session.TaskCompleted, AddedAt: "2026-02-10T14:31:00.000000+00:00", UpdatedAt: "2026-02-10T15:10:00.000000+00:00"},
			{ID: "t00000002", Subject: "Escape text\nacross lines", Status: session.TaskInProgress, AddedAt: "2026-02-10T14:31:00.000000+00:00", UpdatedAt: "2026-02-10T15:20:00.000000+00:00"},
			{ID: "t00000003", Subject: "Port search", Status: session.TaskSkipped, AddedAt: "2026-02-10T14:31:00.000000+00:00", UpdatedAt: "2026-02-10T15:30:00.000000+00:00"},
			{ID: "t00000004", Subject: "Fuzz | it", Status: session.TaskPending, AddedAt: "2026-02-10T14:31:00.000000+00:00", UpdatedAt: "2026-02-10T14:31:00.000000+00:00"},
			{ID: "t00000005", Subject: "Golden files", Status: session.TaskCompleted, AddedAt: "2026-02-10T14:32:00.000000+00:00", UpdatedAt: "2026-02-10T16:00:00.000000+00:00"},
		},
	}
}

// bareSession has only the required fields; its lists are nil.
func bareSession() *session.Session {
	return &session.Session{
		SessionID:     "sess_20260211T0900_c3d4",
		ProjectSlug:   "alpha-service",
		Status:        session.StatusActive,
		Intent:        "Bare session",
		StartedAt:     "2026-02-11T09:00:00.000000+00:00",
		LastHeartbeat: "2026-02-11T09:00:00.000000+00:00",
		GitBranch:     "main",
	}
}

func parkedSession() *session.Session {
	return &session.Session{
		SessionID:     "sess_20260212T1000_e5f6",
		ProjectSlug:   "alpha-service",
		Status:        session.StatusParked,
		Intent:        "Wire up OAuth",
		StartedAt:     "2026-02-12T10:00:00.000000+00:00",
		LastHeartbeat: "2026-02-12T10:45:00.000000+00:00",
		ParkedReason:  strp("Waiting for the API keys"),
		Events: []session.Event{
			{Timestamp: "2026-02-12T10:45:00.000000+00:00", Message: "Parked: waiting for the API keys"},
		},
		GitBranch:     "feature/oauth",
		Decisions:     []string{"Use PKCE"},
		OpenQuestions: []string{"Who owns the client secret?"},
		NextSteps:     []string{"Ask ops for keys", "Finish the callback handler"},
		Tasks: []session.Task{
			{ID: "t00000010", Subject: "Callback handler", Status: session.TaskInProgress, AddedAt: "2026-02-12T10:05:00.000000+00:00", UpdatedAt: "2026-02-12T10:30:00.000000+00:00"},
			{ID: "t00000011", Subject: "Token refresh", Status: session.TaskPending, AddedAt: "2026-02-12T10:05:00.000000+00:00", UpdatedAt: "2026-02-12T10:05:00.000000+00:00"},
		},
	}
}

var exportNow = time.Date(2026, 2, 13, 8, 0, 0, 0, time.UTC)

func marshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := jsonout.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// golden compares have with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, have []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, have, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(want, have) {
		t.Errorf("%s: output differs from golden file (go test -update rewrites it)\n%s", name, firstDiff(string(want), string(have)))
	}
}

// firstDiff describes the first line where want and have differ.
func firstDiff(want, have string) string {
	wl, hl := strings.Split(want, "\n"), strings.Split(have, "\n")
	for i := 0; i < max(len(wl), len(hl)); i++ {
		var w, h string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(hl) {
			h = hl[i]
		}
		if w != h || i >= len(wl) || i >= len(hl) {
			return "line " + itoa(i+1) + ":\n want " + quote(w) + "\n have " + quote(h)
		}
	}
	return "(no line differs)"
}

func itoa(n int) string     { b, _ := json.Marshal(n); return string(b) }
func quote(s string) string { b, _ := json.Marshal(s); return string(b) }

func TestGolden(t *testing.T) {
	t.Parallel()
	project := []*session.Session{richSession(), bareSession(), parkedSession()}
	for _, tc := range []struct {
		name string
		have []byte
	}{
		{"session-rich.json", marshal(t, export.Session(richSession()))},
		{"session-rich.md", []byte(export.SessionMarkdown(richSession(), 1))},
		{"session-bare.json", marshal(t, export.Session(bareSession()))},
		{"session-bare.md", []byte(export.SessionMarkdown(bareSession(), 1))},
		{"session-parked.json", marshal(t, export.Session(parkedSession()))},
		{"session-parked.md", []byte(export.SessionMarkdown(parkedSession(), 1))},
		{"project.json", marshal(t, export.Project("alpha-service", project, exportNow))},
		{"project.md", []byte(export.ProjectMarkdown("alpha-service", project))},
		{"project-empty.md", []byte(export.ProjectMarkdown("alpha-service", nil))},
		{"recall-rich.md", []byte(export.RecallMarkdown(richSession(), export.Extras{}))},
		{"recall-bare.md", []byte(export.RecallMarkdown(bareSession(), export.Extras{}))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			golden(t, tc.name, tc.have)
		})
	}
}

func TestSessionJSONKeys(t *testing.T) {
	t.Parallel()
	s := bareSession()
	s.SchemaVersion = session.SchemaVersion
	dec := json.NewDecoder(bytes.NewReader(marshal(t, export.Session(s))))
	if _, err := dec.Token(); err != nil { // {
		t.Fatal(err)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		key := tok.(string)
		keys = append(keys, key)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			t.Fatal(err)
		}
		if string(raw) == "null" && key != "roadmap_ref" && key != "ended_at" && key != "outcome" &&
			key != "parked_reason" && key != "current_activity" && key != "awaiting_action" &&
			key != "worktree_root" && key != "claude_session_id" {
			t.Errorf("%s: null", key)
		}
	}
	want := []string{
		"session_id", "project_slug", "status", "intent", "roadmap_ref", "started_at",
		"last_heartbeat", "ended_at", "outcome", "parked_reason", "current_activity",
		"awaiting_action", "events", "git_branch", "worktree_root", "claude_session_id",
		"files_changed", "commits", "decisions", "open_questions", "next_steps", "tasks",
		"task_summary", "duration",
	}
	if !reflect.DeepEqual(want, keys) {
		t.Errorf("keys:\nwant %q\nhave %q", want, keys)
	}
}

func TestSessionDoesNotModify(t *testing.T) {
	t.Parallel()
	s := bareSession()
	s.SchemaVersion = session.SchemaVersion
	before := *s
	e := export.Session(s)
	if !reflect.DeepEqual(before, *s) {
		t.Errorf("Session modified its argument")
	}
	if want, have := 0, e.SchemaVersion; want != have {
		t.Errorf("SchemaVersion: want %d, have %d", want, have)
	}
}

func TestProjectEmpty(t *testing.T) {
	t.Parallel()
	have := string(marshal(t, export.Project("p", nil, exportNow)))
	want := "{\n  \"project\": \"p\",\n  \"exported_at\": \"2026-02-13T08:00:00.000000+00:00\",\n  \"session_count\": 0,\n  \"sessions\": []\n}\n"
	if want != have {
		t.Errorf("want %q, have %q", want, have)
	}
}

func TestDuration(t *testing.T) {
	t.Parallel()
	const base = "2026-02-10T14:30:00.000000+00:00"
	for _, tc := range []struct {
		name, start, end, want string
	}{
		{"no start", "", base, ""},
		{"no end", base, "", ""},
		{"bad start", "soon", base, ""},
		{"bad end", base, "2026-02-30T10:00:00Z", ""},
		{"zero", base, base, "0m"},
		{"under a minute", base, "2026-02-10T14:30:59.999999+00:00", "0m"},
		{"minutes", base, "2026-02-10T15:15:00.000000+00:00", "45m"},
		{"hours", base, "2026-02-10T16:30:00.000000+00:00", "2h"},
		{"hours and seconds", base, "2026-02-10T16:30:59+00:00", "2h"},
		{"hours and minutes", base, "2026-02-10T16:45:00.000000+00:00", "2h 15m"},
		{"over a day", base, "2026-02-11T16:31:00Z", "26h 1m"},
		{"offsets", "2026-02-10T15:30:00+01:00", "2026-02-10T14:30:00Z", "0m"},
		{"offsets hour", "2026-02-10T14:30:00+01:00", "2026-02-10T14:30:00Z", "1h"},
		{"naive is UTC", "2026-02-10T14:30:00", "2026-02-10T15:00:00Z", "30m"},
		{"bare dates", "2026-02-10", "2026-02-11", "24h"},
		{"fractions", "2026-02-10T14:30:00.9Z", "2026-02-10T14:31:00.1Z", "0m"},
		{"fractions minute", "2026-02-10T14:30:00.1Z", "2026-02-10T14:31:00.1Z", "1m"},
		{"negative", base, "2026-02-10T14:00:00.000000+00:00", ""},
		{"negative second", base, "2026-02-10T14:29:59.000000+00:00", ""},
		{"negative under a second", base, "2026-02-10T14:29:59.5Z", "0m"},
		{"centuries", "0001-01-01T00:00:00Z", "9999-12-31T00:00:00Z", "87649392h"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if want, have := tc.want, export.Duration(tc.start, tc.end); want != have {
				t.Errorf("Duration(%q, %q): want %q, have %q", tc.start, tc.end, want, have)
			}
		})
	}
}

// TestOriginalOutput compares with what the original tool printed for
// sessions of its store, when those reference files are present.
func TestOriginalOutput(t *testing.T) {
	t.Parallel()
	const root = "../../testdata"
	for _, tc := range []struct {
		id, md, json string
		// fix turns the original's Markdown into ours where the layout
		// differs on purpose.
		fix func(string) string
	}{
		{id: "sess_20261125T0917_674d", md: "export-session.md", json: "export-session.json"},
		{id: "sess_20261125T0917_315f", md: "export-session-active.md", fix: func(s string) string {
			// A multi-line event message is indented into its item.
			return strings.Replace(s, "line one\nline two\n\ttabbed", "line one\n  line two\n  \ttabbed", 1)
		}},
	} {
		t.Run(tc.id, func(t *testing.T) {
			t.Parallel()
			raw, err := os.ReadFile(filepath.Join(root, "original-store", "sessions", tc.id+".json"))
			if err != nil {
				t.Skip(err)
			}
			var s session.Session
			if err := json.Unmarshal(raw, &s); err != nil {
				t.Fatal(err)
			}
			if wantMD, err := os.ReadFile(filepath.Join(root, "original-output", tc.md)); err == nil {
				// The original's CLI printed the document with a newline.
				want := strings.TrimSuffix(string(wantMD), "\n")
				if tc.fix != nil {
					want = tc.fix(want)
				}
				if have := export.SessionMarkdown(&s, 1); want != have {
					t.Errorf("Markdown differs from %s\n%s", tc.md, firstDiff(want, have))
				}
			}
			if tc.json == "" {
				return
			}
			wantJSON, err := os.ReadFile(filepath.Join(root, "original-output", tc.json))
			if err != nil {
				return
			}
			// The same values; task_summary's keys are in store.TaskSummary's
			// order, which differs from the original's.
			var want, have any
			if err := json.Unmarshal(wantJSON, &want); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(marshal(t, export.Session(&s)), &have); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(want, have) {
				t.Errorf("JSON differs from %s:\nwant %v\nhave %v", tc.json, want, have)
			}
		})
	}
}
