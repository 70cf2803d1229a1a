package export

import (
	"strconv"
	"strings"
)

// This file keeps untrusted text from changing the structure of the
// Markdown and YAML this package writes. The rules follow CommonMark 0.31
// and GitHub Flavored Markdown (tables); YAML is 1.2 double-quoted scalars.

// splitLines splits s at CommonMark line endings: "\r\n", "\r" and "\n".
func splitLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Split(s, "\n")
}

// oneLine joins the lines of s with single spaces.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(splitLines(s), " ")
}

// headingText makes s the one-line text of an ATX heading that follows
// "Session: " or "Project: ". A trailing run of "#", which CommonMark would
// take for a closing sequence and drop, is escaped.
func headingText(s string) string {
	s = oneLine(s)
	t := strings.TrimRight(s, " \t")
	j := len(t)
	for j > 0 && t[j-1] == '#' {
		j--
	}
	if j < len(t) && (j == 0 || t[j-1] == ' ' || t[j-1] == '\t') {
		return s[:j] + `\` + s[j:]
	}
	return s
}

// cell makes s the content of a GFM table cell: one line, pipes escaped.
// GFM unescapes "\|" before it parses the cell, code spans included.
func cell(s string) string {
	return strings.ReplaceAll(oneLine(s), "|", `\|`)
}

// codeSpan returns s as a one-line CommonMark code span. The fence is one
// backtick longer than the longest backtick run in s, and a space pads each
// side when s begins or ends with a backtick, or with a space at both ends
// (CommonMark strips one such pair). An empty s gives two backticks, as the
// original wrote.
func codeSpan(s string) string {
	s = oneLine(s)
	if s == "" {
		return "``"
	}
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if s[0] == '`' || s[len(s)-1] == '`' ||
		s[0] == ' ' && s[len(s)-1] == ' ' && strings.Trim(s, " ") != "" {
		s = " " + s + " "
	}
	return fence + s + fence
}

// paragraph returns text as the body of a section: its lines as they are,
// each made safe by safeLine.
func paragraph(text string) string {
	lines := splitLines(text)
	for i, l := range lines {
		lines[i] = safeLine(l)
	}
	return strings.Join(lines, "\n")
}

// listItem returns a bullet item "- " + head + text + tail, where head and
// tail are Markdown this package wrote and text is untrusted. The lines after
// the first are indented two spaces, which keeps them in the item, and every
// line of text is made safe by safeLine. With no head, the first line is
// also kept from turning "- " into a thematic break ("- --", "- - -").
func listItem(head, text, tail string) string {
	lines := splitLines(head + text + tail)
	var b strings.Builder
	b.WriteString("- ")
	if head == "" {
		first := safeLine(lines[0])
		if first == lines[0] && isThematicBreak("- "+first) {
			first = escapeFirst(first)
		}
		b.WriteString(first)
	} else {
		b.WriteString(lines[0])
	}
	for _, l := range lines[1:] {
		b.WriteByte('\n')
		if l != "" {
			b.WriteString("  " + safeLine(l))
		}
	}
	return b.String()
}

// safeLine escapes the first character of line when, at the start of a
// line, it would open a block that can reach past the text it came from: an
// ATX heading, a setext underline, a thematic break, a code fence, an HTML
// block, or a link reference definition. Lists, block quotes, tables and
// indented code stay as they are: they end at the blank line that follows
// every section. Other lines are returned unchanged.
func safeLine(line string) string {
	i := 0
	for i < len(line) && line[i] == ' ' {
		i++
	}
	if i >= 4 || i == len(line) || line[i] == '\t' {
		return line // blank, or indented code or paragraph text
	}
	r := line[i:]
	escape := false
	switch r[0] {
	case '#':
		n := 0
		for n < len(r) && r[n] == '#' {
			n++
		}
		escape = n <= 6 && (n == len(r) || r[n] == ' ' || r[n] == '\t')
	case '=':
		escape = isUnderline(r, '=')
	case '-', '*', '_':
		escape = isThematicBreak(r) || isUnderline(r, '-')
	case '`', '~':
		escape = strings.HasPrefix(r, "```") || strings.HasPrefix(r, "~~~")
	case '<':
		escape = len(r) > 1 && (isASCIILetter(r[1]) || r[1] == '/' || r[1] == '!' || r[1] == '?')
	case '[':
		escape = mayBeLinkDefinition(r)
	}
	if escape {
		return line[:i] + `\` + r
	}
	return line
}

// mayBeLinkDefinition reports whether r, a line starting with "[", may
// begin a link reference definition "[label]: destination": its first
// unescaped "]" is followed by ":", or it has none and the label may go on
// in the next line.
func mayBeLinkDefinition(r string) bool {
	for j := 1; j < len(r); j++ {
		switch r[j] {
		case '\\':
			j++
		case ']':
			return j+1 < len(r) && r[j+1] == ':'
		}
	}
	return true
}

// isThematicBreak reports whether line is a CommonMark thematic break: up to
// three spaces, then three or more of one of "-", "*", "_", with spaces or
// tabs between them and nothing else.
func isThematicBreak(line string) bool {
	t := strings.TrimLeft(line, " ")
	if len(line)-len(t) > 3 || t == "" {
		return false
	}
	c := t[0]
	if c != '-' && c != '*' && c != '_' {
		return false
	}
	n := 0
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case c:
			n++
		case ' ', '\t':
		default:
			return false
		}
	}
	return n >= 3
}

// isUnderline reports whether r, a line without its indentation, is a
// setext heading underline of c: one or more c, then only spaces or tabs.
func isUnderline(r string, c byte) bool {
	t := strings.TrimRight(r, " \t")
	return t != "" && strings.Trim(t, string(c)) == ""
}

// escapeFirst puts a backslash before the first character of line that is
// not a space.
func escapeFirst(line string) string {
	i := len(line) - len(strings.TrimLeft(line, " "))
	return line[:i] + `\` + line[i:]
}

func isASCIILetter(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// yamlTimestamp returns ts as a YAML double-quoted scalar, or null when it
// is empty.
func yamlTimestamp(ts string) string {
	if ts == "" {
		return "null"
	}
	return yamlString(ts)
}

// yamlString returns s as a one-line YAML double-quoted scalar that any YAML
// 1.1 or 1.2 parser reads back as s. It is JSON-style: backslash, quote and
// the usual control characters get their short escapes; other C0 and C1
// controls, DEL, the Unicode line and paragraph separators, the byte order
// mark and the noncharacters U+FFFE and U+FFFF are written as \uXXXX. Bytes
// that are not UTF-8 become U+FFFD.
func yamlString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case '"':
			b.WriteString(`\"`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 || 0x7f <= r && r <= 0x9f ||
				r == 0x2028 || r == 0x2029 || r == 0xfeff || r == 0xfffe || r == 0xffff {
				b.WriteString(`\u`)
				h := strconv.FormatInt(int64(r), 16)
				b.WriteString(strings.Repeat("0", 4-len(h)) + h)
			} else {
				b.WriteRune(r) // utf8.RuneError for a bad byte
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
