package store

import (
	"fmt"
	"strings"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/derived"
)

// change is a read-modify-write of one session, run under its lock. It
// returns ErrUnchanged to write nothing, or an error to abort.
type change func(sess *session.Session, now string) error

// update is UpdateOne: the one write path of the store's one-session
// commands.
func (s *Store) update(id string, refresh bool, fn change) (*session.Session, error) {
	return UpdateOne(s, id, refresh, fn)
}

// lockSession takes the lock of an existing session, not archived, into h
// and reads it. The store's folders are made (once a change: dirsMade) only
// for a session that is there, so a change of a missing one makes none.
// A batch (inBatch) has its ids from the index and is told of one gone
// since by the read, as readError says: it spares a look per session.
func (s *Store) lockSession(h *held, id string, dirsMade *bool, inBatch bool) (*session.Session, error) {
	if err := session.ValidateSessionID(id); err != nil {
		return nil, err
	}
	s.mend()
	if !inBatch {
		if err := s.checkWritable(id); err != nil {
			return nil, err
		}
	}
	if !*dirsMade {
		if err := s.ensureDirs(); err != nil {
			return nil, err
		}
		*dirsMade = true
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
		return session.NotFound("session %s not found", id)
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
		return session.Conflict("session %s is archived; archived sessions are read-only", id)
	}
	return session.NotFound("session %s not found", id)
}

