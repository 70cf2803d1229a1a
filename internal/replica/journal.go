package replica

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// Journal is every machine's journal as this machine reads it: its own
// store, which it changes, and the other machines' parts, which it only
// reads. Readers that show the work (listings, the overview, search,
// threads, briefs, usage, exports, the page) read a Journal; commands that
// change a session change the local store alone.
type Journal struct {
	Local  *store.Store
	Others []*Machine
}

// Session is a session by id: this machine's, else another's, marked with
// its machine's name (Session.Machine); the local store's not-found error
// when no machine has it.
func (j *Journal) Session(id string) (*session.Session, *Machine, error) {
	s, err := j.Local.View().Session(id)
	if err == nil || !isNotFound(err) {
		return s, nil, err
	}
	for _, m := range j.Others {
		if o, oerr := m.Store.View().Session(id); oerr == nil {
			return mark(o, m), m, nil
		}
	}
	return nil, nil, err
}

// Sessions is the journal as a reader of sessions asks for it (the
// exporter's Sessions): every machine's, without naming the machine.
type Sessions struct{ J *Journal }

func (s Sessions) Session(id string) (*session.Session, error) {
	sess, _, err := s.J.Session(id)
	return sess, err
}
func (s Sessions) List(f store.Filter) ([]*session.Session, error) { return s.J.List(f) }
func (s Sessions) Now() time.Time                                  { return s.J.Local.View().Now() }

// Owner is the machine whose session id is, nil when it is this one's or
// nobody's: a command that would change it says whose it is.
func (j *Journal) Owner(id string) *Machine {
	if _, ok := j.Local.View().Locate(id); ok {
		return nil
	}
	for _, m := range j.Others {
		if _, ok := m.Store.View().Locate(id); ok {
			return m
		}
	}
	return nil
}

// NotYours is the error of a change asked of another machine's session.
func NotYours(id string, m *Machine) error {
	return &session.Error{Code: session.CodeValidation,
		Message: fmt.Sprintf("session %s is machine %q's (%s): it is read-only here; change it there", id, m.Name, m.ID)}
}

// List is the sessions of every machine that pass f, newest started
// first, cut to f.Limit; others' are marked with their machine's name.
// Without archived sessions the machines' indexes choose which to read,
// so that five machines read no more session files than one.
func (j *Journal) List(f store.Filter) ([]*session.Session, error) {
	if len(j.Others) == 0 || f.IncludeArchived {
		return j.listEach(f)
	}
	if _, err := j.Local.View().List(store.Filter{Project: f.Project, Status: f.Status, Since: f.Since, Limit: 1}); err != nil {
		return nil, err // the filter's own checks, as a listing of this store makes them
	}
	type pick struct {
		key, id string
		m       int // index in stores
	}
	stores := append([]*store.Store{j.Local}, storesOf(j.Others)...)
	var picks []pick
	for i, st := range stores {
		idx, err := entriesFor(st.View(), f)
		if err != nil {
			continue // a part whose index cannot be read was warned of by its store
		}
		for _, id := range store.Select(idx, f) {
			picks = append(picks, pick{session.SortKey(idx[id].StartedAt), id, i})
		}
	}
	slices.SortStableFunc(picks, func(a, b pick) int {
		if c := strings.Compare(b.key, a.key); c != 0 {
			return c
		}
		return strings.Compare(b.id, a.id)
	})
	if f.Limit > 0 && len(picks) > f.Limit {
		picks = picks[:f.Limit]
	}
	byStore := make([][]string, len(stores))
	for _, p := range picks {
		byStore[p.m] = append(byStore[p.m], p.id)
	}
	read := map[[2]string]*session.Session{}
	for i, ids := range byStore {
		for _, s := range stores[i].View().Sessions(ids) {
			if i > 0 {
				mark(s, j.Others[i-1])
			}
			read[[2]string{fmt.Sprint(i), s.SessionID}] = s
		}
	}
	out := make([]*session.Session, 0, len(picks))
	for _, p := range picks {
		if s := read[[2]string{fmt.Sprint(p.m), p.id}]; s != nil && f.Matches(s.Entry()) {
			out = append(out, s)
		}
	}
	if len(out) < len(picks) {
		// A file no longer agrees with its index: each store's listing
		// knows what to do (mend its index, go on with the next).
		return j.listEach(f)
	}
	return out, nil
}

// entriesFor are the index entries a listing by f needs: only a project's
// or a status's when it asks for one.
func entriesFor(v *store.View, f store.Filter) (map[string]session.IndexEntry, error) {
	switch {
	case f.Project != "":
		return v.EntriesWhere("project_slug", f.Project)
	case f.Status != "":
		return v.EntriesWhere("status", string(f.Status))
	}
	return v.Entries()
}

func storesOf(ms []*Machine) []*store.Store {
	out := make([]*store.Store, len(ms))
	for i, m := range ms {
		out[i] = m.Store
	}
	return out
}

// listEach lists each machine's store and merges the listings.
func (j *Journal) listEach(f store.Filter) ([]*session.Session, error) {
	out, err := j.Local.View().List(f)
	if err != nil || len(j.Others) == 0 {
		return out, err
	}
	for _, m := range j.Others {
		theirs, err := m.Store.View().List(f)
		if err != nil {
			continue // a part that cannot be listed was warned of by its store
		}
		for _, s := range theirs {
			out = append(out, mark(s, m))
		}
	}
	slices.SortStableFunc(out, func(a, b *session.Session) int {
		if c := strings.Compare(session.SortKey(b.StartedAt), session.SortKey(a.StartedAt)); c != 0 {
			return c
		}
		return strings.Compare(b.SessionID, a.SessionID)
	})
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, nil
}

// mark names the machine a session read from another's part is of.
func mark(s *session.Session, m *Machine) *session.Session {
	name := m.Name
	s.Machine = &name
	return s
}

func isNotFound(err error) bool {
	var se *session.Error
	return errors.Is(err, fs.ErrNotExist) || errors.As(err, &se) && se.Code == session.CodeNotFound
}
