package export_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	. "github.com/sess-dev/sess/pkg/export"
)

// entriesOf hands out es one by one, as a conversation's cursor does.
func entriesOf(es []Entry) func() (Entry, bool, error) {
	return func() (Entry, bool, error) {
		if len(es) == 0 {
			return Entry{}, false, nil
		}
		e := es[0]
		es = es[1:]
		return e, true, nil
	}
}

func TestConversationMarkdown(t *testing.T) {
	at := "2026-03-02T09:00:00.000000+00:00"
	head := ConversationHead{SessionID: "sess_20260302T0900_abcd", ConversationID: "cccccccc-0000-4000-8000-000000000001",
		Intent: "Fix the login bug", Project: "web", Source: "archive"}
	plain := []Entry{
		{Kind: EntryPrompt, At: at, Text: "Fix the login bug\nin `login.go`"},
		{Kind: EntryAnswer, At: at, Text: "I will look.\n\n```go\nfunc f() {}\n```"},
		{Kind: EntryTool, At: at, Tool: &ToolCall{Name: "Read", Target: "/src/login.go", Status: ToolOK, Input: "{}", Result: "package app"}},
		{Kind: EntryTool, At: at, Tool: &ToolCall{Name: "Bash", Target: "go test ./...", Status: ToolFailed, Result: "FAIL: TestLogin\n```oops```"},
			Marks: []Mark{{Kind: MarkCommit, Text: "fix login", Ref: "abc1234def"}, {Kind: MarkDecision, Text: "keep the cookie"}}},
		{Kind: EntryCommand, At: at, Text: "/compact"},
		{Kind: EntryCompaction, At: at, Text: "Summary: login fixed", Truncated: true},
		{Kind: EntryAnswer, Text: "Done.", Marks: []Mark{{Kind: MarkTask, Text: "completed: fix login", At: at}, {Kind: MarkEvent, Text: "Session completed"}}},
	}
	// Text that would open headings, fences, HTML blocks and rules if it
	// were written as it is.
	hostile := []Entry{
		{Kind: EntryPrompt, Text: "# not a heading\n<script>alert(1)</script>\n---\n```\nunclosed"},
		{Kind: EntryTool, Tool: &ToolCall{Name: "Bash`x", Target: "echo `a` | b\nsecond line", Status: ToolFailed, Result: "````\n<img src=x>"}},
		{Kind: EntryAnswer, Text: "ok", Marks: []Mark{{Kind: MarkDecision, Text: "# heading?\n- item"}}},
	}
	for _, tc := range []struct {
		name    string
		head    ConversationHead
		entries []Entry
	}{
		{"conversation.md", head, plain},
		{"conversation-hostile.md", ConversationHead{SessionID: "sess_x", ConversationID: "c", Intent: "# <b>intent</b> ##", Source: "live"}, hostile},
		{"conversation-empty.md", ConversationHead{SessionID: "sess_x", ConversationID: "c", Source: "live"}, nil},
	} {
		var b strings.Builder
		if err := WriteConversation(&b, tc.head, entriesOf(tc.entries)); err != nil {
			t.Fatal(err)
		}
		golden(t, tc.name, []byte(b.String()))
	}
}

// TestConversationErrors: a read error ends the export with it; a write
// error stops the writing.
func TestConversationErrors(t *testing.T) {
	boom := errors.New("boom")
	var b strings.Builder
	err := WriteConversation(&b, ConversationHead{}, func() (Entry, bool, error) { return Entry{}, false, boom })
	if !errors.Is(err, boom) {
		t.Errorf("read error: %v", err)
	}
	calls := 0
	err = WriteConversation(failWriter{}, ConversationHead{}, func() (Entry, bool, error) {
		calls++
		return Entry{Kind: EntryPrompt, Text: "x", Time: time.Now()}, true, nil
	})
	if err == nil || calls > 1 {
		t.Errorf("write error: %v after %d entries", err, calls)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }
