package journalfile

import "testing"

// TestFoldersAreFresh: a caller may append to what Folders and All give
// without changing what the next caller gets (they once shared an array,
// and an append dropped config.json from every later copy of a journal).
func TestFoldersAreFresh(t *testing.T) {
	_ = append(Folders(), "usage")
	_ = append(All(), "usage")
	if all := All(); len(all) != 4 || all[3] != "" {
		t.Errorf("All() = %q after callers appended to it", all)
	}
	for _, tc := range []struct {
		folder, name string
		want         bool
	}{
		{"sessions", "_index.json", true},
		{"sessions", "sess_20261207T0101_abcd.json", true},
		{"sessions", "sess_20261207T0101_abcd.sync-conflict-20261207-101010-ABCDEFG.json", false},
		{"sessions/archive", "_index.json", false},
		{"projects", "web.json", true},
		{"projects", "../x.json", false},
		{"", "config.json", true},
		{"", "sess.json", false},
		{"usage", "x.json", false},
	} {
		if got := IsName(tc.folder, tc.name); got != tc.want {
			t.Errorf("IsName(%q, %q) = %v, want %v", tc.folder, tc.name, got, tc.want)
		}
	}
}
