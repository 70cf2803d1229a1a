package store

import "testing"

func TestFirstLineAndSentence(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, line, sentence string
	}{
		{"Fix the login\nmore", "Fix the login", "Fix the login"},
		{"\n\n  Done. Next: tests.", "Done. Next: tests.", "Done."},
		{"Is it 1.5? Yes.", "Is it 1.5? Yes.", "Is it 1.5?"},
		{"tab\tand\x01bell", "tab and bell", "tab and bell"},
		{"", "", ""},
	} {
		if have := firstLine(tc.in, 500); have != tc.line {
			t.Errorf("firstLine(%q): want %q, have %q", tc.in, tc.line, have)
		}
		if have := firstSentence(tc.in, 200); have != tc.sentence {
			t.Errorf("firstSentence(%q): want %q, have %q", tc.in, tc.sentence, have)
		}
	}
	if have := cut("ééééé", 3); have != "éé…" {
		t.Errorf("cut: %q", have)
	}
}
