package overview_test

import (
	"fmt"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/sess-dev/sess/internal/benchstore"
	"github.com/sess-dev/sess/pkg/store"
)

// benchNow is the generated stores' present.
var benchNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// benchStore is a store of n sessions in the original's format, as
// pkg/store's benchmarks generate theirs (see its bench_test.go).
func benchStore(b *testing.B, n int) string {
	b.Helper()
	dir := filepath.Join(b.TempDir(), "dashboard")
	if err := benchstore.Generate(dir, benchstore.Options{Sessions: n, Seed: 1, Now: benchNow, LockFiles: true}); err != nil {
		b.Fatal(err)
	}
	return dir
}

func BenchmarkOverview(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		dir := benchStore(b, n)
		b.Run(fmt.Sprintf("overview/%d", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				st := store.Open(dir, store.Options{Now: func() time.Time { return benchNow }, Warnings: io.Discard})
				if _, err := overviewOf(b, st); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
