package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/peterbourgon/ff/v3"

	"github.com/sess-dev/sess/internal/cli/usage"
)

// Tool is the command line of a tool with one set of flags (sess-export,
// sess-serve, sess-cleanup): how it parses and how it shows its usage.
type Tool struct {
	Name    string
	Doc     usage.Doc // its Flags and Version are filled in from the fields below
	Flags   *flag.FlagSet
	MaxArgs int    // positional arguments allowed
	Version string // the binary's version variable (-X main.version)
	Stdout  io.Writer
	Stderr  io.Writer
}

// NewTool makes the flag set of a tool, which parses without printing: the
// tool prints its own messages.
func NewTool(name string, stdout, stderr io.Writer) *Tool {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &Tool{Name: name, Flags: fs, Stdout: stdout, Stderr: stderr}
}

// Usage prints the tool's usage on w.
func (t *Tool) Usage(w io.Writer) {
	d := t.Doc
	d.Flags, d.Version = t.Flags, true
	usage.Write(w, d)
}

// Parse parses args as every sess tool does: the argparse forms
// (Normalize), then a SESS_ environment variable for a flag not on the
// command line (ff). -h or --help prints the usage on stdout and returns
// flag.ErrHelp; --version prints the version and returns ErrVersion; a bad
// command line prints what is wrong and the usage on stderr and returns a
// UsageError.
func (t *Tool) Parse(args []string) error {
	norm, err := Normalize(t.Flags, args)
	if err == nil {
		if err = ff.Parse(t.Flags, norm, ff.WithEnvVarPrefix("SESS")); err != nil && !errors.Is(err, flag.ErrHelp) {
			err = Usagef("%s", usage.FlagError(t.Flags, err))
		}
	}
	switch {
	case errors.Is(err, flag.ErrHelp):
		t.Usage(t.Stdout)
		return err
	case errors.Is(err, ErrVersion):
		if werr := usage.WriteVersion(t.Stdout, t.Version); werr != nil {
			return werr
		}
		return err
	case err != nil:
		return t.Usagef("%v", err)
	}
	if t.Flags.NArg() > t.MaxArgs {
		return t.Usagef("unexpected argument %q", t.Flags.Arg(t.MaxArgs))
	}
	return nil
}

// Usagef prints a usage error, "name: message" and the usage, on stderr and
// returns it.
func (t *Tool) Usagef(format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	fmt.Fprintf(t.Stderr, "%s: %s\n\n", t.Name, msg)
	t.Usage(t.Stderr)
	return &UsageError{Msg: msg}
}
