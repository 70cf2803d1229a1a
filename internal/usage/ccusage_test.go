package usage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sess-dev/sess/internal/transcriptgen"
	"github.com/sess-dev/sess/internal/usage/prices"
)

// The golden tree (testdata/tree.json) and what ccusage 18.0.11 reported of
// it (testdata/ccusage/, by testdata/generate.sh).

var (
	goldenOnce sync.Once
	goldenDir  string
	goldenErr  error
)

// goldenTree makes the golden tree once per run and returns its projects
// folder.
func goldenTree(t *testing.T) string {
	t.Helper()
	goldenOnce.Do(func() {
		var opt transcriptgen.Options
		data, err := os.ReadFile(filepath.Join("testdata", "tree.json"))
		if err == nil {
			err = json.Unmarshal(data, &opt)
		}
		if err != nil {
			goldenErr = err
			return
		}
		goldenDir, goldenErr = os.MkdirTemp("", "sess-usage-golden-")
		if goldenErr == nil {
			_, goldenErr = transcriptgen.Generate(filepath.Join(goldenDir, "projects"), opt)
		}
	})
	if goldenErr != nil {
		t.Fatal(goldenErr)
	}
	return filepath.Join(goldenDir, "projects")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if goldenDir != "" {
		os.RemoveAll(goldenDir)
	}
	os.Exit(code)
}

// asCCUsage prices as ccusage 18 does: every cache write at the
// 5-minute rate (it reads no split). The long-context rules differ too,
// but no request of the golden tree reaches 200,000 input tokens.
func asCCUsage(e Entry, mode Mode) (float64, bool) {
	e.Tokens.CacheWrite5m += e.Tokens.CacheWrite1h
	e.Tokens.CacheWrite1h = 0
	return costOf(e, mode)
}

// ccusageCase is a golden and how sess makes the same report.
type ccusageCase struct {
	golden, report string
	mode           Mode
	filter         Filter
}

func TestSameAsCCUsage(t *testing.T) {
	root := goldenTree(t)
	utc := Filter{Loc: time.UTC}
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	cases := []ccusageCase{
		{"daily", "daily", Auto, utc},
		{"weekly", "weekly", Auto, utc},
		{"monthly", "monthly", Auto, utc},
		{"daily-calculate", "daily", Calculate, utc},
		{"daily-display", "daily", Display, utc},
		{"daily-kolkata", "daily", Auto, Filter{Loc: kolkata}},
		{"daily-since", "daily", Auto, Filter{Loc: time.UTC, Since: "20260928", Until: "20261004"}},
		{"daily-project", "daily", Auto, Filter{Loc: time.UTC, Folder: "-home-dev-src-github-com-acme-billing-api"}},
		{"daily-instances", "daily", Auto, Filter{Loc: time.UTC, ByFolder: true}},
		{"blocks", "blocks", Auto, utc},
	}
	for _, c := range cases {
		t.Run(c.golden, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join("testdata", "ccusage", c.golden+".json"))
			if err != nil {
				t.Fatal(err)
			}
			got := sessReport(t, root, c, asCCUsage)
			if diffs := compareJSON(t, got, want); len(diffs) > 0 {
				t.Errorf("%d differences from ccusage, the first: %s", len(diffs), strings.Join(diffs[:min(len(diffs), 10)], "\n"))
			}
		})
	}
}

