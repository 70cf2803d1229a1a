package store

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestChangesFIFO: a FIFO where the search's change feed goes holds up
// no write.
func TestChangesFIFO(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	sess, err := s.CreateSession(NewSession{Project: "api", Intent: "x"})
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(s.Dir(), ".search"), 0o700)
	if err := syscall.Mkfifo(filepath.Join(s.Dir(), ChangesFile), 0o600); err != nil {
		t.Skip(err)
	}
	done := make(chan error, 1)
	go func() { _, err := s.AddEvent(sess.SessionID, "through"); done <- err }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("add-event hangs on a FIFO at " + ChangesFile)
	}
}
