package derived

import (
	"slices"
	"testing"
)

// TestHighlights: highlights are kept whole and read back, noted in the
// change feed (their session file did not change), and an id that is not
// one names no file.
func TestHighlights(t *testing.T) {
	f, _ := newFiles(t)
	start, err := f.StartChanges()
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Highlights(id1); got != "" {
		t.Fatalf("before any: %q", got)
	}
	if err := f.SaveHighlights(id1, "**User:** the flamegraph"); err != nil {
		t.Fatal(err)
	}
	if got := f.Highlights(id1); got != "**User:** the flamegraph" {
		t.Errorf("read back %q", got)
	}
	if ids, _, complete := f.Changes(start); !slices.Equal(ids, []string{id1}) || !complete {
		t.Errorf("the feed after a save: %v %v", ids, complete)
	}
	if err := f.SaveHighlights("../escape", "x"); err == nil {
		t.Error("a bad id was saved")
	}
	if got := f.Highlights("../escape"); got != "" {
		t.Errorf("a bad id read %q", got)
	}
}
