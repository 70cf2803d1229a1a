package cli

import (
	"fmt"
	"slices"
	"strings"
)

// Choice is a flag whose value is one of a few words (argparse's choices):
// any other value is a usage error that lists them.
type Choice struct {
	Allowed []string
	Value   string
	Name    string // what the usage text calls the value (default WORD)
}

func (c *Choice) String() string {
	if c == nil {
		return ""
	}
	return c.Value
}

// Set takes one of the allowed words.
func (c *Choice) Set(v string) error {
	if !slices.Contains(c.Allowed, v) {
		return fmt.Errorf("want one of %s", strings.Join(c.Allowed, ", "))
	}
	c.Value = v
	return nil
}

// ArgName names the value in a usage text.
func (c *Choice) ArgName() string {
	if c.Name != "" {
		return c.Name
	}
	return "WORD"
}

// Choices lists the words, for the usage text.
func (c *Choice) Choices() []string { return c.Allowed }
