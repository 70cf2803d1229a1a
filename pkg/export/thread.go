package export

import "github.com/sess-dev/sess/pkg/session"

// ThreadExport is a thread seen whole: its sessions, oldest first, and
// their tasks, commits, decisions, next steps and open questions together.
type ThreadExport struct {
	SessionID     string          `json:"session_id"` // the session asked about
	Sessions      []ThreadSession `json:"sessions"`
	Tasks         []ThreadTask    `json:"tasks"`
	Commits       []ThreadCommit  `json:"commits"`
	Decisions     []ThreadNote    `json:"decisions"`
	NextSteps     []string        `json:"next_steps"` // the newest session's that has any
	OpenQuestions []string        `json:"open_questions"`
	FilesChanged  []string        `json:"files_changed"`
}

// ThreadSession is a session's line in a thread.
type ThreadSession struct {
	SessionID   string         `json:"session_id"`
	Status      session.Status `json:"status"`
	Intent      string         `json:"intent"`
	StartedAt   string         `json:"started_at"`
	EndedAt     *string        `json:"ended_at"`
	Outcome     *string        `json:"outcome"`
	Title       *string        `json:"title,omitempty"`
	Continues   *string        `json:"continues"`
	ContinuedBy *string        `json:"continued_by"`
}

// ThreadTask is a task and the session it belongs to.
type ThreadTask struct {
	SessionID string             `json:"session_id"`
	ID        string             `json:"id"`
	Subject   string             `json:"subject"`
	Status    session.TaskStatus `json:"status"`
}

// ThreadCommit is a commit and the session that made it.
type ThreadCommit struct {
	SessionID string `json:"session_id"`
	SHA       string `json:"sha"`
	Message   string `json:"message"`
}

// ThreadNote is a line of text and the session that recorded it.
type ThreadNote struct {
	SessionID string `json:"session_id"`
	Text      string `json:"text"`
}

// Thread gathers a thread (oldest first) for the session id.
func Thread(id string, thread []*session.Session) ThreadExport {
	out := ThreadExport{SessionID: id, Sessions: []ThreadSession{}, Tasks: []ThreadTask{}, Commits: []ThreadCommit{},
		Decisions: []ThreadNote{}, NextSteps: []string{}, OpenQuestions: []string{}, FilesChanged: []string{}}
	for _, s := range thread {
		out.Sessions = append(out.Sessions, ThreadSession{SessionID: s.SessionID, Status: s.Status, Intent: s.Intent, StartedAt: s.StartedAt,
			EndedAt: s.EndedAt, Outcome: s.Outcome, Title: s.Title, Continues: s.Continues, ContinuedBy: s.ContinuedBy})
		for _, t := range s.Tasks {
			out.Tasks = append(out.Tasks, ThreadTask{s.SessionID, t.ID, t.Subject, t.Status})
		}
		for _, c := range s.Commits {
			out.Commits = append(out.Commits, ThreadCommit{s.SessionID, c.SHA, c.Message})
		}
		for _, d := range s.Decisions {
			out.Decisions = append(out.Decisions, ThreadNote{s.SessionID, d})
		}
		if len(s.NextSteps) > 0 {
			out.NextSteps = s.NextSteps
		}
	}
	out.OpenQuestions = append(out.OpenQuestions, collect(thread, func(s *session.Session) []string { return s.OpenQuestions })...)
	out.FilesChanged = append(out.FilesChanged, collect(thread, func(s *session.Session) []string { return s.FilesChanged })...)
	return out
}
