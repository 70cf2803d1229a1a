package cost

import (
	"math"

	"github.com/sess-dev/sess/internal/usage"
	"github.com/sess-dev/sess/pkg/export"
	"github.com/sess-dev/sess/pkg/session"
)

// Summary is a tally as sess prints it (export.Cost).
type Summary = export.Cost

// Summarize is a tally's Summary; nil for nil.
func Summarize(t *usage.Tally) *Summary {
	if t == nil {
		return nil
	}
	s := &Summary{USD: Round(t.Cost), InputTokens: t.Input, OutputTokens: t.Output, CacheCreationTokens: t.CacheCreation,
		CacheReadTokens: t.CacheRead, TotalTokens: t.Tokens(), Models: []export.ModelCost{}, Unpriced: t.Unpriced()}
	for _, m := range t.Breakdown() {
		s.Models = append(s.Models, export.ModelCost{Model: m.Name, USD: Round(m.Cost), TotalTokens: m.Input + m.Output + m.CacheCreation + m.CacheRead})
	}
	return s
}

// Round keeps a dollar figure to a hundredth of a cent: what a person
// reads, without the float's noise.
func Round(usd float64) float64 { return math.Round(usd*1e4) / 1e4 }

// Of is what each of the sessions cost, as exports print it; a session
// whose conversation used nothing is left out. An error leaves them all
// out, with a warning: an export goes on without its costs.
func (c Config) Of(sessions []*session.Session) map[string]*export.Cost {
	tallies, err := Sessions(c, sessions)
	if err != nil && c.Warnf != nil {
		c.Warnf("usage: %v", err)
	}
	out := make(map[string]*export.Cost, len(tallies))
	for id, t := range tallies {
		out[id] = Summarize(t)
	}
	return out
}
