package codec

import "github.com/sess-dev/sess/pkg/session"

// The records' JSON, named once. Each record type is a table of its fields
// in the order they are written; the table drives both the fast reader
// (which hands anything unusual to encoding/json) and the writer (which
// writes byte for byte what encoding/json writes, held to it by a fuzz
// test). A new field is one line here and one in the struct.

var (
	eventRecord = newRecordType(
		fieldStr("timestamp", func(e *session.Event) *string { return &e.Timestamp }),
		fieldStr("message", func(e *session.Event) *string { return &e.Message }),
	)
	commitRecord = newRecordType(
		fieldStr("sha", func(c *session.Commit) *string { return &c.SHA }),
		fieldStr("message", func(c *session.Commit) *string { return &c.Message }),
		fieldOmitOpt("timestamp", func(c *session.Commit) **string { return &c.Timestamp }),
	)
	taskRecord = newRecordType(
		fieldStr("id", func(t *session.Task) *string { return &t.ID }),
		fieldStr("subject", func(t *session.Task) *string { return &t.Subject }),
		fieldStr("status", func(t *session.Task) *string { return (*string)(&t.Status) }),
		fieldStr("added_at", func(t *session.Task) *string { return &t.AddedAt }),
		fieldStr("updated_at", func(t *session.Task) *string { return &t.UpdatedAt }),
	)
	sessionRecord = newRecordType(
		fieldStr("session_id", func(s *session.Session) *string { return &s.SessionID }),
		fieldStr("project_slug", func(s *session.Session) *string { return &s.ProjectSlug }),
		fieldStr("status", func(s *session.Session) *string { return (*string)(&s.Status) }),
		fieldStr("intent", func(s *session.Session) *string { return &s.Intent }),
		fieldOpt("roadmap_ref", func(s *session.Session) **string { return &s.RoadmapRef }),
		fieldStr("started_at", func(s *session.Session) *string { return &s.StartedAt }),
		fieldStr("last_heartbeat", func(s *session.Session) *string { return &s.LastHeartbeat }),
		fieldOpt("ended_at", func(s *session.Session) **string { return &s.EndedAt }),
		fieldOpt("outcome", func(s *session.Session) **string { return &s.Outcome }),
		fieldOpt("parked_reason", func(s *session.Session) **string { return &s.ParkedReason }),
		fieldOpt("current_activity", func(s *session.Session) **string { return &s.CurrentActivity }),
		fieldOpt("awaiting_action", func(s *session.Session) **string { return &s.AwaitingAction }),
		fieldList("events", func(s *session.Session) *[]session.Event { return &s.Events }, eventRecord),
		fieldStr("git_branch", func(s *session.Session) *string { return &s.GitBranch }),
		fieldOpt("worktree_root", func(s *session.Session) **string { return &s.WorktreeRoot }),
		fieldOpt("claude_session_id", func(s *session.Session) **string { return &s.ClaudeSessionID }),
		fieldStrs("files_changed", func(s *session.Session) *[]string { return &s.FilesChanged }),
		fieldList("commits", func(s *session.Session) *[]session.Commit { return &s.Commits }, commitRecord),
		fieldStrs("decisions", func(s *session.Session) *[]string { return &s.Decisions }),
		fieldStrs("open_questions", func(s *session.Session) *[]string { return &s.OpenQuestions }),
		fieldStrs("next_steps", func(s *session.Session) *[]string { return &s.NextSteps }),
		fieldList("tasks", func(s *session.Session) *[]session.Task { return &s.Tasks }, taskRecord),
		fieldOmitOpt("title", func(s *session.Session) **string { return &s.Title }),
		fieldOmitOpt("continues", func(s *session.Session) **string { return &s.Continues }),
		fieldOmitOpt("continued_by", func(s *session.Session) **string { return &s.ContinuedBy }),
		fieldOmitOpt("state", func(s *session.Session) **string { return &s.State }),
		fieldOmitOpt("state_since", func(s *session.Session) **string { return &s.StateSince }),
		fieldOmitOpt("state_reason", func(s *session.Session) **string { return &s.StateReason }),
		fieldOmitOpt("last_question", func(s *session.Session) **string { return &s.LastQuestion }),
		fieldOmitOpt("window", func(s *session.Session) **string { return &s.Window }),
		fieldOmitOpt("machine", func(s *session.Session) **string { return &s.Machine }),
		fieldOmitInt("schema_version", func(s *session.Session) *int { return &s.SchemaVersion }),
	)
	indexRecord = newRecordType(
		fieldStr("project_slug", func(e *session.IndexEntry) *string { return &e.ProjectSlug }),
		fieldStr("status", func(e *session.IndexEntry) *string { return (*string)(&e.Status) }),
		fieldStr("intent", func(e *session.IndexEntry) *string { return &e.Intent }),
		fieldStr("started_at", func(e *session.IndexEntry) *string { return &e.StartedAt }),
		fieldOpt("ended_at", func(e *session.IndexEntry) **string { return &e.EndedAt }),
		fieldStr("last_heartbeat", func(e *session.IndexEntry) *string { return &e.LastHeartbeat }),
	)
)

// A field is one member of a record's JSON object: its name, how the fast
// reader reads it (false: leave the file to encoding/json) and how the
// writer writes it.
type field[T any] struct {
	name  string
	read  func(r *Reader, rec *T) bool
	write func(w *Writer, rec *T)
}

// A recordType is a record's fields in the order they are written.
type recordType[T any] struct {
	fields []field[T]
	names  []string
}

