package journal

import (
	"errors"
	"strings"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
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
	// SourceLate is sess's own: a conversation with no session of its own
	// takes one at its next prompt (its SessionStart was missed, or its
	// session ended and it goes on).
	SourceLate = "late"
)

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

// How a new conversation's session links to the one it carries on.
type link int

const (
	linkNone link = iota
	// linkCarryOn: the new session takes the thread over; the one it
	// carries on records its successor and ends (if it had not).
	linkCarryOn
	// linkBranch: the new session carries on from there, the other is left
	// as it is (a fork; a conversation whose window still runs; one that
	// was carried on already).
	linkBranch
)

// predecessor finds the session a conversation that begins carries on, from
// evidence only (never from place and time alone), and how:
//
//   - compact, resume, fork: the conversation's own last session (its
//     pointer), when it is no longer active.
//   - resume, fork under a new id: the session of the conversation whose
//     rows its transcript carries over. A fork, and a resume of a
//     conversation whose window still runs, branch.
//   - late (see SourceLate): as resume, but what it carries over branches:
//     nothing tells whether the other conversation goes on.
//   - clear: the session of the conversation the same window ran last,
//     whatever its status (one /session-end completed keeps its outcome).
//   - startup: the newest session parked in the same work tree whose
//     window does not run any more.
//
// With no evidence, none: the conversation starts a new thread.
func predecessor(st *store.Store, l Launch, slug, cid string) (*session.Session, link) {
	switch l.Source {
	case SourceCompact, SourceResume, SourceFork, SourceLate:
		if own := lastOf(st, cid); own != nil && own.Status != session.StatusActive {
			return own, linkTo(own, l, false)
		}
		if l.Source == SourceCompact || l.Carried == nil {
			return nil, linkNone
		}
		for _, earlier := range l.Carried() {
			if pred := lastOf(st, earlier); pred != nil && earlier != cid && pred.ProjectSlug == slug {
				return pred, linkTo(pred, l, l.Source == SourceFork || l.Source == SourceLate)
			}
		}
	case SourceClear:
		prev := st.Derived().LastIn(l.Window)
		if prev == "" || prev == cid {
			return nil, linkNone
		}
		if pred := lastOf(st, prev); pred != nil && pred.ProjectSlug == slug {
			return pred, linkTo(pred, l, false)
		}
	case SourceStartup:
		if l.WorktreeRoot == nil {
			return nil, linkNone
		}
		for _, c := range threadCandidates(st, slug, *l.WorktreeRoot, cid) {
			if c.Status == session.StatusParked && !l.runsElsewhere(c) {
				return c, linkCarryOn
			}
		}
	}
	return nil, linkNone
}

// linkTo is how a new conversation's session links to pred: it branches
// off when asked to, when pred was carried on already, and when pred's
// conversation still runs in another window.
func linkTo(pred *session.Session, l Launch, branch bool) link {
	if branch || successorIn(pred) != "" || (pred.Status == session.StatusActive && l.runsElsewhere(pred)) {
		return linkBranch
	}
	return linkCarryOn
}

// runsElsewhere reports whether sess's conversation runs in a window other
// than the launch's, one that is still alive.
func (l Launch) runsElsewhere(sess *session.Session) bool {
	w := session.Deref(sess.Window)
	return w != "" && w != l.Window && l.Alive != nil && l.Alive(w)
}

// threadCandidates are the project's parked sessions in the work tree that
// a new conversation may carry on, newest first: not carried on yet, not
// of the conversation itself.
func threadCandidates(st *store.Store, slug, worktree, cid string) []*session.Session {
	v := st.View()
	idx, err := v.EntriesWhere("project_slug", slug)
	if err != nil {
		return nil // no candidate: a new thread
	}
	var out []*session.Session
	for _, sess := range v.Sessions(store.Select(idx, store.Filter{Project: slug, Status: session.StatusParked})) {
		if session.Deref(sess.WorktreeRoot) == worktree && successorIn(sess) == "" && session.Deref(sess.ClaudeSessionID) != cid {
			out = append(out, sess)
		}
	}
	return out
}

