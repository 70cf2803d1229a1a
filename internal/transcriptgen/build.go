package transcriptgen

// build is what one era of Claude Code's builds writes differently. The
// eras and their order follow what transcripts in the wild show; the exact
// version where each field appeared is not documented, so the versions are
// representative, not boundaries.
type build struct {
	versions []string
	// requestID: rows carry requestId (cost reports deduplicate replies on
	// message.id + requestId; without it a row is never deduplicated).
	requestID bool
	// split: a reply is written one row per content block, each row with
	// the whole reply's usage; else one row holds every block.
	split bool
	// cacheSplit: usage.cache_creation says how much was written to the
	// 5-minute and the 1-hour cache, and usage.service_tier is set.
	cacheSplit bool
	// costUSD: rows carry the build's own price of the request.
	costUSD bool
	// subagentsFolder: a subagent's transcript is
	// <conversation>/subagents/agent-<hex>.jsonl; else agent-<hex>.jsonl in
	// the project folder.
	subagentsFolder bool
	// stampsCopies: a resumed conversation's copied rows carry the new
	// conversation's id; older builds keep the old one.
	stampsCopies bool
	// models the era's users chose, with weights; subagentModels those of
	// its subagents ("" the conversation's own; none: always its own).
	models         []weighted[string]
	subagentModels []weighted[string]
}

// The eras, newest first.
var (
	build21 = &build{versions: []string{"2.1.12", "2.1.19", "2.1.27"}, requestID: true, split: true, cacheSplit: true,
		subagentsFolder: true, stampsCopies: true, subagentModels: subagentModels, models: []weighted[string]{
			{opus45, 45}, {sonnet45, 28}, {opus46, 15}, {haiku45, 6}, {opus41, 3}, {sonnet4, 3}}}
	build20 = &build{versions: []string{"2.0.14", "2.0.37", "2.0.55"}, requestID: true, split: true, cacheSplit: true,
		subagentModels: subagentModels, models: []weighted[string]{{sonnet45, 45}, {opus41, 20}, {opus45, 25}, {haiku45, 5}, {sonnet4, 5}}}
	build10 = &build{versions: []string{"1.0.88", "1.0.120"}, requestID: true, split: true,
		models: []weighted[string]{{sonnet4, 60}, {opus41, 40}}}
	build10old = &build{versions: []string{"1.0.24", "1.0.31"},
		models: []weighted[string]{{sonnet4, 75}, {opus41, 25}}}
	build10ancient = &build{versions: []string{"1.0.2"}, costUSD: true,
		models: []weighted[string]{{sonnet4, 80}, {opus41, 20}}}
)

// builds weighs the eras for conversations drawn at random.
var builds = []weighted[*build]{{build21, 70}, {build20, 15}, {build10, 8}, {build10old, 5}, {build10ancient, 2}}

// Models.
const (
	opus45    = "claude-opus-4-5-20251101"
	opus46    = "claude-opus-4-6"
	opus41    = "claude-opus-4-1-20250805"
	sonnet45  = "claude-sonnet-4-5-20250929"
	sonnet4   = "claude-sonnet-4-20250514"
	haiku45   = "claude-haiku-4-5-20251001"
	unknown   = "claude-foo-9" // a model no price table knows
	synthetic = "<synthetic>"  // Claude Code's own rows: no request behind them
)

// subagentModels weighs a subagent's model in the builds of the 4.5 models:
// mostly haiku or sonnet; "" is the conversation's own.
var subagentModels = []weighted[string]{{haiku45, 55}, {sonnet45, 35}, {"", 10}}

// oldPrice is the price a costUSD build wrote for a request, in dollars per
// million tokens. It is the old builds' own reckoning (they billed cache
// tokens as input), not a price table: it differs from one on purpose, so
// that a report's modes (costUSD or its own prices) give different sums.
func oldPrice(model string, u usage) float64 {
	in, out := 3.0, 15.0
	if model == opus41 {
		in, out = 15, 75
	}
	tokens := float64(u.InputTokens + u.CacheCreationInputTokens + u.CacheReadInputTokens)
	return (tokens*in + float64(u.OutputTokens)*out) / 1e6
}
