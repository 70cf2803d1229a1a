// Command gentranscripts writes a Claude Code projects folder of made-up
// transcripts (internal/transcriptgen) to a given size or number of
// conversations: what bench/import.sh imports, and the tree the usage
// goldens are made from (internal/usage/testdata/generate.sh).
// Deterministic for its flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/sess-dev/sess/internal/transcriptgen"
)

func main() {
	err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "gentranscripts:", err)
		os.Exit(1)
	}
}

// errUsage is a mistake in the flags; the flag package has said which.
var errUsage = errors.New("bad usage")

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	out, opt, err := parse(args, stdout, stderr)
	if err != nil {
		return err
	}
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("%s exists; give a new folder", out)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	st, err := transcriptgen.Generate(out, opt)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d MiB of transcripts in %s\n", st.Bytes>>20, out)
	return nil
}

// parse reads the flags: the folder to write and the tree's options.
func parse(args []string, stdout, stderr io.Writer) (string, transcriptgen.Options, error) {
	fs := flag.NewFlagSet("gentranscripts", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // help that was asked for goes to stdout, a mistake to stderr
	out := fs.String("o", "", "the projects folder to write (required; must not exist)")
	mb := fs.Int64("mb", 1024, "stop at this many MiB of transcripts (0: no limit)")
	conversations := fs.Int("conversations", 0, "stop at this many conversations (0: no limit)")
	turns := fs.Int("turns", 200, "turns per conversation (0: drawn, most conversations short)")
	projects := fs.Int("projects", 4, "project folders")
	days := fs.Int("days", 61, "days the conversations start in, from 2026-09-01")
	seed := fs.Uint64("seed", 1, "seed")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fs.Usage()
			return "", transcriptgen.Options{}, err
		}
		fs.SetOutput(stderr)
		fmt.Fprintln(stderr, err)
		fs.Usage()
		return "", transcriptgen.Options{}, errUsage
	}
	if *out == "" || fs.NArg() > 0 || *mb <= 0 && *conversations <= 0 {
		fmt.Fprintln(stderr, "usage: gentranscripts -o <folder> [-mb <MiB>] [-conversations <n>] [flags]")
		return "", transcriptgen.Options{}, errUsage
	}
	return *out, transcriptgen.Options{Seed: *seed, Conversations: *conversations, Bytes: *mb << 20,
		Turns: *turns, Projects: *projects, Days: *days}, nil
}
