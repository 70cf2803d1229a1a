package usage

import (
	"strings"
	"testing"
	"time"
)

func TestRead(t *testing.T) {
	user := `{"type":"user","timestamp":"2026-12-01T09:59:00.000Z","message":{"role":"user","content":"hi"}}`
	a := reply()
	b := reply(`"msg_1"`, `"msg_2"`, `10:00:05`, `10:01:05`)
	text := user + "\n" + a + "\n" + a + "\n" + b[:len(b)-5]
	s, err := Read(strings.NewReader(text), 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Entries) != 2 || len(s.Tail) != 0 {
		t.Fatalf("entries %d, tail %d; want 2 (a copy is deduplicated later), 0 (the cut line is not JSON)", len(s.Entries), len(s.Tail))
	}
	if want := int64(100 + len(user) + len(a) + len(a) + 3); s.End != want {
		t.Errorf("End = %d, want %d: past the last newline", s.End, want)
	}
	if want := time.Date(2026, 12, 1, 9, 59, 0, 0, time.UTC); !s.First.Equal(want) {
		t.Errorf("First = %v, want the prompt's %v", s.First, want)
	}
	// A whole last line without its newline counts, but not in End.
	s, _ = Read(strings.NewReader(a+"\n"+b), 0)
	if len(s.Entries) != 1 || len(s.Tail) != 1 || s.End != int64(len(a)+1) {
		t.Errorf("unterminated: entries %d, tail %d, End %d", len(s.Entries), len(s.Tail), s.End)
	}
}

func TestReadLong(t *testing.T) {
	long := `{"type":"user","x":"` + strings.Repeat("x", MaxLine) + `"}`
	s, err := Read(strings.NewReader(long+"\n"+reply()+"\n"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if s.Long != 1 || len(s.Entries) != 1 || s.End != int64(len(long)+len(reply())+2) {
		t.Errorf("Long %d, entries %d, End %d", s.Long, len(s.Entries), s.End)
	}
}

func FuzzParseLine(f *testing.F) {
	f.Add([]byte(reply()))
	f.Add([]byte(reply(`"input_tokens":10`, `"input_tokens":1e400`)))
	f.Add([]byte(`{"usage":{},"message":{"usage":{"input_tokens":-1,"output_tokens":2.5}},"timestamp":"2026-12-01T10:00:05Z"}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		e, ok := ParseLine(line)
		if !ok {
			return
		}
		if e.Time.IsZero() || e.Tokens.CacheWrite1h < 0 {
			t.Errorf("counted %q as %+v", line, e)
		}
		// Whatever counts reads the same whole, as the last line of a
		// transcript, or cut at any point before its end (counts nothing).
		s, err := Read(strings.NewReader(string(line)+"\n"+string(line)), 0)
		if err != nil || len(s.Entries)+len(s.Tail) != 2 && !strings.Contains(string(line), "\n") {
			t.Errorf("Read of two copies: %+v, %v", s, err)
		}
	})
}
