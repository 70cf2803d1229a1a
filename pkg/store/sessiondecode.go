package store

import "github.com/sess-dev/sess/pkg/session"

var (
	sessionFields = []string{"session_id", "project_slug", "status", "intent", "roadmap_ref", "started_at",
		"last_heartbeat", "ended_at", "outcome", "parked_reason", "current_activity", "awaiting_action",
		"events", "git_branch", "worktree_root", "claude_session_id", "files_changed", "commits",
		"decisions", "open_questions", "next_steps", "tasks", "schema_version"}
	eventFields  = []string{"timestamp", "message"}
	commitFields = []string{"sha", "message"}
	taskFields   = []string{"id", "subject", "status", "added_at", "updated_at"}
)

// decodeSessionFast decodes a session file with the fast reader; ok false
// means: decode it with encoding/json instead.
func decodeSessionFast(data []byte) (*session.Session, bool) {
	r := &jsonReader{data: data}
	var s session.Session
	seen := make(map[string]bool, len(sessionFields))
	ok := r.object(sessionFields, func(key string) bool {
		// encoding/json decodes a repeated list into the earlier one's
		// elements; leave such files to it.
		if seen[key] {
			return false
		}
		seen[key] = true
		switch key {
		case "session_id":
			return r.strOrNull(&s.SessionID)
		case "project_slug":
			return r.strOrNull(&s.ProjectSlug)
		case "status":
			return r.strOrNull((*string)(&s.Status))
		case "intent":
			return r.strOrNull(&s.Intent)
		case "started_at":
			return r.strOrNull(&s.StartedAt)
		case "last_heartbeat":
			return r.strOrNull(&s.LastHeartbeat)
		case "git_branch":
			return r.strOrNull(&s.GitBranch)
		case "roadmap_ref":
			return r.optInto(&s.RoadmapRef)
		case "ended_at":
			return r.optInto(&s.EndedAt)
		case "outcome":
			return r.optInto(&s.Outcome)
		case "parked_reason":
			return r.optInto(&s.ParkedReason)
		case "current_activity":
			return r.optInto(&s.CurrentActivity)
		case "awaiting_action":
			return r.optInto(&s.AwaitingAction)
		case "worktree_root":
			return r.optInto(&s.WorktreeRoot)
		case "claude_session_id":
			return r.optInto(&s.ClaudeSessionID)
		case "files_changed":
			return r.strList(&s.FilesChanged)
		case "decisions":
			return r.strList(&s.Decisions)
		case "open_questions":
			return r.strList(&s.OpenQuestions)
		case "next_steps":
			return r.strList(&s.NextSteps)
		case "events":
			var out []session.Event
			isNull, ok := r.list(func() bool {
				var e session.Event
				out = append(out, e)
				p := &out[len(out)-1]
				return r.object(eventFields, func(k string) bool {
					switch k {
					case "timestamp":
						return r.strOrNull(&p.Timestamp)
					case "message":
						return r.strOrNull(&p.Message)
					}
					return r.unknown(k, eventFields)
				})
			})
			if ok && !isNull {
				s.Events = nonNilEvents(out)
			}
			return ok
		case "commits":
			var out []session.Commit
			isNull, ok := r.list(func() bool {
				out = append(out, session.Commit{})
				p := &out[len(out)-1]
				return r.object(commitFields, func(k string) bool {
					switch k {
					case "sha":
						return r.strOrNull(&p.SHA)
					case "message":
						return r.strOrNull(&p.Message)
					}
					return r.unknown(k, commitFields)
				})
			})
			if ok && !isNull {
				if out == nil {
					out = []session.Commit{}
				}
				s.Commits = out
			}
			return ok
		case "tasks":
			var out []session.Task
			isNull, ok := r.list(func() bool {
				out = append(out, session.Task{})
				p := &out[len(out)-1]
				return r.object(taskFields, func(k string) bool {
					switch k {
					case "id":
						return r.strOrNull(&p.ID)
					case "subject":
						return r.strOrNull(&p.Subject)
					case "status":
						return r.strOrNull((*string)(&p.Status))
					case "added_at":
						return r.strOrNull(&p.AddedAt)
					case "updated_at":
						return r.strOrNull(&p.UpdatedAt)
					}
					return r.unknown(k, taskFields)
				})
			})
			if ok && !isNull {
				if out == nil {
					out = []session.Task{}
				}
				s.Tasks = out
			}
			return ok
		case "schema_version":
			if r.null() {
				return true
			}
			n, ok := r.smallInt()
			s.SchemaVersion = n
			return ok
		}
		return r.unknown(key, sessionFields)
	})
	if !ok || !r.end() {
		return nil, false
	}
	return &s, true
}

func nonNilEvents(e []session.Event) []session.Event {
	if e == nil {
		return []session.Event{}
	}
	return e
}

// optInto reads a string or null into a nullable field.
func (r *jsonReader) optInto(dst **string) bool {
	v, ok := r.optStr()
	*dst = v
	return ok
}
