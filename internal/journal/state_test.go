package journal

import (
	"github.com/sess-dev/sess/internal/storetest"
	"testing"
	"time"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// TestLiveStates walks one conversation through every transition of its
// live state, each step a minute after the last.
func TestLiveStates(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	sess, _, err := s.RegisterLaunch(Launch{ClaudeSessionID: "c", Project: "api", Hooked: true})
	if err != nil {
		t.Fatal(err)
	}
	id := sess.SessionID
	steps := []struct {
		what   string
		do     func() (*session.Session, error)
		want   session.Live
		sinceN int // the step the state began at (its clock minute)
	}{
		{"launch", func() (*session.Session, error) { return s.View().Session(id) }, session.Live{State: session.StateIdle}, 0},
		{"prompt", func() (*session.Session, error) { return s.PromptSubmitted(id, "Fix it") }, session.Live{State: session.StateWorking}, 1},
		{"tool", func() (*session.Session, error) { return s.ToolUsed(id, ToolUse{File: "a.go"}) }, session.Live{State: session.StateWorking}, 1},
		{"permission", func() (*session.Session, error) { return s.Waiting(id, "Claude needs your permission") },
			session.Live{State: session.StateWaiting, Reason: "Claude needs your permission"}, 3},
		{"granted", func() (*session.Session, error) { return s.ToolUsed(id, ToolUse{File: "b.go"}) }, session.Live{State: session.StateWorking}, 4},
		{"stop", func() (*session.Session, error) { return s.TurnEnded(id, "Done.", "") }, session.Live{State: session.StateIdle}, 5},
		{"idle prompt", func() (*session.Session, error) { return s.Waiting(id, "Claude is waiting for your input") },
			session.Live{State: session.StateWaiting, Reason: "Claude is waiting for your input"}, 6},
		{"answer", func() (*session.Session, error) { return s.PromptSubmitted(id, "go on") }, session.Live{State: session.StateWorking}, 7},
		{"rate limit", func() (*session.Session, error) { return s.TurnFailed(id, "rate_limit") },
			session.Live{State: session.StateRateLimited, Reason: "rate_limit"}, 8},
		{"retry", func() (*session.Session, error) { return s.PromptSubmitted(id, "again") }, session.Live{State: session.StateWorking}, 9},
		{"overloaded", func() (*session.Session, error) { return s.TurnFailed(id, "overloaded") },
			session.Live{State: session.StateFailed, Reason: "overloaded"}, 10},
		{"exit", func() (*session.Session, error) { return s.ConversationEnded(id, "prompt_input_exit") },
			session.Live{State: session.StateEnded, Reason: "prompt_input_exit"}, 11},
		{"resume", func() (*session.Session, error) {
			got, _, err := s.RegisterLaunch(Launch{ClaudeSessionID: "c", Project: "api", Hooked: true})
			return got, err
		}, session.Live{State: session.StateIdle}, 12},
		{"request-action (a command)", func() (*session.Session, error) { return s.RequestAction(id, strp("Review the plan")) },
			session.Live{State: session.StateWaiting, Reason: "Review the plan"}, 13},
		{"clear-action (a command): as before the flag", func() (*session.Session, error) { return s.ClearAction(id) }, session.Live{State: session.StateIdle}, 12},
	}
	for i, st := range steps {
		if i > 0 {
			s.Advance(time.Minute)
		}
		got, err := st.do()
		if err != nil {
			t.Fatalf("%s: %v", st.what, err)
		}
		want := st.want
		want.Since = session.FormatTime(storetest.Epoch.Add(time.Duration(st.sinceN) * time.Minute))
		if have := session.LiveState(got, s.View().Now(), 24); have != want {
			t.Errorf("%s: have %+v, want %+v", st.what, have, want)
		}
	}
	// A day without a hook: silent, since the last one.
	last, _ := s.View().Session(id)
	s.Advance(25 * time.Hour)
	if have := session.LiveState(last, s.View().Now(), 24); have.State != session.StateSilent || have.Since != last.LastHeartbeat {
		t.Errorf("a day later: %+v", have)
	}
	// Not active: no live state.
	done, _ := s.CompleteSession(id, store.Completion{Outcome: "done"})
	if have := session.LiveState(done, s.View().Now(), 24); have != (session.Live{}) {
		t.Errorf("completed: %+v", have)
	}
}

// TestCleanupEnded: a conversation that ended and was not carried on within
// store.RecentEnd is completed by the cleanup, with its end reason; one that
// ended just now, or is only idle, stays.
func TestCleanupEnded(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	launch := func(cid string) string {
		sess, _, err := s.RegisterLaunch(Launch{ClaudeSessionID: cid, Project: "api", Hooked: true})
		if err != nil {
			t.Fatal(err)
		}
		return sess.SessionID
	}
	gone, idle, recent := launch("gone"), launch("idle"), launch("recent")
	s.ConversationEnded(gone, "prompt_input_exit")
	s.Advance(store.RecentEnd + time.Minute)
	s.TurnEnded(idle, "Done.", "")
	s.ConversationEnded(recent, "logout")
	if dry, err := s.CleanupStale(0, true); err != nil || len(dry) != 1 || dry[0] != gone {
		t.Fatalf("dry run: %v %v", dry, err)
	}
	closed, err := s.CleanupStale(0, false)
	if err != nil || len(closed) != 1 || closed[0] != gone {
		t.Fatalf("closed %v (%v)", closed, err)
	}
	g, _ := s.View().Session(gone)
	if g.Status != session.StatusCompleted || session.Deref(g.Outcome) != "Conversation ended (prompt_input_exit)" {
		t.Errorf("gone: %s %q", g.Status, session.Deref(g.Outcome))
	}
	for _, id := range []string{idle, recent} {
		if sess, _ := s.View().Session(id); sess.Status != session.StatusActive {
			t.Errorf("%s was closed", id)
		}
	}
}
