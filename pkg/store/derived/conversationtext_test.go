package derived

import (
	"strings"
	"syscall"
	"testing"
	"unicode/utf8"
)

// TestConversationText: appends are read back a line apart; the text
// stops at its bound, cut at a character; a bad id names no file; a FIFO
// at the text's place is neither written nor read (nor waited on).
func TestConversationText(t *testing.T) {
	t.Parallel()
	f, _ := newFiles(t)
	if got := f.ConversationText("c1"); got != "" {
		t.Fatalf("before any: %q", got)
	}
	for _, s := range []string{"the flamegraph", "", "looks right"} {
		if err := f.AppendConversationText("c1", s); err != nil {
			t.Fatal(err)
		}
	}
	if want, have := "the flamegraph\nlooks right", f.ConversationText("c1"); want != have {
		t.Errorf("want %q, have %q", want, have)
	}

	big := strings.Repeat("é", MaxConversationText) // two bytes each
	for range 2 {
		if err := f.AppendConversationText("c2", big); err != nil {
			t.Fatal(err)
		}
	}
	got := f.ConversationText("c2")
	if len(got) > MaxConversationText || len(got) < MaxConversationText-1 || !utf8.ValidString(got) {
		t.Errorf("bounded text: %d bytes, valid %v", len(got), utf8.ValidString(got))
	}

	if err := f.AppendConversationText("../escape", "x"); err == nil {
		t.Error("a bad id was written")
	}
	if got := f.ConversationText("../escape"); got != "" {
		t.Errorf("a bad id read %q", got)
	}

	if err := syscall.Mkfifo(f.conversationTextPath("c3"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := f.AppendConversationText("c3", "x"); err == nil {
		t.Error("a FIFO was written to")
	}
	if got := f.ConversationText("c3"); got != "" {
		t.Errorf("a FIFO read %q", got)
	}
}

// TestRemoveConversationText: a pruned conversation's text is no longer
// there to be found; removing what is not there is no error.
func TestRemoveConversationText(t *testing.T) {
	t.Parallel()
	f := New(t.TempDir(), nil, nil)
	if err := f.AppendConversationText("conv-1", "zeppelin over the harbour"); err != nil {
		t.Fatal(err)
	}
	if err := f.RemoveConversationText("conv-1"); err != nil {
		t.Fatal(err)
	}
	if have := f.ConversationText("conv-1"); have != "" {
		t.Errorf("after removal: %q", have)
	}
	if err := f.RemoveConversationText("conv-1"); err != nil {
		t.Errorf("removing again: %v", err)
	}
	if err := f.RemoveConversationText("../x"); err != nil {
		t.Errorf("an unsafe id: %v", err)
	}
}
