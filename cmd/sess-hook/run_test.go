package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/sess-dev/sess/internal/journal"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// hookRun runs one event through sess-hook in-process and returns its
// stdout and stderr.
func hookRun(t *testing.T, dir string, event map[string]any) (string, string) {
	t.Helper()
	data, _ := json.Marshal(event)
	var out, errb bytes.Buffer
	getenv := func(k string) string {
		switch k {
		case "SESS_DASHBOARD_DIR":
			return dir
		case archiveModeVar:
			return "off" // a detached append would outlive the test
		}
		return ""
	}
	if err := run(context.Background(), nil, getenv, bytes.NewReader(data), &out, &errb); err != nil {
		t.Fatalf("%v: %v", event["hook_event_name"], err)
	}
	return out.String(), errb.String()
}

func gitRepo(t *testing.T, path string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("skipping: git is not installed (.ci/run installs it)")
	}
	for _, args := range [][]string{{"init", "-q", "-b", "master", path}, {"-C", path, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "one"}} {
		if out, err := exec.Command("git", args...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
}

func own(t *testing.T, st *store.Store, claudeID string) *session.Session {
	t.Helper()
	sess, err := journal.ActiveByClaudeID(st, claudeID, "")
	if err != nil || sess == nil {
		t.Fatalf("no session of %s: %v", claudeID, err)
	}
	return sess
}

// TestTwoWindows replays the events of two Claude Code windows in two
// repositories: each records into its own session only.
func TestTwoWindows(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "dashboard")
	api, web := filepath.Join(base, "api"), filepath.Join(base, "Web_App")
	gitRepo(t, api)
	gitRepo(t, web)
	os.MkdirAll(filepath.Join(web, "src"), 0o700)
	ev := func(id, cwd, name string, extra map[string]any) map[string]any {
		m := map[string]any{"session_id": id, "cwd": cwd, "hook_event_name": name, "transcript_path": "/x/" + id + ".jsonl"}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	out, _ := hookRun(t, dir, ev("A", api, "SessionStart", map[string]any{"source": "startup"}))
	if !strings.Contains(out, "(project api, new)") {
		t.Fatalf("SessionStart A: %q", out)
	}
	out, _ = hookRun(t, dir, ev("B", filepath.Join(web, "src"), "SessionStart", map[string]any{"source": "startup"}))
	if !strings.Contains(out, "(project web-app, new)") {
		t.Fatalf("SessionStart B: %q", out)
	}
	hookRun(t, dir, ev("A", api, "UserPromptSubmit", map[string]any{"prompt": "Fix the login redirect\nIt loops on Safari."}))
	hookRun(t, dir, ev("A", api, "UserPromptSubmit", map[string]any{"prompt": "and add a test"}))
	hookRun(t, dir, ev("B", web, "Notification", map[string]any{"notification_type": "permission_prompt", "message": "Claude needs your permission to use Bash"}))
	hookRun(t, dir, ev("A", api, "Stop", map[string]any{"last_assistant_message": "I fixed the redirect loop. Next I will add the test."}))
	hookRun(t, dir, ev("A", api, "Stop", map[string]any{"agent_id": "sub-1", "last_assistant_message": "Subagent: searched 40 files."}))

	st := store.Open(dir, store.Options{})
	a, b := own(t, st, "A"), own(t, st, "B")
	if a.Intent != "Fix the login redirect" {
		t.Errorf("A's intent: %q", a.Intent)
	}
	if got := session.Deref(a.CurrentActivity); got != "I fixed the redirect loop." {
		t.Errorf("A's activity: %q", got)
	}
	if a.GitBranch != "master" || a.ProjectSlug != "api" {
		t.Errorf("A: branch %q, project %q", a.GitBranch, a.ProjectSlug)
	}
	if !journal.IsLaunchIntent(b.Intent) || b.CurrentActivity != nil {
		t.Errorf("B was touched by A's events: %+v", b)
	}
	if got := session.Deref(b.AwaitingAction); got != "Claude needs your permission to use Bash" {
		t.Errorf("B waits for %q", got)
	}
	if a.AwaitingAction != nil {
		t.Errorf("A waits for %q", *a.AwaitingAction)
	}
	// An edit and a real commit in A: the file repo-relative, once; the
	// commit's sha and subject as git has them.
	file := filepath.Join(api, "src", "login.go")
	os.MkdirAll(filepath.Dir(file), 0o700)
	os.WriteFile(file, []byte("package src\n"), 0o600)
	for range 2 {
		hookRun(t, dir, ev("A", api, "PostToolUse", map[string]any{"tool_name": "Edit", "tool_input": map[string]any{"file_path": file, "old_string": "a", "new_string": "b"}}))
	}
	for _, args := range [][]string{{"-C", api, "add", "."}, {"-C", api, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "fix: the redirect loop"}} {
		if out, err := exec.Command("git", args...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	head, _ := exec.Command("git", "-C", api, "rev-parse", "HEAD").Output()
	hookRun(t, dir, ev("A", api, "PostToolUse", map[string]any{"tool_name": "Bash", "tool_input": map[string]any{"command": `git add . && git commit -m "fix: the redirect loop"`}, "tool_response": map[string]any{"stdout": "[master abc] fix"}}))
	hookRun(t, dir, ev("A", api, "PostToolUse", map[string]any{"tool_name": "Bash", "tool_input": map[string]any{"command": "go test ./..."}}))
	a = own(t, st, "A")
	if len(a.FilesChanged) != 1 || a.FilesChanged[0] != "src/login.go" {
		t.Errorf("A's files: %q", a.FilesChanged)
	}
	if len(a.Commits) != 1 || a.Commits[0].SHA != strings.TrimSpace(string(head)) || a.Commits[0].Message != "fix: the redirect loop" {
		t.Errorf("A's commits: %+v (HEAD %s)", a.Commits, head)
	}
	if b := own(t, st, "B"); len(b.FilesChanged)+len(b.Commits) != 0 {
		t.Error("B got A's file or commit")
	}

	// Tasks: Claude Code's own in A (events and TaskUpdate), TodoWrite's in B.
	for i, subj := range []string{"Write the fix", "Add a test", "Update docs"} {
		hookRun(t, dir, ev("A", api, "TaskCreated", map[string]any{"task_id": fmt.Sprint(i + 1), "task_subject": subj}))
	}
	hookRun(t, dir, ev("A", api, "PostToolUse", map[string]any{"tool_name": "TaskUpdate", "tool_input": map[string]any{"taskId": "1", "status": "in_progress"}}))
	hookRun(t, dir, ev("A", api, "TaskCompleted", map[string]any{"task_id": "1", "task_subject": "Write the fix"}))
	hookRun(t, dir, ev("A", api, "PostToolUse", map[string]any{"tool_name": "TaskUpdate", "tool_input": map[string]any{"taskId": "3", "status": "deleted"}}))
	todos := func(first string) map[string]any {
		return map[string]any{"tool_name": "TodoWrite", "tool_input": map[string]any{"todos": []map[string]any{
			{"content": "Port the page", "status": first, "activeForm": "Porting the page"},
			{"content": "Check the phone", "status": "pending", "activeForm": "Checking"}}}}
	}
	hookRun(t, dir, ev("B", web, "PostToolUse", todos("in_progress")))
	hookRun(t, dir, ev("B", web, "PostToolUse", todos("completed")))
	tasks := func(s *session.Session) string {
		var out []string
		for _, t := range s.Tasks {
			out = append(out, t.Subject+"="+string(t.Status))
		}
		return strings.Join(out, ", ")
	}
	if want, have := "Write the fix=completed, Add a test=pending, Update docs=skipped", tasks(own(t, st, "A")); want != have {
		t.Errorf("A's tasks: want %s, have %s", want, have)
	}
	if want, have := "Port the page=completed, Check the phone=pending", tasks(own(t, st, "B")); want != have {
		t.Errorf("B's tasks: want %s, have %s", want, have)
	}

	// A failed turn, a compaction and the end: an event each, in A only.
	hookRun(t, dir, ev("A", api, "StopFailure", map[string]any{"error": "rate_limit", "error_details": "429"}))
	hookRun(t, dir, ev("A", api, "PostCompact", map[string]any{"trigger": "auto", "compact_summary": "Fixed the redirect.\nTests next."}))
	hookRun(t, dir, ev("A", api, "SessionEnd", map[string]any{"reason": "prompt_input_exit"}))
	var msgs []string
	for _, e := range own(t, st, "A").Events {
		msgs = append(msgs, e.Message)
	}
	if want := []string{"Turn failed: rate_limit", "Conversation compacted: Fixed the redirect.\nTests next.", "Conversation ended (prompt_input_exit)"}; strings.Join(msgs, "|") != strings.Join(want, "|") {
		t.Errorf("A's events: %q", msgs)
	}
	if len(own(t, st, "B").Events) != 0 {
		t.Error("B got A's events")
	}
	// The user answers in B: it waits no more.
	hookRun(t, dir, ev("B", web, "UserPromptSubmit", map[string]any{"prompt": "yes, go on"}))
	if b := own(t, st, "B"); b.AwaitingAction != nil || b.Intent != "yes, go on" {
		t.Errorf("B after the answer: waits %v, intent %q", b.AwaitingAction, b.Intent)
	}
}

// TestBadPayloads: garbage, an empty or huge input, missing fields, a
// folder that is gone, unknown events: no error, at most one line on
// stderr, and no session written.
func TestBadPayloads(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "dashboard")
	getenv := func(k string) string {
		if k == "SESS_DASHBOARD_DIR" {
			return dir
		}
		return ""
	}
	for name, input := range map[string]string{
		"garbage":       "{not json",
		"empty":         "",
		"huge":          `{"session_id": "x", "prompt": "` + strings.Repeat("a", 10<<20) + `"}`,
		"no session id": `{"hook_event_name": "UserPromptSubmit", "prompt": "hi"}`,
		"unknown event": `{"session_id": "x", "hook_event_name": "Frobnicate"}`,
		"wrong types":   `{"session_id": 5, "hook_event_name": ["Stop"]}`,
		"no session":    `{"session_id": "never-started", "cwd": "/gone/folder", "hook_event_name": "Stop", "last_assistant_message": "done"}`,
		"gone folder":   `{"session_id": "s-gone", "cwd": "/gone/folder", "hook_event_name": "SessionStart", "source": "startup"}`,
		"not a folder":  `{"session_id": "s-file", "cwd": "/etc/hostname", "hook_event_name": "SessionStart", "source": "startup"}`,
		"no tool input": `{"session_id": "x", "hook_event_name": "PostToolUse", "tool_name": "Edit", "tool_input": "oops"}`,
	} {
		var out, errb bytes.Buffer
		if err := run(context.Background(), nil, getenv, strings.NewReader(input), &out, &errb); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if n := strings.Count(errb.String(), "\n"); n > 1 {
			t.Errorf("%s: %d lines on stderr: %s", name, n, errb.String())
		}
		if out.Len() != 0 {
			t.Errorf("%s: stdout %q", name, out.String())
		}
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, "sessions", "sess_*.json")); len(matches) != 0 {
		t.Errorf("bad payloads wrote sessions: %v", matches)
	}
}
