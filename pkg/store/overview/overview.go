package overview

import (
	"errors"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// Overview is the dashboard's view of the store: every registered project
// with its active and parked sessions, its five newest completed ones, and
// its roadmap. `sess-manage overview` prints it and GET /api/overview serves
// it.
type Overview struct {
	Timestamp string           `json:"timestamp"`
	Projects  []Project        `json:"projects"`
	Settings  session.Settings `json:"settings"`
}

// Project is one project of the overview.
type Project struct {
	Slug              string      `json:"slug"`
	Name              string      `json:"name"`
	Path              string      `json:"path"`
	CurrentPhase      string      `json:"current_phase"`
	ActiveSessions    []Active    `json:"active_sessions"`
	ParkedSessions    []Parked    `json:"parked_sessions"`
	CompletedSessions []Completed `json:"completed_sessions"`
	RoadmapSummary    Roadmap     `json:"roadmap_summary"`
	ActiveCount       int         `json:"active_count"`
	ParkedCount       int         `json:"parked_count"`
	NextSteps         []string    `json:"next_steps"`
	LastActivity      string      `json:"last_activity"`
	TotalSessions     int         `json:"total_sessions"`
}

// Roadmap sums up a project's roadmap.
type Roadmap struct {
	CompletedCount  int      `json:"completed_count"`
	InProgressCount int      `json:"in_progress_count"`
	InProgress      []string `json:"in_progress"`
}

// Session is what the overview shows of every session: the last
// five events, the number of events, tasks and their summary.
type Session struct {
	SessionID     string              `json:"session_id"`
	Intent        string              `json:"intent"`
	StartedAt     string              `json:"started_at"`
	RoadmapRef    *string             `json:"roadmap_ref"`
	Events        []session.Event     `json:"events"`
	GitBranch     string              `json:"git_branch"`
	WorktreeRoot  *string             `json:"worktree_root"`
	FilesChanged  []string            `json:"files_changed"`
	Decisions     []string            `json:"decisions"`
	OpenQuestions []string            `json:"open_questions"`
	Commits       []session.Commit    `json:"commits"`
	NextSteps     []string            `json:"next_steps"`
	EventCount    int                 `json:"event_count"`
	Tasks         []session.Task      `json:"tasks"`
	TaskSummary   session.TaskSummary `json:"task_summary"`
	// Machine names the machine of a session not of this one (a shared
	// journal's); nil for this machine's, and then not written. sess only.
	Machine *string `json:"machine,omitempty"`
}

// Active is an active session in the overview.
type Active struct {
	Session
	LastHeartbeat   string  `json:"last_heartbeat"`
	IsStale         bool    `json:"is_stale"`
	CurrentActivity *string `json:"current_activity"`
	AwaitingAction  *string `json:"awaiting_action"`
	// Live is the session's live state, when hooks report on it (sess
	// only; left out otherwise, as the original's overview has none).
	Live *session.Live `json:"live,omitempty"`
}

// Parked is a parked session in the overview.
type Parked struct {
	Session
	ParkedReason    *string `json:"parked_reason"`
	CurrentActivity *string `json:"current_activity"`
	AwaitingAction  *string `json:"awaiting_action"`
	EndedAt         *string `json:"ended_at"`
}

// Completed is a completed session in the overview.
type Completed struct {
	Session
	Outcome       *string `json:"outcome"`
	EndedAt       *string `json:"ended_at"`
	LastHeartbeat string  `json:"last_heartbeat"`
}

func sessionOf(sess *session.Session) Session {
	events := sess.Events
	if len(events) > 5 {
		events = events[len(events)-5:]
	}
	return Session{
		SessionID:     sess.SessionID,
		Intent:        sess.Intent,
		StartedAt:     sess.StartedAt,
		RoadmapRef:    sess.RoadmapRef,
		Events:        events,
		GitBranch:     sess.GitBranch,
		WorktreeRoot:  sess.WorktreeRoot,
		FilesChanged:  sess.FilesChanged,
		Decisions:     sess.Decisions,
		OpenQuestions: sess.OpenQuestions,
		Commits:       sess.Commits,
		NextSteps:     sess.NextSteps,
		EventCount:    len(sess.Events),
		Tasks:         sess.Tasks,
		TaskSummary:   session.SummarizeTasks(sess.Tasks),
		Machine:       sess.Machine,
	}
}

// completedInOverview is how many completed sessions a project shows.
const completedInOverview = 5

// Of builds the dashboard overview. It reads the config, the index, the
// project states, and the files of the active, parked and five newest
// completed sessions of each project, all of them at once.
func Of(v *store.View) (*Overview, error) {
	cfg, cfgErr := v.ConfigFile()
	idx, err := v.Entries()
	if err != nil {
		return nil, err
	}
	cfg = configOf(v, cfg, cfgErr, idx)
	picks := make([]pick, len(cfg.Projects))
	var toRead []string
	for i, p := range cfg.Projects {
		picks[i] = pickOf(idx, p.Slug)
		toRead = append(toRead, picks[i].toRead()...)
	}
	read := make(map[string]*session.Session, len(toRead))
	for _, sess := range v.Sessions(toRead) {
		read[sess.SessionID] = sess
	}
	now := v.Now()
	ov := &Overview{Timestamp: session.FormatTime(now), Projects: []Project{}, Settings: cfg.Settings}
	for i, p := range cfg.Projects {
		op := projectOf(v, p)
		placeSessions(&op, picks[i].toRead(), read, now, cfg.Settings.StaleThresholdHours)
		ov.Projects = append(ov.Projects, op)
	}
	return ov, nil
}

// configOf is the config the overview shows, given what reading
// config.json returned. A missing config.json is an empty registry, as in the original
// (which creates an empty one). A corrupt or unreadable one would hide every
// project although every session is readable, so the overview then shows
// the projects of the indexed sessions instead, by slug (name = slug, no
// path), with the default settings. It warns once here, where Config would
// warn on every call, so a command that shows the overview warns once.
func configOf(v *store.View, cfg *store.Config, err error, idx map[string]session.IndexEntry) *store.Config {
	if err == nil {
		return cfg
	}
	cfg = &store.Config{Settings: session.DefaultSettings()}
	if errors.Is(err, fs.ErrNotExist) {
		return cfg
	}
	v.Warnf("ignoring config.json: %v; showing the projects of the sessions by slug", err)
	seen := map[string]bool{}
	for _, e := range idx {
		// An index entry's slug names a file path later on: only valid ones.
		if !seen[e.ProjectSlug] && session.ValidateSlug(e.ProjectSlug) == nil {
			seen[e.ProjectSlug] = true
			cfg.Projects = append(cfg.Projects, store.ProjectEntry{Slug: e.ProjectSlug, Project: session.Project{Name: e.ProjectSlug}})
		}
	}
	// The index is a map: sort so the page does not reshuffle on every poll.
	slices.SortFunc(cfg.Projects, func(a, b store.ProjectEntry) int { return strings.Compare(a.Slug, b.Slug) })
	return cfg
}

// pick is which sessions of a project the overview reads, by what
// the index says: every active and parked one and the five newest
// completed ones, each newest first.
type pick struct{ active, parked, completed []string }

func pickOf(idx map[string]session.IndexEntry, slug string) pick {
	var pk pick
	for _, id := range store.Select(idx, store.Filter{Project: slug}) {
		switch idx[id].Status {
		case session.StatusActive:
			pk.active = append(pk.active, id)
		case session.StatusParked:
			pk.parked = append(pk.parked, id)
		case session.StatusCompleted:
			if len(pk.completed) < completedInOverview {
				pk.completed = append(pk.completed, id)
			}
		}
	}
	return pk
}

// toRead is the picked sessions: active, then parked, then completed.
func (pk pick) toRead() []string {
	return append(append(append([]string{}, pk.active...), pk.parked...), pk.completed...)
}

// projectOf is a project of the overview without its sessions: its
// registration and its project state. The total and last activity are the
// state file's, as the original's overview shows them (0 and "" without
// one): a refresh counts the sessions not archived, and archive
// --session-id leaves the file as it was.
func projectOf(v *store.View, p store.ProjectEntry) Project {
	op := Project{
		Slug:              p.Slug,
		Name:              p.Name,
		Path:              p.Path,
		ActiveSessions:    []Active{},
		ParkedSessions:    []Parked{},
		CompletedSessions: []Completed{},
		RoadmapSummary:    Roadmap{InProgress: []string{}},
		NextSteps:         []string{},
	}
	ps, err := v.ProjectStateFile(p.Slug)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			v.Warnf("ignoring project state of %s: %v", p.Slug, err)
		}
		return op
	}
	op.CurrentPhase = ps.CurrentPhase
	op.RoadmapSummary = Roadmap{
		CompletedCount:  len(ps.RoadmapSummary.Completed),
		InProgressCount: len(ps.RoadmapSummary.InProgress),
		InProgress:      ps.RoadmapSummary.InProgress,
	}
	op.NextSteps = ps.RoadmapSummary.NextUp
	op.LastActivity = ps.LastActivity
	op.TotalSessions = ps.TotalSessions
	return op
}

