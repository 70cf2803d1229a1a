package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// jsonReader reads the store's own JSON shapes fast: objects with known
// keys, strings, nulls, lists. Every query decodes the index and many
// session files, and encoding/json spends most of a query's time there.
// The reader gives up (ok false) at anything it does not handle exactly as
// encoding/json would, and the caller then decodes with encoding/json, which
// also reports errors; fuzz tests hold the two to the same results.
//
// Strings it returns share memory with data, which must not change
// afterwards: a store file's bytes are never written to after the read.
type jsonReader struct {
	data []byte
	i    int
}

func (r *jsonReader) ws() {
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
func (r *jsonReader) next(c byte) bool {
	r.ws()
	if r.i < len(r.data) && r.data[r.i] == c {
		r.i++
		return true
	}
	return false
}

// end reports whether only white space is left.
func (r *jsonReader) end() bool {
	r.ws()
	return r.i == len(r.data)
}

// null consumes a null literal.
func (r *jsonReader) null() bool {
	r.ws()
	if bytes.HasPrefix(r.data[r.i:], []byte("null")) {
		r.i += 4
		return true
	}
	return false
}

// str reads a JSON string. Plain printable ASCII, nearly all of a store
// file, is found with a word-at-a-time check and shared with data; escapes
// go through encoding/json.
func (r *jsonReader) str() (string, bool) {
	r.ws()
	if r.i >= len(r.data) || r.data[r.i] != '"' {
		return "", false
	}
	start := r.i + 1
	n := bytes.IndexByte(r.data[start:], '"')
	if n < 0 {
		return "", false
	}
	raw := r.data[start : start+n]
	if plainASCII(raw) {
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
func (r *jsonReader) optStr() (*string, bool) {
	if r.null() {
		return nil, true
	}
	s, ok := r.str()
	if !ok {
		return nil, false
	}
	return &s, true
}

// strOrNull reads a string; null leaves it as it was, as encoding/json does.
func (r *jsonReader) strOrNull(dst *string) bool {
	if r.null() {
		return true
	}
	s, ok := r.str()
	*dst = s
	return ok
}

// object calls field for each key of an object; field reads the value.
// Keys that differ from a known one only in case make it give up, since
// encoding/json would match them.
func (r *jsonReader) object(known []string, field func(key string) bool) bool {
	if !r.next('{') {
		return false
	}
	if r.next('}') {
		return true
	}
	for {
		key, ok := r.str()
		if !ok || !r.next(':') {
			return false
		}
		if !field(key) {
			return false
		}
		if r.next(',') {
			continue
		}
		return r.next('}')
	}
}

// unknown handles a key no field matched: its value is skipped, unless the
// key matches a known one but for case.
func (r *jsonReader) unknown(key string, known []string) bool {
	for _, k := range known {
		if strings.EqualFold(key, k) {
			return false
		}
	}
	r.ws()
	end, err := scanValue(r.data, r.i)
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
func (r *jsonReader) list(item func() bool) (isNull, ok bool) {
	if r.null() {
		return true, true
	}
	if !r.next('[') {
		return false, false
	}
	if r.next(']') {
		return false, true
	}
	for {
		if !item() {
			return false, false
		}
		if r.next(',') {
			continue
		}
		return false, r.next(']')
	}
}

// strList reads a list of strings; null leaves *dst as it was.
func (r *jsonReader) strList(dst *[]string) bool {
	var out []string
	isNull, ok := r.list(func() bool {
		s, ok := r.str()
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
func (r *jsonReader) smallInt() (int, bool) {
	r.ws()
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

// plainASCII reports whether b holds only printable ASCII other than the
// backslash, eight bytes at a time.
func plainASCII(b []byte) bool {
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
