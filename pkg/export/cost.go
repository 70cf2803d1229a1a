package export

import (
	"fmt"
	"strconv"
	"strings"
)

// Cost is what a session, thread or project cost, as sess prints it beside
// the original's fields (snake_case; dollars kept to a hundredth of a
// cent).
type Cost struct {
	USD                 float64     `json:"usd"`
	InputTokens         int64       `json:"input_tokens"`
	OutputTokens        int64       `json:"output_tokens"`
	CacheCreationTokens int64       `json:"cache_creation_tokens"`
	CacheReadTokens     int64       `json:"cache_read_tokens"`
	TotalTokens         int64       `json:"total_tokens"`
	Models              []ModelCost `json:"models"`
	Unpriced            []string    `json:"unpriced_models,omitempty"`
}

// ModelCost is one model's part of a Cost, the costliest first.
type ModelCost struct {
	Model       string  `json:"model"`
	USD         float64 `json:"usd"`
	TotalTokens int64   `json:"total_tokens"`
}

// CostLine is a Cost in one line for people: dollars, tokens, and the
// models by what they cost.
func CostLine(c *Cost) string {
	if c == nil {
		return ""
	}
	var models []string
	for _, m := range c.Models {
		models = append(models, fmt.Sprintf("%s %s", m.Model, Dollars(m.USD)))
	}
	line := fmt.Sprintf("%s, %s tokens", Dollars(c.USD), Thousands(c.TotalTokens))
	if len(models) > 0 {
		line += " (" + strings.Join(models, ", ") + ")"
	}
	if len(c.Unpriced) > 0 {
		line += "; no price known for " + strings.Join(c.Unpriced, ", ")
	}
	return line
}

// Dollars writes an amount as $1.23 (cents; $0.004 and less as <$0.01).
func Dollars(usd float64) string {
	if usd > 0 && usd < 0.005 {
		return "<$0.01"
	}
	return fmt.Sprintf("$%.2f", usd)
}

// Thousands writes a count with thousands separators: 1,234,567.
func Thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && c != '-' && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
