package hookio

import (
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sess-dev/sess/pkg/store"
)

// MaxInput bounds what is read of a hook's stdin.
const MaxInput = 1 << 20

// ReadTimeout bounds how long a hook waits for its stdin to end.
const ReadTimeout = 2 * time.Second

// Input is what sess uses of a hook's stdin JSON.
type Input struct {
	SessionID            string `json:"session_id"`
	TranscriptPath       string `json:"transcript_path"`
	Cwd                  string `json:"cwd"`
	Source               string `json:"source"`        // SessionStart: startup, resume, clear, compact, fork
	SessionTitle         string `json:"session_title"` // SessionStart, newer builds
	HookEventName        string `json:"hook_event_name"`
	Prompt               string `json:"prompt"`                 // UserPromptSubmit
	LastAssistantMessage string `json:"last_assistant_message"` // Stop
	NotificationType     string `json:"notification_type"`      // Notification
	Message              string `json:"message"`                // Notification
	AgentID              string `json:"agent_id"`               // set inside a subagent
	Error                string `json:"error"`                  // StopFailure: the kind
	CompactSummary       string `json:"compact_summary"`        // PostCompact
	Reason               string `json:"reason"`                 // SessionEnd
	ToolName             string `json:"tool_name"`              // PreToolUse, PostToolUse
	ToolInput            ToolInput
	CreatedTaskID        string // PostToolUse of TaskCreate: the new task's id, where its answer names one
	TaskID               string `json:"task_id"`      // TaskCreated, TaskCompleted
	TaskSubject          string `json:"task_subject"` // TaskCreated, TaskCompleted
}

// ToolInput is what sess uses of a tool call's input.
type ToolInput struct {
	FilePath     string `json:"file_path"`     // Edit, Write, MultiEdit
	NotebookPath string `json:"notebook_path"` // NotebookEdit
	Command      string `json:"command"`       // Bash
	Subject      string `json:"subject"`       // TaskCreate, TaskUpdate
	TaskID       string `json:"taskId"`        // TaskUpdate
	Status       string `json:"status"`        // TaskUpdate
	Todos        []Todo `json:"todos"`         // TodoWrite: the whole list each time
}

// Todo is an item of TodoWrite's list.
type Todo struct {
	Content string `json:"content"`
	Status  string `json:"status"`
}

// Read reads a hook's input. A terminal, an empty or unparsable input, or
// one that does not arrive within two seconds gives a zero Input.
func Read(stdin io.Reader) Input {
	var in Input
	if stdin == nil {
		return in
	}
	if f, ok := stdin.(*os.File); ok {
		fi, err := f.Stat()
		if err != nil || fi.Mode()&fs.ModeCharDevice != 0 {
			return in
		}
	}
	// A pipe that is never closed must not hold the hook up: read on the
	// side and give up after a while (the process ends soon after).
	got := make(chan []byte, 1)
	go func() {
		data, _ := io.ReadAll(io.LimitReader(stdin, MaxInput))
		got <- data
	}()
	var data []byte
	select {
	case data = <-got:
	case <-time.After(ReadTimeout):
		return in
	}
	var raw map[string]json.RawMessage
	if json.Unmarshal(data, &raw) != nil {
		return in
	}
	for key, dst := range map[string]*string{
		"session_id": &in.SessionID, "transcript_path": &in.TranscriptPath, "cwd": &in.Cwd, "source": &in.Source, "session_title": &in.SessionTitle, "hook_event_name": &in.HookEventName,
		"prompt": &in.Prompt, "last_assistant_message": &in.LastAssistantMessage,
		"notification_type": &in.NotificationType, "message": &in.Message, "agent_id": &in.AgentID,
		"error": &in.Error, "compact_summary": &in.CompactSummary, "reason": &in.Reason,
		"tool_name": &in.ToolName, "task_id": &in.TaskID, "task_subject": &in.TaskSubject,
	} {
		if v, ok := raw[key]; ok {
			json.Unmarshal(v, dst) // a field of another type stays empty
		}
	}
	if v, ok := raw["tool_input"]; ok {
		in.ToolInput = ParseToolInput(v)
	}
	if v, ok := raw["tool_response"]; ok && in.ToolName == "TaskCreate" {
		in.CreatedTaskID = CreatedTaskID(v)
	}
	return in
}

// ParseToolInput reads what sess uses of a tool call's input (a hook's
// tool_input, a transcript's tool_use input); a field of another type, or
// an input that is not an object, stays empty.
func ParseToolInput(v json.RawMessage) ToolInput {
	var out ToolInput
	var ti map[string]json.RawMessage
	if json.Unmarshal(v, &ti) != nil {
		return out
	}
	for key, dst := range map[string]*string{
		"file_path": &out.FilePath, "notebook_path": &out.NotebookPath, "command": &out.Command,
		"subject": &out.Subject, "taskId": &out.TaskID, "status": &out.Status,
	} {
		if v, ok := ti[key]; ok {
			json.Unmarshal(v, dst)
		}
	}
	if v, ok := ti["todos"]; ok {
		json.Unmarshal(v, &out.Todos) // a list of another shape stays empty
	}
	return out
}

// CreatedTaskID reads the new task's id from TaskCreate's answer, whose
// shape is not documented: an object with the id at its top or under
// "task", or a text naming "Task #N". "" when it names none.
func CreatedTaskID(v json.RawMessage) string {
	var text string
	if json.Unmarshal(v, &text) == nil {
		if _, after, ok := strings.Cut(text, "#"); ok {
			n := 0
			for n < len(after) && n < 20 && after[n] >= '0' && after[n] <= '9' {
				n++
			}
			return after[:n]
		}
		return ""
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(v, &obj) != nil {
		return ""
	}
	if task, ok := obj["task"]; ok {
		var inner map[string]json.RawMessage
		if json.Unmarshal(task, &inner) == nil {
			obj = inner
		}
	}
	for _, key := range []string{"id", "taskId", "task_id"} {
		var id string
		if json.Unmarshal(obj[key], &id) == nil && id != "" {
			return id
		}
		var n json.Number
		if json.Unmarshal(obj[key], &n) == nil && n != "" {
			return n.String()
		}
	}
	return ""
}

// WorktreeRoot returns the root of the git work tree holding dir: the
// nearest folder upwards with a .git entry (a folder, or the file of a
// linked work tree), or "" outside of one.
func WorktreeRoot(dir string) string {
	if dir == "" || !filepath.IsAbs(dir) {
		return ""
	}
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		if d == filepath.Dir(d) {
			return ""
		}
	}
}

// OneLine is the first line of s with words, cut to max characters.
func OneLine(s string, max int) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			if r := []rune(l); len(r) > max {
				return string(r[:max])
			}
			return l
		}
	}
	return ""
}

// StoreDir is the store folder of a hook: dir when given, else
// $SESS_DASHBOARD_DIR, else the default under $HOME. A hook reads its
// environment through getenv, so that tests give it one of their own.
func StoreDir(dir string, getenv func(string) string) (string, error) {
	if dir == "" {
		dir = getenv("SESS_DASHBOARD_DIR")
	}
	if dir != "" {
		return dir, nil
	}
	home := getenv("HOME")
	if home == "" {
		return "", errors.New("no store: set HOME, SESS_DASHBOARD_DIR or --dashboard-dir")
	}
	return store.DefaultDir(home), nil
}
