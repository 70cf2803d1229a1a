package archive

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/sess-dev/sess/internal/redact"
	"github.com/sess-dev/sess/pkg/store"
	"github.com/sess-dev/sess/pkg/store/derived/transcripts"
)

// Append appends what the conversation's transcript (path) has gained
// since the last append to the store's archive, every row redacted.
func Append(st *store.Store, claudeID, path string) (transcripts.Appended, error) {
	if !filepath.IsAbs(path) || !strings.HasSuffix(path, ".jsonl") {
		return transcripts.Appended{}, fmt.Errorf("archive transcript %s: %q is not a transcript's path (an absolute path to a .jsonl file)", claudeID, path)
	}
	return transcripts.Of(st).Append(claudeID, path, redactedRow)
}

// redactedRow is a transcript's row with secrets and personal data taken
// out of its text, as the journal takes them out of what it keeps.
func redactedRow(line []byte) []byte {
	out, _ := redact.JSONLine(line)
	return out
}
