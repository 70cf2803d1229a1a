package store

import (
	"os"
	"testing"
	"time"
)

// TestArchiveKeepsHistory: archiving is housekeeping, not history. A
// project's total and last activity still count its archived sessions,
// through the archive and later refreshes, and the archive keeps its recent
// commits (a later refresh takes them from the live sessions, as the
// original's does).
func TestArchiveKeepsHistory(t *testing.T) {
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
	if err := s.ArchiveSession(done.SessionID); err != nil {
		t.Fatal(err)
	}
	check := func(when string, wantTotal int, commits bool) {
		t.Helper()
		ps, err := s.ProjectState("web")
		if err != nil {
			t.Fatal(err)
		}
		if want, have := wantTotal, ps.TotalSessions; want != have {
			t.Errorf("%s: total_sessions: want %d, have %d", when, want, have)
		}
		if later(ps.LastActivity, before.LastActivity) != ps.LastActivity {
			t.Errorf("%s: last_activity went back: %s before %s", when, ps.LastActivity, before.LastActivity)
		}
		if commits && (len(ps.RecentCommits) == 0 || ps.RecentCommits[0].SHA != "abc1234") {
			t.Errorf("%s: recent_commits lost the archived session's: %+v", when, ps.RecentCommits)
		}
		ov, err := s.Overview()
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ov.Projects {
			if p.Slug == "web" && p.TotalSessions != wantTotal {
				t.Errorf("%s: overview total_sessions: want %d, have %d", when, wantTotal, p.TotalSessions)
			}
		}
	}
	check("after the archive", 1, true)
	if _, err := s.RegisterProject("web", "/src/web"); err != nil {
		t.Fatal(err)
	}
	check("with the project registered", 1, true)
	next := mustCreate(t, s, "web", "next")
	check("after a create", 2, false)
	if _, err := s.ParkSession(next.SessionID, "later", nil); err != nil {
		t.Fatal(err)
	}
	if ps, _ := s.ProjectState("web"); ps.TotalSessions != 2 || ps.ParkedSessions != 1 || ps.ActiveSessions != 0 {
		t.Errorf("after a park: %+v", ps)
	}
}

func TestLater(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ a, b, want string }{
		{"2026-01-01T00:00:00.000000+00:00", "2026-01-02T00:00:00.000000+00:00", "2026-01-02T00:00:00.000000+00:00"},
		{"2026-01-03T00:00:00Z", "2026-01-02T00:00:00.000000+00:00", "2026-01-03T00:00:00Z"},
		{"", "2026-01-02T00:00:00.000000+00:00", "2026-01-02T00:00:00.000000+00:00"},
		{"2026-01-02T00:00:00.000000+00:00", "", "2026-01-02T00:00:00.000000+00:00"},
		{"2026-01-02T01:00:00+01:00", "2026-01-02T00:30:00Z", "2026-01-02T00:30:00Z"},
	} {
		if have := later(tc.a, tc.b); have != tc.want {
			t.Errorf("later(%q, %q): want %q, have %q", tc.a, tc.b, tc.want, have)
		}
	}
}

// TestLaunchIntentIsTheOriginals: register-launch writes the original's
// placeholder byte for byte (as in the store the original wrote).
func TestLaunchIntentIsTheOriginals(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../testdata/original-store/sessions/sess_20261125T0917_d212.json")
	if err != nil {
		t.Fatal(err)
	}
	orig, err := DecodeSession(data)
	if err != nil {
		t.Fatal(err)
	}
	s := newTestStore(t)
	sess, created, err := s.RegisterLaunch(Launch{ClaudeSessionID: "c-1", Project: "/src/web"})
	if err != nil || !created {
		t.Fatalf("register-launch: %v (created %v)", err, created)
	}
	if want, have := orig.Intent, sess.Intent; want != have {
		t.Errorf("intent: the original's %q, sess %q", want, have)
	}
	for _, intent := range []string{orig.Intent, "(launched — intent not set yet)"} {
		if !IsLaunchIntent(intent) {
			t.Errorf("%q is not taken for a placeholder", intent)
		}
	}
	if IsLaunchIntent("Fix the login") {
		t.Error("a real intent is taken for a placeholder")
	}
}