// createContinuing creates the session of a conversation that carries on
// pred, and ends pred, in one change: pred records its successor and, if it
// was active or parked, is completed with an outcome that names it (unless
// it has one). A branch leaves pred as it is. A resumed or forked
// conversation, or one that takes up a parked session, keeps pred's
// intent, roadmap reference and open questions; after /clear the first
// prompt sets them. If pred was carried on meanwhile, the session is
// created unlinked.
func createContinuing(st *store.Store, p store.NewSession, predID, source string, branch bool) (*session.Session, error) {
	if err := p.Clean(); err != nil {
		return nil, err
	}
	var out *session.Session
	ran := false // pred was locked and read
	err := st.Update([]string{predID}, func(tx *store.Tx) error {
		ran = true
		pred, err := tx.Session(predID)
		if err != nil || (!branch && successorIn(pred) != "") || pred.ProjectSlug != p.Project {
			return errUnchanged
		}
		if source == SourceResume || source == SourceFork || pred.Status == session.StatusParked {
			if !IsLaunchIntent(pred.Intent) {
				p.Intent = pred.Intent
			}
			p.RoadmapRef, p.OpenQuestions = pred.RoadmapRef, pred.OpenQuestions
		}
		p.Continues = &predID
		sess, err := tx.Create(p)
		if err != nil {
			return err
		}
		out = sess
		if branch {
			return nil
		}
		now := tx.Now()
		pred.ContinuedBy = &sess.SessionID
		if pred.Status != session.StatusCompleted {
			if pred.Status == session.StatusActive {
				pred.SetState(session.StateEnded, "continued", now)
			}
			pred.Status, pred.EndedAt = session.StatusCompleted, &now
			if pred.Outcome == nil {
				outcome := ContinuedOutcome(sess.SessionID)
				pred.Outcome = &outcome
			}
		}
		return tx.Put(pred)
	})
	// pred gone, archived or carried on meanwhile: the session is made
	// unlinked.
	if errors.Is(err, errUnchanged) || (err != nil && !ran) {
		return st.CreateSession(p)
	}
	return out, err
}

// MaxThread bounds how many sessions a thread is followed through.
const MaxThread = 50

// Finder finds the sessions of a thread wherever they are: this
// machine's store, and the other machines' parts of a shared journal.
type Finder interface {
	Session(id string) (*session.Session, error)
	// CarriedOnBy is a session that carried s on without s naming it (on
	// another machine, which cannot write to s); nil when there is none.
	CarriedOnBy(s *session.Session) *session.Session
}

// Thread is the thread of session id in the store, oldest first: the
// sessions it carries on (by Continues) and those that carried it on (by
// ContinuedBy, or the original's "Resumed as" outcome), archived ones
// included.
func Thread(st *store.Store, id string) ([]*session.Session, error) {
	return ThreadOf(local{st.View()}, id)
}

// local finds a thread's sessions in one store, where every link is
// written both ways.
type local struct{ v *store.View }

func (l local) Session(id string) (*session.Session, error)   { return l.v.Session(id) }
func (l local) CarriedOnBy(*session.Session) *session.Session { return nil }

// ThreadOf is Thread over f.
func ThreadOf(f Finder, id string) ([]*session.Session, error) {
	sess, err := f.Session(id)
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
		if p, err = f.Session(prev); err != nil {
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
		var found *session.Session
		if next != "" && !seen[next] {
			found, _ = f.Session(next)
		} else if next == "" {
			found = f.CarriedOnBy(n)
		}
		if found == nil || seen[found.SessionID] {
			break
		}
		n = found
		seen[n.SessionID] = true
		out = append(out, n)
	}
	return out, nil
}

// LatestIn is the session a folder's work is in: of the project's sessions
// in the work tree, the newest active one, else the newest (among the 200
// newest of the project); nil when there is none.
func LatestIn(st *store.Store, slug, worktree string) (*session.Session, error) {
	v := st.View()
	idx, err := v.EntriesWhere("project_slug", slug)
	if err != nil {
		return nil, err
	}
	var newest *session.Session
	for _, sess := range v.Sessions(store.Select(idx, store.Filter{Project: slug, Limit: 200})) {
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
