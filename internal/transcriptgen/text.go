package transcriptgen

import (
	"fmt"
	"strings"
)

// The words of the conversations. They only need to look like work: the
// bytes they take and the tokens they stand for are what a tree is for.

var prompts = []string{
	"The %s handler returns 500 when the body is empty; make it check its input and add a test",
	"Why does %s fail on CI but not locally? Look at the logs and fix it",
	"Rename %s to something that says what it holds, everywhere",
	"Add a --dry-run flag to %s that prints what it would do",
	"Write the migration for %s and make sure it can run twice",
	"%s is slow on large inputs; profile it and make it faster",
	"Review %s for error handling: every error wrapped with context",
	"Split %s into smaller functions, no behaviour change",
	"The docs for %s are out of date; update them from the code",
	"Port %s from the old client to the new one",
	"continue",
	"yes, do that",
	"Now run the tests and fix what fails",
	"Commit this with a message that says why",
}

var nouns = []string{"the session store", "parseConfig", "the upload endpoint", "the retry loop", "the billing export",
	"the cache layer", "cmd/server", "the CSV importer", "the auth middleware", "the cron job", "the search index", "the webhook"}

var thoughts = []string{
	"The handler reads the body before checking its length, so an empty body reaches the decoder. The check belongs before the read, and the test should cover both the empty and the oversized case.",
	"The failure only shows under the race detector: two goroutines share the map. A mutex around the writes is the smallest fix; the reads are already copied.",
	"Let me look at how the callers use this before changing the signature. If every caller passes a context, the new parameter can go first.",
	"The slow part is the quadratic scan in the merge. Sorting once and walking both lists makes it linear.",
	"The test expects the old message. I should update the test rather than keep the message, since the new one names the field.",
}

var answers = []string{
	"Done: the handler checks its input first, and a table test covers the empty, oversized and valid bodies. All tests pass.",
	"Fixed. The map is now guarded by a mutex; `go test -race ./...` is clean. The flaky CI job should stop failing.",
	"I renamed it in 14 files and updated the docs. Nothing else changed; the build and tests pass.",
	"The merge is linear now: 1.2 s → 40 ms on the 100k-row fixture. I kept the old function's tests and added a benchmark.",
	"Here is what I found:\n\n1. The config is read twice.\n2. The second read ignores the environment.\n3. The flag's default hides it.\n\nShall I fix all three?",
	"Committed as `fix: check the body before decoding it` with the reason in the message.",
}

var codeLines = []string{
	"func (s *Store) Get(ctx context.Context, id string) (*Session, error) {",
	"\tif err := check(input); err != nil {",
	"\t\treturn nil, fmt.Errorf(\"get session %s: %w\", id, err)",
	"\t}",
	"\tmu.Lock()",
	"\tdefer mu.Unlock()",
	"\tfor i, row := range rows {",
	"\t\tif row.ID == id {",
	"\t\t\treturn &rows[i], nil",
	"\t// The index is rebuilt lazily: most calls never need it.",
	"\tdata, err := os.ReadFile(filepath.Join(dir, name))",
	"\tif len(body) == 0 || len(body) > maxBody {",
	"\t\treturn errEmptyBody",
	"}",
	"",
	"import (",
	"\t\"encoding/json\"",
	"type Config struct {",
	"\tTimeout time.Duration `json:\"timeout\"`",
	"\tw.Header().Set(\"Content-Type\", \"application/json\")",
}

var files = []string{"internal/store/store.go", "internal/server/handler.go", "cmd/server/main.go", "internal/config/config.go",
	"internal/retry/retry.go", "internal/export/csv.go", "internal/auth/middleware.go", "README.md", "internal/search/index.go", "go.mod"}

// prompt is a user's prompt.
func (d dice) prompt() string {
	p := one(d, prompts...)
	if strings.Contains(p, "%s") {
		return fmt.Sprintf(p, one(d, nouns...))
	}
	return p
}

// code is about n bytes of source; numbered as Read and Edit show it.
func (d dice) code(n int, numbered bool) string {
	var b strings.Builder
	b.Grow(n + 100)
	for i := 1; b.Len() < n; i++ {
		if numbered {
			fmt.Fprintf(&b, "%6d\t", i)
		}
		b.WriteString(one(d, codeLines...))
		b.WriteByte('\n')
	}
	return b.String()
}

// testOutput is what a test run prints.
func (d dice) testOutput() string {
	var b strings.Builder
	for range d.between(2, 12) {
		fmt.Fprintf(&b, "ok  \tgithub.com/acme/app/%s\t%d.%03ds\n", strings.TrimSuffix(one(d, files...), ".go"), d.IntN(3), d.IntN(1000))
	}
	if d.chance(0.3) {
		b.WriteString("--- FAIL: TestHandler/empty_body (0.00s)\n    handler_test.go:41: want 400, have 500\nFAIL\n")
	}
	return b.String()
}

// thinkingText stands for tokens of thinking: Claude Code keeps a
// summary, much shorter than what was billed.
func (d dice) thinkingText(tokens int) string {
	t := one(d, thoughts...)
	for len(t) < tokens/3 && len(t) < 1500 {
		t += " " + one(d, thoughts...)
	}
	return t
}
