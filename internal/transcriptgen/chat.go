package transcriptgen

import (
	"bytes"
	"encoding/json"
	"time"
)

// chat writes one transcript, a conversation's or a subagent's: its rows
// chained by uuid, its clock, and its context in tokens.
type chat struct {
	t       *tree
	d       dice
	f       *file
	b       *build
	version string
	id      string // the conversation's id (a subagent's rows carry its parent's)
	cwd     string
	branch  string
	agentID string // a subagent's id; its rows are a sidechain
	model   string
	fast    bool          // requests are made in fast mode
	ttl     time.Duration // the cache's lifetime: 5 minutes, or an hour
	now     time.Time     // the last row's time
	called  time.Time     // the last request's, for the cache's lifetime
	parent  string        // the last row's uuid
	ctx     window
	usage   int // rows of requests in the file, copies included
}

// window is a conversation's context in tokens, as the prompt cache sees it.
type window struct {
	cached  int // the prompt the last request left in the cache
	pending int // what was added since: a reply, tool results, a prompt
	limit   int // where Claude Code compacts
}

// Context sizes, in tokens. Claude Code compacts well before the model's
// 200,000-token window, so a request's whole input (cache reads, cache
// writes and the rest) stays under it.
const (
	maxInput     = 200_000
	compactLow   = 150_000
	compactHigh  = 165_000
	systemPrompt = 14_000 // about what the system prompt and the tools' descriptions take
)

// newWindow is the context of a transcript's start: the system prompt.
func newWindow(d dice) window {
	return window{cached: systemPrompt + d.IntN(6000), limit: d.between(compactLow, compactHigh)}
}

// tokens is about how many tokens text stands for.
func tokens(text string) int { return len(text)*2/7 + 1 }

// tick moves the clock on by a duration from lo to hi.
func (c *chat) tick(lo, hi time.Duration) {
	c.now = c.now.Add(lo + time.Duration(c.d.Int64N(int64(hi-lo)+1))).Truncate(time.Millisecond)
}

// base is a new row of type typ at the clock's time, chained to the last.
func (c *chat) base(typ string) row {
	id := c.d.uuid()
	r := row{IsSidechain: c.agentID != "", UserType: "external", CWD: c.cwd, SessionID: c.id, Version: c.version,
		GitBranch: c.branch, AgentID: c.agentID, Type: typ, UUID: id, Timestamp: stamp(c.now)}
	if c.parent != "" {
		p := c.parent
		r.ParentUUID = &p
	}
	c.parent = id
	st := &c.t.st
	if st.First.IsZero() || c.now.Before(st.First) {
		st.First = c.now
	}
	if c.now.After(st.Last) {
		st.Last = c.now
	}
	return r
}

// say writes a user's row of text (a prompt, a command, an interruption)
// and adds it to the context.
func (c *chat) say(text string) {
	r := c.base("user")
	r.Message = userMessage{Role: "user", Content: text}
	c.f.write(r)
	c.ctx.pending += tokens(text)
}

// command writes a slash command as Claude Code records it: the command,
// then what it printed.
func (c *chat) command(name, args, stdout string) {
	c.tick(5*time.Second, 40*time.Second)
	c.say("<command-name>" + name + "</command-name>\n<command-message>" + name[1:] + "</command-message>\n<command-args>" + args + "</command-args>")
	c.tick(50*time.Millisecond, 300*time.Millisecond)
	c.say("<local-command-stdout>" + stdout + "</local-command-stdout>")
}

// call is the usage of the next request, out tokens long (thought of them
// thinking), and moves the context on: what the request sent is cached,
// its reply is pending but for its thinking, which the API leaves out of
// later requests.
func (c *chat) call(out, thought int) usage {
	read, write := c.ctx.cached, c.ctx.pending
	switch {
	case c.called.IsZero():
		// A transcript's first request finds the system prompt cached by
		// an earlier conversation, or not.
		if c.d.chance(0.5) {
			read, write = 0, read+write
		}
	case c.now.Sub(c.called) > c.ttl:
		read, write = 0, read+write
	}
	u := usage{InputTokens: c.d.between(1, 12), CacheCreationInputTokens: write, CacheReadInputTokens: read, OutputTokens: out}
	c.ctx.cached, c.ctx.pending = read+write, u.InputTokens+out-thought
	c.called = c.now
	if c.b.cacheSplit {
		u.CacheCreation = &cacheCreation{Ephemeral5m: write}
		if c.ttl == time.Hour {
			u.CacheCreation = &cacheCreation{Ephemeral1h: write}
		}
		tier := "standard"
		u.ServiceTier = &tier
	}
	if c.fast {
		u.Speed = "fast"
	}
	return u
}

