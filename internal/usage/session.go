package usage

import (
	"sort"
	"time"
)

// Conversations sums counted requests per conversation, its subagents'
// with it. (ccusage 18 keys its session report by the transcript's folder,
// which for a conversation's own transcript is its project's: a report
// per project under the name of a session. sess's is per conversation.)
type Conversations struct {
	f     Filter
	index map[string]*Conversation
	list  []*Conversation
}

// Conversation is one conversation's tally.
type Conversation struct {
	ID     string
	Folder string    // the project folder of its first counted request
	Last   time.Time // its last request
	Tally
}

// NewConversations is an empty tally per conversation.
func NewConversations(f Filter) *Conversations {
	return &Conversations{f: f, index: map[string]*Conversation{}}
}

// Add counts a request in its conversation.
func (cs *Conversations) Add(c Counted) {
	if cs.f.Folder != "" && c.Folder != cs.f.Folder {
		return
	}
	s := cs.index[c.Conversation]
	if s == nil {
		s = &Conversation{ID: c.Conversation, Folder: c.Folder}
		cs.index[c.Conversation] = s
		cs.list = append(cs.list, s)
	}
	if c.Time.After(s.Last) {
		s.Last = c.Time
	}
	s.Add(c.Entry, c.Cost)
}

// Get is a conversation's tally, nil when nothing of it counted.
func (cs *Conversations) Get(id string) *Conversation { return cs.index[id] }

// List is the conversations whose last request is in range, by it.
func (cs *Conversations) List() []*Conversation {
	var out []*Conversation
	for _, c := range cs.list {
		if cs.f.inRange(dateIn(c.Last, cs.f.loc())) {
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := dateIn(out[i].Last, cs.f.loc()), dateIn(out[j].Last, cs.f.loc())
		if cs.f.Desc {
			return a > b
		}
		return a < b
	})
	return out
}

type conversationJSON struct {
	SessionID           string      `json:"sessionId"`
	InputTokens         int64       `json:"inputTokens"`
	OutputTokens        int64       `json:"outputTokens"`
	CacheCreationTokens int64       `json:"cacheCreationTokens"`
	CacheReadTokens     int64       `json:"cacheReadTokens"`
	TotalTokens         int64       `json:"totalTokens"`
	TotalCost           float64     `json:"totalCost"`
	LastActivity        string      `json:"lastActivity"`
	ModelsUsed          []string    `json:"modelsUsed"`
	ModelBreakdowns     []modelJSON `json:"modelBreakdowns"`
	ProjectPath         string      `json:"projectPath"`
}

// ConversationsJSON is ccusage's session report's shape.
func (cs *Conversations) JSON() any {
	list := cs.List()
	out := []conversationJSON{}
	var totals TotalsJSON
	for _, c := range list {
		out = append(out, conversationJSON{c.ID, c.Input, c.Output, c.CacheCreation, c.CacheRead, c.Tokens(), c.Cost,
			dateIn(c.Last, cs.f.loc()), models(&c.Tally), breakdownJSON(&c.Tally), c.Folder})
		totals.InputTokens += c.Input
		totals.OutputTokens += c.Output
		totals.CacheCreationTokens += c.CacheCreation
		totals.CacheReadTokens += c.CacheRead
		totals.TotalCost += c.Cost
	}
	totals.TotalTokens = totals.InputTokens + totals.OutputTokens + totals.CacheCreationTokens + totals.CacheReadTokens
	return orderedObject{{"sessions", out}, {"totals", totals}}
}
