package usage

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/sess-dev/sess/pkg/export"
)

// Table is a report for the terminal: a header, rows, and a totals row,
// numbers aligned right.
type Table struct {
	Head []string
	Rows [][]string
}

// Row adds a row.
func (t *Table) Row(cells ...string) { t.Rows = append(t.Rows, cells) }

// TallyRow adds a tally's row under its label: its models, tokens by
// kind, all tokens, the cost and any extra cells; with breakdown, a row
// per model under it.
func (t *Table) TallyRow(label string, tl *Tally, breakdown bool, extra ...string) {
	t.Row(append([]string{label, strings.Join(tl.Models(), ", "), Count(tl.Input), Count(tl.Output), Count(tl.CacheCreation),
		Count(tl.CacheRead), Count(tl.Tokens()), Dollars(tl.Cost)}, extra...)...)
	if !breakdown {
		return
	}
	for _, m := range tl.Breakdown() {
		t.Row("  └ "+m.Name, "", Count(m.Input), Count(m.Output), Count(m.CacheCreation), Count(m.CacheRead),
			Count(m.Input+m.Output+m.CacheCreation+m.CacheRead), Dollars(m.Cost))
	}
}

// TotalRow adds the totals' row: the tally's without its models.
func (t *Table) TotalRow(tl *Tally) {
	t.Row("Total", "", Count(tl.Input), Count(tl.Output), Count(tl.CacheCreation), Count(tl.CacheRead), Count(tl.Tokens()), Dollars(tl.Cost))
}

// TallyHead is the head of a table of TallyRows.
func TallyHead(first string) []string {
	return []string{first, "Models", "Input", "Output", "Cache create", "Cache read", "Total tokens", "Cost (USD)"}
}

// String lays the table out: the first two columns to the left, the
// others to the right.
func (t *Table) String() string {
	width := make([]int, len(t.Head))
	for _, r := range append([][]string{t.Head}, t.Rows...) {
		for i, c := range r {
			if i < len(width) {
				width[i] = max(width[i], utf8.RuneCountInString(c))
			}
		}
	}
	var b strings.Builder
	line := func(r []string) {
		for i := range width {
			c := ""
			if i < len(r) {
				c = r[i]
			}
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if i < 2 {
				b.WriteString(c + pad)
			} else {
				b.WriteString(pad + c)
			}
			if i < len(width)-1 {
				b.WriteString("  ")
			}
		}
		b.WriteString("\n")
	}
	line(t.Head)
	total := len(width)*2 - 2
	for _, w := range width {
		total += w
	}
	b.WriteString(strings.Repeat("─", total) + "\n")
	for _, r := range t.Rows {
		line(r)
	}
	return strings.TrimRight(b.String(), " ")
}

// Count writes a number of tokens with thousands separators.
func Count(n int64) string { return export.Thousands(n) }

// Dollars writes a cost in dollars and cents.
func Dollars(x float64) string { return fmt.Sprintf("$%.2f", x) }
