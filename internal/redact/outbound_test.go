package redact

import (
	"os"
	"strings"
	"testing"
)

// TestOutbound: what leaves the machine loses the credentials Text lets
// through for their low entropy, and keeps placeholders and prose.
func TestOutbound(t *testing.T) {
	t.Parallel()
	// Made here, not written out, so that no scanner flags this file.
	pat := "ghp_" + strings.Repeat("R8xk2LmQ9vTz", 3)
	for _, tc := range []struct{ in, want string }{
		{"password=hunter2", "password=[REDACTED:credential]"},
		{"log in with DB_PASSWORD: hunter2 then retry", "log in with DB_PASSWORD: [REDACTED:credential] then retry"},
		{`{"api_key": "abc123"}`, `{"api_key": "[REDACTED:credential]"}`},
		{"Authorization: Bearer xyz123abc", "Authorization: Bearer [REDACTED:auth-header]"},
		{"authorization=Basic dXNlcjpwdw==", "authorization=Basic [REDACTED:auth-header]"},
		{"password=123456", "password=[REDACTED:credential]"},
		{"send it with bearer abcdefgh1", "send it with bearer [REDACTED:auth-header]"},
		{"mytool --password hunter2 --verbose", "mytool --password [REDACTED:credential] --verbose"},
		{"use " + pat + " to push", "use [REDACTED:github-pat] to push"},
		{"token=" + pat, "token=[REDACTED:github-pat]"},
		// Left alone: placeholders, prose, words that merely contain one.
		{"password=$DB_PASSWORD", "password=$DB_PASSWORD"},
		{"password: <your password>", "password: <your password>"},
		{"token=***", "token=***"},
		{"max_tokens = 4096", "max_tokens = 4096"},
		{`token := os.Getenv("GITHUB_TOKEN")`, `token := os.Getenv("GITHUB_TOKEN")`},
		{"the bearer of bad news", "the bearer of bad news"},
		{"reset the password for the admin", "reset the password for the admin"},
		{"Claude needs your permission to use Bash", "Claude needs your permission to use Bash"},
	} {
		if have, _ := Outbound(tc.in); have != tc.want {
			t.Errorf("Outbound(%q):\nwant %s\nhave %s", tc.in, tc.want, have)
		}
	}
}

// TestOutboundCleanLines: the stricter pass still leaves almost all of what
// a session holds alone (testdata/clean.txt, as TestCleanLines).
func TestOutboundCleanLines(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/clean.txt")
	if err != nil {
		t.Fatal(err)
	}
	var lines, changed int
	for i, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		lines++
		if out, _ := Outbound(line); out != line {
			changed++
			t.Logf("clean.txt:%d:\n in: %s\nout: %s", i+1, line, out)
		}
	}
	if changed*100 > lines*5 {
		t.Errorf("%d of %d clean lines changed, more than 5%%", changed, lines)
	}
}
