package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"github.com/sess-dev/sess/internal/storetest"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sess-dev/sess/internal/cost"
	"github.com/sess-dev/sess/internal/replica"
	"github.com/sess-dev/sess/internal/transcript"
	"github.com/sess-dev/sess/internal/usage"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
	"github.com/sess-dev/sess/pkg/store/derived"
	"github.com/sess-dev/sess/pkg/store/overview"
)

// pair is two machines' stores sharing one folder, as a replicator keeps it
// on both (here it is one folder on disk): the desktop, which the server
// serves, and the laptop, which publishes its part.
type pair struct {
	shared         string
	desk, lap      string       // the stores' folders
	deskW, lapW    *store.Store // written to, as the tools do
	deskM, lapM    *derived.Machine
	lapNow         func() time.Time // the laptop's publishing clock; nil: now
	srv            *Server
	log            *storetest.SyncBuffer
	ids            map[string]string
	deskID, lapPID string // the desktop's session, the laptop's part's folder
}

func newPair(t *testing.T) *pair {
	t.Helper()
	base := t.TempDir()
	p := &pair{shared: filepath.Join(base, "shared"), desk: filepath.Join(base, "desktop"), lap: filepath.Join(base, "laptop"), ids: map[string]string{}}
	p.deskW, p.lapW = store.Open(p.desk, store.Options{}), store.Open(p.lap, store.Options{})
	p.deskM, p.lapM = identity(t, p.deskW, "desktop", p.shared), identity(t, p.lapW, "laptop", p.shared)
	for _, st := range []*store.Store{p.deskW, p.lapW} {
		if _, err := st.RegisterProject("web", "/x/web"); err != nil {
			t.Fatal(err)
		}
	}
	p.ids["desk"] = mustSession(t)(p.deskW.CreateSession(store.NewSession{Project: "web", Intent: "desk parser work"})).SessionID
	waiting := mustSession(t)(p.lapW.CreateSession(store.NewSession{Project: "web", Intent: "laptop waiting"}))
	mustSession(t)(p.lapW.RequestAction(waiting.SessionID, strp("approve the deploy")))
	p.ids["waiting"] = waiting.SessionID
	done := mustSession(t)(p.lapW.CreateSession(store.NewSession{Project: "web", Intent: "laptop done"}))
	mustSession(t)(p.lapW.CompleteSession(done.SessionID, store.Completion{Outcome: "shipped the parser"}))
	p.ids["done"] = done.SessionID
	p.publish(t)
	p.lapPID = replica.PartOf(p.shared, p.lapM.ID)
	p.log = &storetest.SyncBuffer{}
	srv, err := New(store.Open(p.desk, store.Options{ReadOnly: true}), addr, p.log)
	if err != nil {
		t.Fatal(err)
	}
	p.srv = srv
	return p
}

