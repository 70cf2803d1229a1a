package store

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sess-dev/sess/pkg/session"
)

// What Claude Code's hooks tell of a conversation, recorded in its own
// session (found by the conversation's id, never another's).

// MaxActivityFromHook bounds the current activity taken from an answer.
const MaxActivityFromHook = 200

// PromptSubmitted records a prompt of the user: the first one becomes the
// intent while the intent is still the launch placeholder (its first line,
// cut to the intent limit); the session no longer waits for the user.
func (s *Store) PromptSubmitted(id, prompt string) (*session.Session, error) {
	intent := firstLine(prompt, session.MaxIntent)
	return s.update(id, false, func(sess *session.Session, now string) error {
		if intent != "" && IsLaunchIntent(sess.Intent) {
			sess.Intent = intent
		}
		sess.AwaitingAction = nil
		sess.LastHeartbeat = now
		return nil
	})
}

// TurnEnded records the end of a turn: the current activity from the last
// answer (its first sentence, at most MaxActivityFromHook characters) and
// the heartbeat; the session no longer waits for the user.
func (s *Store) TurnEnded(id, answer string) (*session.Session, error) {
	activity := firstSentence(answer, MaxActivityFromHook)
	return s.update(id, false, func(sess *session.Session, now string) error {
		if activity != "" {
			sess.CurrentActivity = &activity
		}
		sess.AwaitingAction = nil
		sess.LastHeartbeat = now
		return nil
	})
}

// firstLine is the first line of text that has any, cleaned of control
// characters and cut to max characters.
func firstLine(text string, max int) string {
	for _, l := range strings.Split(text, "\n") {
		if l = clean(l); l != "" {
			return cut(l, max)
		}
	}
	return ""
}

// firstSentence is the first sentence of text (up to ". ", "! ", "? " or
// the end of its first line with words), cut to max characters.
func firstSentence(text string, max int) string {
	l := firstLine(text, len(text))
	for i, r := range l {
		if (r == '.' || r == '!' || r == '?') && i+1 < len(l) && l[i+1] == ' ' {
			l = l[:i+1]
			break
		}
	}
	return cut(l, max)
}

// clean turns control characters into spaces and trims.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return ' '
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// cut keeps the first max characters of s, ending with "…" when it cuts.
func cut(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:max-1])) + "…"
}

// FileChanged records a file the conversation changed, once, as the
// journal's hooks see an edit; past session.MaxFilesChanged it is left out.
func (s *Store) FileChanged(id, path string) (*session.Session, error) {
	path, err := session.CleanText("file", path, session.MaxFilePath, session.Line)
	if err != nil {
		return nil, err
	}
	return s.update(id, false, func(sess *session.Session, now string) error {
		if contains(sess.FilesChanged, path) || len(sess.FilesChanged) >= session.MaxFilesChanged {
			return errUnchanged
		}
		sess.FilesChanged = append(sess.FilesChanged, path)
		sess.LastHeartbeat = now
		return nil
	})
}
