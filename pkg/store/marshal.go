package store

import (
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/internal/codec"
)

func writeOverviewSession(w *codec.Writer, s *OverviewSession) {
	w.Str("session_id", s.SessionID)
	w.Str("intent", s.Intent)
	w.Str("started_at", s.StartedAt)
	w.OptStr("roadmap_ref", s.RoadmapRef)
	codec.WriteEvents(w, "events", s.Events)
	w.Str("git_branch", s.GitBranch)
	w.OptStr("worktree_root", s.WorktreeRoot)
	w.Strs("files_changed", s.FilesChanged)
	w.Strs("decisions", s.Decisions)
	w.Strs("open_questions", s.OpenQuestions)
	codec.WriteCommits(w, "commits", s.Commits)
	w.Strs("next_steps", s.NextSteps)
	w.Int("event_count", s.EventCount)
	codec.WriteTasks(w, "tasks", s.Tasks)
	w.Key("task_summary")
	w.Open('{')
	w.Int("total", s.TaskSummary.Total)
	w.Int("completed", s.TaskSummary.Completed)
	w.Int("in_progress", s.TaskSummary.InProgress)
	w.Int("pending", s.TaskSummary.Pending)
	w.Int("skipped", s.TaskSummary.Skipped)
	w.Close('}')
}

func writeOverview(w *codec.Writer, ov *Overview) {
	w.Open('{')
	w.Str("timestamp", ov.Timestamp)
	w.Key("projects")
	if ov.Projects == nil {
		w.Null()
	} else {
		w.Open('[')
		for i := range ov.Projects {
			w.Item()
			writeOverviewProject(w, &ov.Projects[i])
		}
		w.Close(']')
	}
	w.Key("settings")
	w.Open('{')
	st := ov.Settings
	w.Int("dashboard_port", st.DashboardPort)
	w.Int("stale_threshold_hours", st.StaleThresholdHours)
	w.Int("archive_after_days", st.ArchiveAfterDays)
	w.Bool("notifications_enabled", st.NotificationsEnabled)
	w.Int("parked_notify_hours", st.ParkedNotifyHours)
	w.Int("notify_cooldown_hours", st.NotifyCooldownHours)
	if st.BriefMaxChars != 0 {
		w.Int("brief_max_chars", st.BriefMaxChars)
	}
	if st.WaitingNotifyMinutes != 0 {
		w.Int("waiting_notify_minutes", st.WaitingNotifyMinutes)
	}
	w.Close('}')
	w.Close('}')
}

func writeOverviewProject(w *codec.Writer, p *OverviewProject) {
	w.Open('{')
	w.Str("slug", p.Slug)
	w.Str("name", p.Name)
	w.Str("path", p.Path)
	w.Str("current_phase", p.CurrentPhase)
	w.Key("active_sessions")
	w.List(len(p.ActiveSessions), p.ActiveSessions == nil, func(i int) {
		s := &p.ActiveSessions[i]
		writeOverviewSession(w, &s.OverviewSession)
		w.Str("last_heartbeat", s.LastHeartbeat)
		w.Bool("is_stale", s.IsStale)
		w.OptStr("current_activity", s.CurrentActivity)
		w.OptStr("awaiting_action", s.AwaitingAction)
		if l := s.Live; l != nil {
			w.Key("live")
			w.Open('{')
			w.Str("state", l.State)
			w.Str("since", l.Since)
			if l.Reason != "" {
				w.Str("reason", l.Reason)
			}
			w.Close('}')
		}
	})
	w.Key("parked_sessions")
	w.List(len(p.ParkedSessions), p.ParkedSessions == nil, func(i int) {
		s := &p.ParkedSessions[i]
		writeOverviewSession(w, &s.OverviewSession)
		w.OptStr("parked_reason", s.ParkedReason)
		w.OptStr("current_activity", s.CurrentActivity)
		w.OptStr("awaiting_action", s.AwaitingAction)
		w.OptStr("ended_at", s.EndedAt)
	})
	w.Key("completed_sessions")
	w.List(len(p.CompletedSessions), p.CompletedSessions == nil, func(i int) {
		s := &p.CompletedSessions[i]
		writeOverviewSession(w, &s.OverviewSession)
		w.OptStr("outcome", s.Outcome)
		w.OptStr("ended_at", s.EndedAt)
		w.Str("last_heartbeat", s.LastHeartbeat)
	})
	w.Key("roadmap_summary")
	w.Open('{')
	w.Int("completed_count", p.RoadmapSummary.CompletedCount)
	w.Int("in_progress_count", p.RoadmapSummary.InProgressCount)
	w.Strs("in_progress", p.RoadmapSummary.InProgress)
	w.Close('}')
	w.Int("active_count", p.ActiveCount)
	w.Int("parked_count", p.ParkedCount)
	w.Strs("next_steps", p.NextSteps)
	w.Str("last_activity", p.LastActivity)
	w.Int("total_sessions", p.TotalSessions)
	w.Close('}')
}

// fastMarshal writes the types that have a writer, with the trailing
// newline; ok false for any other type.
func fastMarshal(v any) ([]byte, bool) {
	var w *codec.Writer
	switch x := v.(type) {
	case *session.Session:
		if x == nil {
			return nil, false
		}
		w = codec.NewWriter(4096)
		codec.WriteSession(w, x)
	case []*session.Session:
		if x == nil {
			return nil, false
		}
		return marshalSessions(x), true
	case *Overview:
		if x == nil {
			return nil, false
		}
		w = codec.NewWriter(1 << 20)
		writeOverview(w, x)
	default:
		return nil, false
	}
	return append(w.Bytes(), '\n'), true
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
		w := codec.NewListWriter(size, lo)
		for _, s := range list[lo:hi] {
			w.Item()
			if s == nil {
				w.Null()
				continue
			}
			codec.WriteSession(w, s)
		}
		parts[c] = w.Bytes()
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
