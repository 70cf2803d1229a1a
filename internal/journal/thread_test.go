package journal

import (
	"testing"
	"time"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// windows is which Claude Code windows run, for a test.
type windows map[string]bool

// launchIn starts conversation cid in work tree wt of project api, in
// window win, as its SessionStart hook does; carried are the conversations
// its transcript carries over.
func launchIn(t *testing.T, s *testStore, cid, wt, source string, win string, live windows, carried ...string) *session.Session {
	t.Helper()
	l := Launch{ClaudeSessionID: cid, Project: "api", WorktreeRoot: &wt, Source: source, Hooked: true, Window: win,
		Alive: func(w string) bool { return live[w] }}
	if carried != nil {
		l.Carried = func() []string { return carried }
	}
	sess, _, err := s.RegisterLaunch(l)
	if err != nil {
		t.Fatalf("launch %s (%s): %v", cid, source, err)
	}
	return sess
}

func reread(t *testing.T, s *testStore, id string) *session.Session {
	t.Helper()
	sess, err := s.View().Session(id)
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

// branched checks that next carries on from prev, which is left as it was.
func branched(t *testing.T, s *testStore, prev, next *session.Session, status session.Status) {
	t.Helper()
	prev, next = reread(t, s, prev.SessionID), reread(t, s, next.SessionID)
	if session.Deref(next.Continues) != prev.SessionID || prev.ContinuedBy != nil || prev.Status != status {
		t.Fatalf("not a branch: %s continues %q; %s (%s) continued by %q", next.SessionID, session.Deref(next.Continues), prev.SessionID, prev.Status, session.Deref(prev.ContinuedBy))
	}
}

func TestLineage(t *testing.T) {
	t.Parallel()
	const wt = "/src/api"
	live := windows{"wX": true, "wY": true}
	t.Run("clear: the conversation the same window ran last", func(t *testing.T) {
		s := newTestStore(t)
		x := launchIn(t, s, "x", wt, SourceStartup, "wX", live)
		a := launchIn(t, s, "a", wt, SourceStartup, "wY", live)
		s.PromptSubmitted(a.SessionID, "Fix the login")
		s.TurnEnded(a.SessionID, "Fixed.", "")
		s.TurnEnded(x.SessionID, "Idle here.", "") // the other window, idle
		s.ConversationEnded(a.SessionID, "clear")
		b := launchIn(t, s, "b", wt, SourceClear, "wY", live)
		linked(t, s, a, b)
		a = reread(t, s, a.SessionID)
		if session.Deref(a.Outcome) != ContinuedOutcome(b.SessionID) || session.Deref(a.State) != session.StateEnded {
			t.Errorf("a: outcome %q, state %q", session.Deref(a.Outcome), session.Deref(a.State))
		}
		if !IsLaunchIntent(b.Intent) {
			t.Errorf("after /clear the first prompt sets the intent; it is %q", b.Intent)
		}
		unlinked(t, s, x)
		if x = reread(t, s, x.SessionID); x.Status != session.StatusActive {
			t.Errorf("the other window's session is %s", x.Status)
		}
	})
	t.Run("clear after /session-end: the outcome kept, the thread goes on", func(t *testing.T) {
		s := newTestStore(t)
		x := launchIn(t, s, "x", wt, SourceStartup, "wX", live)
		a := launchIn(t, s, "a", wt, SourceStartup, "wY", live)
		s.CompleteSession(a.SessionID, store.Completion{Outcome: "Login fixed"})
		b := launchIn(t, s, "b", wt, SourceClear, "wY", live)
		linked(t, s, a, b)
		if o := session.Deref(reread(t, s, a.SessionID).Outcome); o != "Login fixed" {
			t.Errorf("a's outcome became %q", o)
		}
		unlinked(t, s, x)
	})
	t.Run("clear without a window: no guess", func(t *testing.T) {
		s := newTestStore(t)
		a := launchIn(t, s, "a", wt, SourceStartup, "", live)
		s.TurnEnded(a.SessionID, "Done.", "")
		s.ConversationEnded(a.SessionID, "clear")
		b := launchIn(t, s, "b", wt, SourceClear, "", live)
		unlinked(t, s, a, b)
	})
	t.Run("resume, same id, after the end", func(t *testing.T) {
		s := newTestStore(t)
		a := launchIn(t, s, "a", wt, SourceStartup, "wDead", live) // exited
		s.ConversationEnded(a.SessionID, "prompt_input_exit")
		again := launchIn(t, s, "a", wt, SourceResume, "wZ", live)
		if again.SessionID != a.SessionID || session.Deref(again.State) != session.StateIdle || session.Deref(again.Window) != "wZ" {
			t.Errorf("resume: %s (%q, window %q), want %s taken up again in wZ", again.SessionID, session.Deref(again.State), session.Deref(again.Window), a.SessionID)
		}
	})
	t.Run("resume, same id, session completed", func(t *testing.T) {
		s := newTestStore(t)
		a := launchIn(t, s, "a", wt, SourceStartup, "wX", live)
		s.UpdateSession(a.SessionID, store.SessionPatch{Intent: strp("Port the parser")})
		s.CompleteSession(a.SessionID, store.Completion{Outcome: "Half done"})
		s.Advance(5 * time.Hour) // no time limit: the pointer decides
		b := launchIn(t, s, "a", wt, SourceResume, "wZ", live)
		linked(t, s, a, b)
		if b.Intent != "Port the parser" || session.Deref(reread(t, s, a.SessionID).Outcome) != "Half done" {
			t.Errorf("b's intent %q; a's outcome kept?", b.Intent)
		}
	})
	t.Run("resume with a new id: the transcript's evidence", func(t *testing.T) {
		s := newTestStore(t)
		a := launchIn(t, s, "a", wt, SourceStartup, "wDead", live)
		s.UpdateSession(a.SessionID, store.SessionPatch{Intent: strp("Port the parser")})
		s.ConversationEnded(a.SessionID, "other")
		b := launchIn(t, s, "b", wt, SourceResume, "wZ", live, "unknown", "a")
		linked(t, s, a, b)
		if b.Intent != "Port the parser" {
			t.Errorf("intent %q", b.Intent)
		}
	})
	t.Run("resume with a new id of a conversation that still runs: a branch", func(t *testing.T) {
		s := newTestStore(t)
		a := launchIn(t, s, "a", wt, SourceStartup, "wX", live)
		b := launchIn(t, s, "b", wt, SourceResume, "wZ", live, "a")
		branched(t, s, a, b, session.StatusActive)
	})
	t.Run("fork: a branch, the old one not closed", func(t *testing.T) {
		s := newTestStore(t)
		a := launchIn(t, s, "a", wt, SourceStartup, "wDead", live)
		s.UpdateSession(a.SessionID, store.SessionPatch{Intent: strp("Port the parser")})
		s.ConversationEnded(a.SessionID, "other")
		b := launchIn(t, s, "b", wt, SourceFork, "wZ", live, "a")
		branched(t, s, a, b, session.StatusActive)
		if b.Intent != "Port the parser" {
			t.Errorf("intent %q", b.Intent)
		}
	})
	t.Run("resume with a new id, no evidence: a new thread", func(t *testing.T) {
		s := newTestStore(t)
		a := launchIn(t, s, "a", wt, SourceStartup, "wDead", live)
		s.ConversationEnded(a.SessionID, "other")
		b := launchIn(t, s, "b", wt, SourceResume, "wZ", live, []string{}...)
		c := launchIn(t, s, "c", wt, SourceResume, "wZ", live)
		unlinked(t, s, a, b, c)
	})
	t.Run("compact keeps the session; after /session-end it carries it on", func(t *testing.T) {
		s := newTestStore(t)
		a := launchIn(t, s, "a", wt, SourceStartup, "wX", live)
		if again := launchIn(t, s, "a", wt, SourceCompact, "wX", live); again.SessionID != a.SessionID {
			t.Errorf("compact made %s", again.SessionID)
		}
		unlinked(t, s, a)
		s.CompleteSession(a.SessionID, store.Completion{Outcome: "Done"})
		b := launchIn(t, s, "a", wt, SourceCompact, "wX", live)
		linked(t, s, a, b)
	})
	t.Run("a new window on a parked thread", func(t *testing.T) {
		s := newTestStore(t)
		a := launchIn(t, s, "a", wt, SourceStartup, "wDead", live)
		s.UpdateSession(a.SessionID, store.SessionPatch{Intent: strp("Port the parser")})
		s.ParkSession(a.SessionID, "lunch", nil)
		s.Advance(20 * time.Hour)
		b := launchIn(t, s, "b", wt, SourceStartup, "wZ", live)
		linked(t, s, a, b)
		if b.Intent != "Port the parser" {
			t.Errorf("intent %q", b.Intent)
		}
	})
	t.Run("a new window: never a parked session whose window runs", func(t *testing.T) {
		s := newTestStore(t)
		a := launchIn(t, s, "a", wt, SourceStartup, "wX", live)
		s.ParkSession(a.SessionID, "lunch", nil)
		b := launchIn(t, s, "b", wt, SourceStartup, "wZ", live)
		unlinked(t, s, a, b)
	})
	t.Run("a new window: never a completed or ended one, never by time", func(t *testing.T) {
		s := newTestStore(t)
		a := launchIn(t, s, "a", wt, SourceStartup, "wDead", live)
		s.PromptSubmitted(a.SessionID, "Fix the login")
		s.CompleteSession(a.SessionID, store.Completion{Outcome: "done"})
		e := launchIn(t, s, "e", wt, SourceStartup, "wDead2", live)
		s.ConversationEnded(e.SessionID, "prompt_input_exit")
		s.Advance(10 * time.Minute)
		b := launchIn(t, s, "b", wt, SourceStartup, "wZ", live)
		c := launchIn(t, s, "c", "/src/api-feature", SourceStartup, "wZ2", live)
		unlinked(t, s, a, e, b, c)
	})
}
