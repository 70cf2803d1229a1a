package server

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sess-dev/sess/internal/search"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// clock is a store clock the test moves by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

// historyBase is when the history fixture's first session starts: twenty
// days ago, so that its sessions lie in the past for the page as for the
// server.
func historyBase() time.Time {
	return time.Now().UTC().Truncate(time.Minute).Add(-20 * 24 * time.Hour)
}

// history is a store with more history than the overview shows: project
// web (registered) with 30 completed sessions, 10 of them archived, a
// parked one, an active one that went stale and a fresh active one; a
// project "elsewhere" that is not registered, with an active and a
// completed session; and a project "gone", not registered, whose only
// session is archived. Its clock stands an hour after the last write.
type history struct {
	dir   string
	clock *clock
	ids   map[string]string // by name: stale, parked, active, archived0 (the newest archived), elsewhere, elsewhere-done, gone
	web   []string          // every session of web, newest started first
}

func newHistory(t *testing.T) *history {
	t.Helper()
	h := &history{dir: filepath.Join(t.TempDir(), "dashboard"), clock: &clock{t: historyBase()}, ids: map[string]string{}}
	w := store.Open(h.dir, store.Options{Now: h.clock.now})
	must := func(s *session.Session, err error) *session.Session {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if _, err := w.RegisterProject("Web", "/src/web"); err != nil {
		t.Fatal(err)
	}
	create := func(project, intent string) *session.Session {
		h.clock.advance(time.Hour)
		return must(w.CreateSession(store.NewSession{Project: project, Intent: intent}))
	}
	var archive []string
	for i := range 30 {
		s := create("web", fmt.Sprintf("completed number %02d", i))
		must(w.AddEvent(s.SessionID, fmt.Sprintf("common event of session %02d", i)))
		if i == 3 {
			must(w.AddEvent(s.SessionID, "The Hidden Needle lives in the archive"))
			must(w.AddTasks(s.SessionID, []string{"a task about Zebras"}))
		}
		h.clock.advance(2*time.Hour + 10*time.Minute)
		must(w.CompleteSession(s.SessionID, store.Completion{Outcome: "done " + fmt.Sprint(i), Decisions: []string{"decided Walrus"}}))
		if i < 10 {
			archive = append(archive, s.SessionID)
		}
		h.web = append(h.web, s.SessionID)
	}
	h.ids["archived0"] = archive[len(archive)-1]
	h.ids["stale"] = create("web", "went stale").SessionID
	h.web = append(h.web, h.ids["stale"])
	p := create("web", "parked for later")
	must(w.ParkSession(p.SessionID, "waiting for review", nil))
	h.ids["parked"] = p.SessionID
	h.web = append(h.web, p.SessionID)
	g := create("gone", "only in the archive")
	must(w.CompleteSession(g.SessionID, store.Completion{Outcome: "gone"}))
	archive = append(archive, g.SessionID)
	h.ids["gone"] = g.SessionID
	e := create("elsewhere", "launched outside the projects")
	h.ids["elsewhere"] = e.SessionID
	ed := create("elsewhere", "finished outside")
	must(w.CompleteSession(ed.SessionID, store.Completion{Outcome: "ok"}))
	h.ids["elsewhere-done"] = ed.SessionID
	h.clock.advance(30 * time.Hour) // the stale one is now stale; the next one is fresh
	a := create("web", "fresh work")
	h.ids["active"] = a.SessionID
	h.web = append(h.web, a.SessionID)
	must(w.Heartbeat(e.SessionID))
	for _, id := range archive {
		if err := w.ArchiveSession(id); err != nil {
			t.Fatal(err)
		}
	}
	h.clock.advance(time.Hour)
	slices.Reverse(h.web)
	return h
}

// store is the history's store, read at the history's clock.
func (h *history) store() *store.Store {
	return store.Open(h.dir, store.Options{ReadOnly: true, Now: h.clock.now})
}

// server is a server over the history.
func (h *history) server(t *testing.T) *Server {
	t.Helper()
	srv, err := New(h.store(), addr, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

func call(t *testing.T, srv *Server, path string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, path, nil)
	r.Host = "localhost:9000"
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, r)
	return w
}

func getJSON[T any](t *testing.T, srv *Server, path string) T {
	t.Helper()
	w := call(t, srv, path)
	var v T
	if w.Code != http.StatusOK {
		t.Fatalf("%s: %d %s", path, w.Code, w.Body.String())
	}
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("%s: not JSON: %v", path, err)
	}
	return v
}

