package server

import (
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/sess-dev/sess/internal/replica"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/overview"
)

// The overview shows the projects registered in config.json. A session
// whose project is not registered (Claude Code launched in a folder outside
// them, registered by the SessionStart hook under the folder's slug) would
// show nowhere but in the activity picture. GET /api/unregistered gives the
// page those projects in the overview's own shape, so that it shows them as
// it shows the others.

// unregisteredList is the answer of GET /api/unregistered.
type unregisteredList struct {
	Projects []overview.Project `json:"projects"`
}

// unregisteredQuery answers GET /api/unregistered: every project with a live
// (not archived) session that config.json does not list, by slug, as the
// overview shows a project: its active and parked sessions and its five
// newest completed ones. Name is the slug and Path is empty. With a
// shared journal, a project another machine registered is registered (the
// overview shows it), and another machine's sessions are marked.
func (s *Server) unregisteredQuery(*http.Request) (string, func() (any, error), error) {
	return "unregistered", func() (any, error) { return s.unregistered(s.journal()) }, nil
}

func (s *Server) unregistered(j *replica.Journal) (*unregisteredList, error) {
	cat, err := s.catalog(j)
	if err != nil {
		return nil, err
	}
	sources := sourcesOf(j)
	registered := map[string]bool{}
	for _, src := range sources {
		for _, p := range src.v.Config().Projects {
			registered[p.Slug] = true
		}
	}
	var slugs []string
	picked := map[string][]catalogEntry{} // newest first
	totals := map[string]int{}
	completed := map[string]int{}
	for _, e := range cat {
		if e.ref.Archived || registered[e.project] {
			continue
		}
		if _, ok := picked[e.project]; !ok {
			slugs = append(slugs, e.project)
			picked[e.project] = nil
		}
		totals[e.project]++
		if e.status == session.StatusCompleted {
			if completed[e.project] >= overviewCompleted {
				continue
			}
			completed[e.project]++
		}
		picked[e.project] = append(picked[e.project], e)
	}
	slices.Sort(slugs)
	now := s.st.View().Now()
	out := &unregisteredList{Projects: []overview.Project{}}
	for _, slug := range slugs {
		op := overview.Project{
			Slug: slug, Name: slug,
			ActiveSessions: []overview.Active{}, ParkedSessions: []overview.Parked{}, CompletedSessions: []overview.Completed{},
			RoadmapSummary: overview.Roadmap{InProgress: []string{}},
			NextSteps:      []string{},
			TotalSessions:  totals[slug],
		}
		if ps := projectState(sources, slug); ps != nil {
			op.CurrentPhase = ps.CurrentPhase
			op.RoadmapSummary = overview.Roadmap{
				CompletedCount:  len(ps.RoadmapSummary.Completed),
				InProgressCount: len(ps.RoadmapSummary.InProgress),
				InProgress:      nonNil(ps.RoadmapSummary.InProgress),
			}
			op.NextSteps = nonNil(ps.RoadmapSummary.NextUp)
		}
		for i, e := range picked[slug] {
			if i == 0 {
				op.LastActivity = e.last
			}
			sess, err := e.read()
			if err != nil {
				fmt.Fprintf(s.log, "sess-serve: skipping session %s: %v\n", e.src.key(e.ref.ID), err)
				continue
			}
			if sess.ProjectSlug != slug {
				continue // changed since the index was read
			}
			place(&op, sess, now, e.src.threshold)
		}
		out.Projects = append(out.Projects, op)
	}
	return out, nil
}

// projectState is a project's state file: this machine's, else the first
// other machine's that has one; nil for none.
func projectState(sources []*source, slug string) *session.ProjectState {
	for _, src := range sources {
		if ps, err := src.v.ProjectState(slug); err == nil {
			return ps
		}
	}
	return nil
}

// overviewCompleted is how many completed sessions the overview shows of a
// project.
const overviewCompleted = 5

// place adds sess to op as the overview places a session: by the status its
// file says.
func place(op *overview.Project, sess *session.Session, now time.Time, threshold int) {
	switch sess.Status {
	case session.StatusActive:
		op.ActiveSessions = append(op.ActiveSessions, overview.ActiveOf(sess, now, threshold))
		op.ActiveCount++
	case session.StatusParked:
		op.ParkedSessions = append(op.ParkedSessions, overview.Parked{
			Session:         overviewSession(sess),
			ParkedReason:    sess.ParkedReason,
			CurrentActivity: sess.CurrentActivity,
			AwaitingAction:  sess.AwaitingAction,
			EndedAt:         sess.EndedAt,
		})
		op.ParkedCount++
	case session.StatusCompleted:
		op.CompletedSessions = append(op.CompletedSessions, overview.Completed{
			Session:       overviewSession(sess),
			Outcome:       sess.Outcome,
			EndedAt:       sess.EndedAt,
			LastHeartbeat: sess.LastHeartbeat,
		})
	}
}

func overviewSession(sess *session.Session) overview.Session {
	events := sess.Events
	if len(events) > lastEvents {
		events = events[len(events)-lastEvents:]
	}
	return overview.Session{
		SessionID:     sess.SessionID,
		Intent:        sess.Intent,
		StartedAt:     sess.StartedAt,
		RoadmapRef:    sess.RoadmapRef,
		Events:        nonNil(events),
		GitBranch:     sess.GitBranch,
		WorktreeRoot:  sess.WorktreeRoot,
		FilesChanged:  nonNil(sess.FilesChanged),
		Decisions:     nonNil(sess.Decisions),
		OpenQuestions: nonNil(sess.OpenQuestions),
		Commits:       nonNil(sess.Commits),
		NextSteps:     nonNil(sess.NextSteps),
		EventCount:    len(sess.Events),
		Tasks:         nonNil(sess.Tasks),
		TaskSummary:   session.SummarizeTasks(sess.Tasks),
		Machine:       sess.Machine,
	}
}
