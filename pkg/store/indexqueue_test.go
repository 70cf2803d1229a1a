package store

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/internal/disk"
	"github.com/sess-dev/sess/pkg/store/internal/queue"
)

// checkIndexAgrees fails unless the index holds, for every live session,
// the entry its file makes, and the queue is gone.
func checkIndexAgrees(t *testing.T, s *Store) {
	t.Helper()
	idx, err := s.loadIndex()
	if err != nil {
		t.Fatal(err)
	}
	files, err := s.scanSessionFiles()
	if err != nil {
		t.Fatal(err)
	}
	if len(idx) != len(files) {
		t.Errorf("index: %d entries, %d session files", len(idx), len(files))
	}
	for id, want := range files {
		if have := idx[id]; have != want {
			t.Errorf("%s: index %+v, file %+v", id, have, want)
		}
	}
	if s.queue().Pending() {
		t.Error("the queue holds items")
	}
}

// TestGroupedWriters: writers of many sessions at once, each a Store of
// its own (its own locks' files, as processes), leave an index with every
// entry as its file makes it, and no queue.
func TestGroupedWriters(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := openTestStore(t, dir)
	const writers, writes = 12, 8
	var ids []string
	for i := range writers {
		ids = append(ids, mustCreate(t, s, "web", fmt.Sprint("w", i)).SessionID)
	}
	var wg sync.WaitGroup
	errs := make(chan error, writers*writes)
	for i, id := range ids {
		wg.Go(func() {
			// The clock's own time: each write moves the entry's heartbeat.
			w := Open(dir, Options{Warnings: &syncBuffer{}})
			for j := range writes {
				if j == writes-1 && i%3 == 0 {
					// A create too (staged whole, the index beside it: it
					// writes the entries queued with its own, and its
					// project's state follows).
					if _, err := w.CreateSession(NewSession{Project: "api", Intent: id}); err != nil {
						errs <- err
					}
					continue
				}
				if _, err := w.AddEvent(id, fmt.Sprint("event ", j)); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	checkIndexAgrees(t, s.Store)
	ps, err := s.View().ProjectState("api")
	if err != nil || ps.TotalSessions != (writers+2)/3 {
		t.Errorf("api's state: %+v, %v; want %d sessions", ps, err, (writers+2)/3)
	}
}

// TestQueueOfAGoneWriter: entries a writer left queued and did not see
// written (it was killed) are written by the next command's mend: the
// queued entry while its session's file is the one it was made from,
// else the file's own; a half-written item is dropped.
func TestQueueOfAGoneWriter(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := openTestStore(t, dir)
	a := mustCreate(t, s, "web", "a")
	b := mustCreate(t, s, "web", "b")
	fa, ok := disk.IDOf(s.sessionPath(a.SessionID))
	if !ok {
		t.Fatal("no file")
	}
	queuedA, queuedB := a.Entry(), b.Entry()
	queuedA.Intent = "as queued" // a queued entry is taken as it is
	queuedB.Intent = "stale"     // made from a file that is not b's now
	data, err := json.Marshal([]queue.Entry{
		{ID: a.SessionID, File: fa, Entry: &queuedA},
		{ID: b.SessionID, File: disk.FileID{Ino: 1}, Entry: &queuedB},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(string(s.queue()), 0o700); err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string][]byte{queue.Prefix + "1": data, "." + queue.Prefix + "2": data[:10]} {
		if err := os.WriteFile(filepath.Join(string(s.queue()), name), content, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	later := openTestStore(t, dir)
	idx, err := later.View().Entries()
	if err != nil {
		t.Fatal(err)
	}
	if idx[a.SessionID].Intent != "as queued" || idx[b.SessionID].Intent != "b" {
		t.Errorf("after the mend: a %+v, b %+v", idx[a.SessionID], idx[b.SessionID])
	}
	if _, err := os.Stat(string(s.queue())); !os.IsNotExist(err) {
		t.Errorf("the queue is still there: %v", err)
	}
}

// TestGroupedIndexFails: when the index cannot be written after a grouped
// change's session file went in, the change succeeds and says so, its
// marker stays, and the next command brings the index in line. (With the
// index lock free a change is staged whole and fails with nothing
// changed; a grouped one is one that found the lock taken.)
func TestGroupedIndexFails(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := openTestStore(t, dir)
	a := mustCreate(t, s, "web", "a")
	block := s.indexPath() + tmpExt // the index's staged file: a folder in its way
	if err := os.MkdirAll(filepath.Join(block, "x"), 0o700); err != nil {
		t.Fatal(err)
	}
	s.clock.add(time.Minute) // a new heartbeat: the entry changes
	err := s.withLocks(func(h *held) error {
		if err := h.take(kindSession, a.SessionID); err != nil {
			return err
		}
		sess, err := s.readSessionFile(s.sessionPath(a.SessionID))
		if err != nil {
			return err
		}
		sess.Events = append(sess.Events, session.Event{Timestamp: s.nowString(), Message: "saved"})
		sess.LastHeartbeat = s.nowString()
		c := changeSet{replace: []*session.Session{sess}}
		files, changes, _, err := c.encode()
		if err != nil {
			return err
		}
		return s.applyGrouped(h, c, files, changes)
	})
	if err != nil {
		t.Fatalf("the change failed: %v", err)
	}
	if !strings.Contains(s.warnings.String(), "the change is saved, but its index") {
		t.Errorf("no warning: %q", s.warnings.String())
	}
	if !exists(s.markerPath(kindSession, a.SessionID)) {
		t.Error("the marker went")
	}
	if err := os.RemoveAll(block); err != nil {
		t.Fatal(err)
	}
	later := openTestStore(t, dir)
	if _, err := later.View().Entries(); err != nil {
		t.Fatal(err)
	}
	checkIndexAgrees(t, later.Store)
	sess, err := later.View().Session(a.SessionID)
	if err != nil || len(sess.Events) == 0 || sess.Events[len(sess.Events)-1].Message != "saved" {
		t.Errorf("the event: %v %+v", err, sess)
	}
	if exists(s.markerPath(kindSession, a.SessionID)) {
		t.Error("the marker stayed after the repair")
	}
}

// TestQueueLeftHalfWritten: a writer killed while it wrote its item
// leaves only the half-written file; the next command's mend removes it,
// and the folder.
func TestQueueLeftHalfWritten(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := openTestStore(t, dir)
	mustCreate(t, s, "web", "a")
	if err := os.MkdirAll(string(s.queue()), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(string(s.queue()), "."+queue.Prefix+"1"), []byte(`[{"id"`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := openTestStore(t, dir).View().Entries(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(string(s.queue())); !os.IsNotExist(err) {
		t.Errorf("the queue is still there: %v", err)
	}
}

// TestQueueItemUnreadable: an item that cannot be read stays for its
// writer (who has its entries) while it is young, with no warning; one
// older than queue.Orphaned is dropped, with a warning. An empty folder a
// writer left goes too.
func TestQueueItemUnreadable(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := openTestStore(t, dir)
	a := mustCreate(t, s, "web", "a")
	item := filepath.Join(string(s.queue()), queue.Prefix+"broken")
	if err := os.MkdirAll(string(s.queue()), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(item, []byte(`[{"id": `), 0o600); err != nil {
		t.Fatal(err)
	}
	w := openTestStore(t, dir)
	w.clock.add(time.Minute)
	if _, err := w.AddEvent(a.SessionID, "beside a broken item"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(item); err != nil || w.warnings.String() != "" {
		t.Fatalf("a young unreadable item: %v, warnings %q", err, w.warnings.String())
	}
	old := time.Now().Add(-queue.Orphaned - time.Minute)
	if err := os.Chtimes(item, old, old); err != nil {
		t.Fatal(err)
	}
	later := openTestStore(t, dir)
	if _, err := later.View().Entries(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(string(s.queue())); !os.IsNotExist(err) || !strings.Contains(later.warnings.String(), "cannot be read") {
		t.Errorf("an old unreadable item: %v, warnings %q", err, later.warnings.String())
	}
	checkIndexAgrees(t, later.Store)

	if err := os.MkdirAll(string(s.queue()), 0o700); err != nil { // empty, left
		t.Fatal(err)
	}
	if _, err := openTestStore(t, dir).View().Entries(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(string(s.queue())); !os.IsNotExist(err) {
		t.Errorf("an empty queue folder stayed: %v", err)
	}
}
