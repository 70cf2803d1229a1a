package store

import (
	"errors"
	"strings"
	"time"

	"github.com/sess-dev/sess/pkg/session"
)

// Threads: the sessions of conversations that carry each other on. A new
// conversation's session records the one it continues (Continues), the
// one left behind records its successor (ContinuedBy) and ends.

// How a conversation began, as Claude Code's SessionStart says.
const (
	SourceStartup = "startup"
	SourceResume  = "resume"
	SourceClear   = "clear"
	SourceCompact = "compact"
	SourceFork    = "fork"
)

// RecentEnd is how long an ended conversation (SessionEnd, or completed)
// waits to be carried on by a new one in its work tree.
const RecentEnd = 2 * time.Hour

// ContinuedOutcome is the outcome of a session a new one carried on.
func ContinuedOutcome(id string) string { return "Continued in " + id }

// successorIn reads the id of the session that carried sess on: its
// ContinuedBy, or the original's resume outcome ("Resumed as …").
func successorIn(sess *session.Session) string {
	if id := session.Deref(sess.ContinuedBy); id != "" {
		return id
	}
	for _, prefix := range []string{"Resumed as ", "Continued in "} {
		if id, ok := strings.CutPrefix(session.Deref(sess.Outcome), prefix); ok && session.ValidateSessionID(id) == nil {
			return id
		}
	}
	return ""
}

// predecessor finds the session a conversation that begins carries on, by
// place and time (Claude Code gives no link): in the same project and work
// tree, not carried on yet, and never another live window's.
//
//   - clear: the conversation that /clear ended there (its SessionEnd came,
//     reason clear, within RecentEnd); without that, the one other
//     conversation there that is idle, if it is the only one.
//   - resume, fork: the conversation's own last session when it is no
//     longer active (the pointer); else the newest session there that
//     ended within RecentEnd or is parked.
//   - startup: the newest session there that is parked, or ended within
//     RecentEnd.
//   - compact: none (the same conversation goes on).
func (s *Store) predecessor(l Launch, slug, cid string) *session.Session {
	if l.Source == SourceResume || l.Source == SourceFork {
		if sess := s.lastOf(cid); sess != nil && sess.Status != session.StatusActive && successorIn(sess) == "" {
			return sess
		}
	}
	if l.Source == SourceCompact || l.Source == "" || l.WorktreeRoot == nil {
		return nil
	}
	cands := s.threadCandidates(slug, *l.WorktreeRoot, cid)
	now := s.now()
	recent := func(t string) bool {
		at, err := session.ParseTime(t)
		return err == nil && now.Sub(at) <= RecentEnd
	}
	if l.Source == SourceClear {
		var idle []*session.Session
		for _, c := range cands {
			if c.Status != session.StatusActive {
				continue
			}
			if session.Deref(c.State) == session.StateEnded && session.Deref(c.StateReason) == "clear" && recent(session.Deref(c.StateSince)) {
				return c // newest first: the one /clear just ended
			}
			if session.LiveState(c, now, 1<<20).State == session.StateIdle && c.ClaudeSessionID != nil {
				idle = append(idle, c)
			}
		}
		if len(idle) == 1 {
			return idle[0]
		}
		return nil
	}
	for _, c := range cands {
		switch {
		case c.Status == session.StatusParked:
			return c
		case c.Status == session.StatusActive && session.Deref(c.State) == session.StateEnded && recent(session.Deref(c.StateSince)):
			return c
		case c.Status == session.StatusCompleted && recent(session.Deref(c.EndedAt)):
			return c
		}
	}
	return nil
}

// threadCandidates are the project's sessions in the work tree that a new
// conversation may carry on, newest first: active or parked, or completed
// within RecentEnd; not carried on yet; not of the conversation itself.
func (s *Store) threadCandidates(slug, worktree, cid string) []*session.Session {
	idx, err := s.loadIndexWith("project_slug", slug)
	if err != nil {
		return nil
	}
	cutoff := s.now().Add(-RecentEnd)
	var ids []string
	for _, id := range selectIDs(idx, Filter{Project: slug}) {
		e := idx[id]
		if e.Status == session.StatusCompleted {
			if end, err := session.ParseTime(session.Deref(e.EndedAt)); err != nil || end.Before(cutoff) {
				continue
			}
		}
		ids = append(ids, id)
	}
	var out []*session.Session
	for _, sess := range s.readSessions(ids, s.sessionPath) {
		if session.Deref(sess.WorktreeRoot) == worktree && successorIn(sess) == "" && session.Deref(sess.ClaudeSessionID) != cid {
			out = append(out, sess)
		}
	}
	return out
}

