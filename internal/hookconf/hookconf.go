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
	{Event: "Notification", Matcher: "permission_prompt|idle_prompt|elicitation_dialog|elicitation|agent_needs_input|agent_completed"},
	{Event: "Stop"},
	{Event: "TaskCreated"},
	{Event: "TaskCompleted"},
	{Event: "StopFailure"},
	{Event: "PreCompact"},
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

// Ours reports whether a hook command is sess's and nothing else:
// sess-hook, or what earlier installs wrote (sess-heartbeat, sess-manage
// register-launch), at any path, with its arguments and redirections,
// and no second command (`; backup-notes.sh`, `&& …`, `| …`, `$(…)`).
func Ours(command string) bool { return classify(command) == sessOnly }

// commandKind is whose a hook command is.
type commandKind int

const (
	otherOnly    commandKind = iota // another tool's
	sessOnly                        // sess's: install replaces it, uninstall takes it out
	sessAndOther                    // sess's program and another command: left alone, with a warning
)

func classify(command string) commandKind {
	parts, subst := simpleCommands(command)
	n := 0
	for _, p := range parts {
		if oursAlone(p) {
			n++
		}
	}
	switch {
	case n == 0:
		return otherOnly
	case len(parts) == 1 && !subst:
		return sessOnly
	}
	return sessAndOther
}

// oursAlone reports whether a simple command (no separators) runs one of
// sess's programs.
func oursAlone(command string) bool {
	prog, rest := firstWord(command)
	switch filepath.Base(prog) {
	case Program, "sess-heartbeat":
		return true
	case "sess-manage":
		return strings.HasPrefix(strings.TrimSpace(rest), "register-launch")
	}
	return false
}

// simpleCommands splits a shell command at its unquoted separators (;, &,
// |, newlines, and so && and ||; not the & of 2>&1 or &>, nor >|) into
// the commands it runs, blank ones left out, and reports a command
// substitution ($(…) or `…`, unquoted or in double quotes).
func simpleCommands(c string) (parts []string, subst bool) {
	start := 0
	cut := func(i int) {
		if p := strings.TrimSpace(c[start:i]); p != "" {
			parts = append(parts, p)
		}
		start = i + 1
	}
	for i := 0; i < len(c); i++ {
		switch ch := c[i]; {
		case ch == '\\':
			i++
		case ch == '\'':
			if end := strings.IndexByte(c[i+1:], '\''); end >= 0 {
				i += end + 1
			} else {
				i = len(c)
			}
		case ch == '"':
			for i++; i < len(c) && c[i] != '"'; i++ {
				if c[i] == '\\' {
					i++
				} else if c[i] == '`' || c[i] == '$' && i+1 < len(c) && c[i+1] == '(' {
					subst = true
				}
			}
		case ch == '`' || ch == '$' && i+1 < len(c) && c[i+1] == '(':
			subst = true
		case ch == '&' && (i > 0 && (c[i-1] == '>' || c[i-1] == '<') || i+1 < len(c) && c[i+1] == '>'),
			ch == '|' && i > 0 && c[i-1] == '>':
			// a redirection, not a separator
		case ch == ';' || ch == '&' || ch == '|' || ch == '\n':
			cut(i)
		}
	}
	cut(len(c))
	return parts, subst
}

// firstWord is the program of a shell command, unquoted as sh does
// ('…', "…", \x, and runs of them, so '/a b/o'\”brien/x' is one word),
// and the rest.
func firstWord(command string) (string, string) {
	c := strings.TrimLeft(command, " \t")
	var w strings.Builder
	for i := 0; i < len(c); i++ {
		switch ch := c[i]; {
		case ch == ' ' || ch == '\t' || ch == '\n' || ch == ';' || ch == '&' || ch == '|':
			return w.String(), c[i:]
		case ch == '\\' && i+1 < len(c):
			i++
			w.WriteByte(c[i])
		case ch == '\'':
			end := strings.IndexByte(c[i+1:], '\'')
			if end < 0 {
				return w.String() + c[i+1:], ""
			}
			w.WriteString(c[i+1 : i+1+end])
			i += end + 1
		case ch == '"':
			j := i + 1
			for ; j < len(c) && c[j] != '"'; j++ {
				if c[j] == '\\' && j+1 < len(c) {
					j++
				}
				w.WriteByte(c[j])
			}
			i = j
		default:
			w.WriteByte(ch)
		}
	}
	return w.String(), ""
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
