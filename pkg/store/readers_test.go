package store_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
	"github.com/sess-dev/sess/pkg/store/overview"
)

// The store's tests that look at what it keeps through the overview, a
// reader above it (package overview), and so run outside package store.

// overviewOf is the store's overview, read as the tools read it.
func overviewOf(st *store.Store) (*overview.Overview, error) {
	return overview.Read(st)
}

func TestBadFilesAreSkipped(t *testing.T) {
	t.Parallel()
	s := store.NewTestStore(t)
	s.RegisterProject("Web", "/x/web")
	good := store.MustCreate(t, s, "web", "good")
	bad := store.WriteBad(t, s)

	list, err := s.View().List(store.Filter{})
	if err != nil || len(list) != 1 || list[0].SessionID != good.SessionID {
		t.Fatalf("list: %v %v", list, err)
	}
	for _, id := range bad {
		if n := strings.Count(s.Warnings(), id); n != 1 {
			t.Errorf("want one warning for %s, have %d:\n%s", id, n, s.Warnings())
		}
	}
	ov, err := overviewOf(s.Store)
	if err != nil || len(ov.Projects) != 1 || len(ov.Projects[0].ActiveSessions) != 1 {
		t.Fatalf("overview: %+v %v", ov, err)
	}
	s.Advance(48 * time.Hour)
	closed, err := s.CleanupStale(0, false)
	if err != nil || !reflect.DeepEqual(closed, []string{good.SessionID}) {
		t.Errorf("cleanup with bad files around: %v %v", closed, err)
	}
	if _, err := s.View().Session(bad[1]); err == nil || session.ErrorCode(err) != session.CodeStore {
		t.Errorf("get of a symlinked session: want STORE_ERROR, have %v", err)
	}
	if n, err := s.RebuildIndex(); err != nil || n != 1 {
		t.Errorf("rebuild: %d %v", n, err)
	}
}

// TestArchiveRecounts: as in the original, archiving one session by id
// leaves the project's state as it was, and the next refresh (a create)
// counts only the sessions not archived; the overview shows the state's
// total. (cmd/sess-manage's TestParityProjectCounts holds it to the
// original's own outputs.)
func TestArchiveRecounts(t *testing.T) {
	t.Parallel()
	s := store.NewTestStore(t)
	done := store.MustCreate(t, s, "web", "done")
	if _, err := s.AddCommit(done.SessionID, "abc1234", "the fix"); err != nil {
		t.Fatal(err)
	}
	s.Advance(time.Hour)
	if _, err := s.CompleteSession(done.SessionID, store.Completion{Outcome: "ok", NextSteps: []string{"ship"}}); err != nil {
		t.Fatal(err)
	}
	before, err := s.View().ProjectState("web")
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(time.Hour)
	if err := s.ArchiveSession(done.SessionID); err != nil {
		t.Fatal(err)
	}
	check := func(when string, wantTotal int, wantCommits int) {
		t.Helper()
		ps, err := s.View().ProjectState("web")
		if err != nil {
			t.Fatal(err)
		}
		if want, have := wantTotal, ps.TotalSessions; want != have {
			t.Errorf("%s: total_sessions: want %d, have %d", when, want, have)
		}
		if want, have := wantCommits, len(ps.RecentCommits); want != have {
			t.Errorf("%s: recent_commits: want %d, have %d", when, want, have)
		}
		ov, err := overviewOf(s.Store)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ov.Projects {
			if p.Slug == "web" && (p.TotalSessions != ps.TotalSessions || p.LastActivity != ps.LastActivity) {
				t.Errorf("%s: overview total_sessions %d, last_activity %s; the state's %d, %s", when, p.TotalSessions, p.LastActivity, ps.TotalSessions, ps.LastActivity)
			}
		}
	}
	after, err := s.View().ProjectState("web")
	if err != nil {
		t.Fatal(err)
	}
	if after.UpdatedAt != before.UpdatedAt {
		t.Errorf("archive --session-id refreshed the project's state: updated_at %s, before %s", after.UpdatedAt, before.UpdatedAt)
	}
	check("after the archive", 1, 1)
	if _, err := s.RegisterProject("web", "/src/web"); err != nil {
		t.Fatal(err)
	}
	check("with the project registered", 1, 1)
	next := store.MustCreate(t, s, "web", "next")
	check("after a create", 1, 0)
	if _, err := s.ParkSession(next.SessionID, "later", nil); err != nil {
		t.Fatal(err)
	}
	if ps, _ := s.View().ProjectState("web"); ps.TotalSessions != 1 || ps.ParkedSessions != 1 || ps.ActiveSessions != 0 {
		t.Errorf("after a park: %+v", ps)
	}
}
