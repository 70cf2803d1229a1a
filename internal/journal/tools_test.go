package journal

import (
	"fmt"
	"testing"
	"time"

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

func TestToolsRecordedLeavesStateAndDoublesNothing(t *testing.T) {
	ts := newTestStore(t)
	st := ts.Store
	sess, _, err := ts.RegisterLaunch(Launch{ClaudeSessionID: "c-enrich", Project: "app", Hooked: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Waiting(st, sess.SessionID, "Waiting for your input"); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	uses := []Use{
		{ToolUse{File: "a.go"}, at},
		{ToolUse{Commit: &session.Commit{SHA: "abc1234", Message: "x"}}, at},
		{ToolUse{Tasks: []TaskUpdate{{Subject: "write it", Status: "completed"}}}, at},
	}
	for run, want := range []int{3, 0} {
		n, err := ToolsRecorded(st, sess.SessionID, uses, false)
		if err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Errorf("run %d: want %d uses recorded, have %d", run, want, n)
		}
	}
	got, err := st.View().Session(sess.SessionID)
	if err != nil {
		t.Fatal(err)
	}
	if got.AwaitingAction == nil || len(got.FilesChanged) != 1 || len(got.Commits) != 1 || len(got.Tasks) != 1 {
		t.Errorf("session after: awaiting %v, files %v, commits %v, tasks %v", got.AwaitingAction, got.FilesChanged, got.Commits, got.Tasks)
	}
	if want, have := session.FormatTime(at), got.Tasks[0].AddedAt; want != have {
		t.Errorf("task added: want %s, have %s", want, have)
	}
}
