package cost

import (
	"math"

	"github.com/sess-dev/sess/internal/usage"
)

// Summary is a tally as sess prints it, beside the original's fields
// (snake_case, dollars rounded to the cent's hundredth).
type Summary struct {
	USD                 float64        `json:"usd"`
	InputTokens         int64          `json:"input_tokens"`
	OutputTokens        int64          `json:"output_tokens"`
	CacheCreationTokens int64          `json:"cache_creation_tokens"`
	CacheReadTokens     int64          `json:"cache_read_tokens"`
	TotalTokens         int64          `json:"total_tokens"`
	Models              []ModelSummary `json:"models"`
	Unpriced            []string       `json:"unpriced_models,omitempty"`
}

// ModelSummary is one model's part.
type ModelSummary struct {
	Model       string  `json:"model"`
	USD         float64 `json:"usd"`
	TotalTokens int64   `json:"total_tokens"`
}

// Summarize is a tally's Summary; nil for nil.
func Summarize(t *usage.Tally) *Summary {
	if t == nil {
		return nil
	}
	s := &Summary{USD: Round(t.Cost), InputTokens: t.Input, OutputTokens: t.Output, CacheCreationTokens: t.CacheCreation,
		CacheReadTokens: t.CacheRead, TotalTokens: t.Tokens(), Models: []ModelSummary{}, Unpriced: t.Unpriced()}
	for _, m := range t.Breakdown() {
		s.Models = append(s.Models, ModelSummary{m.Name, Round(m.Cost), m.Input + m.Output + m.CacheCreation + m.CacheRead})
	}
	return s
}

// Round keeps a dollar figure to a hundredth of a cent: what a person
// reads, without the float's noise.
func Round(usd float64) float64 { return math.Round(usd*1e4) / 1e4 }
