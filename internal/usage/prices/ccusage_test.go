package prices

import "testing"

// TestSameRatesAsCcusage: for every model of ccusage 18.0.11's embedded
// price table (PREFETCHED_CLAUDE_PRICING, its own snapshot of LiteLLM's
// file) that the table has, the rates ccusage bills by are ours. Numbers
// copied from ccusage's dist/data-loader-9ESMosno.js; ccusage's
// claude-sonnet-4-5-20250929-v1:0 and anthropic.… keys are Bedrock's, left
// out, but for the two it finds the 3.5 models by.
func TestSameRatesAsCcusage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		model                        string
		input, output, write5m, read float64
		long                         *[4]float64 // input, output, write5m, read above 200k
		fast                         float64
	}{
		{"claude-3-5-haiku-20241022", 8e-07, 4e-06, 1e-06, 8e-08, nil, 0},                                             // ccusage: anthropic.claude-3-5-haiku-20241022-v1:0
		{"claude-3-5-sonnet-20241022", 3e-06, 1.5e-05, 3.75e-06, 3e-07, &[4]float64{6e-06, 3e-05, 7.5e-06, 6e-07}, 0}, // ccusage: anthropic.claude-3-5-sonnet-20241022-v2:0
		{"claude-haiku-4-5-20251001", 1e-06, 5e-06, 1.25e-06, 1e-07, nil, 0},
		{"claude-haiku-4-5", 1e-06, 5e-06, 1.25e-06, 1e-07, nil, 0},
		{"claude-3-7-sonnet-20250219", 3e-06, 1.5e-05, 3.75e-06, 3e-07, nil, 0},
		{"claude-3-haiku-20240307", 2.5e-07, 1.25e-06, 3e-07, 3e-08, nil, 0},
		{"claude-3-opus-20240229", 1.5e-05, 7.5e-05, 1.875e-05, 1.5e-06, nil, 0},
		{"claude-4-opus-20250514", 1.5e-05, 7.5e-05, 1.875e-05, 1.5e-06, nil, 0},
		{"claude-4-sonnet-20250514", 3e-06, 1.5e-05, 3.75e-06, 3e-07, &[4]float64{6e-06, 2.25e-05, 7.5e-06, 6e-07}, 0},
		{"claude-sonnet-4-5", 3e-06, 1.5e-05, 3.75e-06, 3e-07, &[4]float64{6e-06, 2.25e-05, 7.5e-06, 6e-07}, 0},
		{"claude-sonnet-4-5-20250929", 3e-06, 1.5e-05, 3.75e-06, 3e-07, &[4]float64{6e-06, 2.25e-05, 7.5e-06, 6e-07}, 0},
		{"claude-sonnet-4-6", 3e-06, 1.5e-05, 3.75e-06, 3e-07, nil, 0},
		{"claude-opus-4-1", 1.5e-05, 7.5e-05, 1.875e-05, 1.5e-06, nil, 0},
		{"claude-opus-4-1-20250805", 1.5e-05, 7.5e-05, 1.875e-05, 1.5e-06, nil, 0},
		{"claude-opus-4-20250514", 1.5e-05, 7.5e-05, 1.875e-05, 1.5e-06, nil, 0},
		{"claude-opus-4-5-20251101", 5e-06, 2.5e-05, 6.25e-06, 5e-07, nil, 0},
		{"claude-opus-4-5", 5e-06, 2.5e-05, 6.25e-06, 5e-07, nil, 0},
		{"claude-opus-4-6", 5e-06, 2.5e-05, 6.25e-06, 5e-07, nil, 6},
		{"claude-opus-4-6-20260205", 5e-06, 2.5e-05, 6.25e-06, 5e-07, nil, 6},
		{"claude-opus-4-7", 5e-06, 2.5e-05, 6.25e-06, 5e-07, nil, 6},
		{"claude-opus-4-7-20260416", 5e-06, 2.5e-05, 6.25e-06, 5e-07, nil, 6},
		{"claude-sonnet-4-20250514", 3e-06, 1.5e-05, 3.75e-06, 3e-07, &[4]float64{6e-06, 2.25e-05, 7.5e-06, 6e-07}, 0},
	} {
		r, ok := Lookup(tc.model)
		if !ok {
			t.Errorf("%s: not in the table", tc.model)
			continue
		}
		if want, have := [4]float64{tc.input, tc.output, tc.write5m, tc.read}, [4]float64{r.Input, r.Output, r.CacheWrite5m, r.CacheRead}; want != have {
			t.Errorf("%s: input, output, 5m write, read: want %v, have %v", tc.model, want, have)
		}
		if want, have := tc.fast, r.Fast; want != have {
			t.Errorf("%s: fast: want %v, have %v", tc.model, want, have)
		}
		if want, have := tc.long != nil, r.Long != nil; want != have {
			t.Errorf("%s: long-context tier: want %v, have %v", tc.model, want, have)
			continue
		}
		if tc.long == nil {
			continue
		}
		if want, have := *tc.long, [4]float64{r.Long.Input, r.Long.Output, r.Long.CacheWrite5m, r.Long.CacheRead}; want != have {
			t.Errorf("%s: long-context input, output, 5m write, read: want %v, have %v", tc.model, want, have)
		}
	}
}
