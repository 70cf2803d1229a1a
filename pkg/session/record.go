package session

// SchemaVersion is the session schema this package writes. Files of versions
// 1 to 3 are read and migrated on their next write.
const SchemaVersion = 4

// Status is the state of a session.
type Status string

// Session states.
const (
	StatusActive    Status = "active"
	StatusParked    Status = "parked"
	StatusCompleted Status = "completed"
)

// Valid reports whether s is one of the three session states.
func (s Status) Valid() bool {
	return s == StatusActive || s == StatusParked || s == StatusCompleted
}

// TaskStatus is the state of a task within a session.
type TaskStatus string

// Task states.
const (
	TaskPending    TaskStatus = "pending"
	TaskInProgress TaskStatus = "in_progress"
	TaskCompleted  TaskStatus = "completed"
	TaskSkipped    TaskStatus = "skipped"
)

// Valid reports whether s is one of the four task states.
func (s TaskStatus) Valid() bool {
	switch s {
	case TaskPending, TaskInProgress, TaskCompleted, TaskSkipped:
		return true
	}
	return false
}

// Session is one work session, stored as sessions/<id>.json. Field order is
// the order written; every list is written as [] and never as null.
type Session struct {
	SessionID       string   `json:"session_id"`
	ProjectSlug     string   `json:"project_slug"`
	Status          Status   `json:"status"`
	Intent          string   `json:"intent"`
	RoadmapRef      *string  `json:"roadmap_ref"`
	StartedAt       string   `json:"started_at"`
	LastHeartbeat   string   `json:"last_heartbeat"`
	EndedAt         *string  `json:"ended_at"`
	Outcome         *string  `json:"outcome"`
	ParkedReason    *string  `json:"parked_reason"`
	CurrentActivity *string  `json:"current_activity"`
	AwaitingAction  *string  `json:"awaiting_action"`
	Events          []Event  `json:"events"`
	GitBranch       string   `json:"git_branch"`
	WorktreeRoot    *string  `json:"worktree_root"`
	ClaudeSessionID *string  `json:"claude_session_id"`
	FilesChanged    []string `json:"files_changed"`
	Commits         []Commit `json:"commits"`
	Decisions       []string `json:"decisions"`
	OpenQuestions   []string `json:"open_questions"`
	NextSteps       []string `json:"next_steps"`
	Tasks           []Task   `json:"tasks"`
	// Title is Claude Code's title of the conversation (newer builds send
	// it at SessionStart). Only sess has it: the original ignores it and
	// drops it when it rewrites the session. Written only when set.
	Title *string `json:"title,omitempty"`
	// Continues and ContinuedBy link the sessions of one thread: the
	// conversation this one carries on (after /clear, a resume or a new
	// window on the same work), and the one that carried it on. sess only.
	Continues   *string `json:"continues,omitempty"`
	ContinuedBy *string `json:"continued_by,omitempty"`
	// State is what the conversation is doing, as its hooks last said (see
	// the State constants), since StateSince; StateReason says why, for
	// failed and ended (a wait's reason is AwaitingAction). sess only.
	State       *string `json:"state,omitempty"`
	StateSince  *string `json:"state_since,omitempty"`
	StateReason *string `json:"state_reason,omitempty"`
	// LastQuestion is the question the conversation's last answer ended
	// with, left open for the user (the brief hands it over); nil when the
	// last answer asked nothing. sess only.
	LastQuestion *string `json:"last_question,omitempty"`
	// Window identifies the Claude Code process (window) the conversation
	// runs in, as its hooks last saw it (see internal/window): /clear
	// carries on the conversation of the same window, and a live window's
	// session is never drawn into another's thread. sess only.
	Window *string `json:"window,omitempty"`
	// Machine names the machine a session is of when it is not this one's:
	// read from another machine's part of a shared journal (see
	// internal/replica), set by the reader, never written to a store. A
	// session that has it is read-only here. sess only.
	Machine *string `json:"machine,omitempty"`
	// SchemaVersion is set only in files; records handed out by this package
	// have it zero, so that printing one leaves it out.
	SchemaVersion int `json:"schema_version,omitempty"`
}

// Event is one entry of a session's log.
type Event struct {
	Timestamp string `json:"timestamp"`
	Message   string `json:"message"`
}

// Commit is a git commit made during a session.
type Commit struct {
	SHA     string `json:"sha"`
	Message string `json:"message"`
	// Timestamp is when sess saw the commit made (a hook); nil for commits
	// recorded by a command, as the original records them. The original
	// keeps a commit's keys as they are.
	Timestamp *string `json:"timestamp,omitempty"`
}

// Task is a unit of work within a session.
type Task struct {
	ID        string     `json:"id"`
	Subject   string     `json:"subject"`
	Status    TaskStatus `json:"status"`
	AddedAt   string     `json:"added_at"`
	UpdatedAt string     `json:"updated_at"`
}

// IndexEntry is a session's line in sessions/_index.json: what queries need
// to choose sessions without opening their files.
type IndexEntry struct {
	ProjectSlug   string  `json:"project_slug"`
	Status        Status  `json:"status"`
	Intent        string  `json:"intent"`
	StartedAt     string  `json:"started_at"`
	EndedAt       *string `json:"ended_at"`
	LastHeartbeat string  `json:"last_heartbeat"`
}

// Entry is the session's index entry.
func (s *Session) Entry() IndexEntry {
	return IndexEntry{
		ProjectSlug:   s.ProjectSlug,
		Status:        s.Status,
		Intent:        s.Intent,
		StartedAt:     s.StartedAt,
		EndedAt:       s.EndedAt,
		LastHeartbeat: s.LastHeartbeat,
	}
}

