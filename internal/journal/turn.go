package journal

import (
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// What Claude Code's hooks tell of a conversation, recorded in its own
// session (found by the conversation's id, never another's).

// PromptSubmitted records a prompt of the user: the first one becomes the
// intent while the intent is still the launch placeholder (its first line,
// cut to the intent limit); the session no longer waits for the user.
func PromptSubmitted(st *store.Store, id, prompt string) (*session.Session, error) {
	intent := IntentOf(prompt)
	return update(st, id, false, func(sess *session.Session, now string) error {
		if intent != "" && IsLaunchIntent(sess.Intent) {
			sess.Intent = intent
		}
		sess.AwaitingAction = nil
		sess.LastQuestion = nil // the user answers it, or asks something else
		sess.Touch(now)
		sess.SetState(session.StateWorking, "", now)
		return nil
	})
}

// TurnEnded records the end of a turn: the current activity from the last
// answer (see ActivityOf), the question it ends with (see QuestionOf; ""
// for none) and the heartbeat; the session no longer waits for the user.
func TurnEnded(st *store.Store, id, answer, question string) (*session.Session, error) {
	activity := ActivityOf(answer)
	question = cut(clean(question), MaxQuestion)
	return update(st, id, false, func(sess *session.Session, now string) error {
		if activity != "" {
			sess.CurrentActivity = &activity
		}
		sess.LastQuestion = nil
		if question != "" {
			sess.LastQuestion = &question
		}
		sess.AwaitingAction = nil
		sess.Touch(now)
		sess.SetState(session.StateIdle, "", now)
		return nil
	})
}

// Idle records that the conversation's agent is done and waits for nothing
// (Claude Code's agent_completed notification).
func Idle(st *store.Store, id string) (*session.Session, error) {
	return update(st, id, false, func(sess *session.Session, now string) error {
		if sess.AwaitingAction == nil && session.Deref(sess.State) == session.StateIdle {
			return errUnchanged
		}
		sess.AwaitingAction = nil
		sess.Touch(now)
		sess.SetState(session.StateIdle, "", now)
		return nil
	})
}

// Waiting records that the conversation waits for the user, and why (a
// Claude Code notification).
func Waiting(st *store.Store, id, reason string) (*session.Session, error) {
	reason, err := session.CleanText("reason", reason, session.MaxReason, session.Note)
	if err != nil {
		return nil, err
	}
	return update(st, id, false, func(sess *session.Session, now string) error {
		sess.AwaitingAction = &reason
		sess.Touch(now)
		sess.SetState(session.StateWaiting, "", now) // the reason is awaiting_action
		return nil
	})
}

// TurnFailed records a turn that died (Claude Code's StopFailure): an event
// with the error kind, and the state rate_limited or failed until the next
// prompt.
func TurnFailed(st *store.Store, id, kind string) (*session.Session, error) {
	kind = orUnknown(firstLine(kind, 100))
	state := session.StateFailed
	if kind == "rate_limit" {
		state = session.StateRateLimited
	}
	return noted(st, id, "Turn failed: "+kind, func(sess *session.Session, now string) {
		sess.SetState(state, kind, now)
	})
}

// ConversationEnded records Claude Code's SessionEnd: an event with the
// reason, and the state ended. The status stays active: a resume of the
// same conversation takes it up again, and the cleanup job completes it
// otherwise.
func ConversationEnded(st *store.Store, id, reason string) (*session.Session, error) {
	reason = orUnknown(firstLine(reason, 100))
	return noted(st, id, "Conversation ended ("+reason+")", func(sess *session.Session, now string) {
		sess.AwaitingAction = nil
		sess.SetState(session.StateEnded, reason, now)
	})
}

// Noted adds an event the hooks record (a compaction's summary), as
// add-event does, but moves the heartbeat as hooks do (see Session.Touch).
func Noted(st *store.Store, id, message string) (*session.Session, error) {
	message, err := session.CleanText("message", message, session.MaxMessage, session.Note)
	if err != nil {
		return nil, err
	}
	return noted(st, id, message, nil)
}

// noted adds an event as the hooks do (the heartbeat moved by Touch),
// with more of the same change (also, if not nil).
func noted(st *store.Store, id, message string, also func(sess *session.Session, now string)) (*session.Session, error) {
	return update(st, id, false, func(sess *session.Session, now string) error {
		sess.Events = append(sess.Events, session.Event{Timestamp: now, Message: message})
		sess.Touch(now)
		if also != nil {
			also(sess, now)
		}
		return nil
	})
}
