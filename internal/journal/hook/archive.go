package hook

import "github.com/sess-dev/sess/internal/hookio"

// archive hands off the append of the conversation's new transcript rows
// to the store's transcript archive, at the events that end a stretch of
// it: a due Stop, PreCompact (before Claude Code rewrites what the model
// sees), SessionEnd. The append redacts every row, at about a megabyte a
// second, and a turn adds tens to hundreds of kilobytes: so the hook never
// runs it itself (nor links the archive, see internal/archive), but calls
// Archive, which sess-hook sets to start a process that does. No Archive,
// no archive.
func (h *Hook) archive(in hookio.Input) {
	if h.Archive == nil || in.TranscriptPath == "" || in.AgentID != "" {
		return
	}
	if err := h.Archive(in.SessionID, in.TranscriptPath); err != nil {
		h.warn("archive transcript %s: %v", in.SessionID, err)
	}
}
