package session

import (
	"regexp"
	"strings"
	"testing"
)

func TestCleanText(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want string
		max      int
		kind     TextKind
		wantErr  string
	}{
		{in: "  fix bug \n", want: "fix bug", max: 10},
		{in: "", max: 10, wantErr: "must not be empty"},
		{in: " \t\n ", max: 10, wantErr: "must not be empty"},
		{in: strings.Repeat("é", 10), want: strings.Repeat("é", 10), max: 10},
		{in: strings.Repeat("é", 11), max: 10, wantErr: "too long (11 characters, max 10)"},
		{in: "a\x00b", max: 10, wantErr: "NUL"},
		{in: "a\nb", max: 10, wantErr: "single line"},
		{in: "a\rb", max: 10, wantErr: "single line"},
		{in: "a\nb", max: 10, kind: Note, want: "a\nb"},
		{in: "a\tb", max: 10, kind: Note, want: "a\tb"},
		{in: "a\x1bb", max: 10, kind: Note, wantErr: "control characters"},
		{in: "a\x00b", max: 10, kind: Note, wantErr: "NUL"},
		{in: "\xff", max: 10, wantErr: "UTF-8"},
		{in: "<script>alert(1)</script>", max: 100, want: "<script>alert(1)</script>"},
	} {
		have, err := CleanText("intent", tc.in, tc.max, tc.kind)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.HasPrefix(err.Error(), "intent: ") || ErrorCode(err) != CodeValidation {
				t.Errorf("CleanText(%q): want a validation error naming intent with %q, have %v", tc.in, tc.wantErr, err)
			}
			continue
		}
		if err != nil || have != tc.want {
			t.Errorf("CleanText(%q): want %q, have %q, %v", tc.in, tc.want, have, err)
		}
	}
}

func TestValidators(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		fn   func(string) error
		good []string
		bad  []string
	}{
		{"session id", ValidateSessionID,
			[]string{"sess_20260210T1430_a1b2"},
			[]string{"", "sess_20260210T1430_A1B2", "sess_20260210T1430_a1b2\n", "sess_20260210T1430_a1b", "../sess_20260210T1430_a1b2", "sess_20260210T1430_a1b2/../../x", "sess_２０260210T1430_a1b2", "sess_20260210T1430_a1b2.json"}},
		{"slug", ValidateSlug,
			[]string{"a", "my-project", "0day", "a--b"},
			[]string{"", "-a", "My-Project", "my_project", "my project", "a/b", "..", "a\n", "a\x00", strings.Repeat("a", MaxSlug+1)}},
		{"branch", ValidateBranch,
			[]string{"main", "feature/x", "v1.2.3", "a_b-c"},
			[]string{"", "-x", ".x", "a b", "a\n", "a;rm", strings.Repeat("a", MaxBranch+1)}},
		{"sha", ValidateSHA,
			[]string{"abcd", "ABCDEF1", strings.Repeat("a", 40)},
			[]string{"", "abc", "xyz1234", strings.Repeat("a", 41), "abcd\n", "abcd "}},
	} {
		for _, g := range tc.good {
			if err := tc.fn(g); err != nil {
				t.Errorf("%s %q: want valid, have %v", tc.name, g, err)
			}
		}
		for _, b := range tc.bad {
			if err := tc.fn(b); err == nil || ErrorCode(err) != CodeValidation {
				t.Errorf("%s %q: want a validation error, have %v", tc.name, b, err)
			}
		}
	}
}

func TestSlugOf(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"/home/u/My Project":   "my-project",
		"/home/u/my_project/":  "my-project",
		"/home/u/AI_Readiness": "ai-readiness",
		"Sess":                 "sess",
		"/":                    "",
	} {
		if have := SlugOf(in); have != want {
			t.Errorf("SlugOf(%q): want %q, have %q", in, want, have)
		}
	}
}

func TestLimits(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, -1, MaxLimit + 1} {
		if ValidateLimit(n) == nil {
			t.Errorf("limit %d: want an error", n)
		}
	}
	for _, n := range []int{0, MaxDays + 1} {
		if ValidateDays(n) == nil {
			t.Errorf("days %d: want an error", n)
		}
	}
	if ValidateLimit(1) != nil || ValidateLimit(MaxLimit) != nil || ValidateDays(MaxDays) != nil {
		t.Error("bounds must be valid")
	}
}

// TestPatterns holds the hand-written checks to the patterns of the contract.
func TestPatterns(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		re string
		fn func(string) bool
	}{
		{`^[a-z0-9][a-z0-9-]*$`, isSlug},
		{`^[a-zA-Z0-9][a-zA-Z0-9._/-]*$`, isBranch},
		{`^[0-9a-fA-F]{4,40}$`, IsSHA},
		{`^sess_[0-9]{8}T[0-9]{4}_[0-9a-f]{4}$`, isSessionID},
	} {
		re := regexp.MustCompile(tc.re)
		for _, s := range []string{"", "a", "-a", "a-b", "A", "0", "ab.c/d_e", "abcd", "ABCD12", strings.Repeat("a", 40), strings.Repeat("a", 41), "abc",
			"sess_20260101T0000_abcd", "sess_20260101T0000_ABCD", "sess_2026010100000_abcd", "sess_20260101T0000_abc", "sess_20260101X0000_abcd", "sess_2026010aT0000_abcd",
			"a\n", "a b", "é", "a/../b", "x_y"} {
			if want, have := re.MatchString(s), tc.fn(s); want != have {
				t.Errorf("%s on %q: want %v, have %v", tc.re, s, want, have)
			}
		}
	}
}

func FuzzPatterns(f *testing.F) {
	f.Add("sess_20260101T0000_abcd")
	f.Add("feature/x")
	pats := []struct {
		re *regexp.Regexp
		fn func(string) bool
	}{
		{regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`), isSlug},
		{regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9._/-]*$`), isBranch},
		{regexp.MustCompile(`^[0-9a-fA-F]{4,40}$`), IsSHA},
		{regexp.MustCompile(`^sess_[0-9]{8}T[0-9]{4}_[0-9a-f]{4}$`), isSessionID},
	}
	f.Fuzz(func(t *testing.T, s string) {
		if strings.HasSuffix(s, "\n") {
			return // Go's $ does not match before a final newline anyway
		}
		for _, p := range pats {
			if want, have := p.re.MatchString(s), p.fn(s); want != have {
				t.Fatalf("%s on %q: want %v, have %v", p.re, s, want, have)
			}
		}
	})
}
