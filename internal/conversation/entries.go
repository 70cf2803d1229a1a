package conversation

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/sess-dev/sess/internal/redact"
	"github.com/sess-dev/sess/internal/transcript"
	"github.com/sess-dev/sess/pkg/export"
	"github.com/sess-dev/sess/pkg/session"
)

// Bounds of what an entry holds: the page shows a prompt or answer whole
// up to maxText, and a tool call's input and result up to maxToolText
// (the transcript keeps the rest).
const (
	maxText     = 64 << 10
	maxToolText = 4 << 10
	maxTarget   = 200
	// maxPending is how many entries may wait behind a tool call for its
	// result before the call is handed out without one.
	maxPending = 256
)

// entry is an entry being read: its texts are raw (unredacted, unbounded)
// until finish makes it what is handed out, so that entries skipped
// before a page cost no redaction.
type entry struct {
	export.Entry
	toolID        string
	input, result string
	resultSeen    bool
}

// entries reads the entries of a transcript in order. A tool call waits
// for its result (a later row) before it is handed out, with the entries
// after it; see maxPending.
type entries struct {
	rows   *transcript.Rows
	queue  []*entry
	byTool map[string]*entry
	done   bool
}

func newEntries(r io.Reader) *entries {
	return &entries{rows: transcript.NewRows(r), byTool: map[string]*entry{}}
}

// next is the next entry; false at the end (or a read error: err).
func (es *entries) next() (*entry, bool) {
	for {
		if len(es.queue) > 0 && (es.done || es.ready(es.queue[0]) || len(es.queue) > maxPending) {
			e := es.queue[0]
			es.queue = es.queue[1:]
			delete(es.byTool, e.toolID)
			return e, true
		}
		if es.done {
			return nil, false
		}
		row, ok := es.rows.Next()
		if !ok {
			es.done = true
			continue
		}
		es.add(row)
	}
}

func (es *entries) err() error { return es.rows.Err() }

// ready says e is complete: a tool call has its result, a compaction its
// summary (or a row that is not one).
func (es *entries) ready(e *entry) bool {
	return e.Kind != export.EntryTool && e.Kind != export.EntryCompaction || e.resultSeen
}

// add queues the entries of a row, or gives a tool call its result.
func (es *entries) add(r transcript.Row) {
	if r.IsSidechain {
		return
	}
	// A compaction waits for the summary that follows it.
	if n := len(es.queue); n > 0 && es.queue[n-1].Kind == export.EntryCompaction && !(r.Type == "user" && r.IsCompacted) {
		es.queue[n-1].resultSeen = true
	}
	base := export.Entry{Time: r.Time, UUID: r.UUID}
	if !r.Time.IsZero() {
		base.At = session.FormatTime(r.Time)
	}
	switch {
	case r.Type == "system" && r.Subtype == "compact_boundary":
		es.push(base, export.EntryCompaction, "")
	case r.Type == "user" && r.IsCompacted:
		if n := len(es.queue); n > 0 && es.queue[n-1].Kind == export.EntryCompaction && !es.queue[n-1].resultSeen {
			es.queue[n-1].Text, es.queue[n-1].resultSeen = r.Text(), true
		} else {
			es.push(base, export.EntryCompaction, r.Text()).resultSeen = true
		}
	case r.Type == "user":
		es.addUser(r, base)
	case r.Type == "assistant":
		for _, b := range r.Blocks {
			switch b.Type {
			case "text":
				if strings.TrimSpace(b.Text) != "" {
					es.push(base, export.EntryAnswer, b.Text)
				}
			case "tool_use":
				e := es.push(base, export.EntryTool, "")
				e.toolID, e.input = b.ID, string(b.Input)
				name, _ := clean(b.Name, maxToolName) // the transcript's, untrusted: bounded and redacted as every text
				e.Tool = &export.ToolCall{Name: name, Target: target(b.Name, b.Input), Status: export.ToolUnknown}
				if b.ID != "" {
					es.byTool[b.ID] = e
				}
			}
		}
	}
}

