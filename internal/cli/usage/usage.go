package usage

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"slices"
	"strings"
	"time"
)

// Doc is what a usage text shows, in its order: DESCRIPTION, USAGE (with
// Help below it), COMMANDS, FLAGS.
type Doc struct {
	Description string      // one line
	Usage       []string    // the invocation forms
	Help        string      // paragraphs under USAGE
	Commands    [][2]string // name and one line of help
	Flags       *flag.FlagSet
	Version     bool // list --version, which the tool answers without a flag of its own
}

// Write prints d.
func Write(w io.Writer, d Doc) {
	var b strings.Builder
	if d.Description != "" {
		fmt.Fprintf(&b, "DESCRIPTION\n  %s\n\n", d.Description)
	}
	if len(d.Usage) > 0 {
		b.WriteString("USAGE\n")
		for _, u := range d.Usage {
			fmt.Fprintf(&b, "  %s\n", u)
		}
		b.WriteString("\n")
	}
	if d.Help != "" {
		fmt.Fprintf(&b, "%s\n\n", strings.TrimRight(d.Help, "\n"))
	}
	if len(d.Commands) > 0 {
		b.WriteString("COMMANDS\n")
		columns(&b, d.Commands)
		b.WriteString("\n")
	}
	var flags [][2]string
	if d.Flags != nil {
		d.Flags.VisitAll(func(f *flag.Flag) { flags = append(flags, Flag(f)) })
	}
	if d.Version {
		flags = append(flags, [2]string{"--version", "print the version and exit"})
	}
	if len(flags) > 0 {
		b.WriteString("FLAGS\n")
		columns(&b, flags)
	}
	io.WriteString(w, strings.TrimSpace(b.String())+"\n")
}

// columns writes rows as two columns, indented by two spaces, the second
// starting two spaces after the widest first cell.
func columns(b *strings.Builder, rows [][2]string) {
	width := 0
	for _, r := range rows {
		width = max(width, len([]rune(r[0])))
	}
	for _, r := range rows {
		if r[1] == "" {
			fmt.Fprintf(b, "  %s\n", r[0])
			continue
		}
		fmt.Fprintf(b, "  %s%s%s\n", r[0], strings.Repeat(" ", width-len([]rune(r[0]))+2), r[1])
	}
}

// Flag is a flag's row in FLAGS: "--name VALUE" (-o for a one-letter name)
// and its help with the default.
func Flag(f *flag.Flag) [2]string {
	dash := "--"
	if len(f.Name) == 1 {
		dash = "-"
	}
	left := dash + f.Name
	if arg := argName(f); arg != "" {
		left += " " + arg
	}
	_, help := flag.UnquoteUsage(f)
	if c, ok := f.Value.(Chooser); ok {
		help += ": " + strings.Join(c.Choices(), ", ")
	}
	if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" && !multi(f.Value) {
		help += " (default " + f.DefValue + ")"
	}
	return [2]string{left, help}
}

// Named is a flag value that names its argument in a usage text: "TEXT
// ...", "STATUS".
type Named interface {
	ArgName() string
}

// Chooser is a flag value that takes one of a few words, which the usage
// text lists.
type Chooser interface {
	Choices() []string
}

func multi(v flag.Value) bool {
	n, ok := v.(Named)
	return ok && strings.HasSuffix(n.ArgName(), "...")
}

func isBool(v flag.Value) bool {
	b, ok := v.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// argName is what a flag's value is called: nothing for a switch, N for a
// number, DURATION, or TEXT.
func argName(f *flag.Flag) string {
	if isBool(f.Value) {
		return ""
	}
	if n, ok := f.Value.(Named); ok {
		return n.ArgName()
	}
	if g, ok := f.Value.(flag.Getter); ok {
		switch g.Get().(type) {
		case int, int64, uint, uint64:
			return "N"
		case float64:
			return "NUMBER"
		case time.Duration:
			return "DURATION"
		}
	}
	return "TEXT"
}

// want is what a value of f must look like, for a message about a bad one.
func want(f *flag.Flag) string {
	if c, ok := f.Value.(Chooser); ok {
		return "want one of " + strings.Join(c.Choices(), ", ")
	}
	switch argName(f) {
	case "N":
		return "want a whole number"
	case "NUMBER":
		return "want a number"
	case "DURATION":
		return "want a duration such as 90s, 15m or 1h"
	case "":
		return "want true or false"
	}
	return ""
}

// FlagError words an error of fs.Parse (or of ff.Parse, which wraps it) for
// a person: `invalid value "abc" for --limit: want a whole number` where the
// flag package says `invalid value "abc" for flag -limit: parse error`.
// Other errors keep their text, with -name written --name.
func FlagError(fs *flag.FlagSet, err error) string {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			break
		}
		err = u
	}
	msg := err.Error()
	for _, form := range [][2]string{{"invalid value ", " for flag -"}, {"invalid boolean value ", " for -"}} {
		rest, ok := strings.CutPrefix(msg, form[0])
		i := strings.Index(rest, form[1])
		if !ok || i < 0 {
			continue
		}
		value := rest[:i]
		name, why, _ := strings.Cut(rest[i+len(form[1]):], ": ")
		f := fs.Lookup(name)
		if f == nil {
			break
		}
		switch w := want(f); {
		case why == "value out of range":
			why = "too large"
		case w != "" && (why == "parse error" || strings.HasPrefix(why, "time: ")):
			why = w
		}
		return fmt.Sprintf("invalid value %s for %s: %s", value, dashed(name), why)
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return "flag " + dashed(name) + " needs a value"
	}
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return "unknown flag " + dashed(name)
	}
	return msg
}

func dashed(name string) string {
	name = strings.TrimLeft(name, "-")
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// Version is the version a binary was built as: the one the Makefile set
// (-X main.version), else the module version go install recorded, else
// "dev".
func Version(set string) string {
	if set != "" {
		return set
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// WriteVersion prints the version as every sess tool does:
// {"version": "..."}.
func WriteVersion(w io.Writer, set string) error {
	v := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(Version(set))
	_, err := fmt.Fprintf(w, "{\n  \"version\": \"%s\"\n}\n", v)
	return err
}

// ParseHook parses the flags of a hook program, which has a --dashboard-dir
// and a --version besides its own flags in fs: -h prints doc (its Flags
// set to fs), --version the version; either ends the run (done, nil). A
// bad flag is the one-line error the hook prints. It returns the store
// folder as given.
func ParseHook(fs *flag.FlagSet, args []string, stdout io.Writer, doc Doc, version string) (dir string, done bool, err error) {
	fs.SetOutput(io.Discard) // a bad flag is the one line the hook prints
	fs.StringVar(&dir, "dashboard-dir", "", "store folder (default $SESS_DASHBOARD_DIR or ~/.claude/dashboard)")
	showVersion := fs.Bool("version", false, "print the version and exit")
	if fs.Lookup("v") == nil && slices.Contains(args, "-v") {
		args = append(slices.Clone(args), "-version") // -v is --version, as for every sess tool
		args = slices.DeleteFunc(args, func(a string) bool { return a == "-v" })
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			doc.Flags = fs
			Write(stdout, doc)
			return "", true, nil
		}
		return "", true, errors.New(FlagError(fs, err))
	}
	if *showVersion {
		return "", true, WriteVersion(stdout, version)
	}
	return dir, false, nil
}
