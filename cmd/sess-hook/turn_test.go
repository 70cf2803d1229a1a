package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sess-dev/sess/internal/journal/hook"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
	"github.com/sess-dev/sess/pkg/store/derived"
)

// started registers conversation id in a folder outside any repository.
func started(t *testing.T, extra map[string]any) (dir, cwd string, st *store.Store) {
	t.Helper()
	base := t.TempDir()
	dir, cwd = filepath.Join(base, "dashboard"), filepath.Join(base, "notes")
	os.Mkdir(cwd, 0o700)
	ev := map[string]any{"session_id": "C1", "cwd": cwd, "hook_event_name": "SessionStart", "source": "startup"}
	for k, v := range extra {
		ev[k] = v
	}
	hookRun(t, dir, ev)
	return dir, cwd, store.Open(dir, store.Options{})
}

// events sends events of conversation C1 in folder cwd.
func events(t *testing.T, dir, cwd string) func(name string, extra map[string]any) {
	return func(name string, extra map[string]any) {
		t.Helper()
		m := map[string]any{"session_id": "C1", "cwd": cwd, "hook_event_name": name}
		for k, v := range extra {
			m[k] = v
		}
		hookRun(t, dir, m)
	}
}

// TestStopThrottle: a Stop that brings the same activity within the
// interval writes nothing; a new activity, or a waiting flag set since, is
// recorded at once.
func TestStopThrottle(t *testing.T) {
	dir, cwd, st := started(t, nil)
	stop := func(msg string) {
		hookRun(t, dir, map[string]any{"session_id": "C1", "cwd": cwd, "hook_event_name": "Stop", "last_assistant_message": msg})
	}
	stop("Tests pass. Done.")
	first := own(t, st, "C1")
	if session.Deref(first.CurrentActivity) != "Tests pass." {
		t.Fatalf("activity: %q", session.Deref(first.CurrentActivity))
	}
	mark := filepath.Join(dir, derived.ConversationsDir, "C1")
	if _, err := os.Stat(mark); err != nil {
		t.Fatalf("no mark after a recorded Stop: %v", err)
	}
	// Make the session file's content tell whether the next Stop wrote.
	path := filepath.Join(dir, "sessions", first.SessionID+".json")
	before, _ := os.ReadFile(path)
	stop("Tests pass. Done again.")
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("a Stop with the same activity within the interval wrote the session")
	}
	hookRun(t, dir, map[string]any{"session_id": "C1", "cwd": cwd, "hook_event_name": "Notification", "notification_type": "idle_prompt", "message": "Claude is waiting for your input"})
	if own(t, st, "C1").AwaitingAction == nil {
		t.Fatal("idle_prompt set no flag")
	}
	stop("Tests pass. Still.")
	if s := own(t, st, "C1"); s.AwaitingAction != nil {
		t.Errorf("a Stop after a Notification left the flag: %q", *s.AwaitingAction)
	}
	stop("Now the docs.")
	if got := session.Deref(own(t, st, "C1").CurrentActivity); got != "Now the docs." {
		t.Errorf("a new activity within the interval was not recorded: %q", got)
	}
	// An old mark is due even with the same activity: the Stop is recorded
	// (the heartbeat moves if it is a minute old) and the mark renewed.
	old := time.Now().Add(-hook.StopInterval - time.Minute)
	os.Chtimes(mark, old, old)
	stop("Now the docs.")
	if fi, err := os.Stat(mark); err != nil || !fi.ModTime().After(old.Add(time.Minute)) {
		t.Error("a Stop past the interval was taken as throttled")
	}
}

