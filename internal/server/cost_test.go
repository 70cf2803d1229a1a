package server

import (
	"context"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sess-dev/sess/internal/journal"
	"github.com/sess-dev/sess/internal/transcript"
	"github.com/sess-dev/sess/pkg/store"
)

// costFixture is a store with a thread of two sessions of project web
// (conversations c1, then c2 after a /clear) and Claude Code's projects
// folder with their transcripts, and c0's, an older conversation of the
// project that no session knows; the server's clock is costNow.
type costFixture struct {
	srv              *Server
	dir, projects    string
	repo, first, sec string // the project's folder, the sessions' ids
}

var (
	costStart1 = time.Date(2030, 1, 2, 9, 0, 0, 0, time.UTC)
	costStart2 = time.Date(2030, 1, 2, 11, 0, 0, 0, time.UTC)
	costNow    = time.Date(2030, 1, 2, 12, 0, 0, 0, time.UTC)
)

// costRow is an assistant reply of conversation cid at ts: its model and
// tokens (input, output, cache writes, cache reads).
func costRow(cid, cwd, ts, req, model string, in, out, write, read int) string {
	b, _ := json.Marshal(map[string]any{
		"type": "assistant", "sessionId": cid, "timestamp": ts, "cwd": cwd, "requestId": req,
		"message": map[string]any{"id": "msg_" + req, "model": model, "role": "assistant",
			"content": []any{map[string]any{"type": "text", "text": "done"}},
			"usage":   map[string]any{"input_tokens": in, "output_tokens": out, "cache_creation_input_tokens": write, "cache_read_input_tokens": read}},
	})
	return string(b) + "\n"
}

const sonnet = "claude-sonnet-4-5-20250929"

// The tokens of the fixture's conversations, as its rows have them.
const (
	c1Output  = 200 + 2000 // c1's reply and its subagent's
	c2Output  = 30         // c2's reply, of a model without a price
	c0Output  = 7          // on 2029-12-31, no session's
	allOutput = c1Output + c2Output + c0Output
)

