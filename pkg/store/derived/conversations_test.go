package derived

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// testEpoch is the tests' now.
var testEpoch = time.Date(2026, 2, 10, 14, 30, 5, 123456000, time.UTC)

// newTestFiles is the derived files of an empty store folder, at testEpoch.
func newTestFiles(t *testing.T) *Files {
	t.Helper()
	return New(t.TempDir(), func() time.Time { return testEpoch }, nil)
}

func fileExists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// TestPruneConversations: a week-old conversation file goes, a fresh one
// and anything not a conversation file stay; a dry run removes nothing.
func TestPruneConversations(t *testing.T) {
	t.Parallel()
	s := newTestFiles(t)
	dir := filepath.Join(s.dir, ConversationsDir)
	os.MkdirAll(dir, 0o700)
	old := s.now().Add(-ConversationFilesAge - time.Hour)
	for name, age := range map[string]time.Time{"old-1": old, "old-1.session": old, "new-1": s.now(), "odd name": old} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte("x"), 0o600)
		os.Chtimes(p, age, age)
	}
	// A window's file goes a week after the window last ran a hook.
	windows := filepath.Join(s.dir, WindowsDir)
	s.RanIn("wold-1-1", "gone-1")
	s.RanIn("wnew-1-1", "new-1")
	os.Chtimes(filepath.Join(windows, "wold-1-1"), old, old)
	if n := s.PruneConversations(ConversationFilesAge, true); n != 3 {
		t.Errorf("dry run: %d, want 3", n)
	}
	if n := s.PruneConversations(ConversationFilesAge, false); n != 3 {
		t.Errorf("prune: %d, want 3", n)
	}
	left, _ := os.ReadDir(dir)
	if len(left) != 2 {
		t.Errorf("left: %v", left)
	}
	if s.LastIn("wold-1-1") != "" || s.LastIn("wnew-1-1") != "new-1" {
		t.Errorf("windows left: old %q, new %q", s.LastIn("wold-1-1"), s.LastIn("wnew-1-1"))
	}
	// A conversation that runs keeps its pointer, however old.
	p := filepath.Join(dir, "keep-1.session")
	os.WriteFile(p, []byte("sess_20260101T0000_abcd"), 0o600)
	os.Chtimes(p, old, old)
	s.RanIn("wnew-1-1", "keep-1")
	if s.PruneConversations(ConversationFilesAge, false); !fileExists(p) {
		t.Errorf("the pointer of a conversation that runs was pruned")
	}
}
