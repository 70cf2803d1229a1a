package export_test

import (
	"testing"

	"github.com/sess-dev/sess/pkg/export"
)

func TestCostLine(t *testing.T) {
	c := &export.Cost{USD: 12.3456, TotalTokens: 1234567, Models: []export.ModelCost{{"claude-opus-4-5", 12.3, 1000}, {"claude-haiku-4-5", 0.0456, 234567}}, Unpriced: []string{"claude-foo-9"}}
	want := "$12.35, 1,234,567 tokens (claude-opus-4-5 $12.30, claude-haiku-4-5 $0.05); no price known for claude-foo-9"
	if got := export.CostLine(c); got != want {
		t.Errorf("CostLine = %q, want %q", got, want)
	}
	for _, tc := range []struct {
		n    int64
		want string
	}{{0, "0"}, {999, "999"}, {1000, "1,000"}, {-1234, "-1,234"}, {1234567890, "1,234,567,890"}} {
		if got := export.Thousands(tc.n); got != tc.want {
			t.Errorf("Thousands(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
	if got := export.Dollars(0.004); got != "<$0.01" {
		t.Errorf("export.Dollars(0.004) = %q", got)
	}
}
