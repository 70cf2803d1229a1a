package cli

import (
	"strings"

	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/sess-dev/sess/internal/cli/usage"
)

// UsageFunc prints a command's usage in the one layout of every sess tool
// (package usage): flags written --name VALUE.
func UsageFunc(c *ffcli.Command) string {
	return commandUsage(c, false)
}

// RootUsageFunc is UsageFunc for a tool's root command, which also answers
// --version.
func RootUsageFunc(c *ffcli.Command) string {
	return commandUsage(c, true)
}

func commandUsage(c *ffcli.Command, version bool) string {
	d := usage.Doc{Description: c.ShortHelp, Help: c.LongHelp, Flags: c.FlagSet, Version: version}
	u := c.ShortUsage
	if u == "" {
		u = c.Name
	}
	d.Usage = strings.Split(u, "\n")
	for _, sub := range c.Subcommands {
		d.Commands = append(d.Commands, [2]string{sub.Name, sub.ShortHelp})
	}
	var b strings.Builder
	usage.Write(&b, d)
	return b.String()
}
