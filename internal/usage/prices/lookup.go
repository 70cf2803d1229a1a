package prices

import "strings"

// providerPrefixes are the prefixes ccusage puts before a Claude model's
// name when the name itself is not a key (its CLAUDE_PROVIDER_PREFIXES), in
// its order, so that a name finds the entry ccusage's finds.
var providerPrefixes = [...]string{
	"anthropic/",
	"claude-3-5-",
	"claude-3-",
	"claude-",
	"openrouter/openai/",
}

// Lookup is the rate of the model a transcript names: the entry of that
// name, else of the name after each of ccusage's provider prefixes. Unlike
// ccusage it stops there, not taking at last any entry whose name contains
// the model's or is contained in it: that is a guess, and a model it does
// not know must show as unpriced (false), never at another's price.
//
// Claude Code writes a model run with a larger context window with its
// window as a suffix (claude-sonnet-4-5-20250929[1m]); LiteLLM has no such
// keys, so a trailing [...] is dropped when the whole name is unknown.
func Lookup(model string) (Rate, bool) {
	if r, ok := lookup(model); ok {
		return r, true
	}
	if i := strings.LastIndexByte(model, '['); i > 0 && strings.HasSuffix(model, "]") {
		return lookup(model[:i])
	}
	return Rate{}, false
}

func lookup(name string) (Rate, bool) {
	if r, ok := table[name]; ok {
		return r, true
	}
	for _, p := range providerPrefixes {
		if r, ok := table[p+name]; ok {
			return r, true
		}
	}
	return Rate{}, false
}
