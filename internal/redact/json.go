package redact

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// JSONLine redacts the text inside one line of JSON (a row of a Claude
// Code transcript) without breaking it: every string is redacted as Text
// redacts, a value together with its key (so that "password": "…" is
// found as the text it is), and only a string that changed is written
// again, JSON-escaped; every other byte is kept as it was. A line that is
// not JSON is redacted as text. It returns the line and how many
// redactions it made; line is not changed, and comes back as it was when
// nothing is found.
func JSONLine(line []byte) ([]byte, int) {
	if !json.Valid(line) {
		out, n := Text(string(line))
		if n == 0 {
			return line, 0
		}
		return []byte(out), n
	}
	var out []byte // made on the first change
	kept, total := 0, 0
	key := ""
	for i := 0; i < len(line); i++ {
		if line[i] != '"' {
			continue
		}
		end := stringEnd(line, i)
		s, ok := unquote(line[i:end])
		isKey := followedByColon(line, end)
		if ok && !isKey && len(s) >= minRedacted {
			if red, n := redactValue(key, s); n > 0 {
				if out == nil {
					out = make([]byte, 0, len(line)+64)
				}
				out = append(append(out, line[kept:i]...), quote(red)...)
				kept, total = end, total+n
			}
		}
		if isKey {
			key = s
		} else {
			key = ""
		}
		i = end - 1
	}
	if out == nil {
		return line, 0
	}
	return append(out, line[kept:]...), total
}

// minRedacted is the shortest string worth redacting: no secret or
// personal datum the rules know is shorter.
const minRedacted = 6

// redactValue redacts a string value, read after its key when it has one:
// "password" and "hunter2-like-value" are two strings of JSON, but one
// assignment to the rules. The key's part of the result is cut off again.
// When a rule took the key too, the value is redacted on its own, and
// taken out whole if it then looks clean: it was found with its key.
func redactValue(key, value string) (string, int) {
	if key == "" || len(key) > 64 {
		return Text(value)
	}
	prefix := key + ": "
	out, n := Text(prefix + value)
	if n == 0 {
		return value, 0
	}
	if len(out) >= len(prefix) && out[:len(prefix)] == prefix {
		return out[len(prefix):], n
	}
	if alone, m := Text(value); m > 0 {
		return alone, m
	}
	return "[REDACTED]", n
}

// stringEnd is the index just past the JSON string that starts at line[i]
// (a quote), or len(line) when it does not end.
func stringEnd(line []byte, i int) int {
	for j := i + 1; j < len(line); j++ {
		switch line[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(line)
}

// followedByColon reports whether the string ending before line[end] is
// an object's key.
func followedByColon(line []byte, end int) bool {
	for ; end < len(line); end++ {
		switch line[end] {
		case ' ', '\t', '\r', '\n':
			continue
		case ':':
			return true
		}
		return false
	}
	return false
}

// unquote is the text of a JSON string token.
func unquote(tok []byte) (string, bool) {
	if bytes.IndexByte(tok, '\\') < 0 && len(tok) >= 2 {
		return string(tok[1 : len(tok)-1]), true
	}
	var s string
	if err := json.Unmarshal(tok, &s); err != nil {
		return "", false
	}
	return s, true
}

// quote is s as a JSON string, with <, > and & as they are (the line is
// data, never HTML) and invalid UTF-8 as U+FFFD, as encoding/json writes it.
func quote(s string) []byte {
	if !utf8.ValidString(s) {
		s = string([]rune(s))
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}
