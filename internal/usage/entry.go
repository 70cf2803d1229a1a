package usage

import (
	"bytes"
	"encoding/json"
	"hash/fnv"
	"regexp"
	"strconv"
	"time"

	"github.com/sess-dev/sess/internal/usage/prices"
)

// Entry is one counted request: what a transcript row's message.usage says.
type Entry struct {
	Time         time.Time
	Conversation string // the row's sessionId: a subagent's rows name their conversation's
	Model        string // message.model, "-fast" added for usage.speed "fast"; "" when the row names none
	Fast         bool
	Tokens       prices.Tokens
	CostUSD      float64 // the row's own costUSD (HasCostUSD), from builds before 1.0.9
	HasCostUSD   bool
	Key          uint64 // message.id and requestId hashed; 0 when the row lacks either: never a duplicate
	Version      string
	Cwd          string
	LimitReset   int64 // unix seconds a "usage limit reached" error gives, 0 when none
}

// Synthetic is the model of rows the harness made (errors, interruptions):
// not a model, left out of per-model figures.
const Synthetic = "<synthetic>"

// usageMark is in every line that may count; most lines lack it, and are
// passed over without being parsed.
var usageMark = []byte(`"usage"`)

// ParseLine reads one transcript line; ok is false when it does not count.
func ParseLine(line []byte) (e Entry, ok bool) {
	if !bytes.Contains(line, usageMark) {
		return Entry{}, false
	}
	var r row
	if err := json.Unmarshal(line, &r); err != nil || !r.valid() {
		return Entry{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, r.Timestamp.v)
	if err != nil {
		return Entry{}, false
	}
	u := r.Message.Usage
	e = Entry{
		Time:         t.UTC(),
		Conversation: r.SessionID.v,
		Model:        r.Message.Model.v,
		Fast:         u.Speed.v == "fast",
		CostUSD:      r.CostUSD.v,
		HasCostUSD:   r.CostUSD.present(),
		Version:      r.Version.v,
		Cwd:          r.Cwd.v,
	}
	if e.Fast && e.Model != "" {
		e.Model += "-fast"
	}
	e.Tokens = tokensOf(u)
	if r.Message.ID.present() && r.RequestID.present() {
		e.Key = keyOf(r.Message.ID.v, r.RequestID.v)
	}
	if r.IsAPIErrorMessage.v {
		e.LimitReset = limitReset(line)
	}
	return e, true
}

// tokensOf splits the cache writes into 5-minute and 1-hour ones where
// the row says (cache_creation); the total stays cache_creation_input_tokens,
// the figure ccusage counts.
func tokensOf(u *usageJSON) prices.Tokens {
	t := prices.Tokens{
		Input:     int64(u.Input.v),
		Output:    int64(u.Output.v),
		CacheRead: int64(u.CacheRead.v),
	}
	total := int64(u.CacheCreation.v)
	if u.Split != nil {
		h := min(max(int64(u.Split.OneHour), 0), max(total, 0))
		t.CacheWrite1h = h
		total -= h
	}
	t.CacheWrite5m = total
	return t
}

// CacheWrites is all of an entry's cache-write tokens.
func CacheWrites(t prices.Tokens) int64 { return t.CacheWrite5m + t.CacheWrite1h }

// keyOf is the identity of a request, hashed: 64 bits keep a collision
// among a lifetime's million requests below one in ten million.
func keyOf(messageID, requestID string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(messageID))
	h.Write([]byte{':'})
	h.Write([]byte(requestID))
	if k := h.Sum64(); k != 0 {
		return k
	}
	return 1
}

// limitText is the message Claude Code records when a plan's limit is
// reached, the time it resets after the bar.
var limitText = regexp.MustCompile(`Claude AI usage limit reached\|(\d+)`)

func limitReset(line []byte) int64 {
	m := limitText.FindSubmatch(line)
	if m == nil {
		return 0
	}
	n, err := strconv.ParseInt(string(m[1]), 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}
