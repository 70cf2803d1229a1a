package cli

import "testing"

func TestChoice(t *testing.T) {
	t.Parallel()
	c := &Choice{Allowed: []string{"json", "markdown"}, Value: "json"}
	if err := c.Set("html"); err == nil || c.Value != "json" {
		t.Errorf("Set(html): %v, value %q", err, c.Value)
	}
	if err := c.Set("markdown"); err != nil || c.Value != "markdown" {
		t.Errorf("Set(markdown): %v, value %q", err, c.Value)
	}
}
