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
	intent := IntentOf(prompt)
	return s.update(id, false, func(sess *session.Session, now string) error {
		if intent != "" && IsLaunchIntent(sess.Intent) {
			sess.Intent = intent
		}
		sess.AwaitingAction = nil
		sess.LastQuestion = nil // the user answers it, or asks something else
		sess.Touch(now)
		sess.SetState(session.StateWorking, "", now)
		return nil
	})
}

// IntentOf is the intent a prompt gives: its first line that has words,
// cut to the intent limit.
func IntentOf(prompt string) string { return firstLine(prompt, session.MaxIntent) }

// ActivityOf is the current activity an answer gives: its first sentence,
// at most MaxActivityFromHook characters; "" when it has no words.
func ActivityOf(answer string) string { return firstSentence(answer, MaxActivityFromHook) }

// TurnEnded records the end of a turn: the current activity from the last
// answer (see ActivityOf), the question it ends with (see QuestionOf; ""
// for none) and the heartbeat; the session no longer waits for the user.
func (s *Store) TurnEnded(id, answer, question string) (*session.Session, error) {
	activity := ActivityOf(answer)
	question = cut(clean(question), MaxQuestion)
	return s.update(id, false, func(sess *session.Session, now string) error {
		if activity != "" {
			sess.CurrentActivity = &activity
		}
		sess.LastQuestion = nil
		if question != "" {
			sess.LastQuestion = &question
		}
		sess.AwaitingAction = nil
		sess.Touch(now)
		sess.SetState(session.StateIdle, "", now)
		return nil
	})
}

// Idle records that the conversation's agent is done and waits for nothing
// (Claude Code's agent_completed notification).
func (s *Store) Idle(id string) (*session.Session, error) {
	return s.update(id, false, func(sess *session.Session, now string) error {
		if sess.AwaitingAction == nil && session.Deref(sess.State) == session.StateIdle {
			return errUnchanged
		}
		sess.AwaitingAction = nil
		sess.Touch(now)
		sess.SetState(session.StateIdle, "", now)
		return nil
	})
}

// Waiting records that the conversation waits for the user, and why (a
// Claude Code notification).
func (s *Store) Waiting(id, reason string) (*session.Session, error) {
	reason, err := session.CleanText("reason", reason, session.MaxReason, session.Note)
	if err != nil {
		return nil, err
	}
	return s.update(id, false, func(sess *session.Session, now string) error {
		sess.AwaitingAction = &reason
		sess.Touch(now)
		sess.SetState(session.StateWaiting, "", now) // the reason is awaiting_action
		return nil
	})
}

// MaxQuestion bounds the question kept from the end of an answer.
const MaxQuestion = 300

// QuestionOf is the question an answer ends with, left open for the user:
// its last sentence when that ends with "?" (past closing quotes, brackets
// and emphasis), cut to MaxQuestion characters; "" when it asks nothing.
func QuestionOf(answer string) string {
	text := strings.TrimRightFunc(answer, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("*_`\"')]»”’", r)
	})
	if !strings.HasSuffix(text, "?") {
		return ""
	}
	start := 0
	for i := len(text) - 2; i >= 0; i-- {
		if c := text[i]; c == '\n' || ((c == '.' || c == '!' || c == '?' || c == ':') && i+1 < len(text) && text[i+1] == ' ') {
			start = i + 1
			break
		}
	}
	q := withoutMarker(clean(text[start:]))
	if utf8.RuneCountInString(q) > MaxQuestion {
		r := []rune(q)
		q = "…" + strings.TrimSpace(string(r[len(r)-MaxQuestion+1:]))
	}
	return q
}

// withoutMarker is a line without the list or quote marker it starts with
// ("- ", "* ", "• ", "> ", "## ", "3. ", "2) ").
func withoutMarker(line string) string {
	for {
		rest := strings.TrimLeft(line, "-*•>#")
		if rest == line {
			i := 0
			for i < len(line) && line[i] >= '0' && line[i] <= '9' {
				i++
			}
			if i > 0 && i < len(line)-1 && (line[i] == '.' || line[i] == ')') && line[i+1] == ' ' {
				rest = line[i+1:]
			}
		}
		rest = strings.TrimSpace(rest)
		if rest == line {
			return line
		}
		line = rest
	}
}

// TurnFailed records a turn that died (Claude Code's StopFailure): an event
// with the error kind, and the state rate_limited or failed until the next
// prompt.
func (s *Store) TurnFailed(id, kind string) (*session.Session, error) {
	kind = orUnknown(firstLine(kind, 100))
	state := session.StateFailed
	if kind == "rate_limit" {
		state = session.StateRateLimited
	}
	return s.journalEvent(id, "Turn failed: "+kind, func(sess *session.Session, now string) {
		sess.SetState(state, kind, now)
	})
}

