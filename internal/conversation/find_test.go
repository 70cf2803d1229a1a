package conversation

import (
	"slices"
	"strings"
	"testing"
)

func TestFindWords(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"", nil},
		{`Flame "Graph" project:web -draft (x)`, []string{"flame", "graph", "x"}},
		{strings.Repeat("a ", 40), slices.Repeat([]string{"a"}, maxFindWords)},
	} {
		if have := findWords(c.query); !slices.Equal(have, c.want) {
			t.Errorf("%q: want %q, have %q", c.query, c.want, have)
		}
	}
}

// FuzzFind: any transcript and query give an entry that is there, or -1.
func FuzzFind(f *testing.F) {
	f.Add(`{"type":"user","message":{"role":"user","content":"Fix the Flamegraph"}}`+"\n", "flamegraph")
	f.Add(`{"type":"assistant","message":{"content":[{"type":"text","text":"ok"}]}}`, "OK -x")
	f.Fuzz(func(t *testing.T, data, query string) {
		at, err := Find(strings.NewReader(data), findWords(query))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for es := newEntries(strings.NewReader(data)); ; n++ {
			if _, ok := es.next(); !ok {
				break
			}
		}
		if at < -1 || at >= n {
			t.Fatalf("found %d of %d entries", at, n)
		}
	})
}
