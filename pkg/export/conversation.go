package export

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// A conversation as the page and its export show it: the entries of a
// transcript (internal/conversation reads them), each with the journal's
// marks that fall on it.

// The kinds of an Entry.
const (
	EntryPrompt     = "prompt"
	EntryAnswer     = "answer"
	EntryTool       = "tool"
	EntryCompaction = "compaction"
	EntryCommand    = "command"
)

// The states of a tool call: its result said it failed, it did not, or no
// result was seen (an interrupted call, a transcript cut short).
const (
	ToolOK      = "ok"
	ToolFailed  = "failed"
	ToolUnknown = "unknown"
)

// Entry is one step of a conversation. Text is already redacted and
// bounded by whoever made the entry; Truncated says it was cut.
type Entry struct {
	Kind      string    `json:"kind"`
	Time      time.Time `json:"-"`
	At        string    `json:"time,omitempty"` // Time in the store's format
	UUID      string    `json:"uuid,omitempty"`
	Text      string    `json:"text,omitempty"`
	Truncated bool      `json:"truncated,omitempty"`
	Tool      *ToolCall `json:"tool,omitempty"`
	Marks     []Mark    `json:"marks"`
}

// ToolCall is a tool call of an answer: the tool, what it acted on (a
// file, a command's first line, a pattern), how it ended, and its input
// and result, bounded, for showing on demand.
type ToolCall struct {
	Name   string `json:"name"`
	Target string `json:"target"`
	Status string `json:"status"`
	Input  string `json:"input"`
	Result string `json:"result"`
}

// The kinds of a Mark.
const (
	MarkTask     = "task"
	MarkCommit   = "commit"
	MarkDecision = "decision"
	MarkEvent    = "event"
)

// Mark is a fact of the journal placed on the entry where it happened.
type Mark struct {
	Kind string `json:"kind"`
	Text string `json:"text"`
	At   string `json:"time,omitempty"`
	Ref  string `json:"ref,omitempty"` // a commit's SHA, a task's id
}

// ConversationHead is what the export of a conversation says above it.
type ConversationHead struct {
	SessionID, ConversationID string
	Intent, Project, Source   string
}

// WriteConversation writes a conversation as Markdown to w, entry by entry
// as next gives them (false at the end), so that a long one is never held
// whole. Text from the transcript cannot change the document's structure:
// prompts and answers are paragraphs made safe line by line, a tool call is
// one list item with its target in a code span, and a failed call's result
// is a fenced block longer than any fence it holds.
func WriteConversation(w io.Writer, h ConversationHead, next func() (Entry, bool, error)) error {
	ew := &errWriter{w: w}
	ew.printf("# Conversation: %s\n\n", headingText(orNone(h.Intent)))
	ew.printf("| Field | Value |\n|-------|-------|\n")
	ew.printf("| Session ID | %s |\n", cell(codeSpan(h.SessionID)))
	ew.printf("| Conversation ID | %s |\n", cell(codeSpan(h.ConversationID)))
	if h.Project != "" {
		ew.printf("| Project | %s |\n", cell(h.Project))
	}
	ew.printf("| Source | %s |\n", cell(h.Source))
	for ew.err == nil {
		e, ok, err := next()
		if err != nil {
			return fmt.Errorf("read the conversation: %w", err)
		}
		if !ok {
			break
		}
		ew.printf("\n%s\n", entryMarkdown(e))
	}
	return ew.err
}

func orNone(s string) string {
	if s == "" {
		return "(no intent)"
	}
	return s
}

// entryMarkdown is one entry and its marks.
func entryMarkdown(e Entry) string {
	var b strings.Builder
	when := ""
	if e.At != "" {
		when = " · " + shortTimestamp(e.At)
	}
	cut := ""
	if e.Truncated {
		cut = "\n\n*(cut: the rest is in the transcript)*"
	}
	switch e.Kind {
	case EntryPrompt:
		b.WriteString("## Prompt" + when + "\n\n" + paragraph(e.Text) + cut)
	case EntryAnswer:
		b.WriteString("### Answer" + when + "\n\n" + paragraph(e.Text) + cut)
	case EntryCommand:
		b.WriteString("- Command " + codeSpan(oneLine(e.Text)) + when)
	case EntryCompaction:
		b.WriteString("---\n\n*Context compacted" + when + "*")
		if e.Text != "" {
			b.WriteString("\n\n" + paragraph(e.Text) + cut)
		}
	case EntryTool:
		b.WriteString(toolMarkdown(e.Tool, when))
	}
	for _, m := range e.Marks {
		b.WriteString("\n\n" + listItem("**"+markLabel(m.Kind)+"**: ", markText(m), ""))
	}
	return b.String()
}

// toolMarkdown is a tool call's line; a failed one's result follows it.
func toolMarkdown(t *ToolCall, when string) string {
	if t == nil {
		return ""
	}
	line := "- Tool " + codeSpan(oneLine(t.Name))
	if t.Target != "" {
		line += " " + codeSpan(oneLine(t.Target))
	}
	line += " — " + t.Status + when
	if t.Status != ToolFailed || t.Result == "" {
		return line
	}
	return line + "\n\n" + fenced(t.Result)
}

// fenced is text in a code fence longer than any backtick run it holds.
func fenced(text string) string {
	run, longest := 0, 0
	for _, c := range text {
		if c == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", max(3, longest+1))
	return fence + "\n" + strings.Join(splitLines(text), "\n") + "\n" + fence
}

func markLabel(kind string) string {
	switch kind {
	case MarkTask:
		return "Task"
	case MarkCommit:
		return "Commit"
	case MarkDecision:
		return "Decision"
	}
	return "Event"
}

// markText is a mark's text on one line, a commit's SHA as a code span
// before it.
func markText(m Mark) string {
	text := oneLine(m.Text)
	if m.Kind == MarkCommit && m.Ref != "" {
		return codeSpan(prefix(m.Ref, 7)) + " " + text
	}
	return text
}

// errWriter keeps the first write error and writes nothing after it.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