// addUser queues a prompt or a command, or gives tool calls their results.
func (es *entries) addUser(r transcript.Row, base export.Entry) {
	for _, b := range r.Blocks {
		if b.Type != "tool_result" {
			continue
		}
		if e := es.byTool[b.ToolUseID]; e != nil && !e.resultSeen {
			e.resultSeen, e.result = true, b.Text
			e.Tool.Status = export.ToolOK
			if b.IsError {
				e.Tool.Status = export.ToolFailed
			}
		}
	}
	if c := r.Command(); c != "" {
		text := c
		if args := between(r.Text(), "<command-args>", "</command-args>"); strings.TrimSpace(args) != "" {
			text += " " + strings.TrimSpace(args)
		}
		es.push(base, export.EntryCommand, text)
		return
	}
	if p := r.Prompt(); p != "" {
		es.push(base, export.EntryPrompt, p)
	}
}

func (es *entries) push(base export.Entry, kind, text string) *entry {
	e := &entry{Entry: base}
	e.Kind, e.Text = kind, text
	es.queue = append(es.queue, e)
	return e
}

func between(s, open, close string) string {
	_, rest, ok := strings.Cut(s, open)
	if !ok {
		return ""
	}
	in, _, _ := strings.Cut(rest, close)
	return in
}

// targetKeys are the input fields that name what a tool acts on, in the
// order they are looked for.
var targetKeys = []string{"file_path", "notebook_path", "path", "command", "pattern", "url", "query", "description", "subject", "skill", "prompt"}

// target is what a tool call acts on: the first of targetKeys its input
// has, on one line (a command's first); "" for none.
func target(name string, input json.RawMessage) string {
	var m map[string]any
	if json.Unmarshal(input, &m) != nil {
		return ""
	}
	for _, k := range targetKeys {
		if s, ok := m[k].(string); ok && strings.TrimSpace(s) != "" {
			line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
			return line
		}
	}
	return ""
}

// finish makes e what is handed out: every text redacted and bounded.
func (e *entry) finish() export.Entry {
	out := e.Entry
	out.Marks = append([]export.Mark(nil), e.Marks...)
	if out.Marks == nil {
		out.Marks = []export.Mark{}
	}
	out.Text, out.Truncated = clean(e.Text, maxText)
	if e.Tool != nil {
		t := *e.Tool
		t.Target, _ = clean(t.Target, maxTarget)
		t.Input, _ = clean(indentJSON(e.input), maxToolText)
		t.Result, _ = clean(e.result, maxToolText)
		out.Tool = &t
	}
	return out
}

// maxToolName bounds a tool's name (Bash, mcp__server__tool, …).
const maxToolName = 128

// indentJSON is a tool's input for reading: as text where it can be (see
// readable), else indented, else as it is.
func indentJSON(raw string) string {
	if text, ok := readable(raw); ok {
		return text
	}
	var b bytes.Buffer
	if json.Indent(&b, []byte(raw), "", "  ") != nil {
		return raw
	}
	return b.String()
}

// readable is a tool's input as a person reads it, when it is an object
// of strings and small values: a lone string field is its text (a Bash
// command with its own line breaks, not "\n"); several are "key: value"
// lines, in the input's order, a value of several lines starting on the
// next line. Anything else (nested objects, lists) is not: it is shown as
// indented JSON.
func readable(raw string) (string, bool) {
	dec := json.NewDecoder(strings.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return "", false
	}
	var keys, vals []string
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return "", false
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil || len(v) == 0 || v[0] == '{' || v[0] == '[' {
			return "", false
		}
		var s string
		if json.Unmarshal(v, &s) != nil {
			s = string(v) // a number, a boolean, null
		}
		key, _ := k.(string)
		keys, vals = append(keys, key), append(vals, s)
	}
	if len(keys) == 1 {
		return vals[0], true
	}
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(k + ":")
		if strings.Contains(vals[i], "\n") {
			b.WriteString("\n" + vals[i])
		} else {
			b.WriteString(" " + vals[i])
		}
	}
	return b.String(), true
}

// clean is s redacted, then cut to at most n bytes on a rune boundary.
// It redacts before cutting: a secret cut in two would be missed.
func clean(s string, n int) (string, bool) {
	if len(s) > 4*n {
		// Redacting megabytes to show kilobytes: cut first, with room
		// for a secret that crosses the cut to be found whole.
		s = cut(s, 2*n)
	}
	s, _ = redact.Text(s)
	if len(s) <= n {
		return s, false
	}
	return cut(s, n), true
}

func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
