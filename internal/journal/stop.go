package journal

import (
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/sess-dev/sess/internal/derived"
	"github.com/sess-dev/sess/internal/hookio"
	"github.com/sess-dev/sess/pkg/store"
)

// StopInterval is how often a Stop that brings nothing new refreshes the
// heartbeat at most.
const StopInterval = 15 * time.Minute

// MarksDir is the folder of the store that holds a mark per conversation:
// what its last recorded Stop said, and (by its mtime) when.
const MarksDir = store.ConversationsDir

// turnEnded records a Stop: the activity from the last answer and the
// heartbeat, in the conversation's session; a conversation without one
// refreshes the project's newest session no conversation owns. A Stop
// whose activity is the one recorded last, within StopInterval, with no
// waiting flag set since, writes nothing: the throttled path costs a stat
// and a read of one small file, as the original's heartbeat.sh does.
func (h *Hook) turnEnded(in hookio.Input) {
	mark := h.markFor(in.SessionID)
	question := store.QuestionOf(in.LastAssistantMessage)
	sum := digest(store.ActivityOf(in.LastAssistantMessage) + "\x00" + question)
	if mark != "" && fresh(mark, sum, h.Store.Now()) {
		return
	}
	// What is kept of the answer, its first sentence and the question it
	// ends with, is redacted before it is cut.
	activity := store.ActivityOf(redacted(in.LastAssistantMessage))
	if question != "" {
		question = store.QuestionOf(redacted(question))
	}
	owned, err := h.own(in, func(id string) error { _, err := h.Store.TurnEnded(id, activity, question); return err })
	if err == nil && !owned {
		slug := h.slugOf(in)
		var known bool
		known, err = h.Store.ClaudeSessionKnown(in.SessionID, slug)
		if err == nil && !known {
			_, err = h.Store.HeartbeatUnclaimed(slug)
		}
	}
	if err != nil {
		h.warn("%v", err)
		return // no mark: the next Stop tries again
	}
	if mark != "" {
		if err := derived.WriteFile(mark, []byte(sum)); err != nil {
			h.warn("%v", err)
		}
	}
}

// unthrottle makes the conversation's next Stop due, so that it clears a
// waiting flag set since the last one.
func (h *Hook) unthrottle(claudeID string) {
	if mark := h.markFor(claudeID); mark != "" {
		syscall.Unlink(mark) // one call: os.Remove would try rmdir too
	}
}

// markFor is the path of the conversation's mark; "" for an id that is not
// a safe file name (no throttling then: every Stop is recorded).
func (h *Hook) markFor(claudeID string) string {
	if !store.SafeName(claudeID) {
		return ""
	}
	return filepath.Join(h.Store.Dir(), MarksDir, claudeID)
}

// fresh reports whether the mark says sum and was written less than
// StopInterval ago. A mark from the future (the clock went back) is not
// fresh, so that the heartbeat is not starved.
func fresh(mark, sum string, now time.Time) bool {
	fi, err := os.Stat(mark)
	if err != nil {
		return false
	}
	if age := now.Sub(fi.ModTime()); age < 0 || age >= StopInterval {
		return false
	}
	data, err := os.ReadFile(mark)
	return err == nil && string(data) == sum
}

// digest names an activity in a few bytes.
func digest(activity string) string {
	h := fnv.New64a()
	h.Write([]byte(activity))
	return fmt.Sprintf("%016x", h.Sum64())
}
