package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/sess-dev/sess/internal/cli"
	"github.com/sess-dev/sess/internal/cli/usage"
	"github.com/sess-dev/sess/internal/notify"
	"github.com/sess-dev/sess/internal/replica"
	"github.com/sess-dev/sess/pkg/store"
)

// app is one run of sess-manage: its streams, its global flags and the store
// they point at.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	dashboardDir   string
	st             *store.Store
	notifier       func() notify.Notifier // the desktop's; tests put in a fake
	pusher         notify.Pusher          // sends check-notify's pushes
	getenv         func(string) string
	shared         *replica.Journal // every machine's journal, read once per command (journal)
}

// run parses args, runs the command and prints its JSON. A failed operation
// prints {"error","code"} on stdout and returns a cli.Reported error; bad
// usage prints what is wrong (and mostly the usage) on stderr and returns a
// cli.UsageError; -h prints the usage on stdout.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, notifier: notify.System, getenv: os.Getenv}
	// sess-cleanup sends the pushes: net/http and crypto/tls here would
	// slow every command's start-up, as a web server would (see serve).
	a.pusher = notify.Handoff(func() (string, error) { return findTool("sess-cleanup") }, 0)
	return a.run(ctx, args)
}

// run is run with the app's streams and handles, which a test may set.
func (a *app) run(ctx context.Context, args []string) error {
	stdout, stderr := a.stdout, a.stderr

	root := a.rootCommand()
	argv, sub, err := a.normalize(root, args)
	if err == nil {
		err = root.Parse(argv)
	}
	c := root
	if sub != nil {
		c = sub
	}
	var unknown *unknownCommand
	var noExec ffcli.NoExecError
	var u *cli.UsageError
	switch {
	case err == nil:
		return root.Run(ctx)
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, c.UsageFunc(c))
		return err
	case errors.Is(err, cli.ErrVersion):
		if werr := usage.WriteVersion(stdout, version); werr != nil {
			return werr
		}
		return err
	case errors.As(err, &unknown):
		// One line: the whole usage would hide the hint.
		fmt.Fprintf(stderr, "sess-manage: %v\n", err)
		return cli.Usagef("%v", err)
	case errors.As(err, &noExec):
		fmt.Fprint(stderr, root.UsageFunc(root))
		return cli.Usagef("no command given")
	case !errors.As(err, &u):
		// The flag package's own error: a value its flag refuses.
		err = cli.Usagef("%s", usage.FlagError(c.FlagSet, err))
	}
	name := "sess-manage"
	if sub != nil {
		name += " " + sub.Name
	}
	fmt.Fprintf(stderr, "%s: %v\n\n%s", name, err, c.UsageFunc(c))
	return err
}

// unknownCommand is a command name that sess-manage does not have, with
// the one it most likely meant.
type unknownCommand struct{ name, meant string }

func (e *unknownCommand) Error() string {
	if e.meant != "" {
		return fmt.Sprintf("unknown command %q; did you mean %s?", e.name, e.meant)
	}
	return fmt.Sprintf("unknown command %q; 'sess-manage -h' lists the commands", e.name)
}

// normalize finds the command in args and rewrites its arguments from the
// argparse forms the original accepts into what ff parses.
func (a *app) normalize(root *ffcli.Command, args []string) ([]string, *ffcli.Command, error) {
	i := 0
	for i < len(args) {
		tok := args[i]
		if !strings.HasPrefix(tok, "-") || tok == "-" {
			break
		}
		if tok == "--" {
			i++
			break
		}
		if name, _, hasVal := strings.Cut(strings.TrimLeft(tok, "-"), "="); !hasVal && root.FlagSet.Lookup(name) != nil && name != "h" && name != "help" {
			i++ // the flag's value
		}
		i++
	}
	if i < len(args) && args[i] == "help" {
		// "help" is -h, "help COMMAND" is COMMAND -h.
		args = append(slices.Concat(args[:i], args[i+1:]), "-h")
		if i == len(args)-1 {
			i++ // the root's -h
		}
	}
	rootArgs, err := cli.Normalize(root.FlagSet, args[:min(i, len(args))])
	if err != nil {
		return nil, nil, err
	}
	rootArgs = rootArgs[:len(rootArgs)-1] // the trailing "--"
	if i >= len(args) {
		return rootArgs, nil, nil
	}
	var sub *ffcli.Command
	names := make([]string, len(root.Subcommands))
	for j, c := range root.Subcommands {
		names[j] = c.Name
		if c.Name == args[i] {
			sub = c
		}
	}
	if sub == nil {
		return nil, nil, &unknownCommand{name: args[i], meant: cli.Suggest(args[i], names)}
	}
	rest, err := cli.Normalize(sub.FlagSet, args[i+1:])
	if err != nil {
		return nil, sub, err
	}
	return append(append(rootArgs, sub.Name), rest...), sub, nil
}

