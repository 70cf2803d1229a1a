package conversation

import (
	"slices"
	"strings"
	"time"

	"github.com/sess-dev/sess/internal/redact"
	"github.com/sess-dev/sess/pkg/export"
	"github.com/sess-dev/sess/pkg/session"
)

// A timed mark is a mark of the journal with the time it happened; one
// with no time (a decision, a commit recorded by a command) is placed by
// what a tool call holds, else on the last entry.
type timedMark struct {
	export.Mark
	time time.Time
	find string // text a tool call's input or result holds where it happened
}

// marksOf lists the journal's marks of sess: its tasks (added and
// updated), commits, decisions and events, in time order.
func marksOf(sess *session.Session) []timedMark {
	var ms []timedMark
	add := func(kind, text, at, ref, find string) {
		m := timedMark{Mark: export.Mark{Kind: kind, Text: text, Ref: ref}, find: find}
		if t, err := session.ParseTime(at); err == nil {
			m.time, m.At = t, session.FormatTime(t)
		}
		ms = append(ms, m)
	}
	for _, t := range sess.Tasks {
		add(export.MarkTask, "added: "+t.Subject, t.AddedAt, t.ID, "")
		if t.UpdatedAt != "" && t.UpdatedAt != t.AddedAt {
			add(export.MarkTask, string(t.Status)+": "+t.Subject, t.UpdatedAt, t.ID, "")
		}
	}
	for _, c := range sess.Commits {
		find := ""
		if len(c.SHA) >= 7 {
			find = c.SHA[:7]
		}
		add(export.MarkCommit, c.Message, session.Deref(c.Timestamp), c.SHA, find)
	}
	for _, d := range sess.Decisions {
		add(export.MarkDecision, d, "", "", prefixRunes(d, 40))
	}
	for _, e := range sess.Events {
		add(export.MarkEvent, e.Message, e.Timestamp, "", "")
	}
	slices.SortStableFunc(ms, func(a, b timedMark) int { return a.time.Compare(b.time) })
	for i := range ms {
		ms[i].Text, _ = redact.Text(ms[i].Text)
	}
	return ms
}

func prefixRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// placer puts marks on entries as they stream by. A tool call takes the
// marks whose text its input or result holds (a commit's SHA, the command
// that recorded a decision); then, once the entry after it is known, an
// entry takes the dated marks from before that one's time. The first entry
// takes the ones before it too, the last every mark left.
type placer struct {
	pending []timedMark // in time order, undated ones last
}

func newPlacer(ms []timedMark) *placer {
	p := &placer{}
	for _, m := range ms {
		if !m.time.IsZero() {
			p.pending = append(p.pending, m)
		}
	}
	for _, m := range ms {
		if m.time.IsZero() {
			p.pending = append(p.pending, m)
		}
	}
	return p
}

// place gives e its marks; next is the entry after it, nil at the end.
func (p *placer) place(e, next *entry) {
	if e.Kind == export.EntryTool {
		p.pending = slices.DeleteFunc(p.pending, func(m timedMark) bool {
			if m.find != "" && (strings.Contains(e.input, m.find) || strings.Contains(e.result, m.find)) {
				e.Marks = append(e.Marks, m.Mark)
				return true
			}
			return false
		})
	}
	if next == nil {
		for _, m := range p.pending {
			e.Marks = append(e.Marks, m.Mark)
		}
		p.pending = nil
		return
	}
	if next.Time.IsZero() {
		return // the marks wait for an entry with a time
	}
	n := 0
	for n < len(p.pending) && !p.pending[n].time.IsZero() && p.pending[n].time.Before(next.Time) {
		n++
	}
	for _, m := range p.pending[:n] {
		e.Marks = append(e.Marks, m.Mark)
	}
	p.pending = p.pending[n:]
}
