package transcriptgen

import (
	"errors"
	"time"
)

// Options say how big a tree is and which one it is. The JSON names are the
// ones bench/gentranscripts's flags use, so a tree's parameters can be kept
// in a file (internal/usage/testdata/tree.json) and read back into Options.
type Options struct {
	// Seed chooses the tree: the same Seed (and the rest) makes the same
	// bytes.
	Seed uint64 `json:"seed"`
	// Conversations stops the tree once it has this many conversations
	// (top-level transcripts, resumed ones included); 0 sets no limit.
	Conversations int `json:"conversations,omitempty"`
	// Bytes stops the tree once its files hold this many bytes; 0 sets no
	// limit. One of Conversations and Bytes must be set.
	Bytes int64 `json:"bytes,omitempty"`
	// Turns is every conversation's number of prompts; 0 draws it (most
	// conversations short, a few long).
	Turns int `json:"turns,omitempty"`
	// Projects is the number of project folders (4 when 0).
	Projects int `json:"projects,omitempty"`
	// Days is how many days from Start the conversations begin in (61 when
	// 0: September and October 2026).
	Days int `json:"days,omitempty"`
	// Start is midnight UTC of the first day (2026-09-01 when zero).
	Start time.Time `json:"start,omitzero"`
}

// Defaults of Options' zero fields.
const (
	defaultProjects = 4
	defaultDays     = 61
)

// defaultStart is the first day when Options.Start is zero: far enough in
// the past that no report sees a conversation as still running.
var defaultStart = time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)

// withDefaults is o with its zero fields set, or an error if it would never
// stop.
func (o Options) withDefaults() (Options, error) {
	if o.Conversations <= 0 && o.Bytes <= 0 {
		return o, errors.New("transcriptgen: set Conversations or Bytes, or the tree never ends")
	}
	if o.Projects <= 0 {
		o.Projects = defaultProjects
	}
	if o.Days <= 0 {
		o.Days = defaultDays
	}
	if o.Start.IsZero() {
		o.Start = defaultStart
	}
	o.Start = o.Start.UTC()
	return o, nil
}

// Stats count what a tree holds.
type Stats struct {
	Files         int   // .jsonl files
	Bytes         int64 // their size
	Rows          int   // their lines
	Conversations int   // top-level transcripts, resumed ones included
	Resumed       int   // conversations whose file starts with an earlier one's rows
	CopiedRows    int   // the rows so copied
	Subagents     int   // subagent transcripts under <conversation>/subagents/
	OldSubagents  int   // subagent transcripts beside the conversations (agent-*.jsonl)
	Compactions   int   // compact_boundary rows
	CutLines      int   // files whose last line is cut mid-row

	// Requests is the API requests written (copies not counted again);
	// Models counts them by model. A reply written one row per content
	// block is one request.
	Requests int
	Models   map[string]int
	// UsageRows is the assistant rows carrying usage, copies included;
	// SplitRows those of a request written over more than one row.
	UsageRows int
	SplitRows int

	Fast         int // requests with usage.speed "fast"
	Cache1h      int // requests with 1-hour cache writes
	NoCacheSplit int // requests whose usage has no cache_creation split
	NoRequestID  int // requests written without a requestId
	CostUSD      int // requests whose rows carry costUSD
	Synthetic    int // "<synthetic>" rows (no API request behind them)
	UnknownModel int // requests of a model no price table knows

	// MaxInput is the largest input of a request: input, cache writes and
	// cache reads together.
	MaxInput int
	// First and Last are the earliest and latest row times.
	First, Last time.Time
}
