package derived

import (
	"fmt"

	"github.com/sess-dev/sess/internal/atomicfile"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/internal/disk"
)

// highlightsDir holds, for the search, the redacted conversation
// highlights the exports wrote, a file per session (<id>.txt).
const highlightsDir = searchDir + "/highlights"

// maxHighlights bounds what is read of a highlights file: a session
// file's bound (store.MaxFileSize).
const maxHighlights = 10 << 20

// SaveHighlights keeps a session's conversation highlights (redacted) for
// the search, and notes the session in the change feed so that the next
// search takes them in (the session's own file did not change).
func (f *Files) SaveHighlights(id, text string) error {
	if err := session.ValidateSessionID(id); err != nil {
		return err
	}
	if err := atomicfile.WriteFile(f.highlightsPath(id), []byte(text)); err != nil {
		return fmt.Errorf("save the highlights of %s: %w", id, err)
	}
	f.NoteChanged(id)
	return nil
}

// Highlights are the conversation highlights kept for a session; "" when
// there are none (or they cannot be read).
func (f *Files) Highlights(id string) string {
	if session.ValidateSessionID(id) != nil {
		return ""
	}
	data, err := disk.ReadFile(f.highlightsPath(id), maxHighlights)
	if err != nil {
		return ""
	}
	return string(data)
}

func (f *Files) highlightsPath(id string) string { return f.path(highlightsDir, id+".txt") }
