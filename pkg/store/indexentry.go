package store

import "github.com/sess-dev/sess/pkg/session"

// IndexEntry is a session's line in sessions/_index.json: what queries need
// to choose sessions without opening their files.
type IndexEntry struct {
	ProjectSlug   string         `json:"project_slug"`
	Status        session.Status `json:"status"`
	Intent        string         `json:"intent"`
	StartedAt     string         `json:"started_at"`
	EndedAt       *string        `json:"ended_at"`
	LastHeartbeat string         `json:"last_heartbeat"`
}

// indexEntry is the index entry of a session.
func indexEntryOf(s *session.Session) IndexEntry {
	return IndexEntry{
		ProjectSlug:   s.ProjectSlug,
		Status:        s.Status,
		Intent:        s.Intent,
		StartedAt:     s.StartedAt,
		EndedAt:       s.EndedAt,
		LastHeartbeat: s.LastHeartbeat,
	}
}