// lastOf is the session the conversation's pointer names, whatever its
// status; nil when there is none.
func (s *Store) lastOf(cid string) *session.Session {
	p := s.pointerPath(cid)
	if p == "" {
		return nil
	}
	id, err := readPointer(p)
	if err != nil {
		return nil
	}
	sess, err := s.readSessionFile(s.sessionPath(id))
	if err != nil || session.Deref(sess.ClaudeSessionID) != cid {
		return nil
	}
	return sess
}

// createContinuing creates the session of a conversation that carries on
// pred, and ends pred, in one change: pred records its successor and, if it
// was active or parked, is completed with an outcome that names it (unless
// it has one). A resumed or forked conversation, or one that takes up a
// parked session, keeps pred's intent, roadmap reference and open
// questions; after /clear or in a new window the first prompt sets them.
// If pred was carried on meanwhile, the session is created unlinked.
func (s *Store) createContinuing(p NewSession, predID, source string) (*session.Session, error) {
	if err := p.clean(); err != nil {
		return nil, err
	}
	var out *session.Session
	err := s.withLocks(func(h *held) error {
		pred, err := s.lockSession(h, predID)
		if err != nil || successorIn(pred) != "" || pred.ProjectSlug != p.Project {
			return errUnchanged
		}
		if source == SourceResume || source == SourceFork || pred.Status == session.StatusParked {
			if !IsLaunchIntent(pred.Intent) {
				p.Intent = pred.Intent
			}
			p.RoadmapRef, p.OpenQuestions = pred.RoadmapRef, pred.OpenQuestions
		}
		p.Continues = &predID
		sess, err := s.newLocked(h, p)
		if err != nil {
			return err
		}
		now := s.nowString()
		pred.ContinuedBy = &sess.SessionID
		if pred.Status != session.StatusCompleted {
			if pred.Status == session.StatusActive {
				setState(pred, session.StateEnded, "continued", now)
			}
			pred.Status, pred.EndedAt = session.StatusCompleted, &now
			if pred.Outcome == nil {
				outcome := ContinuedOutcome(sess.SessionID)
				pred.Outcome = &outcome
			}
		}
		if err := h.take(kindProject, p.Project); err != nil {
			return err
		}
		c := changeSet{create: []*session.Session{sess}, replace: []*session.Session{pred}, projects: []string{p.Project}}
		if err := s.apply(h, c); err != nil {
			return err
		}
		out = sess
		return nil
	})
	if errors.Is(err, errUnchanged) {
		return s.CreateSession(p)
	}
	return out, err
}

// MaxThread bounds how many sessions a thread is followed through.
const MaxThread = 50

// Thread is the thread of session id, oldest first: the sessions it
// carries on (by Continues) and those that carried it on (by ContinuedBy,
// or the original's "Resumed as" outcome), archived ones included.
func (s *Store) Thread(id string) ([]*session.Session, error) {
	sess, err := s.Session(id)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{sess.SessionID: true}
	var before []*session.Session
	for p := sess; len(before) < MaxThread; {
		prev := session.Deref(p.Continues)
		if prev == "" || seen[prev] {
			break
		}
		if p, err = s.Session(prev); err != nil {
			break // a link to a session that is gone
		}
		seen[prev] = true
		before = append(before, p)
	}
	out := make([]*session.Session, 0, len(before)+1)
	for i := len(before) - 1; i >= 0; i-- {
		out = append(out, before[i])
	}
	out = append(out, sess)
	for n := sess; len(out) < MaxThread; {
		next := successorIn(n)
		if next == "" || seen[next] {
			break
		}
		if n, err = s.Session(next); err != nil {
			break
		}
		seen[next] = true
		out = append(out, n)
	}
	return out, nil
}

// LatestIn is the session a folder's work is in: of the project's sessions
// in the work tree, the newest active one, else the newest (among the 200
// newest of the project); nil when there is none.
func (s *Store) LatestIn(slug, worktree string) (*session.Session, error) {
	idx, err := s.loadIndexWith("project_slug", slug)
	if err != nil {
		return nil, err
	}
	ids := selectIDs(idx, Filter{Project: slug, Limit: 200})
	var newest *session.Session
	for _, sess := range s.readSessions(ids, s.sessionPath) {
		if session.Deref(sess.WorktreeRoot) != worktree {
			continue
		}
		if sess.Status == session.StatusActive {
			return sess, nil
		}
		if newest == nil {
			newest = sess
		}
	}
	return newest, nil
}
