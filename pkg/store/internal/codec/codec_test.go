package codec

import (
	"bytes"
	"testing"
)

func TestScanObjectRejects(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"", "[]", "null", "{", `{"a"}`, `{"a":}`, `{"a":1,}`, `{"a":{"b":1}`, `{"a":1} x`, `{"a":"x}`, `{"a":[1,2}}`} {
		if _, _, _, err := ScanObject([]byte(bad)); err == nil {
			t.Errorf("ScanObject(%q): want an error", bad)
		}
	}
}

func TestPlainASCII(t *testing.T) {
	t.Parallel()
	for c := 0; c < 256; c++ {
		want := c >= 0x20 && c < 0x80 && c != '\\'
		for _, n := range []int{1, 7, 8, 9, 16, 23} {
			for pos := 0; pos < n; pos++ {
				b := bytes.Repeat([]byte("a"), n)
				b[pos] = byte(c)
				if have := PlainASCII(b); have != want {
					t.Fatalf("plainASCII with %#x at %d of %d: want %v, have %v", c, pos, n, want, have)
				}
			}
		}
	}
}

// FuzzAppendJSONString: a string is written as encoding/json writes it,
// whatever bytes fall in or across the eight-byte steps.
func FuzzAppendJSONString(f *testing.F) {
	f.Add("plain text, long enough for two words")
	f.Add("1234567\"89abcdef\\\x7f\x80é\u2028\x00<>&")
	f.Fuzz(func(t *testing.T, s string) {
		want, err := Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		have := append(AppendString(nil, s), '\n')
		if !bytes.Equal(have, want) {
			t.Fatalf("%q: have %s, want %s", s, have, want)
		}
	})
}
