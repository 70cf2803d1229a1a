package journal

import (
	"fmt"
	"hash/fnv"
	"slices"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

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
func ToolUsed(st *store.Store, id string, u ToolUse) (*session.Session, error) {
	u, err := cleanUse(u)
	if err != nil {
		return nil, err
	}
	return update(st, id, false, func(sess *session.Session, now string) error {
		changed := sess.AwaitingAction != nil
		sess.AwaitingAction = nil
		if session.Deref(sess.State) != session.StateEnded && sess.SetState(session.StateWorking, "", now) {
			changed = true
		}
		if applyUse(sess, u, now) {
			changed = true
		}
		if !changed {
			return errUnchanged
		}
		sess.Touch(now)
		return nil
	})
}

// cleanUse checks what a tool use records against the store's rules.
func cleanUse(u ToolUse) (ToolUse, error) {
	var err error
	if u.File != "" {
		if u.File, err = session.CleanText("file", u.File, session.MaxFilePath, session.Line); err != nil {
			return u, err
		}
	}
	if u.Commit != nil {
		c, err := store.CleanCommits([]session.Commit{*u.Commit})
		if err != nil {
			return u, err
		}
		u.Commit = &c[0]
	}
	return u, nil
}

// applyUse adds what u records to the session, at time now: its file
// (once, up to MaxFilesChanged), its tasks, its commit (once); it reports
// whether anything changed.
func applyUse(sess *session.Session, u ToolUse, now string) bool {
	changed := false
	if u.File != "" && !slices.Contains(sess.FilesChanged, u.File) && len(sess.FilesChanged) < session.MaxFilesChanged {
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
	if u.Commit != nil && !session.HasCommit(sess.Commits, u.Commit.SHA) && len(sess.Commits) < session.MaxCommits {
		c := *u.Commit
		c.Timestamp = &now // when the hook saw it: the brief orders by it
		sess.Commits = append(sess.Commits, c)
		changed = true
	}
	return changed
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
		if subject == "" || len(sess.Tasks) >= session.MaxHookTasks || session.HasTaskSubject(sess.Tasks, subject, "") {
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
	if subject != "" && subject != t.Subject && !session.HasTaskSubject(sess.Tasks, subject, t.ID) {
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
