package journal

import (
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
// session lacks (files, tasks, commits, as ToolUsed adds them, each at its
// own time), and reports how many uses changed it. Unlike ToolUsed it
// leaves the session's state, waiting flag and heartbeat as they are: the
// uses are past, the session may be live. With dryRun it writes nothing.
func ToolsRecorded(st *store.Store, id string, uses []Use, dryRun bool) (int, error) {
	for i := range uses {
		u, err := cleanUse(uses[i].ToolUse)
		if err != nil {
			return 0, err
		}
		uses[i].ToolUse = u
	}
	apply := func(sess *session.Session) int {
		n := 0
		for _, u := range uses {
			if applyUse(sess, u.ToolUse, session.FormatTime(u.At)) {
				n++
			}
		}
		return n
	}
	if dryRun {
		sess, err := st.View().Session(id)
		if err != nil {
			return 0, err
		}
		return apply(sess), nil
	}
	n := 0
	_, err := update(st, id, false, func(sess *session.Session, now string) error {
		if n = apply(sess); n == 0 {
			return errUnchanged
		}
		return nil
	})
	return n, err
}
