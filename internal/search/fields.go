package search

import (
	"strings"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/derived"
)

// A session is one document of fields, each with its weight in the
// ranking: what a session set out to do and what came of it counts more
// than what happened on the way.
const (
	fieldIntent = iota
	fieldOutcome
	fieldDecisions
	fieldNextSteps
	fieldQuestions
	fieldTasks
	fieldCommits
	fieldActivity
	fieldEvents
	fieldFiles
	fieldHighlights
	fieldConversation
	fieldMeta
	numFields
)

// fieldNames name the fields in a snippet ("decisions: …").
var fieldNames = [numFields]string{"intent", "outcome", "decisions", "next_steps", "open_questions", "tasks", "commits", "activity", "events", "files", "highlights", "conversation", "session"}

// fieldWeights are BM25F's field weights.
var fieldWeights = [numFields]float64{3.0, 2.5, 2.0, 1.5, 1.5, 1.2, 1.2, 1.0, 1.0, 0.6, 0.8, 0.5, 0.3}

// fieldsOf is a session's text, by field; the highlights and the
// conversation are the store's derived files' (withDerived).
func fieldsOf(s *session.Session) [numFields]string {
	var f [numFields]string
	f[fieldIntent] = join([]string{s.Intent, session.Deref(s.Title)})
	f[fieldOutcome] = session.Deref(s.Outcome)
	f[fieldDecisions] = join(s.Decisions)
	f[fieldNextSteps] = join(s.NextSteps)
	f[fieldQuestions] = join(s.OpenQuestions)
	var tasks, commits, events []string
	for _, t := range s.Tasks {
		tasks = append(tasks, t.Subject)
	}
	for _, c := range s.Commits {
		commits = append(commits, c.Message)
	}
	for _, e := range s.Events {
		events = append(events, e.Message)
	}
	f[fieldTasks] = join(tasks)
	f[fieldCommits] = join(commits)
	f[fieldActivity] = join([]string{session.Deref(s.CurrentActivity), session.Deref(s.ParkedReason), session.Deref(s.AwaitingAction)})
	f[fieldEvents] = join(events)
	f[fieldFiles] = join(s.FilesChanged)
	f[fieldMeta] = join([]string{s.SessionID, s.GitBranch, session.Deref(s.ClaudeSessionID)})
	return f
}

// join joins the parts that have text, a line each.
func join(parts []string) string {
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p)
	}
	return b.String()
}

// withDerived adds to a session's fields the text kept beside the store:
// the exports' highlights and what was said in its conversation (the
// archive's, there after Claude Code deleted the transcript).
func withDerived(fields *[numFields]string, files *derived.Files, s *session.Session) {
	fields[fieldHighlights] = files.Highlights(s.SessionID)
	if cid := session.Deref(s.ClaudeSessionID); cid != "" {
		fields[fieldConversation] = files.ConversationText(cid)
	}
}
