package store

import (
	"errors"
	"fmt"
	"strings"
)

// errUnchanged tells update that a change function left the session as it
// was, so nothing is written.
var errUnchanged = errors.New("unchanged")

// change is a read-modify-write of one session, run under its lock. It
// returns errUnchanged to write nothing, or an error to abort.
type change func(sess *Session, now string) error

// update runs fn on session id under its lock and puts the result in place
// with its index entry and, when refresh is set or the status changed, its
// project's state: all of it or none. It is the one write path for
// existing sessions.
func (s *Store) update(id string, refresh bool, fn change) (*Session, error) {
	var out *Session
	err := s.withLocks(func(h *held) error {
		sess, err := s.lockSession(h, id)
		if err != nil {
			return err
		}
		before := sess.Status
		err = fn(sess, s.nowString())
		if errors.Is(err, errUnchanged) {
			out = sess
			return nil
		}
		if err != nil {
			return err
		}
		c := changeSet{replace: []*Session{sess}}
		// A change of status changes the project's state. Its lock is
		// taken before the index is, so that the index this refresh reads
		// cannot miss a change another writer of the project has made.
		if refresh || sess.Status != before {
			if err := h.take(kindProject, sess.ProjectSlug); err != nil {
				return err
			}
			c.projects = []string{sess.ProjectSlug}
		}
		if err := s.apply(h, c); err != nil {
			return err
		}
		out = sess
		return nil
	})
	return out, err
}

// lockSession takes the lock of an existing session, not archived, into h
// and reads it.
func (s *Store) lockSession(h *held, id string) (*Session, error) {
	if err := ValidateSessionID(id); err != nil {
		return nil, err
	}
	s.mend()
	if err := s.checkWritable(id); err != nil {
		return nil, err
	}
	if err := s.ensureDirs(); err != nil {
		return nil, err
	}
	if err := h.take(kindSession, id); err != nil {
		return nil, err
	}
	sess, err := s.readSessionFile(s.sessionPath(id))
	if err != nil {
		return nil, s.readError(id, err)
	}
	return sess, nil
}

// readError is the error of a session file that could not be read under its
// lock: gone (archived or removed since the check) or unusable.
func (s *Store) readError(id string, err error) error {
	if isNotExist(err) {
		if cerr := s.checkWritable(id); cerr != nil {
			return cerr
		}
		return notFound("session %s not found", id)
	}
	return fmt.Errorf("read session %s: %w", id, err)
}

// checkWritable tells why session id cannot be changed: it does not exist,
// or it is archived. It returns nil when the session file exists.
func (s *Store) checkWritable(id string) error {
	if exists(s.sessionPath(id)) {
		return nil
	}
	if exists(s.archivedPath(id)) {
		return conflict("session %s is archived; archived sessions are read-only", id)
	}
	return notFound("session %s not found", id)
}

