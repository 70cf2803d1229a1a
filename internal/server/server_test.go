package server

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sess-dev/sess/pkg/store"
)

const addr = "127.0.0.1:9000"

type fixture struct {
	dir string
	st  *store.Store
	srv *Server
	ids map[string]string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "dashboard")
	w := store.Open(dir, store.Options{})
	if _, err := w.RegisterProject("Web <App>", "/x/web"); err != nil {
		t.Fatal(err)
	}
	f := &fixture{dir: dir, ids: map[string]string{}}
	a, _ := w.CreateSession(store.NewSession{Project: "web", Intent: `<img src=x onerror=alert(1)>`})
	w.AddEvent(a.SessionID, "first")
	w.AddTasks(a.SessionID, []string{"t1", "t2"})
	b, _ := w.CreateSession(store.NewSession{Project: "web", Intent: "parked one"})
	w.ParkSession(b.SessionID, "later", []string{"n1"})
	c, _ := w.CreateSession(store.NewSession{Project: "web", Intent: "done one"})
	w.CompleteSession(c.SessionID, store.Completion{Outcome: "ok"})
	f.ids = map[string]string{"active": a.SessionID, "parked": b.SessionID, "completed": c.SessionID}
	f.st = store.Open(dir, store.Options{ReadOnly: true})
	srv, err := New(f.st, addr, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	f.srv = srv
	return f
}

func (f *fixture) get(t *testing.T, path string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, path, nil)
	r.Host = "localhost:9000"
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	f.srv.ServeHTTP(w, r)
	return w
}

func decode(t *testing.T, w *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("not JSON (%d): %s", w.Code, w.Body.String())
	}
	return v
}

func TestRoutes(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		path, ctype string
		code        int
		want        string
	}{
		{"/", "text/html", 200, `<div id="error-banner"`},
		{"/app.js", "javascript", 200, "EventSource"},
		{"/app.css", "text/css", 200, "--bg"},
		{"/api/overview", "application/json", 200, `"projects": [`},
		{"/api/activity?days=7", "application/json", 200, `"days": [`},
		{"/api/session/" + f.ids["active"], "application/json", 200, `"tasks": [`},
		{"/api/export/session/" + f.ids["completed"] + "?format=json", "application/json", 200, `"duration":`},
		{"/api/export/session/" + f.ids["completed"] + "?format=markdown", "text/markdown", 200, "# Session: done one"},
		{"/api/export/project/web?format=markdown&limit=2", "text/markdown", 200, "# Project: web"},
		{"/api/export/project/web", "application/json", 200, `"session_count": 3`},
		{"/api/session/sess_20200101T0000_abcd", "application/json", 404, `"code": "NOT_FOUND"`},
		{"/api/session/..%2f..%2fetc", "application/json", 404, `"code": "NOT_FOUND"`},
		{"/api/session/sess_20200101T0000_abcd%0A", "application/json", 400, `"code": "VALIDATION_ERROR"`},
		{"/api/session/not-an-id", "application/json", 400, `"code": "VALIDATION_ERROR"`},
		{"/api/export/session/" + f.ids["active"] + "?format=html", "application/json", 400, `"code": "VALIDATION_ERROR"`},
		{"/api/export/project/Bad_Slug", "application/json", 400, `"code": "VALIDATION_ERROR"`},
		{"/api/export/project/web?limit=501", "application/json", 400, `"code": "VALIDATION_ERROR"`},
		{"/api/export/project/nothing", "application/json", 404, `"code": "NOT_FOUND"`},
		{"/api/activity?days=0", "application/json", 400, `"code": "VALIDATION_ERROR"`},
		{"/nope", "application/json", 404, `"code": "NOT_FOUND"`},
	} {
		w := f.get(t, tc.path)
		if w.Code != tc.code || !strings.Contains(w.Header().Get("Content-Type"), tc.ctype) || !strings.Contains(w.Body.String(), tc.want) {
			t.Errorf("%s: want %d %s with %q, have %d %s\n%.300s", tc.path, tc.code, tc.ctype, tc.want, w.Code, w.Header().Get("Content-Type"), w.Body.String())
		}
		for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"} {
			if w.Header().Get(h) == "" {
				t.Errorf("%s: no %s header", tc.path, h)
			}
		}
	}
	if cd := f.get(t, "/api/export/session/"+f.ids["completed"]+"?format=markdown").Header().Get("Content-Disposition"); cd != `attachment; filename="`+f.ids["completed"]+`.md"` {
		t.Errorf("markdown export disposition: %q", cd)
	}
	if cd := f.get(t, "/api/export/project/web?format=markdown").Header().Get("Content-Disposition"); cd != `attachment; filename="web-sessions.md"` {
		t.Errorf("project export disposition: %q", cd)
	}
	csp := f.get(t, "/").Header().Get("Content-Security-Policy")
	if strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("CSP: %s", csp)
	}
}

func TestOverviewShape(t *testing.T) {
	f := newFixture(t)
	ov := decode(t, f.get(t, "/api/overview"))
	p := ov["projects"].([]any)[0].(map[string]any)
	if p["name"] != "Web <App>" || p["active_count"] != 1.0 || p["parked_count"] != 1.0 || len(p["completed_sessions"].([]any)) != 1 {
		t.Errorf("project: %v", p)
	}
	a := p["active_sessions"].([]any)[0].(map[string]any)
	ts := a["task_summary"].(map[string]any)
	if a["intent"] != `<img src=x onerror=alert(1)>` || ts["total"] != 2.0 || a["event_count"] != 1.0 || a["is_stale"] != false {
		t.Errorf("active session: %v", a)
	}
	if _, ok := ov["settings"].(map[string]any)["dashboard_port"]; !ok {
		t.Error("settings missing")
	}
}

