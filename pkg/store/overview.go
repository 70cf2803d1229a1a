package store

import (
	"slices"
	"strings"
	"time"

	"github.com/sess-dev/sess/pkg/session"
)

// Overview is the dashboard's view of the store: every registered project
// with its active and parked sessions, its five newest completed ones, and
// its roadmap. `sess-manage overview` prints it and GET /api/overview serves
// it.
type Overview struct {
	Timestamp string            `json:"timestamp"`
	Projects  []OverviewProject `json:"projects"`
	Settings  session.Settings  `json:"settings"`
}

// OverviewProject is one project of the overview.
type OverviewProject struct {
	Slug              string              `json:"slug"`
	Name              string              `json:"name"`
	Path              string              `json:"path"`
	CurrentPhase      string              `json:"current_phase"`
	ActiveSessions    []ActiveOverview    `json:"active_sessions"`
	ParkedSessions    []ParkedOverview    `json:"parked_sessions"`
	CompletedSessions []CompletedOverview `json:"completed_sessions"`
	RoadmapSummary    OverviewRoadmap     `json:"roadmap_summary"`
	ActiveCount       int                 `json:"active_count"`
	ParkedCount       int                 `json:"parked_count"`
	NextSteps         []string            `json:"next_steps"`
	LastActivity      string              `json:"last_activity"`
	TotalSessions     int                 `json:"total_sessions"`
}

// OverviewRoadmap sums up a project's roadmap.
type OverviewRoadmap struct {
	CompletedCount  int      `json:"completed_count"`
	InProgressCount int      `json:"in_progress_count"`
	InProgress      []string `json:"in_progress"`
}

// OverviewSession is what the overview shows of every session: the last
// five events, the number of events, tasks and their summary.
type OverviewSession struct {
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
}

// ActiveOverview is an active session in the overview.
type ActiveOverview struct {
	OverviewSession
	LastHeartbeat   string  `json:"last_heartbeat"`
	IsStale         bool    `json:"is_stale"`
	CurrentActivity *string `json:"current_activity"`
	AwaitingAction  *string `json:"awaiting_action"`
	// Live is the session's live state, when hooks report on it (sess
	// only; left out otherwise, as the original's overview has none).
	Live *session.Live `json:"live,omitempty"`
}

// ParkedOverview is a parked session in the overview.
type ParkedOverview struct {
	OverviewSession
	ParkedReason    *string `json:"parked_reason"`
	CurrentActivity *string `json:"current_activity"`
	AwaitingAction  *string `json:"awaiting_action"`
	EndedAt         *string `json:"ended_at"`
}

// CompletedOverview is a completed session in the overview.
type CompletedOverview struct {
	OverviewSession
	Outcome       *string `json:"outcome"`
	EndedAt       *string `json:"ended_at"`
	LastHeartbeat string  `json:"last_heartbeat"`
}

func overviewSession(sess *session.Session) OverviewSession {
	events := sess.Events
	if len(events) > 5 {
		events = events[len(events)-5:]
	}
	return OverviewSession{
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
	}
}

// completedInOverview is how many completed sessions a project shows.
const completedInOverview = 5

// Overview builds the dashboard overview. It reads the config, the index,
// the project states, and the files of the active, parked and five newest
// completed sessions of each project, all of them at once.
func (s *Store) Overview() (*Overview, error) {
	cfg, cfgErr := s.readConfig()
	s.mend()
	idx, err := s.loadIndex()
	if err != nil {
		return nil, err
	}
	cfg = s.overviewConfig(cfg, cfgErr, idx)
	picks := make([]overviewPick, len(cfg.Projects))
	var toRead []string
	for i, p := range cfg.Projects {
		picks[i] = pickOverview(idx, p.Slug)
		toRead = append(toRead, picks[i].toRead()...)
	}
	read := make(map[string]*session.Session, len(toRead))
	for _, sess := range s.readSessions(toRead, s.sessionPath) {
		read[sess.SessionID] = sess
	}
	now := s.now()
	ov := &Overview{Timestamp: session.FormatTime(now), Projects: []OverviewProject{}, Settings: cfg.Settings}
	for i, p := range cfg.Projects {
		op := s.overviewProject(p)
		placeSessions(&op, picks[i].toRead(), read, now, cfg.Settings.StaleThresholdHours)
		ov.Projects = append(ov.Projects, op)
	}
	return ov, nil
}

