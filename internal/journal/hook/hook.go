package hook

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/sess-dev/sess/internal/hookio"
	"github.com/sess-dev/sess/internal/journal"
	"github.com/sess-dev/sess/internal/redact"
	"github.com/sess-dev/sess/internal/transcript"
	"github.com/sess-dev/sess/internal/window"
	"github.com/sess-dev/sess/pkg/export"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// Hook handles hook events against one store.
type Hook struct {
	Store  *store.Store
	Getenv func(string) string
	Stderr io.Writer // one line per problem; a hook never fails
	Name   string    // what the lines on Stderr start with
	// FindWindow finds the Claude Code window the hook runs in ("" when
	// unknown, see internal/window), once, when an event needs it (a
	// throttled Stop does not); Alive tells whether a window still runs.
	FindWindow func() window.ID
	Alive      func(window.ID) bool
	// Archive hands off the append of a conversation's new transcript
	// rows to the archive (see archive); nil keeps no archive.
	Archive func(claudeID, transcriptPath string) error
	win     *window.ID
}

// New is a Hook in the window it runs in.
func New(st *store.Store, getenv func(string) string, stderr io.Writer, name string) *Hook {
	return &Hook{Store: st, Getenv: getenv, Stderr: stderr, Name: name, FindWindow: window.Current, Alive: window.Alive}
}

// window is the window the hook runs in, found on first use.
func (h *Hook) window() string {
	if h.win == nil {
		var w window.ID
		if h.FindWindow != nil {
			w = h.FindWindow()
		}
		h.win = &w
	}
	return string(*h.win)
}

// Handle records one event and returns what to print on stdout (for
// SessionStart, a line for the model's context). Subagents' events and
// events the journal does not use change nothing.
func (h *Hook) Handle(in hookio.Input) string {
	if in.SessionID == "" {
		h.warn("no session_id in the hook's input")
		return ""
	}
	if in.HookEventName == "SessionStart" {
		return h.Launch(in, nil, nil, nil)
	}
	if in.AgentID != "" {
		return "" // a subagent's event: not the conversation's own
	}
	if in.HookEventName != "SessionEnd" && in.HookEventName != "Stop" {
		// The window runs this conversation now (an end may come after the
		// next conversation's start: it says nothing of the window; a
		// Stop says so once it is not throttled, see turnEnded).
		h.Store.Derived().RanIn(h.window(), in.SessionID)
	}
	if in.HookEventName != "Stop" {
		// The conversation did something: its next Stop records the end
		// of a turn, whatever the answer says.
		h.unthrottle(in.SessionID)
	}
	var act func(id string) error
	switch in.HookEventName {
	case "UserPromptSubmit":
		// What is kept of the prompt, its first line, is redacted before it
		// is cut, so that a secret cut in two is still found.
		intent := journal.IntentOf(redacted(in.Prompt))
		act = func(id string) error { _, err := journal.PromptSubmitted(h.Store, id, intent); return err }
	case "Stop":
		h.turnEnded(in)
		return ""
	case "Notification":
		if in.NotificationType == "agent_completed" {
			act = func(id string) error { _, err := journal.Idle(h.Store, id); return err }
			break
		}
		in.Message = redacted(in.Message)
		reason := waitReason(in)
		if reason == "" {
			return ""
		}
		act = func(id string) error { _, err := journal.Waiting(h.Store, id, reason); return err }
	case "PostToolUse", "TaskCreated", "TaskCompleted":
		u, ok := h.toolUse(in)
		if !ok {
			return ""
		}
		u = redactedUse(u)
		act = func(id string) error { _, err := journal.ToolUsed(h.Store, id, u); return err }
	case "StopFailure":
		kind := redacted(in.Error) // a kind today; redacted all the same, as all a hook keeps
		act = func(id string) error { _, err := journal.TurnFailed(h.Store, id, kind); return err }
	case "PreCompact":
		h.archive(in)
		return ""
	case "SessionEnd":
		defer h.archive(in) // last, as at a Stop (see turnEnded)
		reason := redacted(in.Reason)
		act = func(id string) error { _, err := journal.ConversationEnded(h.Store, id, reason); return err }
	case "PostCompact":
		msg := compactMessage(redacted(in.CompactSummary))
		act = func(id string) error { _, err := journal.Noted(h.Store, id, msg); return err }
	default:
		return ""
	}
	owned, err := h.own(in, act)
	if err == nil && !owned && in.HookEventName == "UserPromptSubmit" && h.lateLaunch(in) {
		_, err = h.own(in, act)
	}
	if err != nil {
		h.warn("%v", err)
	}
	return ""
}

