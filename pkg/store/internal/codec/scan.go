package codec

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"unsafe"
)

// Member is one key/value pair of a JSON object, by byte offsets into it.
type Member struct {
	Key              string
	Start, End       int // the member: from the key's opening quote to the value's end
	ValStart, ValEnd int
}

// ErrSyntax reports JSON the scanner cannot take apart.
var ErrSyntax = errors.New("not a JSON object")

// ScanObject lists the members of the JSON object in data. It checks the
// structure (strings, nesting, separators), not the values' literals; a
// full decode does that.
func ScanObject(data []byte) (members []Member, open, close int, err error) {
	i := skipWS(data, 0)
	if i >= len(data) || data[i] != '{' {
		return nil, 0, 0, ErrSyntax
	}
	open = i
	members = make([]Member, 0, len(data)/256)
	i = skipWS(data, i+1)
	if i < len(data) && data[i] == '}' {
		if skipWS(data, i+1) != len(data) {
			return nil, 0, 0, ErrSyntax
		}
		return nil, open, i, nil
	}
	for {
		if i >= len(data) || data[i] != '"' {
			return nil, 0, 0, ErrSyntax
		}
		ks := i
		ke, err := scanString(data, i)
		if err != nil {
			return nil, 0, 0, err
		}
		var key string
		if raw := data[ks+1 : ke-1]; len(raw) > 0 && bytes.IndexByte(raw, '\\') < 0 {
			key = unsafe.String(&raw[0], len(raw)) // data is never written to
		} else if err := json.Unmarshal(data[ks:ke], &key); err != nil {
			return nil, 0, 0, ErrSyntax
		}
		i = skipWS(data, ke)
		if i >= len(data) || data[i] != ':' {
			return nil, 0, 0, ErrSyntax
		}
		vs := skipWS(data, i+1)
		ve, err := ScanValue(data, vs)
		if err != nil {
			return nil, 0, 0, err
		}
		members = append(members, Member{Key: key, Start: ks, End: ve, ValStart: vs, ValEnd: ve})
		i = skipWS(data, ve)
		if i >= len(data) {
			return nil, 0, 0, ErrSyntax
		}
		if data[i] == '}' {
			if skipWS(data, i+1) != len(data) {
				return nil, 0, 0, ErrSyntax
			}
			return members, open, i, nil
		}
		if data[i] != ',' {
			return nil, 0, 0, ErrSyntax
		}
		i = skipWS(data, i+1)
	}
}

func skipWS(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\n' || data[i] == '\t' || data[i] == '\r') {
		i++
	}
	return i
}

// scanString returns the offset just past the string starting at data[i].
// It jumps from quote to quote; a quote after an odd run of backslashes is
// escaped. (Control characters inside are left for the decoders to refuse.)
func scanString(data []byte, i int) (int, error) {
	j := i + 1
	for {
		n := bytes.IndexByte(data[j:], '"')
		if n < 0 {
			return 0, ErrSyntax
		}
		q := j + n
		bs := 0
		for k := q - 1; k > i && data[k] == '\\'; k-- {
			bs++
		}
		if bs%2 == 0 {
			return q + 1, nil
		}
		j = q + 1
	}
}

// SkipFlatObject skips an object that holds no object, list or escape, the
// shape of every index entry, with a few passes of fast byte searches: the
// first '}' ends it if the quotes before it pair up.
func SkipFlatObject(data []byte, i int) (int, bool) {
	n := bytes.IndexByte(data[i+1:], '}')
	if n < 0 {
		return 0, false
	}
	seg := data[i+1 : i+1+n]
	if bytes.IndexByte(seg, '\\') >= 0 || bytes.IndexByte(seg, '{') >= 0 || bytes.IndexByte(seg, '[') >= 0 || bytes.Count(seg, []byte{'"'})%2 != 0 {
		return 0, false
	}
	return i + n + 2, true
}

// structural marks the bytes ScanValue stops at.
var structural = [256]bool{'"': true, '{': true, '}': true, '[': true, ']': true}

// ScanValue returns the offset just past the value starting at data[i].
func ScanValue(data []byte, i int) (int, error) {
	if i >= len(data) {
		return 0, ErrSyntax
	}
	switch data[i] {
	case '"':
		return scanString(data, i)
	case '{', '[':
		if data[i] == '{' {
			if end, ok := SkipFlatObject(data, i); ok {
				return end, nil
			}
		}
		var stack []byte
		for j := i; j < len(data); j++ {
			// Most bytes of an index are inside strings or white space;
			// skip to the next one that matters.
			for j < len(data) && !structural[data[j]] {
				j++
			}
			if j >= len(data) {
				break
			}
			switch c := data[j]; c {
			case '"':
				e, err := scanString(data, j)
				if err != nil {
					return 0, err
				}
				j = e - 1
			case '{', '[':
				stack = append(stack, c)
			case '}', ']':
				if len(stack) == 0 || (c == '}') != (stack[len(stack)-1] == '{') {
					return 0, ErrSyntax
				}
				stack = stack[:len(stack)-1]
				if len(stack) == 0 {
					return j + 1, nil
				}
			}
		}
		return 0, ErrSyntax
	default:
		j := i
		for j < len(data) && strings.IndexByte(",}] \n\t\r", data[j]) < 0 {
			j++
		}
		if j == i {
			return 0, ErrSyntax
		}
		return j, nil
	}
}
