package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sess-dev/sess/pkg/session"
)

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

func TestCreateSessionFile(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	sess, err := s.CreateSession(NewSession{Project: "web", Intent: "  Fix <b>login</b> & \"auth\" é  ", GitBranch: "feature/x"})
	if err != nil {
		t.Fatal(err)
	}
	if want, have := "Fix <b>login</b> & \"auth\" é", sess.Intent; want != have {
		t.Errorf("intent: want %q, have %q", want, have)
	}
	if sess.Status != session.StatusActive || sess.StartedAt != session.FormatTime(testEpoch) || sess.LastHeartbeat != sess.StartedAt {
		t.Errorf("new session: %+v", sess)
	}
	if !strings.HasPrefix(sess.SessionID, "sess_20260210T1430_") {
		t.Errorf("id %s does not carry the start minute", sess.SessionID)
	}
	data, err := os.ReadFile(s.sessionPath(sess.SessionID))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"{\n  \"session_id\": ", "\"intent\": \"Fix <b>login</b> & \\\"auth\\\" é\"", "\"events\": [],", "\"roadmap_ref\": null,", "\"schema_version\": 4\n}\n"} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("session file lacks %q:\n%s", want, data)
		}
	}
	// Field order is the contract's.
	keys := []string{"session_id", "project_slug", "status", "intent", "roadmap_ref", "started_at", "last_heartbeat", "ended_at", "outcome", "parked_reason", "current_activity", "awaiting_action", "events", "git_branch", "worktree_root", "claude_session_id", "files_changed", "commits", "decisions", "open_questions", "next_steps", "tasks", "schema_version"}
	last := -1
	for _, k := range keys {
		i := bytes.Index(data, []byte("\n  \""+k+"\": "))
		if i <= last {
			t.Errorf("key %s out of order", k)
		}
		last = i
	}
	for path, mode := range map[string]os.FileMode{s.sessionPath(sess.SessionID): 0o600, s.indexPath(): 0o600, s.projectPath("web"): 0o600, s.sessionsDir(): 0o700 | os.ModeDir, s.dir + "/projects": 0o700 | os.ModeDir} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != mode {
			t.Errorf("%s: want mode %v, have %v", path, mode, fi.Mode())
		}
	}
	idx := map[string]session.IndexEntry{}
	readJSON(t, s.indexPath(), &idx)
	if want, have := sess.Entry(), idx[sess.SessionID]; !reflect.DeepEqual(want, have) {
		t.Errorf("index entry: want %+v, have %+v", want, have)
	}
	var ps session.ProjectState
	readJSON(t, s.projectPath("web"), &ps)
	if ps.ActiveSessions != 1 || ps.TotalSessions != 1 || ps.LastActivity != sess.LastHeartbeat {
		t.Errorf("project state: %+v", ps)
	}
	if entries, _ := os.ReadDir(s.dir); len(entries) != 4 { // config.lock is not there yet: config, sessions, projects
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		if len(names) != 2 {
			t.Errorf("store root holds %v; want only sessions and projects", names)
		}
	}
}

