package session

import "time"

// The live states of a conversation, as its Claude Code hooks report them.
// They live in sess's own fields (Session.State, StateSince, StateReason);
// the statuses stay the original's three.
const (
	StateWorking     = "working"      // a prompt or a tool call, and no end of turn since
	StateWaiting     = "waiting"      // it waits for the user; the reason says for what
	StateIdle        = "idle"         // the turn ended (or it just began) and nothing since
	StateRateLimited = "rate_limited" // the turn died on a rate limit, until the next prompt
	StateFailed      = "failed"       // the turn died otherwise; the reason is the error kind
	StateEnded       = "ended"        // SessionEnd, or carried on by another session
	StateSilent      = "silent"       // no hook for the stale threshold (derived, never stored)
)

// Live is a session's state now: what, since when, and why.
type Live struct {
	State  string `json:"state"`
	Since  string `json:"since"`
	Reason string `json:"reason,omitempty"`
}

// LiveState is the state an active session is in now (zero for one that is
// not active). The stored state decides, except that a session without a
// hook for the stale threshold is silent (since its last hook), and that
// the awaiting-action flag, which commands set and clear too, has the last
// word on waiting.
func LiveState(s *Session, now time.Time, staleHours int) Live {
	if s.Status != StatusActive {
		return Live{}
	}
	state, since, reason := Deref(s.State), Deref(s.StateSince), Deref(s.StateReason)
	last := LastHook(s)
	switch {
	case state == StateEnded:
		return Live{state, since, reason}
	case IsStale(StatusActive, last, now, staleHours):
		return Live{StateSilent, last, ""}
	case s.AwaitingAction != nil:
		if state != StateWaiting {
			since = s.LastHeartbeat
		}
		return Live{StateWaiting, since, *s.AwaitingAction}
	case state == StateWaiting: // a command cleared the flag: work goes on
		return Live{StateWorking, s.LastHeartbeat, ""}
	case state == "":
		return Live{StateIdle, last, ""} // no hook has reported on it
	}
	return Live{state, since, reason}
}

// LastHook is when a hook (or a command) last reported on the session: the
// later of its heartbeat and its state's start.
func LastHook(s *Session) string {
	hb, since := s.LastHeartbeat, Deref(s.StateSince)
	if since == "" {
		return hb
	}
	a, errA := ParseTime(hb)
	b, errB := ParseTime(since)
	if errA != nil || errB == nil && b.After(a) {
		return since
	}
	return hb
}

// HeartbeatStep is how far a hook moves the heartbeat at least. A hook's
// write that changes nothing the index holds writes the session file
// alone (5 KB), not the index (3 MB at 10,000 sessions); so the heartbeat,
// which the index holds, moves once a minute at most, which staleness
// (counted in hours) does not notice. The live state's start is exact.
const HeartbeatStep = time.Minute

// Touch moves the session's heartbeat to now if it is HeartbeatStep old
// (or from the future).
func (s *Session) Touch(now string) {
	hb, err := ParseTime(s.LastHeartbeat)
	t, nerr := ParseTime(now)
	if err != nil || nerr != nil || t.Sub(hb) >= HeartbeatStep || t.Before(hb) {
		s.LastHeartbeat = now
	}
}

// SetState moves the session to a live state, with its reason; the
// state's start is now only when the state changes. It reports whether
// anything changed.
func (s *Session) SetState(state, reason, now string) bool {
	old := Deref(s.State)
	if old == state && Deref(s.StateReason) == reason {
		return false
	}
	if old != state || s.StateSince == nil {
		s.StateSince = &now
	}
	s.State = &state
	s.StateReason = nil
	if reason != "" {
		s.StateReason = &reason
	}
	return true
}
