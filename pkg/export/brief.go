package export

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sess-dev/sess/pkg/session"
)

// The resume brief: what a conversation that carries a thread on needs to
// know, as plain text for the model's context (Claude Code's SessionStart
// additionalContext) and for people (sess-manage brief). Sections come in a
// fixed order and only when they have something; the whole stays within a
// length bound, cut at a line.

// detail is how much of each section a brief shows: the first level that
// fits the bound is used, so that a long section shrinks before a later one
// is lost; past the last, whole lines go from the end.
type detail struct{ line, events, commits, tasks, decisions, list, files int }

var levels = []detail{
	{line: 300, events: 5, commits: 5, tasks: 10, decisions: 8, list: 10, files: 10},
	{line: 200, events: 3, commits: 3, tasks: 6, decisions: 5, list: 6, files: 6},
	{line: 120, events: 2, commits: 2, tasks: 4, decisions: 3, list: 4, files: 4},
}

// IsPlaceholderIntent reports whether an intent is a launch placeholder
// (no intent yet); the store knows them.
type IsPlaceholderIntent func(string) bool

// Brief is the brief of a thread (its sessions oldest first; the last is
// the one being resumed or begun), at most max characters; "" when there
// is nothing to say.
func Brief(thread []*session.Session, max int, placeholder IsPlaceholderIntent) string {
	if len(thread) == 0 {
		return ""
	}
	id := thread[len(thread)-1].SessionID
	for i, d := range levels {
		b := build(thread, d, placeholder)
		switch {
		case b.empty():
			return ""
		case i == 0 && b.fits(max):
			return b.text()
		case b.fits(max - utf8.RuneCountInString(moreLine(id)) - 1):
			return b.text() + "\n" + moreLine(id) // shortened: say where the rest is
		}
	}
	return build(thread, levels[len(levels)-1], placeholder).cut(max, id)
}

// moreLine ends a brief that was shortened.
func moreLine(id string) string {
	return fmt.Sprintf("… (shortened; 'sess-manage brief %s --all' shows all)", id)
}

