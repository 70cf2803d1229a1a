// Package hookconf is the hook configuration sess installs into Claude
// Code's settings: which events start sess-hook, narrowed by matchers and
// `if` rules so that no process starts for what the journal ignores. It
// merges those entries into a settings file that other tools share, takes
// exactly them out again, and checks an installation.
package hookconf

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
)

// Program is the binary every entry runs.
const Program = "sess-hook"

// Timeout is each entry's timeout in seconds: far above what sess-hook
// takes, low enough that a hung store never holds Claude Code up long.
const Timeout = 10

// Entry is one hook sess installs: the event, and the matcher and `if`
// rule that decide when Claude Code starts it.
type Entry struct {
	Event   string
	Matcher string // "" for every occasion of the event
	If      string // a permission rule narrowing a tool hook
}

// Entries is every hook of the journal, in the order they are written.
var Entries = []Entry{
	{Event: "SessionStart"},
	{Event: "UserPromptSubmit"},
	{Event: "PostToolUse", Matcher: "Edit|Write|MultiEdit|NotebookEdit|TaskCreate|TaskUpdate|TodoWrite"},
	{Event: "PostToolUse", Matcher: "Bash", If: "Bash(git commit *)"},
	{Event: "Notification", Matcher: "permission_prompt|idle_prompt|elicitation_dialog|elicitation"},
	{Event: "Stop"},
	{Event: "TaskCreated"},
	{Event: "TaskCompleted"},
	{Event: "StopFailure"},
	{Event: "PostCompact"},
	{Event: "SessionEnd"},
}

// Group is an entry as Claude Code's settings hold it.
type Group struct {
	Matcher string    `json:"matcher"`
	Hooks   []Handler `json:"hooks"`
}

// Handler is one command of a group.
type Handler struct {
	Type    string `json:"type"`
	Command string `json:"command"`
	Timeout int    `json:"timeout,omitempty"`
	If      string `json:"if,omitempty"`
}

// Groups is the entries by event, each running command.
func Groups(command string) map[string][]Group {
	out := map[string][]Group{}
	for _, e := range Entries {
		out[e.Event] = append(out[e.Event], Group{Matcher: e.Matcher, Hooks: []Handler{{Type: "command", Command: command, Timeout: Timeout, If: e.If}}})
	}
	return out
}

// Events is the events of Entries, once each, in order.
func Events() []string {
	var out []string
	for _, e := range Entries {
		if len(out) == 0 || out[len(out)-1] != e.Event {
			out = append(out, e.Event)
		}
	}
	return out
}

// Command is how a settings file runs the program at path: quoted for the
// shell when it has to be.
func Command(path string) string {
	if strings.IndexFunc(path, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+:,@%", r))
	}) < 0 {
		return path
	}
	return "'" + strings.ReplaceAll(path, "'", `'\''`) + "'"
}

// Ours reports whether a hook command is sess's: sess-hook, or what earlier
// installs wrote (sess-heartbeat, sess-manage register-launch), at any path.
func Ours(command string) bool {
	prog, rest := firstWord(command)
	switch filepath.Base(prog) {
	case Program, "sess-heartbeat":
		return true
	case "sess-manage":
		return strings.HasPrefix(strings.TrimSpace(rest), "register-launch")
	}
	return false
}

// firstWord is the program of a shell command, unquoted, and the rest.
func firstWord(command string) (string, string) {
	c := strings.TrimSpace(command)
	if strings.HasPrefix(c, "'") {
		if end := strings.Index(c[1:], "'"); end >= 0 {
			return c[1 : end+1], c[end+2:]
		}
	}
	if strings.HasPrefix(c, `"`) {
		if end := strings.Index(c[1:], `"`); end >= 0 {
			return c[1 : end+1], c[end+2:]
		}
	}
	prog, rest, _ := strings.Cut(c, " ")
	return prog, rest
}

// Snippet is the settings JSON of the entries alone, as hooks/settings.json
// and the plugin's hooks/hooks.json hold it.
func Snippet(command string) []byte {
	out, _ := Merge(nil, Groups(command))
	return out.Settings
}

// marshal writes v as JSON without HTML escapes.
func marshal(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	return bytes.TrimSpace(b.Bytes())
}
