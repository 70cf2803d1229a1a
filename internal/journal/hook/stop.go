package hook

import (
	"fmt"
	"hash/fnv"
	"time"

	"github.com/sess-dev/sess/internal/hookio"
	"github.com/sess-dev/sess/internal/journal"
)

// StopInterval is how often a Stop that brings nothing new refreshes the
// heartbeat at most.
const StopInterval = 15 * time.Minute

// turnEnded records a Stop: the activity from the last answer and the
// heartbeat, in the conversation's session; a conversation without one
// refreshes the project's newest session no conversation owns. A Stop
// whose activity is the one recorded last, within StopInterval, with no
// waiting flag set since, writes nothing: the throttled path costs a stat
// and a read of one small file, as the original's heartbeat.sh does.
func (h *Hook) turnEnded(in hookio.Input) {
	question := journal.QuestionOf(in.LastAssistantMessage)
	sum := digest(journal.ActivityOf(in.LastAssistantMessage) + "\x00" + question)
	if h.Store.Derived().StopMarked(in.SessionID, sum, StopInterval) {
		return
	}
	// Last, when the hook's own work is done: the append it starts runs
	// beside it for a while and would take a core from it.
	defer h.archive(in)
	h.Store.Derived().RanIn(h.window(), in.SessionID)
	// What is kept of the answer, its first sentence and the question it
	// ends with, is redacted before it is cut.
	activity := journal.ActivityOf(redacted(in.LastAssistantMessage))
	if question != "" {
		question = journal.QuestionOf(redacted(question))
	}
	owned, err := h.own(in, func(id string) error { _, err := journal.TurnEnded(h.Store, id, activity, question); return err })
	if err == nil && !owned {
		slug := h.slugOf(in)
		var known bool
		known, err = journal.ClaudeSessionKnown(h.Store, in.SessionID, slug)
		if err == nil && !known {
			_, err = journal.HeartbeatUnclaimed(h.Store, slug)
		}
	}
	if err != nil {
		h.warn("%v", err)
		return // no mark: the next Stop tries again
	}
	if err := h.Store.Derived().MarkStop(in.SessionID, sum); err != nil {
		h.warn("%v", err)
	}
}

// unthrottle makes the conversation's next Stop due, so that it clears a
// waiting flag set since the last one.
func (h *Hook) unthrottle(claudeID string) { h.Store.Derived().UnmarkStop(claudeID) }

// digest names an activity in a few bytes.
func digest(activity string) string {
	h := fnv.New64a()
	h.Write([]byte(activity))
	return fmt.Sprintf("%016x", h.Sum64())
}
