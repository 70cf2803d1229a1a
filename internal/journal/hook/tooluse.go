package hook

import (
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/sess-dev/sess/internal/hookio"
	"github.com/sess-dev/sess/internal/journal"
	"github.com/sess-dev/sess/pkg/session"
)

// ToolCall is a finished tool call, as a hook (PostToolUse) or a
// transcript (a tool_use and its tool_result) tells it.
type ToolCall struct {
	Name          string
	Input         hookio.ToolInput
	Cwd           string // the folder the conversation ran in
	CreatedTaskID string // TaskCreate: the new task's id, where its answer names one
	// Root is the work tree the conversation ran in, when known: a file
	// edited there is named relative to it though the folder is gone.
	Root string
	// Commit reads the commit a git commit made, (sha, subject): the hook
	// asks git for HEAD, an import reads the command's output (see
	// CommitOf). Not called for other tools.
	Commit func() (sha, subject string, err error)
}

// ErrNoCommit is Commit's error when a git commit made none.
var ErrNoCommit = errors.New("no commit in the output")

// ToolUseOf is what a finished tool call records in the journal, redacted
// as a hook's: an edited file (repo relative), the task tools' tasks, or
// the commit a git commit made; an empty ToolUse for any other tool. The
// error is Commit's.
func ToolUseOf(c ToolCall) (journal.ToolUse, error) {
	u, err := toolUseOf(c)
	return redactedUse(u), err
}

// toolUseOf is ToolUseOf unredacted: the one mapping of tool calls, the
// hook's and the import's.
func toolUseOf(c ToolCall) (journal.ToolUse, error) {
	var u journal.ToolUse
	ti := c.Input
	switch name := c.Name; {
	case name == "Edit" || name == "Write" || name == "MultiEdit" || name == "NotebookEdit":
		path := ti.FilePath
		if path == "" {
			path = ti.NotebookPath
		}
		if path != "" {
			u.File = relTo(path, c.Cwd, c.Root)
		}
	case name == "TaskCreate":
		u.Tasks = []journal.TaskUpdate{{Key: c.CreatedTaskID, Subject: ti.Subject, Status: "pending"}}
	case name == "TaskUpdate" && ti.TaskID != "":
		u.Tasks = []journal.TaskUpdate{{Key: ti.TaskID, Subject: ti.Subject, Status: ti.Status}}
	case name == "TodoWrite":
		for _, t := range ti.Todos {
			u.Tasks = append(u.Tasks, journal.TaskUpdate{Subject: t.Content, Status: t.Status})
		}
	case name == "Bash" && isGitCommit(ti.Command) && c.Commit != nil:
		sha, subject, err := c.Commit()
		if err != nil {
			return u, err
		}
		u.Commit = &session.Commit{SHA: sha, Message: subject}
	}
	return u, nil
}

// relTo is path relative to the work tree holding it (see relToRepo), else
// to root when it lies in it; else as it is.
func relTo(path, cwd, root string) string {
	rel := relToRepo(path, cwd)
	if root == "" || !filepath.IsAbs(rel) {
		return rel
	}
	if r, err := filepath.Rel(root, rel); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return rel
}

// commitLine is git commit's summary line: "[branch sha] subject", with
// "(root-commit)" or "detached HEAD" in the bracket.
var commitLine = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?m)^\[[^\]\n]*?\b([0-9a-f]{7,40})\] (.*)$`)
})

// CommitOf reads the sha and subject of the commit git commit's output
// reports; ErrNoCommit when it reports none (nothing to commit, a failed
// hook).
func CommitOf(output string) (sha, subject string, err error) {
	m := commitLine().FindAllStringSubmatch(output, -1)
	if len(m) == 0 {
		return "", "", ErrNoCommit
	}
	last := m[len(m)-1] // a chain of commits: the last one is HEAD
	if subject = strings.TrimSpace(last[2]); subject == "" {
		subject = "(no subject)"
	}
	return last[1], subject, nil
}

// Redacted is text with secrets and personal data taken out, as every
// text a hook keeps (its first part, see headRedacted): the one redaction
// point, for what an import keeps too.
func Redacted(text string) string { return redacted(text) }

// CompactNote is the journal's event for a compaction with Claude Code's
// summary, redacted and trimmed, as PostCompact records it.
func CompactNote(summary string) string { return compactMessage(redacted(summary)) }
