package prices

// longContext is the input, in tokens, above which Anthropic bills a whole
// request at a model's long-context rates.
const longContext = 200_000

// Tokens of one request, as a transcript row's message.usage gives them.
type Tokens struct {
	Input, Output int64
	CacheWrite5m  int64 // cache_creation.ephemeral_5m_input_tokens, or all of cache_creation_input_tokens when no split is given
	CacheWrite1h  int64 // cache_creation.ephemeral_1h_input_tokens
	CacheRead     int64
}

// Rate is a model's price per token in USD.
type Rate struct {
	Input, Output, CacheWrite5m, CacheWrite1h, CacheRead float64

	Long *Rate   // the long-context tier (LiteLLM's *_above_200k_tokens), nil when the model has none
	Fast float64 // multiplier for usage.speed "fast" (LiteLLM provider_specific_entry.fast), 0 when none
}

// Cost is what a request of t tokens costs in USD: at the long-context
// rates for all its tokens when its input is over 200,000 tokens and the
// model has such rates, times Fast when fast.
func (r Rate) Cost(t Tokens, fast bool) float64 {
	at := r
	if r.Long != nil && t.Input+t.CacheWrite5m+t.CacheWrite1h+t.CacheRead > longContext {
		at = *r.Long
	}
	cost := float64(t.Input)*at.Input +
		float64(t.Output)*at.Output +
		float64(t.CacheWrite5m)*at.CacheWrite5m +
		float64(t.CacheWrite1h)*at.CacheWrite1h +
		float64(t.CacheRead)*at.CacheRead
	if fast && r.Fast > 0 {
		cost *= r.Fast
	}
	return cost
}
