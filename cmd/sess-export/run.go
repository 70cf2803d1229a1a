package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/peterbourgon/ff/v3"

	"github.com/sess-dev/sess/internal/cli"
	"github.com/sess-dev/sess/internal/exporter"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// version is set at build time by the Makefile (-X main.version).
var version string

const usage = `USAGE
  sess-export [flags] <session-id|project-slug>
  sess-export --all [--output-dir DIR] [--project SLUG] [--since YYYY-MM-DD] [--force] [--flat]

Exports a session or a project's sessions as JSON or Markdown (to stdout or
-o FILE), or, with --all, every parked and completed session (archived ones
too) as a Markdown file with YAML front matter under DIR/<project>/. --all
writes only what changed since its last run, and prints
{exported, skipped, errors, output_dir}.

FLAGS
`

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sess-export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		dir       = fs.String("dashboard-dir", "", "store folder (default $SESS_DASHBOARD_DIR or ~/.claude/dashboard)")
		format    = fs.String("format", "json", "json or markdown")
		output    = fs.String("o", "", "write to this file instead of stdout")
		archived  = fs.Bool("include-archived", false, "include archived sessions (project export)")
		all       = fs.Bool("all", false, "export every parked and completed session to its own Markdown file")
		outputDir = fs.String("output-dir", "", "with --all: the folder (default ~/.claude/session-exports)")
		project   = fs.String("project", "", "with --all: only this project")
		since     = fs.String("since", "", "with --all: only sessions started on or after this day")
		force     = fs.Bool("force", false, "with --all: rewrite files that are up to date")
		flat      = fs.Bool("flat", false, "with --all: no folder per project")
		showVer   = fs.Bool("version", false, "print the version and exit")
	)
	fs.StringVar(output, "output", "", "same as -o")
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	norm, err := cli.Normalize(fs, args)
	if err != nil {
		fs.Usage()
		return cli.Usagef("%v", err)
	}
	if err := ff.Parse(fs, norm, ff.WithEnvVarPrefix("SESS")); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return cli.Usagef("%v", err)
	}
	if *showVer {
		return cli.WriteJSON(stdout, map[string]string{"version": cli.Version(version)})
	}
	home, _ := os.UserHomeDir()
	if *dir == "" {
		*dir = store.DefaultDir(home)
	}
	st := store.Open(*dir, store.Options{Warnings: stderr})
	if *all {
		if fs.NArg() > 0 {
			fs.Usage()
			return cli.Usagef("--all takes no target (got %q)", fs.Arg(0))
		}
		if *outputDir == "" {
			*outputDir = exporter.DefaultOutputDir(home)
		}
		res, err := exporter.All(ctx, st, exporter.Options{
			OutputDir: *outputDir, Project: *project, Since: *since, Force: *force, Flat: *flat, Progress: stderr,
		})
		if err != nil {
			return cli.Fail(stdout, err)
		}
		return cli.WriteJSON(stdout, res)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		if fs.NArg() == 0 {
			return cli.Usagef("missing argument <session-id|project-slug> (or --all)")
		}
		return cli.Usagef("unexpected argument %q", fs.Arg(1))
	}
	v, err := exporter.Target(st, fs.Arg(0), *format, *archived, 0)
	if err != nil {
		return cli.Fail(stdout, err)
	}
	return emit(stdout, v, *output)
}

// emit prints an export on stdout, or writes it to output (-o) and prints
// {status, file}. exporter.WriteFile decides how: a regular file is
// replaced whole, a device or pipe (/dev/stdout, a FIFO) is written as it
// is; a failed write, such as ENOSPC on /dev/full, is exit 1.
func emit(stdout io.Writer, v any, output string) error {
	var data []byte
	if md, ok := v.(exporter.Markdown); ok {
		data = []byte(md)
		if !strings.HasSuffix(string(md), "\n") {
			data = append(data, '\n')
		}
	} else {
		var err error
		if data, err = store.Marshal(v); err != nil {
			return cli.Fail(stdout, err)
		}
	}
	if output == "" {
		_, err := stdout.Write(data)
		return err
	}
	if err := exporter.WriteFile(output, data); err != nil {
		return cli.Fail(stdout, &session.Error{Code: session.CodeStore, Message: "write " + output, Err: err})
	}
	return cli.WriteJSON(stdout, map[string]string{"status": "exported", "file": output})
}
