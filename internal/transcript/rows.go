package transcript

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"time"
)

// The rows of a transcript, as Claude Code writes them (builds 1.0 to 2.1;
// no field is documented, the shapes are what its files hold and what
// parsers such as ccusage and claude-code-log read):
//
//   - "user": a prompt (message.content a string, or text blocks) or the
//     results of tool calls (tool_result blocks, with the tool's own answer
//     in toolUseResult); isMeta marks what the harness injected,
//     isCompactSummary the summary a compaction starts the new context with.
//   - "assistant": text, thinking and tool_use blocks, one row per block in
//     newer builds, all sharing message.id.
//   - "system": subtype compact_boundary marks a compaction (its
//     logicalParentUuid is the last row before it), others are notices.
//   - "summary": a title Claude Code made, with the leafUuid of the row it
//     sums up (older builds wrote other conversations' summaries into a
//     file: only one whose leaf is in the file is its own).
//   - "custom-title": the title /rename gave.
//   - "file-history-snapshot", "queue-operation", "progress", "attachment":
//     bookkeeping, read as rows with nothing of a message.
//
// Every row may carry sessionId, cwd, gitBranch, version, timestamp, uuid,
// parentUuid and isSidechain (a subagent's row).

// Row is what is read of one line of a transcript.
type Row struct {
	Type, Subtype                    string
	UUID, ParentUUID, LogicalParent  string
	SessionID, Cwd, GitBranch        string
	Time                             time.Time // zero when the row has none, or one that does not parse
	IsSidechain, IsMeta, IsCompacted bool      // IsCompacted: the summary a compaction starts from
	Role                             string    // the message's
	Blocks                           []Block   // the message's content; a string content is one text block
	ToolUseResult                    json.RawMessage
	Summary, LeafUUID                string // "summary" rows
	CustomTitle                      string // "custom-title" rows
}

// Block is one content block of a message; thinking and images are left out.
type Block struct {
	Type      string // "text", "tool_use" or "tool_result"
	Text      string // text: its words; tool_result: its text content
	ID, Name  string // tool_use
	Input     json.RawMessage
	ToolUseID string // tool_result
	IsError   bool
}

// knownRows are the row types Rows reads; a line of another type is
// counted in Unknown.
var knownRows = map[string]bool{
	"user": true, "assistant": true, "system": true, "summary": true, "custom-title": true,
	"file-history-snapshot": true, "queue-operation": true, "progress": true, "attachment": true,
}

// Rows reads a transcript row by row, streaming: no more than one line
// (at most MaxLine) is held at a time. A line that is not JSON, too long,
// or of an unknown type is skipped and counted; none is fatal.
type Rows struct {
	br      *bufio.Reader
	line    []byte
	err     error
	Broken  int // lines that are not a JSON object
	Long    int // lines longer than MaxLine
	Unknown int // rows of a type Rows does not know
}

// NewRows reads the rows of r.
func NewRows(r io.Reader) *Rows {
	return &Rows{br: bufio.NewReaderSize(r, 64<<10)}
}

// Skipped is how many lines were skipped.
func (rs *Rows) Skipped() int { return rs.Broken + rs.Long + rs.Unknown }

// Err is the read error that ended the rows, nil at the end of the file.
func (rs *Rows) Err() error {
	if rs.err == io.EOF {
		return nil
	}
	return rs.err
}

// Next reads the next row; false at the end, or on a read error (Err).
func (rs *Rows) Next() (Row, bool) {
	for rs.err == nil {
		line, long, err := rs.readLine()
		if err != nil && err != io.EOF {
			rs.err = err
			return Row{}, false
		}
		switch line = bytes.TrimSpace(line); {
		case long:
			rs.Long++
		case len(line) > 0:
			r, ok := rs.parse(line)
			if ok {
				if err == io.EOF {
					rs.err = io.EOF
				}
				return r, true
			}
		}
		if err == io.EOF {
			rs.err = io.EOF
		}
	}
	return Row{}, false
}

// readLine reads a line into rs.line, reused; a line past MaxLine is read
// through and reported long.
func (rs *Rows) readLine() ([]byte, bool, error) {
	rs.line = rs.line[:0]
	long := false
	for {
		chunk, err := rs.br.ReadSlice('\n')
		if !long && len(rs.line)+len(chunk) <= MaxLine {
			rs.line = append(rs.line, chunk...)
		} else {
			long, rs.line = true, rs.line[:0]
		}
		if err != bufio.ErrBufferFull {
			return rs.line, long, err
		}
	}
}

// rawRow is a line as JSON has it.
type rawRow struct {
	Type              string  `json:"type"`
	Subtype           string  `json:"subtype"`
	UUID              string  `json:"uuid"`
	ParentUUID        *string `json:"parentUuid"`
	LogicalParentUUID string  `json:"logicalParentUuid"`
	SessionID         string  `json:"sessionId"`
	Timestamp         string  `json:"timestamp"`
	Cwd               string  `json:"cwd"`
	GitBranch         string  `json:"gitBranch"`
	IsSidechain       bool    `json:"isSidechain"`
	IsMeta            bool    `json:"isMeta"`
	IsCompactSummary  bool    `json:"isCompactSummary"`
	Message           *struct {
		Role    string     `json:"role"`
		Content []rawBlock `json:"content"` // a string content is read apart (see parse)
	} `json:"message"`
	ToolUseResult json.RawMessage `json:"toolUseResult"`
	Summary       string          `json:"summary"`
	LeafUUID      string          `json:"leafUuid"`
	CustomTitle   string          `json:"customTitle"`
}