// sessionByID returns a session by id, looking in the archive too.
func (s *Store) sessionByID(id string) (*session.Session, error) {
	if err := session.ValidateSessionID(id); err != nil {
		return nil, err
	}
	sess, err := s.readSessionFile(s.sessionPath(id))
	if isNotExist(err) {
		sess, err = s.readSessionFile(s.archivedPath(id))
	}
	if isNotExist(err) {
		return nil, session.NotFound("session %s not found", id)
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
	Title           *string // Claude Code's title of the conversation
	Hooked          bool    // a hook registers it: its live state starts (idle)
	Continues       *string // the session it carries on
	Window          string  // the Claude Code window it runs in (see Launch)
}

// Clean validates the fields and cleans them as a create would: a caller
// that must know a session can be made before it does more (a launch,
// before it claims its conversation) asks here.
func (p *NewSession) Clean() error { return p.clean() }

func (p *NewSession) clean() error {
	var err error
	if err = session.ValidateSlug(p.Project); err != nil {
		return err
	}
	if p.Intent, err = session.CleanText("intent", p.Intent, session.MaxIntent, session.Line); err != nil {
		return err
	}
	if p.RoadmapRef, err = session.CleanOptional("roadmap_ref", p.RoadmapRef, session.MaxRoadmapRef, session.Line); err != nil {
		return err
	}
	if p.GitBranch == "" {
		p.GitBranch = "main"
	}
	if err = session.ValidateBranch(p.GitBranch); err != nil {
		return err
	}
	if p.WorktreeRoot, err = session.CleanOptional("worktree_root", p.WorktreeRoot, session.MaxWorktreeRoot, session.Line); err != nil {
		return err
	}
	if p.ClaudeSessionID, err = session.CleanOptional("claude_session_id", p.ClaudeSessionID, session.MaxClaudeSessionID, session.Line); err != nil {
		return err
	}
	if p.Title, err = session.CleanOptional("title", p.Title, session.MaxIntent, session.Line); err != nil {
		return err
	}
	if p.Window != "" && !derived.SafeName(p.Window) {
		p.Window = "" // not an identity: none
	}
	return nil
}

// CreateSession creates an active session. It never overwrites a session: a
// clash of ids draws a new one.
func (s *Store) CreateSession(p NewSession) (*session.Session, error) {
	var out *session.Session
	err := s.Update(nil, func(tx *Tx) error {
		var err error
		out, err = tx.Create(p)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// newLocked draws a free id for a new session, takes its lock into h and
// returns the session, not yet written.
func (s *Store) newLocked(h *held, p NewSession) (*session.Session, error) {
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
		sess := &session.Session{
			SessionID:       id,
			ProjectSlug:     p.Project,
			Status:          session.StatusActive,
			Intent:          p.Intent,
			RoadmapRef:      p.RoadmapRef,
			StartedAt:       now,
			LastHeartbeat:   now,
			GitBranch:       p.GitBranch,
			WorktreeRoot:    p.WorktreeRoot,
			ClaudeSessionID: p.ClaudeSessionID,
			OpenQuestions:   append([]string(nil), p.OpenQuestions...),
			Title:           p.Title,
			Continues:       p.Continues,
		}
		if p.Window != "" {
			sess.Window = &p.Window
		}
		if p.Hooked {
			sess.SetState(session.StateIdle, "", now)
		}
		sess.Normalize()
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
func (s *Store) UpdateSession(id string, p SessionPatch) (*session.Session, error) {
	var err error
	if p.Intent, err = session.CleanOptional("intent", p.Intent, session.MaxIntent, session.Line); err != nil {
		return nil, err
	}
	if p.CurrentActivity, err = session.CleanOptional("current_activity", p.CurrentActivity, session.MaxActivity, session.Line); err != nil {
		return nil, err
	}
	if p.RoadmapRef, err = session.CleanOptional("roadmap_ref", p.RoadmapRef, session.MaxRoadmapRef, session.Line); err != nil {
		return nil, err
	}
	return s.update(id, false, func(sess *session.Session, now string) error {
		if p.Intent == nil && p.CurrentActivity == nil && p.RoadmapRef == nil {
			return ErrUnchanged
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
func (s *Store) AddEvent(id, message string) (*session.Session, error) {
	message, err := session.CleanText("message", message, session.MaxMessage, session.Note)
	if err != nil {
		return nil, err
	}
	return s.update(id, false, func(sess *session.Session, now string) error {
		sess.Events = append(sess.Events, session.Event{Timestamp: now, Message: message})
		sess.LastHeartbeat = now
		return nil
	})
}

// AddCommit records a commit, once per sha (compared on its first seven
// characters).
func (s *Store) AddCommit(id, sha, message string) (*session.Session, error) {
	if err := session.ValidateSHA(sha); err != nil {
		return nil, err
	}
	message, err := session.CleanText("message", message, session.MaxMessage, session.Note)
	if err != nil {
		return nil, err
	}
	return s.update(id, false, func(sess *session.Session, now string) error {
		if !session.HasCommit(sess.Commits, sha) {
			if len(sess.Commits) >= session.MaxCommits {
				return session.Invalid("commits", "session already has %d commits (max %d)", len(sess.Commits), session.MaxCommits)
			}
			sess.Commits = append(sess.Commits, session.Commit{SHA: sha, Message: message})
		}
		sess.LastHeartbeat = now
		return nil
	})
}

// AddDecision records a decision, once per text.
func (s *Store) AddDecision(id, decision string) (*session.Session, error) {
	decision, err := session.CleanText("decision", decision, session.MaxDecision, session.Note)
	if err != nil {
		return nil, err
	}
	return s.update(id, false, func(sess *session.Session, now string) error {
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
func (s *Store) RequestAction(id string, reason *string) (*session.Session, error) {
	r := DefaultActionReason
	if reason != nil {
		var err error
		if r, err = session.CleanText("reason", *reason, session.MaxReason, session.Note); err != nil {
			return nil, err
		}
	}
	return s.update(id, false, func(sess *session.Session, now string) error {
		sess.AwaitingAction = &r
		sess.LastHeartbeat = now
		return nil
	})
}

// ClearAction clears the awaiting-action flag.
func (s *Store) ClearAction(id string) (*session.Session, error) {
	return s.update(id, false, func(sess *session.Session, now string) error {
		sess.AwaitingAction = nil
		sess.LastHeartbeat = now
		return nil
	})
}

// AddTasks adds pending tasks, skipping subjects the session already has.
func (s *Store) AddTasks(id string, subjects []string) (*session.Session, error) {
	if len(subjects) == 0 {
		return nil, session.Invalid("subjects", "give at least one task subject")
	}
	subjects, err := session.CleanList("subject", subjects, session.MaxTaskSubject, 0, session.Line)
	if err != nil {
		return nil, err
	}
	return s.update(id, false, func(sess *session.Session, now string) error {
		for _, subj := range subjects {
			if session.HasTaskSubject(sess.Tasks, subj, "") {
				continue
			}
			tid, err := s.randHex(4)
			if err != nil {
				return err
			}
			sess.Tasks = append(sess.Tasks, session.Task{ID: "t" + tid, Subject: subj, Status: session.TaskPending, AddedAt: now, UpdatedAt: now})
		}
		sess.LastHeartbeat = now
		return nil
	})
}

// UpdateTask sets a task's status and, optionally, renames it.
func (s *Store) UpdateTask(id, taskID string, status session.TaskStatus, subject *string) (*session.Session, error) {
	if taskID == "" || len(taskID) > session.MaxTaskID || strings.ContainsFunc(taskID, func(r rune) bool { return r < 0x21 || r == 0x7f }) {
		return nil, session.Invalid("task_id", "invalid task id %q", session.Clip(taskID))
	}
	if !status.Valid() {
		return nil, session.Invalid("status", "invalid task status %q (pending, in_progress, completed or skipped)", session.Clip(string(status)))
	}
	subject, err := session.CleanOptional("subject", subject, session.MaxTaskSubject, session.Line)
	if err != nil {
		return nil, err
	}
	return s.update(id, false, func(sess *session.Session, now string) error {
		for i := range sess.Tasks {
			t := &sess.Tasks[i]
			if t.ID != taskID {
				continue
			}
			if subject != nil {
				if session.HasTaskSubject(sess.Tasks, *subject, taskID) {
					return session.Conflict("task subject %q already exists in session %s", session.Clip(*subject), id)
				}
				t.Subject = *subject
			}
			t.Status = status
			t.UpdatedAt = now
			sess.LastHeartbeat = now
			return nil
		}
		return session.NotFound("task %s not found in session %s", taskID, id)
	})
}

// Heartbeat refreshes last_heartbeat of an active session; any other
// session is returned unchanged.
func (s *Store) Heartbeat(id string) (*session.Session, error) {
	return s.update(id, false, func(sess *session.Session, now string) error {
		if sess.Status != session.StatusActive {
			return ErrUnchanged
		}
		sess.LastHeartbeat = now
		return nil
	})
}

// keepSteps cleans next steps and keeps the first three.
func keepSteps(steps []string) ([]string, error) {
	steps, err := session.CleanList("next_steps", steps, session.MaxListText, 0, session.Note)
	if err != nil {
		return nil, err
	}
	if len(steps) > session.MaxNextSteps {
		steps = steps[:session.MaxNextSteps]
	}
	return steps, nil
}

// ParkSession parks an active (or re-parks a parked) session. Nil next steps
// keep the session's own.
func (s *Store) ParkSession(id, reason string, nextSteps []string) (*session.Session, error) {
	reason, err := session.CleanText("reason", reason, session.MaxReason, session.Note)
	if err != nil {
		return nil, err
	}
	if nextSteps != nil {
		if nextSteps, err = keepSteps(nextSteps); err != nil {
			return nil, err
		}
	}
	return s.update(id, true, func(sess *session.Session, now string) error {
		if sess.Status == session.StatusCompleted {
			return session.Conflict("session %s is completed and cannot be parked", id)
		}
		sess.Status = session.StatusParked
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
	Commits      []session.Commit
	FilesChanged []string
	Decisions    []string
}

func (c *Completion) clean() error {
	var err error
	if c.Outcome, err = session.CleanText("outcome", c.Outcome, session.MaxOutcome, session.Note); err != nil {
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
		if c.FilesChanged, err = session.CleanList("files_changed", c.FilesChanged, session.MaxFilePath, session.MaxFilesChanged, session.Line); err != nil {
			return err
		}
	}
	if c.Decisions != nil {
		if c.Decisions, err = session.CleanList("decisions", c.Decisions, session.MaxDecision, 0, session.Note); err != nil {
			return err
		}
	}
	return nil
}

// CleanCommits validates a list of commits (as complete-session's --commits
// gives it): at most MaxCommits, each with a valid sha and a message.
func CleanCommits(commits []session.Commit) ([]session.Commit, error) {
	if len(commits) > session.MaxCommits {
		return nil, session.Invalid("commits", "too many commits (%d, max %d)", len(commits), session.MaxCommits)
	}
	out := make([]session.Commit, 0, len(commits))
	for i, c := range commits {
		if !session.IsSHA(c.SHA) {
			return nil, session.Invalid(fmt.Sprintf("commits[%d].sha", i), "invalid commit sha %q (4 to 40 hex digits)", session.Clip(c.SHA))
		}
		msg, err := session.CleanText(fmt.Sprintf("commits[%d].message", i), c.Message, session.MaxMessage, session.Note)
		if err != nil {
			return nil, err
		}
		out = append(out, session.Commit{SHA: c.SHA, Message: msg})
	}
	return out, nil
}

// CompleteSession completes an active or parked session.
func (s *Store) CompleteSession(id string, c Completion) (*session.Session, error) {
	if err := c.clean(); err != nil {
		return nil, err
	}
	return s.update(id, true, func(sess *session.Session, now string) error {
		if sess.Status == session.StatusCompleted {
			return session.Conflict("session %s is already completed", id)
		}
		sess.Status = session.StatusCompleted
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
func (s *Store) ResumeSession(id string, newIntent *string) (*session.Session, error) {
	newIntent, err := session.CleanOptional("intent", newIntent, session.MaxIntent, session.Line)
	if err != nil {
		return nil, err
	}
	var out *session.Session
	err = s.Update([]string{id}, func(tx *Tx) error {
		old, err := tx.Session(id)
		if err != nil {
			return err
		}
		if old.Status != session.StatusParked {
			return session.Conflict("session %s is %s; only a parked session can be resumed", id, old.Status)
		}
		created, err := tx.Create(resumed(old, newIntent))
		if err != nil {
			return err
		}
		now := tx.Now()
		old.Status = session.StatusCompleted
		old.EndedAt = &now
		outcome := "Resumed as " + created.SessionID
		old.Outcome = &outcome
		out = created
		return tx.Put(old)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// resumed is the new session that continues old.
func resumed(old *session.Session, newIntent *string) NewSession {
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
	if session.ValidateBranch(p.GitBranch) != nil {
		p.GitBranch = "main"
	}
	return p
}
