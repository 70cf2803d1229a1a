package importer

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/sess-dev/sess/internal/transcript"
	"github.com/sess-dev/sess/pkg/store/derived"
)

// conversation is what the survey learns of a transcript.
type conversation struct {
	id, path, folder string // folder: its transcript folder
	mtime            time.Time
	first, last      time.Time // its rows' first and last times
	cwd, branch      string
	clearAt          time.Time // when its head runs /clear before any prompt; zero if it does not
	pred             *conversation
	succ             bool   // a conversation carries it on (/clear)
	window           string // the chain's made-up window, "" outside a chain
}

// headRows bounds the rows the survey reads from a transcript's top: the
// folder, the first time and a /clear come before the first prompt.
const headRows = 200

// tailBytes is how much of a transcript's end the survey reads for its
// last time.
const tailBytes = 256 << 10

// transcripts lists the conversations' transcripts under projects: the
// *.jsonl files of its folders, subagents' left out.
func transcripts(projects string) ([]string, error) {
	folders, err := os.ReadDir(projects)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, f := range folders {
		if !f.IsDir() {
			continue
		}
		entries, err := os.ReadDir(filepath.Join(projects, f.Name()))
		if err != nil {
			continue // a folder that cannot be read has no transcript to import
		}
		for _, e := range entries {
			name, ok := strings.CutSuffix(e.Name(), ".jsonl")
			if !ok || !e.Type().IsRegular() || strings.HasPrefix(name, "agent-") || !derived.SafeName(name) {
				continue
			}
			out = append(out, filepath.Join(projects, f.Name(), e.Name()))
		}
	}
	sort.Strings(out)
	return out, nil
}

// survey reads a transcript's head and tail; nil, with no error, for one
// that holds no conversation row of its own.
func survey(path string) (*conversation, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	c := &conversation{id: strings.TrimSuffix(filepath.Base(path), ".jsonl"), path: path, folder: filepath.Dir(path), mtime: fi.ModTime()}
	cr := &countingReader{r: f}
	rs := transcript.NewRows(cr)
	prompted := false
	for n := 0; n < headRows && !prompted; n++ {
		r, ok := rs.Next()
		if !ok {
			break
		}
		if !c.own(r) {
			continue
		}
		c.see(r)
		if r.Command() == "/clear" && c.clearAt.IsZero() {
			c.clearAt = r.Time
		}
		prompted = r.Prompt() != ""
	}
	if cr.n < fi.Size() {
		if err := c.tail(f, max(cr.n, fi.Size()-tailBytes)); err != nil {
			return nil, err
		}
	} else {
		// The whole file is in the reader's buffer: its rows are the tail.
		for r, ok := rs.Next(); ok; r, ok = rs.Next() {
			if c.own(r) {
				c.see(r)
			}
		}
	}
	if err := rs.Err(); err != nil {
		return nil, err
	}
	if c.first.IsZero() {
		return nil, nil
	}
	return c, nil
}

// own reports whether a row is one of the conversation's own messages:
// not a subagent's, not copied from another conversation.
func (c *conversation) own(r transcript.Row) bool {
	if r.IsSidechain || (r.SessionID != "" && r.SessionID != c.id) {
		return false
	}
	return r.Type == "user" || r.Type == "assistant" || r.Type == "system"
}

// see takes a row's time, folder and branch.
func (c *conversation) see(r transcript.Row) {
	if !r.Time.IsZero() {
		if c.first.IsZero() {
			c.first = r.Time
		}
		if r.Time.After(c.last) {
			c.last = r.Time
		}
	}
	if c.cwd == "" {
		c.cwd = r.Cwd
	}
	if c.branch == "" {
		c.branch = r.GitBranch
	}
}

// tail reads the rows from offset on (the first, likely cut, line left
// out) for the last time.
func (c *conversation) tail(f *os.File, offset int64) error {
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return err
	}
	data, err := io.ReadAll(io.LimitReader(f, tailBytes+transcript.MaxLine))
	if err != nil {
		return err
	}
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		data = data[i+1:]
	}
	rs := transcript.NewRows(bytes.NewReader(data))
	for r, ok := rs.Next(); ok; r, ok = rs.Next() {
		if c.own(r) {
			c.see(r)
		}
	}
	return nil
}

// countingReader counts what was read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// maxClearGap bounds how long before a /clear the conversation it clears
// may have ended.
const maxClearGap = 24 * time.Hour

// chain links each conversation that begins with /clear to the one it
// clears (see the package's doc), in the order they began.
func chain(convs []*conversation) {
	for _, c := range convs {
		if c.clearAt.IsZero() {
			continue
		}
		var best *conversation
		for _, p := range convs {
			if p == c || p.succ || p.folder != c.folder || p.cwd != c.cwd || !p.first.Before(c.first) ||
				p.last.After(c.clearAt) || c.clearAt.Sub(p.last) > maxClearGap {
				continue
			}
			if best == nil || p.last.After(best.last) {
				best = p
			}
		}
		if best == nil {
			continue
		}
		c.pred, best.succ = best, true
		if best.window == "" {
			best.window = importWindow + best.id
		}
		c.window = best.window
	}
}