// parse reads one line; false (counted) for one that is not a row sess
// knows.
func (rs *Rows) parse(line []byte) (Row, bool) {
	var raw rawRow
	if line[0] != '{' {
		rs.Broken++
		return Row{}, false
	}
	// Decoded once, blocks and all: a tool's output is the bulk of a
	// transcript, and each pass over it costs. A message whose content is
	// a string (a prompt, short) fails the blocks and is read again.
	// A field of another type than sess knows (a newer format) is left
	// out, and the rest read.
	err := json.Unmarshal(line, &raw)
	var text string
	if _, ok := err.(*json.UnmarshalTypeError); ok {
		err = nil
		if raw.Message != nil && raw.Message.Content == nil {
			var str struct {
				Message struct {
					Content string `json:"content"`
				} `json:"message"`
			}
			json.Unmarshal(line, &str) // not a string either: no text
			text = str.Message.Content
		}
	}
	if err != nil {
		rs.Broken++
		return Row{}, false
	}
	if !knownRows[raw.Type] {
		rs.Unknown++
		return Row{}, false
	}
	r := Row{Type: raw.Type, Subtype: raw.Subtype, UUID: raw.UUID, LogicalParent: raw.LogicalParentUUID,
		SessionID: raw.SessionID, Cwd: raw.Cwd, GitBranch: raw.GitBranch,
		IsSidechain: raw.IsSidechain, IsMeta: raw.IsMeta, IsCompacted: raw.IsCompactSummary,
		Summary: raw.Summary, LeafUUID: raw.LeafUUID, CustomTitle: raw.CustomTitle}
	if raw.ParentUUID != nil {
		r.ParentUUID = *raw.ParentUUID
	}
	if t, err := time.Parse(time.RFC3339Nano, raw.Timestamp); err == nil {
		r.Time = t.UTC()
	}
	if len(raw.ToolUseResult) > 0 && string(raw.ToolUseResult) != "null" {
		r.ToolUseResult = raw.ToolUseResult
	}
	if raw.Message != nil {
		r.Role = raw.Message.Role
		r.Blocks = blocksOf(raw.Message.Content, text)
	}
	return r, true
}

// rawBlock is a content block as JSON has it.
type rawBlock struct {
	Type      string          `json:"type"`
	Text      string          `json:"text"`
	ID        string          `json:"id"`
	Name      string          `json:"name"`
	Input     json.RawMessage `json:"input"`
	ToolUseID string          `json:"tool_use_id"`
	Content   any             `json:"content"` // a tool result's: a string, or text blocks
	IsError   bool            `json:"is_error"`
}

// blocksOf is a message's content: the blocks, or the text when it is a
// string; blocks of kinds other than text, tool_use and tool_result are
// left out.
func blocksOf(raws []rawBlock, text string) []Block {
	if text != "" {
		return []Block{{Type: "text", Text: text}}
	}
	var out []Block
	for _, b := range raws {
		switch b.Type {
		case "text":
			out = append(out, Block{Type: b.Type, Text: b.Text})
		case "tool_use":
			out = append(out, Block{Type: b.Type, ID: b.ID, Name: b.Name, Input: b.Input})
		case "tool_result":
			out = append(out, Block{Type: b.Type, ToolUseID: b.ToolUseID, Text: resultText(b.Content), IsError: b.IsError})
		}
	}
	return out
}

// resultText is the text of a tool result's content: a string, or its
// text blocks joined by newlines.
func resultText(content any) string {
	switch c := content.(type) {
	case string:
		return c
	case []any:
		var parts []string
		for _, b := range c {
			if m, ok := b.(map[string]any); ok && m["type"] == "text" {
				if t, ok := m["text"].(string); ok && t != "" {
					parts = append(parts, t)
				}
			}
		}
		return strings.Join(parts, "\n")
	}
	return ""
}

// Text is the words of the row's text blocks, joined by newlines.
func (r Row) Text() string {
	var b []byte
	for _, bl := range r.Blocks {
		if bl.Type == "text" && bl.Text != "" {
			if len(b) > 0 {
				b = append(b, '\n')
			}
			b = append(b, bl.Text...)
		}
	}
	return string(b)
}

// Prompt is what the user wrote in a user row: its text without the
// harness's tags (slash commands' names and output, reminders); "" for a
// row that is not a prompt (tool results, injected or compaction rows, a
// subagent's).
func (r Row) Prompt() string {
	if r.Type != "user" || r.IsMeta || r.IsCompacted || r.IsSidechain {
		return ""
	}
	return strings.TrimSpace(harness().ReplaceAllString(r.Text(), ""))
}

// Command is the slash command a user row runs ("/clear"), "" for none.
func (r Row) Command() string {
	if r.Type != "user" || r.IsSidechain {
		return ""
	}
	_, rest, ok := strings.Cut(r.Text(), "<command-name>")
	if !ok {
		return ""
	}
	name, _, ok := strings.Cut(rest, "</command-name>")
	if !ok {
		return ""
	}
	return strings.TrimSpace(name)
}

// ParseRow reads one line of a transcript as Rows does; false for a line
// that is not a row Rows reads.
func ParseRow(line []byte) (Row, bool) {
	line = bytes.TrimSpace(line)
	if len(line) == 0 {
		return Row{}, false
	}
	var rs Rows
	return rs.parse(line)
}
