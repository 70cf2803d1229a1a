package store

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/sess-dev/sess/pkg/session"
)

func BenchmarkDecodeIndex(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(benchStore(b, 10000), "sessions", "_index.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.Run("fast", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			decodeIndexFast(data)
		}
	})
	b.Run("read", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			readFile(filepath.Join(benchStore(b, 10000), "sessions", "_index.json"))
		}
	})
	b.Run("scanObject", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			scanObject(data)
		}
	})
	b.Run("project", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			decodeEntriesWith(data, "project_slug", "freya-web")
		}
	})
	b.Run("quickSplice", func(b *testing.B) {
		e := &session.IndexEntry{ProjectSlug: "freya-web", Status: session.StatusActive}
		for i := 0; i < b.N; i++ {
			quickSplice(data, map[string]*session.IndexEntry{"sess_20990101T0000_abcd": e})
		}
	})
}