func idsOf(p sessionPage) []string {
	var ids []string
	for _, s := range p.Sessions {
		ids = append(ids, s.SessionID)
	}
	return ids
}

// TestSessionsPaging: a project's pages hold every one of its sessions,
// archived ones included, newest first, each once; the counts are the
// project's by tab.
func TestSessionsPaging(t *testing.T) {
	t.Parallel()
	h := newHistory(t)
	srv := h.server(t)
	var all []string
	for offset := 0; offset < 40; offset += 10 {
		p := getJSON[sessionPage](t, srv, fmt.Sprintf("/api/sessions?project=web&limit=10&offset=%d", offset))
		if want, have := 33, p.Total; want != have {
			t.Fatalf("total: want %d, have %d", want, have)
		}
		if want, have := min(10, 33-offset), len(p.Sessions); want != have {
			t.Errorf("offset %d: want %d sessions, have %d", offset, want, have)
		}
		all = append(all, idsOf(p)...)
	}
	if !slices.Equal(all, h.web) {
		t.Errorf("pages: want\n%v\nhave\n%v", h.web, all)
	}
	p := getJSON[sessionPage](t, srv, "/api/sessions?project=web")
	if want, have := (statusCounts{All: 33, Active: 2, Parked: 1, Completed: 30, Stale: 1, Archived: 10}), p.Counts; want != have {
		t.Errorf("counts: want %+v, have %+v", want, have)
	}
	if want, have := defaultLimit, len(p.Sessions); want != have {
		t.Errorf("default page: want %d, have %d", want, have)
	}
	first := p.Sessions[0]
	if first.SessionID != h.ids["active"] || first.Status != session.StatusActive || first.IsStale || first.Archived {
		t.Errorf("first: %+v", first)
	}
	for _, tc := range []struct {
		query string
		total int
		first string
	}{
		{"project=web&status=completed", 30, h.web[3]},
		{"project=web&status=active", 2, h.ids["active"]},
		{"project=web&status=stale", 1, h.ids["stale"]},
		{"project=web&status=parked", 1, h.ids["parked"]},
		{"project=gone", 1, h.ids["gone"]},
		{"project=elsewhere&status=all", 2, h.ids["elsewhere-done"]},
		{"", 36, h.ids["active"]},
		{"project=nothing", 0, ""},
	} {
		p := getJSON[sessionPage](t, srv, "/api/sessions?"+tc.query)
		if p.Total != tc.total || (tc.first != "" && (len(p.Sessions) == 0 || p.Sessions[0].SessionID != tc.first)) {
			t.Errorf("%s: want %d from %s, have %d %v", tc.query, tc.total, tc.first, p.Total, idsOf(p))
		}
	}
	archived := getJSON[sessionPage](t, srv, "/api/sessions?project=web&status=completed&offset=20&limit=1").Sessions[0]
	if archived.SessionID != h.ids["archived0"] || !archived.Archived || archived.EventCount != 1 || archived.Outcome == nil {
		t.Errorf("newest archived: %+v", archived)
	}
	if p := getJSON[sessionPage](t, srv, "/api/sessions?project=web&offset=500"); p.Total != 33 || len(p.Sessions) != 0 || p.Sessions == nil {
		t.Errorf("past the end: %+v", p)
	}
	for _, q := range []string{"limit=0", "limit=101", "limit=x", "offset=-1", "status=bogus", "project=" + strings.Repeat("x", 201)} {
		if w := call(t, srv, "/api/sessions?"+q); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "VALIDATION_ERROR") {
			t.Errorf("%s: want 400, have %d %s", q, w.Code, w.Body.String())
		}
	}
}

