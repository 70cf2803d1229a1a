package redact

import (
	"strings"
	"testing"
)

// TestURLPassword: the password of a connection string goes, the rest of
// it (scheme, user, host) stays; placeholders stay.
func TestURLPassword(t *testing.T) {
	for in, want := range map[string]string{
		"DATABASE_URL=postgres://app:Zq8vR2mK9pL4@db.internal:5432/main": "postgres://app:[REDACTED:url-password]@db.internal:5432/main",
		"mongodb+srv://admin:hunter2secret@cluster0.example.net/test":    "mongodb+srv://admin:[REDACTED:url-password]@cluster0.example.net/test",
		"redis://:s3cr3tpw@cache:6379":                                   "redis://:[REDACTED:url-password]@cache:6379", // a password without a user
		"postgres://app:${DB_PASSWORD}@db/main":                          "postgres://app:${DB_PASSWORD}@db/main",
		"https://user:****@example.com":                                  "https://user:****@example.com",
		"https://github.com/owner/repo":                                  "https://github.com/owner/repo",
	} {
		if out, _ := Text(in); !strings.Contains(out, want) {
			t.Errorf("%s:\nhave %s\nwant %s", in, out, want)
		}
	}
}

// TestOverlap: of two secrets that overlap, nothing of either is left.
func TestOverlap(t *testing.T) {
	out, n := replace("key=AAAABBBBCCCC end", []span{{4, 12, "[A]"}, {8, 16, "[B]"}})
	if out != "key=[A] end" || n != 1 {
		t.Errorf("%q %d", out, n)
	}
}
