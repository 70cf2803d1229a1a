package cli

import (
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/peterbourgon/ff/v3/ffcli"
)

// UsageFunc prints a command's usage as ffcli's default does, but with
// flags written the way sess documents them: --name VALUE.
func UsageFunc(c *ffcli.Command) string {
	var b strings.Builder
	if c.ShortHelp != "" {
		fmt.Fprintf(&b, "DESCRIPTION\n  %s\n\n", c.ShortHelp)
	}
	usage := c.ShortUsage
	if usage == "" {
		usage = c.Name
	}
	fmt.Fprintf(&b, "USAGE\n  %s\n\n", usage)
	if c.LongHelp != "" {
		fmt.Fprintf(&b, "%s\n\n", c.LongHelp)
	}
	if len(c.Subcommands) > 0 {
		fmt.Fprintf(&b, "COMMANDS\n")
		tw := tabwriter.NewWriter(&b, 0, 2, 2, ' ', 0)
		for _, sub := range c.Subcommands {
			fmt.Fprintf(tw, "  %s\t%s\n", sub.Name, sub.ShortHelp)
		}
		tw.Flush()
		fmt.Fprintf(&b, "\n")
	}
	if c.FlagSet != nil {
		var lines []string
		c.FlagSet.VisitAll(func(f *flag.Flag) {
			name, usage := flag.UnquoteUsage(f)
			dash := "--"
			if len(f.Name) == 1 {
				dash = "-"
			}
			switch {
			case isBool(f):
				name = ""
			case isMulti(f):
				name = "TEXT ..."
			case name == "int":
				name = "N"
			default:
				name = "TEXT"
			}
			if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" && !isMulti(f) {
				usage += " (default " + f.DefValue + ")"
			}
			lines = append(lines, fmt.Sprintf("  %s%s %s\t%s", dash, f.Name, name, usage))
		})
		if len(lines) > 0 {
			fmt.Fprintf(&b, "FLAGS\n")
			tw := tabwriter.NewWriter(&b, 0, 2, 2, ' ', 0)
			for _, l := range lines {
				fmt.Fprintln(tw, l)
			}
			tw.Flush()
		}
	}
	return strings.TrimSpace(b.String()) + "\n"
}