func (a *app) rootCommand() *ffcli.Command {
	fs := flag.NewFlagSet("sess-manage", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // run prints every message
	a.globalFlags(fs)
	root := &ffcli.Command{
		Name:       "sess-manage",
		ShortUsage: "sess-manage [--dashboard-dir DIR] <command> [flags] [<args>]",
		ShortHelp:  "Track Claude Code work sessions: every state command, JSON on stdout.",
		LongHelp: "The store is --dashboard-dir, else $SESS_DASHBOARD_DIR, else ~/.claude/dashboard.\n" +
			"Exit status: 0 done, 1 the operation failed ({\"error\",\"code\"} on stdout), 2 bad usage.\n" +
			"Run 'sess-manage <command> -h' for a command's flags.",
		FlagSet: fs,
		Options: []ff.Option{ff.WithEnvVarPrefix("SESS")},
	}
	root.Subcommands = a.commands()
	root.UsageFunc = cli.RootUsageFunc
	for _, c := range root.Subcommands {
		c.UsageFunc = cli.UsageFunc
	}
	return root
}

// globalFlags registers the flags every command takes, so that they work
// before and after the command name.
func (a *app) globalFlags(fs *flag.FlagSet) {
	fs.StringVar(&a.dashboardDir, "dashboard-dir", "", "store folder (default $SESS_DASHBOARD_DIR or ~/.claude/dashboard)")
}

// store opens the store the flags point at.
func (a *app) store() *store.Store {
	if a.st == nil {
		a.st = store.Open(a.storeDir(), store.Options{Warnings: a.stderr})
	}
	return a.st
}

// storeDir is the folder of the store the command opens (store).
func (a *app) storeDir() string {
	dir, err := cli.DashboardDir(a.dashboardDir)
	if err != nil {
		dir = store.DefaultDir(".")
	}
	return dir
}

// spec describes one command: its usage, flags, positional arguments and
// what it does.
type spec struct {
	name, usage, help string
	long              string   // paragraphs under USAGE in the command's -h
	args              []string // names of the positional arguments, all required
	optionalArgs      int      // how many trailing args may be left out
	required          []string // required flags
	writes            bool     // it changes the session its first argument names
	flags             func(fs *flag.FlagSet)
	run               func(ctx context.Context, args []string) (any, error)
}

// raw is output printed as it is: a bare line or a Markdown document.
type raw string

func (a *app) command(s spec) *ffcli.Command {
	fs := flag.NewFlagSet("sess-manage "+s.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // run prints every message
	if s.flags != nil {
		s.flags(fs)
	}
	a.globalFlags(fs)
	c := &ffcli.Command{
		Name:       s.name,
		ShortUsage: "sess-manage " + s.name + " " + s.usage,
		ShortHelp:  s.help,
		LongHelp:   s.long,
		FlagSet:    fs,
	}
	c.Exec = func(ctx context.Context, args []string) error {
		usage := func(format string, v ...any) error {
			fmt.Fprintf(a.stderr, "sess-manage %s: %s\n\n%s", s.name, fmt.Sprintf(format, v...), c.UsageFunc(c))
			return cli.Usagef(format, v...)
		}
		if n := len(args); n > len(s.args) || n < len(s.args)-s.optionalArgs {
			if n > len(s.args) {
				return usage("unexpected argument %q", args[len(s.args)])
			}
			return usage("missing argument <%s>", s.args[n])
		}
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		for _, r := range s.required {
			if !set[r] {
				return usage("missing required flag --%s", r)
			}
		}
		if err := cli.CheckMulti(fs); err != nil {
			return usage("%v", err)
		}
		v, err := s.run(ctx, args)
		if err != nil && s.writes && len(args) > 0 {
			err = a.notYours(args[0], err)
		}
		if err != nil {
			var u *cli.UsageError
			if errors.As(err, &u) {
				return usage("%v", err)
			}
			return cli.Fail(a.stdout, err)
		}
		if f, ok := v.(interface{ Failure() error }); ok && f.Failure() != nil {
			// A report that says what failed: printed, and exit 1.
			if err := cli.WriteJSON(a.stdout, v); err != nil {
				return err
			}
			return &cli.Reported{Err: f.Failure()}
		}
		if r, ok := v.(raw); ok {
			if r != "" && !strings.HasSuffix(string(r), "\n") {
				r += "\n"
			}
			_, err := io.WriteString(a.stdout, string(r))
			return err
		}
		return cli.WriteJSON(a.stdout, v)
	}
	return c
}

// optInt is an int flag that knows whether it was given.
type optInt struct {
	n   int
	set bool
}

func (o *optInt) String() string { return strconv.Itoa(o.n) }
func (o *optInt) Get() any       { return o.n }
func (o *optInt) Set(v string) error {
	n, err := strconv.ParseInt(v, 0, strconv.IntSize)
	if err != nil {
		return errors.New("parse error")
	}
	o.n, o.set = int(n), true
	return nil
}

// optString is a string flag that knows whether it was given.
type optString struct {
	v   string
	set bool
}

func (o *optString) String() string { return o.v }
func (o *optString) Set(v string) error {
	o.v, o.set = v, true
	return nil
}

// ptr returns the value, or nil when the flag was not given.
func (o *optString) ptr() *string {
	if !o.set {
		return nil
	}
	v := o.v
	return &v
}
