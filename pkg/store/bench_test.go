package store

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/sess-dev/sess/internal/benchstore"
	"github.com/sess-dev/sess/pkg/session"
)

// Benchmarks run on stores in the original's format, generated once per
// size: 5% active, 5% parked, 90% completed over 10 projects, ~20 events and
// 5 tasks each. Whole-process figures, side by side with the original, come
// from bench/compare.sh.

var (
	benchMu     sync.Mutex
	benchStores = map[int]string{}
	benchNow    = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
)

func benchStore(b testing.TB, n int) string {
	b.Helper()
	benchMu.Lock()
	defer benchMu.Unlock()
	if dir, ok := benchStores[n]; ok {
		return dir
	}
	root, err := os.MkdirTemp("", "sess-bench-")
	if err != nil {
		b.Fatal(err)
	}
	dir := filepath.Join(root, "dashboard")
	if err := benchstore.Generate(dir, benchstore.Options{Sessions: n, Seed: 1, Now: benchNow, LockFiles: true}); err != nil {
		b.Fatal(err)
	}
	benchStores[n] = dir
	return dir
}

// copyStore copies a generated store so that a benchmark may change it.
func copyStore(b testing.TB, src string) string {
	b.Helper()
	dst := filepath.Join(b.TempDir(), "dashboard")
	err := filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if fi.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o700)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o600)
	})
	if err != nil {
		b.Fatal(err)
	}
	return dst
}

func openBench(dir string) *Store {
	return Open(dir, Options{Now: func() time.Time { return benchNow }, Warnings: io.Discard})
}

func BenchmarkQueries(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		dir := benchStore(b, n)
		for _, q := range []struct {
			name string
			run  func(s *Store) error
		}{
			{"active-sessions", func(s *Store) error { _, err := s.listSessions(Filter{Status: session.StatusActive}); return err }},
			{"list-sessions-limit-20", func(s *Store) error { _, err := s.listSessions(Filter{Limit: 20}); return err }},
			{"stale-sessions", func(s *Store) error { _, err := s.staleSessions(0); return err }},
			{"cleanup-stale-dry-run", func(s *Store) error { _, err := s.CleanupStale(0, true); return err }},
			{"load-index", func(s *Store) error { _, err := s.loadIndex(); return err }},
			{"project-entries", func(s *Store) error { _, err := s.loadProjectIndex("odin-backend"); return err }},
			{"active-entries", func(s *Store) error { _, err := s.loadIndexWith("status", "active"); return err }},
		} {
			b.Run(fmt.Sprintf("%s/%d", q.name, n), func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if err := q.run(openBench(dir)); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func BenchmarkChanges(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		dir := copyStore(b, benchStore(b, n))
		s := openBench(dir)
		active, err := s.listSessions(Filter{Status: session.StatusActive, Limit: 1})
		if err != nil || len(active) == 0 {
			b.Fatalf("no active session: %v", err)
		}
		id := active[0].SessionID
		for _, c := range []struct {
			name string
			run  func(s *Store, i int) error
		}{
			{"add-event", func(s *Store, i int) error { _, err := s.AddEvent(id, "benchmark event"); return err }},
			{"heartbeat", func(s *Store, i int) error { _, err := s.Heartbeat(id); return err }},
			{"update-session", func(s *Store, i int) error {
				_, err := s.UpdateSession(id, SessionPatch{CurrentActivity: strp(fmt.Sprint("step ", i))})
				return err
			}},
			{"create-session", func(s *Store, i int) error {
				_, err := s.CreateSession(NewSession{Project: "project-01", Intent: "benchmark"})
				return err
			}},
		} {
			b.Run(fmt.Sprintf("%s/%d", c.name, n), func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if err := c.run(openBench(dir), i); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func BenchmarkCleanupStale(b *testing.B) {
	src := benchStore(b, 10000)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := copyStore(b, src)
		b.StartTimer()
		if _, err := openBench(dir).CleanupStale(0, false); err != nil {
			b.Fatal(err)
		}
	}
}
