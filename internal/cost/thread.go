package cost

import (
	"github.com/sess-dev/sess/internal/usage"
	"github.com/sess-dev/sess/pkg/session"
)

// ThreadCost is what a thread cost: each session's part, oldest first, and
// the sum (sess-manage usage thread, the page's session view).
type ThreadCost struct {
	Sessions []SessionCost `json:"sessions"`
	Total    *Summary      `json:"total"`
}

// SessionCost is a session of a thread and its part.
type SessionCost struct {
	SessionID string   `json:"session_id"`
	Project   string   `json:"project"`
	Intent    string   `json:"intent"`
	StartedAt string   `json:"started_at"`
	Cost      *Summary `json:"cost"`
}

// Thread is what the sessions of a thread (journal.Thread's) cost.
func Thread(c Config, thread []*session.Session) (*ThreadCost, error) {
	costs, err := Sessions(c, thread)
	if err != nil {
		return nil, err
	}
	out := &ThreadCost{Sessions: []SessionCost{}}
	var total usage.Tally
	for _, s := range thread {
		t := costs[s.SessionID]
		if t == nil {
			t = &usage.Tally{}
		}
		total.Merge(t)
		out.Sessions = append(out.Sessions, SessionCost{s.SessionID, s.ProjectSlug, s.Intent, s.StartedAt, Summarize(t)})
	}
	out.Total = Summarize(&total)
	return out, nil
}

// Of is the part of session id, an empty one when it is not in the thread.
func (t *ThreadCost) Of(id string) *Summary {
	for _, s := range t.Sessions {
		if s.SessionID == id {
			return s.Cost
		}
	}
	return Summarize(&usage.Tally{})
}
