package transcriptgen

import (
	"cmp"
	"fmt"
	"path/filepath"
	"time"
)

// event is something other than a request and its tools in a turn.
type event int

const (
	noEvent   event = iota
	apiError        // the first request fails (a synthetic row), and is made again
	interrupt       // the user stops the turn after its tools
	limit           // the usage limit: the turn waits until it resets
)

// turn writes one turn of a conversation: a prompt, rounds of tool calls
// (each round a request and its tools' results), and the answer.
func (c *chat) turn(p *plan, n int) {
	if n > 0 {
		c.pause()
	}
	c.commands(p, n)
	c.tick(10*time.Second, 90*time.Second)
	c.say(c.d.prompt())
	c.ctx.pending += c.d.between(30, 1500) // reminders and attachments Claude Code adds
	ev := p.event(c.d, n)
	if ev == limit {
		c.waitForLimit()
	}
	rounds := pick(c.d, toolRounds)
	if n == p.taskAt || ev == apiError || ev == interrupt {
		rounds = max(rounds, 1)
	}
	for r := range rounds {
		if ev == apiError && r == 0 {
			c.synthetic(`API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`, true)
			c.tick(5*time.Second, 30*time.Second)
		}
		c.toolRound(p, n == p.taskAt && r == 0)
		if ev == interrupt && r == rounds-1 {
			c.tick(2*time.Second, 20*time.Second)
			c.say("[Request interrupted by user for tool use]")
			c.synthetic("No response requested.", false)
			return
		}
	}
	blocks, thought := c.thinking()
	text := one(c.d, answers...)
	c.reply(append(blocks, block{Type: "text", Text: text}), thought+tokens(text)+c.d.between(50, 700), thought)
}

// commands writes the slash commands the plan puts before turn n: a
// /model switch, /fast on or off.
func (c *chat) commands(p *plan, n int) {
	if n == p.switchAt && p.switchTo != "" {
		c.command("/model", p.switchTo, "Set model to "+p.switchTo)
		c.model = p.switchTo
	}
	if p.fastTo > p.fastFrom && (n == p.fastFrom || n == p.fastTo) {
		c.fast = n == p.fastFrom
		state := "off"
		if c.fast {
			state = "on"
		}
		c.command("/fast", "", "Fast mode "+state)
	}
}

// toolRound writes a request that calls tools (two subagents side by
// side when tasks is set), and the tools' results.
func (c *chat) toolRound(p *plan, tasks bool) {
	calls := c.round(p, tasks)
	blocks, thought := c.thinking()
	out := thought
	if c.d.chance(0.3) {
		text := "Let me look at " + one(c.d, files...) + " first."
		blocks = append(blocks, block{Type: "text", Text: text})
		out += tokens(text) + c.d.between(5, 40)
	}
	for _, tc := range calls {
		blocks = append(blocks, tc.use)
		out += c.d.between(40, 400)
	}
	c.reply(blocks, out, thought)
	c.results(calls)
}

// toolRounds weighs how many rounds of tool calls a turn makes.
var toolRounds = []weighted[int]{{0, 15}, {1, 20}, {2, 20}, {3, 15}, {4, 10}, {5, 7}, {6, 6}, {7, 4}, {8, 3}}

// round draws the tool calls of one request: mostly one, a few side by
// side; now and then a Task, or two (two when tasks is set).
func (c *chat) round(p *plan, tasks bool) []toolCall {
	n := pick(c.d, []weighted[int]{{1, 78}, {2, 16}, {3, 6}})
	var calls []toolCall
	if tasks {
		calls = append(calls, c.taskCall(), c.taskCall())
	} else if c.d.chance(p.tasks) {
		calls = append(calls, c.taskCall())
		if c.d.chance(0.25) {
			calls = append(calls, c.taskCall())
		}
	}
	for len(calls) < n {
		calls = append(calls, c.tool(pick(c.d, mainTools), p.bigReads))
	}
	return calls
}

// thinking is the thinking block a request starts with, if any, and the
// tokens it took.
func (c *chat) thinking() ([]block, int) {
	if c.model == haiku45 || c.d.chance(0.3) {
		return nil, 0
	}
	n := c.d.between(80, 2500)
	return []block{{Type: "thinking", Thinking: c.d.thinkingText(n), Signature: c.d.token("Eq", 150)}}, n
}

// pause is the user's time between turns: mostly a minute or two, at
// times long enough for the cache to expire.
func (c *chat) pause() {
	switch d := c.d.Float64(); {
	case d < 0.80:
		c.tick(15*time.Second, 5*time.Minute)
	case d < 0.95:
		c.tick(5*time.Minute, 40*time.Minute)
	default:
		c.tick(time.Hour, 4*time.Hour)
	}
}

// waitForLimit writes the usage limit's message (in the older form, which
// carries the time it resets at) and waits until then.
func (c *chat) waitForLimit() {
	reset := c.now.Truncate(time.Hour).Add(time.Duration(c.d.between(1, 4)) * time.Hour)
	c.synthetic(fmt.Sprintf("Claude AI usage limit reached|%d", reset.Unix()), true)
	c.now = reset.Add(time.Duration(c.d.between(1, 50)) * time.Minute)
	c.say("continue")
}

// subagent writes the transcript of a subagent that runs prompt from
// start, beside its conversation's, and returns its report, when it ended
// and the tokens it used.
func (c *chat) subagent(prompt string, start time.Time) (string, time.Time, int) {
	folder := filepath.Dir(c.f.path)
	aid := c.d.agentID(c.b.subagentsFolder)
	path := filepath.Join(folder, "agent-"+aid+".jsonl")
	if c.b.subagentsFolder {
		path = filepath.Join(folder, c.id, "subagents", "agent-"+aid+".jsonl")
	}
	model := c.model
	if c.b.subagentModels != nil {
		model = cmp.Or(pick(c.d, c.b.subagentModels), c.model)
	}
	report := "Found it in " + one(c.d, files...) + ": the check runs after the decode. Two callers depend on the order."
	f, err := createFile(path, &c.t.st)
	if err != nil {
		c.t.fail(err)
		return report, start, 0
	}
	s := &chat{t: c.t, d: c.d, f: f, b: c.b, version: c.version, id: c.id, cwd: c.cwd, branch: c.branch,
		agentID: aid, model: model, ttl: 5 * time.Minute, now: start, ctx: newWindow(c.d)}
	s.tick(100*time.Millisecond, time.Second)
	s.say(prompt)
	for range c.d.between(2, 8) {
		var calls []toolCall
		blocks, thought := s.thinking()
		out := thought
		for range pick(c.d, []weighted[int]{{1, 70}, {2, 20}, {3, 10}}) {
			tc := s.tool(pick(c.d, subagentTools), false)
			calls = append(calls, tc)
			blocks = append(blocks, tc.use)
			out += c.d.between(40, 200)
		}
		s.reply(blocks, out, thought)
		s.results(calls)
	}
	s.reply([]block{{Type: "text", Text: report}}, tokens(report)+c.d.between(100, 900), 0)
	c.t.fail(f.close(s.now))
	if c.b.subagentsFolder {
		c.t.st.Subagents++
	} else {
		c.t.st.OldSubagents++
	}
	return report, s.now, s.ctx.cached + s.ctx.pending
}