func newCostFixture(t *testing.T) *costFixture {
	t.Helper()
	base := t.TempDir()
	f := &costFixture{dir: filepath.Join(base, "dashboard"), projects: filepath.Join(base, "projects"), repo: filepath.Join(base, "src", "web")}
	clock := costStart1
	w := store.Open(f.dir, store.Options{Now: func() time.Time { return clock }})
	if _, err := w.RegisterProject("web", f.repo); err != nil {
		t.Fatal(err)
	}
	launch := func(cid, source string) string {
		s, _, err := journal.RegisterLaunch(w, journal.Launch{ClaudeSessionID: cid, Project: "web", WorktreeRoot: &f.repo, Source: source, Hooked: true, Window: "w1"})
		if err != nil {
			t.Fatal(err)
		}
		return s.SessionID
	}
	f.first = launch("c1", journal.SourceStartup)
	clock = costStart2
	f.sec = launch("c2", journal.SourceClear)

	folder := filepath.Join(f.projects, transcript.Folder(f.repo))
	c1 := costRow("c1", f.repo, "2030-01-02T10:00:05.000Z", "req_1", sonnet, 10, 200, 1000, 5000)
	write(t, filepath.Join(folder, "c1.jsonl"), c1+c1) // a reply is two rows of one request: counted once
	write(t, filepath.Join(folder, "c1", "subagents", "agent-a1.jsonl"), costRow("c1", f.repo, "2030-01-02T10:00:03.000Z", "req_2", sonnet, 5, 2000, 0, 100))
	write(t, filepath.Join(folder, "c2.jsonl"), c1+costRow("c2", f.repo, "2030-01-02T11:30:00.000Z", "req_3", "claude-foo-9", 0, 30, 0, 0))
	write(t, filepath.Join(folder, "c0.jsonl"), costRow("c0", f.repo, "2029-12-31T10:00:00.000Z", "req_0", sonnet, 1, 7, 0, 0))

	srv, err := New(store.Open(f.dir, store.Options{ReadOnly: true, Now: func() time.Time { return costNow }}), addr, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	srv.transcripts = f.projects
	f.srv = srv
	return f
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func (f *costFixture) get(t *testing.T, path string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	return (&fixture{srv: f.srv}).get(t, path, hdr...)
}

// The answers' shapes, as a page reads them.
type (
	summaryJSON struct {
		USD          float64 `json:"usd"`
		OutputTokens int64   `json:"output_tokens"`
		TotalTokens  int64   `json:"total_tokens"`
		Models       []struct{ Model string }
		Unpriced     []string `json:"unpriced_models"`
	}
	usageJSON struct {
		Timezone, Date string
		Today, Month   summaryJSON
		Days           []string
		Projects       []struct {
			Slug  string
			Today float64 `json:"today_usd"`
			Month float64 `json:"month_usd"`
			All   float64 `json:"all_usd"`
			USD   []float64
		}
	}
	sessionCostJSON struct {
		SessionID string `json:"session_id"`
		Cost      summaryJSON
		Sessions  []struct {
			SessionID string `json:"session_id"`
			Project   string
			Cost      summaryJSON
		}
		Total summaryJSON
	}
)

// TestUsageAPI: today's and this month's spend and the days, in the time
// zone asked for: at 12:00 UTC on 2 January 2030 it is already 3 January
// on Kiritimati (UTC+14), where c0's 31 December is 1 January, this
// month's.
func TestUsageAPI(t *testing.T) {
	f := newCostFixture(t)
	for _, tc := range []struct {
		tz, date string
		month    int64    // output tokens this month
		days     []string // the last three
		webDays  []bool   // whether web spent on each of them
	}{
		{"UTC", "2030-01-02", c1Output + c2Output, []string{"2029-12-31", "2030-01-01", "2030-01-02"}, []bool{true, false, true}},
		{"Pacific/Kiritimati", "2030-01-03", allOutput, []string{"2030-01-01", "2030-01-02", "2030-01-03"}, []bool{true, false, true}},
		{"America/New_York", "2030-01-02", c1Output + c2Output, []string{"2029-12-31", "2030-01-01", "2030-01-02"}, []bool{true, false, true}},
	} {
		u := getJSON[usageJSON](t, f.srv, "/api/usage?days=3&tz="+tc.tz)
		if want, have := tc.tz, u.Timezone; want != have {
			t.Errorf("%s: timezone: want %s, have %s", tc.tz, want, have)
		}
		if want, have := tc.date, u.Date; want != have {
			t.Errorf("%s: date: want %s, have %s", tc.tz, want, have)
		}
		if want, have := int64(c1Output+c2Output), u.Today.OutputTokens; want != have {
			t.Errorf("%s: today's output tokens: want %d, have %d", tc.tz, want, have)
		}
		if want, have := tc.month, u.Month.OutputTokens; want != have {
			t.Errorf("%s: this month's output tokens: want %d, have %d", tc.tz, want, have)
		}
		if want, have := strings.Join(tc.days, " "), strings.Join(u.Days, " "); want != have {
			t.Errorf("%s: days: want %s, have %s", tc.tz, want, have)
		}
		if len(u.Projects) != 1 || u.Projects[0].Slug != "web" || len(u.Projects[0].USD) != 3 {
			t.Fatalf("%s: projects: %+v", tc.tz, u.Projects)
		}
		web := u.Projects[0]
		for i, spent := range tc.webDays {
			if (web.USD[i] > 0) != spent {
				t.Errorf("%s: web's dollars of %s: %v", tc.tz, u.Days[i], web.USD[i])
			}
		}
		// One project: its figures are everyone's.
		for _, c := range []struct {
			name       string
			want, have float64
		}{{"today", u.Today.USD, web.Today}, {"month", u.Month.USD, web.Month}, {"today's day", web.Today, web.USD[2]}} {
			if math.Abs(c.want-c.have) > 1e-4 || c.have <= 0 {
				t.Errorf("%s: web's %s: want %v, have %v", tc.tz, c.name, c.want, c.have)
			}
		}
		if web.All < web.Month {
			t.Errorf("%s: web in all %v, less than this month %v", tc.tz, web.All, web.Month)
		}
		if len(u.Month.Unpriced) != 1 || u.Month.Unpriced[0] != "claude-foo-9" {
			t.Errorf("%s: unpriced models: %v", tc.tz, u.Month.Unpriced)
		}
	}
	// The default window is /api/activity's.
	if u := getJSON[usageJSON](t, f.srv, "/api/usage?tz=UTC"); len(u.Days) != 30 || u.Days[29] != "2030-01-02" || len(u.Projects[0].USD) != 30 {
		t.Errorf("default days: %v", u.Days)
	}
}

func TestUsageAPIValidation(t *testing.T) {
	f := newCostFixture(t)
	for _, tc := range []struct {
		query string
		code  int
		field string
	}{
		{"tz=Europe/Amsterdam", 200, ""},
		{"tz=UTC&days=366", 200, ""},
		{"tz=Mars/Olympus", 400, "tz"},
		{"tz=Local", 400, "tz"}, // Go's name for the server's zone, not an IANA one
		{"tz=../../../etc/passwd", 400, "tz"},
		{"tz=/etc/localtime", 400, "tz"},
		{"tz=" + strings.Repeat("Europe/", 20), 400, "tz"},
		{"days=0", 400, "days"},
		{"days=367", 400, "days"},
		{"days=x", 400, "days"},
	} {
		w := f.get(t, "/api/usage?"+tc.query)
		if want, have := tc.code, w.Code; want != have {
			t.Errorf("%s: want %d, have %d %s", tc.query, want, have, w.Body.String())
			continue
		}
		if tc.code != 200 {
			v := decode(t, w)
			if v["code"] != "VALIDATION_ERROR" || !strings.HasPrefix(v["error"].(string), tc.field+": ") {
				t.Errorf("%s: %v", tc.query, v)
			}
		}
	}
}

// TestSessionCostAPI: a session's part and its thread's; c2 copied c1's
// reply, which counts once, as c1's.
func TestSessionCostAPI(t *testing.T) {
	f := newCostFixture(t)
	for _, tc := range []struct {
		id       string
		out      int64
		unpriced string
	}{{f.first, c1Output, ""}, {f.sec, c2Output, "claude-foo-9"}} {
		c := getJSON[sessionCostJSON](t, f.srv, "/api/session/"+tc.id+"/cost")
		if want, have := tc.id, c.SessionID; want != have {
			t.Errorf("session_id: want %s, have %s", want, have)
		}
		if want, have := tc.out, c.Cost.OutputTokens; want != have {
			t.Errorf("%s: output tokens: want %d, have %d", tc.id, want, have)
		}
		if have := strings.Join(c.Cost.Unpriced, ","); have != tc.unpriced {
			t.Errorf("%s: unpriced: %q", tc.id, have)
		}
		if len(c.Sessions) != 2 || c.Sessions[0].SessionID != f.first || c.Sessions[1].SessionID != f.sec || c.Sessions[0].Project != "web" {
			t.Fatalf("%s: the thread: %+v", tc.id, c.Sessions)
		}
		if want, have := int64(c1Output+c2Output), c.Total.OutputTokens; want != have {
			t.Errorf("%s: the thread's output tokens: want %d, have %d", tc.id, want, have)
		}
		if sum := c.Sessions[0].Cost.USD + c.Sessions[1].Cost.USD; math.Abs(sum-c.Total.USD) > 1e-4 || c.Total.USD <= 0 {
			t.Errorf("%s: the parts %v do not add up to %v", tc.id, sum, c.Total.USD)
		}
	}
	if len(getJSON[sessionCostJSON](t, f.srv, "/api/session/"+f.first+"/cost").Cost.Models) != 1 {
		t.Error("c1's models")
	}
	for path, code := range map[string]int{
		"/api/session/sess_20300102T0900_ffff/cost": 404, // as /api/session/:id says
		"/api/session/sess_20300102T0900_ffff":      404,
		"/api/session/nope/cost":                    400,
	} {
		if w := f.get(t, path); w.Code != code {
			t.Errorf("%s: want %d, have %d %s", path, code, w.Code, w.Body.String())
		}
	}
}

// TestUsageFresh: a transcript that grows moves the answer, though the
// store did not change; until then the page's ETag gets a 304.
func TestUsageFresh(t *testing.T) {
	f := newCostFixture(t)
	const path = "/api/usage?tz=UTC&days=3"
	w := f.get(t, path)
	etag := w.Header().Get("ETag")
	if w := f.get(t, path, "If-None-Match", etag); w.Code != http.StatusNotModified {
		t.Fatalf("unchanged: want 304, have %d", w.Code)
	}
	live := filepath.Join(f.projects, transcript.Folder(f.repo), "c2.jsonl")
	fh, err := os.OpenFile(live, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(fh, costRow("c2", f.repo, "2030-01-02T11:45:00.000Z", "req_4", sonnet, 0, 1000, 0, 0))
	fh.Close()
	w = f.get(t, path, "If-None-Match", etag)
	if w.Code != http.StatusOK {
		t.Fatalf("grown: want 200, have %d", w.Code)
	}
	var u usageJSON
	json.Unmarshal(w.Body.Bytes(), &u)
	if want, have := int64(c1Output+c2Output+1000), u.Today.OutputTokens; want != have {
		t.Errorf("today's output tokens after the transcript grew: want %d, have %d", want, have)
	}
}

// TestCostMissingStore: a store folder that is not there is made by no
// costing; its sessions are unknown and its projects' money is still
// the transcripts'.
func TestCostMissingStore(t *testing.T) {
	f := newCostFixture(t)
	missing := filepath.Join(t.TempDir(), "nothing-here")
	srv, err := New(store.Open(missing, store.Options{ReadOnly: true, Now: func() time.Time { return costNow }}), addr, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	srv.transcripts = f.projects
	g := &costFixture{srv: srv}
	if u := getJSON[usageJSON](t, g.srv, "/api/usage?tz=UTC"); u.Month.OutputTokens != c1Output+c2Output {
		t.Errorf("a missing store's month: %+v", u.Month)
	}
	if w := g.get(t, "/api/session/"+f.first+"/cost"); w.Code != http.StatusNotFound {
		t.Errorf("a missing store's session: want 404, have %d", w.Code)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("a GET made the store's folder: %v", err)
	}
}

// TestCostLane: the costings and the other answers wait on slots of their
// own: a costing that holds its slot keeps the overview waiting for
// nothing, and answers that hold every render slot keep no costing
// waiting.
func TestCostLane(t *testing.T) {
	f := newCostFixture(t)
	hold := func(slots chan struct{}) func() {
		for range cap(slots) {
			slots <- struct{}{}
		}
		return func() {
			for range cap(slots) {
				<-slots
			}
		}
	}
	release := hold(f.srv.costs.slots)
	if w := f.get(t, "/api/overview"); w.Code != http.StatusOK {
		t.Errorf("the overview while a costing runs: %d", w.Code)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // a page that left while it waited
	r := httptest.NewRequest(http.MethodGet, "/api/usage?tz=UTC", nil).WithContext(ctx)
	r.Host = "localhost:9000"
	w := httptest.NewRecorder()
	f.srv.ServeHTTP(w, r)
	if w.Code == http.StatusOK {
		t.Error("a costing ran while its slot was held")
	}
	release()
	release = hold(f.srv.renders)
	defer release()
	if w := f.get(t, "/api/usage?tz=UTC"); w.Code != http.StatusOK {
		t.Errorf("a costing while every render slot is held: %d", w.Code)
	}
	if w := f.get(t, "/api/session/"+f.first+"/cost"); w.Code != http.StatusOK {
		t.Errorf("a session's cost while every render slot is held: %d", w.Code)
	}
}
