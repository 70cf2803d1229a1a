package redact

import (
	"regexp"
	"strings"
	"sync"
)

// outbound are the credentials Outbound takes out besides Text's: written
// as such (a header, an assignment, a flag) but not random enough for
// gitleaks, which skips low-entropy values to spare code and prose that
// stays on this machine. Compiled on first use, like personal.
var outbound = sync.OnceValue(func() []pattern {
	const value = credValue // see credentials.go
	// A word that names a credential, within a longer name too
	// (DB_PASSWORD, github_token, x-api-key, password_file), but not a
	// plural (max_tokens = 4096 counts a model's tokens).
	const cred = `[\w-]*(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credential)(?:[_-][\w-]*)?`
	return []pattern{
		// authorization: xyz, without a scheme (Text takes those with one).
		{re: regexp.MustCompile(`(?i)\b(?:proxy-)?authorization\s*[:=]\s*` + value), group: 1, with: "[REDACTED:auth-header]",
			keep: func(s string) bool { return placeholder(s) || authScheme(s) }},
		// A bearer token on its own ("Bearer xyz"); eight characters at
		// least, so "bearer of bad news" stays.
		{re: regexp.MustCompile(`(?i)\bbearer\s+([A-Za-z0-9._~+/=-]{8,})`), group: 1, with: "[REDACTED:auth-header]", keep: placeholder},
		// password=hunter2, "api_key": "x", DB_PASSWORD: x.
		{re: regexp.MustCompile(`(?i)\b` + cred + `["']?\s*[:=]\s*` + value), group: 1, with: "[REDACTED:credential]", keep: placeholder},
		// --password hunter2, -token x.
		{re: regexp.MustCompile(`(?i)(?:^|\s)--?` + cred + `\s+` + value), group: 1, with: "[REDACTED:credential]", keep: placeholder},
	}
})

// placeholder: a value that holds no secret: one redacted already, a
// variable ($TOKEN, ${TOKEN}), a template (<password>, {{token}}), a mask
// (***, xxx), or code that reads it from elsewhere (os.environ["KEY"],
// process.env.TOKEN, getToken()).
func placeholder(s string) bool {
	return strings.HasPrefix(s, "[REDACTED") || strings.HasPrefix(s, "$") || strings.HasPrefix(s, "<") ||
		strings.HasPrefix(s, "{{") || strings.Trim(s, "*xX.") == "" ||
		strings.ContainsAny(s, "([") || strings.HasPrefix(s, "process.env.")
}

// authScheme: the scheme of an Authorization header, whose value Text has
// taken out already.
func authScheme(s string) bool {
	switch strings.ToLower(s) {
	case "bearer", "basic", "token", "digest", "negotiate":
		return true
	}
	return false
}

// Outbound redacts s for a message that leaves this machine (a push to a
// phone, a webhook): what Text takes out, and also credentials written as
// such whatever their entropy (an Authorization header's value,
// password=hunter2). Text keeps those because in code and logs kept here a
// false alarm hides what a reader needs; in a notification sent out, a word
// lost costs nothing and a password sent costs much.
func Outbound(s string) (string, int) {
	out, n := Text(s)
	out, k := applyPatterns(out, outbound())
	return out, n + k
}
