package store

import (
	"encoding/json"
	"fmt"
)

// ProjectState reads projects/<slug>.json.
func (s *Store) ProjectState(slug string) (*ProjectState, error) {
	if err := ValidateSlug(slug); err != nil {
		return nil, err
	}
	ps, err := s.readProjectState(slug)
	if isNotExist(err) {
		return nil, notFound("no state for project %s", slug)
	}
	if err != nil {
		return nil, fmt.Errorf("read project state %s: %w", slug, err)
	}
	return ps, nil
}

func (s *Store) readProjectState(slug string) (*ProjectState, error) {
	data, err := readFile(s.projectPath(slug))
	if err != nil {
		return nil, err
	}
	var ps ProjectState
	if err := json.Unmarshal(data, &ps); err != nil {
		return nil, fmt.Errorf("%s.json: %v: %w", slug, err, ErrCorrupt)
	}
	if ps.ProjectSlug == "" {
		ps.ProjectSlug = slug
	}
	ps.normalize()
	return &ps, nil
}

// ProjectStatePatch is what update-project-state sets; nil keeps a field.
type ProjectStatePatch struct {
	CurrentPhase *string
	Completed    []string
	InProgress   []string
	NextUp       []string // kept to three
}

// UpdateProjectState sets a project's phase and roadmap lists.
func (s *Store) UpdateProjectState(slug string, p ProjectStatePatch) (*ProjectState, error) {
	if err := ValidateSlug(slug); err != nil {
		return nil, err
	}
	var err error
	// An empty phase clears it.
	if p.CurrentPhase != nil && *p.CurrentPhase != "" {
		if p.CurrentPhase, err = cleanOptional("current_phase", p.CurrentPhase, MaxCurrentPhase, line); err != nil {
			return nil, err
		}
	}
	for _, l := range []struct {
		name string
		list *[]string
	}{{"completed", &p.Completed}, {"in_progress", &p.InProgress}, {"next_up", &p.NextUp}} {
		if *l.list != nil {
			if *l.list, err = cleanList(l.name, *l.list, MaxStateItem, MaxStateItems, line); err != nil {
				return nil, err
			}
		}
	}
	if len(p.NextUp) > MaxNextSteps {
		p.NextUp = p.NextUp[:MaxNextSteps]
	}
	s.mend()
	if err := s.ensureDirs(); err != nil {
		return nil, err
	}
	l, err := s.lockFor(kindProject, slug)
	if err != nil {
		return nil, err
	}
	defer l.unlock()
	ps, err := s.readProjectState(slug)
	if isNotExist(err) {
		ps, err = &ProjectState{ProjectSlug: slug}, nil
		ps.normalize()
	}
	if err != nil {
		return nil, &Error{Code: CodeStore, Message: fmt.Sprintf("project state of %s is unreadable; fix or remove projects/%s.json", slug, slug), Err: err}
	}
	if p.CurrentPhase != nil {
		ps.CurrentPhase = *p.CurrentPhase
	}
	if p.Completed != nil {
		ps.RoadmapSummary.Completed = p.Completed
	}
	if p.InProgress != nil {
		ps.RoadmapSummary.InProgress = p.InProgress
	}
	if p.NextUp != nil {
		ps.RoadmapSummary.NextUp = p.NextUp
	}
	ps.UpdatedAt = s.nowString()
	if err := s.writeProjectState(ps); err != nil {
		return nil, err
	}
	return ps, nil
}

func (s *Store) writeProjectState(ps *ProjectState) error {
	ps.normalize()
	data, err := marshal(ps)
	if err != nil {
		return err
	}
	return writeAtomic(s.projectPath(ps.ProjectSlug), data)
}

// refreshProjectState recomputes a project's derived state under its lock.
func (s *Store) refreshProjectState(slug string) error {
	l, err := s.lockFor(kindProject, slug)
	if err != nil {
		return err
	}
	if err := s.refreshProjectStateLocked(slug); err != nil {
		l.release()
		return err
	}
	l.unlock()
	return nil
}

// refreshProjectStateLocked derives counts, last activity, recent commits,
// open questions and next steps from the project's sessions, keeping the
// phase and roadmap that update-project-state set. It reads the index and
// only the session files it needs: the ten newest, the active and parked
// ones, and the newest completed or parked ones until one has next steps.
func (s *Store) refreshProjectStateLocked(slug string) error {
	old, err := s.readProjectState(slug)
	switch {
	case isNotExist(err):
		old = &ProjectState{ProjectSlug: slug}
		old.normalize()
	case err != nil:
		s.warnf("not refreshing project state of %s: %v (fix or remove projects/%s.json)", slug, err, slug)
		return nil
	}
	idx, err := s.loadIndex()
	if err != nil {
		return err
	}
	ids := selectIDs(idx, Filter{Project: slug})
	ps := &ProjectState{
		ProjectSlug:    slug,
		CurrentPhase:   old.CurrentPhase,
		RoadmapSummary: old.RoadmapSummary,
		TotalSessions:  len(ids),
		UpdatedAt:      s.nowString(),
	}
	if len(ids) > 0 {
		e := idx[ids[0]]
		ps.LastActivity = e.LastHeartbeat
		if ps.LastActivity == "" {
			ps.LastActivity = e.StartedAt
		}
	}
	// Which files to read: the ten newest, and every active or parked one.
	var toRead []string
	for i, id := range ids {
		st := idx[id].Status
		switch st {
		case StatusActive:
			ps.ActiveSessions++
		case StatusParked:
			ps.ParkedSessions++
		}
		if i < 10 || st == StatusActive || st == StatusParked {
			toRead = append(toRead, id)
		}
	}
	read := make(map[string]*Session, len(toRead))
	for _, sess := range s.readSessions(toRead, s.sessionPath) {
		read[sess.SessionID] = sess
	}
	ps.RecentCommits = []Commit{}
	for i := 0; i < len(ids) && i < 10; i++ {
		if sess := read[ids[i]]; sess != nil {
			ps.RecentCommits = append(ps.RecentCommits, sess.Commits...)
		}
	}
	if len(ps.RecentCommits) > 10 {
		ps.RecentCommits = ps.RecentCommits[:10]
	}
	ps.OpenQuestions = []string{}
	seen := make(map[string]bool)
	for _, id := range ids {
		sess := read[id]
		if sess == nil || (sess.Status != StatusActive && sess.Status != StatusParked) {
			continue
		}
		for _, q := range sess.OpenQuestions {
			if !seen[q] {
				seen[q] = true
				ps.OpenQuestions = append(ps.OpenQuestions, q)
			}
		}
	}
	// Next up: the next steps of the newest completed or parked session that
	// has some, read in batches until one is found.
	var nextUp []string
	const batch = 32
	for start := 0; start < len(ids) && nextUp == nil; start += batch {
		end := min(start+batch, len(ids))
		var missing []string
		for _, id := range ids[start:end] {
			if st := idx[id].Status; (st == StatusCompleted || st == StatusParked) && read[id] == nil {
				missing = append(missing, id)
			}
		}
		for _, sess := range s.readSessions(missing, s.sessionPath) {
			read[sess.SessionID] = sess
		}
		for _, id := range ids[start:end] {
			sess := read[id]
			if sess != nil && (sess.Status == StatusCompleted || sess.Status == StatusParked) && len(sess.NextSteps) > 0 {
				nextUp = sess.NextSteps
				if len(nextUp) > MaxNextSteps {
					nextUp = nextUp[:MaxNextSteps]
				}
				break
			}
		}
	}
	if nextUp != nil {
		ps.RoadmapSummary.NextUp = nextUp
	}
	return s.writeProjectState(ps)
}
