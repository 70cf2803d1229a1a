package journal

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
	"github.com/sess-dev/sess/pkg/store/derived"
)

// TestConversationPointer: a conversation's events find its session through
// its pointer, also from another project; a pointer that no longer names
// an active session of the conversation, or names garbage, is passed over
// and the search finds the truth.
func TestConversationPointer(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	sess, created, err := s.RegisterLaunch(Launch{ClaudeSessionID: "conv-1", Project: "api", Source: SourceStartup})
	if err != nil || !created {
		t.Fatalf("register: %v %v", err, created)
	}
	ptr := filepath.Join(s.Dir(), derived.ConversationsDir, "conv-1.session")
	if data, err := os.ReadFile(ptr); err != nil || string(data) != sess.SessionID {
		t.Fatalf("pointer: %q %v", data, err)
	}
	// From another project's folder (the agent went there): the pointer.
	if got, err := s.ActiveByClaudeID("conv-1", "web"); err != nil || got == nil || got.SessionID != sess.SessionID {
		t.Fatalf("by pointer: %v %v", got, err)
	}
	// A fresh launch of the same conversation again (two hooks of one
	// start) finds it in its project: no second session.
	again, created, err := s.RegisterLaunch(Launch{ClaudeSessionID: "conv-1", Project: "api", Source: SourceStartup})
	if err != nil || created || again.SessionID != sess.SessionID {
		t.Fatalf("second launch: created %v, %v", created, err)
	}
	// Completed: the pointer names an ended session; nothing is found.
	if _, err := s.CompleteSession(sess.SessionID, store.Completion{Outcome: "done"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.ActiveByClaudeID("conv-1", "api"); got != nil {
		t.Errorf("a completed session was found: %s", got.SessionID)
	}
	// Garbage in the pointer, or a pointer to another conversation's
	// session: the search decides.
	other, _, _ := s.RegisterLaunch(Launch{ClaudeSessionID: "conv-2", Project: "api"})
	for _, content := range []string{"../../etc/passwd", other.SessionID, ""} {
		os.WriteFile(ptr, []byte(content), 0o600)
		if got, err := s.ActiveByClaudeID("conv-1", "api"); err != nil || got != nil {
			t.Errorf("pointer %q: found %v (%v)", content, got, err)
		}
	}
	os.WriteFile(filepath.Join(s.Dir(), derived.ConversationsDir, "conv-2.session"), []byte("sess_20260101T0000_dead"), 0o600)
	if got, _ := s.ActiveByClaudeID("conv-2", "api"); got == nil || got.SessionID != other.SessionID {
		t.Errorf("a dangling pointer hid the session: %v", got)
	}
	// An id that cannot name a file gets no pointer and still works.
	odd, _, err := s.RegisterLaunch(Launch{ClaudeSessionID: "a/b c", Project: "api"})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := s.ActiveByClaudeID("a/b c", "api"); got == nil || got.SessionID != odd.SessionID {
		t.Errorf("odd id: %v", got)
	}
	if got := session.Deref(odd.ClaudeSessionID); got != "a/b c" {
		t.Errorf("claude id: %q", got)
	}
}

// TestLaunchClaim: a launch claims the conversation's pointer before it
// makes the session, so that a second delivery of the same SessionStart
// finds the session without a search; a pointer left claimed (its session
// made, the pointer's last write lost) is searched past, never doubled;
// and a claim that cannot be written makes no session.
func TestLaunchClaim(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	first, _, err := s.RegisterLaunch(Launch{ClaudeSessionID: "conv-1", Project: "api", Source: SourceStartup})
	if err != nil {
		t.Fatal(err)
	}
	ptr := filepath.Join(s.Dir(), derived.ConversationsDir, "conv-1.session")
	if err := os.WriteFile(ptr, []byte(pendingPointer), 0o600); err != nil {
		t.Fatal(err)
	}
	again, created, err := s.RegisterLaunch(Launch{ClaudeSessionID: "conv-1", Project: "api", Source: SourceClear})
	if err != nil || created || again.SessionID != first.SessionID {
		t.Fatalf("a claimed pointer: created %v (%v), want %s found", created, err, first.SessionID)
	}
	// A file where the folder should be: no claim can be written, even by
	// root.
	dir := filepath.Join(s.Dir(), derived.ConversationsDir)
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.RegisterLaunch(Launch{ClaudeSessionID: "conv-2", Project: "api", Source: SourceStartup}); err == nil {
		t.Errorf("a launch whose claim failed made a session")
	}
	if list, _ := s.View().List(store.Filter{}); len(list) != 1 {
		t.Errorf("%d sessions, want 1", len(list))
	}
}

// pendingPointer is what a claimed pointer says until its session exists
// (derived.Files.Claim).
const pendingPointer = "(launching)"
