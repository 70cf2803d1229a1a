package search

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// FuzzDecodeBase: an index file of any bytes is refused or read, never a
// panic, and whatever is read can be searched.
func FuzzDecodeBase(f *testing.F) {
	g := &segment{}
	g.add(docInfo{ID: "sess_20260101T0000_abcd", Project: "web", Intent: "Fix the login", Started: "2026-01-01T00:00:00Z"},
		[numFields]string{"Fix the login", "Works now"})
	g.Removed = []string{"sess_20250101T0000_dead"}
	f.Add(g.encode("a;b;|1|0"))
	f.Add([]byte(magic))
	f.Fuzz(func(t *testing.T, data []byte) {
		// With its checksum made right, so that the fuzzer reaches the
		// decoder behind it.
		if len(data) >= len(magic)+4 && string(data[:len(magic)]) == magic {
			data = bytes.Clone(data)
			binary.LittleEndian.PutUint32(data[len(magic):], crc32.Checksum(data[len(magic)+4:], castagnoli))
		}
		b, err := decodeBase(data)
		if err != nil {
			return
		}
		v := &view{base: b}
		docs := v.docs()
		slots := v.slots("fix login works")
		v.score(slots, docs, "")
		b.segmentOf(func(docInfo) bool { return true })
	})
}

// FuzzWords: any text splits into words without a panic, each word of
// letters and digits only, at most maxWord of them, and the same words as
// the plain splitter the fast one replaced (wordsReference).
func FuzzWords(f *testing.F) {
	f.Add("Refactoring the café's parser — 2× faster!")
	f.Add("ÉCOLE Straße İstanbul x 7 ab\xff\xfeCD ǅemal 0123456789012345678901234567890123456789012345")
	f.Fuzz(func(t *testing.T, text string) {
		var have, want []string
		words(text, func(w string) {
			if w == "" || len([]rune(w)) > maxWord {
				t.Fatalf("word %q", w)
			}
			stems(w)
			have = append(have, w)
		})
		wordsReference(text, func(w string) { want = append(want, w) })
		if !slices.Equal(want, have) {
			t.Fatalf("words of %q: want %q, have %q", text, want, have)
		}
	})
}

// wordsReference is words as it was before its ASCII fast path: a rune at
// a time, a string per word.
func wordsReference(text string, fn func(w string)) {
	var b strings.Builder
	flush := func() {
		if b.Len() == 0 {
			return
		}
		w := b.String()
		b.Reset()
		if len([]rune(w)) < 2 && !(len(w) == 1 && w[0] >= '0' && w[0] <= '9') || stopwords()[w] {
			return
		}
		fn(w)
	}
	n := 0
	for _, r := range text {
		r = fold(r)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if n < maxWord {
				b.WriteRune(unicode.ToLower(r))
			}
			n++
			continue
		}
		flush()
		n = 0
	}
	flush()
}
