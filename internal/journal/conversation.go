package journal

import (
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// A conversation's session: found by the conversation's pointer (a derived
// file, see derived.Files.Pointed) first, else by a search of the active
// sessions, its project's before the others.

// Pointed is the session the conversation's pointer names, if it is still
// the conversation's and active; nil otherwise. It reads two small files:
// a hook looks here first, and works out its project only when this fails.
func Pointed(st *store.Store, claudeSessionID string) *session.Session {
	sess := lastOf(st, claudeSessionID)
	if sess == nil || !isOf(sess, claudeSessionID) {
		return nil
	}
	return sess
}

// lastOf is the session the conversation's pointer names, whatever its
// status (archived ones left out); nil when there is none.
func lastOf(st *store.Store, cid string) *session.Session {
	id := st.Derived().Pointed(cid)
	if id == "" {
		return nil
	}
	got := st.View().Sessions([]string{id})
	if len(got) != 1 || session.Deref(got[0].ClaudeSessionID) != cid {
		return nil
	}
	return got[0]
}

// ActiveByClaudeID returns the newest active session that carries the given
// Claude Code session id, or nil. It follows the conversation's pointer
// first (see derived.Files.PointTo), then reads the active sessions of
// project (a hook knows its project), and the others only if none matches.
func ActiveByClaudeID(st *store.Store, claudeSessionID, project string) (*session.Session, error) {
	if sess := Pointed(st, claudeSessionID); sess != nil {
		return sess, nil
	}
	return activeByClaudeID(st, claudeSessionID, project, true)
}

// activeInProject is ActiveByClaudeID without the pointer and within the
// project only.
func activeInProject(st *store.Store, claudeSessionID, project string) (*session.Session, error) {
	return activeByClaudeID(st, claudeSessionID, project, false)
}

func activeByClaudeID(st *store.Store, claudeSessionID, project string, everywhere bool) (*session.Session, error) {
	v := st.View()
	// Only the active entries are decoded: a hook runs this on every event.
	idx, err := v.EntriesWhere("status", string(session.StatusActive))
	if err != nil {
		return nil, err
	}
	var mine, others []string
	for _, id := range store.Select(idx, store.Filter{Status: session.StatusActive}) {
		if idx[id].ProjectSlug == project {
			mine = append(mine, id)
		} else if everywhere {
			others = append(others, id)
		}
	}
	for _, group := range [][]string{mine, others} {
		for _, sess := range v.Sessions(group) {
			if isOf(sess, claudeSessionID) {
				return sess, nil
			}
		}
	}
	return nil, nil
}

func isOf(sess *session.Session, claudeSessionID string) bool {
	return sess.Status == session.StatusActive && sess.ClaudeSessionID != nil && *sess.ClaudeSessionID == claudeSessionID
}
