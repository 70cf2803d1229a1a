package journal

import (
	"errors"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// errUnchanged tells update that a change function left the session as it
// was, so nothing is written.
var errUnchanged = errors.New("unchanged")

// change is a read-modify-write of one session, run under its lock. It
// returns errUnchanged to write nothing, or an error to abort.
type change func(sess *session.Session, now string) error

// update runs fn on session id under its lock (one store.Update) and puts
// the result in place with its index entry and, when refresh is set or the
// status changed, its project's state: all of it or none.
func update(st *store.Store, id string, refresh bool, fn change) (*session.Session, error) {
	var out *session.Session
	err := st.Update([]string{id}, func(tx *store.Tx) error {
		sess, err := tx.Session(id)
		if err != nil {
			return err
		}
		before := sess.Status
		err = fn(sess, tx.Now())
		out = sess
		if errors.Is(err, errUnchanged) {
			return nil
		}
		if err != nil {
			return err
		}
		// A change of status changes the project's state.
		if refresh || sess.Status != before {
			tx.Refresh(sess.ProjectSlug)
		}
		return tx.Put(sess)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
