package redact

import (
	"regexp"
	"strings"
	"sync"
)

// credentials are the credentials Text takes out that gitleaks' rules
// miss: written as such (a header with its scheme, a password flag, an
// environment variable whose name says it holds one), so that the name, not
// the value's entropy, tells; and a private key whose END line was cut
// off. Outbound applies them too, then its looser ones. Compiled on first
// use, like personal; each runs only on text that holds one of its
// keywords, as gitleaks' rules do, since the hooks redact every prompt.
var credentials = sync.OnceValue(func() []pattern {
	return []pattern{
		// Authorization: Bearer xyz, "Authorization": "Basic xyz".
		{re: regexp.MustCompile(`(?i)\b(?:proxy-)?authorization["']?\s*[:=]\s*["']?(?:bearer|basic|token|digest|negotiate)\s+` + credValue), group: 1,
			with: "[REDACTED:auth-header]", keep: placeholder, keywords: []string{"authorization"}},
		// SECRET_KEY=x, export DB_PASSWORD='x', ENV API_TOKEN x= (a .env
		// file, a shell, a Dockerfile); with spaces around = only when the
		// value is quoted (SECRET_KEY = "x" in settings.py), as code's
		// MAX_KEY = 100 is not a secret. Upper case only: in lower case,
		// password=password is code passing an argument on.
		{re: regexp.MustCompile(`(?:^|[\s;&|(\x60'"])(?:[A-Z0-9]+_)*(?:SECRET|PASSWORD|PASSWD|PASS|PWD|PASSPHRASE|TOKEN|KEY|APIKEY|CREDENTIALS?)(?:_[A-Z0-9]+)*(?:=["']?|\s*=\s*["'])([^\s"'\x60;]+)`), group: 1,
			with: "[REDACTED:credential]", keep: placeholder, skip: notSecretName, keywords: []string{"secret", "pass", "pwd", "token", "key", "credential"}},
		// mysql -pPASS, mysqldump --password=PASS (mysql's -p takes its
		// value without a space; -p alone asks for it; -P is the port).
		{re: regexp.MustCompile(`\b(?i:mysql\w*|mariadb[\w-]*)\b[^\n|;&]*?\s(?:-p|--password=)["']?([^\s"']+)`), group: 1,
			with: "[REDACTED:credential]", keep: placeholder, keywords: []string{"mysql", "mariadb"}},
		// A Twilio auth token: 32 hex digits after the account's SID (AC and
		// 32 hex digits), which is not secret and stays.
		{re: regexp.MustCompile(`\bAC[0-9a-f]{32}\b[^\n]{0,80}?\b([0-9a-f]{32})\b`), group: 1,
			with: "[REDACTED:twilio-auth-token]", keywords: []string{"ac"}},
		// A private key whose END line is missing (cut off, or pasted in
		// part): its BEGIN line and the lines of base64 that follow, real
		// or JSON-escaped (\n). Gitleaks' rule wants the END line.
		{re: regexp.MustCompile(`(?i)-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----(?:(?:\r?\n|(?:\\r)?\\n)(?:[A-Za-z0-9+/=]+|(?:Proc-Type|DEK-Info):[^\n\\]*)?)*`),
			with: "[REDACTED:private-key]", keywords: []string{"-----begin"}},
	}
})

// credValue is a credential's value, quoted or not (the quotes stay), up
// to a space, quote, comma or semicolon; not one that begins with "=" (Go's
// :=, ==).
const credValue = `["']?([^\s"',;=][^\s"',;]*)`

// notSecretName: a variable whose name says credential but whose last word
// says it holds something else (SSH_KEY_PATH, TOKEN_URL, KEY_ID), or whose
// value is a digest it names (CHECKSUM_KEY=<sha256>).
func notSecretName(s string, start, end int) bool {
	m := strings.TrimLeft(s[start:end], " \t\r\n;&|(`'\"")
	m = strings.TrimPrefix(m, "export ")
	name, value, _ := strings.Cut(m, "=")
	name = strings.TrimSpace(name)
	switch name[strings.LastIndexByte(name, '_')+1:] {
	case "PATH", "FILE", "DIR", "ID", "NAME", "URL", "URI", "HOST", "PORT", "USER", "USERNAME", "LENGTH", "SIZE", "BITS",
		"TTL", "TYPE", "HEADER", "FIELD", "PREFIX", "COUNT", "EXPIRY", "EXPIRES", "TIMEOUT", "ALGORITHM", "REGION", "VERSION", "ENABLED":
		return true
	}
	return digestNamed(name, strings.Trim(strings.TrimSpace(value), `"'`))
}

// digestNamed: a value that is a digest (hex of a hash's length, or an
// integrity string sha512-…) under a name that says so (checksum_key,
// commit_sha, integrity_hash). A key may be hex too, so the name decides.
func digestNamed(name, value string) bool {
	lower := strings.ToLower(name)
	if !hasKeyword(lower, []string{"checksum", "hash", "digest", "sha", "sum", "fingerprint", "integrity", "etag", "commit"}) {
		return false
	}
	if strings.IndexAny(value, "-:") > 0 && strings.HasPrefix(strings.ToLower(value), "sha") {
		return true // sha512-…, sha256:…
	}
	switch len(value) {
	case 32, 40, 56, 64, 96, 128:
		return strings.Trim(strings.ToLower(value), "0123456789abcdef") == ""
	}
	return false
}
