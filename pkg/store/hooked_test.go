package store

import (
	"testing"

	"github.com/sess-dev/sess/pkg/session"
)

// What internal/journal (which pkg/store's tests cannot import) writes for
// a hook, made through the store's public change, for tests that need such
// a session.

// hooked creates the session a SessionStart hook registers for conversation
// cid: the original's launch placeholder as its intent, its live state
// started.
func hooked(t *testing.T, s *testStore, cid, project, title string) *session.Session {
	t.Helper()
	p := NewSession{Project: project, Intent: "(launch — sessie-start volgt)", ClaudeSessionID: &cid, Hooked: true}
	if title != "" {
		p.Title = &title
	}
	sess, err := s.CreateSession(p)
	if err != nil {
		t.Fatalf("hooked session: %v", err)
	}
	return sess
}

// waitingFor records that the session waits for the user, as a hook's
// notification does.
func waitingFor(t *testing.T, s *testStore, id, reason string) {
	t.Helper()
	err := s.Update([]string{id}, func(tx *Tx) error {
		sess, err := tx.Session(id)
		if err != nil {
			return err
		}
		sess.AwaitingAction = &reason
		sess.Touch(tx.Now())
		sess.SetState(session.StateWaiting, "", tx.Now())
		return tx.Put(sess)
	})
	if err != nil {
		t.Fatalf("waiting: %v", err)
	}
}
