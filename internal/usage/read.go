package usage

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"time"
)

// MaxLine bounds a line Read holds; a longer one (a pasted image, a huge
// tool result: never a reply's usage) is skipped and counted in Long.
const MaxLine = 64 << 20

// Scan is what Read found in a transcript from some offset on.
type Scan struct {
	End     int64     // the offset just past the last complete line
	First   time.Time // the earliest timestamp of the complete lines; zero when none
	Entries []Entry   // the complete lines' entries, in the file's order
	Tail    []Entry   // the entry of a last line without its newline (a transcript being written, or cut)
	Long    int       // lines skipped for their length
}

// Read reads the lines of r, which starts at byte base of its file, to
// the end. A last line without its newline counts when it is whole JSON
// (ccusage reads it too), but is left out of End, so that a later Read
// from End reads it again once it is finished.
func Read(r io.Reader, base int64) (Scan, error) {
	s := Scan{End: base}
	br := bufio.NewReaderSize(r, 256<<10)
	var buf []byte
	for {
		line, complete, n, err := readLine(br, &buf)
		if n == 0 && err != nil {
			if errors.Is(err, io.EOF) {
				return s, nil
			}
			return s, err
		}
		switch {
		case line == nil:
			s.Long++
		case complete:
			if e, ok := ParseLine(line); ok {
				s.Entries = append(s.Entries, e)
				s.first(e.Time)
			} else {
				s.note(line)
			}
		default:
			if e, ok := ParseLine(line); ok {
				s.Tail = append(s.Tail, e)
			}
		}
		if complete {
			s.End += n
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				return s, nil
			}
			return s, err
		}
	}
}

// readLine reads one line; line is nil when it was longer than MaxLine,
// complete false when r ended before its newline; n is the bytes it took.
func readLine(br *bufio.Reader, buf *[]byte) (line []byte, complete bool, n int64, err error) {
	*buf = (*buf)[:0]
	long := false
	for {
		chunk, err := br.ReadSlice('\n')
		n += int64(len(chunk))
		if !long {
			if len(*buf)+len(chunk) > MaxLine {
				long, *buf = true, (*buf)[:0]
			} else {
				*buf = append(*buf, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		complete = err == nil
		if long {
			return nil, complete, n, err
		}
		return bytes.TrimSuffix(*buf, []byte{'\n'}), complete, n, err
	}
}

// timestampKey starts a row's time. A line that does not count is not
// parsed, and its first "timestamp" is taken for the row's: a tool's input
// or result could hold one before it, and then a transcript's order among
// others (below) may come out otherwise than ccusage's, which changes no
// total.
var timestampKey = []byte(`"timestamp":"`)

// note keeps the earliest timestamp of a line that does not count:
// transcripts are taken in the order of their first, as ccusage takes them,
// which decides which transcript's copy of a reply counts (whose session
// and project it is).
func (s *Scan) note(line []byte) {
	i := bytes.Index(line, timestampKey)
	if i < 0 {
		return
	}
	rest := line[i+len(timestampKey):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 || j > 40 {
		return
	}
	if t, err := time.Parse(time.RFC3339Nano, string(rest[:j])); err == nil {
		s.first(t)
	}
}

func (s *Scan) first(t time.Time) {
	if s.First.IsZero() || t.Before(s.First) {
		s.First = t
	}
}
