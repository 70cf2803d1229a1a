package export

import (
	"strconv"
	"strings"

	"github.com/sess-dev/sess/pkg/session"
)

// shortTime is how the Markdown shows a timestamp, in UTC.
const shortTime = "2006-01-02 15:04"

// SessionMarkdown returns s as a Markdown document: a "Session: <intent>"
// heading of the given level (1 is "#", 2 is "##"; it is kept within 1 to
// 5), a Field/Value table, then the sections that have content, one level
// deeper: Outcome, Parked reason, Tasks, Decisions, Commits, Files changed,
// Events, Open questions, Next steps. The document ends with a newline.
//
// Text from the session cannot change that structure: the heading and table
// cells are kept to one line, pipes in cells are escaped, code spans use a
// fence longer than any backtick run they hold, a list item's further lines
// are indented into the item, and a line that would open a heading, rule,
// code fence, HTML block or link definition has its first character escaped.
func SessionMarkdown(s *session.Session, level int) string {
	return sessionMarkdown(s, level, Extras{})
}

// SessionMarkdownWith is SessionMarkdown with what sess adds to the
// original's document.
func SessionMarkdownWith(s *session.Session, level int, ex Extras) string {
	return sessionMarkdown(s, level, ex)
}

// Extras are what sess adds to a session's document beyond the original's
// fields: its conversation's highlights (see internal/transcript), the
// text and how much of the transcript it is, and what the conversation
// cost (nil: unknown, and no line for it).
type Extras struct {
	Text    string
	Percent int
	Cost    *Cost
}

// fieldTable is the table of a session's facts.
func fieldTable(s *session.Session) []string {
	lines := []string{
		"| Field | Value |",
		"|-------|-------|",
		"| Session ID | " + cell(codeSpan(s.SessionID)) + " |",
		"| Project | " + cell(s.ProjectSlug) + " |",
		"| Status | " + cell(string(s.Status)) + " |",
		"| Branch | " + cell(codeSpan(s.GitBranch)) + " |",
	}
	if s.StartedAt != "" {
		lines = append(lines, "| Started | "+shortTimestamp(s.StartedAt)+" |")
	}
	if ended := session.Deref(s.EndedAt); ended != "" {
		lines = append(lines, "| Ended | "+shortTimestamp(ended)+" |")
	}
	if d := Duration(s.StartedAt, session.Deref(s.EndedAt)); d != "" {
		lines = append(lines, "| Duration | "+d+" |")
	}
	if ref := session.Deref(s.RoadmapRef); ref != "" {
		lines = append(lines, "| Roadmap ref | "+cell(ref)+" |")
	}
	if title := session.Deref(s.Title); title != "" {
		lines = append(lines, "| Title | "+cell(title)+" |") // sess only: Claude Code's title
	}
	if q := session.Deref(s.LastQuestion); q != "" {
		lines = append(lines, "| Open question | "+cell(q)+" |") // sess only: what the last answer asked
	}
	return lines
}

func sessionMarkdown(s *session.Session, level int, hl Extras) string {
	level = min(max(level, 1), 5)
	h := strings.Repeat("#", level)
	sub := "#" + h + " "
	lines := append([]string{h + " Session: " + headingText(s.Intent), ""}, fieldTable(s)...)
	if hl.Cost != nil {
		lines = append(lines, "| Cost | "+cell(CostLine(hl.Cost))+" |")
	}
	lines = append(lines, "")

	section := func(title string, body ...string) {
		lines = append(lines, sub+title, "")
		lines = append(lines, body...)
		lines = append(lines, "")
	}
	if outcome := session.Deref(s.Outcome); outcome != "" {
		section("Outcome", paragraph(outcome))
	}
	if reason := session.Deref(s.ParkedReason); reason != "" {
		section("Parked reason", paragraph(reason))
	}
	if len(s.Tasks) > 0 {
		sum := session.SummarizeTasks(s.Tasks)
		section("Tasks ("+strconv.Itoa(sum.Completed)+"/"+strconv.Itoa(sum.Total)+")", taskItems(s.Tasks)...)
	}
	if len(s.Decisions) > 0 {
		section("Decisions", textItems(s.Decisions)...)
	}
	if len(s.Commits) > 0 {
		items := make([]string, 0, len(s.Commits))
		for _, c := range s.Commits {
			items = append(items, listItem(codeSpan(prefix(c.SHA, 7))+" ", c.Message, ""))
		}
		section("Commits", items...)
	}
	if len(s.FilesChanged) > 0 {
		items := make([]string, 0, len(s.FilesChanged))
		for _, f := range s.FilesChanged {
			items = append(items, "- "+codeSpan(f))
		}
		section("Files changed", items...)
	}
	if len(s.Events) > 0 {
		items := make([]string, 0, len(s.Events))
		for _, e := range s.Events {
			items = append(items, listItem("**"+shortTimestamp(e.Timestamp)+"** — ", e.Message, ""))
		}
		section("Events", items...)
	}
	if len(s.OpenQuestions) > 0 {
		section("Open questions", textItems(s.OpenQuestions)...)
	}
	if hl.Text != "" {
		// The original's section, its note on how much is kept included.
		var body []string
		if hl.Percent > 0 {
			body = append(body, "_(~"+strconv.Itoa(hl.Percent)+"% van transcript)_", "")
		}
		section("Conversation Highlights", append(body, paragraph(hl.Text))...)
	}
	if len(s.NextSteps) > 0 {
		section("Next steps", textItems(s.NextSteps)...)
	}
	return strings.Join(lines, "\n")
}