// TestToolUse: task tools keep one task per Claude Code task, whichever
// event names it first; any tool call clears the waiting flag.
func TestToolUse(t *testing.T) {
	dir, cwd, st := started(t, map[string]any{"session_title": "Refactor the parser"})
	if got := session.Deref(own(t, st, "C1").Title); got != "Refactor the parser" {
		t.Errorf("title: %q", got)
	}
	ev := events(t, dir, cwd)
	// The tool's answer comes first, without an id; TaskCreated then names it.
	ev("PostToolUse", map[string]any{"tool_name": "TaskCreate", "tool_input": map[string]any{"subject": "Split the lexer", "description": "x"}, "tool_response": map[string]any{"ok": true}})
	ev("TaskCreated", map[string]any{"task_id": "1", "task_subject": "Split the lexer"})
	ev("PostToolUse", map[string]any{"tool_name": "TaskCreate", "tool_input": map[string]any{"subject": "Fuzz the reader"}, "tool_response": "Task #2 created successfully: Fuzz the reader"})
	ev("PostToolUse", map[string]any{"tool_name": "TaskUpdate", "tool_input": map[string]any{"taskId": "1", "status": "in_progress"}})
	ev("PostToolUse", map[string]any{"tool_name": "TaskUpdate", "tool_input": map[string]any{"taskId": "2", "status": "deleted"}})
	ev("Notification", map[string]any{"notification_type": "permission_prompt", "message": "Claude needs your permission to use Write"})
	ev("PostToolUse", map[string]any{"tool_name": "Write", "tool_input": map[string]any{"file_path": filepath.Join(cwd, "lexer.go")}})
	ev("TaskCompleted", map[string]any{"task_id": "1", "task_subject": "Split the lexer"})
	ev("SessionStart", map[string]any{"source": "resume", "session_title": "Parser refactor, part 2"})

	s := own(t, st, "C1")
	want := map[string]session.TaskStatus{"Split the lexer": session.TaskCompleted, "Fuzz the reader": session.TaskSkipped}
	if len(s.Tasks) != len(want) {
		t.Fatalf("tasks: %+v", s.Tasks)
	}
	for _, task := range s.Tasks {
		if want[task.Subject] != task.Status {
			t.Errorf("task %q: %s, want %s", task.Subject, task.Status, want[task.Subject])
		}
	}
	if s.AwaitingAction != nil {
		t.Errorf("a tool call after the permission prompt left the flag: %q", *s.AwaitingAction)
	}
	if len(s.FilesChanged) != 1 || s.FilesChanged[0] != filepath.Join(cwd, "lexer.go") {
		t.Errorf("files outside a repository stay absolute: %q", s.FilesChanged)
	}
	if got := session.Deref(s.Title); got != "Parser refactor, part 2" {
		t.Errorf("title after resume: %q", got)
	}
}

// TestRedacted: what the hooks keep of prompts, answers, notifications and
// compact summaries has its secrets and personal data taken out.
func TestRedacted(t *testing.T) {
	dir, cwd, st := started(t, nil)
	ev := events(t, dir, cwd)
	token := "ghp_" + "Zr8Kq2Lm4Np6Qs8Tu0Vw2Xy4Za6Bc8De0Fg2"
	ev("UserPromptSubmit", map[string]any{"prompt": "Use GITHUB_TOKEN=" + token + " to push; mail ann@example.org\nmore"})
	ev("Stop", map[string]any{"last_assistant_message": "Pushed from /home/alice/src/app with " + token + ". Done."})
	ev("PostCompact", map[string]any{"compact_summary": "The user (call +31 6 12345678) wants " + token})
	s := own(t, st, "C1")
	kept := s.Intent + "\n" + session.Deref(s.CurrentActivity) + "\n" + s.Events[len(s.Events)-1].Message
	for _, secret := range []string{token, "ann@example.org", "alice", "12345678"} {
		if strings.Contains(kept, secret) {
			t.Errorf("%q kept:\n%s", secret, kept)
		}
	}
	if !strings.Contains(s.Intent, "[REDACTED:github-pat]") || !strings.Contains(session.Deref(s.CurrentActivity), "/home/[user]/src/app") {
		t.Errorf("redactions: intent %q, activity %q", s.Intent, session.Deref(s.CurrentActivity))
	}
}