// lateLaunch registers a conversation that has no session at its prompt:
// its SessionStart was missed (Claude Code 2.1 starts a conversation forked
// with --fork-session under its parent's id), or its session ended
// (/session-end) and it goes on. It reports whether it registered one.
func (h *Hook) lateLaunch(in hookio.Input) bool {
	l, ok := h.launchOf(in, nil, nil, nil)
	if !ok {
		return false
	}
	l.Source = journal.SourceLate
	if _, _, err := journal.RegisterLaunch(h.Store, l); err != nil {
		h.warn("%v", err)
		return false
	}
	return true
}

// headRedacted is how much of a prompt or an answer is redacted before the
// journal cuts what it keeps from its beginning: at most a 500-character
// first line, and room after it for any secret that starts in it (a
// private key is taken out from its BEGIN line on). Redaction reads about
// a megabyte a second: 8,000 characters cost a Stop 6 ms more.
const headRedacted = 2000

// redacted is the text (its first headRedacted characters) with secrets
// and personal data taken out. It is the one redaction point of the
// hooks: every text from Claude Code they keep goes through it.
func redacted(text string) string {
	if r := []rune(text); len(r) > headRedacted {
		text = string(r[:headRedacted])
	}
	out, _ := redact.Text(text)
	return out
}

// redactedUse is u (made for this event, so changed in place) with what it keeps of the conversation redacted: the
// tasks' subjects (the model writes them, secrets and all), the commit's
// subject and the file's path (a home folder's user name, outside the
// repository). A TodoWrite's task is found again by its subject, which
// redacts to the same text each time.
func redactedUse(u journal.ToolUse) journal.ToolUse {
	if u.File != "" {
		u.File = redacted(u.File)
	}
	// The store takes at most MaxEventTasks of one event: only those are
	// redacted, so that a list of thousands costs no more than that.
	u.Tasks = u.Tasks[:min(len(u.Tasks), session.MaxEventTasks)]
	for i := range u.Tasks {
		u.Tasks[i].Subject = redacted(u.Tasks[i].Subject)
	}
	if u.Commit != nil {
		u.Commit.Message = redacted(u.Commit.Message)
	}
	return u
}

// own runs act on the conversation's own session, if it has one, and
// reports whether it had, and what went wrong.
func (h *Hook) own(in hookio.Input, act func(id string) error) (bool, error) {
	// The pointer first: the project (a walk up to the repository) is
	// needed only to search for a session without one.
	sess := journal.Pointed(h.Store, in.SessionID)
	if sess == nil {
		var err error
		if sess, err = journal.ActiveByClaudeID(h.Store, in.SessionID, h.slugOf(in)); err != nil {
			return true, err
		}
	}
	if sess == nil {
		return false, nil // registered by its SessionStart, or by the skills
	}
	return true, act(sess.SessionID)
}

func (h *Hook) slugOf(in hookio.Input) string {
	project, _ := projectOf(in.Cwd, h.Getenv)
	return session.SlugOf(project)
}

// toolUse is what a finished tool call, or a task event, records (see
// toolUseOf): the commit a git commit made is read from git, not from the
// command's output. false for anything else.
func (h *Hook) toolUse(in hookio.Input) (journal.ToolUse, bool) {
	if in.HookEventName == "TaskCreated" || in.HookEventName == "TaskCompleted" {
		status := "pending"
		if in.HookEventName == "TaskCompleted" {
			status = "completed"
		}
		return journal.ToolUse{Tasks: []journal.TaskUpdate{{Key: in.TaskID, Subject: in.TaskSubject, Status: status}}}, true
	}
	u, err := toolUseOf(ToolCall{Name: in.ToolName, Input: in.ToolInput, Cwd: in.Cwd, CreatedTaskID: in.CreatedTaskID,
		Commit: func() (string, string, error) { return lastCommit(in.Cwd) }})
	if err != nil {
		h.warn("no commit to record: %v", err)
		return u, false
	}
	// Any other tool that reaches the hook clears the waiting flag.
	return u, in.HookEventName == "PostToolUse" || len(u.Tasks) > 0
}

