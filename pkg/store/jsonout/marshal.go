package jsonout

import (
	"bytes"
	"fmt"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/internal/codec"
	"github.com/sess-dev/sess/pkg/store/internal/parallel"
	"github.com/sess-dev/sess/pkg/store/overview"
)

// Marshal encodes v as the tools print JSON: 2-space indent, "<" and ">"
// unescaped, a trailing newline.
func Marshal(v any) ([]byte, error) {
	if b, ok := fastMarshal(v); ok {
		return b, nil
	}
	return codec.Marshal(v)
}

// fastMarshal writes the types that have a writer, with the trailing
// newline; ok false for any other type.
func fastMarshal(v any) ([]byte, bool) {
	var w *codec.Writer
	switch x := v.(type) {
	case *session.Session:
		if x == nil {
			return nil, false
		}
		w = codec.NewWriter(4096)
		codec.WriteSession(w, x)
	case []*session.Session:
		if x == nil {
			return nil, false
		}
		return marshalSessions(x), true
	case *overview.Overview:
		if x == nil {
			return nil, false
		}
		w = codec.NewWriter(1 << 20)
		writeOverview(w, x)
	default:
		return nil, false
	}
	return append(w.Bytes(), '\n'), true
}

// marshalSessions writes a list of sessions, a listing of hundreds of them
// in chunks on every core, then joined.
func marshalSessions(list []*session.Session) []byte {
	const chunk = 16
	parts := make([][]byte, (len(list)+chunk-1)/chunk)
	parallel.Do(len(parts), func(c int) {
		lo, hi := c*chunk, min((c+1)*chunk, len(list))
		size := 0
		for _, s := range list[lo:hi] {
			size += sizeHint(s)
		}
		w := codec.NewListWriter(size, lo)
		for _, s := range list[lo:hi] {
			w.Item()
			if s == nil {
				w.Null()
				continue
			}
			codec.WriteSession(w, s)
		}
		parts[c] = w.Bytes()
	})
	n := len("[\n]\n")
	for _, p := range parts {
		n += len(p)
	}
	out := make([]byte, 0, n)
	out = append(out, '[')
	for _, p := range parts {
		out = append(out, p...)
	}
	if len(list) > 0 {
		out = append(out, '\n')
	}
	return append(out, ']', '\n')
}

// sizeHint is about what a session takes written in a list, a little more
// when its text needs no escapes.
func sizeHint(s *session.Session) int {
	if s == nil {
		return 16
	}
	n := 1024 + len(s.Intent)
	for _, p := range []*string{s.Outcome, s.CurrentActivity, s.ParkedReason} {
		if p != nil {
			n += len(*p)
		}
	}
	for _, e := range s.Events {
		n += 96 + len(e.Message)
	}
	for _, t := range s.Tasks {
		n += 200 + len(t.Subject)
	}
	for _, c := range s.Commits {
		n += 96 + len(c.Message)
	}
	for _, l := range [][]string{s.FilesChanged, s.Decisions, s.OpenQuestions, s.NextSteps} {
		for _, x := range l {
			n += 16 + len(x)
		}
	}
	return n
}

// AppendMember adds key: v as the last member of obj, an object Marshal
// wrote: sess's own fields after the original's, so that what reads the
// original's output reads this.
func AppendMember(obj []byte, key string, v any) ([]byte, error) {
	val, err := codec.Marshal(v)
	if err != nil {
		return nil, err
	}
	body := bytes.TrimRight(obj, "\n")
	if len(body) < 2 || body[len(body)-1] != '}' {
		return nil, fmt.Errorf("jsonout: not an object")
	}
	body = bytes.TrimRight(body[:len(body)-1], " \n")
	name, err := codec.Marshal(key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(body)+len(val)+len(key)+16)
	out = append(out, body...)
	if body[len(body)-1] != '{' {
		out = append(out, ',')
	}
	out = append(out, "\n  "...)
	out = append(out, bytes.TrimRight(name, "\n")...)
	out = append(out, ": "...)
	out = append(out, bytes.ReplaceAll(bytes.TrimRight(val, "\n"), []byte("\n"), []byte("\n  "))...)
	return append(out, "\n}\n"...), nil
}
