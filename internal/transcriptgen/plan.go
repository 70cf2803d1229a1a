package transcriptgen

import "time"

// plan is what a conversation will be, drawn before it is written.
type plan struct {
	project  int
	start    time.Time
	b        *build
	version  string
	model    string
	branch   string
	turns    int
	hour     bool    // the cache lives an hour (else five minutes)
	tasks    float64 // the chance that a round of tool calls runs a subagent
	taskAt   int     // the turn whose first round runs two subagents side by side (-1: none)
	bigReads bool    // more reads of large files: context grows fast
	resume   *convInfo
	switchAt int // the turn a /model switch comes before (-1: none)
	switchTo string
	fastFrom int // turns fastFrom up to fastTo (not included) are in fast mode
	fastTo   int
	events   bool // turns 1, 2 and 3 have an API error, an interruption, the usage limit
	cut      bool // the file's last line is cut
}

// draw is a conversation drawn at random, in realistic proportions.
func (t *tree) draw(d dice) plan {
	p := t.basic(d)
	p.cut = d.chance(0.003)
	switch {
	case p.model == opus46 && d.chance(0.35):
		p.fastFrom = d.IntN(p.turns)
		p.fastTo = p.fastFrom + d.between(1, 6)
	case d.chance(0.08):
		p.switchAt = d.between(1, max(1, p.turns-1))
		p.switchTo = pick(d, p.b.models)
	}
	if d.chance(0.08) {
		if j := t.resumable(d); j != nil {
			p.resumeOf(j, time.Duration(d.between(1, 72))*time.Hour)
		}
	}
	return p
}

// basic is a conversation drawn at random with nothing out of the way:
// the tour's starting point.
func (t *tree) basic(d dice) plan {
	p := plan{project: pick(d, t.projects), b: pick(d, builds), switchAt: -1, tasks: 0.02, taskAt: -1}
	p.version = one(d, p.b.versions...)
	p.model = pick(d, p.b.models)
	p.branch = one(d, "main", "main", "main", "feature/retry", "fix/empty-body")
	p.start = t.day(d.IntN(t.opt.Days)).Add(startTime(d))
	p.turns = pick(d, turnCounts)(d)
	p.hour = p.b.cacheSplit && d.chance(0.2)
	return p
}

// turnCounts weighs how long a conversation is: most are short.
var turnCounts = []weighted[func(dice) int]{
	{func(d dice) int { return d.between(1, 5) }, 45},
	{func(d dice) int { return d.between(6, 20) }, 35},
	{func(d dice) int { return d.between(21, 60) }, 15},
	{func(d dice) int { return d.between(61, 150) }, 5},
}

// startTime is when in its day (UTC) a conversation starts: mostly working
// hours, some evenings, a few nights.
func startTime(d dice) time.Duration {
	var h int
	switch x := d.Float64(); {
	case x < 0.7:
		h = d.between(8, 17)
	case x < 0.9:
		h = d.between(18, 23)
	default:
		h = d.between(0, 7)
	}
	return time.Duration(h)*time.Hour + time.Duration(d.IntN(3600))*time.Second
}

// set makes the conversation one of build b with model.
func (p *plan) set(b *build, model string) {
	p.b, p.version, p.model = b, b.versions[0], model
	if !b.cacheSplit {
		p.hour = false
	}
}

// at starts the conversation on day (of 61, scaled to the tree's days) at
// the time of day given.
func (p *plan) at(t *tree, day int, clock time.Duration) {
	p.start = t.day(day * t.opt.Days / defaultDays).Add(clock)
}

// resumeOf makes the conversation a resumption of j, a while after it
// ended: same folder, build and model.
func (p *plan) resumeOf(j *convInfo, after time.Duration) {
	p.resume = j
	p.project, p.b, p.version, p.model, p.branch = j.project, j.b, j.version, j.model, j.branch
	p.start = j.end.Add(after)
	p.hour = p.hour && p.b.cacheSplit
	p.switchAt, p.fastFrom, p.fastTo = -1, 0, 0
}

