package importer

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/sess-dev/sess/internal/hookio"
	"github.com/sess-dev/sess/internal/journal"
	"github.com/sess-dev/sess/internal/journal/hook"
	"github.com/sess-dev/sess/internal/transcript"
	"github.com/sess-dev/sess/pkg/store"
)

// replay is one pass over a conversation's rows: into its own new session
// (the hooks' calls, one by one) or, enriching, into the tool uses its
// session may lack.
type replay struct {
	st       *store.Store
	clk      *clock
	c        *conversation
	sid      string // the session recorded into; "" in a dry run
	enrich   bool
	dryRun   bool
	root     string // the work tree, for edited files' names
	pending  map[string]call
	files    map[string]bool
	uses     []journal.Use // tool uses not yet recorded (see flush)
	added    int           // what the uses added to the session
	intent   bool          // the first prompt was recorded
	prompt   string        // a prompt after the last answer, recorded at the end
	promptAt time.Time

	answer, question string // the turn's last answer, recorded when it ends
	answerAt         time.Time
	compacted        bool // a compaction boundary was read, its note not yet recorded
	title            string
	summaries        map[string]string // leafUuid → summary
	titleSummary     string
	skipped          int // lines the reader skipped
}

// call is a tool call that waits for its result.
type call struct {
	name  string
	input json.RawMessage
}

// tracked are the tools whose calls the journal records something of.
var tracked = map[string]bool{"Edit": true, "Write": true, "MultiEdit": true, "NotebookEdit": true,
	"TaskCreate": true, "TaskUpdate": true, "TodoWrite": true, "Bash": true}

// maxPending bounds the tool calls a replay holds while they wait for
// their results; flushUses the tool uses it holds before it records them.
const (
	maxPending = 1000
	flushUses  = 500
)

// run reads the conversation's rows and records them.
func (p *replay) run() error {
	f, err := os.Open(p.c.path)
	if err != nil {
		return err
	}
	defer f.Close()
	p.pending, p.files, p.summaries = map[string]call{}, map[string]bool{}, map[string]string{}
	rs := transcript.NewRows(f)
	for r, ok := rs.Next(); ok; r, ok = rs.Next() {
		if err := p.row(r); err != nil {
			return err
		}
	}
	p.skipped = rs.Skipped()
	if err := rs.Err(); err != nil {
		return err
	}
	if p.compacted {
		if err := p.note(""); err != nil {
			return err
		}
	}
	if err := p.flush(); err != nil {
		return err
	}
	return p.end()
}

// row records one row.
func (p *replay) row(r transcript.Row) error {
	switch r.Type {
	case "custom-title":
		p.title = r.CustomTitle
		return nil
	case "summary":
		if len(p.summaries) < maxPending {
			p.summaries[r.LeafUUID] = r.Summary
		}
		return nil
	}
	if s, ok := p.summaries[r.UUID]; ok && r.UUID != "" {
		p.titleSummary = s // a summary of this file's own rows
	}
	if !p.c.own(r) {
		return nil
	}
	p.clk.set(r.Time)
	if p.compacted {
		p.compacted = false
		if r.IsCompacted {
			return p.note(r.Text())
		}
		if err := p.note(""); err != nil {
			return err
		}
	}
	switch {
	case r.Type == "system" && r.Subtype == "compact_boundary":
		p.compacted = true
	case r.Type == "assistant":
		p.assistant(r)
	case r.Type == "user":
		if err := p.results(r); err != nil {
			return err
		}
		if prompt := r.Prompt(); prompt != "" {
			return p.prompted(prompt, r.Time)
		}
	}
	return nil
}

// assistant keeps the answer's words and the tool calls that wait for
// their results.
func (p *replay) assistant(r transcript.Row) {
	if text := r.Text(); text != "" {
		p.answer, p.answerAt, p.prompt = text, r.Time, ""
	}
	for _, b := range r.Blocks {
		if b.Type == "tool_use" && tracked[b.Name] && len(p.pending) < maxPending {
			p.pending[b.ID] = call{b.Name, b.Input}
		}
	}
}

