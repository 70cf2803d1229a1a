package store

import (
	"testing"
	"time"
)

// TestArchiveRecounts: as in the original, archiving one session by id
// leaves the project's state as it was, and the next refresh (a create)
// counts only the sessions not archived; the overview shows the state's
// total. (cmd/sess-manage's TestParityProjectCounts holds it to the
// original's own outputs.)
func TestArchiveRecounts(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	done := mustCreate(t, s, "web", "done")
	if _, err := s.AddCommit(done.SessionID, "abc1234", "the fix"); err != nil {
		t.Fatal(err)
	}
	s.clock.add(time.Hour)
	if _, err := s.CompleteSession(done.SessionID, Completion{Outcome: "ok", NextSteps: []string{"ship"}}); err != nil {
		t.Fatal(err)
	}
	before, err := s.ProjectState("web")
	if err != nil {
		t.Fatal(err)
	}
	s.clock.add(time.Hour)
	if err := s.ArchiveSession(done.SessionID); err != nil {
		t.Fatal(err)
	}
	check := func(when string, wantTotal int, wantCommits int) {
		t.Helper()
		ps, err := s.ProjectState("web")
		if err != nil {
			t.Fatal(err)
		}
		if want, have := wantTotal, ps.TotalSessions; want != have {
			t.Errorf("%s: total_sessions: want %d, have %d", when, want, have)
		}
		if want, have := wantCommits, len(ps.RecentCommits); want != have {
			t.Errorf("%s: recent_commits: want %d, have %d", when, want, have)
		}
		ov, err := s.Overview()
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ov.Projects {
			if p.Slug == "web" && (p.TotalSessions != ps.TotalSessions || p.LastActivity != ps.LastActivity) {
				t.Errorf("%s: overview total_sessions %d, last_activity %s; the state's %d, %s", when, p.TotalSessions, p.LastActivity, ps.TotalSessions, ps.LastActivity)
			}
		}
	}
	after, err := s.ProjectState("web")
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
	next := mustCreate(t, s, "web", "next")
	check("after a create", 1, 0)
	if _, err := s.ParkSession(next.SessionID, "later", nil); err != nil {
		t.Fatal(err)
	}
	if ps, _ := s.ProjectState("web"); ps.TotalSessions != 1 || ps.ParkedSessions != 1 || ps.ActiveSessions != 0 {
		t.Errorf("after a park: %+v", ps)
	}
}
