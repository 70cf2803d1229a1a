package journal

import (
	"fmt"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/sess-dev/sess/internal/benchstore"
	"github.com/sess-dev/sess/pkg/store"
)

// benchNow is the time of the generated store (see pkg/store's benchmarks).
var benchNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// BenchmarkLaunch is SessionStart's store work on 10,000 sessions: a new
// conversation, one that /clear began in the window of the last, and one
// resumed under a new id from the last.
func BenchmarkLaunch(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "dashboard")
	if err := benchstore.Generate(dir, benchstore.Options{Sessions: 10000, Seed: 1, Now: benchNow, LockFiles: true}); err != nil {
		b.Fatal(err)
	}
	wt := "/src/project-01"
	for _, c := range []struct {
		name   string
		source string
	}{{"startup", SourceStartup}, {"clear", SourceClear}, {"resume", SourceResume}} {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				l := Launch{ClaudeSessionID: fmt.Sprintf("%s-%d", c.name, i), Project: "project-01", WorktreeRoot: &wt, Source: c.source, Hooked: true, Window: "wbench-1-1"}
				prev := fmt.Sprintf("%s-%d", c.name, i-1)
				l.Carried = func() []string { return []string{prev} }
				if _, _, err := RegisterLaunch(store.Open(dir, store.Options{Now: func() time.Time { return benchNow }, Warnings: io.Discard}), l); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
