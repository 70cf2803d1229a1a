package usage

import (
	"bytes"
	"encoding/json"
)

// The JSON of the reports ccusage has, field for field and in its order,
// so that what reads ccusage's output reads sess's.

type modelJSON struct {
	ModelName           string  `json:"modelName"`
	InputTokens         int64   `json:"inputTokens"`
	OutputTokens        int64   `json:"outputTokens"`
	CacheCreationTokens int64   `json:"cacheCreationTokens"`
	CacheReadTokens     int64   `json:"cacheReadTokens"`
	Cost                float64 `json:"cost"`
}

// TotalsJSON is ccusage's "totals".
type TotalsJSON struct {
	InputTokens         int64   `json:"inputTokens"`
	OutputTokens        int64   `json:"outputTokens"`
	CacheCreationTokens int64   `json:"cacheCreationTokens"`
	CacheReadTokens     int64   `json:"cacheReadTokens"`
	TotalCost           float64 `json:"totalCost"`
	TotalTokens         int64   `json:"totalTokens"`
}

// periodJSON is a day, week or month: its key's name is the report's.
type periodJSON struct {
	key, value          string
	InputTokens         int64       `json:"inputTokens"`
	OutputTokens        int64       `json:"outputTokens"`
	CacheCreationTokens int64       `json:"cacheCreationTokens"`
	CacheReadTokens     int64       `json:"cacheReadTokens"`
	TotalTokens         int64       `json:"totalTokens"`
	TotalCost           float64     `json:"totalCost"`
	ModelsUsed          []string    `json:"modelsUsed"`
	ModelBreakdowns     []modelJSON `json:"modelBreakdowns"`
	Project             string      `json:"project,omitempty"`
}

// MarshalJSON puts the period's key first, under the report's name for it.
func (p periodJSON) MarshalJSON() ([]byte, error) {
	type plain periodJSON
	rest, err := marshal(plain(p))
	if err != nil {
		return nil, err
	}
	key, err := marshal(p.value)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(`{"` + p.key + `":`)
	b.Write(key)
	if len(rest) > 2 {
		b.WriteByte(',')
		b.Write(rest[1:])
	} else {
		b.WriteByte('}')
	}
	return b.Bytes(), nil
}

func breakdownJSON(t *Tally) []modelJSON {
	out := []modelJSON{}
	for _, m := range t.Breakdown() {
		out = append(out, modelJSON{m.Name, m.Input, m.Output, m.CacheCreation, m.CacheRead, m.Cost})
	}
	return out
}

func models(t *Tally) []string {
	if m := t.Models(); m != nil {
		return m
	}
	return []string{}
}

func periodOf(name string, p *Period, withProject bool) periodJSON {
	j := periodJSON{key: name, value: p.Key,
		InputTokens: p.Input, OutputTokens: p.Output, CacheCreationTokens: p.CacheCreation, CacheReadTokens: p.CacheRead,
		TotalTokens: p.Tokens(), TotalCost: p.Cost, ModelsUsed: models(&p.Tally), ModelBreakdowns: breakdownJSON(&p.Tally)}
	if withProject {
		j.Project = p.Folder
	}
	return j
}

// TotalsOf sums periods into ccusage's totals.
func TotalsOf(ps []*Period) TotalsJSON {
	var t TotalsJSON
	for _, p := range ps {
		t.InputTokens += p.Input
		t.OutputTokens += p.Output
		t.CacheCreationTokens += p.CacheCreation
		t.CacheReadTokens += p.CacheRead
		t.TotalCost += p.Cost
	}
	t.TotalTokens = t.InputTokens + t.OutputTokens + t.CacheCreationTokens + t.CacheReadTokens
	return t
}

// PeriodsJSON is the JSON of a daily, weekly or monthly report: name is
// "daily", "weekly" or "monthly"; byFolder gives ccusage's --instances
// form, the days under their project folders.
func PeriodsJSON(name string, ps []*Period, byFolder, withProject bool) any {
	key := map[string]string{"daily": "date", "weekly": "week", "monthly": "month"}[name]
	if byFolder {
		return struct {
			Projects orderedProjects `json:"projects"`
			Totals   TotalsJSON      `json:"totals"`
		}{projectsOf(key, ps), TotalsOf(ps)}
	}
	list := []periodJSON{}
	for _, p := range ps {
		list = append(list, periodOf(key, p, withProject))
	}
	return orderedObject{{name, list}, {"totals", TotalsOf(ps)}}
}

// orderedProjects are the project folders in the order first listed.
type orderedProjects []struct {
	name string
	days []periodJSON
}

func projectsOf(key string, ps []*Period) orderedProjects {
	var out orderedProjects
	at := map[string]int{}
	for _, p := range ps {
		name := p.Folder
		if name == "" {
			name = "unknown"
		}
		i, ok := at[name]
		if !ok {
			i = len(out)
			at[name] = i
			out = append(out, struct {
				name string
				days []periodJSON
			}{name: name})
		}
		out[i].days = append(out[i].days, periodOf(key, p, false))
	}
	return out
}

func (o orderedProjects) MarshalJSON() ([]byte, error) {
	obj := make(orderedObject, len(o))
	for i, p := range o {
		obj[i] = field{p.name, p.days}
	}
	return obj.MarshalJSON()
}

// field is one member of an orderedObject.
type field struct {
	name  string
	value any
}

// orderedObject is a JSON object whose members keep their order.
type orderedObject []field

func (o orderedObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		name, _ := marshal(f.name)
		b.Write(name)
		b.WriteByte(':')
		v, err := marshal(f.value)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshal is json.Marshal without the HTML escapes ("<synthetic>" stays
// as it is, as in ccusage's output).
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte{'\n'}), nil
}

// emptyTotals is ccusage's totals of a weekly or monthly report with
// nothing in it, in its order for that case.
type emptyTotals struct {
	InputTokens         int64   `json:"inputTokens"`
	OutputTokens        int64   `json:"outputTokens"`
	CacheCreationTokens int64   `json:"cacheCreationTokens"`
	CacheReadTokens     int64   `json:"cacheReadTokens"`
	TotalTokens         int64   `json:"totalTokens"`
	TotalCost           float64 `json:"totalCost"`
}

// PeriodsOf are the rows of a daily, weekly or monthly report.
func PeriodsOf(report string, days *Days) []*Period {
	ps := days.Periods()
	f := days.f
	switch report {
	case "weekly":
		return Buckets(ps, f.ByFolder || f.Folder != "", WeekOf(f.WeekStart), f.Desc)
	case "monthly":
		return Buckets(ps, f.ByFolder || f.Folder != "", MonthOf, f.Desc)
	}
	return ps
}

// ReportJSON is ccusage's JSON of a daily, weekly or monthly report of ps
// (PeriodsOf), its empty forms included.
func ReportJSON(report string, ps []*Period, f Filter) any {
	switch {
	case len(ps) == 0 && report == "daily":
		return json.RawMessage("[]")
	case len(ps) == 0:
		return orderedObject{{report, []any{}}, {"totals", emptyTotals{}}}
	}
	// ccusage names the folder in a daily row when one is asked for.
	return PeriodsJSON(report, ps, f.ByFolder, report == "daily" && (f.Folder != "" || f.ByFolder))
}
