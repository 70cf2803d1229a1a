package store

import (
	"fmt"
	"hash/fnv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sess-dev/sess/pkg/session"
)

// What Claude Code's hooks tell of a conversation, recorded in its own
// session (found by the conversation's id, never another's).

// MaxActivityFromHook bounds the current activity taken from an answer.
const MaxActivityFromHook = 200

// PromptSubmitted records a prompt of the user: the first one becomes the
// intent while the intent is still the launch placeholder (its first line,
// cut to the intent limit); the session no longer waits for the user.
func (s *Store) PromptSubmitted(id, prompt string) (*session.Session, error) {
	intent := firstLine(prompt, session.MaxIntent)
	return s.update(id, false, func(sess *session.Session, now string) error {
		if intent != "" && IsLaunchIntent(sess.Intent) {
			sess.Intent = intent
		}
		sess.AwaitingAction = nil
		sess.LastHeartbeat = now
		return nil
	})
}

// TurnEnded records the end of a turn: the current activity from the last
// answer (its first sentence, at most MaxActivityFromHook characters) and
// the heartbeat; the session no longer waits for the user.
func (s *Store) TurnEnded(id, answer string) (*session.Session, error) {
	activity := firstSentence(answer, MaxActivityFromHook)
	return s.update(id, false, func(sess *session.Session, now string) error {
		if activity != "" {
			sess.CurrentActivity = &activity
		}
		sess.AwaitingAction = nil
		sess.LastHeartbeat = now
		return nil
	})
}

// firstLine is the first line of text that has any, cleaned of control
// characters and cut to max characters.
func firstLine(text string, max int) string {
	for _, l := range strings.Split(text, "\n") {
		if l = clean(l); l != "" {
			return cut(l, max)
		}
	}
	return ""
}

// firstSentence is the first sentence of text (up to ". ", "! ", "? " or
// the end of its first line with words), cut to max characters.
func firstSentence(text string, max int) string {
	l := firstLine(text, len(text))
	for i, r := range l {
		if (r == '.' || r == '!' || r == '?') && i+1 < len(l) && l[i+1] == ' ' {
			l = l[:i+1]
			break
		}
	}
	return cut(l, max)
}

// clean turns control characters into spaces and trims.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return ' '
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// cut keeps the first max characters of s, ending with "…" when it cuts.
func cut(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:max-1])) + "…"
}

// FileChanged records a file the conversation changed, once, as the
// journal's hooks see an edit; past session.MaxFilesChanged it is left out.
func (s *Store) FileChanged(id, path string) (*session.Session, error) {
	path, err := session.CleanText("file", path, session.MaxFilePath, session.Line)
	if err != nil {
		return nil, err
	}
	return s.update(id, false, func(sess *session.Session, now string) error {
		if contains(sess.FilesChanged, path) || len(sess.FilesChanged) >= session.MaxFilesChanged {
			return errUnchanged
		}
		sess.FilesChanged = append(sess.FilesChanged, path)
		sess.LastHeartbeat = now
		return nil
	})
}

// TaskUpdate is a task as Claude Code's task tools report it.
type TaskUpdate struct {
	Key     string // Claude Code's id of the task; "" for TodoWrite's, found by subject
	Subject string
	Status  string // pending, in_progress, completed or deleted (skipped); "" keeps the task's
}

// SyncTasks records tasks from Claude Code's task tools. A task is found by
// Claude Code's id (which maps to one of ours), else by its subject; one not
// found is added. A deleted task is skipped, not removed.
func (s *Store) SyncTasks(id string, updates []TaskUpdate) (*session.Session, error) {
	return s.update(id, false, func(sess *session.Session, now string) error {
		changed := false
		for _, u := range updates {
			if syncTask(sess, u, now) {
				changed = true
			}
		}
		if !changed {
			return errUnchanged
		}
		sess.LastHeartbeat = now
		return nil
	})
}

// syncTask applies one update to the session's tasks and reports whether
// anything changed.
func syncTask(sess *session.Session, u TaskUpdate, now string) bool {
	subject := firstLine(u.Subject, session.MaxTaskSubject)
	status, known := taskStatus(u.Status)
	tid := ""
	if u.Key != "" {
		tid = taskIDFor(u.Key)
	}
	for i := range sess.Tasks {
		t := &sess.Tasks[i]
		if tid != "" && t.ID != tid || tid == "" && t.Subject != subject {
			continue
		}
		changed := false
		if subject != "" && subject != t.Subject && !hasTaskSubject(sess.Tasks, subject, t.ID) {
			t.Subject, changed = subject, true
		}
		if known && t.Status != status {
			t.Status, changed = status, true
		}
		if changed {
			t.UpdatedAt = now
		}
		return changed
	}
	if subject == "" || hasTaskSubject(sess.Tasks, subject, "") {
		return false
	}
	if !known {
		status = session.TaskPending
	}
	if tid == "" {
		tid = taskIDFor("subject:" + subject)
	}
	sess.Tasks = append(sess.Tasks, session.Task{ID: tid, Subject: subject, Status: status, AddedAt: now, UpdatedAt: now})
	return true
}

// taskStatus maps Claude Code's task states to the store's.
func taskStatus(s string) (session.TaskStatus, bool) {
	switch s {
	case "pending", "in_progress", "completed":
		return session.TaskStatus(s), true
	case "deleted":
		return session.TaskSkipped, true
	}
	return "", false
}

// taskIDFor is the store's id of the task Claude Code calls key: "t" and
// eight hex digits, the same for the same key, so that a later update finds
// its task.
func taskIDFor(key string) string {
	h := fnv.New32a()
	h.Write([]byte(key))
	return fmt.Sprintf("t%08x", h.Sum32())
}
