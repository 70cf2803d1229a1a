package journal

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sess-dev/sess/pkg/session"
)

// What the journal keeps of a conversation's words: a line of the prompt,
// a sentence of the answer, the question it ends with; cleaned of control
// characters and cut to the store's limits.

// MaxActivityFromHook bounds the current activity taken from an answer.
const MaxActivityFromHook = 200

// IntentOf is the intent a prompt gives: its first line that has words,
// cut to the intent limit.
func IntentOf(prompt string) string { return firstLine(prompt, session.MaxIntent) }

// ActivityOf is the current activity an answer gives: its first sentence,
// at most MaxActivityFromHook characters; "" when it has no words.
func ActivityOf(answer string) string { return firstSentence(answer, MaxActivityFromHook) }

// MaxQuestion bounds the question kept from the end of an answer.
const MaxQuestion = 300

// QuestionOf is the question an answer ends with, left open for the user:
// its last sentence when that ends with "?" (past closing quotes, brackets
// and emphasis), cut to MaxQuestion characters; "" when it asks nothing.
func QuestionOf(answer string) string {
	text := strings.TrimRightFunc(answer, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("*_`\"')]»”’", r)
	})
	if !strings.HasSuffix(text, "?") {
		return ""
	}
	start := 0
	for i := len(text) - 2; i >= 0; i-- {
		if c := text[i]; c == '\n' || ((c == '.' || c == '!' || c == '?' || c == ':') && i+1 < len(text) && text[i+1] == ' ') {
			start = i + 1
			break
		}
	}
	q := withoutMarker(clean(text[start:]))
	if utf8.RuneCountInString(q) > MaxQuestion {
		r := []rune(q)
		q = "…" + strings.TrimSpace(string(r[len(r)-MaxQuestion+1:]))
	}
	return q
}

// withoutMarker is a line without the list or quote marker it starts with
// ("- ", "* ", "• ", "> ", "## ", "3. ", "2) ").
func withoutMarker(line string) string {
	for {
		rest := strings.TrimLeft(line, "-*•>#")
		if rest == line {
			i := 0
			for i < len(line) && line[i] >= '0' && line[i] <= '9' {
				i++
			}
			if i > 0 && i < len(line)-1 && (line[i] == '.' || line[i] == ')') && line[i+1] == ' ' {
				rest = line[i+1:]
			}
		}
		rest = strings.TrimSpace(rest)
		if rest == line {
			return line
		}
		line = rest
	}
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
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
