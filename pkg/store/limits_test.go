package store

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/internal/disk"
	"github.com/sess-dev/sess/pkg/store/internal/index"
)

// TestWriteLimit: a write that would grow a session file past what the
// store reads is refused with its own code, and changes no byte.
func TestWriteLimit(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	sess := mustCreate(t, s, "web", "big")
	// Grow the session close to the cap with events, written as a file
	// (a thousand writes through AddEvent would take minutes).
	msg := strings.Repeat("😀", session.MaxMessage)
	ev := session.Event{Timestamp: sess.StartedAt, Message: msg}
	empty, _ := encodeSessionFile(sess)
	sess.Events = []session.Event{ev}
	one, _ := encodeSessionFile(sess)
	per := len(one) - len(empty) + 2 // an event and its separator
	n := (MaxFileSize - len(empty) - 200) / per
	sess.Events = make([]session.Event, n)
	for i := range sess.Events {
		sess.Events[i] = ev
	}
	data, _ := encodeSessionFile(sess)
	if len(data) > MaxFileSize-per {
		t.Fatalf("setup: %d bytes leave no room for an event", len(data))
	}
	if err := disk.WriteAtomic(s.sessionPath(sess.SessionID), data); err != nil {
		t.Fatal(err)
	}
	// Events fit until one does not.
	for len(data) <= MaxFileSize-per {
		if _, err := s.AddEvent(sess.SessionID, msg); err != nil {
			t.Fatalf("an event that fits (%d bytes): %v", len(data), err)
		}
		data, _ = os.ReadFile(s.sessionPath(sess.SessionID))
	}
	before, _ := os.ReadFile(s.sessionPath(sess.SessionID))
	index, _ := os.ReadFile(s.indexPath())
	_, err := s.AddEvent(sess.SessionID, msg)
	if want, have := session.CodeTooLarge, session.ErrorCode(err); want != have {
		t.Fatalf("want %s, have %s (%v)", want, have, err)
	}
	after, _ := os.ReadFile(s.sessionPath(sess.SessionID))
	index2, _ := os.ReadFile(s.indexPath())
	if !bytes.Equal(before, after) || !bytes.Equal(index, index2) {
		t.Error("a refused write changed the store")
	}
	// The session is still whole: it can be read and completed.
	if _, err := s.sessionByID(sess.SessionID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CompleteSession(sess.SessionID, Completion{Outcome: "done"}); err != nil {
		t.Fatal(err)
	}
}

// TestIndexPastOriginalCap: an index over the original's 10 MiB is read and
// written like any other (no rebuild on every command), and crossing the
// cap is said once.
func TestIndexPastOriginalCap(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping: writes a 10 MiB index many times; run without -short")
	}
	t.Parallel()
	s := newTestStore(t)
	intent := strings.Repeat("😀", session.MaxIntent)
	entries := make(map[string]session.IndexEntry)
	for size := 0; size < MaxFileSize-60000; {
		sess := &session.Session{SessionID: "sess_20260101T0000_" + strings.Repeat("0", 4-len(hex4(len(entries)))) + hex4(len(entries)), ProjectSlug: "web", Status: session.StatusCompleted, Intent: intent, StartedAt: "2026-01-01T00:00:00.000000+00:00", LastHeartbeat: "2026-01-01T00:00:00.000000+00:00"}
		entries[sess.SessionID] = sess.Entry()
		if len(entries)%10 == 0 && len(entries) > 4000 {
			data, _ := index.Encode(entries)
			size = len(data)
		}
	}
	if err := s.ensureDirs(); err != nil {
		t.Fatal(err)
	}
	l, _ := s.lockIndex()
	if err := s.writeIndex(entries); err != nil {
		t.Fatal(err)
	}
	l.unlock()
	for i := 0; i < 30; i++ {
		mustCreate(t, s, "web", intent)
	}
	fi, err := os.Stat(s.indexPath())
	if err != nil || fi.Size() <= MaxFileSize {
		t.Fatalf("the index did not grow past the cap: %v %v", fi.Size(), err)
	}
	if want, have := 1, strings.Count(s.warnings.String(), "original tool cannot read"); want != have {
		t.Errorf("want the cap said %d time, have %d (index %d bytes):\n%s", want, have, fi.Size(), s.warnings.String())
	}
	if strings.Contains(s.warnings.String(), "rebuilding") {
		t.Errorf("the index was rebuilt:\n%s", s.warnings.String())
	}
	idx, err := s.indexEntries()
	if err != nil || len(idx) != len(entries)+30 {
		t.Fatalf("read back %d entries (%v), want %d", len(idx), err, len(entries)+30)
	}
}

func hex4(n int) string {
	const digits = "0123456789abcdef"
	var b []byte
	for ; n > 0; n /= 16 {
		b = append([]byte{digits[n%16]}, b...)
	}
	return string(b)
}