func newRecordType[T any](fields ...field[T]) *recordType[T] {
	rt := &recordType[T]{fields: fields}
	for _, f := range fields {
		rt.names = append(rt.names, f.name)
	}
	return rt
}

// read reads a record object into rec. A member that comes twice is left to
// encoding/json, which decodes a repeated list into the earlier one's
// elements; so is a key that differs from a field's only in case.
func (rt *recordType[T]) read(r *Reader, rec *T) bool {
	var seen uint64 // fields read, by position (no record has 64)
	next := 0       // files list fields in order: look there first
	return r.Object(rt.names, func(key string) bool {
		i := rt.find(key, next)
		if i < 0 {
			return r.Unknown(key, rt.names)
		}
		if seen&(1<<i) != 0 {
			return false
		}
		seen |= 1 << i
		next = i + 1
		return rt.fields[i].read(r, rec)
	})
}

// find is the position of the field named key, looking from hint on first.
func (rt *recordType[T]) find(key string, hint int) int {
	for i := hint; i < len(rt.names); i++ {
		if rt.names[i] == key {
			return i
		}
	}
	for i := 0; i < hint && i < len(rt.names); i++ {
		if rt.names[i] == key {
			return i
		}
	}
	return -1
}

// write writes rec as an object.
func (rt *recordType[T]) write(w *Writer, rec *T) {
	w.Open('{')
	for i := range rt.fields {
		rt.fields[i].write(w, rec)
	}
	w.Close('}')
}

// writeList writes a list of records under key; nil is null, as
// encoding/json writes it.
func (rt *recordType[T]) writeList(w *Writer, key string, list []T) {
	w.Key(key)
	w.List(len(list), list == nil, func(i int) {
		for j := range rt.fields {
			rt.fields[j].write(w, &list[i])
		}
	})
}

// readList reads a list of records; null leaves *dst as it was, and an
// empty list is [] (never nil).
func (rt *recordType[T]) readList(r *Reader, dst *[]T) bool {
	var out []T
	isNull, ok := r.List(func() bool {
		var zero T
		out = append(out, zero)
		return rt.read(r, &out[len(out)-1])
	})
	if ok && !isNull {
		if out == nil {
			out = []T{}
		}
		*dst = out
	}
	return ok
}

// fieldStr is a string; null reads as "".
func fieldStr[T any](name string, p func(*T) *string) field[T] {
	return field[T]{name,
		func(r *Reader, rec *T) bool { return r.StrOrNull(p(rec)) },
		func(w *Writer, rec *T) { w.Str(name, *p(rec)) }}
}

// fieldOpt is a string or null.
func fieldOpt[T any](name string, p func(*T) **string) field[T] {
	return field[T]{name,
		func(r *Reader, rec *T) bool {
			v, ok := r.OptStr()
			*p(rec) = v
			return ok
		},
		func(w *Writer, rec *T) { w.OptStr(name, *p(rec)) }}
}

// fieldOmitOpt is a string written only when not nil; null reads as nil.
func fieldOmitOpt[T any](name string, p func(*T) **string) field[T] {
	return field[T]{name,
		func(r *Reader, rec *T) bool {
			v, ok := r.OptStr()
			*p(rec) = v
			return ok
		},
		func(w *Writer, rec *T) {
			if v := *p(rec); v != nil {
				w.OptStr(name, v)
			}
		}}
}

// fieldStrs is a list of strings.
func fieldStrs[T any](name string, p func(*T) *[]string) field[T] {
	return field[T]{name,
		func(r *Reader, rec *T) bool { return r.StrList(p(rec)) },
		func(w *Writer, rec *T) { w.Strs(name, *p(rec)) }}
}

// fieldList is a list of records of type et.
func fieldList[T, E any](name string, p func(*T) *[]E, et *recordType[E]) field[T] {
	return field[T]{name,
		func(r *Reader, rec *T) bool { return et.readList(r, p(rec)) },
		func(w *Writer, rec *T) { et.writeList(w, name, *p(rec)) }}
}

// fieldOmitInt is a small whole number written only when not zero; null
// reads as 0.
func fieldOmitInt[T any](name string, p func(*T) *int) field[T] {
	return field[T]{name,
		func(r *Reader, rec *T) bool {
			if r.Null() {
				return true
			}
			n, ok := r.SmallInt()
			*p(rec) = n
			return ok
		},
		func(w *Writer, rec *T) {
			if n := *p(rec); n != 0 {
				w.Int(name, n)
			}
		}}
}

// ReadSession decodes a session file with the fast reader; ok false means:
// decode it with encoding/json instead.
func ReadSession(data []byte) (*session.Session, bool) {
	r := NewReader(data, 0)
	var s session.Session
	if !sessionRecord.read(r, &s) || !r.End() {
		return nil, false
	}
	return &s, true
}

// WriteSession writes a session as an object.
func WriteSession(w *Writer, s *session.Session) { sessionRecord.write(w, s) }

// ReadEntry reads an index entry object.
func ReadEntry(r *Reader, e *session.IndexEntry) bool { return indexRecord.read(r, e) }

// WriteEntry writes an index entry as an object.
func WriteEntry(w *Writer, e *session.IndexEntry) { indexRecord.write(w, e) }

// WriteEvents, WriteCommits and WriteTasks write a list of them under key.
func WriteEvents(w *Writer, key string, list []session.Event) { eventRecord.writeList(w, key, list) }

// WriteCommits: see WriteEvents.
func WriteCommits(w *Writer, key string, list []session.Commit) { commitRecord.writeList(w, key, list) }

// WriteTasks: see WriteEvents.
func WriteTasks(w *Writer, key string, list []session.Task) { taskRecord.writeList(w, key, list) }
