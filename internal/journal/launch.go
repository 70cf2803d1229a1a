package journal

import (
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
	"github.com/sess-dev/sess/pkg/store/derived"
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
func RegisterLaunch(st *store.Store, l Launch) (*session.Session, bool, error) {
	p, err := l.newSession()
	if err != nil {
		return nil, false, err
	}
	cid := *p.ClaudeSessionID
	files := st.Derived()
	if l.Carried != nil && (l.Source == SourceResume || l.Source == SourceFork || l.Source == SourceLate) && !files.HasPointer(cid) {
		// A conversation without a pointer that comes back is most likely
		// one resumed under a new id or forked: its transcript is read
		// before the lock, which every launch of the store waits on.
		carried := l.Carried()
		l.Carried = func() []string { return carried }
	}
	release, err := files.LockLaunches()
	if err != nil {
		return nil, false, err
	}
	defer release()
	begun := l.Source == SourceStartup || l.Source == SourceClear || l.Source == SourceFork
	if sess, err := launchedBefore(st, cid, p.Project, begun); err != nil {
		return nil, false, err
	} else if sess != nil {
		sess, err = relaunched(st, sess.SessionID, l, p)
		if err == nil && sess != nil {
			files.PointTo(cid, sess.SessionID)
			files.RanIn(l.Window, cid)
			return sess, false, nil
		}
		if err != nil {
			return nil, false, err
		}
		// Ended since it was found (a /session-end, the cleanup): the
		// conversation takes a new session, below.
	}
	if err := files.Claim(cid); err != nil {
		return nil, false, err
	}
	var sess *session.Session
	if pred, how := predecessor(st, l, p.Project, cid); how != linkNone {
		sess, err = createContinuing(st, p, pred.SessionID, l.Source, how == linkBranch)
	} else {
		sess, err = st.CreateSession(p)
	}
	if err == nil {
		files.PointTo(cid, sess.SessionID)
		files.RanIn(l.Window, cid)
	}
	return sess, err == nil, err
}

// newSession is the session a launch creates, cleaned.
func (l Launch) newSession() (store.NewSession, error) {
	cid, err := session.CleanText("claude_session_id", l.ClaudeSessionID, session.MaxClaudeSessionID, session.Line)
	if err != nil {
		return store.NewSession{}, err
	}
	slug := session.SlugOf(l.Project)
	if err := session.ValidateSlug(slug); err != nil {
		return store.NewSession{}, err
	}
	p := store.NewSession{Project: slug, Intent: LaunchIntent, GitBranch: l.GitBranch, WorktreeRoot: l.WorktreeRoot, ClaudeSessionID: &cid, Hooked: l.Hooked, Window: l.Window}
	if title := firstLine(l.Title, session.MaxIntent); title != "" {
		p.Title = &title
	}
	if l.Intent != nil {
		p.Intent = *l.Intent
	}
	if p.GitBranch != "" && session.ValidateBranch(p.GitBranch) != nil {
		p.GitBranch = "" // a branch name git allows and the store does not: the default
	}
	return p, p.Clean()
}

// relaunched records a launch of a conversation whose session is active:
// its title, its window, and its live state taken up again if it ended.
// nil, with no error, when the session ended since it was found.
func relaunched(st *store.Store, id string, l Launch, p store.NewSession) (*session.Session, error) {
	ended := false
	sess, err := update(st, id, false, func(sess *session.Session, now string) error {
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

// launchedBefore is the active session of a conversation that starts, if
// it has one. Its pointer leads there. A conversation whose pointer was
// never claimed (see derived.Files.Claim) has none when it has just begun (startup,
// clear, fork: a second delivery of its SessionStart finds the pointer),
// and is looked for in its project when it comes back (resume, compact:
// a session the original's register-launch made has no pointer; Claude
// Code resumes the conversations of the folder it runs in). One whose
// pointer does not lead to its session is looked for in its project, and
// when it comes back, everywhere.
func launchedBefore(st *store.Store, claudeSessionID, project string, begun bool) (*session.Session, error) {
	files := st.Derived()
	if !derived.SafeName(claudeSessionID) {
		return activeByClaudeID(st, claudeSessionID, project, !begun)
	}
	if !files.HasPointer(claudeSessionID) {
		if begun {
			return nil, nil
		}
		return activeInProject(st, claudeSessionID, project)
	}
	if sess := Pointed(st, claudeSessionID); sess != nil {
		return sess, nil
	}
	return activeByClaudeID(st, claudeSessionID, project, !begun)
}
