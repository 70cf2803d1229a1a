package export_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/sess-dev/sess/pkg/export"
	"github.com/sess-dev/sess/pkg/session"
)

// breakers match, in CommonMark 0.31, a line that would open a block able to
// reach past the text it came from: a heading, a setext underline, a
// thematic break, a code fence, an HTML block that ends only at its closing
// marker, or a link reference definition. They are written independently of
// the package's own checks.
var breakers = []*regexp.Regexp{
	regexp.MustCompile(`^ {0,3}#{1,6}(?:[ \t]|$)`),
	regexp.MustCompile(`^ {0,3}(?:=+|-+)[ \t]*$`),
	thematicBreak,
	regexp.MustCompile("^ {0,3}(?:`{3,}[^`]*|~{3,}.*)$"),
	regexp.MustCompile(`^ {0,3}(?:<!--|<\?|<![A-Za-z]|<!\[CDATA\[|<(?i:script|pre|style|textarea)(?:[ \t>]|$))`),
	regexp.MustCompile(`^ {0,3}\[(?:[^\]\\]|\\.)*(?:\]:|\\?$)`),
}

var thematicBreak = regexp.MustCompile(`^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$`)

func breaks(line string) bool {
	for _, re := range breakers {
		if re.MatchString(line) {
			return true
		}
	}
	return false
}

// checkStructure checks that md, SessionMarkdown of s at level 1, has the
// layout's title, table rows and section headings and nothing else that
// could act as structure.
func checkStructure(t *testing.T, s *session.Session, md string) {
	t.Helper()
	if strings.Contains(md, "\r") {
		t.Fatalf("carriage return in output:\n%s", md)
	}
	lines := strings.Split(md, "\n")
	if lines[len(lines)-1] != "" {
		t.Fatalf("output does not end with a newline:\n%s", md)
	}
	if !strings.HasPrefix(lines[0], "# Session: ") || regexp.MustCompile(`[ \t]#+[ \t]*$`).MatchString(lines[0]) {
		t.Fatalf("bad title %q", lines[0])
	}
	rows := 6 // header, delimiter, Session ID, Project, Status, Branch
	for _, set := range []bool{s.StartedAt != "", session.Deref(s.EndedAt) != "",
		export.Duration(s.StartedAt, session.Deref(s.EndedAt)) != "", session.Deref(s.RoadmapRef) != "", session.Deref(s.Title) != "", session.Deref(s.LastQuestion) != ""} {
		if set {
			rows++
		}
	}
	if lines[1] != "" || lines[2+rows] != "" {
		t.Fatalf("table is not %d rows between blank lines:\n%s", rows, md)
	}
	if lines[2] != "| Field | Value |" || lines[3] != "|-------|-------|" {
		t.Fatalf("bad table head:\n%s", md)
	}
	for _, row := range lines[4 : 2+rows] {
		if !strings.HasPrefix(row, "| ") || !strings.HasSuffix(row, " |") ||
			strings.Count(strings.ReplaceAll(row, `\|`, ""), "|") != 3 {
			t.Fatalf("bad table row %q", row)
		}
	}

	type section struct {
		title string
		list  bool
	}
	var want []section
	if session.Deref(s.Outcome) != "" {
		want = append(want, section{"## Outcome", false})
	}
	if session.Deref(s.ParkedReason) != "" {
		want = append(want, section{"## Parked reason", false})
	}
	if len(s.Tasks) > 0 {
		sum := session.SummarizeTasks(s.Tasks)
		want = append(want, section{"## Tasks (" + itoa(sum.Completed) + "/" + itoa(sum.Total) + ")", true})
	}
	for _, sec := range []struct {
		title string
		n     int
	}{
		{"## Decisions", len(s.Decisions)}, {"## Commits", len(s.Commits)},
		{"## Files changed", len(s.FilesChanged)}, {"## Events", len(s.Events)},
		{"## Open questions", len(s.OpenQuestions)}, {"## Next steps", len(s.NextSteps)},
	} {
		if sec.n > 0 {
			want = append(want, section{sec.title, true})
		}
	}

	i := 3 + rows
	for k, sec := range want {
		if i+1 >= len(lines) || lines[i] != sec.title || lines[i+1] != "" {
			t.Fatalf("line %d: want heading %q, have %q\n%s", i+1, sec.title, lines[min(i, len(lines)-1)], md)
		}
		items := 0
		for i += 2; i < len(lines)-1; i++ {
			l := lines[i]
			if k+1 < len(want) && l == want[k+1].title && lines[i-1] == "" {
				break
			}
			if l == "" {
				continue
			}
			if !sec.list {
				if breaks(l) {
					t.Fatalf("line %d in %q opens a block: %q\n%s", i+1, sec.title, l, md)
				}
				continue
			}
			// A list item; "- " alone is an empty item, not an underline.
			if strings.HasPrefix(l, "- ") {
				items++
				if thematicBreak.MatchString(l) {
					t.Fatalf("line %d in %q is a thematic break: %q\n%s", i+1, sec.title, l, md)
				}
			} else if !strings.HasPrefix(l, "  ") {
				t.Fatalf("line %d in %q is outside the list: %q\n%s", i+1, sec.title, l, md)
			} else if breaks(l) {
				t.Fatalf("line %d in %q opens a block: %q\n%s", i+1, sec.title, l, md)
			}
			if breaks(l[2:]) {
				t.Fatalf("line %d in %q opens a block in its item: %q\n%s", i+1, sec.title, l, md)
			}
		}
		if want := 1; sec.list && items < want {
			t.Fatalf("section %q has no items\n%s", sec.title, md)
		}
	}
	if len(want) == 0 {
		i-- // the table's blank line is the final newline
	}
	if i != len(lines)-1 {
		t.Fatalf("unexpected text after the last section at line %d: %q\n%s", i+1, lines[i], md)
	}
}

