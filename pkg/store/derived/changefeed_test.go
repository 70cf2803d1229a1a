package derived

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"
)

// newFiles is the derived part of a store folder with its session folders
// made, as the store gives them.
func newFiles(t *testing.T) (*Files, string) {
	t.Helper()
	dir := t.TempDir()
	sessions := filepath.Join(dir, "sessions")
	archive := filepath.Join(sessions, "archive")
	if err := os.MkdirAll(archive, 0o700); err != nil {
		t.Fatal(err)
	}
	return New(dir, nil, nil, sessions, archive), sessions
}

// write renames a session file into the live folder, as the store does:
// the folder's stamp moves.
func write(t *testing.T, sessions, id string) {
	t.Helper()
	tmp := filepath.Join(sessions, "."+id+".tmp")
	if err := os.WriteFile(tmp, []byte(id), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(sessions, id+".json")); err != nil {
		t.Fatal(err)
	}
}

const (
	id1 = "sess_20260101T0000_aaaa"
	id2 = "sess_20260101T0000_bbbb"
)

// TestChangeFeed: what sess's writes note is read once, from the cursor
// on, and accounts for every change until another tool writes.
func TestChangeFeed(t *testing.T) {
	f, sessions := newFiles(t)
	f.NoteChanged(id1) // no feed yet: nothing is made
	if _, err := os.Stat(f.path(changeFeed)); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a write made the feed: %v", err)
	}
	start, err := f.StartChanges()
	if err != nil {
		t.Fatal(err)
	}
	if ids, next, complete := f.Changes(start); len(ids) != 0 || next != start || !complete {
		t.Fatalf("an unchanged store: %v %v %v", ids, next, complete)
	}
	write(t, sessions, id1)
	f.NoteChanged(id1)
	write(t, sessions, id2)
	f.NoteChanged(id2, id1)
	ids, next, complete := f.Changes(start)
	if !slices.Equal(ids, []string{id1, id2}) || !complete || next == start {
		t.Fatalf("after two writes: %v %v %v", ids, next, complete)
	}
	if got := ParseCursor(next.String()); got != next {
		t.Fatalf("a cursor kept: %v, read back %v", next, got)
	}
	if ids, again, complete := f.Changes(next); len(ids) != 0 || again != next || !complete {
		t.Fatalf("read again: %v %v %v", ids, again, complete)
	}
	// A write still appending: its line is read once it is whole.
	fd, err := os.OpenFile(f.path(changeFeed), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	fd.WriteString(id1 + " ")
	fd.Close()
	if ids, half, _ := f.Changes(next); len(ids) != 0 || half != next {
		t.Fatalf("half a line read: %v %v", ids, half)
	}
	// Another tool's write: the stamp moves past the last noted.
	write(t, sessions, "sess_20260101T0000_cccc")
	if _, _, complete := f.Changes(next); complete {
		t.Error("a write the feed lacks is complete")
	}
	// A feed started again is another feed: an old cursor is not on it.
	if _, err := f.StartChanges(); err != nil {
		t.Fatal(err)
	}
	if _, _, complete := f.Changes(next); complete {
		t.Error("an old cursor on a new feed is complete")
	}
	if _, _, complete := f.Changes(Cursor{}); complete {
		t.Error("the zero cursor is complete")
	}
}

// TestStartChangesNoStore: a reader never makes a store.
func TestStartChangesNoStore(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nothing", "dashboard")
	f := New(dir, nil, nil)
	if _, err := f.StartChanges(); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("no store: %v", err)
	}
	if _, err := os.Stat(filepath.Dir(dir)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("made %s: %v", dir, err)
	}
}

// TestChangeFeedFIFO: a FIFO where the feed goes holds up no write and no
// read, and is never complete.
func TestChangeFeedFIFO(t *testing.T) {
	f, _ := newFiles(t)
	os.MkdirAll(f.Search(), 0o700)
	if err := syscall.Mkfifo(f.path(changeFeed), 0o600); err != nil {
		t.Skip(err)
	}
	done := make(chan bool, 1)
	go func() {
		f.NoteChanged(id1)
		_, _, complete := f.Changes(Cursor{})
		done <- complete
	}()
	select {
	case complete := <-done:
		if complete {
			t.Error("a FIFO is complete")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the change feed hangs on a FIFO")
	}
}
