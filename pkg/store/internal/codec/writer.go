package codec

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// Writer writes the store's records exactly as encoding/json's Encoder
// with SetIndent("", "  ") and SetEscapeHTML(false) writes them, byte for
// byte (a fuzz test holds it to that), without reflection or a second pass
// for the indent: session files, listings and the overview are most of what
// the tools write, and encoding/json spent as long on them as on everything
// else together.
type Writer struct {
	b      []byte
	counts []int // members written so far, per open object or list
}

func (w *Writer) newline() {
	w.b = append(w.b, '\n')
	n := 2 * len(w.counts)
	for n > len(indentSpaces) {
		w.b = append(w.b, indentSpaces...)
		n -= len(indentSpaces)
	}
	w.b = append(w.b, indentSpaces[:n]...)
}

const indentSpaces = "                                " // 32

// item starts the next member or element of the innermost container.
func (w *Writer) Item() {
	if n := len(w.counts); n > 0 {
		if w.counts[n-1] > 0 {
			w.b = append(w.b, ',')
		}
		w.counts[n-1]++
		w.newline()
	}
}

func (w *Writer) Open(c byte) {
	w.b = append(w.b, c)
	w.counts = append(w.counts, 0)
}

func (w *Writer) Close(c byte) {
	n := w.counts[len(w.counts)-1]
	w.counts = w.counts[:len(w.counts)-1]
	if n > 0 {
		w.newline()
	}
	w.b = append(w.b, c)
}

func (w *Writer) Key(k string) {
	w.Item()
	w.b = AppendString(w.b, k)
	w.b = append(w.b, ':', ' ')
}

func (w *Writer) Str(k, v string) {
	w.Key(k)
	w.b = AppendString(w.b, v)
}

func (w *Writer) OptStr(k string, v *string) {
	w.Key(k)
	if v == nil {
		w.b = append(w.b, "null"...)
		return
	}
	w.b = AppendString(w.b, *v)
}

func (w *Writer) Int(k string, v int) {
	w.Key(k)
	w.b = strconv.AppendInt(w.b, int64(v), 10)
}

func (w *Writer) Bool(k string, v bool) {
	w.Key(k)
	w.b = strconv.AppendBool(w.b, v)
}

// strs writes a list of strings; nil is null, as encoding/json writes it.
func (w *Writer) Strs(k string, list []string) {
	w.Key(k)
	if list == nil {
		w.b = append(w.b, "null"...)
		return
	}
	w.Open('[')
	for _, s := range list {
		w.Item()
		w.b = AppendString(w.b, s)
	}
	w.Close(']')
}

// list writes a list of n objects whose members obj writes.
func (w *Writer) List(n int, isNil bool, obj func(i int)) {
	if isNil {
		w.b = append(w.b, "null"...)
		return
	}
	w.Open('[')
	for i := 0; i < n; i++ {
		w.Item()
		w.Open('{')
		obj(i)
		w.Close('}')
	}
	w.Close(']')
}

// plainWord tells whether the eight bytes of s at i are printable ASCII
// other than '"' and '\\': bytes a JSON string holds as they are.
func plainWord(s string, i int) bool {
	const (
		ones = 0x0101010101010101
		high = 0x8080808080808080
	)
	x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
	q := x ^ ('"' * ones)
	bs := x ^ ('\\' * ones)
	// A byte >= 0x80, one < 0x20, a quote or a backslash sets its high bit.
	return (x|((x-0x20*ones)&^x)|((q-ones)&^q)|((bs-ones)&^bs))&high == 0
}

// AppendString appends s as encoding/json writes a string without HTML
// escaping.
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		// Most text needs no escape: pass it eight bytes at a time.
		for i+8 <= len(s) && plainWord(s, i) {
			i += 8
		}
		if i >= len(s) {
			break
		}
		b := s[i]
		if b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				const hex = "0123456789abcdef"
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', "0123456789abcdef"[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// NewWriter is a writer with room for size bytes.
func NewWriter(size int) *Writer { return &Writer{b: make([]byte, 0, size)} }

// NewListWriter writes elements of a list that already holds written
// elements, at nesting level 1: a part of a list written in pieces.
func NewListWriter(size, written int) *Writer {
	return &Writer{b: make([]byte, 0, size), counts: []int{written}}
}

// Bytes is what was written.
func (w *Writer) Bytes() []byte { return w.b }

// Null writes null (the value of a key just written, or an element).
func (w *Writer) Null() { w.b = append(w.b, "null"...) }

// Marshal is what the Writer's records match: v through encoding/json with
// the store's 2-space indent, no HTML escaping and a trailing newline. It
// takes any type.
func Marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