func TestSessionChanges(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	sess := mustCreate(t, s, "web", "intent")
	id := sess.SessionID
	step := func() string {
		s.clock.add(time.Minute)
		return session.FormatTime(s.clock.now())
	}

	now := step()
	got, err := s.UpdateSession(id, SessionPatch{CurrentActivity: strp("testing"), RoadmapRef: strp("D.3")})
	if err != nil || session.Deref(got.CurrentActivity) != "testing" || session.Deref(got.RoadmapRef) != "D.3" {
		t.Fatalf("update: %+v, %v", got, err)
	}
	if got.LastHeartbeat == now {
		t.Error("update-session must not touch the heartbeat")
	}

	for _, tc := range []struct {
		name string
		do   func() (*session.Session, error)
		chk  func(*session.Session) bool
	}{
		{"add-event", func() (*session.Session, error) { return s.AddEvent(id, "line one\nline two") }, func(x *session.Session) bool {
			return len(x.Events) == 1 && x.Events[0].Message == "line one\nline two"
		}},
		{"add-commit", func() (*session.Session, error) { return s.AddCommit(id, "abcdef1234", "first") }, func(x *session.Session) bool { return len(x.Commits) == 1 }},
		{"add-commit dup", func() (*session.Session, error) { return s.AddCommit(id, "ABCDEF1999", "same short sha") }, func(x *session.Session) bool { return len(x.Commits) == 1 }},
		{"add-decision", func() (*session.Session, error) { return s.AddDecision(id, "use Go") }, func(x *session.Session) bool { return len(x.Decisions) == 1 }},
		{"add-decision dup", func() (*session.Session, error) { return s.AddDecision(id, "use Go") }, func(x *session.Session) bool { return len(x.Decisions) == 1 }},
		{"request-action", func() (*session.Session, error) { return s.RequestAction(id, strp("approve")) }, func(x *session.Session) bool { return session.Deref(x.AwaitingAction) == "approve" }},
		{"clear-action", func() (*session.Session, error) { return s.ClearAction(id) }, func(x *session.Session) bool { return x.AwaitingAction == nil }},
		{"add-tasks", func() (*session.Session, error) { return s.AddTasks(id, []string{"a", "b", "a"}) }, func(x *session.Session) bool { return len(x.Tasks) == 2 }},
		{"add-tasks dup", func() (*session.Session, error) { return s.AddTasks(id, []string{"b", "c"}) }, func(x *session.Session) bool { return len(x.Tasks) == 3 }},
		{"heartbeat", func() (*session.Session, error) { return s.Heartbeat(id) }, func(x *session.Session) bool { return true }},
	} {
		now := step()
		got, err := tc.do()
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !tc.chk(got) {
			t.Errorf("%s: unexpected result %+v", tc.name, got)
		}
		if got.LastHeartbeat != now {
			t.Errorf("%s: want heartbeat %s, have %s", tc.name, now, got.LastHeartbeat)
		}
		disk, err := s.sessionByID(id)
		if err != nil || !reflect.DeepEqual(disk, got) {
			t.Errorf("%s: the file does not hold what was returned: %v", tc.name, err)
		}
	}

	got, _ = s.sessionByID(id)
	tasks := got.Tasks
	if tid := tasks[0].ID; len(tid) != 9 || tid[0] != 't' {
		t.Errorf("task id %q: want t + 8 hex", tid)
	}
	if _, err := s.UpdateTask(id, tasks[0].ID, session.TaskCompleted, strp(tasks[1].Subject)); session.ErrorCode(err) != session.CodeConflict {
		t.Errorf("rename onto another task's subject: want CONFLICT, have %v", err)
	}
	if _, err := s.UpdateTask(id, "t00000000", session.TaskCompleted, nil); session.ErrorCode(err) != session.CodeNotFound {
		t.Errorf("unknown task: want NOT_FOUND, have %v", err)
	}
	if _, err := s.UpdateTask(id, tasks[0].ID, "done", nil); session.ErrorCode(err) != session.CodeValidation {
		t.Errorf("bad status: want VALIDATION_ERROR, have %v", err)
	}
	got, err = s.UpdateTask(id, tasks[0].ID, session.TaskInProgress, strp("renamed"))
	if err != nil || got.Tasks[0].Subject != "renamed" || got.Tasks[0].Status != session.TaskInProgress {
		t.Errorf("update-task: %+v %v", got, err)
	}
	if _, err := s.AddEvent("sess_20260210T1430_ffff", "x"); session.ErrorCode(err) != session.CodeNotFound {
		t.Errorf("unknown session: want NOT_FOUND, have %v", err)
	}
	if exists(s.lockPath(kindSession, "sess_20260210T1430_ffff")) {
		t.Error("a change to an unknown session must leave no lock file")
	}
}

