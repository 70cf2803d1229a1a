package store

import "github.com/sess-dev/sess/pkg/session"

// noteChanged notes the sessions of a change set in the search's change
// feed (see derived.Files.NoteChanged), once their files are in place:
// the search re-indexes just those.
func (s *Store) noteChanged(c changeSet) {
	var ids []string
	for _, list := range [][]*session.Session{c.create, c.replace, c.archive} {
		for _, sess := range list {
			ids = append(ids, sess.SessionID)
		}
	}
	s.derived.NoteChanged(ids...)
}
