package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// decodeIndex decodes the index. Every query starts here, and on a large
// store encoding/json spends most of a query's time on it, so the index's
// own shape, an object of flat objects of strings and nulls, has a fast path
// here; anything else falls back to encoding/json, which also reports errors.
// The strings it returns may share memory with data, which the caller must
// not change afterwards.
func decodeIndex(data []byte) (map[string]IndexEntry, error) {
	if idx, ok := decodeIndexFast(data); ok {
		return idx, nil
	}
	var idx map[string]IndexEntry
	if err := json.Unmarshal(data, &idx); err != nil {
		return nil, err
	}
	if idx == nil {
		return nil, errIndexSyntax
	}
	return idx, nil
}

// indexParser reads the index's shape, giving up (ok false) at anything
// else.
type indexParser struct {
	data []byte
	i    int
}

func (p *indexParser) ws() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\n', '\t', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *indexParser) byte(c byte) bool {
	p.ws()
	if p.i < len(p.data) && p.data[p.i] == c {
		p.i++
		return true
	}
	return false
}

// str reads a JSON string. Plain printable ASCII, nearly all of an index,
// is found with a word-at-a-time check and shared with data; escapes and
// other bytes go through encoding/json's rules.
func (p *indexParser) str() (string, bool) {
	p.ws()
	if p.i >= len(p.data) || p.data[p.i] != '"' {
		return "", false
	}
	start := p.i + 1
	n := bytes.IndexByte(p.data[start:], '"')
	if n < 0 {
		return "", false
	}
	raw := p.data[start : start+n]
	if plainASCII(raw) {
		p.i = start + n + 1
		if n == 0 {
			return "", true
		}
		// The strings point into the file's bytes, which nothing writes to
		// after the read: a 10,000-session index then costs a few
		// allocations instead of 60,000.
		return unsafe.String(&raw[0], n), true
	}
	// An escape, a control character or non-ASCII: find the real end of
	// the string and let encoding/json read it.
	end := -1
	for j := start; j < len(p.data); j++ {
		c := p.data[j]
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
	p.i = end + 1
	raw = p.data[start:end]
	if bytes.IndexByte(raw, '\\') < 0 {
		if !utf8.Valid(raw) {
			return "", false // let encoding/json replace invalid UTF-8
		}
		return unsafe.String(&raw[0], len(raw)), true
	}
	var str string
	if json.Unmarshal(p.data[start-1:end+1], &str) != nil {
		return "", false
	}
	return str, true
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

// value reads a string or null into *dst (nil for null).
func (p *indexParser) value() (s string, null, ok bool) {
	p.ws()
	if bytes.HasPrefix(p.data[p.i:], []byte("null")) {
		p.i += 4
		return "", true, true
	}
	s, ok = p.str()
	return s, false, ok
}

func decodeIndexFast(data []byte) (map[string]IndexEntry, bool) {
	p := &indexParser{data: data}
	if !p.byte('{') {
		return nil, false
	}
	idx := make(map[string]IndexEntry, len(data)/300) // an entry takes ~300 bytes
	if p.byte('}') {
		p.ws()
		return idx, p.i == len(data)
	}
	for {
		id, ok := p.str()
		if !ok || !p.byte(':') || !p.byte('{') {
			return nil, false
		}
		var e IndexEntry
		if !p.byte('}') {
			for {
				key, ok := p.str()
				if !ok || !p.byte(':') {
					return nil, false
				}
				v, null, ok := p.value()
				if !ok {
					return nil, false
				}
				switch key {
				case "project_slug":
					e.ProjectSlug = v
				case "status":
					e.Status = Status(v)
				case "intent":
					e.Intent = v
				case "started_at":
					e.StartedAt = v
				case "ended_at":
					if null {
						e.EndedAt = nil
					} else {
						e.EndedAt = &v
					}
				case "last_heartbeat":
					e.LastHeartbeat = v
				default:
					if foldsToField(key) {
						return nil, false // encoding/json matches keys regardless of case
					}
				}
				if p.byte(',') {
					continue
				}
				if p.byte('}') {
					break
				}
				return nil, false
			}
		}
		idx[id] = e
		if p.byte(',') {
			continue
		}
		if p.byte('}') {
			p.ws()
			return idx, p.i == len(data)
		}
		return nil, false
	}
}

var indexFields = []string{"project_slug", "status", "intent", "started_at", "ended_at", "last_heartbeat"}

func foldsToField(key string) bool {
	for _, f := range indexFields {
		if strings.EqualFold(key, f) {
			return true
		}
	}
	return false
}