// reply writes the reply to one request: its blocks, one row each when
// the build splits them, every row with the request's usage; out is the
// tokens it took, thought of them thinking.
func (c *chat) reply(blocks []block, out, thought int) {
	c.compactIfFull()
	c.tick(time.Second, 12*time.Second) // until the first block
	u := c.call(out, thought)
	msg := assistantMessage{Model: c.model, ID: c.d.messageID(), Type: "message", Role: "assistant", Usage: u}
	var requestID string
	if c.b.requestID {
		requestID = c.d.requestID()
	}
	var cost *float64
	if c.b.costUSD {
		v := oldPrice(c.model, u)
		cost = &v
	}
	rows := [][]block{blocks}
	if c.b.split {
		rows = rows[:0]
		for i := range blocks {
			rows = append(rows, blocks[i:i+1])
		}
	} else {
		msg.StopReason = stopReason(blocks)
	}
	for i, content := range rows {
		if i > 0 {
			c.tick(200*time.Millisecond, 20*time.Second)
		}
		r := c.base("assistant")
		m := msg
		m.Content = content
		r.Message = m
		r.RequestID = requestID
		r.CostUSD = cost
		if cost != nil {
			r.DurationMS = c.d.between(2000, 40000)
		}
		c.f.write(r)
	}
	c.count(u, len(rows), requestID == "", cost != nil)
}

// count adds a request written over rows rows to the stats.
func (c *chat) count(u usage, rows int, noRequestID, costUSD bool) {
	st := &c.t.st
	c.usage += rows
	st.UsageRows += rows
	if rows > 1 {
		st.SplitRows += rows
	}
	st.Requests++
	if st.Models == nil {
		st.Models = map[string]int{}
	}
	st.Models[c.model]++
	if noRequestID {
		st.NoRequestID++
	}
	if costUSD {
		st.CostUSD++
	}
	if c.model == unknown {
		st.UnknownModel++
	}
	switch {
	case u.CacheCreation == nil:
		st.NoCacheSplit++
	case u.CacheCreation.Ephemeral1h > 0:
		st.Cache1h++
	}
	if u.Speed == "fast" {
		st.Fast++
	}
	st.MaxInput = max(st.MaxInput, u.input())
}

// stopReason is what a whole reply's row says of why it stopped.
func stopReason(blocks []block) *string {
	s := "end_turn"
	if blocks[len(blocks)-1].Type == "tool_use" {
		s = "tool_use"
	}
	return &s
}

// synthetic writes a row Claude Code makes itself (no request behind it,
// zero usage): "No response requested.", or an API error's text.
func (c *chat) synthetic(text string, apiError bool) {
	c.tick(100*time.Millisecond, 2*time.Second)
	u := usage{}
	if c.b.cacheSplit {
		u.CacheCreation = &cacheCreation{}
	}
	r := c.base("assistant")
	stop := "stop_sequence"
	r.Message = assistantMessage{Model: synthetic, ID: c.d.uuid(), Type: "message", Role: "assistant",
		Content: []block{{Type: "text", Text: text}}, StopReason: &stop, Usage: u}
	r.IsAPIErrorMessage = &apiError
	c.f.write(r)
	c.t.st.Synthetic++
}

// compactIfFull compacts the context when the next request would send
// more than its limit: a boundary row, then the summary the conversation
// goes on from.
func (c *chat) compactIfFull() {
	pre := c.ctx.cached + c.ctx.pending
	if pre <= c.ctx.limit {
		return
	}
	c.tick(20*time.Second, 90*time.Second) // writing the summary
	last := c.parent
	r := c.base("system")
	r.ParentUUID = nil
	r.LogicalParentUUID = last
	r.Subtype, r.Content = "compact_boundary", "Conversation compacted"
	r.CompactMetadata = &compactMetadata{Trigger: "auto", PreTokens: pre}
	c.f.write(r)
	s := c.base("user")
	s.IsCompactSummary, s.IsVisibleInTranscriptOnly = true, true
	s.Message = userMessage{Role: "user", Content: "This session is being continued from a previous conversation that ran out of context. " +
		"The conversation is summarized below:\n" + c.d.thinkingText(4000)}
	c.f.write(s)
	w := newWindow(c.d)
	w.pending = c.d.between(2500, 8000)
	c.ctx = w
	c.t.st.Compactions++
}

// cut writes the first row of one more reply, cut in the middle as when
// Claude Code is killed while writing it.
func (c *chat) cut() {
	c.tick(time.Second, 10*time.Second)
	r := c.base("assistant")
	r.Message = assistantMessage{Model: c.model, ID: c.d.messageID(), Type: "message", Role: "assistant",
		Content: []block{{Type: "text", Text: "Let me check the other callers as well before"}}, Usage: c.call(180, 0)}
	if c.b.requestID {
		r.RequestID = c.d.requestID()
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		c.f.err = err
		return
	}
	c.f.raw(buf.Bytes()[:buf.Len()/2])
	c.t.st.CutLines++
}
