package server

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sess-dev/sess/internal/archive"
	"github.com/sess-dev/sess/internal/journal"
	"github.com/sess-dev/sess/internal/transcript"
	"github.com/sess-dev/sess/pkg/store"
)

const (
	convID     = "cccccccc-0000-4000-8000-000000000002"
	convSecret = "ghp_R8x2Kq9LmZ4vT7nB3wY6pJ1sD5fH0gC2eA8u"
)

// convFixture is a store with a session of conversation convID, whose
// live transcript (under projects) holds a secret and HTML.
type convFixture struct {
	srv            *Server
	dir, projects  string
	live, id, repo string
}

// convLines is a transcript: a prompt with HTML, an answer with a secret,
// a failed tool call, n more prompts.
func convLines(repo string, n int) string {
	row := func(typ, uuid, ts, msg string) string {
		return `{"type":"` + typ + `","uuid":"` + uuid + `","sessionId":"` + convID + `","timestamp":"2026-03-02T09:00:` + ts + `.000Z","cwd":"` + repo + `","message":` + msg + "}\n"
	}
	s := row("user", "u1", "00", `{"role":"user","content":"<img src=x onerror=\"document.title='pwned'\"> fix it"}`) +
		row("assistant", "u2", "01", `{"role":"assistant","content":[{"type":"thinking","thinking":"hidden"},{"type":"text","text":"token `+convSecret+` found"}]}`) +
		row("assistant", "u3", "02", `{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"Bash","input":{"command":"go test ./...\nmore"}}]}`) +
		row("user", "u4", "03", `{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"<script>document.title='pwned'</script> FAIL","is_error":true}]}`)
	for i := 0; i < n; i++ {
		s += row("user", "p"+string(rune('a'+i%26)), "10", `{"role":"user","content":"prompt number `+string(rune('a'+i%26))+`"}`)
	}
	return s
}

func newConvFixture(t testing.TB, extra int) *convFixture {
	t.Helper()
	base := t.TempDir()
	f := &convFixture{dir: filepath.Join(base, "dashboard"), projects: filepath.Join(base, "projects"), repo: filepath.Join(base, "src", "app")}
	w := store.Open(f.dir, store.Options{})
	sess, _, err := journal.RegisterLaunch(w, journal.Launch{ClaudeSessionID: convID, Project: "app", WorktreeRoot: &f.repo})
	if err != nil {
		t.Fatal(err)
	}
	f.id = sess.SessionID
	w.AddDecision(f.id, "run the tests first")
	f.live = filepath.Join(f.projects, transcript.Folder(f.repo), convID+".jsonl")
	os.MkdirAll(filepath.Dir(f.live), 0o755)
	if err := os.WriteFile(f.live, []byte(convLines(f.repo, extra)), 0o644); err != nil {
		t.Fatal(err)
	}
	if f.srv, err = New(store.Open(f.dir, store.Options{ReadOnly: true}), addr, io.Discard); err != nil {
		t.Fatal(err)
	}
	f.srv.transcripts = f.projects
	return f
}

func (f *convFixture) get(t *testing.T, path string) (int, http.Header, string) {
	t.Helper()
	w := (&fixture{srv: f.srv}).get(t, path)
	return w.Code, w.Header(), w.Body.String()
}

type convPage struct {
	Entries []struct {
		Kind, Text string
		Tool       *struct{ Name, Target, Status, Result string }
		Marks      []struct{ Kind, Text string }
	}
	Offset int
	Next   *int
	Total  *int
	Source string
}

func TestConversationAPI(t *testing.T) {
	f := newConvFixture(t, 5)
	code, h, body := f.get(t, "/api/session/"+f.id+"/conversation?limit=3")
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/json") || h.Get("Content-Security-Policy") == "" {
		t.Fatalf("%d %v %s", code, h, body)
	}
	if strings.Contains(body, convSecret) || strings.Contains(body, "hidden") {
		t.Errorf("a secret or thinking reached the answer: %s", body)
	}
	var pg convPage
	if err := json.Unmarshal([]byte(body), &pg); err != nil {
		t.Fatal(err)
	}
	if len(pg.Entries) != 3 || pg.Source != "live" || pg.Next == nil || *pg.Next != 3 || pg.Total != nil {
		t.Fatalf("page: %+v", pg)
	}
	if e := pg.Entries[0]; e.Kind != "prompt" || !strings.Contains(e.Text, `<img src=x onerror="document.title='pwned'">`) {
		t.Errorf("the prompt's HTML is not kept as text: %+v", e)
	}
	if tl := pg.Entries[2].Tool; tl == nil || tl.Name != "Bash" || tl.Target != "go test ./..." || tl.Status != "failed" {
		t.Errorf("tool: %+v", pg.Entries[2])
	}
	// The last page says the total; the decision is on the last entry.
	_, _, body = f.get(t, "/api/session/"+f.id+"/conversation?offset=3&limit=100")
	json.Unmarshal([]byte(body), &pg)
	if pg.Next != nil || pg.Total == nil || *pg.Total != 8 || len(pg.Entries) != 5 {
		t.Fatalf("last page: %s", body)
	}
	if m := pg.Entries[4].Marks; len(m) != 1 || m[0].Kind != "decision" {
		t.Errorf("marks of the last entry: %+v", m)
	}
	for path, want := range map[string]int{
		"/api/session/" + f.id + "/conversation?limit=0":       400,
		"/api/session/" + f.id + "/conversation?limit=501":     400,
		"/api/session/" + f.id + "/conversation?offset=x":      400,
		"/api/session/sess_20260101T0000_abcd/conversation":    404,
		"/api/session/..%2Fx/conversation":                     404,
		"/api/export/conversation/sess_20260101T0000_abcd":     404,
		"/api/session/" + f.id + "/conversation?offset=100000": 200,
	} {
		code, h, body := f.get(t, path)
		if code != want || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
			t.Errorf("%s: %d %s, want %d and JSON", path, code, body, want)
		}
		if code != 200 && !strings.Contains(body, `"code"`) {
			t.Errorf("%s: not the server's JSON error: %s", path, body)
		}
	}
}