// event is what else happens in turn n.
func (p *plan) event(d dice, n int) event {
	x := d.Float64()
	if p.events {
		x = 1
		switch n {
		case 1:
			return apiError
		case 2:
			return interrupt
		case 3:
			return limit
		}
	}
	switch {
	case x < 0.007:
		return apiError
	case x < 0.017:
		return interrupt
	case x < 0.019:
		return limit
	}
	return noEvent
}

// tour is the first conversations of every tree: one or two of each shape
// a report must read, so that a small tree has them all. Each sets what it
// is about over a conversation drawn at random.
var tour = []func(t *tree, d dice, p *plan){
	// 0: the newest build, opus 4.5, the 1-hour cache, subagents in their
	// folder (some side by side); it starts before midnight UTC and ends after.
	func(t *tree, d dice, p *plan) {
		p.set(build21, opus45)
		p.at(t, 0, 23*time.Hour+5*time.Minute)
		p.turns, p.hour, p.taskAt = 6, true, 1
	},
	// 1: a 2.0 build, sonnet 4.5, a subagent beside the conversation's file.
	func(t *tree, d dice, p *plan) {
		p.set(build20, sonnet45)
		p.at(t, 2, 10*time.Hour)
		p.turns, p.taskAt = 5, 1
	},
	// 2: opus 4.6, two turns in fast mode.
	func(t *tree, d dice, p *plan) {
		p.set(build21, opus46)
		p.at(t, 9, 14*time.Hour)
		p.turns, p.fastFrom, p.fastTo = 5, 1, 3
	},
	// 3: a model no price table knows.
	func(t *tree, d dice, p *plan) {
		p.set(build21, unknown)
		p.at(t, 16, 11*time.Hour)
		p.turns = 3
	},
	// 4: conversation 1 resumed by its 2.0 build: the copies keep their id.
	func(t *tree, d dice, p *plan) {
		p.resumeOf(&t.convs[1], 20*time.Hour)
		p.turns = 3
	},
	// 5: a build without request ids, a reply in one row.
	func(t *tree, d dice, p *plan) {
		p.set(build10old, sonnet4)
		p.at(t, 24, 9*time.Hour)
		p.turns = 4
	},
	// 6: the oldest build, with costUSD, on the last evening of September
	// (UTC) and into October.
	func(t *tree, d dice, p *plan) {
		p.set(build10ancient, sonnet4)
		p.at(t, 29, 23*time.Hour+35*time.Minute)
		p.turns = 5
	},
	// 7: conversation 0 resumed by a 2.1 build: the copies carry the new id.
	func(t *tree, d dice, p *plan) {
		p.resumeOf(&t.convs[0], 26*time.Hour)
		p.turns = 3
	},
	// 8: synthetic rows: an API error, an interruption, the usage limit.
	func(t *tree, d dice, p *plan) {
		p.set(build21, sonnet45)
		p.at(t, 38, 15*time.Hour)
		p.turns, p.events = 5, true
	},
	// 9: a file whose last line is cut.
	func(t *tree, d dice, p *plan) {
		p.set(build21, sonnet45)
		p.at(t, 45, 12*time.Hour)
		p.turns, p.cut = 3, true
	},
	// 10: a long conversation, compacted, its model switched half way.
	func(t *tree, d dice, p *plan) {
		p.set(build21, opus45)
		p.at(t, 20, 8*time.Hour)
		p.turns, p.bigReads, p.switchAt, p.switchTo = 16, true, 8, sonnet45
	},
	// 11: conversation 5 resumed: its copies have no request id to tell
	// them by.
	func(t *tree, d dice, p *plan) {
		p.resumeOf(&t.convs[5], 30*time.Hour)
		p.turns = 2
	},
	// 12: a 1.0 build: request ids, no cache split; a subagent beside it.
	func(t *tree, d dice, p *plan) {
		p.set(build10, opus41)
		p.at(t, 52, 13*time.Hour)
		p.turns, p.taskAt = 4, 2
	},
	// 13: haiku on its own, in the last days.
	func(t *tree, d dice, p *plan) {
		p.set(build21, haiku45)
		p.at(t, 59, 17*time.Hour)
		p.turns = 3
	},
}