// ConversationEnded records Claude Code's SessionEnd: an event with the
// reason, and the state ended. The status stays active: a resume of the
// same conversation takes it up again, and the cleanup job completes it
// otherwise.
func (s *Store) ConversationEnded(id, reason string) (*session.Session, error) {
	reason = orUnknown(firstLine(reason, 100))
	return s.journalEvent(id, "Conversation ended ("+reason+")", func(sess *session.Session, now string) {
		sess.AwaitingAction = nil
		sess.SetState(session.StateEnded, reason, now)
	})
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// JournalEvent adds an event the hooks record (a compaction's summary), as
// add-event does, but moves the heartbeat as hooks do (see touch).
func (s *Store) JournalEvent(id, message string) (*session.Session, error) {
	message, err := session.CleanText("message", message, session.MaxMessage, session.Note)
	if err != nil {
		return nil, err
	}
	return s.journalEvent(id, message, nil)
}

// journalEvent adds an event as the hooks do (the heartbeat moved by touch),
// with more of the same change (also, if not nil).
func (s *Store) journalEvent(id, message string, also func(sess *session.Session, now string)) (*session.Session, error) {
	return s.update(id, false, func(sess *session.Session, now string) error {
		sess.Events = append(sess.Events, session.Event{Timestamp: now, Message: message})
		sess.Touch(now)
		if also != nil {
			also(sess, now)
		}
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

// ToolUse is what a finished tool call of the conversation changed, as the
// journal's hooks see it.
type ToolUse struct {
	File   string          // an edited file, repo-relative
	Tasks  []TaskUpdate    // the task tools' tasks, as they are now
	Commit *session.Commit // a commit it made, as git has it
}

// TaskUpdate is a task as Claude Code's task tools report it.
type TaskUpdate struct {
	Key     string // Claude Code's id of the task; "" for TodoWrite's, found by subject
	Subject string
	Status  string // pending, in_progress, completed or deleted (skipped); "" keeps the task's
}

// ToolUsed records a tool call: its file (once; past
// session.MaxFilesChanged left out), its tasks (found by Claude Code's id,
// which maps to one of ours, else by subject; one not found is added; a
// deleted one is skipped, not removed) and its commit (once). A tool that
// ran was not waiting for the user any more, so the flag is cleared.
func (s *Store) ToolUsed(id string, u ToolUse) (*session.Session, error) {
	var err error
	if u.File != "" {
		if u.File, err = session.CleanText("file", u.File, session.MaxFilePath, session.Line); err != nil {
			return nil, err
		}
	}
	if u.Commit != nil {
		c, err := CleanCommits([]session.Commit{*u.Commit})
		if err != nil {
			return nil, err
		}
		u.Commit = &c[0]
	}
	return s.update(id, false, func(sess *session.Session, now string) error {
		changed := sess.AwaitingAction != nil
		sess.AwaitingAction = nil
		if session.Deref(sess.State) != session.StateEnded && sess.SetState(session.StateWorking, "", now) {
			changed = true
		}
		if u.File != "" && !contains(sess.FilesChanged, u.File) && len(sess.FilesChanged) < session.MaxFilesChanged {
			sess.FilesChanged = append(sess.FilesChanged, u.File)
			changed = true
		}
		// One event changes a bounded number of tasks, and the hooks add
		// a bounded number to a session: a list of thousands would take
		// the hook seconds and the session to its size limit.
		for _, t := range u.Tasks[:min(len(u.Tasks), session.MaxEventTasks)] {
			if syncTask(sess, t, now) {
				changed = true
			}
		}
		if c := u.Commit; c != nil && !hasCommit(sess.Commits, c.SHA) && len(sess.Commits) < session.MaxCommits {
			c.Timestamp = &now // when the hook saw it: the brief orders by it
			sess.Commits = append(sess.Commits, *c)
			changed = true
		}
		if !changed {
			return errUnchanged
		}
		sess.Touch(now)
		return nil
	})
}

// syncTask applies one update to the session's tasks and reports whether
// anything changed. A task is found by its key's id, else by its subject:
// the same task can come first without its key (TodoWrite, or a TaskCreate
// whose answer named no id) and later with it; it then takes the key's id,
// so that an update naming only the key finds it.
func syncTask(sess *session.Session, u TaskUpdate, now string) bool {
	subject := firstLine(u.Subject, session.MaxTaskSubject)
	status, known := taskStatus(u.Status)
	tid := ""
	if u.Key != "" {
		tid = taskIDFor(u.Key)
	}
	t := findTask(sess.Tasks, tid, subject)
	if t == nil {
		if subject == "" || len(sess.Tasks) >= session.MaxHookTasks || hasTaskSubject(sess.Tasks, subject, "") {
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
	changed := false
	if tid != "" && t.ID != tid {
		t.ID, changed = tid, true
	}
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

// findTask is the task with id tid, else (when no task has that id) the one
// with the subject, if it came without a key: a task keyed otherwise is
// another task of the same name. nil when there is neither.
func findTask(tasks []session.Task, tid, subject string) *session.Task {
	if tid != "" {
		for i := range tasks {
			if tasks[i].ID == tid {
				return &tasks[i]
			}
		}
	}
	if subject != "" {
		for i := range tasks {
			if tasks[i].Subject == subject && (tid == "" || tasks[i].ID == taskIDFor("subject:"+subject)) {
				return &tasks[i]
			}
		}
	}
	return nil
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