// ActiveOf is an active session as the overview shows it (the
// dashboard's list of unregistered projects shows it so too).
func ActiveOf(sess *session.Session, now time.Time, threshold int) Active {
	a := Active{
		Session:         sessionOf(sess),
		LastHeartbeat:   sess.LastHeartbeat,
		IsStale:         session.IsStale(sess.Status, sess.LastHeartbeat, now, threshold),
		CurrentActivity: sess.CurrentActivity,
		AwaitingAction:  sess.AwaitingAction,
	}
	if sess.State != nil {
		live := session.LiveState(sess, now, threshold)
		a.Live = &live
	}
	return a
}

// placeSessions adds the project's sessions that were read to op. A file
// read may show a status the index did not: each session is placed by what
// its file says.
func placeSessions(op *Project, ids []string, read map[string]*session.Session, now time.Time, threshold int) {
	for _, id := range ids {
		sess := read[id]
		if sess == nil || sess.ProjectSlug != op.Slug {
			continue
		}
		switch sess.Status {
		case session.StatusActive:
			op.ActiveSessions = append(op.ActiveSessions, ActiveOf(sess, now, threshold))
		case session.StatusParked:
			op.ParkedSessions = append(op.ParkedSessions, Parked{
				Session:         sessionOf(sess),
				ParkedReason:    sess.ParkedReason,
				CurrentActivity: sess.CurrentActivity,
				AwaitingAction:  sess.AwaitingAction,
				EndedAt:         sess.EndedAt,
			})
		case session.StatusCompleted:
			if len(op.CompletedSessions) < completedInOverview {
				op.CompletedSessions = append(op.CompletedSessions, Completed{
					Session:       sessionOf(sess),
					Outcome:       sess.Outcome,
					EndedAt:       sess.EndedAt,
					LastHeartbeat: sess.LastHeartbeat,
				})
			}
		}
	}
	op.ActiveCount = len(op.ActiveSessions)
	op.ParkedCount = len(op.ParkedSessions)
}

// Read is the overview of st, in a View of its own: what `sess-manage
// overview` prints and GET /api/overview serves.
func Read(st *store.Store) (*Overview, error) {
	return Of(st.View())
}
