package benchstore

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// The word lists below make text that reads like a developer's session log:
// intents of about 60 characters, event messages of about 80. A few entries
// carry non-ASCII characters (an em dash, an accented letter) so that the
// store exercises the unescaped UTF-8 the original writes.

var (
	verbs = []string{
		"Refactor", "Implement", "Fix", "Add", "Speed up", "Document",
		"Migrate", "Harden", "Simplify", "Test", "Rewrite", "Review",
	}
	pastVerbs = []string{
		"Refactored", "Implemented", "Fixed", "Added", "Sped up", "Documented",
		"Migrated", "Hardened", "Simplified", "Tested", "Rewrote", "Reviewed",
		"Split", "Renamed", "Removed", "Extracted",
	}
	adjectives = []string{
		"the session", "the heartbeat", "the archive", "the export", "the index",
		"the overview", "the notification", "the roadmap", "the config",
		"the search", "the project-state", "the web", "the CLI", "the café-menu",
	}
	components = []string{
		"loader", "writer", "handler", "parser", "cache", "renderer", "validator",
		"scheduler", "router", "template", "lock manager", "migration", "query",
	}
	goals = []string{
		"so listings stay fast", "before the next release", "for the Q3 roadmap",
		"to drop the legacy path", "with proper error codes", "behind a flag",
		"without breaking old stores", "for large stores", "— ticket follow-up",
		"after the review comments", "for the Windows users", "per the RFC",
	}
	files = []string{
		"lib/store.py", "lib/export.py", "web/app.py", "manage.py", "README.md",
		"pkg/store/index.go", "pkg/store/query.go", "cmd/serve/main.go",
		"web/static/app.js", "web/templates/index.html", "tests/test_store.py",
		"docs/architecture.md", "scripts/release.sh", "config.example.json",
		"internal/notify/notify.go", "pkg/export/markdown.go",
	}
	details = []string{
		"all tests pass", "two flaky tests remain", "benchmark improved by 30%",
		"needs a follow-up for edge cases", "reviewed the diff twice",
		"kept the old behaviour behind a flag", "coverage is now 87%",
		"found a race in the lock path", "the CI run is green again",
		"documented the new option in the README", "déjà vu: same bug as last week",
		"paired with the reviewer on the naming", "profiled with pprof first",
	}
	reasons = []string{
		"Waiting for review of the migration plan",
		"Blocked on the upstream API change",
		"End of day — continue tomorrow morning",
		"Need a decision on the storage format",
		"Context switch to an urgent production bug",
		"Waiting for the designer's mock-ups",
	}
	questions = []string{
		"Should archived sessions count towards the project total?",
		"Do we keep the old index format for one more release?",
		"Is a 24-hour stale threshold right for long-running sessions?",
		"Who owns the notification settings — user or project?",
		"Can the export drop the event log for completed sessions?",
		"Should the web view poll or use server-sent events?",
	}
	decisionTexts = []string{
		"Keep the index as a single JSON file; a database is overkill for this size",
		"Write every file atomically via temp file and rename, with fsync",
		"Use the UTC minute in session ids so they sort chronologically",
		"Store timestamps with microseconds and an explicit +00:00 offset",
		"Refuse symlinks when reading store files",
		"Cap next steps at three items to keep the overview readable",
		"Deduplicate commits on the first seven characters of the SHA",
		"Fail open in the heartbeat hook: never block the editor",
	}
	activities = []string{
		"Running the test suite", "Reading the store code", "Writing the migration",
		"Reviewing the pull request", "Profiling the overview query",
		"Updating the documentation", "Debugging a failing test",
		"Drafting the release notes", "Benchmarking the index loader",
	}
	awaiting = []string{
		"Approve the schema change before I continue",
		"Choose between option A and option B for the export",
		"Provide the production credentials path",
		"Confirm that the old endpoint can be removed",
	}
	nextStepTexts = []string{
		"Write tests for the archive edge cases",
		"Run the benchmark on a 10,000-session store",
		"Ask for a review of the lock handling",
		"Update the changelog and tag a release",
		"Remove the deprecated flags",
		"Port the remaining commands",
		"Check the notification cooldown logic",
		"Profile the web overview endpoint",
	}
	commitKinds = []string{"feat", "fix", "refactor", "test", "docs", "perf", "chore"}
	outcomes    = []string{
		"Done: %s works and is covered by tests; %s.",
		"Finished %s; %s. Merged to main.",
		"Partially done — %s is in, %s.",
		"Shipped %s after review; %s.",
	}
	phases   = []string{"FASE A", "FASE B", "FASE C", "FASE D", "FASE E"}
	branches = []string{"storage", "overview", "export", "hooks", "notify", "search", "web", "cleanup"}
)

// pick returns a random element of list.
func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

func intentText(r *rand.Rand) string {
	return fmt.Sprintf("%s %s %s %s", pick(r, verbs), pick(r, adjectives), pick(r, components), pick(r, goals))
}

// emojiText returns n random emoji from U+1F600 to U+1F64F: n characters,
// 4n bytes in UTF-8, none of which JSON escapes or the original's
// validation refuses.
func emojiText(r *rand.Rand, n int) string {
	var b strings.Builder
	b.Grow(4 * n)
	for range n {
		b.WriteRune(rune(0x1f600 + r.IntN(0x50)))
	}
	return b.String()
}

func eventText(r *rand.Rand) string {
	return fmt.Sprintf("%s %s %s in %s; %s", pick(r, pastVerbs), pick(r, adjectives), pick(r, components), pick(r, files), pick(r, details))
}

func commitText(r *rand.Rand) string {
	area := strings.TrimPrefix(pick(r, adjectives), "the ")
	return fmt.Sprintf("%s(%s): %s %s", pick(r, commitKinds), area, strings.ToLower(pick(r, verbs)), pick(r, components))
}

func outcomeText(r *rand.Rand) string {
	what := strings.TrimPrefix(pick(r, adjectives), "the ") + " " + pick(r, components)
	return fmt.Sprintf(pick(r, outcomes), what, pick(r, details))
}

func taskText(r *rand.Rand) string {
	return fmt.Sprintf("%s %s %s", pick(r, verbs), pick(r, adjectives), pick(r, components))
}

func roadmapItem(r *rand.Rand, i int) string {
	return fmt.Sprintf("%s.%d %s %s", pick(r, phases), i+1, strings.TrimPrefix(pick(r, adjectives), "the "), pick(r, components))
}

// hexString returns n random lowercase hex digits.
func hexString(r *rand.Rand, n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[r.IntN(16)]
	}
	return string(b)
}

func uuidText(r *rand.Rand) string {
	h := hexString(r, 32)
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:]
}

// subset returns k distinct elements of list in random order (k <= len(list)).
func subset(r *rand.Rand, list []string, k int) []string {
	k = min(k, len(list))
	out := make([]string, 0, k)
	for _, i := range r.Perm(len(list))[:k] {
		out = append(out, list[i])
	}
	return out
}
