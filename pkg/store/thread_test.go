package store

import (
	"testing"
	"time"

	"github.com/sess-dev/sess/pkg/session"
)

// launchIn starts conversation cid in work tree wt of project api, as its
// SessionStart hook does.
func launchIn(t *testing.T, s *testStore, cid, wt, source string) *session.Session {
	t.Helper()
	sess, _, err := s.RegisterLaunch(Launch{ClaudeSessionID: cid, Project: "api", WorktreeRoot: &wt, Source: source, Hooked: true})
	if err != nil {
		t.Fatalf("launch %s (%s): %v", cid, source, err)
	}
	return sess
}

func reread(t *testing.T, s *testStore, id string) *session.Session {
	t.Helper()
	sess, err := s.Session(id)
	if err != nil {
		t.Fatal(err)
	}
	return sess
}

// linked checks that next carries on prev, and prev ended naming next.
func linked(t *testing.T, s *testStore, prev, next *session.Session) {
	t.Helper()
	prev, next = reread(t, s, prev.SessionID), reread(t, s, next.SessionID)
	if session.Deref(next.Continues) != prev.SessionID || session.Deref(prev.ContinuedBy) != next.SessionID {
		t.Fatalf("not linked: %s continues %q; %s continued by %q", next.SessionID, session.Deref(next.Continues), prev.SessionID, session.Deref(prev.ContinuedBy))
	}
	if prev.Status != session.StatusCompleted || prev.EndedAt == nil || prev.Outcome == nil {
		t.Errorf("the one left behind did not end: %s, outcome %v", prev.Status, prev.Outcome)
	}
}

func unlinked(t *testing.T, s *testStore, sessions ...*session.Session) {
	t.Helper()
	for _, sess := range sessions {
		sess = reread(t, s, sess.SessionID)
		if sess.Continues != nil || sess.ContinuedBy != nil {
			t.Errorf("%s was linked: continues %q, continued by %q", sess.SessionID, session.Deref(sess.Continues), session.Deref(sess.ContinuedBy))
		}
	}
}

func TestLineage(t *testing.T) {
	t.Parallel()
	const wt = "/src/api"
	t.Run("clear after SessionEnd", func(t *testing.T) {
		s := newTestStore(t)
		a := launchIn(t, s, "a", wt, SourceStartup)
		s.PromptSubmitted(a.SessionID, "Fix the login")
		s.TurnEnded(a.SessionID, "Fixed.")
		other := launchIn(t, s, "other", wt, SourceStartup) // another window, idle too
		s.ConversationEnded(a.SessionID, "clear")
		b := launchIn(t, s, "b", wt, SourceClear)
		linked(t, s, a, b)
		a = reread(t, s, a.SessionID)
		if session.Deref(a.Outcome) != ContinuedOutcome(b.SessionID) || session.Deref(a.State) != session.StateEnded {
			t.Errorf("a: outcome %q, state %q", session.Deref(a.Outcome), session.Deref(a.State))
		}
		if !IsLaunchIntent(b.Intent) {
			t.Errorf("after /clear the first prompt sets the intent; it is %q", b.Intent)
		}
		unlinked(t, s, other)
	})
	t.Run("clear without SessionEnd: the only idle conversation", func(t *testing.T) {
		s := newTestStore(t)
		a := launchIn(t, s, "a", wt, SourceStartup)
		s.TurnEnded(a.SessionID, "Done.")
		b := launchIn(t, s, "b", wt, SourceClear)
		linked(t, s, a, b)
	})
	t.Run("clear without SessionEnd, two idle windows: no guess", func(t *testing.T) {
		s := newTestStore(t)
		a := launchIn(t, s, "a", wt, SourceStartup)
		c := launchIn(t, s, "c", wt, SourceStartup)
		b := launchIn(t, s, "b", wt, SourceClear)
		unlinked(t, s, a, b, c)
	})
	t.Run("resume, same id, after the end", func(t *testing.T) {
		s := newTestStore(t)
		a := launchIn(t, s, "a", wt, SourceStartup)
		s.ConversationEnded(a.SessionID, "prompt_input_exit")
		again := launchIn(t, s, "a", wt, SourceResume)
		if again.SessionID != a.SessionID || session.Deref(again.State) != session.StateIdle {
			t.Errorf("resume: %s (%q), want %s taken up again", again.SessionID, session.Deref(again.State), a.SessionID)
		}
	})
	t.Run("resume, same id, session completed", func(t *testing.T) {
		s := newTestStore(t)
		a := launchIn(t, s, "a", wt, SourceStartup)
		s.UpdateSession(a.SessionID, SessionPatch{Intent: strp("Port the parser")})
		s.CompleteSession(a.SessionID, Completion{Outcome: "Half done"})
		s.clock.add(5 * time.Hour) // long past RecentEnd: the pointer decides
		b := launchIn(t, s, "a", wt, SourceResume)
		linked(t, s, a, b)
		if b.Intent != "Port the parser" || session.Deref(reread(t, s, a.SessionID).Outcome) != "Half done" {
			t.Errorf("b's intent %q; a's outcome kept?", b.Intent)
		}
	})
	t.Run("resume with a new id, and fork", func(t *testing.T) {
		for _, source := range []string{SourceResume, SourceFork} {
			s := newTestStore(t)
			a := launchIn(t, s, "a", wt, SourceStartup)
			s.UpdateSession(a.SessionID, SessionPatch{Intent: strp("Port the parser")})
			s.ConversationEnded(a.SessionID, "other")
			b := launchIn(t, s, "b", wt, source)
			linked(t, s, a, b)
			if b.Intent != "Port the parser" {
				t.Errorf("%s: intent %q", source, b.Intent)
			}
		}
	})
	t.Run("compact keeps the session", func(t *testing.T) {
		s := newTestStore(t)
		a := launchIn(t, s, "a", wt, SourceStartup)
		if again := launchIn(t, s, "a", wt, SourceCompact); again.SessionID != a.SessionID {
			t.Errorf("compact made %s", again.SessionID)
		}
		unlinked(t, s, a)
	})
	t.Run("a new window on a parked thread", func(t *testing.T) {
		s := newTestStore(t)
		a := launchIn(t, s, "a", wt, SourceStartup)
		s.UpdateSession(a.SessionID, SessionPatch{Intent: strp("Port the parser")})
		s.ParkSession(a.SessionID, "lunch", nil)
		s.clock.add(20 * time.Hour)
		b := launchIn(t, s, "b", wt, SourceStartup)
		linked(t, s, a, b)
		if b.Intent != "Port the parser" {
			t.Errorf("intent %q", b.Intent)
		}
	})
	t.Run("two windows at once, elsewhere, or long ago: not merged", func(t *testing.T) {
		s := newTestStore(t)
		a := launchIn(t, s, "a", wt, SourceStartup)
		s.PromptSubmitted(a.SessionID, "Fix the login")
		b := launchIn(t, s, "b", wt, SourceStartup)
		c := launchIn(t, s, "c", "/src/api-feature", SourceStartup)
		old := launchIn(t, s, "old", "/src/other", SourceStartup)
		s.CompleteSession(old.SessionID, Completion{Outcome: "done"})
		s.clock.add(RecentEnd + time.Minute)
		d := launchIn(t, s, "d", "/src/other", SourceStartup)
		unlinked(t, s, a, b, c, old, d)
	})
}
