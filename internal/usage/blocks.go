package usage

import (
	"math"
	"slices"
	"sort"
	"time"
)

// BlockLength is the length of Anthropic's usage windows: a block starts at
// the hour of its first request and lasts five hours.
const BlockLength = 5 * time.Hour

// Blocks groups counted requests into billing blocks as ccusage does.
type Blocks struct {
	f       Filter
	length  time.Duration
	entries []blockEntry
}

type blockEntry struct {
	t                                       time.Time
	input, output, cacheCreation, cacheRead int64
	cost                                    float64
	model                                   string
	reset                                   int64
}

// NewBlocks collects requests for blocks of length (BlockLength when 0).
func NewBlocks(f Filter, length time.Duration) *Blocks {
	if length <= 0 {
		length = BlockLength
	}
	return &Blocks{f: f, length: length}
}

// Add keeps a request for its block.
func (b *Blocks) Add(c Counted) {
	if b.f.Folder != "" && c.Folder != b.f.Folder {
		return
	}
	model := c.Model
	if model == "" {
		model = "unknown"
	}
	b.entries = append(b.entries, blockEntry{c.Time, c.Tokens.Input, c.Tokens.Output, CacheWrites(c.Tokens), c.Tokens.CacheRead, c.Cost, model, c.LimitReset})
}

// Block is a billing block, or the gap between two.
type Block struct {
	Start, End, LastEntry time.Time // LastEntry zero for a gap
	Active, Gap           bool
	Entries               int
	Input, Output         int64
	CacheCreation         int64
	CacheRead             int64
	Cost                  float64
	Models                []string
	first                 time.Time
	reset                 int64
}

// Tokens is all of a block's tokens.
func (bl *Block) Tokens() int64 { return bl.Input + bl.Output + bl.CacheCreation + bl.CacheRead }

// List is the blocks as of now: a new block starts at the hour of a
// request more than the length after its block's start or its last
// request; a gap block stands for a silence longer than the length.
func (b *Blocks) List(now time.Time) []*Block {
	es := slices.Clone(b.entries)
	sort.SliceStable(es, func(i, j int) bool { return es[i].t.Before(es[j].t) })
	var out []*Block
	var cur *Block
	for _, e := range es {
		if cur != nil && (e.t.Sub(cur.Start) > b.length || e.t.Sub(cur.LastEntry) > b.length) {
			out = append(out, b.close(cur, now))
			if gap := e.t.Sub(cur.LastEntry); gap > b.length {
				out = append(out, &Block{Start: cur.LastEntry.Add(b.length), End: e.t, Gap: true, Models: []string{}})
			}
			cur = nil
		}
		if cur == nil {
			cur = &Block{Start: e.t.Truncate(time.Hour), first: e.t, Models: []string{}}
		}
		cur.Entries++
		cur.LastEntry = e.t
		cur.Input += e.input
		cur.Output += e.output
		cur.CacheCreation += e.cacheCreation
		cur.CacheRead += e.cacheRead
		cur.Cost += e.cost
		if e.reset != 0 {
			cur.reset = e.reset
		}
		if !slices.Contains(cur.Models, e.model) {
			cur.Models = append(cur.Models, e.model)
		}
	}
	if cur != nil {
		out = append(out, b.close(cur, now))
	}
	return b.filter(out)
}

func (b *Blocks) close(bl *Block, now time.Time) *Block {
	bl.End = bl.Start.Add(b.length)
	bl.Active = now.Sub(bl.LastEntry) < b.length && now.Before(bl.End)
	return bl
}

func (b *Blocks) filter(bs []*Block) []*Block {
	var out []*Block
	for _, bl := range bs {
		if b.f.inRange(dateIn(bl.Start, b.f.loc())) {
			out = append(out, bl)
		}
	}
	if b.f.Desc {
		sort.SliceStable(out, func(i, j int) bool { return out[i].Start.After(out[j].Start) })
	}
	return out
}

// BurnRate is an active block's pace.
type BurnRate struct {
	TokensPerMinute             float64 `json:"tokensPerMinute"`
	TokensPerMinuteForIndicator float64 `json:"tokensPerMinuteForIndicator"`
	CostPerHour                 float64 `json:"costPerHour"`
}

// Projection is where an active block is heading at its pace.
type Projection struct {
	TotalTokens      int64   `json:"totalTokens"`
	TotalCost        float64 `json:"totalCost"`
	RemainingMinutes int64   `json:"remainingMinutes"`
}

// Burn is an active block's pace, nil for another or one of one instant.
func (bl *Block) Burn() *BurnRate {
	if !bl.Active || bl.Gap || bl.Entries == 0 {
		return nil
	}
	minutes := bl.LastEntry.Sub(bl.first).Minutes()
	if minutes <= 0 {
		return nil
	}
	return &BurnRate{float64(bl.Tokens()) / minutes, float64(bl.Input+bl.Output) / minutes, bl.Cost / minutes * 60}
}

// Project is where an active block will be at its end, at its pace.
func (bl *Block) Project(now time.Time) *Projection {
	br := bl.Burn()
	if br == nil {
		return nil
	}
	left := max(0, bl.End.Sub(now).Minutes())
	return &Projection{
		TotalTokens:      int64(math.Round(float64(bl.Tokens()) + br.TokensPerMinute*left)),
		TotalCost:        math.Round((bl.Cost+br.CostPerHour/60*left)*100) / 100,
		RemainingMinutes: int64(math.Round(left)),
	}
}

type blockJSON struct {
	ID            string      `json:"id"`
	StartTime     string      `json:"startTime"`
	EndTime       string      `json:"endTime"`
	ActualEndTime *string     `json:"actualEndTime"`
	IsActive      bool        `json:"isActive"`
	IsGap         bool        `json:"isGap"`
	Entries       int         `json:"entries"`
	TokenCounts   tokenCounts `json:"tokenCounts"`
	TotalTokens   int64       `json:"totalTokens"`
	CostUSD       float64     `json:"costUSD"`
	Models        []string    `json:"models"`
	BurnRate      *BurnRate   `json:"burnRate"`
	Projection    *Projection `json:"projection"`
	LimitReset    string      `json:"usageLimitResetTime,omitempty"`
}

type tokenCounts struct {
	InputTokens              int64 `json:"inputTokens"`
	OutputTokens             int64 `json:"outputTokens"`
	CacheCreationInputTokens int64 `json:"cacheCreationInputTokens"`
	CacheReadInputTokens     int64 `json:"cacheReadInputTokens"`
}

// isoMillis is JavaScript's toISOString.
func isoMillis(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// BlocksJSON is ccusage's blocks report's shape.
func BlocksJSON(bs []*Block, now time.Time) any {
	out := []blockJSON{}
	for _, bl := range bs {
		j := blockJSON{ID: isoMillis(bl.Start), StartTime: isoMillis(bl.Start), EndTime: isoMillis(bl.End),
			IsActive: bl.Active, IsGap: bl.Gap, Entries: bl.Entries,
			TokenCounts: tokenCounts{bl.Input, bl.Output, bl.CacheCreation, bl.CacheRead},
			TotalTokens: bl.Tokens(), CostUSD: bl.Cost, Models: bl.Models, BurnRate: bl.Burn(), Projection: bl.Project(now)}
		if bl.Gap {
			j.ID = "gap-" + j.ID
		} else {
			s := isoMillis(bl.LastEntry)
			j.ActualEndTime = &s
		}
		if bl.reset != 0 {
			j.LimitReset = isoMillis(time.Unix(bl.reset, 0))
		}
		out = append(out, j)
	}
	return orderedObject{{"blocks", out}}
}