// ProjectState is the derived state of a project, projects/<slug>.json.
type ProjectState struct {
	ProjectSlug    string         `json:"project_slug"`
	CurrentPhase   string         `json:"current_phase"`
	RoadmapSummary RoadmapSummary `json:"roadmap_summary"`
	ActiveSessions int            `json:"active_sessions"`
	ParkedSessions int            `json:"parked_sessions"`
	TotalSessions  int            `json:"total_sessions"`
	LastActivity   string         `json:"last_activity"`
	RecentCommits  []Commit       `json:"recent_commits"`
	OpenQuestions  []string       `json:"open_questions"`
	UpdatedAt      string         `json:"updated_at"`
}

// RoadmapSummary is a project's roadmap as the skills report it.
type RoadmapSummary struct {
	Completed  []string `json:"completed"`
	InProgress []string `json:"in_progress"`
	NextUp     []string `json:"next_up"`
}

// Project is a registered project, an entry of config.json.
type Project struct {
	Name         string `json:"name"`
	Path         string `json:"path"`
	RegisteredAt string `json:"registered_at"`
}

// Settings are the tunables of config.json, with their defaults filled in.
type Settings struct {
	DashboardPort        int  `json:"dashboard_port"`
	StaleThresholdHours  int  `json:"stale_threshold_hours"`
	ArchiveAfterDays     int  `json:"archive_after_days"`
	NotificationsEnabled bool `json:"notifications_enabled"`
	ParkedNotifyHours    int  `json:"parked_notify_hours"`
	NotifyCooldownHours  int  `json:"notify_cooldown_hours"`
	// sess's own settings, unknown to the original (which keeps them in
	// the file); zero means the default (see the methods below).
	BriefMaxChars        int `json:"brief_max_chars,omitempty"`
	WaitingNotifyMinutes int `json:"waiting_notify_minutes,omitempty"`
	// NotifyNtfyURL and NotifyWebhookURL (notify_ntfy_url,
	// notify_webhook_url) are where check-notify pushes a wait besides the
	// desktop: an ntfy topic and a URL that takes a JSON POST. Kept as
	// written: internal/notify, their one user, checks them and reports a
	// bad one. Never marshalled (json "-"): an ntfy topic can be read by
	// anyone who knows it, and a webhook URL carries its token, so no
	// overview or listing may echo them; config.json keeps them as the user
	// wrote them.
	NotifyNtfyURL    string `json:"-"`
	NotifyWebhookURL string `json:"-"`
}

// DefaultBriefMaxChars bounds the resume brief unless brief_max_chars says
// otherwise; MaxBriefChars is Claude Code's cap on injected context.
const (
	DefaultBriefMaxChars        = 2000
	MaxBriefChars               = 10000
	DefaultWaitingNotifyMinutes = 10
)

// BriefMax is the resume brief's length bound, in characters.
func (s Settings) BriefMax() int {
	if s.BriefMaxChars <= 0 {
		return DefaultBriefMaxChars
	}
	return min(s.BriefMaxChars, MaxBriefChars)
}

// WaitingNotifyAfter is how long a session waits for the user before
// check-notify says so.
func (s Settings) WaitingNotifyAfter() int {
	if s.WaitingNotifyMinutes <= 0 {
		return DefaultWaitingNotifyMinutes
	}
	return s.WaitingNotifyMinutes
}

// DefaultSettings are the settings of a store without config.json.
func DefaultSettings() Settings {
	return Settings{
		DashboardPort:        9000,
		StaleThresholdHours:  24,
		ArchiveAfterDays:     30,
		NotificationsEnabled: false,
		ParkedNotifyHours:    48,
		NotifyCooldownHours:  12,
	}
}

// Normalize fills what older schemas and the original's quirks leave out, so
// that a record is always written whole: lists as [], the default branch.
func (s *Session) Normalize() {
	if s.Events == nil {
		s.Events = []Event{}
	}
	if s.GitBranch == "" {
		s.GitBranch = "main"
	}
	if s.FilesChanged == nil {
		s.FilesChanged = []string{}
	}
	if s.Commits == nil {
		s.Commits = []Commit{}
	}
	if s.Decisions == nil {
		s.Decisions = []string{}
	}
	if s.OpenQuestions == nil {
		s.OpenQuestions = []string{}
	}
	if s.NextSteps == nil {
		s.NextSteps = []string{}
	}
	if s.Tasks == nil {
		s.Tasks = []Task{}
	}
	s.SchemaVersion = 0
}

func (ps *ProjectState) Normalize() {
	if ps.RoadmapSummary.Completed == nil {
		ps.RoadmapSummary.Completed = []string{}
	}
	if ps.RoadmapSummary.InProgress == nil {
		ps.RoadmapSummary.InProgress = []string{}
	}
	if ps.RoadmapSummary.NextUp == nil {
		ps.RoadmapSummary.NextUp = []string{}
	}
	if ps.RecentCommits == nil {
		ps.RecentCommits = []Commit{}
	}
	if ps.OpenQuestions == nil {
		ps.OpenQuestions = []string{}
	}
}

// TaskSummary counts a session's tasks by status.
type TaskSummary struct {
	Total      int `json:"total"`
	Completed  int `json:"completed"`
	InProgress int `json:"in_progress"`
	Pending    int `json:"pending"`
	Skipped    int `json:"skipped"`
}

// SummarizeTasks counts tasks by status.
func SummarizeTasks(tasks []Task) TaskSummary {
	sum := TaskSummary{Total: len(tasks)}
	for _, t := range tasks {
		switch t.Status {
		case TaskCompleted:
			sum.Completed++
		case TaskInProgress:
			sum.InProgress++
		case TaskPending:
			sum.Pending++
		case TaskSkipped:
			sum.Skipped++
		}
	}
	return sum
}

// Deref returns *p, or "" for nil.
func Deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