// results records the finished tool calls of a user row, as PostToolUse
// would have (see hook.ToolUseOf).
func (p *replay) results(r transcript.Row) error {
	for _, b := range r.Blocks {
		cl, ok := p.pending[b.ToolUseID]
		if b.Type != "tool_result" || !ok {
			continue
		}
		delete(p.pending, b.ToolUseID)
		tc := hook.ToolCall{Name: cl.name, Input: hookio.ParseToolInput(cl.input), Cwd: p.c.cwd, Root: p.root}
		if cl.name == "TaskCreate" {
			tc.CreatedTaskID = hookio.CreatedTaskID(r.ToolUseResult)
		}
		out, failed := b.Text, b.IsError
		tc.Commit = func() (string, string, error) {
			if failed {
				return "", "", hook.ErrNoCommit
			}
			return hook.CommitOf(out + "\n" + stdout(r.ToolUseResult))
		}
		u, err := hook.ToolUseOf(tc)
		if err != nil || (u.File == "" && len(u.Tasks) == 0 && u.Commit == nil) {
			continue // a git commit that made none, a tool that records nothing
		}
		if u.File != "" && u.Commit == nil && len(u.Tasks) == 0 {
			if p.files[u.File] {
				continue // recorded once: the journal keeps a file once
			}
			p.files[u.File] = true
		}
		if err := p.use(u, r.Time); err != nil {
			return err
		}
	}
	return nil
}

// stdout is a Bash result's stdout, from the tool's own answer.
func stdout(raw json.RawMessage) string {
	var res struct {
		Stdout string `json:"stdout"`
	}
	if len(raw) == 0 || json.Unmarshal(raw, &res) != nil {
		return ""
	}
	return res.Stdout
}

// use keeps a tool use, recorded with the others by flush.
func (p *replay) use(u journal.ToolUse, at time.Time) error {
	p.uses = append(p.uses, journal.Use{ToolUse: u, At: at})
	if len(p.uses) >= flushUses {
		return p.flush()
	}
	return nil
}

// flush records the tool uses kept, in one write (journal.ToolsRecorded):
// the files, tasks and commits ToolUsed would have recorded one by one,
// each at its own time.
func (p *replay) flush() error {
	uses := p.uses
	p.uses = p.uses[:0]
	if len(uses) == 0 || p.sid == "" {
		return nil
	}
	n, err := journal.ToolsRecorded(p.st, p.sid, uses, p.dryRun)
	p.added += n
	return p.wrap(err)
}

// prompted records the first prompt, as UserPromptSubmit: its first line,
// redacted, as the intent. A later one is kept until the end: what it
// changes (the state, the waiting flag) the turn after it changes again.
func (p *replay) prompted(text string, at time.Time) error {
	if p.intent || p.enrich || p.sid == "" {
		p.prompt, p.promptAt = text, at
		return nil
	}
	p.intent = true
	_, err := journal.PromptSubmitted(p.st, p.sid, journal.IntentOf(hook.Redacted(text)))
	return p.wrap(err)
}

// end records the end of the last turn with its last answer, as Stop
// (the activity and the question it ends with, redacted), and a prompt
// that came after it.
func (p *replay) end() error {
	if p.enrich || p.sid == "" {
		return nil
	}
	if p.answer != "" {
		question := journal.QuestionOf(p.answer)
		if question != "" {
			question = journal.QuestionOf(hook.Redacted(question))
		}
		p.clk.set(p.answerAt)
		if _, err := journal.TurnEnded(p.st, p.sid, journal.ActivityOf(hook.Redacted(p.answer)), question); err != nil {
			return p.wrap(err)
		}
	}
	if p.prompt != "" {
		p.clk.set(p.promptAt)
		if _, err := journal.PromptSubmitted(p.st, p.sid, journal.IntentOf(hook.Redacted(p.prompt))); err != nil {
			return p.wrap(err)
		}
	}
	return nil
}

// note records a compaction, as PostCompact.
func (p *replay) note(summary string) error {
	if p.enrich || p.sid == "" {
		return nil
	}
	_, err := journal.Noted(p.st, p.sid, hook.CompactNote(summary))
	return p.wrap(err)
}

// titled is the conversation's title: /rename's, else Claude Code's
// summary of its own rows.
func (p *replay) titled() string {
	if p.title != "" {
		return p.title
	}
	return p.titleSummary
}

func (p *replay) wrap(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("conversation %s: %w", p.c.id, err)
}
