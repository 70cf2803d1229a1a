package prices

import "testing"

func TestLookup(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		model     string
		wantInput float64 // 0: unknown
	}{
		// The names Claude Code writes.
		{"claude-opus-4-5-20251101", 5e-06},
		{"claude-sonnet-4-5-20250929", 3e-06},
		{"claude-haiku-4-5-20251001", 1e-06},
		{"claude-opus-4-1-20250805", 1.5e-05},
		{"claude-sonnet-4-20250514", 3e-06},
		{"claude-opus-4-20250514", 1.5e-05},
		{"claude-3-7-sonnet-20250219", 3e-06},
		{"claude-3-5-haiku-20241022", 8e-07},
		{"claude-3-5-sonnet-20241022", 3e-06},
		{"claude-opus-4-6", 5e-06},
		{"claude-sonnet-4-6", 3e-06},
		{"claude-opus-4-7", 5e-06},
		{"claude-opus-4-8", 5e-06},
		{"claude-sonnet-5", 2e-06},
		{"claude-fable-5", 1e-05},
		// Claude Code's context suffix.
		{"claude-sonnet-4-5-20250929[1m]", 3e-06},
		{"claude-opus-4-6[1m]", 5e-06},
		// ccusage's provider prefixes.
		{"opus-4-6", 5e-06},         // claude-
		{"haiku-20240307", 2.5e-07}, // claude-3-
		// Unknown: never guessed.
		{"claude-foo-9", 0},
		{"<synthetic>", 0},
		{"gpt-4o", 0},
		{"", 0},
		{"claude-sonnet-4", 0},      // ccusage's substring match would take a Sonnet 4 entry
		{"claude-opus-4-6-fast", 0}, // nor one whose name it contains
		{"claude-foo-9[1m]", 0},
		{"[1m]", 0},
		{"CLAUDE-OPUS-4-6", 0},
	} {
		r, ok := Lookup(tc.model)
		if want, have := tc.wantInput != 0, ok; want != have {
			t.Errorf("Lookup(%q) found: want %v, have %v", tc.model, want, have)
		}
		if want, have := tc.wantInput, r.Input; want != have {
			t.Errorf("Lookup(%q) input price: want %v, have %v", tc.model, want, have)
		}
	}
}

// TestTableWhole: every rate is priced, and a long tier costs more.
func TestTableWhole(t *testing.T) {
	t.Parallel()
	if len(table) < 20 {
		t.Errorf("only %d models", len(table))
	}
	for name, r := range table {
		if r.Input <= 0 || r.Output <= 0 || r.CacheWrite5m <= 0 || r.CacheWrite1h <= 0 || r.CacheRead <= 0 {
			t.Errorf("%s: a price is not positive: %+v", name, r)
		}
		if r.Long != nil && (r.Long.Input < r.Input || r.Long.Long != nil || r.Long.Fast != 0) {
			t.Errorf("%s: long tier %+v", name, *r.Long)
		}
	}
}
