package transcript

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/sess-dev/sess/internal/redact"
)

// DefaultBudget is how many words highlights keep, as the original.
const DefaultBudget = 2000

// Highlights are what an export keeps of a conversation.
type Highlights struct {
	Text       string // "**User:** …" and "**Claude:** …" paragraphs
	Percent    int    // of the transcript's words kept
	Redactions int
}

// signal finds the words of turns worth keeping: decisions, fixes, errors,
// causes (English and Dutch, as the original's list, and a few more).
var signal = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)\b(decid\w*|decision|chose|chosen|choice|because|fix\w*|bug|error\w*|fail\w*|broke\w*|cause|root cause|solution|solved|resolved|workaround|problem|instead|trade-?off|oplossing|beslissing|besloten|fout\w*|werkt|keuze|gekozen|probleem|oorzaak)\b`)
})

// Pick redacts the turns, then keeps the first two and the last two and,
// between them, the turns with the most signal words (per word) first, as
// many as fit the budget, in their order.
func Pick(turns []Turn, budget int) Highlights {
	var h Highlights
	if len(turns) == 0 {
		return h
	}
	red := make([]Turn, len(turns))
	total := 0
	for i, t := range turns {
		text, n := redact.Text(t.Text)
		h.Redactions += n
		red[i] = Turn{t.Role, text}
		total += len(strings.Fields(text))
	}
	keep := choose(red, budget)
	kept := 0
	var parts []string
	for i, t := range red {
		if !keep[i] {
			continue
		}
		text := clip(t.Text, budget)
		kept += len(strings.Fields(text))
		who := "**User:**"
		if t.Role == "assistant" {
			who = "**Claude:**"
		}
		parts = append(parts, who+" "+text)
	}
	h.Text = strings.Join(parts, "\n\n")
	if total > 0 {
		h.Percent = min(100, (kept*100+total/2)/total)
	}
	return h
}

// choose marks the turns to keep.
func choose(turns []Turn, budget int) []bool {
	keep := make([]bool, len(turns))
	words := func(i int) int { return len(strings.Fields(turns[i].Text)) }
	used := 0
	for _, i := range []int{0, 1, len(turns) - 2, len(turns) - 1} {
		if i >= 0 && i < len(turns) && !keep[i] {
			keep[i] = true
			used += min(words(i), budget)
		}
	}
	type cand struct {
		i     int
		score float64
	}
	var middle []cand
	for i := 2; i < len(turns)-2; i++ {
		n := words(i)
		if n == 0 {
			continue
		}
		hits := len(signal().FindAllStringIndex(turns[i].Text, -1))
		middle = append(middle, cand{i, float64(hits) / float64(n+20)})
	}
	sort.SliceStable(middle, func(a, b int) bool { return middle[a].score > middle[b].score })
	for _, c := range middle {
		if n := words(c.i); used+n <= budget {
			keep[c.i] = true
			used += n
		}
	}
	return keep
}

// clip cuts a turn longer than the whole budget.
func clip(text string, budget int) string {
	ws := strings.Fields(text)
	if len(ws) <= budget {
		return text
	}
	return strings.Join(ws[:budget], " ") + fmt.Sprintf(" … (%d more words)", len(ws)-budget)
}