// TestConversationFromArchive deletes the live transcript after the
// archive took it: the page and the export still have the conversation;
// with neither, a not-found JSON error.
func TestConversationFromArchive(t *testing.T) {
	f := newConvFixture(t, 1)
	if _, err := archive.Append(store.Open(f.dir, store.Options{}), convID, f.live); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(f.projects)
	code, _, body := f.get(t, "/api/session/"+f.id+"/conversation")
	var pg convPage
	json.Unmarshal([]byte(body), &pg)
	if code != 200 || pg.Source != "archive" || len(pg.Entries) != 4 || strings.Contains(body, convSecret) {
		t.Fatalf("from the archive: %d %s", code, body)
	}
	code, h, md := f.get(t, "/api/export/conversation/"+f.id)
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/markdown") || !strings.Contains(h.Get("Content-Disposition"), "attachment") {
		t.Fatalf("export: %d %v", code, h)
	}
	if !strings.Contains(md, "fix it") || !strings.Contains(md, "prompt number a") || strings.Contains(md, convSecret) {
		t.Errorf("export:\n%s", md)
	}
	g := newConvFixture(t, 0)
	os.Remove(g.live)
	code, _, body = g.get(t, "/api/session/"+g.id+"/conversation")
	if code != 404 || !strings.Contains(body, "no transcript") {
		t.Errorf("no transcript anywhere: %d %s", code, body)
	}
}

// TestConversationFind: find= starts the page at the first entry that
// says every word (any case), from the live transcript or the archive,
// and says which it found; with no entry saying them all, the first that
// says one; with none, the page asked for, nothing found.
func TestConversationFind(t *testing.T) {
	f := newConvFixture(t, 5)
	page := func(query string) (convPage, *int) {
		t.Helper()
		code, _, body := f.get(t, "/api/session/"+f.id+"/conversation?limit=2&"+query)
		var pg struct {
			convPage
			Found *int
		}
		if err := json.Unmarshal([]byte(body), &pg); code != 200 || err != nil {
			t.Fatalf("%s: %d %s", query, code, body)
		}
		return pg.convPage, pg.Found
	}
	for _, c := range []struct {
		query       string
		offset      int
		found, text string // found "" for none
	}{
		{"find=Number+C", 5, "prompt number c", "prompt number c"},
		{"find=number+zeppelin", 3, "prompt number a", "prompt number a"},
		{"find=zeppelin&offset=1", 1, "", "token"},
		{"find=project%3Aapp+-draft", 0, "", "fix it"},
	} {
		pg, found := page(c.query)
		if pg.Offset != c.offset || len(pg.Entries) == 0 || !strings.Contains(pg.Entries[0].Text, c.text) {
			t.Errorf("%s: offset %d, entries %+v", c.query, pg.Offset, pg.Entries)
		}
		if (found != nil) != (c.found != "") || found != nil && *found != c.offset {
			t.Errorf("%s: found %v", c.query, found)
		}
	}
	if code, _, body := f.get(t, "/api/session/"+f.id+"/conversation?find="+strings.Repeat("x", 1001)); code != 400 || !strings.Contains(body, `"code"`) {
		t.Errorf("a find too long: %d %s", code, body)
	}
	if _, err := archive.Append(store.Open(f.dir, store.Options{}), convID, f.live); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(f.projects)
	if pg, found := page("find=number+d"); pg.Source != "archive" || found == nil || *found != 6 || pg.Entries[0].Text != "prompt number d" {
		t.Errorf("from the archive: %+v %v", pg, found)
	}
}
