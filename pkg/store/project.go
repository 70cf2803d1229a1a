package store

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/sess-dev/sess/pkg/session"
)

// projectStateFor reads projects/<slug>.json.
func (s *Store) projectStateFor(slug string) (*session.ProjectState, error) {
	if err := session.ValidateSlug(slug); err != nil {
		return nil, err
	}
	ps, err := s.readProjectState(slug)
	if isNotExist(err) {
		return nil, session.NotFound("no state for project %s", slug)
	}
	if err != nil {
		return nil, fmt.Errorf("read project state %s: %w", slug, err)
	}
	return ps, nil
}

func (s *Store) readProjectState(slug string) (*session.ProjectState, error) {
	data, err := readFile(s.projectPath(slug))
	if err != nil {
		return nil, err
	}
	var ps session.ProjectState
	if err := json.Unmarshal(data, &ps); err != nil {
		return nil, fmt.Errorf("%s.json: %v: %w", slug, err, ErrCorrupt)
	}
	if ps.ProjectSlug == "" {
		ps.ProjectSlug = slug
	}
	ps.Normalize()
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
func (s *Store) UpdateProjectState(slug string, p ProjectStatePatch) (*session.ProjectState, error) {
	if err := session.ValidateSlug(slug); err != nil {
		return nil, err
	}
	var err error
	// An empty phase clears it.
	if p.CurrentPhase != nil && *p.CurrentPhase != "" {
		if p.CurrentPhase, err = session.CleanOptional("current_phase", p.CurrentPhase, session.MaxCurrentPhase, session.Line); err != nil {
			return nil, err
		}
	}
	for _, l := range []struct {
		name string
		list *[]string
	}{{"completed", &p.Completed}, {"in_progress", &p.InProgress}, {"next_up", &p.NextUp}} {
		if *l.list != nil {
			if *l.list, err = session.CleanList(l.name, *l.list, session.MaxStateItem, session.MaxStateItems, session.Line); err != nil {
				return nil, err
			}
		}
	}
	if len(p.NextUp) > session.MaxNextSteps {
		p.NextUp = p.NextUp[:session.MaxNextSteps]
	}
	s.mend()
	if err := s.ensureDirs(); err != nil {
		return nil, err
	}
	var out *session.ProjectState
	err = s.withLocks(func(h *held) error {
		if err := h.take(kindProject, slug); err != nil {
			return err
		}
		ps, err := s.patchProjectState(slug, p)
		out = ps
		return err
	})
	return out, err
}

// patchProjectState applies p to the project's state; the caller holds its
// lock.
func (s *Store) patchProjectState(slug string, p ProjectStatePatch) (*session.ProjectState, error) {
	ps, err := s.readProjectState(slug)
	if isNotExist(err) {
		ps, err = &session.ProjectState{ProjectSlug: slug}, nil
		ps.Normalize()
	}
	if err != nil {
		return nil, &session.Error{Code: session.CodeStore, Message: fmt.Sprintf("project state of %s is unreadable; fix or remove projects/%s.json", slug, slug), Err: err}
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

func (s *Store) writeProjectState(ps *session.ProjectState) error {
	ps.Normalize()
	data, err := marshal(ps)
	if err != nil {
		return err
	}
	return writeAtomic(s.projectPath(ps.ProjectSlug), data)
}

// refreshProjectState recomputes a project's derived state under its lock,
// from the project's index entries as they are once the lock is held.
func (s *Store) refreshProjectState(slug string) error {
	return s.withLocks(func(h *held) error {
		if err := h.take(kindProject, slug); err != nil {
			return err
		}
		if err := s.refreshProjectStateLocked(slug, nil, nil); err != nil {
			h.keep = true // for the next command's repair
			return err
		}
		return nil
	})
}

// sessionBits is what a project's state needs of a session file.
type sessionBits struct {
	Status        session.Status   `json:"status"`
	Commits       []session.Commit `json:"commits"`
	OpenQuestions []string         `json:"open_questions"`
	NextSteps     []string         `json:"next_steps"`
}

var noOpenQuestions = []byte(`"open_questions": []`)

// readBits reads the parts of a session file a project's state needs. With
// onlyQuestions, a file whose open questions are plainly empty (nearly all)
// is not decoded at all.
func (s *Store) readBits(id string, onlyQuestions bool, mem map[string]*session.Session) *sessionBits {
	if sess := mem[id]; sess != nil {
		return &sessionBits{Status: sess.Status, Commits: sess.Commits, OpenQuestions: sess.OpenQuestions, NextSteps: sess.NextSteps}
	}
	data, err := readFile(s.sessionPath(id))
	if err != nil {
		return nil
	}
	if onlyQuestions && bytes.Contains(data, noOpenQuestions) {
		return &sessionBits{}
	}
	sess, err := DecodeSession(data)
	if err != nil {
		return nil // warned about by the listings
	}
	return &sessionBits{Status: sess.Status, Commits: sess.Commits, OpenQuestions: sess.OpenQuestions, NextSteps: sess.NextSteps}
}

// refreshProjectStateLocked writes the derived state of a project (see
// projectState); the caller holds the project's lock.
func (s *Store) refreshProjectStateLocked(slug string, idx map[string]session.IndexEntry, rf *refresh) error {
	ps, err := s.projectState(slug, idx, rf)
	if err != nil || ps == nil {
		return err
	}
	return s.writeProjectState(ps)
}

// projectStateFile is the file of projectState, or nil when the state is
// left as it is.
func (s *Store) projectStateFile(slug string, idx map[string]session.IndexEntry, rf *refresh) ([]byte, error) {
	ps, err := s.projectState(slug, idx, rf)
	if err != nil || ps == nil {
		return nil, err
	}
	return marshal(ps)
}

// projectState derives counts, last activity, recent commits, open
// questions and next steps from the project's sessions, keeping the phase
// and roadmap that update-project-state set. As the original's
// _refresh_project_state, it counts only the sessions the index lists:
// once archived (and the project refreshed), a session counts no more. It
// reads the index (unless
// given idx, the project's entries) and only the session files it needs:
// the ten newest, the active and parked ones (most of them only as far as
// their open questions), and the newest completed or parked ones until one
// has next steps. Sessions in mem are taken from there, not from their
// files: a change about to be put in place. A state file that cannot be
// read is left alone (nil), with a warning.
func (s *Store) projectState(slug string, idx map[string]session.IndexEntry, rf *refresh) (*session.ProjectState, error) {
	old, err := s.readProjectState(slug)
	switch {
	case isNotExist(err):
		old = &session.ProjectState{ProjectSlug: slug}
		old.Normalize()
	case err != nil:
		s.warnf("not refreshing project state of %s: %v (fix or remove projects/%s.json)", slug, err, slug)
		return nil, nil
	}
	if idx == nil {
		if idx, err = s.loadProjectIndex(slug); err != nil {
			return nil, err
		}
	}
	ids := selectIDs(idx, Filter{Project: slug})
	ps := &session.ProjectState{
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
	for _, id := range ids {
		switch idx[id].Status {
		case session.StatusActive:
			ps.ActiveSessions++
		case session.StatusParked:
			ps.ParkedSessions++
		}
	}
	b := s.readProjectBits(ids, idx, rf.sessions())
	ps.RecentCommits = b.recentCommits(ids)
	ps.OpenQuestions = b.openQuestions(ids)
	if next := b.nextUp(ids); next != nil {
		ps.RoadmapSummary.NextUp = next
	}
	ps.Normalize()
	return ps, nil
}

// projectBits is what a project's state needs of its session files, read
// as far as needed.
type projectBits struct {
	s    *Store
	idx  map[string]session.IndexEntry
	mem  map[string]*session.Session
	bits map[string]*sessionBits
}

// readProjectBits reads on every core the ten newest sessions of ids whole,
// and the active and parked ones for their open questions.
func (s *Store) readProjectBits(ids []string, idx map[string]session.IndexEntry, mem map[string]*session.Session) *projectBits {
	var toRead []string
	whole := make(map[string]bool)
	for i, id := range ids {
		st := idx[id].Status
		if i < 10 {
			whole[id] = true
		}
		if i < 10 || st == session.StatusActive || st == session.StatusParked {
			toRead = append(toRead, id)
		}
	}
	read := make([]*sessionBits, len(toRead))
	parallel(len(toRead), func(i int) { read[i] = s.readBits(toRead[i], !whole[toRead[i]], mem) })
	b := &projectBits{s: s, idx: idx, mem: mem, bits: make(map[string]*sessionBits, len(toRead))}
	for i, id := range toRead {
		b.bits[id] = read[i]
	}
	return b
}

// whole is the bits of one session read whole, reading it if need be.
func (b *projectBits) whole(id string) *sessionBits {
	sb, ok := b.bits[id]
	if !ok || (sb != nil && sb.Status == "") {
		sb = b.s.readBits(id, false, b.mem)
		b.bits[id] = sb
	}
	return sb
}

// recentCommits is the first ten commits of the ten newest sessions.
func (b *projectBits) recentCommits(ids []string) []session.Commit {
	commits := []session.Commit{}
	for i := 0; i < len(ids) && i < 10; i++ {
		if sb := b.bits[ids[i]]; sb != nil && len(commits) < 10 {
			commits = append(commits, sb.Commits...)
		}
	}
	if len(commits) > 10 {
		commits = commits[:10]
	}
	return commits
}

// openQuestions is the open questions of the active and parked sessions,
// once each.
func (b *projectBits) openQuestions(ids []string) []string {
	questions := []string{}
	seen := make(map[string]bool)
	for _, id := range ids {
		if st := b.idx[id].Status; st != session.StatusActive && st != session.StatusParked {
			continue
		}
		sb := b.bits[id]
		if sb == nil {
			continue
		}
		for _, q := range sb.OpenQuestions {
			if !seen[q] {
				seen[q] = true
				questions = append(questions, q)
			}
		}
	}
	return questions
}

// nextUp is the next steps of the newest completed or parked session that
// has some, or nil.
func (b *projectBits) nextUp(ids []string) []string {
	for _, id := range ids {
		if st := b.idx[id].Status; st != session.StatusCompleted && st != session.StatusParked {
			continue
		}
		if sb := b.whole(id); sb != nil && len(sb.NextSteps) > 0 {
			next := sb.NextSteps
			if len(next) > session.MaxNextSteps {
				next = next[:session.MaxNextSteps]
			}
			return next
		}
	}
	return nil
}

// refresh is what a refresh of a project's state knows of the change it is
// part of; nil for a repair, which knows nothing of it.
type refresh struct {
	mem map[string]*session.Session // sessions about to be written, by id
}

func (rf *refresh) sessions() map[string]*session.Session {
	if rf == nil {
		return nil
	}
	return rf.mem
}
