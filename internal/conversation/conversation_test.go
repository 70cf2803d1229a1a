package conversation

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sess-dev/sess/internal/archive"
	"github.com/sess-dev/sess/internal/journal"
	"github.com/sess-dev/sess/internal/storetest"
	"github.com/sess-dev/sess/internal/transcript"
	"github.com/sess-dev/sess/pkg/export"
	"github.com/sess-dev/sess/pkg/session"
)

const cid = "cccccccc-0000-4000-8000-000000000001"

// fixture is a store with a session of conversation cid whose live
// transcript is sample's, under projects.
type fixture struct {
	st       *storetest.Clocked
	sess     *session.Session
	projects string
	live     string
}

func newFixture(t *testing.T, edit func(*rows)) fixture {
	t.Helper()
	st := storetest.NewClocked(t)
	dir := t.TempDir()
	repo := filepath.Join(dir, "src", "app")
	os.MkdirAll(repo, 0o755)
	sess, _, err := journal.RegisterLaunch(st.Store, journal.Launch{ClaudeSessionID: cid, Project: "app", WorktreeRoot: &repo})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddTasks(sess.SessionID, []string{"fix login"}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddCommit(sess.SessionID, "abc1234def5678", "fix login"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddDecision(sess.SessionID, "keep the session cookie"); err != nil {
		t.Fatal(err)
	}
	if sess, err = st.View().Session(sess.SessionID); err != nil {
		t.Fatal(err)
	}
	projects := filepath.Join(dir, "projects")
	r := sample(t, cid, repo, storetest.Epoch.Add(-time.Minute))
	if edit != nil {
		edit(r)
	}
	live := filepath.Join(projects, transcript.Folder(repo), cid+".jsonl")
	r.write(live)
	return fixture{st: st, sess: sess, projects: projects, live: live}
}

func kinds(es []export.Entry) string {
	var k []string
	for _, e := range es {
		k = append(k, e.Kind)
	}
	return strings.Join(k, ",")
}

func TestEntries(t *testing.T) {
	f := newFixture(t, nil)
	pg, err := Read(f.st.Store, f.projects, f.sess.SessionID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	want := "prompt,answer,tool,tool,answer,tool,command,compaction,prompt,answer,prompt"
	if k := kinds(pg.Entries); k != want {
		t.Fatalf("kinds:\n have %s\n want %s", k, want)
	}
	if pg.Source != SourceLive || pg.Next != nil || pg.Total == nil || *pg.Total != 11 {
		t.Errorf("source %q next %v total %v, want live, nil, 11", pg.Source, pg.Next, pg.Total)
	}
	tools := []struct{ name, target, status string }{
		{"Read", "/src/app/login.go", export.ToolOK},
		{"Bash", "go test ./...", export.ToolFailed},
		{"Bash", "git commit -m 'fix login'", export.ToolOK},
	}
	i := 0
	for _, e := range pg.Entries {
		if e.Kind != export.EntryTool {
			continue
		}
		if tc := tools[i]; e.Tool.Name != tc.name || e.Tool.Target != tc.target || e.Tool.Status != tc.status {
			t.Errorf("tool %d: %+v, want %+v", i, *e.Tool, tc)
		}
		i++
	}
	if got := pg.Entries[3].Tool.Result; got != "FAIL: TestLogin" {
		t.Errorf("failed tool's result %q", got)
	}
	if got := pg.Entries[6].Text; got != "/compact" {
		t.Errorf("command %q", got)
	}
	if got := pg.Entries[7].Text; got != "Summary: login fixed" {
		t.Errorf("compaction %q", got)
	}
	body, _ := json.Marshal(pg)
	for _, gone := range []string{"secret thoughts", "a subagent's words"} {
		if bytes.Contains(body, []byte(gone)) {
			t.Errorf("the page holds %q", gone)
		}
	}
	// The commit's SHA is in the third tool call's result.
	if m := markOf(pg.Entries[5], export.MarkCommit); m == nil || m.Ref != "abc1234def5678" {
		t.Errorf("commit mark on the commit's tool call: %+v", pg.Entries[5].Marks)
	}
	// The task was added at Epoch, the command's time (60 s in).
	if m := markOf(pg.Entries[6], export.MarkTask); m == nil || m.Text != "added: fix login" {
		t.Errorf("task mark on the command: %+v", pg.Entries[6].Marks)
	}
	// The decision has no time and no tool call recorded it: the end.
	if m := markOf(pg.Entries[10], export.MarkDecision); m == nil {
		t.Errorf("decision on the last entry: %+v", pg.Entries[10].Marks)
	}
}

func markOf(e export.Entry, kind string) *export.Mark {
	for _, m := range e.Marks {
		if m.Kind == kind {
			return &m
		}
	}
	return nil
}

// TestPages reads the conversation page by page: the pages join into the
// whole, in order, every mark once.
func TestPages(t *testing.T) {
	f := newFixture(t, nil)
	whole, err := Read(f.st.Store, f.projects, f.sess.SessionID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, limit := range []int{1, 2, 3, 5, 11} {
		var joined []export.Entry
		offset := 0
		for pages := 0; ; pages++ {
			pg, err := Read(f.st.Store, f.projects, f.sess.SessionID, offset, limit)
			if err != nil {
				t.Fatal(err)
			}
			if len(pg.Entries) > limit || pages > 20 {
				t.Fatalf("limit %d: a page of %d", limit, len(pg.Entries))
			}
			joined = append(joined, pg.Entries...)
			if pg.Next == nil {
				break
			}
			offset = *pg.Next
		}
		a, _ := json.Marshal(joined)
		b, _ := json.Marshal(whole.Entries)
		if !bytes.Equal(a, b) {
			t.Errorf("limit %d: the pages differ from the whole:\n%s\n%s", limit, a, b)
		}
	}
	pg, err := Read(f.st.Store, f.projects, f.sess.SessionID, 50, 10)
	if err != nil || len(pg.Entries) != 0 || pg.Next != nil || pg.Total == nil || *pg.Total != 11 {
		t.Errorf("past the end: %+v, %v", pg, err)
	}
	for _, bad := range [][2]int{{-1, 10}, {0, 0}, {0, MaxLimit + 1}} {
		if _, err := Read(f.st.Store, f.projects, f.sess.SessionID, bad[0], bad[1]); !isCode(err, session.CodeValidation) {
			t.Errorf("offset %d limit %d: %v, want a validation error", bad[0], bad[1], err)
		}
	}
}

func isCode(err error, code session.Code) bool {
	var e *session.Error
	return errors.As(err, &e) && e.Code == code
}

// TestArchiveWhenLiveIsGone deletes Claude Code's projects folder after
// the archive took the transcript: the conversation reads the same.
func TestArchiveWhenLiveIsGone(t *testing.T) {
	f := newFixture(t, nil)
	live, err := Read(f.st.Store, f.projects, f.sess.SessionID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := archive.Append(f.st.Store, cid, f.live); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(f.projects); err != nil {
		t.Fatal(err)
	}
	arc, err := Read(f.st.Store, f.projects, f.sess.SessionID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if arc.Source != SourceArchive {
		t.Errorf("source %q, want archive", arc.Source)
	}
	a, _ := json.Marshal(live.Entries)
	b, _ := json.Marshal(arc.Entries)
	if !bytes.Equal(a, b) {
		t.Errorf("the archive reads otherwise:\n%s\n%s", a, b)
	}
	var md bytes.Buffer
	if err := Export(f.st.Store, f.projects, f.sess.SessionID, &md); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "Fix the login bug") || !strings.Contains(md.String(), "| Source | archive |") {
		t.Errorf("export from the archive:\n%s", md.String())
	}
}

func TestNotFound(t *testing.T) {
	f := newFixture(t, nil)
	os.Remove(f.live)
	_, err := Read(f.st.Store, f.projects, f.sess.SessionID, 0, 10)
	if !isCode(err, session.CodeNotFound) || !strings.Contains(err.Error(), "archive holds none") {
		t.Errorf("no transcript: %v, want a clear not-found", err)
	}
	if _, err := Read(f.st.Store, f.projects, "sess_20260101T0000_abcd", 0, 10); !isCode(err, session.CodeNotFound) {
		t.Errorf("no session: %v", err)
	}
	if _, err := Read(f.st.Store, f.projects, "../x", 0, 10); err == nil {
		t.Error("a bad id read")
	}
}

// TestRedacted puts secrets in a live transcript (not redacted): none
// reaches a page or the export.
func TestRedacted(t *testing.T) {
	const key = "AKIAQ3EGRT5XPLMN7QWZ"
	const gh = "ghp_R8x2Kq9LmZ4vT7nB3wY6pJ1sD5fH0gC2eA8u"
	f := newFixture(t, func(r *rows) {
		r.prompt(200, "use "+key+" please")
		r.tool(210, "toolu_9", "Bash", map[string]any{"command": "export TOKEN=" + gh}, "token "+gh, false)
		r.answer(220, "the key "+key+" works")
	})
	pg, err := Read(f.st.Store, f.projects, f.sess.SessionID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var md bytes.Buffer
	if err := Export(f.st.Store, f.projects, f.sess.SessionID, &md); err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(pg)
	for _, out := range []string{string(body), md.String()} {
		for _, secret := range []string{key, gh} {
			if strings.Contains(out, secret) {
				t.Errorf("a secret reached the output: %s", secret)
			}
		}
	}
	if !strings.Contains(string(body), "use ") {
		t.Error("the prompt with a secret is gone whole")
	}
}

// TestHostile keeps HTML and script in text as the text it is.
func TestHostile(t *testing.T) {
	const xss = `<img src=x onerror="alert(1)"><script>alert(2)</script>`
	f := newFixture(t, func(r *rows) {
		r.prompt(200, xss)
		r.tool(210, "toolu_9", "Read", map[string]any{"file_path": xss}, xss, true)
	})
	pg, err := Read(f.st.Store, f.projects, f.sess.SessionID, 11, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(pg.Entries) != 2 || pg.Entries[0].Text != xss || pg.Entries[1].Tool.Target != xss || pg.Entries[1].Tool.Result != xss {
		t.Errorf("hostile text changed: %+v", pg.Entries)
	}
}

// TestBounded cuts a huge tool result and answer to their bounds.
func TestBounded(t *testing.T) {
	big := strings.Repeat("é", maxText)
	f := newFixture(t, func(r *rows) {
		r.answer(200, big)
		r.tool(210, "toolu_9", "Read", map[string]any{"file_path": "/x"}, big, false)
	})
	pg, err := Read(f.st.Store, f.projects, f.sess.SessionID, 11, 10)
	if err != nil {
		t.Fatal(err)
	}
	if a := pg.Entries[0]; len(a.Text) > maxText || !a.Truncated || !strings.HasSuffix(a.Text, "é") {
		t.Errorf("answer: %d bytes, truncated %v", len(a.Text), a.Truncated)
	}
	if r := pg.Entries[1].Tool.Result; len(r) > maxToolText || !strings.HasSuffix(r, "é") {
		t.Errorf("tool result: %d bytes", len(r))
	}
}

// FuzzReadPage reads any bytes as a transcript: no panic, a page within
// its limit, every entry of a known kind.
func FuzzReadPage(f *testing.F) {
	f.Add(sample(f, cid, "/src/app", storetest.Epoch).String(), 0, 5)
	f.Add(`{"type":"assistant","message":{"content":[{"type":"tool_use","id":"1","name":"Bash","input":"x"}]}}`+"\n", 0, 1)
	f.Add("{\"type\":\"user\",\"message\":{\"content\":\"<command-name>/x\"}}\n\x00", 1, 3)
	sess := &session.Session{SessionID: "s", Decisions: []string{"d"}, Commits: []session.Commit{{SHA: "abcdef0123"}},
		Events: []session.Event{{Timestamp: "2026-02-10T14:30:05Z", Message: "e"}}}
	f.Fuzz(func(t *testing.T, data string, offset, limit int) {
		offset, limit = max(0, offset%50), 1+max(0, limit%20)
		pg, err := ReadPage(strings.NewReader(data), sess, offset, limit)
		if err != nil {
			t.Fatal(err)
		}
		if len(pg.Entries) > limit {
			t.Fatalf("%d entries, limit %d", len(pg.Entries), limit)
		}
		for _, e := range pg.Entries {
			switch e.Kind {
			case export.EntryPrompt, export.EntryAnswer, export.EntryCommand, export.EntryCompaction:
			case export.EntryTool:
				if e.Tool == nil {
					t.Fatal("a tool entry with no tool")
				}
			default:
				t.Fatalf("kind %q", e.Kind)
			}
		}
	})
}