// build lays out a brief in the order a conversation that picks the work
// up reads it: what the work is (intent, thread, outcome), where it stopped
// (the last answer and the question it left open), what is left (open
// tasks, decisions, next steps, open questions), what was touched (files,
// events and commits in time order), and what it waits for.
func build(thread []*session.Session, d detail, placeholder IsPlaceholderIntent) *briefBuilder {
	b := &briefBuilder{max: d.line}
	current := thread[len(thread)-1]
	for i := len(thread) - 1; i >= 0; i-- {
		if in := thread[i].Intent; in != "" && !placeholder(in) {
			b.line("Intent: " + in)
			break
		}
	}
	if len(thread) > 1 {
		ids := make([]string, len(thread)-1)
		for i, s := range thread[:len(thread)-1] {
			ids[i] = s.SessionID
		}
		b.line(fmt.Sprintf("Continues: %s (%d earlier sessions; started %s)", strings.Join(ids, " → "), len(ids), shortTimestamp(thread[0].StartedAt)))
	}
	for i := len(thread) - 1; i >= 0; i-- {
		if o := session.Deref(thread[i].Outcome); o != "" && !strings.HasPrefix(o, "Continued in ") && !strings.HasPrefix(o, "Resumed as ") {
			b.line("Outcome so far: " + o)
			break
		}
	}
	for i := len(thread) - 1; i >= 0; i-- {
		if a := session.Deref(thread[i].CurrentActivity); a != "" {
			b.line("Last answer: " + a)
			if q := session.Deref(thread[i].LastQuestion); q != "" {
				b.line("Open question (the last answer asked, not answered yet): " + q)
			}
			break
		}
	}
	b.section("Open tasks", openTasks(thread, d.tasks))
	b.section("Decisions", lastN(collect(thread, func(s *session.Session) []string { return s.Decisions }), d.decisions))
	for i := len(thread) - 1; i >= 0; i-- {
		if len(thread[i].NextSteps) > 0 {
			b.section("Next steps", firstN(thread[i].NextSteps, d.list))
			break
		}
	}
	b.section("Open questions", firstN(collect(thread, func(s *session.Session) []string { return s.OpenQuestions }), d.list))
	b.section("Files touched lately", lastN(collectBack(thread, func(s *session.Session) []string { return s.FilesChanged }), d.files))
	b.section("Done lately", doneLately(thread, d))
	if st := session.Deref(current.State); st == session.StateFailed || st == session.StateRateLimited {
		b.line("Last turn failed: " + orDash(session.Deref(current.StateReason)) + " (" + shortTimestamp(session.Deref(current.StateSince)) + ")")
	}
	if w := session.Deref(current.AwaitingAction); w != "" {
		b.line("Waiting for: " + w)
	}
	return b
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// doneLately is the thread's latest events and commits together, oldest
// first. The ends of its conversations and its failed turns are not work
// done. A commit without a time (a command recorded it) counts as made at
// its session's last heartbeat.
func doneLately(thread []*session.Session, d detail) []string {
	type item struct {
		at   time.Time
		text string
	}
	var events, commits []item
	for _, s := range thread {
		for _, e := range s.Events {
			if strings.HasPrefix(e.Message, "Conversation ended (") || strings.HasPrefix(e.Message, "Turn failed: ") {
				continue
			}
			at, _ := session.ParseTime(e.Timestamp)
			events = append(events, item{at, shortTimestamp(e.Timestamp) + " " + e.Message})
		}
		for _, c := range s.Commits {
			ts := session.Deref(c.Timestamp)
			if ts == "" {
				ts = s.LastHeartbeat
			}
			at, _ := session.ParseTime(ts)
			commits = append(commits, item{at, shortTimestamp(ts) + " commit " + shortSHA(c.SHA) + " " + c.Message})
		}
	}
	all := append(lastN(events, d.events), lastN(commits, d.commits)...)
	slices.SortStableFunc(all, func(a, b item) int { return a.at.Compare(b.at) })
	out := make([]string, len(all))
	for i, it := range all {
		out[i] = strings.TrimSpace(it.text)
	}
	return out
}

// openTasks are the thread's pending and in-progress tasks, once each by
// subject (the newest session's state wins).
func openTasks(thread []*session.Session, max int) []string {
	status := map[string]session.TaskStatus{}
	var order []string
	for _, s := range thread {
		for _, t := range s.Tasks {
			if _, ok := status[t.Subject]; !ok {
				order = append(order, t.Subject)
			}
			status[t.Subject] = t.Status
		}
	}
	var out []string
	for _, subj := range order {
		if st := status[subj]; st == session.TaskPending || st == session.TaskInProgress {
			out = append(out, "["+string(st)+"] "+subj)
		}
	}
	if len(out) > max {
		out = append(out[:max], fmt.Sprintf("… and %d more", len(out)-max))
	}
	return out
}

// collectBack is a list field over the thread, once each where it came
// last, in order: files touched again lately come last.
func collectBack(thread []*session.Session, field func(*session.Session) []string) []string {
	var out []string
	for _, s := range thread {
		for _, v := range field(s) {
			if i := slices.Index(out, v); i >= 0 {
				out = slices.Delete(out, i, i+1)
			}
			out = append(out, v)
		}
	}
	return out
}

// collect is a list field over the thread, once each, in order.
func collect(thread []*session.Session, field func(*session.Session) []string) []string {
	var out []string
	for _, s := range thread {
		for _, v := range field(s) {
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
	}
	return out
}

func firstN(list []string, n int) []string {
	if len(list) > n {
		return append(list[:n:n], fmt.Sprintf("… and %d more", len(list)-n))
	}
	return list
}

func lastN[T any](list []T, n int) []T {
	if len(list) > n {
		return list[len(list)-n:]
	}
	return list
}

func shortSHA(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}

// briefBuilder collects a brief's lines, each at most max characters.
type briefBuilder struct {
	lines []string
	max   int
}

func (b *briefBuilder) fits(max int) bool {
	n := -1
	for _, l := range b.lines {
		n += utf8.RuneCountInString(l) + 1
	}
	return n <= max
}

func (b *briefBuilder) empty() bool { return len(b.lines) == 0 }

// line adds a line, one line of text at most briefLine characters long.
func (b *briefBuilder) line(s string) {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > b.max {
		s = string(r[:b.max-1]) + "…"
	}
	b.lines = append(b.lines, s)
}

func (b *briefBuilder) section(title string, items []string) {
	if len(items) == 0 {
		return
	}
	b.line(title + ":")
	for _, it := range items {
		b.line("- " + it)
	}
}

// cut joins the lines, dropping whole lines from the end to stay within
// max characters, with a last line that says where the rest is.
func (b *briefBuilder) text() string { return strings.Join(b.lines, "\n") }

func (b *briefBuilder) cut(max int, id string) string {
	more := moreLine(id)
	budget := max - len([]rune(more)) - 1
	var kept []string
	n := 0
	for _, l := range b.lines {
		if n+len([]rune(l))+1 > budget {
			break
		}
		kept = append(kept, l)
		n += len([]rune(l)) + 1
	}
	for len(kept) > 0 && strings.HasSuffix(kept[len(kept)-1], ":") {
		kept = kept[:len(kept)-1] // a section's title without its items
	}
	return strings.Join(append(kept, more), "\n")
}

// maxTitle bounds the title a thread gives Claude Code's picker.
const maxTitle = 80

// ThreadTitle is the thread's title for Claude Code's picker: the newest
// title Claude Code or the user gave a conversation of it, else its intent,
// cut to maxTitle characters; "" when it has neither.
func ThreadTitle(thread []*session.Session, placeholder IsPlaceholderIntent) string {
	title := ""
	for i := len(thread) - 1; i >= 0 && title == ""; i-- {
		title = session.Deref(thread[i].Title)
	}
	for i := len(thread) - 1; i >= 0 && title == ""; i-- {
		if in := thread[i].Intent; !placeholder(in) {
			title = in
		}
	}
	title = strings.Join(strings.Fields(title), " ")
	if r := []rune(title); len(r) > maxTitle {
		title = strings.TrimSpace(string(r[:maxTitle-1])) + "…"
	}
	return title
}
