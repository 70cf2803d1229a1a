package redact

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestUnhidden(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{`\u0041KIA`, "AKIA", true},
		{`\u0061\u005f\u002D`, "a_-", true},
		{"AKIA\u200bABCD", "AKIAABCD", true},
		{"ab\u200b\u200c\u00adcd", "abcd", true},
		{"ab\u200b" + `\u0063`, "abc", true},
		{`"caf\u00e9"`, `"caf\u00e9"`, false},           // not a letter a key is made of
		{`\u002e`, `\u002e`, false},                     // a full stop
		{"👨\u200d👩", "👨\u200d👩", false},                 // an emoji's joiner
		{"word \u200b word", "word \u200b word", false}, // between spaces
		{"end\u200b", "end\u200b", false},
		{`\u00`, `\u00`, false},
		{"plain", "plain", false},
	} {
		have, ok := unhidden(tc.in)
		if have != tc.want || ok != tc.ok {
			t.Errorf("unhidden(%q): want %q %v, have %q %v", tc.in, tc.want, tc.ok, have, ok)
		}
	}
}

// FuzzUnhidden: unhidden never grows a text, leaves valid UTF-8 valid,
// reports a change exactly when it made one, and a second pass changes no
// invisible character it left (so Text sees the key whole in one pass).
// Text never panics, and changes nothing it does not count.
func FuzzUnhidden(f *testing.F) {
	for _, s := range []string{`\u0041KIA`, "AKIA\u200bX", `"caf\u00e9"`, "👨\u200d👩", `\u00`, `\u00zz`, "a\u200b\u200b", "\xff\u200b", "-----BEGIN PRIVATE KEY-----\\nMIIE"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, ok := unhidden(s)
		if len(out) > len(s) {
			t.Fatalf("grew: %q -> %q", s, out)
		}
		if ok == (out == s) {
			t.Fatalf("ok %v for %q -> %q", ok, s, out)
		}
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 from %q: %q", s, out)
		}
		if again, _ := unhidden(out); strings.Count(again, "\u200b") != strings.Count(out, "\u200b") && strings.Count(out, `\u`) == strings.Count(s, `\u`) {
			t.Fatalf("a second pass removes more: %q -> %q -> %q", s, out, again)
		}
		begin := time.Now()
		red, n := Text(s)
		if d := time.Since(begin); d > time.Second {
			t.Fatalf("Text took %v on %q", d, s)
		}
		if n == 0 && red != s {
			t.Fatalf("Text changed %q to %q counting nothing", s, red)
		}
	})
}
