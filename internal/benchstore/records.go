package benchstore

import (
	"bytes"
	"encoding/json"
)

// The records as the original writes them. Field order is the order of the
// dataclasses in the original's lib/models.py; every list is non-nil so it is
// written as [] and never as null. These types are this package's own, not
// pkg/store's, so a benchmark store does not depend on the code it measures.

type sessionRecord struct {
	SessionID       string   `json:"session_id"`
	ProjectSlug     string   `json:"project_slug"`
	Status          string   `json:"status"`
	Intent          string   `json:"intent"`
	RoadmapRef      *string  `json:"roadmap_ref"`
	StartedAt       string   `json:"started_at"`
	LastHeartbeat   string   `json:"last_heartbeat"`
	EndedAt         *string  `json:"ended_at"`
	Outcome         *string  `json:"outcome"`
	ParkedReason    *string  `json:"parked_reason"`
	CurrentActivity *string  `json:"current_activity"`
	AwaitingAction  *string  `json:"awaiting_action"`
	Events          []event  `json:"events"`
	GitBranch       string   `json:"git_branch"`
	WorktreeRoot    *string  `json:"worktree_root"`
	ClaudeSessionID *string  `json:"claude_session_id"`
	FilesChanged    []string `json:"files_changed"`
	Commits         []commit `json:"commits"`
	Decisions       []string `json:"decisions"`
	OpenQuestions   []string `json:"open_questions"`
	NextSteps       []string `json:"next_steps"`
	Tasks           []task   `json:"tasks"`
	SchemaVersion   int      `json:"schema_version"`
}

type event struct {
	Timestamp string `json:"timestamp"`
	Message   string `json:"message"`
}

type commit struct {
	SHA     string `json:"sha"`
	Message string `json:"message"`
}

type task struct {
	ID        string `json:"id"`
	Subject   string `json:"subject"`
	Status    string `json:"status"`
	AddedAt   string `json:"added_at"`
	UpdatedAt string `json:"updated_at"`
}

type indexEntry struct {
	ProjectSlug   string  `json:"project_slug"`
	Status        string  `json:"status"`
	Intent        string  `json:"intent"`
	StartedAt     string  `json:"started_at"`
	EndedAt       *string `json:"ended_at"`
	LastHeartbeat string  `json:"last_heartbeat"`
}

type projectState struct {
	ProjectSlug    string         `json:"project_slug"`
	CurrentPhase   string         `json:"current_phase"`
	RoadmapSummary roadmapSummary `json:"roadmap_summary"`
	ActiveSessions int            `json:"active_sessions"`
	ParkedSessions int            `json:"parked_sessions"`
	TotalSessions  int            `json:"total_sessions"`
	LastActivity   string         `json:"last_activity"`
	RecentCommits  []commit       `json:"recent_commits"`
	OpenQuestions  []string       `json:"open_questions"`
	UpdatedAt      string         `json:"updated_at"`
}

type roadmapSummary struct {
	Completed  []string `json:"completed"`
	InProgress []string `json:"in_progress"`
	NextUp     []string `json:"next_up"`
}

type config struct {
	Version  int                   `json:"version"`
	Projects ordered[registration] `json:"projects"`
	Settings settings              `json:"settings"`
}

type registration struct {
	Name         string `json:"name"`
	Path         string `json:"path"`
	RegisteredAt string `json:"registered_at"`
}

type settings struct {
	DashboardPort        int  `json:"dashboard_port"`
	StaleThresholdHours  int  `json:"stale_threshold_hours"`
	ArchiveAfterDays     int  `json:"archive_after_days"`
	NotificationsEnabled bool `json:"notifications_enabled"`
	ParkedNotifyHours    int  `json:"parked_notify_hours"`
	NotifyCooldownHours  int  `json:"notify_cooldown_hours"`
}

// defaultSettings returns the original's DashboardSettings defaults.
func defaultSettings() settings {
	return settings{
		DashboardPort:       9000,
		StaleThresholdHours: 24,
		ArchiveAfterDays:    30,
		ParkedNotifyHours:   48,
		NotifyCooldownHours: 12,
	}
}

// ordered is a JSON object whose members keep the order they were added in,
// as a Python dict does (encoding/json would sort a map's keys).
type ordered[T any] struct {
	keys []string
	vals []T
}

func (o *ordered[T]) add(key string, v T) {
	o.keys = append(o.keys, key)
	o.vals = append(o.vals, v)
}

// MarshalJSON writes the object compactly; the encoder that calls it indents.
func (o ordered[T]) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := enc.Encode(k); err != nil {
			return nil, err
		}
		b.WriteByte(':')
		if err := enc.Encode(o.vals[i]); err != nil {
			return nil, err
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
