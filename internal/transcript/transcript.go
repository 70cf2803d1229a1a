package transcript

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/sess-dev/sess/pkg/store/derived"
)

// Turn is one message of the conversation.
type Turn struct {
	Role string // "user" or "assistant"
	Text string
}

// MaxLine bounds a line of a transcript; a longer one (a huge tool result)
// is skipped.
const MaxLine = 4 << 20

// MaxFile bounds what is read of a transcript.
const MaxFile = 256 << 20

// Folder is the name Claude Code gives the transcript folder of a working
// folder: every character other than a letter or digit as "-".
func Folder(cwd string) string {
	var b strings.Builder
	for _, r := range cwd {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}

// Find is the transcript of conversation id: under projects (Claude Code's
// ~/.claude/projects), in the folder of one of the working folders given,
// else in any folder; "" when there is none.
func Find(projects, id string, cwds ...string) string {
	// Claude Code's ids are UUIDs: anything else (a path, a glob) is none.
	if !derived.SafeName(id) {
		return ""
	}
	for _, cwd := range cwds {
		if cwd == "" {
			continue
		}
		p := filepath.Join(projects, Folder(cwd), id+".jsonl")
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
	}
	matches, _ := filepath.Glob(filepath.Join(projects, "*", id+".jsonl"))
	for _, p := range matches {
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

// Read reads the turns of a transcript, leniently: a line longer than
// MaxLine (a huge tool result) is skipped, and the turns after it read.
func Read(r io.Reader) ([]Turn, error) {
	br := bufio.NewReaderSize(io.LimitReader(r, MaxFile), 64<<10)
	var turns []Turn
	var line []byte
	long := false
	for {
		chunk, err := br.ReadSlice('\n')
		switch {
		case long:
		case len(line)+len(chunk) > MaxLine:
			long, line = true, line[:0]
		default:
			line = append(line, chunk...)
		}
		if err == bufio.ErrBufferFull {
			continue // the line goes on
		}
		if !long {
			if t, ok := parseLine(line); ok {
				turns = append(turns, t)
			}
		}
		line, long = line[:0], false
		if err == io.EOF {
			return turns, nil
		}
		if err != nil {
			return turns, err
		}
	}
}

// row is what is read of a transcript line.
type row struct {
	Type    string `json:"type"`
	IsMeta  bool   `json:"isMeta"`
	Message struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	} `json:"message"`
}

func parseLine(line []byte) (Turn, bool) {
	var r row
	if json.Unmarshal(line, &r) != nil || r.IsMeta || (r.Type != "user" && r.Type != "assistant") {
		return Turn{}, false
	}
	text := contentText(r.Message.Content)
	if r.Type == "user" {
		text = harness().ReplaceAllString(text, "")
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return Turn{}, false
	}
	return Turn{Role: r.Type, Text: text}, true
}

// harness is what Claude Code puts into user rows that the user did not
// write: command tags and injected reminders.
// Compiled on first use: the tools that link this package mostly never
// read a transcript.
var harness = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?s)<(command-message|command-name|command-args|local-command-stdout|system-reminder)>.*?</(command-message|command-name|command-args|local-command-stdout|system-reminder)>`)
})

// contentText is the text of a message's content: a string, or the text
// blocks of a list (tool calls and their results are left out).
func contentText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var blocks []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if json.Unmarshal(raw, &blocks) != nil {
		return ""
	}
	var parts []string
	for _, b := range blocks {
		if b.Type == "text" && b.Text != "" {
			parts = append(parts, b.Text)
		}
	}
	return strings.Join(parts, "\n")
}