// TestSearch: the search finds what `sess-manage search` finds (the same
// call of internal/search), archived sessions included, whatever the case,
// with the command line's snippet and score; the page's tabs keep its
// order and count what it found; its pages are the search's own pages.
func TestSearch(t *testing.T) {
	t.Parallel()
	h := newHistory(t)
	srv := h.server(t)
	ix := search.Open(h.store(), io.Discard)
	for _, tc := range []struct {
		q, field string
		want     string
	}{
		{"hidden NEEDLE", "event", h.web[len(h.web)-1-3]},
		{"zebras", "task", h.web[len(h.web)-1-3]},
		{"projects outside", "intent", h.ids["elsewhere"]}, // every word, in any order
		{"for review", "activity", h.ids["parked"]},        // a parked session's reason
		{h.ids["gone"], "session", h.ids["gone"]},
	} {
		cli, err := ix.Search(search.Query{Text: tc.q, Limit: 10})
		if err != nil || len(cli.Hits) != 1 || cli.Hits[0].SessionID != tc.want {
			t.Errorf("%q: the command line's search: %v %+v", tc.q, err, cli)
			continue
		}
		p := getJSON[sessionPage](t, srv, "/api/search?q="+url.QueryEscape(tc.q))
		if p.Total != 1 || len(p.Sessions) != 1 {
			t.Errorf("%q: want 1 match, have %d %v", tc.q, p.Total, idsOf(p))
			continue
		}
		s, hit := p.Sessions[0], cli.Hits[0]
		if want := (searchMatch{Field: tc.field, Text: hit.Snippet, Score: hit.Score}); s.SessionID != tc.want || s.Match == nil || *s.Match != want {
			t.Errorf("%q: want %s with %+v, have %s %+v", tc.q, tc.want, want, s.SessionID, s.Match)
		}
	}
	p := getJSON[sessionPage](t, srv, "/api/search?q=walrus&limit=7&offset=7")
	if p.Total != 30 || len(p.Sessions) != 7 || p.Counts.Archived != 10 || p.Counts.Completed != 30 {
		t.Errorf("walrus: %d %d %+v", p.Total, len(p.Sessions), p.Counts)
	}
	cli, err := ix.Search(search.Query{Text: "walrus", Offset: 7, Limit: 7})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, hit := range cli.Hits {
		want = append(want, hit.SessionID)
	}
	if have := idsOf(p); !slices.Equal(want, have) || !slices.Equal(h.web[3+7:3+14], have) {
		t.Errorf("walrus page 2: want %v, have %v", want, have)
	}
	if p := getJSON[sessionPage](t, srv, "/api/search?q=outside&project=elsewhere&status=active"); p.Total != 1 || p.Counts.All != 2 || p.Sessions[0].SessionID != h.ids["elsewhere"] {
		t.Errorf("project and status: %+v", p)
	}
	// What the command line does not find, the page does not either: a
	// piece from inside a word, a word no session has.
	for _, q := range []string{"nothing+like+this", "eedl"} {
		if p := getJSON[sessionPage](t, srv, "/api/search?q="+q); p.Total != 0 || p.Sessions == nil {
			t.Errorf("%s: want no match, have %+v", q, p)
		}
	}
	for _, q := range []string{"", "q=", "q=+++", "q=" + strings.Repeat("é", 201), "q=x&limit=101", "q=x&status=open"} {
		if w := call(t, srv, "/api/search?"+q); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "VALIDATION_ERROR") {
			t.Errorf("%s: want 400, have %d %s", q, w.Code, w.Body.String())
		}
	}
}

