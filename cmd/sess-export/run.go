package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/sess-dev/sess/internal/cli"
	"github.com/sess-dev/sess/internal/cli/usage"
	"github.com/sess-dev/sess/internal/conversation"
	"github.com/sess-dev/sess/internal/cost"
	"github.com/sess-dev/sess/internal/exporter"
	claudeusage "github.com/sess-dev/sess/internal/usage"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
	"github.com/sess-dev/sess/pkg/store/jsonout"
)

// version is set at build time by the Makefile (-X main.version).
var version string

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	t := cli.NewTool("sess-export", stdout, stderr)
	t.Version, t.MaxArgs = version, 1
	t.Doc = usage.Doc{
		Description: "Export sessions as JSON or Markdown, one by one or as an archive of files.",
		Usage: []string{
			"sess-export [flags] <session-id|project-slug>",
			"sess-export --all [--output-dir DIR] [--project SLUG] [--since YYYY-MM-DD] [--force] [--flat]",
			"sess-export --conversation <session-id> [-o FILE]",
		},
		Help: "Exports a session or a project's sessions as JSON or Markdown (to stdout or\n" +
			"-o FILE), or, with --all, every parked and completed session (archived ones\n" +
			"too) as a Markdown file with YAML front matter under DIR/<project>/. --all\n" +
			"writes only what changed since its last run, and prints\n" +
			"{exported, skipped, errors, output_dir}.\n" +
			"--conversation writes the session's whole conversation as Markdown: from\n" +
			"Claude Code's transcript while it has it, else the store's archive;\n" +
			"redacted, tool calls one line each, the journal's marks where they happened.\n" +
			"Exit status: 0 done, 1 failed ({\"error\",\"code\"} on stdout), 2 bad usage.",
	}
	fs := t.Flags
	var (
		dir       = fs.String("dashboard-dir", "", "store folder (default $SESS_DASHBOARD_DIR or ~/.claude/dashboard)")
		format    = &cli.Choice{Allowed: []string{"json", "markdown"}, Value: "json", Name: "FORMAT"}
		output    = fs.String("o", "", "write to this file instead of stdout")
		archived  = fs.Bool("include-archived", false, "include archived sessions (project export)")
		all       = fs.Bool("all", false, "export every parked and completed session to its own Markdown file")
		outputDir = fs.String("output-dir", "", "with --all: the folder (default ~/.claude/session-exports)")
		project   = fs.String("project", "", "with --all: only this project")
		since     = fs.String("since", "", "with --all: only sessions started on or after this day")
		force     = fs.Bool("force", false, "with --all: rewrite files that are up to date")
		flat      = fs.Bool("flat", false, "with --all: no folder per project")
		conv      = fs.String("conversation", "", "export this session's conversation as Markdown")
	)
	fs.Var(format, "format", "the output format")
	fs.StringVar(output, "output", "", "same as -o")
	if err := t.Parse(args); err != nil {
		return err
	}
	home, _ := os.UserHomeDir()
	if *dir == "" {
		*dir = store.DefaultDir(home)
	}
	st := store.Open(*dir, store.Options{Warnings: stderr})
	costs := cost.Config{Store: st, Roots: claudeusage.ProjectRoots(os.Getenv), Mode: claudeusage.Auto, Warnf: func(format string, args ...any) {
		fmt.Fprintf(stderr, "sess: warning: "+format+"\n", args...)
	}}
	if *conv != "" {
		if fs.NArg() > 0 || *all {
			return t.Usagef("--conversation takes no other target")
		}
		return exportConversation(st, exporter.DefaultTranscripts(home), *conv, stdout, *output)
	}
	if *all {
		if fs.NArg() > 0 {
			return t.Usagef("--all takes no target (got %q)", fs.Arg(0))
		}
		if *outputDir == "" {
			*outputDir = exporter.DefaultOutputDir(home)
		}
		res, err := exporter.All(ctx, st, exporter.Options{
			OutputDir: *outputDir, Project: *project, Since: *since, Force: *force, Flat: *flat, Progress: stderr,
			Transcripts: exporter.DefaultTranscripts(home), Costs: costs.Of,
		})
		if err != nil {
			return cli.Fail(stdout, err)
		}
		return cli.WriteJSON(stdout, res)
	}
	if fs.NArg() == 0 {
		return t.Usagef("missing argument <session-id|project-slug> (or --all)")
	}
	v, err := exporter.TargetCosted(st, fs.Arg(0), format.Value, *archived, 0, costs.Of)
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
		if data, err = jsonout.Marshal(v); err != nil {
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

// exportConversation writes a session's conversation as Markdown, streamed,
// to stdout or -o FILE (then printing {status, file}, as emit does).
func exportConversation(st *store.Store, projects, id string, stdout io.Writer, output string) error {
	write := func(w io.Writer) error { return conversation.Export(st, projects, id, w) }
	if output == "" {
		// Nothing is written before the conversation is found: a missing
		// one is the JSON error alone.
		bw := bufio.NewWriterSize(stdout, 64<<10)
		if err := write(bw); err != nil {
			return cli.Fail(stdout, err)
		}
		return bw.Flush()
	}
	if err := exporter.WriteFunc(output, write); err != nil {
		if cli.ErrorOf(err).Code == session.CodeNotFound || cli.ErrorOf(err).Code == session.CodeValidation {
			return cli.Fail(stdout, err)
		}
		return cli.Fail(stdout, &session.Error{Code: session.CodeStore, Message: "write " + output, Err: err})
	}
	return cli.WriteJSON(stdout, map[string]string{"status": "exported", "file": output})
}