// ProjectMarkdown returns the sessions of project slug as one Markdown
// document: a "Project: <slug>" heading, the session count, then each
// session as SessionMarkdown gives it at level 2, separated by rules.
func ProjectMarkdown(slug string, sessions []*session.Session) string {
	var b strings.Builder
	b.WriteString("# Project: " + headingText(slug) + "\n\n")
	b.WriteString("**Sessions:** " + strconv.Itoa(len(sessions)) + "\n\n---\n")
	for i, s := range sessions {
		b.WriteString("\n" + SessionMarkdown(s, 2))
		if i < len(sessions)-1 {
			b.WriteString("\n---\n")
		}
	}
	return b.String()
}

// RecallMarkdown returns the file sess-export --all writes for s: YAML front
// matter with schema_version 1, session_id, project_slug, started_at,
// ended_at, intent and status, then a blank line and SessionMarkdown(s, 1).
//
// Every string in the front matter is a YAML double-quoted scalar on one
// line, so it reads back as exactly the session's value whatever it holds;
// an empty or missing timestamp is null, as the original wrote it. Unlike
// the original's recall file, the body is the full session document.
func RecallMarkdown(s *session.Session, hl Extras) string {
	var b strings.Builder
	b.WriteString("---\n")
	b.WriteString("schema_version: 1\n")
	b.WriteString("session_id: " + yamlString(s.SessionID) + "\n")
	b.WriteString("project_slug: " + yamlString(s.ProjectSlug) + "\n")
	b.WriteString("started_at: " + yamlTimestamp(s.StartedAt) + "\n")
	b.WriteString("ended_at: " + yamlTimestamp(session.Deref(s.EndedAt)) + "\n")
	b.WriteString("intent: " + yamlString(s.Intent) + "\n")
	b.WriteString("status: " + yamlString(string(s.Status)) + "\n")
	b.WriteString("---\n\n")
	b.WriteString(sessionMarkdown(s, 1, hl))
	return b.String()
}

// shortTimestamp formats an ISO 8601 timestamp as "2006-01-02 15:04" in UTC,
// or "" when it is not one.
func shortTimestamp(ts string) string {
	t, err := session.ParseTime(ts)
	if err != nil {
		return ""
	}
	return t.Format(shortTime)
}

// prefix returns the first n characters of s.
func prefix(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// textItems formats texts as a bullet list, one item each.
func textItems(texts []string) []string {
	items := make([]string, len(texts))
	for i, t := range texts {
		items[i] = listItem("", t, "")
	}
	return items
}

// taskItems are the tasks as check-list items.
func taskItems(tasks []session.Task) []string {
	items := make([]string, 0, len(tasks))
	for _, t := range tasks {
		switch t.Status {
		case session.TaskCompleted:
			items = append(items, listItem("[x] ", t.Subject, ""))
		case session.TaskSkipped:
			items = append(items, listItem("[x] ~~", t.Subject, "~~ (skipped)"))
		case session.TaskInProgress:
			items = append(items, listItem("[ ] ", t.Subject, " *(in progress)*"))
		default:
			items = append(items, listItem("[ ] ", t.Subject, ""))
		}
	}
	return items
}
