package store

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/internal/disk"
)

// LaunchIntent is the intent of a session registered at launch, before a
// skill has set the real one: the original's placeholder, byte for byte, so
// that either tool recognizes a launch the other registered.
const LaunchIntent = "(launch — sessie-start volgt)"

// earlierLaunchIntent is the placeholder sess wrote before it used the
// original's; stores keep it.
const earlierLaunchIntent = "(launched — intent not set yet)"

// IsLaunchIntent reports whether intent is a launch placeholder, the
// original's or an earlier sess's: no intent has been set yet.
func IsLaunchIntent(intent string) bool {
	return intent == LaunchIntent || intent == earlierLaunchIntent
}

// Launch is a Claude Code session starting: its own id, its project (a
// slug or a folder name), and where it runs. Nil and empty fields are left
// out (the branch defaults to main).
type Launch struct {
	ClaudeSessionID string
	Project         string
	WorktreeRoot    *string
	GitBranch       string
	Intent          *string
	Title           string // Claude Code's title of the conversation, when it sends one
	// Source is how the conversation began, as SessionStart says
	// (SourceStartup, …); "" when no hook says. A conversation that has
	// just begun (startup, clear, fork) can have no session in another
	// project, so only its own project's are searched; and a new session
	// carries on the one its source and the evidence point to (see
	// predecessor).
	Source string
	// Hooked says a hook reports the launch: the session's live state
	// starts, and an ended one is taken up again.
	Hooked bool
	// Window is the Claude Code window (its process) the conversation runs
	// in, "" when unknown: /clear carries on the conversation the same
	// window ran last. Alive tells whether a window still runs (nil: none
	// is known to); a live window's session is never drawn into another
	// window's thread.
	Window string
	Alive  func(window string) bool
	// Carried, when set, reads the conversations (Claude Code's ids) whose
	// rows this one's transcript carries over, newest first: a resume
	// under a new id, a fork. Called only when the conversation has no
	// session of its own yet.
	Carried func() []string
}

// RegisterLaunch registers a Claude Code session by its own id: if an active
// session carries claudeSessionID it is heartbeated and returned, otherwise a
// new one is created, carrying on the session the evidence names (see
// predecessor). Launches are serialized, so two hooks of one start cannot
// both create. project is slugged like a folder name.
func (s *Store) RegisterLaunch(l Launch) (*session.Session, bool, error) {
	p, err := l.newSession()
	if err != nil {
		return nil, false, err
	}
	cid := *p.ClaudeSessionID
	s.mend()
	if err := s.ensureDirs(); err != nil {
		return nil, false, err
	}
	if l.Carried != nil && (l.Source == SourceResume || l.Source == SourceFork || l.Source == SourceLate) && !s.pointerExists(cid) {
		// A conversation without a pointer that comes back is most likely
		// one resumed under a new id or forked: its transcript is read
		// before the lock, which every launch of the store waits on.
		carried := l.Carried()
		l.Carried = func() []string { return carried }
	}
	ll, err := disk.Acquire(filepath.Join(s.sessionsDir(), "_launch.lock"))
	if err != nil {
		return nil, false, fmt.Errorf("lock launches: %w", err)
	}
	defer ll.Release()
	begun := l.Source == SourceStartup || l.Source == SourceClear || l.Source == SourceFork
	if sess, err := s.launchedBefore(cid, p.Project, begun); err != nil {
		return nil, false, err
	} else if sess != nil {
		sess, err = s.relaunched(sess.SessionID, l, p)
		if err == nil && sess != nil {
			s.pointTo(cid, sess.SessionID)
			s.RanIn(l.Window, cid)
			return sess, false, nil
		}
		if err != nil {
			return nil, false, err
		}
		// Ended since it was found (a /session-end, the cleanup): the
		// conversation takes a new session, below.
	}
	if err := s.claim(cid); err != nil {
		return nil, false, err
	}
	var sess *session.Session
	if pred, how := s.predecessor(l, p.Project, cid); how != linkNone {
		sess, err = s.createContinuing(p, pred.SessionID, l.Source, how == linkBranch)
	} else {
		sess, err = s.CreateSession(p)
	}
	if err == nil {
		s.pointTo(cid, sess.SessionID)
		s.RanIn(l.Window, cid)
	}
	return sess, err == nil, err
}

// newSession is the session a launch creates, cleaned.
func (l Launch) newSession() (NewSession, error) {
	cid, err := session.CleanText("claude_session_id", l.ClaudeSessionID, session.MaxClaudeSessionID, session.Line)
	if err != nil {
		return NewSession{}, err
	}
	slug := session.SlugOf(l.Project)
	if err := session.ValidateSlug(slug); err != nil {
		return NewSession{}, err
	}
	p := NewSession{Project: slug, Intent: LaunchIntent, GitBranch: l.GitBranch, WorktreeRoot: l.WorktreeRoot, ClaudeSessionID: &cid, Hooked: l.Hooked, Window: l.Window}
	if title := firstLine(l.Title, session.MaxIntent); title != "" {
		p.Title = &title
	}
	if l.Intent != nil {
		p.Intent = *l.Intent
	}
	if p.GitBranch != "" && session.ValidateBranch(p.GitBranch) != nil {
		p.GitBranch = "" // a branch name git allows and the store does not: the default
	}
	return p, p.clean()
}

