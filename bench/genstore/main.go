// Command genstore writes a synthetic store for benchmarks, in the on-disk
// form of the original claude-sessions-dashboard (see internal/benchstore).
//
//	genstore -n 10000 -o /tmp/store [-seed 1] [-projects 10] [-now 2026-02-10T14:30:00Z]
//	genstore -n 5000 -o /tmp/long -intent-len 500   # every intent 500 emoji, 2,000 bytes
//
// The store goes to -o itself: point sess-manage at it with --dashboard-dir,
// or the original at it by making it $HOME/.claude/dashboard.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/sess-dev/sess/internal/benchstore"
)

func main() {
	err := run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	os.Exit(exitCode(err))
}

// errUsage marks an error in the command line (exit 2); run has already
// printed it.
var errUsage = errors.New("usage")

func exitCode(err error) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	return 1
}

func run(_ context.Context, args []string, _ io.Reader, _, stderr io.Writer) error {
	fs := flag.NewFlagSet("genstore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		n        = fs.Int("n", 1000, "number of `sessions`")
		out      = fs.String("o", "", "store `dir` to create (required; must not hold a store)")
		seed     = fs.Int64("seed", 1, "random seed; with -now, the same seed gives the same bytes")
		projects = fs.Int("projects", 10, "number of projects")
		events   = fs.Int("events", 20, "mean events per session")
		tasks    = fs.Int("tasks", 5, "tasks per session")
		locks    = fs.Bool("locks", true, "write a .lock file per session, as a used store has")
		now      = fs.String("now", "", "reference clock, RFC 3339 (default: the current time)")
		intent   = fs.Int("intent-len", 0, "make every intent exactly this many `characters`, all emoji (4 bytes each), at most 500; 0: readable text of ~60")
	)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: genstore -o DIR [-n 1000] [-seed 1] [flags]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	usage := func(format string, a ...any) error {
		fmt.Fprintf(stderr, "genstore: "+format+"\n", a...)
		fs.Usage()
		return errUsage
	}
	if fs.NArg() > 0 {
		return usage("unexpected argument %q", fs.Arg(0))
	}
	if *out == "" {
		return usage("-o is required")
	}
	if *n < 0 || *projects < 1 || *events < 1 || *tasks < 1 {
		return usage("-n must be 0 or more; -projects, -events and -tasks 1 or more")
	}
	if *intent < 0 || *intent > benchstore.MaxIntent {
		return usage("-intent-len must be 0 to %d (the store's cap on an intent), have %d", benchstore.MaxIntent, *intent)
	}
	opts := benchstore.Options{
		Sessions:         *n,
		Projects:         *projects,
		Seed:             *seed,
		EventsPerSession: *events,
		TasksPerSession:  *tasks,
		LockFiles:        *locks,
		IntentLen:        *intent,
	}
	if *now != "" {
		t, err := time.Parse(time.RFC3339Nano, *now)
		if err != nil {
			return usage("-now: %v", err)
		}
		opts.Now = t
	}

	start := time.Now()
	if err := benchstore.Generate(*out, opts); err != nil {
		fmt.Fprintf(stderr, "genstore: %v\n", err)
		return err
	}
	active, parked, completed, stale := benchstore.Counts(*n)
	fmt.Fprintf(stderr, "genstore: wrote %d sessions (%d active, %d of them stale; %d parked; %d completed) to %s in %v\n",
		*n, active, stale, parked, completed, *out, time.Since(start).Round(time.Millisecond))
	return nil
}