// overviewConfig is the config the overview shows, given what readConfig
// returned. A missing config.json is an empty registry, as in the original
// (which creates an empty one). A corrupt or unreadable one would hide every
// project although every session is readable, so the overview then shows
// the projects of the indexed sessions instead, by slug (name = slug, no
// path), with the default settings. It warns once here, where Config would
// warn on every call, so a command that shows the overview warns once.
func (s *Store) overviewConfig(cfg *Config, err error, idx map[string]session.IndexEntry) *Config {
	if err == nil {
		return cfg
	}
	cfg = &Config{Settings: session.DefaultSettings()}
	if isNotExist(err) {
		return cfg
	}
	s.warnf("ignoring config.json: %v; showing the projects of the sessions by slug", err)
	seen := map[string]bool{}
	for _, e := range idx {
		// An index entry's slug names a file path later on: only valid ones.
		if !seen[e.ProjectSlug] && session.ValidateSlug(e.ProjectSlug) == nil {
			seen[e.ProjectSlug] = true
			cfg.Projects = append(cfg.Projects, ProjectEntry{Slug: e.ProjectSlug, Project: session.Project{Name: e.ProjectSlug}})
		}
	}
	// The index is a map: sort so the page does not reshuffle on every poll.
	slices.SortFunc(cfg.Projects, func(a, b ProjectEntry) int { return strings.Compare(a.Slug, b.Slug) })
	return cfg
}

// overviewPick is which sessions of a project the overview reads, by what
// the index says: every active and parked one and the five newest
// completed ones, each newest first.
type overviewPick struct{ active, parked, completed []string }

