package usage

import (
	"slices"
	"sort"
)

// Tally sums counted requests: tokens by kind, cost, and the same per
// model in the order the models were first seen.
type Tally struct {
	Input, Output, CacheCreation, CacheRead int64
	Cost                                    float64
	models                                  []string // first seen first; no synthetic rows
	byModel                                 map[string]*ModelTally
	order                                   []*ModelTally // byModel, first counted first ("unknown" among them)
	unpriced                                []string      // models counted without a price
}

// Count counts a request at its cost, and its model among the unpriced
// when the price table has none.
func (t *Tally) Count(c Counted) {
	t.Add(c.Entry, c.Cost)
	if m := priceName(c.Entry); c.Unpriced && !slices.Contains(t.unpriced, m) {
		t.unpriced = append(t.unpriced, m)
	}
}

// Unpriced are the models counted without a price.
func (t *Tally) Unpriced() []string { return slices.Clone(t.unpriced) }

// ModelTally is one model's part of a Tally.
type ModelTally struct {
	Name                                    string
	Input, Output, CacheCreation, CacheRead int64
	Cost                                    float64
}

// Add counts one request at cost.
func (t *Tally) Add(e Entry, cost float64) {
	t.Input += e.Tokens.Input
	t.Output += e.Tokens.Output
	t.CacheCreation += CacheWrites(e.Tokens)
	t.CacheRead += e.Tokens.CacheRead
	t.Cost += cost
	name := e.Model
	if name == Synthetic {
		return
	}
	if name != "" && !slices.Contains(t.models, name) {
		t.models = append(t.models, name)
	}
	if name == "" {
		name = "unknown"
	}
	m := t.model(name)
	m.Input += e.Tokens.Input
	m.Output += e.Tokens.Output
	m.CacheCreation += CacheWrites(e.Tokens)
	m.CacheRead += e.Tokens.CacheRead
	m.Cost += cost
}

func (t *Tally) model(name string) *ModelTally {
	if t.byModel == nil {
		t.byModel = map[string]*ModelTally{}
	}
	m := t.byModel[name]
	if m == nil {
		m = &ModelTally{Name: name}
		t.byModel[name] = m
		t.order = append(t.order, m)
	}
	return m
}

// Merge adds another tally (a day's into its week's): its models after
// this one's.
func (t *Tally) Merge(o *Tally) {
	t.Input += o.Input
	t.Output += o.Output
	t.CacheCreation += o.CacheCreation
	t.CacheRead += o.CacheRead
	t.Cost += o.Cost
	for _, name := range o.models {
		if !slices.Contains(t.models, name) {
			t.models = append(t.models, name)
		}
	}
	for _, name := range o.unpriced {
		if !slices.Contains(t.unpriced, name) {
			t.unpriced = append(t.unpriced, name)
		}
	}
	for _, om := range o.order {
		m := t.model(om.Name)
		m.Input += om.Input
		m.Output += om.Output
		m.CacheCreation += om.CacheCreation
		m.CacheRead += om.CacheRead
		m.Cost += om.Cost
	}
}

// Tokens is all of the tally's tokens.
func (t *Tally) Tokens() int64 { return t.Input + t.Output + t.CacheCreation + t.CacheRead }

// Models are the models used, first seen first.
func (t *Tally) Models() []string { return slices.Clone(t.models) }

// Breakdown is the tally per model, the costliest first (models of equal
// cost in the order they were first counted).
func (t *Tally) Breakdown() []ModelTally {
	out := make([]ModelTally, len(t.order))
	for i, m := range t.order {
		out[i] = *m
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Cost > out[j].Cost })
	return out
}
