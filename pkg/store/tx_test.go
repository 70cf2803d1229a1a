package store_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// The engine seen from outside: a change through Update goes in whole or
// not at all, holds its sessions' locks, and View reads what it wrote.

func newStore(t *testing.T) *store.Store {
	t.Helper()
	return store.Open(filepath.Join(t.TempDir(), "dashboard"), store.Options{})
}

func TestUpdateCreatesAndPuts(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	var first, second *session.Session
	err := st.Update(nil, func(tx *store.Tx) error {
		var err error
		if first, err = tx.Create(store.NewSession{Project: "api", Intent: "one"}); err != nil {
			return err
		}
		second, err = tx.Create(store.NewSession{Project: "api", Intent: "two"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update([]string{first.SessionID, second.SessionID}, func(tx *store.Tx) error {
		a, err := tx.Session(first.SessionID)
		if err != nil {
			return err
		}
		a.Status, a.Outcome, a.EndedAt = session.StatusCompleted, ptr("done"), ptr(tx.Now())
		b, _ := tx.Session(second.SessionID)
		b.Intent = "not written: never put"
		tx.Refresh(a.ProjectSlug)
		return tx.Put(a)
	})
	if err != nil {
		t.Fatal(err)
	}
	v := st.View()
	{
		a, err := v.Session(first.SessionID)
		if err != nil || a.Status != session.StatusCompleted || session.Deref(a.Outcome) != "done" {
			t.Errorf("first: %+v %v", a, err)
		}
		b, err := v.Session(second.SessionID)
		if err != nil || b.Intent != "two" {
			t.Errorf("second: %+v %v", b, err)
		}
		entries, err := v.Entries()
		if err != nil || len(entries) != 2 || entries[first.SessionID].Status != session.StatusCompleted {
			t.Errorf("index: %v %v", entries, err)
		}
	}
	ps, err := v.ProjectState("api")
	if err != nil || ps.ActiveSessions != 1 || ps.TotalSessions != 2 {
		t.Errorf("project state: %+v %v", ps, err)
	}
}

// TestUpdateAllOrNothing: a change whose function fails leaves every file
// of the store as it was, the sessions it created included.
func TestUpdateAllOrNothing(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	var id string
	st.Update(nil, func(tx *store.Tx) error {
		s, err := tx.Create(store.NewSession{Project: "api", Intent: "kept"})
		id = s.SessionID
		return err
	})
	before := snapshot(t, st.Dir())
	boom := errors.New("boom")
	err := st.Update([]string{id}, func(tx *store.Tx) error {
		s, _ := tx.Session(id)
		s.Intent = "changed"
		tx.Put(s)
		if _, err := tx.Create(store.NewSession{Project: "api", Intent: "new"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("want the function's error, have %v", err)
	}
	if after := snapshot(t, st.Dir()); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("a failed change wrote:\nbefore %v\nafter  %v", before, after)
	}
}

// TestUpdateLocks: what a change may touch is what it locked; a session
// that is not there fails before the function runs.
func TestUpdateLocks(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	var a, b *session.Session
	st.Update(nil, func(tx *store.Tx) error {
		a, _ = tx.Create(store.NewSession{Project: "api", Intent: "a"})
		b, _ = tx.Create(store.NewSession{Project: "api", Intent: "b"})
		return nil
	})
	err := st.Update([]string{a.SessionID}, func(tx *store.Tx) error {
		if _, err := tx.Session(b.SessionID); !errors.Is(err, store.ErrNotLocked) {
			t.Errorf("an unlocked session read: %v", err)
		}
		if err := tx.Put(b); !errors.Is(err, store.ErrNotLocked) {
			t.Errorf("an unlocked session put: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ran := false
	err = st.Update([]string{"sess_20990101T0000_dead"}, func(*store.Tx) error { ran = true; return nil })
	var e *session.Error
	if !errors.As(err, &e) || e.Code != session.CodeNotFound || ran {
		t.Errorf("a missing session: %v, ran %v", err, ran)
	}
}

// TestUpdateConcurrent: changes of one session from many writers at once
// (each its own Store, as processes are) lose none of each other's.
func TestUpdateConcurrent(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	var id string
	st.Update(nil, func(tx *store.Tx) error {
		s, err := tx.Create(store.NewSession{Project: "api", Intent: "counted"})
		id = s.SessionID
		return err
	})
	const writers, each = 8, 10
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			mine := store.Open(st.Dir(), store.Options{})
			for i := range each {
				err := mine.Update([]string{id}, func(tx *store.Tx) error {
					s, _ := tx.Session(id)
					s.Events = append(s.Events, session.Event{Timestamp: tx.Now(), Message: fmt.Sprintf("w%d-%d", w, i)})
					return tx.Put(s)
				})
				if err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	{
		s, err := st.View().Session(id)
		if err != nil || len(s.Events) != writers*each {
			t.Errorf("%d events, want %d (%v)", len(s.Events), writers*each, err)
		}
	}
}

func ptr(s string) *string { return &s }

// snapshot is every file of dir with its content, but the locks: empty
// sidecars, one of which a session that was never made may leave
// (cleanup-locks removes it).
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && filepath.Ext(p) != ".lock" {
			data, _ := os.ReadFile(p)
			out[p] = string(data)
		}
		return nil
	})
	return out
}

// TestUpdateArchives: a change moves a completed session to the archive
// (out of the index, still read by View) and refuses an active one.
func TestUpdateArchives(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	var done, open *session.Session
	st.Update(nil, func(tx *store.Tx) error {
		done, _ = tx.Create(store.NewSession{Project: "api", Intent: "done"})
		open, _ = tx.Create(store.NewSession{Project: "api", Intent: "open"})
		return nil
	})
	if _, err := st.CompleteSession(done.SessionID, store.Completion{Outcome: "ok"}); err != nil {
		t.Fatal(err)
	}
	err := st.Update([]string{done.SessionID, open.SessionID}, func(tx *store.Tx) error {
		o, _ := tx.Session(open.SessionID)
		if err := tx.Archive(o); session.ErrorCode(err) != session.CodeConflict {
			t.Errorf("an active session archived: %v", err)
		}
		d, _ := tx.Session(done.SessionID)
		if err := tx.Archive(d); err != nil {
			return err
		}
		if err := tx.Put(d); err == nil {
			t.Errorf("a session put after it was archived")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	{
		v := st.View()
		entries, _ := v.Entries()
		if _, ok := entries[done.SessionID]; ok || len(entries) != 1 {
			t.Errorf("index after the archive: %v", entries)
		}
		if s, err := v.Session(done.SessionID); err != nil || s.Outcome == nil {
			t.Errorf("the archived session: %v %v", s, err)
		}
	}
	err = st.Update([]string{done.SessionID}, func(*store.Tx) error { return nil })
	if session.ErrorCode(err) != session.CodeConflict {
		t.Errorf("a change of an archived session: %v", err)
	}
}

// TestTxBounds: a session the change created is its own to change and Put;
// a Tx kept after its Update refuses to work.
func TestTxBounds(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	var kept *store.Tx
	var id string
	err := st.Update(nil, func(tx *store.Tx) error {
		kept = tx
		s, err := tx.Create(store.NewSession{Project: "api", Intent: "first"})
		if err != nil {
			return err
		}
		id = s.SessionID
		if got, err := tx.Session(id); err != nil || got != s {
			t.Errorf("the created session: %v", err)
		}
		s.Intent = "changed before the end"
		return tx.Put(s)
	})
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := st.View().Session(id); s.Intent != "changed before the end" {
		t.Errorf("intent %q", s.Intent)
	}
	if _, err := kept.Create(store.NewSession{Project: "api", Intent: "late"}); err == nil {
		t.Errorf("a Tx worked after its Update")
	}
	if _, err := kept.Session(id); err == nil {
		t.Errorf("a Tx read after its Update")
	}
}