// TestRedactedTasks: a task's subject goes through the journal's redaction
// as a prompt does, from each event that carries one (TaskCreated,
// TaskCreate, TaskUpdate, TodoWrite); nothing the store writes holds the
// secret, and TodoWrite's task is still found again by its subject.
func TestRedactedTasks(t *testing.T) {
	dir, cwd, st := started(t, nil)
	ev := events(t, dir, cwd)
	token := "ghp_" + "Zr8Kq2Lm4Np6Qs8Tu0Vw2Xy4Za6Bc8De0Fg2"
	stripe := "sk_live_" + "Qx7Vb2Nm9Lk4Jh6Gf3Dd8Ss1"
	ev("TaskCreated", map[string]any{"task_id": "1", "task_subject": "Push with GITHUB_TOKEN=" + token})
	ev("PostToolUse", map[string]any{"tool_name": "TaskCreate", "tool_input": map[string]any{"subject": "Set DB_PASSWORD=hunter2 in prod"}, "tool_response": map[string]any{"task": map[string]any{"id": "2"}}})
	ev("PostToolUse", map[string]any{"tool_name": "TaskUpdate", "tool_input": map[string]any{"taskId": "1", "subject": "Push with GITHUB_TOKEN=" + token + ", rotate " + stripe, "status": "in_progress"}})
	todos := func(status string) map[string]any {
		return map[string]any{"tool_name": "TodoWrite", "tool_input": map[string]any{"todos": []map[string]any{
			{"content": "Mail ann@example.org the key " + stripe + ".", "status": status, "activeForm": "Mailing"}}}}
	}
	ev("PostToolUse", todos("in_progress"))
	ev("PostToolUse", todos("completed"))
	s := own(t, st, "C1")
	var subjects []string
	for _, task := range s.Tasks {
		subjects = append(subjects, task.Subject+"="+string(task.Status))
	}
	kept := strings.Join(subjects, "\n")
	if want, have := 3, len(s.Tasks); want != have {
		t.Errorf("tasks: want %d, have %d:\n%s", want, have, kept)
	}
	for _, want := range []string{"[REDACTED:github-pat]", "DB_PASSWORD=[REDACTED:credential]", "[REDACTED:stripe-access-token]", "[REDACTED:email]", "=completed"} {
		if !strings.Contains(kept, want) {
			t.Errorf("want %q in the tasks:\n%s", want, kept)
		}
	}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		for _, secret := range []string{token, stripe, "hunter2", "ann@example.org"} {
			if strings.Contains(string(data), secret) {
				t.Errorf("%s holds %q", path, secret)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestStopAfterPrompt: a turn that ends with the same first sentence as the
// last one still ends (idle), since a prompt came between; and a secret
// that the intent's cut would split is still redacted.
func TestStopAfterPrompt(t *testing.T) {
	dir, cwd, st := started(t, nil)
	ev := events(t, dir, cwd)
	token := "ghp_" + "Zr8Kq2Lm4Np6Qs8Tu0Vw2Xy4Za6Bc8De0Fg2"
	ev("UserPromptSubmit", map[string]any{"prompt": strings.Repeat("a", 470) + " use token " + token})
	ev("Stop", map[string]any{"last_assistant_message": "Tests pass. Done."})
	ev("UserPromptSubmit", map[string]any{"prompt": "again"})
	ev("Stop", map[string]any{"last_assistant_message": "Tests pass. All green."})
	s := own(t, st, "C1")
	if live := session.LiveState(s, time.Now(), 24); live.State != session.StateIdle {
		t.Errorf("after the second turn: %s", live.State)
	}
	if strings.Contains(s.Intent, "ghp_") {
		t.Errorf("a cut token kept: %q", s.Intent[len(s.Intent)-40:])
	}
}

// TestLastQuestion: the question an answer ends with is kept, redacted
// (from the end of an answer longer than what is redacted from its start),
// until a prompt answers it or a later answer asks none; a Stop with the
// same first sentence and a new question is not throttled.
func TestLastQuestion(t *testing.T) {
	dir, cwd, st := started(t, nil)
	ev := events(t, dir, cwd)
	token := "ghp_" + "Zr8Kq2Lm4Np6Qs8Tu0Vw2Xy4Za6Bc8De0Fg2"
	question := func() string { return session.Deref(own(t, st, "C1").LastQuestion) }
	long := "The tests pass. " + strings.Repeat("Lots of detail here. ", 600) + "\n\nShall I push with " + token + " now?"
	ev("Stop", map[string]any{"last_assistant_message": long})
	if q := question(); q != "Shall I push with [REDACTED:github-pat] now?" {
		t.Errorf("question %q", q)
	}
	ev("Stop", map[string]any{"last_assistant_message": "The tests pass. Want the docs **too**?"})
	if q := question(); q != "Want the docs **too**?" {
		t.Errorf("a new question after the same first sentence: %q", q)
	}
	ev("UserPromptSubmit", map[string]any{"prompt": "yes"})
	if q := question(); q != "" {
		t.Errorf("a prompt answers it, still %q", q)
	}
	ev("Stop", map[string]any{"last_assistant_message": "Which one: the README or the site?"})
	ev("Stop", map[string]any{"last_assistant_message": "Docs written."})
	if q := question(); q != "" {
		t.Errorf("an answer that asks nothing leaves %q", q)
	}
}

// TestAgentNotifications: agent_needs_input waits for the user,
// agent_completed is idle.
func TestAgentNotifications(t *testing.T) {
	dir, cwd, st := started(t, nil)
	ev := events(t, dir, cwd)
	ev("Notification", map[string]any{"notification_type": "agent_needs_input", "message": ""})
	s := own(t, st, "C1")
	if session.Deref(s.AwaitingAction) != "Waiting for your input" || session.Deref(s.State) != session.StateWaiting {
		t.Errorf("agent_needs_input: %q, %q", session.Deref(s.AwaitingAction), session.Deref(s.State))
	}
	ev("Notification", map[string]any{"notification_type": "agent_completed", "message": "Done"})
	s = own(t, st, "C1")
	if s.AwaitingAction != nil || session.Deref(s.State) != session.StateIdle {
		t.Errorf("agent_completed: %q, %q", session.Deref(s.AwaitingAction), session.Deref(s.State))
	}
}

// TestThreadTitle: a conversation that carries a thread on and has no
// title of its own is given the thread's, for Claude Code's picker; one
// that has a title keeps it.
func TestThreadTitle(t *testing.T) {
	dir, cwd, _ := started(t, map[string]any{"session_title": "OAuth login"})
	title := func(out string) string {
		var v struct{ HookSpecificOutput struct{ SessionTitle string } }
		json.Unmarshal([]byte(out), &v)
		return v.HookSpecificOutput.SessionTitle
	}
	hookRun(t, dir, map[string]any{"session_id": "C1", "cwd": cwd, "hook_event_name": "SessionEnd", "reason": "clear"})
	out, _ := hookRun(t, dir, map[string]any{"session_id": "C2", "cwd": cwd, "hook_event_name": "SessionStart", "source": "clear"})
	if got := title(out); got != "OAuth login" {
		t.Errorf("after /clear the title is %q:\n%s", got, out)
	}
	hookRun(t, dir, map[string]any{"session_id": "C2", "cwd": cwd, "hook_event_name": "SessionEnd", "reason": "clear"})
	out, _ = hookRun(t, dir, map[string]any{"session_id": "C3", "cwd": cwd, "hook_event_name": "SessionStart", "source": "clear", "session_title": "Mine"})
	if got := title(out); got != "" {
		t.Errorf("a conversation with a title was given %q", got)
	}
	out, _ = hookRun(t, dir, map[string]any{"session_id": "C3", "cwd": cwd, "hook_event_name": "SessionStart", "source": "compact"})
	if got := title(out); got != "" {
		t.Errorf("a conversation that goes on was given %q (its own title may be /rename's)", got)
	}
	out, _ = hookRun(t, dir, map[string]any{"session_id": "C9", "cwd": t.TempDir(), "hook_event_name": "SessionStart", "source": "startup"})
	if strings.Contains(out, "sessionTitle") {
		t.Errorf("a new thread has no title to give:\n%s", out)
	}
}

// TestHugeTodoWrite: a TodoWrite of 15,000 items is recorded in part and
// fast (it took seconds and filled the session before).
func TestHugeTodoWrite(t *testing.T) {
	dir, cwd, st := started(t, nil)
	ev := events(t, dir, cwd)
	todos := make([]map[string]any, 15000) // within the 1 MiB a hook reads
	for i := range todos {
		todos[i] = map[string]any{"content": fmt.Sprintf("Item %d", i), "status": "pending", "activeForm": "x"}
	}
	start := time.Now()
	for range 3 {
		ev("PostToolUse", map[string]any{"tool_name": "TodoWrite", "tool_input": map[string]any{"todos": todos}})
	}
	took := time.Since(start)
	if n := len(own(t, st, "C1").Tasks); n != session.MaxEventTasks {
		t.Errorf("%d tasks, want the first %d", n, session.MaxEventTasks)
	}
	t.Logf("three TodoWrite calls of 15,000 items: %v", took)
}