// identity makes a store's machine.json: its name and the shared folder.
func identity(t *testing.T, st *store.Store, name, shared string) *derived.Machine {
	t.Helper()
	m, err := st.Derived().UpdateMachine(name, func(m *derived.Machine) error {
		m.Name, m.SyncDir = name, shared
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// publish publishes the laptop's part, as its sess-manage sync does.
func (p *pair) publish(t *testing.T) {
	t.Helper()
	pub := &replica.Publisher{St: p.lapW, Machine: p.lapM, Dir: p.shared, Version: "test", Now: p.lapNow}
	if _, err := pub.Publish(); err != nil {
		t.Fatal(err)
	}
}

func (p *pair) get(t *testing.T, path string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	return (&fixture{srv: p.srv}).get(t, path, hdr...)
}

func mustSession(t *testing.T) func(*session.Session, error) *session.Session {
	return func(s *session.Session, err error) *session.Session {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
}

// TestMachinesReadAll: every answer that shows the work shows the
// laptop's sessions on the desktop, each marked with its machine, and the
// desktop's as they were (no "machine").
func TestMachinesReadAll(t *testing.T) {
	t.Parallel()
	p := newPair(t)
	// A thread begun on the laptop goes on on the desktop.
	parked := mustSession(t)(p.lapW.CreateSession(store.NewSession{Project: "web", Intent: "laptop parked"}))
	mustSession(t)(p.lapW.ParkSession(parked.SessionID, "going home", []string{"finish the parser"}))
	p.publish(t)
	r := &replica.Reader{Dir: p.shared, SelfID: p.deskM.ID}
	carried, err := (&replica.Journal{Local: p.deskW, Others: r.Others()}).ResumeElsewhere(parked.SessionID, nil)
	if err != nil {
		t.Fatal(err)
	}
	marked := `"machine": "laptop"`
	for _, tc := range []struct {
		path      string
		code      int
		want, not []string
	}{
		{"/api/overview", 200, []string{p.ids["waiting"], p.ids["desk"], marked, `"machines": [`, `"name": "laptop"`, `"stale": false`}, []string{`"name": "desktop"`}},
		{"/api/sessions", 200, []string{p.ids["waiting"], p.ids["done"], p.ids["desk"], marked, `"total": 5`}, nil},
		{"/api/sessions?project=web&status=completed", 200, []string{p.ids["done"], marked, `"total": 1`}, []string{p.ids["desk"]}},
		{"/api/projects", 200, []string{`"slug": "web"`, `"all": 5`}, nil},
		{"/api/unregistered", 200, []string{`"projects": []`}, nil},
		{"/api/session/" + p.ids["waiting"], 200, []string{marked, "approve the deploy"}, nil},
		{"/api/session/" + p.ids["desk"], 200, []string{"desk parser work"}, []string{`"machine"`}},
		{"/api/thread/" + carried.SessionID, 200, []string{parked.SessionID, carried.SessionID, `"machines": {`, `"` + parked.SessionID + `": "laptop"`}, nil},
		{"/api/thread/" + p.ids["desk"], 200, []string{p.ids["desk"]}, []string{`"machines"`}},
		{"/api/search?q=parser", 200, []string{p.ids["done"], p.ids["desk"], marked, `"total": 3`}, nil},
		{"/api/activity?days=7", 200, []string{`"slug": "web"`}, nil},
		{"/api/export/session/" + p.ids["done"] + "?format=json", 200, []string{marked, "shipped the parser"}, nil},
		{"/api/export/session/" + p.ids["done"] + "?format=markdown", 200, []string{"laptop done"}, nil},
		{"/api/export/project/web?format=json", 200, []string{`"session_count": 5`, marked}, nil},
		{"/api/session/" + p.ids["waiting"] + "/conversation", 404, []string{`machine \"laptop\"'s: its conversation is on that machine`}, nil},
		{"/api/session/" + p.ids["waiting"] + "/cost", 200, []string{p.ids["waiting"]}, nil},
	} {
		w := p.get(t, tc.path)
		body := w.Body.String()
		if w.Code != tc.code {
			t.Errorf("%s: want %d, have %d: %.300s", tc.path, tc.code, w.Code, body)
			continue
		}
		for _, s := range tc.want {
			if !strings.Contains(body, s) {
				t.Errorf("%s: lacks %q:\n%.2000s", tc.path, s, body)
			}
		}
		for _, s := range tc.not {
			if strings.Contains(body, s) {
				t.Errorf("%s: has %q:\n%.2000s", tc.path, s, body)
			}
		}
	}
	// The activity counts the sessions of both machines.
	var act struct {
		Projects []struct {
			Slug     string
			Sessions []int
		}
	}
	json.Unmarshal(p.get(t, "/api/activity?days=7").Body.Bytes(), &act)
	started := 0
	for _, pr := range act.Projects {
		for _, n := range pr.Sessions {
			started += n
		}
	}
	if want, have := 5, started; want != have {
		t.Errorf("sessions started in the activity: want %d, have %d", want, have)
	}
	// The inbox's source: the laptop's waiting session among web's active
	// ones, marked, with its reason.
	var ov struct {
		Projects []struct {
			Slug           string
			ActiveSessions []struct {
				SessionID      string  `json:"session_id"`
				Machine        *string `json:"machine"`
				AwaitingAction *string `json:"awaiting_action"`
			} `json:"active_sessions"`
		}
	}
	json.Unmarshal(p.get(t, "/api/overview").Body.Bytes(), &ov)
	found := false
	for _, a := range ov.Projects[0].ActiveSessions {
		if a.SessionID == p.ids["waiting"] {
			found = a.Machine != nil && *a.Machine == "laptop" && session.Deref(a.AwaitingAction) == "approve the deploy"
		}
	}
	if !found {
		t.Errorf("the overview's web lacks the laptop's waiting session, marked: %+v", ov.Projects)
	}
}

// TestMachinesOneMachine: without a shared folder, or with one no other
// machine has published to, the answers are what they were before there
// were machines: no "machine", no "machines", the store's fingerprint as
// the stamp.
func TestMachinesOneMachine(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	alone := filepath.Join(t.TempDir(), "shared")
	for _, tc := range []struct {
		name    string
		syncDir string
	}{
		{"no shared folder", ""},
		{"a shared folder of one machine", alone},
	} {
		f.srv.shared.dir = tc.syncDir
		if want, have := f.st.View().Fingerprint(), f.srv.pageStamp(); want != have {
			t.Errorf("%s: stamp: want the store's fingerprint %q, have %q", tc.name, want, have)
		}
		for _, path := range []string{"/api/overview", "/api/sessions", "/api/search?q=parked", "/api/thread/" + f.ids["parked"], "/api/session/" + f.ids["active"]} {
			if body := f.get(t, path).Body.String(); strings.Contains(body, `"machine`) {
				t.Errorf("%s: %s names a machine:\n%.500s", tc.name, path, body)
			}
		}
	}
}

// TestMachinesStamp: an answer made before the laptop publishes a change
// is made again after (its ETag moves), and not before; a part that
// appears, and a machine that turns stale, move it too.
func TestMachinesStamp(t *testing.T) {
	t.Parallel()
	p := newPair(t)
	etag := func(path string) string { return p.get(t, path).Header().Get("ETag") }
	paths := []string{"/api/overview", "/api/sessions", "/api/projects", "/api/search?q=parser", "/api/activity?days=7"}
	for _, path := range paths {
		etag(path) // the first search makes the indexes' folders, which moves the store's
	}
	before := map[string]string{}
	for _, path := range paths {
		before[path] = etag(path)
		if w := p.get(t, path, "If-None-Match", before[path]); w.Code != http.StatusNotModified {
			t.Errorf("%s: unchanged: want 304, have %d", path, w.Code)
		}
	}
	// A change on the laptop not yet published changes nothing here.
	mustSession(t)(p.lapW.CreateSession(store.NewSession{Project: "web", Intent: "laptop parser again"}))
	for _, path := range paths {
		if have := etag(path); have != before[path] {
			t.Errorf("%s: the ETag moved before the laptop published", path)
		}
	}
	p.publish(t)
	for _, path := range paths {
		if have := etag(path); have == before[path] {
			t.Errorf("%s: the ETag did not move when the laptop published a session", path)
		}
		if body := p.get(t, path).Body.String(); path != "/api/activity?days=7" && path != "/api/projects" && !strings.Contains(body, "laptop parser again") {
			t.Errorf("%s: lacks the session the laptop published:\n%.1000s", path, body)
		}
	}
	// The laptop goes silent for a week: its part is stale.
	p.lapNow = func() time.Time { return time.Now().Add(-8 * 24 * time.Hour) }
	os.Remove(filepath.Join(p.lapPID, "manifest.json")) // written again at once
	p.publish(t)
	ov := p.get(t, "/api/overview").Body.String()
	if !strings.Contains(ov, `"stale": true`) {
		t.Errorf("a machine silent for eight days is not stale:\n%.3000s", ov)
	}
	if !strings.Contains(p.log.String(), `machine "laptop" has published nothing since`) {
		t.Errorf("the stale machine was not logged: %q", p.log.String())
	}
}

// TestMachinesReadOnly: no answer writes into the laptop's part, and with
// no store folder on the desktop, none makes it.
func TestMachinesReadOnly(t *testing.T) {
	t.Parallel()
	p := newPair(t)
	missing := filepath.Join(t.TempDir(), "none")
	empty, err := New(store.Open(missing, store.Options{ReadOnly: true}), addr, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	empty.shared.dir = p.shared
	paths := []string{"/api/overview", "/api/sessions", "/api/projects", "/api/unregistered", "/api/search?q=parser",
		"/api/activity?days=7", "/api/usage", "/api/session/" + p.ids["done"], "/api/session/" + p.ids["done"] + "/cost",
		"/api/thread/" + p.ids["done"], "/api/export/session/" + p.ids["done"], "/api/export/project/web", "/api/session/" + p.ids["done"] + "/conversation"}
	before := tree(t, p.shared)
	for _, srv := range []*Server{p.srv, empty} {
		for _, path := range paths {
			w := (&fixture{srv: srv}).get(t, path)
			if w.Code >= 500 {
				t.Errorf("%s: %d %s", path, w.Code, w.Body.String())
			}
		}
	}
	if want, have := before, tree(t, p.shared); want != have {
		t.Errorf("the shared folder changed:\nbefore\n%s\nafter\n%s", want, have)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("a read made the store's folder: %v", err)
	}
	// The laptop's sessions are found by the server without a store folder
	// too.
	if body := (&fixture{srv: empty}).get(t, "/api/search?q=parser").Body.String(); !strings.Contains(body, p.ids["done"]) {
		t.Errorf("the search without a store folder lacks the laptop's session:\n%.500s", body)
	}
}

// tree lists the files under dir with their sizes and times.
func tree(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s %s %d %v\n", path, fi.Mode(), fi.Size(), fi.ModTime())
		return nil
	})
	return b.String()
}

// TestMachinesEvents: a session file the replicator delivers into a part
// (a temporary file renamed into place) is a change event within two
// seconds; so is one delivered into a part that appeared after the server
// started.
func TestMachinesEvents(t *testing.T) {
	t.Parallel()
	p := newPair(t)
	ctx, cancel := context.WithCancel(context.Background())
	go p.srv.events.run(ctx)
	ts := httptest.NewServer(p.srv)
	defer func() { cancel(); p.srv.events.close(); ts.Close() }()
	events := streamEvents(t, ctx, ts.URL)

	// deliver writes a session file into a part's sessions folder as a
	// replicator does, and returns when it was renamed into place.
	deliver := func(part, id, intent string) time.Time {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(p.lapPID, "sessions", p.ids["waiting"]+".json"))
		if err != nil {
			t.Fatal(err)
		}
		body := strings.ReplaceAll(strings.ReplaceAll(string(data), p.ids["waiting"], id), "laptop waiting", intent)
		dir := filepath.Join(part, "sessions")
		os.MkdirAll(dir, 0o755)
		tmp := filepath.Join(dir, ".syncthing."+id+".json.tmp")
		if err := os.WriteFile(tmp, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		at := time.Now()
		if err := os.Rename(tmp, filepath.Join(dir, id+".json")); err != nil {
			t.Fatal(err)
		}
		return at
	}
	// waitChange waits (two seconds at most) for a change event.
	waitChange := func(what string, since time.Time) {
		t.Helper()
		deadline := time.After(2 * time.Second)
		for {
			select {
			case ev := <-events:
				if ev == "change" {
					t.Logf("%s: the change event %v after the rename", what, time.Since(since).Round(time.Millisecond))
					return
				}
			case <-deadline:
				t.Fatalf("%s: no change event within two seconds", what)
			}
		}
	}
	// drain lets the events of what the test set up pass.
	drain := func() {
		for {
			select {
			case <-events:
			case <-time.After(debounce * 3):
				return
			}
		}
	}
	drain()
	waitChange("a session delivered into the laptop's part", deliver(p.lapPID, "sess_20300101T0000_beef", "delivered"))

	// A machine whose part appears now: its folder, then its files.
	phone := store.Open(filepath.Join(t.TempDir(), "phone"), store.Options{})
	phoneM := identity(t, phone, "phone", p.shared)
	part := replica.PartOf(p.shared, phoneM.ID)
	os.MkdirAll(filepath.Join(part, "sessions"), 0o755)
	drain()
	waitChange("a session delivered into a part that appeared later", deliver(part, "sess_20300101T0001_cafe", "on the phone"))
}

// streamEvents opens the event stream and sends the name of each event it
// reads.
func streamEvents(t *testing.T, ctx context.Context, base string) <-chan string {
	t.Helper()
	resp := get(t, ctx, base+"/api/events")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("stream: %d", resp.StatusCode)
	}
	out := make(chan string, 64)
	go func() {
		defer resp.Body.Close()
		lines := bufio.NewScanner(resp.Body)
		for lines.Scan() {
			if ev, ok := strings.CutPrefix(lines.Text(), "event: "); ok {
				out <- ev
			}
		}
	}()
	return out
}

// TestMachinesPublish: while the server runs with a shared folder, this
// machine's part is published on every change; a failure is logged once
// however often it is tried; nothing is published, and no folder made,
// while the store has no folder.
func TestMachinesPublish(t *testing.T) {
	t.Parallel()
	p := newPair(t)
	pub := &publishing{s: p.srv, version: "test"}
	later := func() time.Time { return time.Now().Add(time.Hour) } // past any retry's wait
	own := replica.PartOf(p.shared, p.deskM.ID)
	pub.once(later())
	if _, err := os.Stat(filepath.Join(own, "sessions", p.ids["desk"]+".json")); err != nil {
		t.Fatalf("the desktop's session is not in its part: %v", err)
	}
	s := mustSession(t)(p.deskW.CreateSession(store.NewSession{Project: "web", Intent: "published next"}))
	pub.once(later())
	if _, err := os.Stat(filepath.Join(own, "sessions", s.SessionID+".json")); err != nil {
		t.Errorf("a new session is not published: %v", err)
	}
	// The laptop reads it.
	r := &replica.Reader{Dir: p.shared, SelfID: p.lapM.ID}
	if sess, _, err := (&replica.Journal{Local: p.lapW, Others: r.Others()}).Session(s.SessionID); err != nil || session.Deref(sess.Machine) != "desktop" {
		t.Errorf("the laptop does not read the published session: %v", err)
	}
	if n := strings.Count(p.log.String(), "publishing this machine's journal"); n != 1 {
		t.Errorf("want one line that says where it publishes, have %d: %q", n, p.log.String())
	}

	// The shared folder turns into a file: every try fails, logged once.
	broken := filepath.Join(t.TempDir(), "file")
	os.WriteFile(broken, []byte("x"), 0o644)
	p.srv.shared.dir = broken
	for range 3 {
		mustSession(t)(p.deskW.AddEvent(s.SessionID, "a change to publish"))
		pub.once(later())
	}
	if n := strings.Count(p.log.String(), "sess-serve: publish to the shared folder:"); n != 1 {
		t.Errorf("want the failure logged once, have %d times:\n%s", n, p.log.String())
	}
	// No store folder: nothing published, nothing made.
	missing := filepath.Join(t.TempDir(), "none")
	empty, _ := New(store.Open(missing, store.Options{ReadOnly: true}), addr, io.Discard)
	empty.shared.dir = filepath.Join(t.TempDir(), "shared")
	(&publishing{s: empty}).once(later())
	for _, dir := range []string{missing, empty.shared.dir} {
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("%s was made: %v", dir, err)
		}
	}
}

// TestMachinesUsage: what the laptop's conversations cost, as it published
// it (its usage summaries: the desktop has none of its transcripts),
// counts in the desktop's /api/usage, in the laptop's project; a new
// summary the laptop publishes moves the answer.
func TestMachinesUsage(t *testing.T) {
	t.Parallel()
	p := newPair(t)
	projects := filepath.Join(t.TempDir(), "projects")
	folder := filepath.Join(projects, transcript.Folder("/x/web"))
	today := time.Now().UTC().Format("2006-01-02")
	cost1 := func(cid string, out int) {
		t.Helper()
		write(t, filepath.Join(folder, cid+".jsonl"), costRow(cid, "/x/web", today+"T00:00:05.000Z", "req_"+cid, sonnet, 3, out, 0, 0))
		// The laptop's costing keeps its summaries, which it publishes.
		if _, err := cost.Projects(cost.Config{Store: p.lapW, Roots: []string{projects}, Mode: usage.Auto}, time.UTC, time.Now(), time.Time{}); err != nil {
			t.Fatal(err)
		}
		p.publish(t)
	}
	spent := func() (int64, string) {
		t.Helper()
		w := p.get(t, "/api/usage?tz=UTC&days=7")
		var u struct {
			Today    summaryJSON
			Projects []struct{ Slug string }
		}
		if err := json.Unmarshal(w.Body.Bytes(), &u); err != nil {
			t.Fatalf("/api/usage: %v: %s", err, w.Body.String())
		}
		slugs := []string{}
		for _, pr := range u.Projects {
			slugs = append(slugs, pr.Slug)
		}
		return u.Today.OutputTokens, strings.Join(slugs, " ")
	}
	cost1("c1", 40)
	if out, slugs := spent(); out != 40 || slugs != "web" {
		t.Errorf("the laptop's usage on the desktop: want 40 output tokens in web, have %d in %q", out, slugs)
	}
	cost1("c2", 2)
	if out, _ := spent(); out != 42 {
		t.Errorf("after the laptop published another conversation: want 42 output tokens, have %d", out)
	}
}

// TestAddActivity: another machine's lines are added day by day (by date,
// whatever its window) and project by slug, a project only it has added.
func TestAddActivity(t *testing.T) {
	t.Parallel()
	line := func(slug string, sessions []int, hours []float64) overview.ProjectActivity {
		return overview.ProjectActivity{Slug: slug, Sessions: sessions, Hours: hours}
	}
	for _, tc := range []struct {
		name string
		a, b overview.Activity
		want []overview.ProjectActivity
	}{
		{"same project, same days",
			overview.Activity{Days: []string{"2030-01-01", "2030-01-02"}, Projects: []overview.ProjectActivity{line("web", []int{1, 0}, []float64{0.5, 0})}},
			overview.Activity{Days: []string{"2030-01-01", "2030-01-02"}, Projects: []overview.ProjectActivity{line("web", []int{0, 2}, []float64{0.25, 1.333})}},
			[]overview.ProjectActivity{line("web", []int{1, 2}, []float64{0.75, 1.33})}},
		{"a project only the other has, a day later",
			overview.Activity{Days: []string{"2030-01-01", "2030-01-02"}, Projects: []overview.ProjectActivity{line("web", []int{1, 0}, []float64{1, 0})}},
			overview.Activity{Days: []string{"2030-01-02", "2030-01-03"}, Projects: []overview.ProjectActivity{line("api", []int{3, 4}, []float64{2, 9})}},
			[]overview.ProjectActivity{line("api", []int{0, 3}, []float64{0, 2}), line("web", []int{1, 0}, []float64{1, 0})}},
		{"nothing from the other",
			overview.Activity{Days: []string{"2030-01-01"}, Projects: []overview.ProjectActivity{}},
			overview.Activity{Days: []string{"2030-01-01"}, Projects: []overview.ProjectActivity{}},
			[]overview.ProjectActivity{}},
	} {
		a := tc.a
		addActivity(&a, &tc.b)
		if want, have := fmt.Sprint(tc.want), fmt.Sprint(a.Projects); want != have {
			t.Errorf("%s: want %s, have %s", tc.name, want, have)
		}
	}
}
