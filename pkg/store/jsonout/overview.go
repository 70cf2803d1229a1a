package jsonout

import (
	"github.com/sess-dev/sess/pkg/store/internal/codec"
	"github.com/sess-dev/sess/pkg/store/overview"
)

// The overview's writer: its fields in the order of the types' (see
// package overview), as encoding/json writes them.

func writeOverviewSession(w *codec.Writer, s *overview.Session) {
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
	if s.Machine != nil {
		w.Str("machine", *s.Machine)
	}
}

func writeOverview(w *codec.Writer, ov *overview.Overview) {
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

func writeOverviewProject(w *codec.Writer, p *overview.Project) {
	w.Open('{')
	w.Str("slug", p.Slug)
	w.Str("name", p.Name)
	w.Str("path", p.Path)
	w.Str("current_phase", p.CurrentPhase)
	w.Key("active_sessions")
	w.List(len(p.ActiveSessions), p.ActiveSessions == nil, func(i int) {
		s := &p.ActiveSessions[i]
		writeOverviewSession(w, &s.Session)
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
		writeOverviewSession(w, &s.Session)
		w.OptStr("parked_reason", s.ParkedReason)
		w.OptStr("current_activity", s.CurrentActivity)
		w.OptStr("awaiting_action", s.AwaitingAction)
		w.OptStr("ended_at", s.EndedAt)
	})
	w.Key("completed_sessions")
	w.List(len(p.CompletedSessions), p.CompletedSessions == nil, func(i int) {
		s := &p.CompletedSessions[i]
		writeOverviewSession(w, &s.Session)
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