// Session returns a session by id, looking in the archive too.
func (s *Store) Session(id string) (*Session, error) {
	if err := ValidateSessionID(id); err != nil {
		return nil, err
	}
	sess, err := s.readSessionFile(s.sessionPath(id))
	if isNotExist(err) {
		sess, err = s.readSessionFile(s.archivedPath(id))
	}
	if isNotExist(err) {
		return nil, notFound("session %s not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("read session %s: %w", id, err)
	}
	return sess, nil
}

// NewSession are the fields of a session to create. Nil pointers and empty
// strings are left out (the branch defaults to main).
type NewSession struct {
	Project         string
	Intent          string
	RoadmapRef      *string
	GitBranch       string
	WorktreeRoot    *string
	ClaudeSessionID *string
	OpenQuestions   []string
}

func (p *NewSession) clean() error {
	var err error
	if err = ValidateSlug(p.Project); err != nil {
		return err
	}
	if p.Intent, err = cleanText("intent", p.Intent, MaxIntent, line); err != nil {
		return err
	}
	if p.RoadmapRef, err = cleanOptional("roadmap_ref", p.RoadmapRef, MaxRoadmapRef, line); err != nil {
		return err
	}
	if p.GitBranch == "" {
		p.GitBranch = "main"
	}
	if err = ValidateBranch(p.GitBranch); err != nil {
		return err
	}
	if p.WorktreeRoot, err = cleanOptional("worktree_root", p.WorktreeRoot, MaxWorktreeRoot, line); err != nil {
		return err
	}
	if p.ClaudeSessionID, err = cleanOptional("claude_session_id", p.ClaudeSessionID, MaxClaudeSessionID, line); err != nil {
		return err
	}
	return nil
}

// CreateSession creates an active session. It never overwrites a session: a
// clash of ids draws a new one.
func (s *Store) CreateSession(p NewSession) (*Session, error) {
	if err := p.clean(); err != nil {
		return nil, err
	}
	s.mend()
	if err := s.ensureDirs(); err != nil {
		return nil, err
	}
	var out *Session
	err := s.withLocks(func(h *held) error {
		sess, err := s.newLocked(h, p)
		if err != nil {
			return err
		}
		if err := h.take(kindProject, sess.ProjectSlug); err != nil {
			return err
		}
		if err := s.apply(h, changeSet{create: []*Session{sess}, projects: []string{sess.ProjectSlug}}); err != nil {
			return err
		}
		out = sess
		return nil
	})
	return out, err
}

// newLocked draws a free id for a new session, takes its lock into h and
// returns the session, not yet written.
func (s *Store) newLocked(h *held, p NewSession) (*Session, error) {
	for attempt := 0; attempt < 100; attempt++ {
		id, err := s.newSessionID()
		if err != nil {
			return nil, err
		}
		if exists(s.sessionPath(id)) || exists(s.archivedPath(id)) {
			continue
		}
		if err := h.take(kindSession, id); err != nil {
			return nil, err
		}
		// Under the lock: another process may have drawn the same id.
		if exists(s.sessionPath(id)) || exists(s.archivedPath(id)) {
			continue
		}
		now := s.nowString()
		sess := &Session{
			SessionID:       id,
			ProjectSlug:     p.Project,
			Status:          StatusActive,
			Intent:          p.Intent,
			RoadmapRef:      p.RoadmapRef,
			StartedAt:       now,
			LastHeartbeat:   now,
			GitBranch:       p.GitBranch,
			WorktreeRoot:    p.WorktreeRoot,
			ClaudeSessionID: p.ClaudeSessionID,
			OpenQuestions:   append([]string(nil), p.OpenQuestions...),
		}
		sess.normalize()
		return sess, nil
	}
	return nil, fmt.Errorf("create session: no free session id after 100 tries")
}

// SessionPatch are the fields update-session may set; nil leaves one as is.
type SessionPatch struct {
	Intent          *string
	CurrentActivity *string
	RoadmapRef      *string
}

// UpdateSession sets intent, current activity or roadmap ref. It does not
// touch the heartbeat.
func (s *Store) UpdateSession(id string, p SessionPatch) (*Session, error) {
	var err error
	if p.Intent, err = cleanOptional("intent", p.Intent, MaxIntent, line); err != nil {
		return nil, err
	}
	if p.CurrentActivity, err = cleanOptional("current_activity", p.CurrentActivity, MaxActivity, line); err != nil {
		return nil, err
	}
	if p.RoadmapRef, err = cleanOptional("roadmap_ref", p.RoadmapRef, MaxRoadmapRef, line); err != nil {
		return nil, err
	}
	return s.update(id, false, func(sess *Session, now string) error {
		if p.Intent == nil && p.CurrentActivity == nil && p.RoadmapRef == nil {
			return errUnchanged
		}
		if p.Intent != nil {
			sess.Intent = *p.Intent
		}
		if p.CurrentActivity != nil {
			sess.CurrentActivity = p.CurrentActivity
		}
		if p.RoadmapRef != nil {
			sess.RoadmapRef = p.RoadmapRef
		}
		return nil
	})
}

// AddEvent appends an event to the session's log.
func (s *Store) AddEvent(id, message string) (*Session, error) {
	message, err := cleanText("message", message, MaxMessage, note)
	if err != nil {
		return nil, err
	}
	return s.update(id, false, func(sess *Session, now string) error {
		sess.Events = append(sess.Events, Event{Timestamp: now, Message: message})
		sess.LastHeartbeat = now
		return nil
	})
}

// AddCommit records a commit, once per sha (compared on its first seven
// characters).
func (s *Store) AddCommit(id, sha, message string) (*Session, error) {
	if err := ValidateSHA(sha); err != nil {
		return nil, err
	}
	message, err := cleanText("message", message, MaxMessage, note)
	if err != nil {
		return nil, err
	}
	return s.update(id, false, func(sess *Session, now string) error {
		if !hasCommit(sess.Commits, sha) {
			if len(sess.Commits) >= MaxCommits {
				return invalid("commits", "session already has %d commits (max %d)", len(sess.Commits), MaxCommits)
			}
			sess.Commits = append(sess.Commits, Commit{SHA: sha, Message: message})
		}
		sess.LastHeartbeat = now
		return nil
	})
}

func shortSHA(sha string) string {
	if len(sha) > 7 {
		sha = sha[:7]
	}
	return strings.ToLower(sha)
}

func hasCommit(commits []Commit, sha string) bool {
	short := shortSHA(sha)
	for _, c := range commits {
		if shortSHA(c.SHA) == short {
			return true
		}
	}
	return false
}

// AddDecision records a decision, once per text.
func (s *Store) AddDecision(id, decision string) (*Session, error) {
	decision, err := cleanText("decision", decision, MaxDecision, note)
	if err != nil {
		return nil, err
	}
	return s.update(id, false, func(sess *Session, now string) error {
		if !contains(sess.Decisions, decision) {
			sess.Decisions = append(sess.Decisions, decision)
		}
		sess.LastHeartbeat = now
		return nil
	})
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// DefaultActionReason is the awaiting-action reason when none is given.
const DefaultActionReason = "Waiting for user action"

// RequestAction flags the session as waiting for the user.
func (s *Store) RequestAction(id string, reason *string) (*Session, error) {
	r := DefaultActionReason
	if reason != nil {
		var err error
		if r, err = cleanText("reason", *reason, MaxReason, note); err != nil {
			return nil, err
		}
	}
	return s.update(id, false, func(sess *Session, now string) error {
		sess.AwaitingAction = &r
		sess.LastHeartbeat = now
		return nil
	})
}

// ClearAction clears the awaiting-action flag.
func (s *Store) ClearAction(id string) (*Session, error) {
	return s.update(id, false, func(sess *Session, now string) error {
		sess.AwaitingAction = nil
		sess.LastHeartbeat = now
		return nil
	})
}

// AddTasks adds pending tasks, skipping subjects the session already has.
func (s *Store) AddTasks(id string, subjects []string) (*Session, error) {
	if len(subjects) == 0 {
		return nil, invalid("subjects", "give at least one task subject")
	}
	subjects, err := cleanList("subject", subjects, MaxTaskSubject, 0, line)
	if err != nil {
		return nil, err
	}
	return s.update(id, false, func(sess *Session, now string) error {
		for _, subj := range subjects {
			if hasTaskSubject(sess.Tasks, subj, "") {
				continue
			}
			tid, err := s.randHex(4)
			if err != nil {
				return err
			}
			sess.Tasks = append(sess.Tasks, Task{ID: "t" + tid, Subject: subj, Status: TaskPending, AddedAt: now, UpdatedAt: now})
		}
		sess.LastHeartbeat = now
		return nil
	})
}

func hasTaskSubject(tasks []Task, subject, exceptID string) bool {
	for _, t := range tasks {
		if t.Subject == subject && t.ID != exceptID {
			return true
		}
	}
	return false
}

// UpdateTask sets a task's status and, optionally, renames it.
func (s *Store) UpdateTask(id, taskID string, status TaskStatus, subject *string) (*Session, error) {
	if taskID == "" || len(taskID) > MaxTaskID || strings.ContainsFunc(taskID, func(r rune) bool { return r < 0x21 || r == 0x7f }) {
		return nil, invalid("task_id", "invalid task id %q", clip(taskID))
	}
	if !status.Valid() {
		return nil, invalid("status", "invalid task status %q (pending, in_progress, completed or skipped)", clip(string(status)))
	}
	subject, err := cleanOptional("subject", subject, MaxTaskSubject, line)
	if err != nil {
		return nil, err
	}
	return s.update(id, false, func(sess *Session, now string) error {
		for i := range sess.Tasks {
			t := &sess.Tasks[i]
			if t.ID != taskID {
				continue
			}
			if subject != nil {
				if hasTaskSubject(sess.Tasks, *subject, taskID) {
					return conflict("task subject %q already exists in session %s", clip(*subject), id)
				}
				t.Subject = *subject
			}
			t.Status = status
			t.UpdatedAt = now
			sess.LastHeartbeat = now
			return nil
		}
		return notFound("task %s not found in session %s", taskID, id)
	})
}

// Heartbeat refreshes last_heartbeat of an active session; any other
// session is returned unchanged.
func (s *Store) Heartbeat(id string) (*Session, error) {
	return s.update(id, false, func(sess *Session, now string) error {
		if sess.Status != StatusActive {
			return errUnchanged
		}
		sess.LastHeartbeat = now
		return nil
	})
}

// HeartbeatProject refreshes the most recently started active session of a
// project, and only that one, so that older ones can go stale. It returns
// the ids it refreshed.
func (s *Store) HeartbeatProject(slug string) ([]string, error) {
	if err := ValidateSlug(slug); err != nil {
		return nil, err
	}
	s.mend()
	idx, err := s.loadProjectIndex(slug)
	if err != nil {
		return nil, err
	}
	ids := selectIDs(idx, Filter{Project: slug, Status: StatusActive})
	for _, id := range ids {
		sess, err := s.Heartbeat(id)
		if err != nil {
			if ErrorCode(err) == CodeNotFound || ErrorCode(err) == CodeConflict {
				continue // gone or archived since the index was read
			}
			return nil, err
		}
		if sess.Status == StatusActive {
			return []string{id}, nil
		}
	}
	return []string{}, nil
}

// keepSteps cleans next steps and keeps the first three.
func keepSteps(steps []string) ([]string, error) {
	steps, err := cleanList("next_steps", steps, MaxListText, 0, note)
	if err != nil {
		return nil, err
	}
	if len(steps) > MaxNextSteps {
		steps = steps[:MaxNextSteps]
	}
	return steps, nil
}

// ParkSession parks an active (or re-parks a parked) session. Nil next steps
// keep the session's own.
func (s *Store) ParkSession(id, reason string, nextSteps []string) (*Session, error) {
	reason, err := cleanText("reason", reason, MaxReason, note)
	if err != nil {
		return nil, err
	}
	if nextSteps != nil {
		if nextSteps, err = keepSteps(nextSteps); err != nil {
			return nil, err
		}
	}
	return s.update(id, true, func(sess *Session, now string) error {
		if sess.Status == StatusCompleted {
			return conflict("session %s is completed and cannot be parked", id)
		}
		sess.Status = StatusParked
		sess.EndedAt = &now
		sess.ParkedReason = &reason
		if nextSteps != nil {
			sess.NextSteps = nextSteps
		}
		return nil
	})
}

// Completion is what complete-session records; nil lists keep the session's.
type Completion struct {
	Outcome      string
	NextSteps    []string
	Commits      []Commit
	FilesChanged []string
	Decisions    []string
}

func (c *Completion) clean() error {
	var err error
	if c.Outcome, err = cleanText("outcome", c.Outcome, MaxOutcome, note); err != nil {
		return err
	}
	if c.NextSteps != nil {
		if c.NextSteps, err = keepSteps(c.NextSteps); err != nil {
			return err
		}
	}
	if c.Commits != nil {
		if c.Commits, err = CleanCommits(c.Commits); err != nil {
			return err
		}
	}
	if c.FilesChanged != nil {
		if c.FilesChanged, err = cleanList("files_changed", c.FilesChanged, MaxFilePath, MaxFilesChanged, line); err != nil {
			return err
		}
	}
	if c.Decisions != nil {
		if c.Decisions, err = cleanList("decisions", c.Decisions, MaxDecision, 0, note); err != nil {
			return err
		}
	}
	return nil
}

// CleanCommits validates a list of commits (as complete-session's --commits
// gives it): at most MaxCommits, each with a valid sha and a message.
func CleanCommits(commits []Commit) ([]Commit, error) {
	if len(commits) > MaxCommits {
		return nil, invalid("commits", "too many commits (%d, max %d)", len(commits), MaxCommits)
	}
	out := make([]Commit, 0, len(commits))
	for i, c := range commits {
		if !isSHA(c.SHA) {
			return nil, invalid(fmt.Sprintf("commits[%d].sha", i), "invalid commit sha %q (4 to 40 hex digits)", clip(c.SHA))
		}
		msg, err := cleanText(fmt.Sprintf("commits[%d].message", i), c.Message, MaxMessage, note)
		if err != nil {
			return nil, err
		}
		out = append(out, Commit{SHA: c.SHA, Message: msg})
	}
	return out, nil
}

// CompleteSession completes an active or parked session.
func (s *Store) CompleteSession(id string, c Completion) (*Session, error) {
	if err := c.clean(); err != nil {
		return nil, err
	}
	return s.update(id, true, func(sess *Session, now string) error {
		if sess.Status == StatusCompleted {
			return conflict("session %s is already completed", id)
		}
		sess.Status = StatusCompleted
		sess.EndedAt = &now
		sess.Outcome = &c.Outcome
		if c.NextSteps != nil {
			sess.NextSteps = c.NextSteps
		}
		if c.Commits != nil {
			sess.Commits = c.Commits
		}
		if c.FilesChanged != nil {
			sess.FilesChanged = c.FilesChanged
		}
		if c.Decisions != nil {
			sess.Decisions = c.Decisions
		}
		return nil
	})
}

// ResumeSession continues a parked session as a new active one, which
// carries its intent (or newIntent), roadmap ref, branch, work tree and open
// questions; the parked one is completed with the outcome "Resumed as <new
// id>". Both go in together, or neither.
func (s *Store) ResumeSession(id string, newIntent *string) (*Session, error) {
	newIntent, err := cleanOptional("intent", newIntent, MaxIntent, line)
	if err != nil {
		return nil, err
	}
	var out *Session
	err = s.withLocks(func(h *held) error {
		old, err := s.lockSession(h, id)
		if err != nil {
			return err
		}
		if old.Status != StatusParked {
			return conflict("session %s is %s; only a parked session can be resumed", id, old.Status)
		}
		created, err := s.newLocked(h, resumed(old, newIntent))
		if err != nil {
			return err
		}
		now := s.nowString()
		old.Status = StatusCompleted
		old.EndedAt = &now
		outcome := "Resumed as " + created.SessionID
		old.Outcome = &outcome
		if err := h.take(kindProject, old.ProjectSlug); err != nil {
			return err
		}
		c := changeSet{create: []*Session{created}, replace: []*Session{old}, projects: []string{old.ProjectSlug}}
		if err := s.apply(h, c); err != nil {
			return err
		}
		out = created
		return nil
	})
	return out, err
}

// resumed is the new session that continues old.
func resumed(old *Session, newIntent *string) NewSession {
	p := NewSession{
		Project:       old.ProjectSlug,
		Intent:        old.Intent,
		RoadmapRef:    old.RoadmapRef,
		GitBranch:     old.GitBranch,
		WorktreeRoot:  old.WorktreeRoot,
		OpenQuestions: old.OpenQuestions,
	}
	if newIntent != nil {
		p.Intent = *newIntent
	}
	if ValidateBranch(p.GitBranch) != nil {
		p.GitBranch = "main"
	}
	return p
}
