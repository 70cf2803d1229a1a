package prices

import (
	"math"
	"testing"
)

func TestCost(t *testing.T) {
	t.Parallel()
	sonnet45 := mustLookup(t, "claude-sonnet-4-5-20250929")
	opus45 := mustLookup(t, "claude-opus-4-5-20251101")
	opus46 := mustLookup(t, "claude-opus-4-6")
	for _, tc := range []struct {
		name string
		rate Rate
		t    Tokens
		fast bool
		want float64
	}{
		{
			// 10,000 + 10,000 + 180,000 = 200,000 input: not over, base rates.
			// 10000×3e-6 + 2000×15e-6 + 10000×3.75e-6 + 180000×0.3e-6
			name: "sonnet 4.5 at 200k",
			rate: sonnet45,
			t:    Tokens{Input: 10_000, Output: 2_000, CacheWrite5m: 10_000, CacheRead: 180_000},
			want: 0.03 + 0.03 + 0.0375 + 0.054,
		},
		{
			// 200,001 input: every token at the long rates, output too.
			// 10001×6e-6 + 2000×22.5e-6 + 10000×7.5e-6 + 180000×0.6e-6
			name: "sonnet 4.5 at 200,001",
			rate: sonnet45,
			t:    Tokens{Input: 10_001, Output: 2_000, CacheWrite5m: 10_000, CacheRead: 180_000},
			want: 0.060006 + 0.045 + 0.075 + 0.108,
		},
		{
			// 250,000 1h writes alone are over 200k: LiteLLM's long 1h rate, 12e-6.
			name: "sonnet 4.5 long 1h writes",
			rate: sonnet45,
			t:    Tokens{CacheWrite1h: 250_000},
			want: 3.0,
		},
		{
			// 100×5e-6 + 500×25e-6 + 1000×6.25e-6 + 2000×10e-6 + 50000×0.5e-6
			name: "opus 4.5 with a 1h split",
			rate: opus45,
			t:    Tokens{Input: 100, Output: 500, CacheWrite5m: 1_000, CacheWrite1h: 2_000, CacheRead: 50_000},
			want: 0.0005 + 0.0125 + 0.00625 + 0.02 + 0.025,
		},
		{
			// (1000×5e-6 + 1000×25e-6) × 6
			name: "opus 4.6 fast",
			rate: opus46,
			t:    Tokens{Input: 1_000, Output: 1_000},
			fast: true,
			want: 0.18,
		},
		{
			name: "opus 4.6 not fast",
			rate: opus46,
			t:    Tokens{Input: 1_000, Output: 1_000},
			want: 0.03,
		},
		{
			// Sonnet 4.5 has no fast multiplier: fast changes nothing.
			name: "fast without a multiplier",
			rate: sonnet45,
			t:    Tokens{Input: 1_000, Output: 1_000},
			fast: true,
			want: 0.003 + 0.015,
		},
		{
			// Opus 4.6 has no long tier: 300,000 input at the base rate.
			name: "no long tier",
			rate: opus46,
			t:    Tokens{Input: 300_000, Output: 1_000},
			want: 1.5 + 0.025,
		},
		{
			// The fast multiplier applies on top of the long tier.
			name: "long and fast",
			rate: Rate{Input: 1, Output: 1, Long: &Rate{Input: 2, Output: 3}, Fast: 4},
			t:    Tokens{Input: 200_001, Output: 10},
			fast: true,
			want: (200_001*2 + 10*3) * 4,
		},
		{
			name: "nothing",
			rate: sonnet45,
			want: 0,
		},
	} {
		if want, have := tc.want, tc.rate.Cost(tc.t, tc.fast); math.Abs(want-have) > 1e-12*math.Max(1, want) {
			t.Errorf("%s: want %.12g, have %.12g", tc.name, want, have)
		}
	}
}

func mustLookup(t *testing.T, model string) Rate {
	t.Helper()
	r, ok := Lookup(model)
	if !ok {
		t.Fatalf("%s: not in the table", model)
	}
	return r
}
