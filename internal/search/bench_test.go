package search

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/sess-dev/sess/internal/benchstore"
	"github.com/sess-dev/sess/pkg/store"
)

// Benchmarks run on a store of 10,000 sessions in the original's format
// (bench/genstore's), its completed sessions older than 60 days archived:
// the store of bench/search.sh's archive case. Whole-process figures, busy
// and quiet, come from bench/search.sh.

var (
	benchOnce  sync.Once
	benchDir   string
	benchErr   error
	benchClock = time.Now()
)

// TestMain removes the benchmarks' store, 80 MB, once they are done.
func TestMain(m *testing.M) {
	m.Run()
	if benchDir != "" {
		os.RemoveAll(filepath.Dir(benchDir))
	}
}

// benchStore is the generated store, made once per run.
func benchStore(b *testing.B) string {
	b.Helper()
	benchOnce.Do(func() {
		root, err := os.MkdirTemp("", "sess-search-bench-")
		if err != nil {
			benchErr = err
			return
		}
		benchDir = filepath.Join(root, "dashboard")
		if benchErr = benchstore.Generate(benchDir, benchstore.Options{Sessions: 10000, Seed: 1, Now: benchClock, LockFiles: true}); benchErr != nil {
			return
		}
		_, benchErr = store.Open(benchDir, store.Options{}).ArchiveOld(60, false)
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchDir
}

// BenchmarkBuild is the first build of the index: every session read and
// indexed, the base written.
func BenchmarkBuild(b *testing.B) {
	dir := benchStore(b)
	st := store.Open(dir, store.Options{})
	for b.Loop() {
		os.RemoveAll(st.Derived().Search())
		ix := Open(st, io.Discard)
		if _, err := ix.Search(Query{Text: "login bug", Limit: 5}); err != nil {
			b.Fatal(err)
		}
		ix.Close()
	}
}

// BenchmarkForeignWrite is the first search after a write of another tool
// (the original), which renames a new session file into place and knows
// nothing of the change feed.
func BenchmarkForeignWrite(b *testing.B) {
	dir := benchStore(b)
	st := store.Open(dir, store.Options{})
	ix := Open(st, io.Discard)
	if _, err := ix.Search(Query{Text: "login bug", Limit: 5}); err != nil {
		b.Fatal(err)
	}
	ix.Close()
	idx, err := st.View().Entries()
	if err != nil {
		b.Fatal(err)
	}
	var id string
	for k := range idx {
		id = k
		break
	}
	p := st.View().PathOf(store.StoredRef{ID: id})
	data, err := os.ReadFile(p)
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		b.StopTimer()
		i++
		tmp := filepath.Join(filepath.Dir(p), fmt.Sprintf("tmp%d.tmp", i))
		if err := os.WriteFile(tmp, data, 0o600); err != nil {
			b.Fatal(err)
		}
		if err := os.Rename(tmp, p); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		ix := Open(st, io.Discard)
		if _, err := ix.Search(Query{Text: "login bug", Limit: 5}); err != nil {
			b.Fatal(err)
		}
		ix.Close()
	}
}