// relToRepo is path relative to the work tree holding cwd, when it is in
// it; else as it is.
func relToRepo(path, cwd string) string {
	if !filepath.IsAbs(path) {
		path = filepath.Join(cwd, path)
	}
	if root := hookio.WorktreeRoot(filepath.Dir(path)); root != "" {
		if rel, err := filepath.Rel(root, path); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	return path
}

// isGitCommit reports whether a shell command runs git commit: a command
// (alone, or after cd … &&, ;, |) that is git, with git's options before
// the subcommand.
func isGitCommit(command string) bool {
	segments := strings.FieldsFunc(command, func(r rune) bool {
		return r == ';' || r == '&' || r == '|' || r == '(' || r == ')' || r == '\n'
	})
	for _, seg := range segments {
		fields := strings.Fields(seg)
		for len(fields) > 0 && strings.Contains(fields[0], "=") {
			fields = fields[1:] // VAR=value before the command
		}
		if len(fields) == 0 || fields[0] != "git" {
			continue
		}
		for j := 1; j < len(fields); j++ {
			switch g := fields[j]; {
			case g == "commit":
				return true
			case g == "-C" || g == "-c" || g == "--git-dir" || g == "--work-tree":
				j++ // the option's value
			case strings.HasPrefix(g, "-"):
			default:
				j = len(fields) // another subcommand
			}
		}
	}
	return false
}

// lastCommit reads the sha and subject of HEAD in cwd's repository.
func lastCommit(cwd string) (sha, subject string, err error) {
	cmd := exec.Command("git", "-C", cwd, "log", "-1", "--format=%H%x00%s")
	out, err := cmd.Output()
	if err != nil {
		return "", "", fmt.Errorf("git log in %s: %w", cwd, err)
	}
	sha, subject, ok := strings.Cut(strings.TrimRight(string(out), "\n"), "\x00")
	if !ok || sha == "" {
		return "", "", fmt.Errorf("git log in %s: no commit", cwd)
	}
	if subject = strings.TrimSpace(subject); subject == "" {
		subject = "(no subject)"
	}
	return sha, subject, nil
}

// maxSummary bounds the compact summary kept in an event.
const maxSummary = 1000

// compactMessage is the journal's event for a compaction, with Claude
// Code's summary, trimmed.
func compactMessage(summary string) string {
	if sum := strings.TrimSpace(summary); sum != "" {
		if r := []rune(sum); len(r) > maxSummary {
			sum = string(r[:maxSummary-1]) + "…"
		}
		return "Conversation compacted: " + sum
	}
	return "Conversation compacted"
}

// waitReason is what the session waits for, in words, for the
// notifications that mean the user must act; "" for the others.
func waitReason(in hookio.Input) string {
	var what string
	switch in.NotificationType {
	case "permission_prompt":
		what = "Waiting for your permission"
	case "idle_prompt", "agent_needs_input":
		what = "Waiting for your input"
	case "elicitation_dialog", "elicitation":
		what = "Waiting for your answer"
	default:
		return ""
	}
	if msg := hookio.OneLine(in.Message, session.MaxReason); msg != "" {
		return msg
	}
	return what
}

// Launch registers the conversation of a SessionStart (see projectOf) and
// returns what Claude Code adds to the model's context: a line with the
// session's id and the thread's brief; "" with one warning when it could
// not. Flags given to register-launch win over what the hook's folder says.
func (h *Hook) Launch(in hookio.Input, project, worktree, intent *string) string {
	if in.SessionID == "" {
		h.warn("no session_id in the hook's input")
		return ""
	}
	l, ok := h.launchOf(in, project, worktree, intent)
	if !ok {
		h.failedLaunch(in)
		return ""
	}
	sess, created, err := journal.RegisterLaunch(h.Store, l)
	if err != nil {
		h.warn("%v", err)
		h.failedLaunch(in)
		return ""
	}
	how := "continued"
	if created {
		how = "new"
	}
	line := fmt.Sprintf("sess: session %s (project %s, %s). Use this id for sess-manage commands in this conversation.", sess.SessionID, sess.ProjectSlug, how)
	thread, err := journal.Thread(h.Store, sess.SessionID)
	if err != nil {
		h.warn("no brief: %v", err)
		return line
	}
	// The whole context, the line included, keeps to brief_max_chars.
	brief := export.Brief(thread, h.Store.View().Config().Settings.BriefMax()-utf8.RuneCountInString(line)-2, journal.IsLaunchIntent)
	// Claude Code's picker shows the thread's title for a new conversation
	// that carries a thread on and has no title of its own (one that goes
	// on keeps whatever title it has, /rename's included).
	title := ""
	if created && in.SessionTitle == "" && len(thread) > 1 {
		title = export.ThreadTitle(thread, journal.IsLaunchIntent)
	}
	if brief == "" && title == "" {
		return line
	}
	if brief != "" {
		line += "\n\n" + brief
	}
	return sessionStartOutput(line, title)
}

// failedLaunch records that the window runs the conversation whose launch
// failed, so that a /clear next does not carry on the one before it (a
// /resume of another conversation that failed). A failed /clear is not
// recorded: the window's conversation before it is the one a retry, or the
// next /clear, carries on.
func (h *Hook) failedLaunch(in hookio.Input) {
	if in.Source != journal.SourceClear {
		h.Store.Derived().RanIn(h.window(), in.SessionID)
	}
}

// launchOf is what a SessionStart tells of the conversation that begins:
// its project and work tree (from the git repository around its folder,
// registered on the way), its branch, its window, and how to read the
// conversations its transcript carries over. false, with a warning, for a
// folder that is gone.
func (h *Hook) launchOf(in hookio.Input, project, worktree, intent *string) (journal.Launch, bool) {
	l := journal.Launch{ClaudeSessionID: in.SessionID, Project: session.Deref(project), WorktreeRoot: worktree, Intent: intent, Title: redacted(in.SessionTitle),
		Source: in.Source, Hooked: true, Window: h.window()}
	if h.Alive != nil {
		l.Alive = func(w string) bool { return h.Alive(window.ID(w)) }
	}
	if in.TranscriptPath != "" {
		l.Carried = func() []string { return transcript.Carried(in.TranscriptPath, in.SessionID) }
	}
	if project != nil {
		if worktree == nil {
			if root := hookio.WorktreeRoot(in.Cwd); root != "" {
				l.WorktreeRoot = &root
			}
		}
		return l, true
	}
	if fi, err := os.Stat(in.Cwd); in.Cwd != "" && (err != nil || !fi.IsDir()) {
		h.warn("%s is not a folder: no session registered", in.Cwd)
		return l, false
	}
	var repo *hookio.Repo
	l.Project, repo = projectOf(in.Cwd, h.Getenv)
	if repo != nil {
		l.GitBranch = repo.Branch
		if l.WorktreeRoot == nil {
			l.WorktreeRoot = &repo.Worktree
		}
		if _, err := h.Store.RegisterProject(filepath.Base(repo.Root), repo.Root); err != nil {
			h.warn("not registering %s: %v", repo.Root, err)
		}
	} else if l.WorktreeRoot == nil && filepath.IsAbs(l.Project) {
		// Outside any repository the folder is where the work is: the
		// place a later conversation there carries it on from.
		folder := filepath.Clean(l.Project)
		l.WorktreeRoot = &folder
	}
	return l, true
}

// sessionStartOutput is SessionStart's JSON answer, which hands Claude Code
// the context to add and, when not "", the conversation's title.
func sessionStartOutput(context, title string) string {
	var out struct {
		HookSpecificOutput struct {
			HookEventName     string `json:"hookEventName"`
			AdditionalContext string `json:"additionalContext"`
			SessionTitle      string `json:"sessionTitle,omitempty"`
		} `json:"hookSpecificOutput"`
	}
	out.HookSpecificOutput.HookEventName = "SessionStart"
	out.HookSpecificOutput.AdditionalContext = context
	out.HookSpecificOutput.SessionTitle = title
	data, _ := json.Marshal(out)
	return string(data)
}

// projectOf is the project of a conversation in folder cwd: the main folder
// of the git repository around it (a subfolder or a linked work tree counts
// as the repository), else the folder itself ($CLAUDE_PROJECT_DIR when
// Claude Code gives no folder).
func projectOf(cwd string, getenv func(string) string) (string, *hookio.Repo) {
	if cwd == "" {
		cwd = getenv("CLAUDE_PROJECT_DIR")
	}
	if cwd == "" {
		cwd, _ = os.Getwd()
	}
	if repo, ok := hookio.RepoOf(cwd); ok {
		return repo.Root, &repo
	}
	return cwd, nil
}

func (h *Hook) warn(format string, args ...any) {
	fmt.Fprintf(h.Stderr, h.Name+": "+format+"\n", args...)
}
