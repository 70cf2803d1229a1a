package hook

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/sess-dev/sess/internal/hookio"
	"github.com/sess-dev/sess/internal/redact"
	"github.com/sess-dev/sess/pkg/store"
	"github.com/sess-dev/sess/pkg/store/derived"
)

// ArchiveTranscript appends what the conversation's transcript (path, from
// a payload's transcript_path) has gained since the last append to the
// store's transcript archive, every row redacted as the journal redacts
// (redact.JSONLine: the text of each string, the row kept JSON). It is
// what a hook hands off (see Hook.Archive) and what an import runs for the
// past. The path is the payload's, so untrusted: an absolute path to a
// .jsonl file, which the archive opens only if it is a regular one.
func ArchiveTranscript(st *store.Store, claudeID, path string) (derived.Appended, error) {
	if !filepath.IsAbs(path) || !strings.HasSuffix(path, ".jsonl") {
		return derived.Appended{}, fmt.Errorf("archive transcript %s: %q is not a transcript's path", claudeID, path)
	}
	return st.Derived().ArchiveTranscript(claudeID, path, redactedRow)
}

// redactedRow is a transcript's row with secrets and personal data taken
// out of its text.
func redactedRow(line []byte) []byte {
	out, _ := redact.JSONLine(line)
	return out
}

// archive archives the conversation's new transcript rows, at the events
// that end a stretch of it: a due Stop, PreCompact (before Claude Code
// rewrites what the model sees), SessionEnd. Redaction reads about a
// megabyte a second and a turn adds tens to hundreds of kilobytes, so a
// hook hands the append off (Archive) rather than run it in its own time;
// with no Archive it runs here, and waits.
func (h *Hook) archive(in hookio.Input) {
	if in.TranscriptPath == "" || in.AgentID != "" {
		return
	}
	if h.Archive != nil {
		if err := h.Archive(in.SessionID, in.TranscriptPath); err != nil {
			h.warn("archive transcript %s: %v", in.SessionID, err)
		}
		return
	}
	// No transcript yet is nothing to archive.
	if _, err := ArchiveTranscript(h.Store, in.SessionID, in.TranscriptPath); err != nil && !errors.Is(err, fs.ErrNotExist) {
		h.warn("%v", err)
	}
}
