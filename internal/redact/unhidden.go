package redact

import (
	"strings"
	"unicode/utf8"
)

// unhidden is s with what hides a key from the rules taken away, and
// whether there was any: a JSON escape of a letter, digit, - or _
// (\u0041KIA…; JSON never needs one, so only a writer that hides
// something writes it), and an invisible character (a zero-width space,
// joiner or non-joiner, a word joiner, a BOM, a soft hyphen) between two
// such characters, where it splits a key and nothing else has use for it
// (an emoji's joiner sits between two emoji, and stays).
func unhidden(s string) (string, bool) {
	if !strings.Contains(s, `\u`) && !strings.ContainsAny(s, invisible) {
		return s, false
	}
	var b strings.Builder
	b.Grow(len(s))
	changed := false
	for i := 0; i < len(s); {
		if c, ok := escapedWordByte(s[i:]); ok {
			b.WriteByte(c)
			i += 6
			changed = true
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if strings.ContainsRune(invisible, r) && r != utf8.RuneError {
			prev := b.String()
			if prev != "" && wordByte(prev[len(prev)-1]) && wordAfter(s[i+size:]) {
				i += size
				changed = true
				continue
			}
		}
		b.WriteString(s[i : i+size])
		i += size
	}
	if !changed {
		return s, false
	}
	return b.String(), true
}

// invisible are the characters that show as nothing.
const invisible = "\u200b\u200c\u200d\u2060\ufeff\u00ad"

// escapedWordByte is the character a JSON escape at the start of s stands
// for, when it is one a key is made of.
func escapedWordByte(s string) (byte, bool) {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' || s[2] != '0' || s[3] != '0' {
		return 0, false
	}
	hi, ok1 := hexDigit(s[4])
	lo, ok2 := hexDigit(s[5])
	if c := hi<<4 | lo; ok1 && ok2 && wordByte(c) {
		return c, true
	}
	return 0, false
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// wordByte: a character keys are made of.
func wordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_'
}

// wordAfter: s begins, past more invisible characters, with a character
// keys are made of (or its JSON escape).
func wordAfter(s string) bool {
	for s != "" {
		if _, ok := escapedWordByte(s); ok {
			return true
		}
		r, size := utf8.DecodeRuneInString(s)
		if r == utf8.RuneError || !strings.ContainsRune(invisible, r) {
			return wordByte(s[0])
		}
		s = s[size:]
	}
	return false
}
