package store

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/internal/codec"
	"github.com/sess-dev/sess/pkg/store/internal/index"
)

func BenchmarkDecodeIndex(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(benchStore(b, 10000), "sessions", "_index.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.Run("fast", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			index.DecodeFast(data)
		}
	})
	b.Run("read", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			readFile(filepath.Join(benchStore(b, 10000), "sessions", "_index.json"))
		}
	})
	b.Run("scanObject", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			codec.ScanObject(data)
		}
	})
	b.Run("project", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			index.DecodeWith(data, "project_slug", "freya-web")
		}
	})
	b.Run("quickSplice", func(b *testing.B) {
		e := &session.IndexEntry{ProjectSlug: "freya-web", Status: session.StatusActive}
		for i := 0; i < b.N; i++ {
			index.QuickSplice(data, map[string]*session.IndexEntry{"sess_20990101T0000_abcd": e})
		}
	})
}
