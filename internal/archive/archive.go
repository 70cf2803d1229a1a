package archive

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/sess-dev/sess/internal/redact"
	"github.com/sess-dev/sess/internal/transcript"
	"github.com/sess-dev/sess/pkg/store"
	"github.com/sess-dev/sess/pkg/store/derived"
	"github.com/sess-dev/sess/pkg/store/derived/transcripts"
)

// Append appends what the conversation's transcript (path) has gained
// since the last append to the store's archive, every row redacted. The
// prompts and answers of the rows it archived go to the conversation's
// searchable text, and the conversation's session (if one is known) is
// noted in the change feed so that the next search takes them in.
func Append(st *store.Store, claudeID, path string) (transcripts.Appended, error) {
	if !filepath.IsAbs(path) || !strings.HasSuffix(path, ".jsonl") {
		return transcripts.Appended{}, fmt.Errorf("archive transcript %s: %q is not a transcript's path (an absolute path to a .jsonl file)", claudeID, path)
	}
	var said saidText
	added, err := transcripts.Of(st).Append(claudeID, path, func(line []byte) []byte {
		out := redactedRow(line)
		said.add(out)
		return out
	})
	// Rows may be archived before an append fails: their words are kept
	// too (words a failed frame had again at the next append only count
	// twice in the ranking; missing, they would never be found).
	if added.Bytes > 0 {
		if terr := keepSaid(st.Derived(), claudeID, said.b.String()); terr != nil && err == nil {
			err = terr
		}
	}
	if err == nil {
		err = appendSubagents(st, claudeID, path)
	}
	return added, err
}

// appendSubagents archives the transcripts of the conversation's subagents
// (<folder>/<id>/subagents/agent-*.jsonl, Claude Code 2.x), each as a
// conversation of its own named <id>_<agent>: what they used is the
// conversation's cost, and Claude Code deletes them with it. Their words
// are not the conversation's searchable text (the conversation's own
// answers say what came of them).
func appendSubagents(st *store.Store, claudeID, path string) error {
	subs, _ := filepath.Glob(filepath.Join(filepath.Dir(path), claudeID, "subagents", "*.jsonl"))
	arc := transcripts.Of(st)
	for _, sub := range subs {
		key := SubagentKey(claudeID, strings.TrimSuffix(filepath.Base(sub), ".jsonl"))
		if !derived.SafeName(key) {
			continue
		}
		if _, err := arc.Append(key, sub, redactedRow); err != nil {
			return fmt.Errorf("archive subagent transcript %s: %w", sub, err)
		}
	}
	return nil
}

// SubagentKey is the archive's name for a subagent's transcript.
func SubagentKey(claudeID, agent string) string { return claudeID + "_" + agent }

// keepSaid appends text to the conversation's searchable text and notes
// its session in the change feed.
func keepSaid(files *derived.Files, claudeID, text string) error {
	if text == "" {
		return nil
	}
	if err := files.AppendConversationText(claudeID, text); err != nil {
		return err
	}
	if id := files.Pointed(claudeID); id != "" {
		files.NoteChanged(id)
	}
	return nil
}

// saidText gathers what was said in a conversation's rows: the user's
// prompts and the assistant's answers, without tool calls, their results
// or thinking, and no more than the searchable text keeps.
type saidText struct{ b strings.Builder }

// add takes in one (redacted) row.
func (s *saidText) add(line []byte) {
	if s.b.Len() >= derived.MaxConversationText {
		return
	}
	r, ok := transcript.ParseRow(line)
	if !ok || r.IsSidechain {
		return
	}
	var text string
	switch r.Type {
	case "user":
		text = r.Prompt()
	case "assistant":
		text = r.Text()
	}
	if text = strings.TrimSpace(text); text == "" {
		return
	}
	if s.b.Len() > 0 {
		s.b.WriteByte('\n')
	}
	s.b.WriteString(text)
}

// redactedRow is a transcript's row with secrets and personal data taken
// out of its text, as the journal takes them out of what it keeps.
func redactedRow(line []byte) []byte {
	out, _ := redact.JSONLine(line)
	return out
}
