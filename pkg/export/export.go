package export

import (
	"strconv"
	"time"

	"github.com/sess-dev/sess/pkg/session"
)

// SessionExport is a session as exported in JSON: every field of
// store.Session in the same order and under the same names, without
// schema_version, followed by task_summary and duration.
type SessionExport struct {
	// Session is the record itself; Session leaves its SchemaVersion zero,
	// which omits it.
	session.Session
	// TaskSummary counts the session's tasks by status.
	TaskSummary session.TaskSummary `json:"task_summary"`
	// Duration is the time from start to end as Duration gives it, "" while
	// the session has not ended.
	Duration string `json:"duration"`
	// Cost is what the session's conversation cost (sess only), absent
	// when unknown.
	Cost *Cost `json:"cost,omitempty"`
}

// Session returns the JSON export of s. It does not modify s; the lists of
// the result are empty, never nil, and it shares their elements with s.
func Session(s *session.Session) SessionExport {
	c := *s
	c.SchemaVersion = 0
	if c.Events == nil {
		c.Events = []session.Event{}
	}
	if c.FilesChanged == nil {
		c.FilesChanged = []string{}
	}
	if c.Commits == nil {
		c.Commits = []session.Commit{}
	}
	if c.Decisions == nil {
		c.Decisions = []string{}
	}
	if c.OpenQuestions == nil {
		c.OpenQuestions = []string{}
	}
	if c.NextSteps == nil {
		c.NextSteps = []string{}
	}
	if c.Tasks == nil {
		c.Tasks = []session.Task{}
	}
	return SessionExport{
		Session:     c,
		TaskSummary: session.SummarizeTasks(c.Tasks),
		Duration:    Duration(c.StartedAt, session.Deref(c.EndedAt)),
	}
}

// ProjectExport is the JSON export of a project's sessions.
type ProjectExport struct {
	// Project is the project's slug.
	Project string `json:"project"`
	// ExportedAt is when the export was made, in the store's format.
	ExportedAt string `json:"exported_at"`
	// SessionCount is len(Sessions).
	SessionCount int `json:"session_count"`
	// Sessions are the exported sessions, [] when there are none.
	Sessions []SessionExport `json:"sessions"`
}

// Project returns the JSON export of the sessions of project slug, in the
// order given, stamped with now.
func Project(slug string, sessions []*session.Session, now time.Time) ProjectExport {
	out := make([]SessionExport, 0, len(sessions))
	for _, s := range sessions {
		out = append(out, Session(s))
	}
	return ProjectExport{
		Project:      slug,
		ExportedAt:   session.FormatTime(now),
		SessionCount: len(out),
		Sessions:     out,
	}
}

// Duration formats the time between two timestamps in whole minutes, as
// "2h 15m", "2h", "45m" or "0m". It returns "" when either timestamp is
// empty or not ISO 8601, or when the end is before the start by a second or
// more (the original truncated to whole seconds before that check).
func Duration(startedAt, endedAt string) string {
	if startedAt == "" || endedAt == "" {
		return ""
	}
	start, err := session.ParseTime(startedAt)
	if err != nil {
		return ""
	}
	end, err := session.ParseTime(endedAt)
	if err != nil {
		return ""
	}
	// Whole seconds, truncated toward zero, from Unix times rather than
	// time.Sub, which saturates at about 292 years.
	secs := end.Unix() - start.Unix()
	if nanos := end.Nanosecond() - start.Nanosecond(); secs < 0 && nanos > 0 {
		secs++
	} else if secs > 0 && nanos < 0 {
		secs--
	}
	if secs < 0 {
		return ""
	}
	minutes := secs / 60
	hours, minutes := minutes/60, minutes%60
	switch {
	case hours > 0 && minutes > 0:
		return strconv.FormatInt(hours, 10) + "h " + strconv.FormatInt(minutes, 10) + "m"
	case hours > 0:
		return strconv.FormatInt(hours, 10) + "h"
	}
	return strconv.FormatInt(minutes, 10) + "m"
}