func TestETag(t *testing.T) {
	f := newFixture(t)
	first := f.get(t, "/api/overview")
	etag := first.Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	if w := f.get(t, "/api/overview", "If-None-Match", etag); w.Code != http.StatusNotModified || w.Body.Len() != 0 {
		t.Errorf("If-None-Match: want 304, have %d", w.Code)
	}
	if w := f.get(t, "/api/session/"+f.ids["active"], "If-None-Match", f.get(t, "/api/session/"+f.ids["active"]).Header().Get("ETag")); w.Code != 304 {
		t.Errorf("session ETag: %d", w.Code)
	}
	// A change in the store changes the ETag.
	w := store.Open(f.dir, store.Options{})
	if _, err := w.AddEvent(f.ids["active"], "more"); err != nil {
		t.Fatal(err)
	}
	if w := f.get(t, "/api/overview", "If-None-Match", etag); w.Code != 200 || w.Header().Get("ETag") == etag {
		t.Errorf("after a change: %d %s", w.Code, w.Header().Get("ETag"))
	}
}

func TestHostAndMethod(t *testing.T) {
	f := newFixture(t)
	for _, host := range []string{"evil.example:9000", "localhost:9001", "127.0.0.1.nip.io:9000", ""} {
		r := httptest.NewRequest(http.MethodGet, "/api/overview", nil)
		r.Host = host
		w := httptest.NewRecorder()
		f.srv.ServeHTTP(w, r)
		if w.Code != http.StatusMisdirectedRequest || !strings.Contains(w.Body.String(), "FORBIDDEN_HOST") {
			t.Errorf("Host %q: want 421, have %d", host, w.Code)
		}
	}
	for _, host := range []string{"localhost:9000", "127.0.0.1:9000", "[::1]:9000", "LOCALHOST:9000"} {
		r := httptest.NewRequest(http.MethodGet, "/api/overview", nil)
		r.Host = host
		w := httptest.NewRecorder()
		f.srv.ServeHTTP(w, r)
		if w.Code != 200 {
			t.Errorf("Host %q: want 200, have %d", host, w.Code)
		}
	}
	r := httptest.NewRequest(http.MethodPost, "/api/overview", strings.NewReader("{}"))
	r.Host = "localhost:9000"
	w := httptest.NewRecorder()
	f.srv.ServeHTTP(w, r)
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", w.Code)
	}
}

// TestHead: HEAD answers as GET does, without the body.
func TestHead(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{"/", "/app.js", "/api/overview", "/api/sessions?project=web", "/api/session/" + f.ids["active"], "/api/export/session/" + f.ids["active"] + "?format=markdown"} {
		r := httptest.NewRequest(http.MethodHead, path, nil)
		r.Host = "localhost:9000"
		w := httptest.NewRecorder()
		f.srv.ServeHTTP(w, r)
		g := f.get(t, path)
		if w.Code != http.StatusOK || w.Body.Len() != 0 || w.Header().Get("Content-Type") != g.Header().Get("Content-Type") || w.Header().Get("ETag") != g.Header().Get("ETag") {
			t.Errorf("HEAD %s: %d, %d bytes, %q %q; GET: %q %q", path, w.Code, w.Body.Len(), w.Header().Get("Content-Type"), w.Header().Get("ETag"), g.Header().Get("Content-Type"), g.Header().Get("ETag"))
		}
	}
}

func TestEmptyStore(t *testing.T) {
	srv, _ := New(store.Open(filepath.Join(t.TempDir(), "none"), store.Options{ReadOnly: true}), addr, io.Discard)
	r := httptest.NewRequest(http.MethodGet, "/api/overview", nil)
	r.Host = "localhost:9000"
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, r)
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"projects": []`) {
		t.Errorf("missing store: %d %s", w.Code, w.Body.String())
	}
}

// TestEvents: a change to the store reaches an open event stream.
func TestEvents(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go f.srv.events.run(ctx)
	ts := httptest.NewServer(f.srv)
	defer ts.Close()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, ts.URL+"/api/events", nil)
	req.Host = "localhost:9000"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("content type %q", resp.Header.Get("Content-Type"))
	}
	lines := bufio.NewScanner(resp.Body)
	for lines.Scan() && lines.Text() != "event: hello" {
	}
	w := store.Open(f.dir, store.Options{})
	if _, err := w.AddEvent(f.ids["active"], "live"); err != nil {
		t.Fatal(err)
	}
	deadline := time.AfterFunc(10*time.Second, cancel) // a bound, not a wait: the event ends the test first
	defer deadline.Stop()
	for lines.Scan() {
		if lines.Text() == "event: change" {
			return
		}
	}
	t.Fatal("no change event")
}

// TestRunShutdown: Run serves until its context ends, then shuts down.
func TestRunShutdown(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var out strings.Builder
	go func() { done <- Run(ctx, f.st, "127.0.0.1:0", &syncWriter{w: &out}, io.Discard, Options{}) }()
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run after cancel: %v", err)
	}
	// A busy port is an error at once.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if err := Run(context.Background(), f.st, ln.Addr().String(), io.Discard, io.Discard, Options{}); err == nil || !strings.Contains(err.Error(), "listen") {
		t.Errorf("busy port: %v", err)
	}
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
