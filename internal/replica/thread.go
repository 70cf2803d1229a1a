package replica

import (
	"github.com/sess-dev/sess/internal/journal"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// Thread is the thread of session id across machines, oldest first: a
// thread begun on one machine may go on on another, whose session names
// the one it carries on (the machine that carries on writes the link; the
// other cannot).
func (j *Journal) Thread(id string) ([]*session.Session, error) {
	return journal.ThreadOf(finder{Sessions{j}}, id)
}

type finder struct{ Sessions }

// CarriedOnBy looks, on every machine, among the sessions of s's project
// started since s, for one that names s as the session it carries on. A
// store's own links are written both ways: with no other machine there is
// nothing to look for (and no archive to read at each thread's end).
func (f finder) CarriedOnBy(s *session.Session) *session.Session {
	if len(f.J.Others) == 0 {
		return nil
	}
	since := ""
	if t, err := session.ParseTime(s.StartedAt); err == nil {
		since = t.UTC().Format("2006-01-02")
	}
	filter := store.Filter{Project: s.ProjectSlug, Since: since, IncludeArchived: true}
	list, err := f.J.List(filter)
	if err != nil {
		return nil
	}
	var found *session.Session
	for _, c := range list { // newest first: the last match is the earliest
		if session.Deref(c.Continues) == s.SessionID && c.SessionID != s.SessionID {
			found = c
		}
	}
	return found
}

// ResumeElsewhere carries on here another machine's parked session: a new
// session of this machine that continues it (the other machine's record is
// left as it is: it is that machine's to close).
func (j *Journal) ResumeElsewhere(id string, intent *string) (*session.Session, error) {
	old, m, err := j.Session(id)
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, session.Conflict("session %s is this machine's", id)
	}
	if old.Status != session.StatusParked && old.Status != session.StatusActive {
		return nil, session.Conflict("session %s is %s on machine %q; only a parked or active session can be carried on", id, old.Status, m.Name)
	}
	p := store.NewSession{Project: old.ProjectSlug, Intent: old.Intent, RoadmapRef: old.RoadmapRef, GitBranch: old.GitBranch,
		OpenQuestions: old.OpenQuestions, Continues: &old.SessionID}
	if intent != nil {
		p.Intent = *intent
	}
	if session.ValidateBranch(p.GitBranch) != nil {
		p.GitBranch = "main"
	}
	return j.Local.CreateSession(p)
}
