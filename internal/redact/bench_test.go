package redact

import (
	"os"
	"strings"
	"testing"
)

// The hooks redact every prompt and answer (up to 8,000 characters of
// each), so Text's cost is on every hook's path. These measure it on what
// a session holds: a short prompt, a long answer of ordinary text, and one
// with a secret in it.

func benchText(b *testing.B, s string) {
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		Text(s)
	}
}

func BenchmarkTextPrompt(b *testing.B) {
	benchText(b, "Fix the failing test in internal/journal: TestRedacted says the intent keeps the token. Run go test -race ./... after.")
}

// BenchmarkTextAnswer: an answer of 8,000 characters of clean.txt, the most
// the journal redacts of one.
func BenchmarkTextAnswer(b *testing.B) {
	data, err := os.ReadFile("testdata/clean.txt")
	if err != nil {
		b.Fatal(err)
	}
	benchText(b, string(data[:8000]))
}

func BenchmarkTextSecret(b *testing.B) {
	benchText(b, "Deploy with SECRET_KEY=Zq8vR2mK9pL4xW7n and Authorization: Bearer "+strings.Repeat("Ab3", 12)+", then curl -u admin:hunter22 https://ci.example.dev/api.")
}
