package store

import (
	"testing"

	"github.com/sess-dev/sess/pkg/session"
)

func BenchmarkEncodeOverview(b *testing.B) {
	ov, err := openBench(benchStore(b, 10000)).Overview()
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
	list, err := openBench(benchStore(b, 10000)).List(Filter{Status: session.StatusActive})
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
