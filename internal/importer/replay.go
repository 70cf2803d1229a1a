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
	st      *store.Store
	clk     *clock
	c       *conversation
	sid     string // the session recorded into; "" in a dry run
	enrich  bool
	root    string // the work tree, for edited files' names
	pending map[string]call
	files   map[string]bool
	uses    []journal.Use // enriching: what the rows record

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

// maxPending and maxUses bound what a replay holds.
const (
	maxPending = 1000
	maxUses    = 5000
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
	return p.endTurn()
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
			return p.prompt(prompt)
		}
	}
	return nil
}

// assistant keeps the answer's words and the tool calls that wait for
// their results.
func (p *replay) assistant(r transcript.Row) {
	if text := r.Text(); text != "" {
		p.answer, p.answerAt = text, r.Time
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

// use records a tool use, or keeps it to enrich with.
func (p *replay) use(u journal.ToolUse, at time.Time) error {
	if p.enrich {
		if len(p.uses) < maxUses {
			p.uses = append(p.uses, journal.Use{ToolUse: u, At: at})
		}
		return nil
	}
	if p.sid == "" {
		return nil
	}
	_, err := journal.ToolUsed(p.st, p.sid, u)
	return p.wrap(err)
}

// prompt ends the turn before it and records a prompt, as
// UserPromptSubmit: its first line, redacted, as the intent.
func (p *replay) prompt(text string) error {
	if err := p.endTurn(); err != nil || p.enrich || p.sid == "" {
		return err
	}
	_, err := journal.PromptSubmitted(p.st, p.sid, journal.IntentOf(hook.Redacted(text)))
	return p.wrap(err)
}

// endTurn records the end of a turn with its last answer, as Stop: the
// activity and the question it ends with, redacted.
func (p *replay) endTurn() error {
	answer := p.answer
	p.answer = ""
	if answer == "" || p.enrich || p.sid == "" {
		return nil
	}
	question := journal.QuestionOf(answer)
	if question != "" {
		question = journal.QuestionOf(hook.Redacted(question))
	}
	p.clk.set(p.answerAt)
	_, err := journal.TurnEnded(p.st, p.sid, journal.ActivityOf(hook.Redacted(answer)), question)
	return p.wrap(err)
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
