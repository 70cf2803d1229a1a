// Package prices is an offline price table of Anthropic's Claude models,
// generated from LiteLLM's published price file (gen/claude_prices.json, the
// Claude entries of BerriAI/litellm's model_prices_and_context_window.json,
// MIT licensed), and the rule that turns a request's tokens into dollars.
// Lookup finds a model by the name a Claude Code transcript gives, as
// ccusage finds it, except that an unknown name is reported unknown, never
// matched to a model whose name merely contains it.
//
// Costs agree with ccusage's on ordinary requests and differ on purpose in
// two places, where ccusage's rule is not what Anthropic bills:
//
//   - A 1-hour cache write costs 2× the base input price (LiteLLM's
//     cache_creation_input_token_cost_above_1hr where it gives one), a
//     5-minute one 1.25×. ccusage bills every cache write at the 5-minute
//     rate.
//   - A request whose input (input, cache writes and cache reads together)
//     is over 200,000 tokens is billed at the long-context rates for all
//     its tokens, output included. ccusage splits each kind of token at
//     200,000 and bills only the part above at the long rate.
//
// It is data and arithmetic: no I/O, no state but the generated table.
package prices

//go:generate sh -c "go run ./gen gen/claude_prices.json > table.go"
