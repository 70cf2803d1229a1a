package main

import (
	"context"
	"flag"
	"github.com/sess-dev/sess/internal/cli"
	"os"
	"time"

	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/sess-dev/sess/internal/exporter"
	"github.com/sess-dev/sess/internal/importer"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

func (a *app) importConversations() *ffcli.Command {
	var from, since string
	var dryRun, noArchive bool
	return a.command(spec{
		name: "import", usage: "[--from DIR] [--since YYYY-MM-DD] [--dry-run] [--no-archive]",
		help: "make a session of every past Claude Code conversation the store does not know (idempotent)",
		long: "Reads Claude Code's transcripts (--from, default ~/.claude/projects) and records each\n" +
			"conversation the store does not know as the hooks would have: project and work tree\n" +
			"from its folder, branch, intent from the first prompt, title, tasks, edited files,\n" +
			"commits, the last answer, its times; completed, or active if its transcript changed in\n" +
			"the last hour. A /clear chain becomes a thread. A conversation the store knows gets\n" +
			"the files, tasks and commits its session lacks. Subagents are not conversations.\n" +
			"Every transcript is archived too, redacted (see transcripts), unless --no-archive.\n" +
			"Prints {imported, enriched, skipped, unreadable, skipped_lines, archived, archived_bytes,\n" +
			"dry_run, elapsed_seconds};\n" +
			"progress and unreadable transcripts on stderr.",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&from, "from", "", "Claude Code's projects folder (default ~/.claude/projects)")
			fs.StringVar(&since, "since", "", "only conversations whose last row is on or after this day")
			fs.BoolVar(&dryRun, "dry-run", false, "write nothing; report what would be done")
			fs.BoolVar(&noArchive, "no-archive", false, "leave the transcript archive as it is (by default every transcript is archived, redacted)")
		},
		run: func(ctx context.Context, _ []string) (any, error) {
			defer cli.LongRunning()()
			o := importer.Options{Projects: from, DryRun: dryRun, NoArchive: noArchive, Progress: a.stderr, Warnings: a.stderr}
			if since != "" {
				if err := store.ValidateSince(since); err != nil {
					return nil, err
				}
				t, err := time.Parse(time.DateOnly, since)
				if err != nil {
					return nil, session.Invalid("since", "not a day (YYYY-MM-DD): %q", session.Clip(since))
				}
				o.Since = t
			}
			if o.Projects == "" {
				home, _ := os.UserHomeDir()
				if h := a.getenv("HOME"); h != "" {
					home = h
				}
				o.Projects = exporter.DefaultTranscripts(home)
			}
			return importer.Run(ctx, a.storeDir(), o)
		},
	})
}