func TestLifecycle(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	old := mustCreate(t, s, "web", "first")
	s.clock.add(time.Hour)
	sess, err := s.CreateSession(NewSession{Project: "web", Intent: "second", RoadmapRef: strp("R1"), GitBranch: "dev", WorktreeRoot: strp("/w")})
	if err != nil {
		t.Fatal(err)
	}
	// (heartbeat-project is internal/journal's: see TestHeartbeatProject.)
	s.clock.add(time.Hour)

	parked, err := s.ParkSession(sess.SessionID, "blocked", []string{"1", "2", "3", "4"})
	if err != nil || parked.Status != session.StatusParked || !reflect.DeepEqual(parked.NextSteps, []string{"1", "2", "3"}) || session.Deref(parked.ParkedReason) != "blocked" || parked.EndedAt == nil {
		t.Fatalf("park: %+v %v", parked, err)
	}
	if _, err := s.ResumeSession(old.SessionID, nil); session.ErrorCode(err) != session.CodeConflict {
		t.Errorf("resume of an active session: want CONFLICT, have %v", err)
	}
	s.clock.add(time.Minute)
	resumed, err := s.ResumeSession(sess.SessionID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resumed.Intent != "second" || session.Deref(resumed.RoadmapRef) != "R1" || resumed.GitBranch != "dev" || session.Deref(resumed.WorktreeRoot) != "/w" || resumed.Status != session.StatusActive {
		t.Errorf("resumed: %+v", resumed)
	}
	was, _ := s.sessionByID(sess.SessionID)
	if was.Status != session.StatusCompleted || session.Deref(was.Outcome) != "Resumed as "+resumed.SessionID {
		t.Errorf("the parked session after resume: %+v", was)
	}
	done, err := s.CompleteSession(resumed.SessionID, Completion{Outcome: "done", NextSteps: []string{"a", "b", "c", "d"}, Commits: []session.Commit{{SHA: "abc1234", Message: "m"}}, FilesChanged: []string{"x.go"}})
	if err != nil || done.Status != session.StatusCompleted || len(done.NextSteps) != 3 || len(done.Commits) != 1 || done.FilesChanged[0] != "x.go" {
		t.Fatalf("complete: %+v %v", done, err)
	}
	if _, err := s.CompleteSession(resumed.SessionID, Completion{Outcome: "again"}); session.ErrorCode(err) != session.CodeConflict {
		t.Errorf("complete twice: want CONFLICT, have %v", err)
	}
	if _, err := s.ParkSession(resumed.SessionID, "r", nil); session.ErrorCode(err) != session.CodeConflict {
		t.Errorf("park a completed session: want CONFLICT, have %v", err)
	}
	ps, err := s.projectStateFor("web")
	if err != nil {
		t.Fatal(err)
	}
	if ps.ActiveSessions != 1 || ps.ParkedSessions != 0 || ps.TotalSessions != 3 || !reflect.DeepEqual(ps.RoadmapSummary.NextUp, []string{"a", "b", "c"}) || len(ps.RecentCommits) != 1 {
		t.Errorf("project state: %+v", ps)
	}
	// Heartbeat of a completed session changes nothing.
	before, _ := os.ReadFile(s.sessionPath(done.SessionID))
	s.clock.add(time.Minute)
	if _, err := s.Heartbeat(done.SessionID); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(s.sessionPath(done.SessionID))
	if !bytes.Equal(before, after) {
		t.Error("heartbeat of a completed session must not write")
	}
}

func TestStaleCleanupAndArchive(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	a := mustCreate(t, s, "web", "goes stale")
	b := mustCreate(t, s, "web", "kept fresh")
	c := mustCreate(t, s, "api", "completed long ago")
	if _, err := s.CompleteSession(c.SessionID, Completion{Outcome: "done"}); err != nil {
		t.Fatal(err)
	}
	s.clock.add(25 * time.Hour)
	if _, err := s.Heartbeat(b.SessionID); err != nil {
		t.Fatal(err)
	}
	stale, err := s.staleSessions(0)
	if err != nil || len(stale) != 1 || stale[0].SessionID != a.SessionID {
		t.Fatalf("stale: %v %v", stale, err)
	}
	orphan := s.lockPath(kindSession, "sess_20260101T0000_dead")
	os.WriteFile(orphan, nil, 0o600)
	dry, err := s.CleanupStale(0, true)
	if err != nil || len(dry) != 1 {
		t.Fatalf("dry run: %v %v", dry, err)
	}
	if x, _ := s.sessionByID(a.SessionID); x.Status != session.StatusActive {
		t.Fatal("dry run changed a session")
	}
	closed, err := s.CleanupStale(0, false)
	if err != nil || !reflect.DeepEqual(closed, []string{a.SessionID}) {
		t.Fatalf("cleanup: %v %v", closed, err)
	}
	if removed, err := s.CleanupLocks(false); err != nil || len(removed) != 1 {
		t.Fatalf("cleanup-locks: %v %v", removed, err)
	}
	x, _ := s.sessionByID(a.SessionID)
	if x.Status != session.StatusCompleted || session.Deref(x.Outcome) != StaleOutcome || session.Deref(x.EndedAt) != x.LastHeartbeat {
		t.Errorf("closed stale session: %+v", x)
	}
	if exists(orphan) {
		t.Error("cleanup must remove orphaned locks")
	}
	if !exists(s.lockPath(kindSession, b.SessionID)) {
		t.Error("cleanup removed the lock of a live session")
	}

	// Archive: by age, then get still finds it, and it is read-only.
	s.clock.add(31 * 24 * time.Hour)
	if _, err := s.ArchiveOld(0, false); err != nil {
		t.Fatal(err)
	}
	if exists(s.sessionPath(c.SessionID)) || !exists(s.archivedPath(c.SessionID)) {
		t.Error("an old completed session must move to the archive")
	}
	if !exists(s.sessionPath(b.SessionID)) {
		t.Error("an active session must not be archived")
	}
	got, err := s.sessionByID(c.SessionID)
	if err != nil || got.SessionID != c.SessionID {
		t.Errorf("get of an archived session: %v", err)
	}
	if _, err := s.AddEvent(c.SessionID, "x"); session.ErrorCode(err) != session.CodeConflict {
		t.Errorf("change of an archived session: want CONFLICT, have %v", err)
	}
	idx := map[string]session.IndexEntry{}
	readJSON(t, s.indexPath(), &idx)
	if _, ok := idx[c.SessionID]; ok {
		t.Error("an archived session must leave the index")
	}
	all, _ := s.listSessions(Filter{IncludeArchived: true})
	live, _ := s.listSessions(Filter{})
	if len(all) != 3 || len(live) != 1 { // a, closed at cleanup, is as old as c by now
		t.Errorf("listings: %d with archive, %d without", len(all), len(live))
	}
	if err := s.ArchiveSession(b.SessionID); session.ErrorCode(err) != session.CodeConflict {
		t.Errorf("archive of an active session: want CONFLICT, have %v", err)
	}
}

func TestListFilters(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	var ids []string
	for i := 0; i < 6; i++ {
		p := []string{"web", "api"}[i%2]
		ids = append(ids, mustCreate(t, s, p, "s").SessionID)
		s.clock.add(24 * time.Hour)
	}
	list, err := s.listSessions(Filter{Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	var have []string
	for _, x := range list {
		have = append(have, x.SessionID)
	}
	if want := []string{ids[5], ids[4], ids[3]}; !reflect.DeepEqual(want, have) {
		t.Errorf("newest first with limit: want %v, have %v", want, have)
	}
	list, _ = s.listSessions(Filter{Project: "api"})
	if len(list) != 3 {
		t.Errorf("project filter: %d", len(list))
	}
	list, _ = s.listSessions(Filter{Since: "2026-02-13"})
	if len(list) != 3 {
		t.Errorf("since filter: %d", len(list))
	}
	for _, f := range []Filter{{Project: "Bad Slug"}, {Status: "done"}, {Since: "13-02-2026"}, {Since: "2026-02-30"}} {
		if _, err := s.listSessions(f); session.ErrorCode(err) != session.CodeValidation {
			t.Errorf("%+v: want VALIDATION_ERROR, have %v", f, err)
		}
	}
}

func TestConfig(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	os.MkdirAll(s.dir, 0o700)
	orig := `{
  "version": 1,
  "projects": {"old": {"name": "Old", "path": "/x/old", "registered_at": "2025-01-01T00:00:00+00:00", "color": "red"}},
  "settings": {"dashboard_port": 9100, "stale_threshold_hours": "soon", "theme": "dark"},
  "extra": {"keep": [1, 2]}
}`
	os.WriteFile(s.configPath(), []byte(orig), 0o600)
	cfg := s.loadConfig()
	if cfg.Settings.DashboardPort != 9100 || cfg.Settings.StaleThresholdHours != 24 || cfg.Settings.ArchiveAfterDays != 30 {
		t.Errorf("settings: %+v", cfg.Settings)
	}
	if !strings.Contains(s.warnings.String(), "stale_threshold_hours") {
		t.Errorf("a wrongly typed setting must warn; warnings: %q", s.warnings.String())
	}
	slug, err := s.RegisterProject("New One", "/home/u/New_One/")
	if err != nil || slug != "new-one" {
		t.Fatalf("register: %q %v", slug, err)
	}
	if _, err := s.RegisterProject("Other Name", "/elsewhere/new one"); err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	readJSON(t, s.configPath(), &back)
	projects := back["projects"].(map[string]any)
	if projects["old"].(map[string]any)["color"] != "red" || back["extra"] == nil || back["settings"].(map[string]any)["theme"] != "dark" {
		t.Errorf("unknown keys must be kept: %v", back)
	}
	if nw := projects["new-one"].(map[string]any); nw["name"] != "New One" || nw["path"] != "/home/u/New_One" {
		t.Errorf("first registration wins: %v", nw)
	}
	cfg = s.loadConfig()
	var slugs []string
	for _, p := range cfg.Projects {
		slugs = append(slugs, p.Slug)
	}
	if want := []string{"old", "new-one"}; !reflect.DeepEqual(want, slugs) {
		t.Errorf("project order: want %v, have %v", want, slugs)
	}
	for _, bad := range [][2]string{{"", "/a/b"}, {"n", "relative/path"}, {"n", "/a/../b"}, {"n", "/a/B.C"}, {strings.Repeat("n", 101), "/a/b"}} {
		if _, err := s.RegisterProject(bad[0], bad[1]); session.ErrorCode(err) != session.CodeValidation {
			t.Errorf("register %q: want VALIDATION_ERROR, have %v", bad, err)
		}
	}

	// A corrupt config: defaults, a warning, never rewritten.
	c := newTestStore(t)
	os.MkdirAll(c.dir, 0o700)
	os.WriteFile(c.configPath(), []byte(`{"projects": {`), 0o600)
	if cfg := c.loadConfig(); len(cfg.Projects) != 0 || cfg.Settings != session.DefaultSettings() {
		t.Errorf("corrupt config: %+v", cfg)
	}
	if !strings.Contains(c.warnings.String(), "config.json") {
		t.Error("a corrupt config must warn")
	}
	if _, err := c.RegisterProject("x", "/a/x"); session.ErrorCode(err) != session.CodeStore {
		t.Errorf("register over a corrupt config: want STORE_ERROR, have %v", err)
	}
	if data, _ := os.ReadFile(c.configPath()); string(data) != `{"projects": {` {
		t.Error("a corrupt config must not be rewritten")
	}
}

// writeBad plants unusable session files next to good ones.
func writeBad(t *testing.T, s *testStore) []string {
	t.Helper()
	bad := map[string]func(path string){
		"sess_20260101T0000_0001": func(p string) { os.WriteFile(p, []byte(`{"session_id": "sess_20260101T0000_0001", `), 0o600) },
		"sess_20260101T0000_0002": func(p string) { os.Symlink("/etc/passwd", p) },
		"sess_20260101T0000_0003": func(p string) {
			os.WriteFile(p, append([]byte(`{"session_id": "sess_20260101T0000_0003", "x": "`), bytes.Repeat([]byte("a"), 11<<20)...), 0o600)
		},
		"sess_20260101T0000_0004": func(p string) {
			os.WriteFile(p, []byte(`{"session_id": "sess_20260101T0000_0004", "project_slug": "web", "status": "active", "intent": "x", "events": "not a list"}`), 0o600)
		},
	}
	var ids []string
	changes := map[string]*session.IndexEntry{}
	for id, plant := range bad {
		plant(s.sessionPath(id))
		ids = append(ids, id)
		changes[id] = &session.IndexEntry{ProjectSlug: "web", Status: session.StatusActive, Intent: "bad", StartedAt: "2026-01-01T00:00:00+00:00"}
	}
	if err := s.setIndexEntries(changes); err != nil {
		t.Fatal(err)
	}
	sort.Strings(ids)
	return ids
}

func TestCorruptIndexIsRebuilt(t *testing.T) {
	t.Parallel()
	for name, content := range map[string]string{"garbage": "{not json", "array": "[]", "wrong type": `{"sess_20260101T0000_0001": 5}`, "empty": ""} {
		s := newTestStore(t)
		a := mustCreate(t, s, "web", "a")
		b := mustCreate(t, s, "web", "b")
		os.WriteFile(s.indexPath(), []byte(content), 0o600)
		list, err := s.listSessions(Filter{})
		if err != nil || len(list) != 2 {
			t.Errorf("%s: list after corrupt index: %d %v", name, len(list), err)
		}
		if !strings.Contains(s.warnings.String(), "index") {
			t.Errorf("%s: want a warning", name)
		}
		idx := map[string]session.IndexEntry{}
		readJSON(t, s.indexPath(), &idx)
		if len(idx) != 2 || idx[a.SessionID].Intent != "a" || idx[b.SessionID].Intent != "b" {
			t.Errorf("%s: rebuilt index %v", name, idx)
		}
	}
	// A write over a corrupt index rebuilds it too and loses nothing.
	s := newTestStore(t)
	a := mustCreate(t, s, "web", "a")
	os.WriteFile(s.indexPath(), []byte("{"), 0o600)
	b := mustCreate(t, s, "web", "b")
	idx := map[string]session.IndexEntry{}
	readJSON(t, s.indexPath(), &idx)
	if len(idx) != 2 || idx[a.SessionID].Intent != "a" || idx[b.SessionID].Intent != "b" {
		t.Errorf("index after a write over a corrupt one: %v", idx)
	}
}

func TestMendAfterKilledWriter(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := openTestStore(t, dir)
	a := mustCreate(t, s, "web", "a")
	// What a writer killed after writing a new session file, before the
	// index, leaves: its marker, its temp file and an unindexed file.
	id := "sess_20260210T1431_beef"
	sess := *a
	sess.SessionID, sess.Intent = id, "orphan"
	data, _ := encodeSessionFile(&sess)
	os.WriteFile(s.sessionPath(id), data, 0o600)
	os.WriteFile(s.sessionPath(id)+tmpExt, data[:10], 0o600)
	os.WriteFile(s.markerPath(kindSession, id), nil, 0o600)
	os.WriteFile(s.indexPath()+tmpExt, []byte("{"), 0o600)
	os.WriteFile(s.projectPath("web")+tmpExt, []byte("{"), 0o600)
	os.WriteFile(s.markerPath(kindProject, "web"), nil, 0o600)

	s2 := openTestStore(t, dir)
	list, err := s2.listSessions(Filter{})
	if err != nil || len(list) != 2 {
		t.Fatalf("list after a killed writer: %d %v", len(list), err)
	}
	idx := map[string]session.IndexEntry{}
	readJSON(t, s2.indexPath(), &idx)
	if idx[id].Intent != "orphan" {
		t.Errorf("the unindexed session must be indexed: %v", idx)
	}
	for _, p := range []string{s.sessionPath(id) + tmpExt, s.markerPath(kindSession, id), s.indexPath() + tmpExt, s.projectPath("web") + tmpExt, s.markerPath(kindProject, "web")} {
		if exists(p) {
			t.Errorf("%s must be cleaned up", filepath.Base(p))
		}
	}
	ps, _ := s2.projectStateFor("web")
	if ps.TotalSessions != 2 {
		t.Errorf("project state after mend: %+v", ps)
	}
}

func TestMigration(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	os.MkdirAll(s.sessionsDir(), 0o700)
	id := "sess_20250101T0000_0a0a"
	v1 := `{"session_id": "` + id + `", "project_slug": "web", "status": "active", "intent": "old", "started_at": "2025-01-01T00:00:00", "last_heartbeat": "2025-01-01T00:00:00Z", "events": [{"timestamp": "2025-01-01T00:00:00Z", "message": "m"}]}`
	os.WriteFile(s.sessionPath(id), []byte(v1), 0o600)
	got, err := s.sessionByID(id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Tasks == nil || got.GitBranch != "main" || got.WorktreeRoot != nil || got.ClaudeSessionID != nil || got.SchemaVersion != 0 {
		t.Errorf("migrated: %+v", got)
	}
	if _, err := s.AddEvent(id, "new"); err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	readJSON(t, s.sessionPath(id), &back)
	if back["schema_version"] != 4.0 || back["tasks"] == nil || back["started_at"] != "2025-01-01T00:00:00" {
		t.Errorf("written back: %v", back)
	}
	if _, ok := back["claude_session_id"]; !ok {
		t.Error("claude_session_id must be written")
	}
}

func TestListLimitSkipsBadFiles(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	var ids []string
	for i := 0; i < 4; i++ {
		ids = append(ids, mustCreate(t, s, "web", fmt.Sprint("s", i)).SessionID)
		s.clock.add(time.Minute)
	}
	os.WriteFile(s.sessionPath(ids[3]), []byte("{"), 0o600)
	os.Remove(s.sessionPath(ids[2]))
	list, err := s.listSessions(Filter{Limit: 2})
	if err != nil || len(list) != 2 || list[0].SessionID != ids[1] || list[1].SessionID != ids[0] {
		t.Fatalf("limit 2 past a corrupt and a missing file: %v %v", list, err)
	}
	idx := map[string]session.IndexEntry{}
	readJSON(t, s.indexPath(), &idx)
	if _, ok := idx[ids[2]]; ok || len(idx) != 3 {
		t.Errorf("the missing session must leave the index, the corrupt one stay: %v", idx)
	}
}

// TestCleanupRechecksUnderLock: a session heartbeated between the scan and
// its lock is kept.
func TestCleanupRechecksUnderLock(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	a := mustCreate(t, s, "web", "revived")
	b := mustCreate(t, s, "web", "stale")
	s.clock.add(30 * time.Hour)
	s.beforeLock = func(id string) {
		if id == a.SessionID {
			// Another window's hook, right now.
			other := openTestStore(t, s.dir)
			other.clock = s.clock
			other.Store.now = s.clock.now
			if _, err := other.Heartbeat(id); err != nil {
				t.Error(err)
			}
		}
	}
	closed, err := s.CleanupStale(0, false)
	if err != nil || !reflect.DeepEqual(closed, []string{b.SessionID}) {
		t.Fatalf("closed %v, %v; want only %s", closed, err, b.SessionID)
	}
	if x, _ := s.sessionByID(a.SessionID); x.Status != session.StatusActive {
		t.Error("the session heartbeated between scan and lock must stay active")
	}
}
