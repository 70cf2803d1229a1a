package store

import (
	"strconv"
	"unicode/utf8"

	"github.com/sess-dev/sess/pkg/session"
)

// jsonWriter writes the store's records exactly as encoding/json's Encoder
// with SetIndent("", "  ") and SetEscapeHTML(false) writes them, byte for
// byte (a fuzz test holds it to that), without reflection or a second pass
// for the indent: session files, listings and the overview are most of what
// the tools write, and encoding/json spent as long on them as on everything
// else together.
type jsonWriter struct {
	b      []byte
	counts []int // members written so far, per open object or list
}

func (w *jsonWriter) newline() {
	w.b = append(w.b, '\n')
	n := 2 * len(w.counts)
	for n > len(indentSpaces) {
		w.b = append(w.b, indentSpaces...)
		n -= len(indentSpaces)
	}
	w.b = append(w.b, indentSpaces[:n]...)
}

const indentSpaces = "                                " // 32

// item starts the next member or element of the innermost container.
func (w *jsonWriter) item() {
	if n := len(w.counts); n > 0 {
		if w.counts[n-1] > 0 {
			w.b = append(w.b, ',')
		}
		w.counts[n-1]++
		w.newline()
	}
}

func (w *jsonWriter) open(c byte) {
	w.b = append(w.b, c)
	w.counts = append(w.counts, 0)
}

func (w *jsonWriter) close(c byte) {
	n := w.counts[len(w.counts)-1]
	w.counts = w.counts[:len(w.counts)-1]
	if n > 0 {
		w.newline()
	}
	w.b = append(w.b, c)
}

func (w *jsonWriter) key(k string) {
	w.item()
	w.b = appendJSONString(w.b, k)
	w.b = append(w.b, ':', ' ')
}

func (w *jsonWriter) str(k, v string) {
	w.key(k)
	w.b = appendJSONString(w.b, v)
}

func (w *jsonWriter) optStr(k string, v *string) {
	w.key(k)
	if v == nil {
		w.b = append(w.b, "null"...)
		return
	}
	w.b = appendJSONString(w.b, *v)
}

func (w *jsonWriter) int(k string, v int) {
	w.key(k)
	w.b = strconv.AppendInt(w.b, int64(v), 10)
}

func (w *jsonWriter) bool(k string, v bool) {
	w.key(k)
	w.b = strconv.AppendBool(w.b, v)
}

// strs writes a list of strings; nil is null, as encoding/json writes it.
func (w *jsonWriter) strs(k string, list []string) {
	w.key(k)
	if list == nil {
		w.b = append(w.b, "null"...)
		return
	}
	w.open('[')
	for _, s := range list {
		w.item()
		w.b = appendJSONString(w.b, s)
	}
	w.close(']')
}

func (w *jsonWriter) overviewSession(s *OverviewSession) {
	w.str("session_id", s.SessionID)
	w.str("intent", s.Intent)
	w.str("started_at", s.StartedAt)
	w.optStr("roadmap_ref", s.RoadmapRef)
	eventRecord.writeList(w, "events", s.Events)
	w.str("git_branch", s.GitBranch)
	w.optStr("worktree_root", s.WorktreeRoot)
	w.strs("files_changed", s.FilesChanged)
	w.strs("decisions", s.Decisions)
	w.strs("open_questions", s.OpenQuestions)
	commitRecord.writeList(w, "commits", s.Commits)
	w.strs("next_steps", s.NextSteps)
	w.int("event_count", s.EventCount)
	taskRecord.writeList(w, "tasks", s.Tasks)
	w.key("task_summary")
	w.open('{')
	w.int("total", s.TaskSummary.Total)
	w.int("completed", s.TaskSummary.Completed)
	w.int("in_progress", s.TaskSummary.InProgress)
	w.int("pending", s.TaskSummary.Pending)
	w.int("skipped", s.TaskSummary.Skipped)
	w.close('}')
}

func (w *jsonWriter) overview(ov *Overview) {
	w.open('{')
	w.str("timestamp", ov.Timestamp)
	w.key("projects")
	if ov.Projects == nil {
		w.b = append(w.b, "null"...)
	} else {
		w.open('[')
		for i := range ov.Projects {
			w.item()
			w.overviewProject(&ov.Projects[i])
		}
		w.close(']')
	}
	w.key("settings")
	w.open('{')
	st := ov.Settings
	w.int("dashboard_port", st.DashboardPort)
	w.int("stale_threshold_hours", st.StaleThresholdHours)
	w.int("archive_after_days", st.ArchiveAfterDays)
	w.bool("notifications_enabled", st.NotificationsEnabled)
	w.int("parked_notify_hours", st.ParkedNotifyHours)
	w.int("notify_cooldown_hours", st.NotifyCooldownHours)
	w.close('}')
	w.close('}')
}

