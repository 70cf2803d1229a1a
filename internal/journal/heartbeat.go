package journal

import (
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// The heartbeat of a project whose conversation has no session of its own
// (the original's heartbeat.sh, by project): sess-heartbeat and the Stop
// hook's fallback.

// HeartbeatProject refreshes the most recently started active session of a
// project, and only that one, so that older ones can go stale. It returns
// the ids it refreshed.
func HeartbeatProject(st *store.Store, slug string) ([]string, error) {
	return heartbeatProject(st, slug, false)
}

// HeartbeatUnclaimed is HeartbeatProject for a Claude Code conversation
// that has no session of its own: it refreshes the project's most recently
// started active session that belongs to no conversation, never another
// window's.
func HeartbeatUnclaimed(st *store.Store, slug string) ([]string, error) {
	return heartbeatProject(st, slug, true)
}

func heartbeatProject(st *store.Store, slug string, unclaimed bool) ([]string, error) {
	if err := session.ValidateSlug(slug); err != nil {
		return nil, err
	}
	idx, err := st.View().EntriesWhere("project_slug", slug)
	if err != nil {
		return nil, err
	}
	for _, id := range store.Select(idx, store.Filter{Project: slug, Status: session.StatusActive}) {
		done := false
		_, err := update(st, id, false, func(sess *session.Session, now string) error {
			if sess.Status != session.StatusActive || unclaimed && sess.ClaudeSessionID != nil {
				return errUnchanged
			}
			sess.LastHeartbeat = now
			done = true
			return nil
		})
		if err != nil {
			if session.ErrorCode(err) == session.CodeNotFound || session.ErrorCode(err) == session.CodeConflict {
				continue // gone or archived since the index was read
			}
			return nil, err
		}
		if done {
			return []string{id}, nil
		}
	}
	return []string{}, nil
}

// ClaudeSessionKnown reports whether a session of project, of any status,
// belongs to the Claude Code conversation claudeSessionID.
func ClaudeSessionKnown(st *store.Store, claudeSessionID, project string) (bool, error) {
	v := st.View()
	idx, err := v.EntriesWhere("project_slug", project)
	if err != nil {
		return false, err
	}
	for _, sess := range v.Sessions(store.Select(idx, store.Filter{Project: project})) {
		if sess.ClaudeSessionID != nil && *sess.ClaudeSessionID == claudeSessionID {
			return true, nil
		}
	}
	return false, nil
}
