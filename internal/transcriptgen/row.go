package transcriptgen

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"time"
)

// row is one line of a transcript, its fields in the order Claude Code
// writes them. Fields a kind of row lacks are omitted.
type row struct {
	ParentUUID                *string          `json:"parentUuid"`
	LogicalParentUUID         string           `json:"logicalParentUuid,omitempty"`
	IsSidechain               bool             `json:"isSidechain"`
	UserType                  string           `json:"userType"`
	CWD                       string           `json:"cwd"`
	SessionID                 string           `json:"sessionId"`
	Version                   string           `json:"version"`
	GitBranch                 string           `json:"gitBranch"`
	AgentID                   string           `json:"agentId,omitempty"`
	Type                      string           `json:"type"`
	Subtype                   string           `json:"subtype,omitempty"`
	Content                   string           `json:"content,omitempty"`
	IsMeta                    bool             `json:"isMeta,omitempty"`
	CompactMetadata           *compactMetadata `json:"compactMetadata,omitempty"`
	IsCompactSummary          bool             `json:"isCompactSummary,omitempty"`
	IsVisibleInTranscriptOnly bool             `json:"isVisibleInTranscriptOnly,omitempty"`
	Message                   any              `json:"message,omitempty"`
	CostUSD                   *float64         `json:"costUSD,omitempty"`
	DurationMS                int              `json:"durationMs,omitempty"`
	RequestID                 string           `json:"requestId,omitempty"`
	IsAPIErrorMessage         *bool            `json:"isApiErrorMessage,omitempty"`
	ToolUseResult             any              `json:"toolUseResult,omitempty"`
	UUID                      string           `json:"uuid"`
	Timestamp                 string           `json:"timestamp"`
}

type compactMetadata struct {
	Trigger   string `json:"trigger"`
	PreTokens int    `json:"preTokens"`
}

// summaryRow is the title row older builds put at the top of a resumed
// conversation's file.
type summaryRow struct {
	Type     string `json:"type"`
	Summary  string `json:"summary"`
	LeafUUID string `json:"leafUuid"`
}

type userMessage struct {
	Role    string `json:"role"`
	Content any    `json:"content"` // a string, or blocks
}

type assistantMessage struct {
	Model        string  `json:"model"`
	ID           string  `json:"id"`
	Type         string  `json:"type"`
	Role         string  `json:"role"`
	Content      []block `json:"content"`
	StopReason   *string `json:"stop_reason"`
	StopSequence *string `json:"stop_sequence"`
	Usage        usage   `json:"usage"`
}

// usage is the API's count of a request's tokens.
type usage struct {
	InputTokens              int            `json:"input_tokens"`
	CacheCreationInputTokens int            `json:"cache_creation_input_tokens"`
	CacheReadInputTokens     int            `json:"cache_read_input_tokens"`
	CacheCreation            *cacheCreation `json:"cache_creation,omitempty"`
	OutputTokens             int            `json:"output_tokens"`
	ServiceTier              *string        `json:"service_tier,omitempty"`
	Speed                    string         `json:"speed,omitempty"`
}

// cacheCreation splits the cache writes by the cache's lifetime.
type cacheCreation struct {
	Ephemeral5m int `json:"ephemeral_5m_input_tokens"`
	Ephemeral1h int `json:"ephemeral_1h_input_tokens"`
}

// input is what a request was sent, the cache's and the rest.
func (u usage) input() int {
	return u.InputTokens + u.CacheCreationInputTokens + u.CacheReadInputTokens
}

// block is one content block of a message.
type block struct {
	Type      string `json:"type"`
	Thinking  string `json:"thinking,omitempty"`
	Signature string `json:"signature,omitempty"`
	Text      string `json:"text,omitempty"`
	ID        string `json:"id,omitempty"`
	Name      string `json:"name,omitempty"`
	Input     any    `json:"input,omitempty"`
	ToolUseID string `json:"tool_use_id,omitempty"`
	Content   string `json:"content,omitempty"`
	IsError   bool   `json:"is_error,omitempty"`
}

// file is a transcript being written. Its first error sticks: later writes
// do nothing and close returns it, so that the generator's many writes need
// no checks of their own.
type file struct {
	path string
	f    *os.File
	bw   *bufio.Writer
	enc  *json.Encoder
	st   *Stats
	err  error
}

// createFile makes the transcript at path (and its folder).
func createFile(path string, st *Stats) (*file, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	w := &file{path: path, f: f, bw: bufio.NewWriterSize(f, 256<<10), st: st}
	w.enc = json.NewEncoder(counter{w})
	// Claude Code writes <, > and & as they are.
	w.enc.SetEscapeHTML(false)
	st.Files++
	return w, nil
}

// counter counts what the encoder writes into the file's stats.
type counter struct{ w *file }

func (c counter) Write(p []byte) (int, error) {
	c.w.st.Bytes += int64(len(p))
	return c.w.bw.Write(p)
}

// write writes v as a line.
func (w *file) write(v any) {
	if w.err != nil {
		return
	}
	w.st.Rows++
	w.err = w.enc.Encode(v)
}

// raw writes a line as it is: a copied row, or a cut one.
func (w *file) raw(line []byte) {
	if w.err != nil {
		return
	}
	w.st.Rows++
	_, w.err = counter{w}.Write(line)
}

// close flushes and closes the file and dates it at mtime, when its last
// row was written.
func (w *file) close(mtime time.Time) error {
	err := w.err
	if err == nil {
		err = w.bw.Flush()
	}
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chtimes(w.path, mtime, mtime)
	}
	return err
}

// stamp is a row time as Claude Code writes it.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