func (w *jsonWriter) overviewProject(p *OverviewProject) {
	w.open('{')
	w.str("slug", p.Slug)
	w.str("name", p.Name)
	w.str("path", p.Path)
	w.str("current_phase", p.CurrentPhase)
	w.key("active_sessions")
	w.list(len(p.ActiveSessions), p.ActiveSessions == nil, func(i int) {
		s := &p.ActiveSessions[i]
		w.overviewSession(&s.OverviewSession)
		w.str("last_heartbeat", s.LastHeartbeat)
		w.bool("is_stale", s.IsStale)
		w.optStr("current_activity", s.CurrentActivity)
		w.optStr("awaiting_action", s.AwaitingAction)
	})
	w.key("parked_sessions")
	w.list(len(p.ParkedSessions), p.ParkedSessions == nil, func(i int) {
		s := &p.ParkedSessions[i]
		w.overviewSession(&s.OverviewSession)
		w.optStr("parked_reason", s.ParkedReason)
		w.optStr("current_activity", s.CurrentActivity)
		w.optStr("awaiting_action", s.AwaitingAction)
		w.optStr("ended_at", s.EndedAt)
	})
	w.key("completed_sessions")
	w.list(len(p.CompletedSessions), p.CompletedSessions == nil, func(i int) {
		s := &p.CompletedSessions[i]
		w.overviewSession(&s.OverviewSession)
		w.optStr("outcome", s.Outcome)
		w.optStr("ended_at", s.EndedAt)
		w.str("last_heartbeat", s.LastHeartbeat)
	})
	w.key("roadmap_summary")
	w.open('{')
	w.int("completed_count", p.RoadmapSummary.CompletedCount)
	w.int("in_progress_count", p.RoadmapSummary.InProgressCount)
	w.strs("in_progress", p.RoadmapSummary.InProgress)
	w.close('}')
	w.int("active_count", p.ActiveCount)
	w.int("parked_count", p.ParkedCount)
	w.strs("next_steps", p.NextSteps)
	w.str("last_activity", p.LastActivity)
	w.int("total_sessions", p.TotalSessions)
	w.close('}')
}

// list writes a list of n objects whose members obj writes.
func (w *jsonWriter) list(n int, isNil bool, obj func(i int)) {
	if isNil {
		w.b = append(w.b, "null"...)
		return
	}
	w.open('[')
	for i := 0; i < n; i++ {
		w.item()
		w.open('{')
		obj(i)
		w.close('}')
	}
	w.close(']')
}

// fastMarshal writes the types that have a writer, with the trailing
// newline; ok false for any other type.
func fastMarshal(v any) ([]byte, bool) {
	w := &jsonWriter{}
	switch x := v.(type) {
	case *session.Session:
		if x == nil {
			return nil, false
		}
		w.b = make([]byte, 0, 4096)
		sessionRecord.write(w, x)
	case []*session.Session:
		if x == nil {
			return nil, false
		}
		return marshalSessions(x), true
	case *Overview:
		if x == nil {
			return nil, false
		}
		w.b = make([]byte, 0, 1<<20)
		w.overview(x)
	default:
		return nil, false
	}
	return append(w.b, '\n'), true
}

// plainWord tells whether the eight bytes of s at i are printable ASCII
// other than '"' and '\\': bytes a JSON string holds as they are.
func plainWord(s string, i int) bool {
	const (
		ones = 0x0101010101010101
		high = 0x8080808080808080
	)
	x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
	q := x ^ ('"' * ones)
	bs := x ^ ('\\' * ones)
	// A byte >= 0x80, one < 0x20, a quote or a backslash sets its high bit.
	return (x|((x-0x20*ones)&^x)|((q-ones)&^q)|((bs-ones)&^bs))&high == 0
}

// marshalSessions writes a list of sessions, a listing of hundreds of them
// in chunks on every core, then joined.
func marshalSessions(list []*session.Session) []byte {
	const chunk = 16
	parts := make([][]byte, (len(list)+chunk-1)/chunk)
	parallel(len(parts), func(c int) {
		lo, hi := c*chunk, min((c+1)*chunk, len(list))
		size := 0
		for _, s := range list[lo:hi] {
			size += sizeHint(s)
		}
		w := &jsonWriter{b: make([]byte, 0, size), counts: []int{lo}}
		for _, s := range list[lo:hi] {
			w.item()
			if s == nil {
				w.b = append(w.b, "null"...)
				continue
			}
			sessionRecord.write(w, s)
		}
		parts[c] = w.b
	})
	n := len("[\n]\n")
	for _, p := range parts {
		n += len(p)
	}
	out := make([]byte, 0, n)
	out = append(out, '[')
	for _, p := range parts {
		out = append(out, p...)
	}
	if len(list) > 0 {
		out = append(out, '\n')
	}
	return append(out, ']', '\n')
}

// sizeHint is about what a session takes written in a list, a little more
// when its text needs no escapes.
func sizeHint(s *session.Session) int {
	if s == nil {
		return 16
	}
	n := 1024 + len(s.Intent)
	for _, p := range []*string{s.Outcome, s.CurrentActivity, s.ParkedReason} {
		if p != nil {
			n += len(*p)
		}
	}
	for _, e := range s.Events {
		n += 96 + len(e.Message)
	}
	for _, t := range s.Tasks {
		n += 200 + len(t.Subject)
	}
	for _, c := range s.Commits {
		n += 96 + len(c.Message)
	}
	for _, l := range [][]string{s.FilesChanged, s.Decisions, s.OpenQuestions, s.NextSteps} {
		for _, x := range l {
			n += 16 + len(x)
		}
	}
	return n
}

// appendJSONString appends s as encoding/json writes a string without HTML
// escaping.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		// Most text needs no escape: pass it eight bytes at a time.
		for i+8 <= len(s) && plainWord(s, i) {
			i += 8
		}
		if i >= len(s) {
			break
		}
		b := s[i]
		if b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				const hex = "0123456789abcdef"
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', "0123456789abcdef"[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