// sessionWithText returns a session whose every text field is text.
func sessionWithText(text string) *session.Session {
	s := richSession()
	s.SessionID = text
	s.ProjectSlug = text
	s.Status = session.Status(text)
	s.Intent = text
	s.RoadmapRef = &text
	s.Title = &text
	s.LastQuestion = &text
	s.Outcome = &text
	s.ParkedReason = &text
	s.GitBranch = text
	s.FilesChanged = []string{text, text}
	s.Commits = []session.Commit{{SHA: text, Message: text}, {SHA: "abcdef0123", Message: text}}
	s.Decisions = []string{text, "plain " + text, text}
	s.OpenQuestions = []string{text}
	s.NextSteps = []string{text, text}
	for i := range s.Events {
		s.Events[i].Message = text
	}
	for i := range s.Tasks {
		s.Tasks[i].Subject = text
	}
	return s
}

var markdownTexts = []string{
	"# heading", "## Decisions", "\n\n## Decisions\n\nx", "  # indented", "   ###### six",
	"-", "--", "---", "- - -", " - - -", "***", "* * *", "___", "=", "===", "text\n---", "text\n===",
	"```", "```go", "~~~", "```\ncode\n```", "<!--", "<!-- x -->", "<div>", "<script>", "<?x", "<!DOCTYPE",
	"[a]: /url", "[a\n]: /url", `[a\]b]: /u`, "`", "``", "` `", " ` ", "a|b", "|", "| a |\n|---|",
	"\n", "\n\n", "\r", "\r\n", "a\rb", "\t# tab", "x\n\t# tab", "#", "# #", "a #", "a ##  ",
	"- [ ] fake task", "1. one\n2. two", "> quote\n> more", "    indented code",
}

func TestSessionMarkdownStructure(t *testing.T) {
	t.Parallel()
	for _, text := range append(append([]string{}, trickyTexts...), markdownTexts...) {
		s := sessionWithText(text)
		checkStructure(t, s, export.SessionMarkdown(s, 1))
	}
	for _, s := range []*session.Session{richSession(), bareSession(), parkedSession()} {
		checkStructure(t, s, export.SessionMarkdown(s, 1))
	}
}

func TestSessionMarkdownLevel(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		level          int
		title, outcome string
	}{
		{0, "# Session: ", "## Outcome"},
		{1, "# Session: ", "## Outcome"},
		{2, "## Session: ", "### Outcome"},
		{5, "##### Session: ", "###### Outcome"},
		{9, "##### Session: ", "###### Outcome"},
	} {
		md := export.SessionMarkdown(richSession(), tc.level)
		if !strings.HasPrefix(md, tc.title) || !strings.Contains(md, "\n"+tc.outcome+"\n") {
			t.Errorf("level %d: want %q and %q, have\n%s", tc.level, tc.title, tc.outcome, md)
		}
	}
}

func FuzzSessionMarkdown(f *testing.F) {
	for _, s := range markdownTexts {
		f.Add(s)
	}
	for _, s := range trickyTexts {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s := sessionWithText(text)
		checkStructure(t, s, export.SessionMarkdown(s, 1))
	})
}
