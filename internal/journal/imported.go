package journal

import (
	"slices"
	"time"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// What an import of past conversations (their transcripts, read after the
// fact) adds beside the hooks' vocabulary: a title learnt at the end, and
// the tool uses of a conversation whose session the hooks recorded.

// Titled sets the session's title (Claude Code's title of the
// conversation, redacted by the caller), if it has another.
func Titled(st *store.Store, id, title string) (*session.Session, error) {
	title = firstLine(title, session.MaxIntent)
	return update(st, id, false, func(sess *session.Session, now string) error {
		if title == "" || session.Deref(sess.Title) == title {
			return errUnchanged
		}
		sess.Title = &title
		return nil
	})
}

// Use is a tool use and when it happened.
type Use struct {
	ToolUse
	At time.Time
}

// ToolsRecorded adds, in one write, what the tool uses record that the
// session lacks: the files, commits and tasks (by id, then subject) the
// uses leave, played in order as ToolUsed plays them, each at its own
// time. What the session has is left as it is, and so are its state,
// waiting flag and heartbeat: the uses are past, the session may be live.
// It reports how many things it added; with dryRun it writes nothing.
func ToolsRecorded(st *store.Store, id string, uses []Use, dryRun bool) (int, error) {
	played := &session.Session{}
	for _, u := range uses {
		clean, err := cleanUse(u.ToolUse)
		if err != nil {
			return 0, err
		}
		applyUse(played, clean, session.FormatTime(u.At))
	}
	if dryRun {
		sess, err := st.View().Session(id)
		if err != nil {
			return 0, err
		}
		return lacking(sess, played), nil
	}
	n := 0
	_, err := update(st, id, false, func(sess *session.Session, now string) error {
		if n = lacking(sess, played); n == 0 {
			return errUnchanged
		}
		return nil
	})
	return n, err
}

// lacking adds to sess the files, commits and tasks of played it lacks,
// within the store's bounds, and reports how many.
func lacking(sess, played *session.Session) int {
	n := 0
	for _, f := range played.FilesChanged {
		if !slices.Contains(sess.FilesChanged, f) && len(sess.FilesChanged) < session.MaxFilesChanged {
			sess.FilesChanged = append(sess.FilesChanged, f)
			n++
		}
	}
	for _, c := range played.Commits {
		if !session.HasCommit(sess.Commits, c.SHA) && len(sess.Commits) < session.MaxCommits {
			sess.Commits = append(sess.Commits, c)
			n++
		}
	}
	for _, t := range played.Tasks {
		has := slices.ContainsFunc(sess.Tasks, func(o session.Task) bool { return o.ID == t.ID })
		if !has && !session.HasTaskSubject(sess.Tasks, t.Subject, "") && len(sess.Tasks) < session.MaxHookTasks {
			sess.Tasks = append(sess.Tasks, t)
			n++
		}
	}
	return n
}
