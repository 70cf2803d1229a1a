package journal

import (
	"fmt"
	"testing"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// TestToolUsedBounds: one event changes at most MaxEventTasks tasks, and
// the hooks add at most MaxHookTasks to a session, fast.
func TestToolUsedBounds(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	sess, err := s.CreateSession(store.NewSession{Project: "api", Intent: "x"})
	if err != nil {
		t.Fatal(err)
	}
	huge := make([]TaskUpdate, 26000)
	for round := range 12 {
		for i := range huge {
			huge[i] = TaskUpdate{Subject: fmt.Sprintf("Item %d of round %d", i, round), Status: "pending"}
		}
		if _, err := s.ToolUsed(sess.SessionID, ToolUse{Tasks: huge}); err != nil {
			t.Fatal(err)
		}
		got, _ := s.View().Session(sess.SessionID)
		if want := min((round+1)*session.MaxEventTasks, session.MaxHookTasks); len(got.Tasks) != want {
			t.Fatalf("round %d: %d tasks, want %d", round, len(got.Tasks), want)
		}
	}
}
