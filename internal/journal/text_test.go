package journal

import (
	"strings"
	"testing"
	"unicode/utf8"
)

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

func TestQuestionOf(t *testing.T) {
	t.Parallel()
	long := "Should we " + strings.Repeat("really ", 80) + "do it?"
	for in, want := range map[string]string{
		"Done. Shall I push?":                          "Shall I push?",
		"Done.\n\nShall I push it to `main`?\n":        "Shall I push it to `main`?",
		"Fixed it! Want the docs **too**?**":           "Want the docs **too**?",
		"Two options:\n1. A\n2. B\n\nWhich one (A/B)?": "Which one (A/B)?",
		"- Should I keep the old flag?":                "Should I keep the old flag?",
		"Options:\n2) Should I keep it?":               "Should I keep it?",
		"Done.\n10 or 20 workers?":                     "10 or 20 workers?",
		"> **Go on?**":                                 "Go on?",
		"Is it 1.5? Yes, it is.":                       "",
		"All done.":                                    "",
		"What about \"this\"?\" ":                      "What about \"this\"?",
		"":                                             "",
		"?":                                            "?",
		long:                                           "…" + string([]rune(long)[len([]rune(long))-MaxQuestion+1:]),
	} {
		if have := QuestionOf(in); have != want {
			t.Errorf("QuestionOf(%q):\n want %q\n have %q", in, want, have)
		}
	}
}

// FuzzQuestionOf: any answer gives a question within the bound, of whole
// characters, that ends as a question does, or none.
func FuzzQuestionOf(f *testing.F) {
	for _, s := range []string{"Done. Shall I push?", "- 2) Go on?**", "é?", "?\n?", strings.Repeat("why ", 200) + "?"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, answer string) {
		q := QuestionOf(answer)
		if q == "" {
			return
		}
		if utf8.RuneCountInString(q) > MaxQuestion || !utf8.ValidString(q) && utf8.ValidString(answer) {
			t.Errorf("QuestionOf(%q) = %q", answer, q)
		}
		if !strings.Contains(q, "?") {
			t.Errorf("QuestionOf(%q) = %q asks nothing", answer, q)
		}
	})
}
