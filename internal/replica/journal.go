package replica

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

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
func (j *Journal) List(f store.Filter) ([]*session.Session, error) {
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