func pickOverview(idx map[string]session.IndexEntry, slug string) overviewPick {
	var pk overviewPick
	for _, id := range selectIDs(idx, Filter{Project: slug}) {
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
func (pk overviewPick) toRead() []string {
	return append(append(append([]string{}, pk.active...), pk.parked...), pk.completed...)
}

// overviewProject is a project of the overview without its sessions: its
// registration and its project state. The total and last activity are the
// state file's, as the original's overview shows them (0 and "" without
// one): a refresh counts the sessions not archived, and archive
// --session-id leaves the file as it was.
func (s *Store) overviewProject(p ProjectEntry) OverviewProject {
	op := OverviewProject{
		Slug:              p.Slug,
		Name:              p.Name,
		Path:              p.Path,
		ActiveSessions:    []ActiveOverview{},
		ParkedSessions:    []ParkedOverview{},
		CompletedSessions: []CompletedOverview{},
		RoadmapSummary:    OverviewRoadmap{InProgress: []string{}},
		NextSteps:         []string{},
	}
	ps, err := s.readProjectState(p.Slug)
	if err != nil {
		if !isNotExist(err) {
			s.warnf("ignoring project state of %s: %v", p.Slug, err)
		}
		return op
	}
	op.CurrentPhase = ps.CurrentPhase
	op.RoadmapSummary = OverviewRoadmap{
		CompletedCount:  len(ps.RoadmapSummary.Completed),
		InProgressCount: len(ps.RoadmapSummary.InProgress),
		InProgress:      ps.RoadmapSummary.InProgress,
	}
	op.NextSteps = ps.RoadmapSummary.NextUp
	op.LastActivity = ps.LastActivity
	op.TotalSessions = ps.TotalSessions
	return op
}

// ActiveOverviewOf is an active session as the overview shows it.
func ActiveOverviewOf(sess *session.Session, now time.Time, threshold int) ActiveOverview {
	a := ActiveOverview{
		OverviewSession: overviewSession(sess),
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
func placeSessions(op *OverviewProject, ids []string, read map[string]*session.Session, now time.Time, threshold int) {
	for _, id := range ids {
		sess := read[id]
		if sess == nil || sess.ProjectSlug != op.Slug {
			continue
		}
		switch sess.Status {
		case session.StatusActive:
			op.ActiveSessions = append(op.ActiveSessions, ActiveOverviewOf(sess, now, threshold))
		case session.StatusParked:
			op.ParkedSessions = append(op.ParkedSessions, ParkedOverview{
				OverviewSession: overviewSession(sess),
				ParkedReason:    sess.ParkedReason,
				CurrentActivity: sess.CurrentActivity,
				AwaitingAction:  sess.AwaitingAction,
				EndedAt:         sess.EndedAt,
			})
		case session.StatusCompleted:
			if len(op.CompletedSessions) < completedInOverview {
				op.CompletedSessions = append(op.CompletedSessions, CompletedOverview{
					OverviewSession: overviewSession(sess),
					Outcome:         sess.Outcome,
					EndedAt:         sess.EndedAt,
					LastHeartbeat:   sess.LastHeartbeat,
				})
			}
		}
	}
	op.ActiveCount = len(op.ActiveSessions)
	op.ParkedCount = len(op.ParkedSessions)
}

// Activity is work per project per day: sessions started and hours worked
// (each session from its start to its end, or to its last heartbeat while
// open, split over the days it spans), for the last Days days, UTC.
type Activity struct {
	Days     []string          `json:"days"` // YYYY-MM-DD, oldest first
	Projects []ProjectActivity `json:"projects"`
}

// ProjectActivity is one project's line of an Activity.
type ProjectActivity struct {
	Slug     string    `json:"slug"`
	Sessions []int     `json:"sessions"`
	Hours    []float64 `json:"hours"`
}

// Activity sums up the last days days from the index alone.
func (s *Store) Activity(days int) (*Activity, error) {
	if days < 1 || days > 366 {
		return nil, session.Invalid("days", "must be between 1 and 366 (got %d)", days)
	}
	s.mend()
	idx, err := s.loadIndex()
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	first := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -(days - 1))
	a := &Activity{Days: make([]string, days), Projects: []ProjectActivity{}}
	for i := range a.Days {
		a.Days[i] = first.AddDate(0, 0, i).Format("2006-01-02")
	}
	byProject := map[string]*ProjectActivity{}
	line := func(slug string) *ProjectActivity {
		p := byProject[slug]
		if p == nil {
			p = &ProjectActivity{Slug: slug, Sessions: make([]int, days), Hours: make([]float64, days)}
			byProject[slug] = p
		}
		return p
	}
	for _, e := range idx {
		start, err := session.ParseTime(e.StartedAt)
		if err != nil {
			continue
		}
		end := start
		if t, err := session.ParseTime(session.Deref(e.EndedAt)); err == nil && e.EndedAt != nil {
			end = t
		} else if t, err := session.ParseTime(e.LastHeartbeat); err == nil {
			end = t
		}
		if end.After(now) {
			end = now
		}
		if end.Before(first) {
			continue
		}
		p := line(e.ProjectSlug)
		if d := int(start.Sub(first).Hours() / 24); !start.Before(first) && d < days {
			p.Sessions[d]++
		}
		for t := maxTime(start, first); t.Before(end); {
			d := int(t.Sub(first).Hours() / 24)
			if d >= days {
				break
			}
			dayEnd := first.AddDate(0, 0, d+1)
			stop := end
			if dayEnd.Before(stop) {
				stop = dayEnd
			}
			p.Hours[d] += stop.Sub(t).Hours()
			t = stop
		}
	}
	for _, p := range byProject {
		for i, h := range p.Hours {
			p.Hours[i] = float64(int(h*100+0.5)) / 100
		}
		a.Projects = append(a.Projects, *p)
	}
	slices.SortFunc(a.Projects, func(x, y ProjectActivity) int { return strings.Compare(x.Slug, y.Slug) })
	return a, nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