// TestQueryKeys: URLs that ask the same share one cached answer, and the
// case of a search does not matter.
func TestQueryKeys(t *testing.T) {
	t.Parallel()
	key := func(q query, target string) string {
		k, _, err := q(httptest.NewRequest(http.MethodGet, target, nil))
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	srv, _ := New(store.Open(t.TempDir(), store.Options{ReadOnly: true}), addr, io.Discard)
	for _, tc := range []struct {
		q    query
		a, b string
	}{
		{srv.sessionsQuery, "/api/sessions?project=web", "/api/sessions?limit=025&project=web&cb=1&offset=0&status=all"},
		{srv.searchQuery, "/api/search?q=Needle", "/api/search?q=+needle+&cb=2&limit=25"},
	} {
		if a, b := key(tc.q, tc.a), key(tc.q, tc.b); a != b {
			t.Errorf("%s and %s: keys %q and %q", tc.a, tc.b, a, b)
		}
	}
	if a, b := key(srv.sessionsQuery, "/api/sessions?project=a%26status%3Dx"), key(srv.sessionsQuery, "/api/sessions?project=a&status=all"); a == b {
		t.Errorf("distinct projects share key %q", a)
	}
}

// TestProjects: every project with a session or a registration, counted
// with its archive; the registered first.
func TestProjects(t *testing.T) {
	t.Parallel()
	h := newHistory(t)
	l := getJSON[projectList](t, h.server(t), "/api/projects")
	var slugs []string
	for _, p := range l.Projects {
		slugs = append(slugs, p.Slug)
	}
	if want := []string{"web", "elsewhere", "gone"}; !slices.Equal(want, slugs) {
		t.Fatalf("projects: want %v, have %v", want, slugs)
	}
	web, gone := l.Projects[0], l.Projects[2]
	if !web.Registered || web.Name != "Web" || web.Counts != (statusCounts{All: 33, Active: 2, Parked: 1, Completed: 30, Stale: 1, Archived: 10}) || web.LastActivity == "" {
		t.Errorf("web: %+v", web)
	}
	if gone.Registered || gone.Name != "gone" || gone.Counts != (statusCounts{All: 1, Completed: 1, Archived: 1}) {
		t.Errorf("gone: %+v", gone)
	}
}

// TestUnregistered: the projects that config.json does not list show in the
// overview's shape; one with only archived sessions and the registered
// ones do not.
func TestUnregistered(t *testing.T) {
	t.Parallel()
	h := newHistory(t)
	srv := h.server(t)
	body := call(t, srv, "/api/unregistered").Body.String()
	l := getJSON[unregisteredList](t, srv, "/api/unregistered")
	if len(l.Projects) != 1 {
		t.Fatalf("want elsewhere only, have %s", body)
	}
	p := l.Projects[0]
	if p.Slug != "elsewhere" || p.Name != "elsewhere" || p.ActiveCount != 1 || len(p.ActiveSessions) != 1 || len(p.CompletedSessions) != 1 || p.TotalSessions != 2 || p.ParkedSessions == nil {
		t.Errorf("elsewhere: %s", body)
	}
	if a := p.ActiveSessions[0]; a.SessionID != h.ids["elsewhere"] || a.IsStale || a.Events == nil {
		t.Errorf("its active session: %+v", a)
	}
	// The same shape as the overview's projects: the same keys.
	ov := decodeAny(t, call(t, srv, "/api/overview").Body.Bytes())["projects"].([]any)[0].(map[string]any)
	un := decodeAny(t, []byte(body))["projects"].([]any)[0].(map[string]any)
	if want, have := keys(ov), keys(un); !slices.Equal(want, have) {
		t.Errorf("keys: want %v, have %v", want, have)
	}
}

func decodeAny(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func keys(m map[string]any) []string {
	var k []string
	for key := range m {
		k = append(k, key)
	}
	slices.Sort(k)
	return k
}
