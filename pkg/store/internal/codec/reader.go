package codec

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// Reader reads the store's own JSON shapes fast: objects with known
// keys, strings, nulls, lists. Every query decodes the index and many
// session files, and encoding/json spends most of a query's time there.
// The reader gives up (ok false) at anything it does not handle exactly as
// encoding/json would, and the caller then decodes with encoding/json, which
// also reports errors; fuzz tests hold the two to the same results.
//
// Strings it returns share memory with data, which must not change
// afterwards: a store file's bytes are never written to after the read.
type Reader struct {
	data []byte
	i    int
}

func (r *Reader) WS() {
	for r.i < len(r.data) {
		switch r.data[r.i] {
		case ' ', '\n', '\t', '\r':
			r.i++
		default:
			return
		}
	}
}

// next skips white space and reports whether the next byte is c, consuming
// it if so.
func (r *Reader) Next(c byte) bool {
	r.WS()
	if r.i < len(r.data) && r.data[r.i] == c {
		r.i++
		return true
	}
	return false
}

// end reports whether only white space is left.
func (r *Reader) End() bool {
	r.WS()
	return r.i == len(r.data)
}

// null consumes a null literal.
func (r *Reader) Null() bool {
	r.WS()
	if bytes.HasPrefix(r.data[r.i:], []byte("null")) {
		r.i += 4
		return true
	}
	return false
}

// str reads a JSON string. Plain printable ASCII, nearly all of a store
// file, is found with a word-at-a-time check and shared with data; escapes
// go through encoding/json.
func (r *Reader) Str() (string, bool) {
	r.WS()
	if r.i >= len(r.data) || r.data[r.i] != '"' {
		return "", false
	}
	start := r.i + 1
	n := bytes.IndexByte(r.data[start:], '"')
	if n < 0 {
		return "", false
	}
	raw := r.data[start : start+n]
	if PlainASCII(raw) {
		r.i = start + n + 1
		if n == 0 {
			return "", true
		}
		return unsafe.String(&raw[0], n), true
	}
	// An escape, a control character or non-ASCII: find the real end.
	end := -1
	for j := start; j < len(r.data); j++ {
		c := r.data[j]
		if c == '\\' {
			j++
			continue
		}
		if c == '"' {
			end = j
			break
		}
		if c < 0x20 {
			return "", false
		}
	}
	if end < 0 {
		return "", false
	}
	r.i = end + 1
	raw = r.data[start:end]
	if bytes.IndexByte(raw, '\\') < 0 {
		if !utf8.Valid(raw) {
			return "", false // encoding/json replaces invalid UTF-8
		}
		return unsafe.String(&raw[0], len(raw)), true
	}
	var s string
	if json.Unmarshal(r.data[start-1:end+1], &s) != nil {
		return "", false
	}
	return s, true
}

// optStr reads a string or null (nil).
func (r *Reader) OptStr() (*string, bool) {
	if r.Null() {
		return nil, true
	}
	s, ok := r.Str()
	if !ok {
		return nil, false
	}
	return &s, true
}

// strOrNull reads a string; null leaves it as it was, as encoding/json does.
func (r *Reader) StrOrNull(dst *string) bool {
	if r.Null() {
		return true
	}
	s, ok := r.Str()
	*dst = s
	return ok
}

// object calls field for each key of an object; field reads the value.
// Keys that differ from a known one only in case make it give up, since
// encoding/json would match them.
func (r *Reader) Object(known []string, field func(key string) bool) bool {
	if !r.Next('{') {
		return false
	}
	if r.Next('}') {
		return true
	}
	for {
		key, ok := r.Str()
		if !ok || !r.Next(':') {
			return false
		}
		if !field(key) {
			return false
		}
		if r.Next(',') {
			continue
		}
		return r.Next('}')
	}
}

// unknown handles a key no field matched: its value is skipped, unless the
// key matches a known one but for case.
func (r *Reader) Unknown(key string, known []string) bool {
	for _, k := range known {
		if strings.EqualFold(key, k) {
			return false
		}
	}
	r.WS()
	end, err := ScanValue(r.data, r.i)
	if err != nil {
		return false
	}
	v := r.data[r.i:end]
	if !json.Valid(v) {
		return false
	}
	r.i = end
	return true
}

// list reads a list (or null, leaving *n at -1), calling item for each
// element.
func (r *Reader) List(item func() bool) (isNull, ok bool) {
	if r.Null() {
		return true, true
	}
	if !r.Next('[') {
		return false, false
	}
	if r.Next(']') {
		return false, true
	}
	for {
		if !item() {
			return false, false
		}
		if r.Next(',') {
			continue
		}
		return false, r.Next(']')
	}
}

// strList reads a list of strings; null leaves *dst as it was.
func (r *Reader) StrList(dst *[]string) bool {
	var out []string
	isNull, ok := r.List(func() bool {
		s, ok := r.Str()
		out = append(out, s)
		return ok
	})
	if ok && !isNull {
		if out == nil {
			out = []string{}
		}
		*dst = out
	}
	return ok
}

// smallInt reads a non-negative integer of at most nine digits.
func (r *Reader) SmallInt() (int, bool) {
	r.WS()
	j := r.i
	for j < len(r.data) && j-r.i < 10 && r.data[j] >= '0' && r.data[j] <= '9' {
		j++
	}
	if j == r.i || j-r.i > 9 || (r.data[r.i] == '0' && j-r.i > 1) {
		return 0, false
	}
	if j < len(r.data) && strings.IndexByte(".eE", r.data[j]) >= 0 {
		return 0, false
	}
	n := 0
	for _, c := range r.data[r.i:j] {
		n = n*10 + int(c-'0')
	}
	r.i = j
	return n, true
}

// PlainASCII reports whether b holds only printable ASCII other than the
// backslash, eight bytes at a time.
func PlainASCII(b []byte) bool {
	const (
		ones = 0x0101010101010101
		high = 0x8080808080808080
	)
	i := 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		// A byte >= 0x80, a byte < 0x20, or a backslash (0x5c).
		bs := x ^ (0x5c * ones)
		if (x|((x-0x20*ones)&^x)|((bs-ones)&^bs))&high != 0 {
			return false
		}
	}
	for ; i < len(b); i++ {
		if c := b[i]; c < 0x20 || c >= 0x80 || c == '\\' {
			return false
		}
	}
	return true
}

// NewReader reads data from offset at.
func NewReader(data []byte, at int) *Reader { return &Reader{data: data, i: at} }

// Pos is the offset the reader is at.
func (r *Reader) Pos() int { return r.i }

// Seek moves the reader to offset i.
func (r *Reader) Seek(i int) { r.i = i }