// sessReport is sess's JSON of a case's report of root, priced by price.
func sessReport(t *testing.T, root string, c ccusageCase, price func(Entry, Mode) (float64, bool)) []byte {
	t.Helper()
	opt := Options{Mode: c.mode, Sources: Transcripts([]string{root}), price: price}
	var v any
	switch c.report {
	case "blocks":
		bs := NewBlocks(c.filter, 0)
		if _, err := Each(opt, bs.Add); err != nil {
			t.Fatal(err)
		}
		// Nothing of the tree is active at any time after it.
		now := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
		v = BlocksJSON(bs.List(now), now)
	default:
		days := NewDays(c.filter)
		if _, err := Each(opt, days.Add); err != nil {
			t.Fatal(err)
		}
		v = ReportJSON(c.report, PeriodsOf(c.report, days), c.filter)
	}
	b, err := Encode(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// costKeys hold dollars: equal to ccusage's within 0.5% (the issue's
// bound; measured, they agree to 1e-12, the order of additions aside).
// Every other number (tokens, counts) is equal.
var costKeys = map[string]bool{"totalCost": true, "cost": true, "costUSD": true}

func compareJSON(t *testing.T, got, want []byte) []string {
	t.Helper()
	var g, w any
	dg := json.NewDecoder(bytes.NewReader(got))
	dg.UseNumber()
	dw := json.NewDecoder(bytes.NewReader(want))
	dw.UseNumber()
	if err := dg.Decode(&g); err != nil {
		t.Fatalf("sess's JSON: %v\n%s", err, got)
	}
	if err := dw.Decode(&w); err != nil {
		t.Fatalf("the golden: %v", err)
	}
	var diffs []string
	compareValue("$", "", g, w, &diffs)
	return diffs
}

func compareValue(path, key string, g, w any, diffs *[]string) {
	switch wv := w.(type) {
	case map[string]any:
		gv, ok := g.(map[string]any)
		if !ok {
			*diffs = append(*diffs, fmt.Sprintf("%s: %v, want an object", path, g))
			return
		}
		for _, k := range sortedKeys(wv, gv) {
			compareValue(path+"."+k, k, gv[k], wv[k], diffs)
		}
	case []any:
		gv, ok := g.([]any)
		if !ok || len(gv) != len(wv) {
			*diffs = append(*diffs, fmt.Sprintf("%s: %d items, want %d", path, len(gv), len(wv)))
			return
		}
		for i := range wv {
			compareValue(fmt.Sprintf("%s[%d]", path, i), key, gv[i], wv[i], diffs)
		}
	case json.Number:
		gn, ok := g.(json.Number)
		if !ok {
			*diffs = append(*diffs, fmt.Sprintf("%s: %v, want %s", path, g, wv))
			return
		}
		a, _ := gn.Float64()
		b, _ := wv.Float64()
		if costKeys[key] && math.Abs(a-b) <= 0.005*math.Abs(b)+1e-9 || a == b {
			return
		}
		*diffs = append(*diffs, fmt.Sprintf("%s: %s, want %s", path, gn, wv))
	default:
		if fmt.Sprint(g) != fmt.Sprint(w) {
			*diffs = append(*diffs, fmt.Sprintf("%s: %v, want %v", path, g, w))
		}
	}
}

func sortedKeys(a, b map[string]any) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range []map[string]any{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}

// TestOneHourWrites: sess's cost differs from ccusage's by what 1-hour
// cache writes cost over the 5-minute rate, and by nothing else.
func TestOneHourWrites(t *testing.T) {
	root := goldenTree(t)
	var ours, theirs, premium float64
	var hourTokens int64
	Each(Options{Mode: Calculate, Sources: Transcripts([]string{root})}, func(c Counted) {
		ours += c.Cost
		if r, ok := prices.Lookup(priceName(c.Entry)); ok && c.Tokens.CacheWrite1h > 0 {
			p := float64(c.Tokens.CacheWrite1h) * (r.CacheWrite1h - r.CacheWrite5m)
			if c.Fast && r.Fast > 0 {
				p *= r.Fast
			}
			premium += p
			hourTokens += c.Tokens.CacheWrite1h
		}
	})
	Each(Options{Mode: Calculate, Sources: Transcripts([]string{root}), price: asCCUsage}, func(c Counted) { theirs += c.Cost })
	if hourTokens == 0 {
		t.Fatal("the golden tree has no 1-hour cache writes")
	}
	if math.Abs(ours-theirs-premium) > 1e-6 {
		t.Errorf("sess $%.6f, as ccusage $%.6f: the difference %.6f is not the 1-hour writes' premium %.6f", ours, theirs, ours-theirs, premium)
	}
	t.Logf("1-hour cache writes: %d tokens; sess $%.4f, ccusage's rule $%.4f (+%.1f%%)", hourTokens, ours, theirs, 100*(ours-theirs)/theirs)
}
