package jsonout

import (
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/sess-dev/sess/internal/benchstore"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
	"github.com/sess-dev/sess/pkg/store/overview"
)

// benchNow is the generated stores' present.
var benchNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// benchStore is a store of n sessions in the original's format, as
// pkg/store's benchmarks generate theirs (see its bench_test.go).
func benchStore(b *testing.B, n int) *store.Store {
	b.Helper()
	dir := filepath.Join(b.TempDir(), "dashboard")
	if err := benchstore.Generate(dir, benchstore.Options{Sessions: n, Seed: 1, Now: benchNow, LockFiles: true}); err != nil {
		b.Fatal(err)
	}
	return store.Open(dir, store.Options{Now: func() time.Time { return benchNow }, Warnings: io.Discard})
}

func BenchmarkEncodeOverview(b *testing.B) {
	ov, err := overview.Read(benchStore(b, 10000))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, err := Marshal(ov)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(out)))
	}
}

func BenchmarkEncodeSessions(b *testing.B) {
	list, err := benchStore(b, 10000).View().List(store.Filter{Status: session.StatusActive})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, err := Marshal(list)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(out)))
	}
}
