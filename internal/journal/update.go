package journal

import (
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// errUnchanged, returned by a change, writes nothing (store.ErrUnchanged).
var errUnchanged = store.ErrUnchanged

// change is a read-modify-write of one session, run under its lock. It
// returns errUnchanged to write nothing, or an error to abort.
type change func(sess *session.Session, now string) error

// update runs fn on session id under its lock, in one change of the store
// (see store.UpdateOne).
func update(st *store.Store, id string, refresh bool, fn change) (*session.Session, error) {
	return store.UpdateOne(st, id, refresh, fn)
}