// relaunched records a launch of a conversation whose session is active:
// its title, its window, and its live state taken up again if it ended.
// nil, with no error, when the session ended since it was found.
func (s *Store) relaunched(id string, l Launch, p NewSession) (*session.Session, error) {
	ended := false
	sess, err := s.update(id, false, func(sess *session.Session, now string) error {
		if sess.Status != session.StatusActive {
			ended = true
			return errUnchanged
		}
		if p.Title != nil {
			sess.Title = p.Title
		}
		// A second window on the same conversation (or a fork that
		// announces itself with its parent's id) leaves the window of a
		// conversation that still runs as it is.
		if p.Window != "" && !l.runsElsewhere(sess) {
			sess.Window = &p.Window
		}
		if l.Hooked && session.Deref(sess.State) == session.StateEnded {
			sess.SetState(session.StateIdle, "", now) // resumed
		}
		sess.Touch(now)
		return nil
	})
	if ended {
		return nil, nil
	}
	return sess, err
}

// ActiveByClaudeID returns the newest active session that carries the given
// Claude Code session id, or nil. It follows the conversation's pointer
// first (see pointTo), then reads the active sessions of project (a hook
// knows its project), and the others only if none matches.
func (s *Store) ActiveByClaudeID(claudeSessionID, project string) (*session.Session, error) {
	if sess := s.Pointed(claudeSessionID); sess != nil {
		return sess, nil
	}
	return s.activeByClaudeID(claudeSessionID, project, true)
}

// launchedBefore is the active session of a conversation that starts, if
// it has one. Its pointer leads there. A conversation whose pointer was
// never claimed (see claim) has none when it has just begun (startup,
// clear, fork: a second delivery of its SessionStart finds the pointer),
// and is looked for in its project when it comes back (resume, compact:
// a session the original's register-launch made has no pointer; Claude
// Code resumes the conversations of the folder it runs in). One whose
// pointer does not lead to its session is looked for in its project, and
// when it comes back, everywhere.
func (s *Store) launchedBefore(claudeSessionID, project string, begun bool) (*session.Session, error) {
	p := s.pointerPath(claudeSessionID)
	if p == "" {
		return s.activeByClaudeID(claudeSessionID, project, !begun)
	}
	if !s.pointerExists(claudeSessionID) {
		if begun {
			return nil, nil
		}
		return s.activeInProject(claudeSessionID, project)
	}
	if sess := s.Pointed(claudeSessionID); sess != nil {
		return sess, nil
	}
	return s.activeByClaudeID(claudeSessionID, project, !begun)
}

// pointerExists reports whether the conversation's pointer is there, for
// an id that can have one.
func (s *Store) pointerExists(claudeSessionID string) bool {
	p := s.pointerPath(claudeSessionID)
	if p == "" {
		return false
	}
	_, err := os.Lstat(p)
	return !isNotExist(err)
}

// activeInProject is ActiveByClaudeID without the pointer and within the
// project only.
func (s *Store) activeInProject(claudeSessionID, project string) (*session.Session, error) {
	return s.activeByClaudeID(claudeSessionID, project, false)
}

func (s *Store) activeByClaudeID(claudeSessionID, project string, everywhere bool) (*session.Session, error) {
	s.mend()
	// Only the active entries are decoded: a hook runs this on every event.
	idx, err := s.loadIndexWith("status", string(session.StatusActive))
	if err != nil {
		return nil, err
	}
	ids := selectIDs(idx, Filter{Status: session.StatusActive})
	var mine, others []string
	for _, id := range ids {
		if idx[id].ProjectSlug == project {
			mine = append(mine, id)
		} else if everywhere {
			others = append(others, id)
		}
	}
	for _, group := range [][]string{mine, others} {
		for _, sess := range s.readSessions(group, s.sessionPath) {
			if isOf(sess, claudeSessionID) {
				return sess, nil
			}
		}
	}
	return nil, nil
}

func isOf(sess *session.Session, claudeSessionID string) bool {
	return sess.Status == session.StatusActive && sess.ClaudeSessionID != nil && *sess.ClaudeSessionID == claudeSessionID
}

// AddCommits records several commits in one write, skipping shas already
// recorded, and returns the session and how many it added.
func (s *Store) AddCommits(id string, commits []session.Commit) (*session.Session, int, error) {
	commits, err := CleanCommits(commits)
	if err != nil {
		return nil, 0, err
	}
	added := 0
	sess, err := s.update(id, false, func(sess *session.Session, now string) error {
		added = 0
		for _, c := range commits {
			if hasCommit(sess.Commits, c.SHA) {
				continue
			}
			if len(sess.Commits) >= session.MaxCommits {
				break
			}
			sess.Commits = append(sess.Commits, c)
			added++
		}
		if added == 0 {
			return errUnchanged
		}
		sess.LastHeartbeat = now
		return nil
	})
	return sess, added, err
}
