package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"time"

	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/sess-dev/sess/internal/cli"
	"github.com/sess-dev/sess/internal/hookconf"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/derived"
)

// transcripts is the transcript archive's command: its figures, a
// conversation's archived transcript, and pruning by age.
func (a *app) transcripts() *ffcli.Command {
	days := optInt{}
	var dryRun bool
	return a.command(spec{
		name: "transcripts", usage: "stats|prune|cat [--older-than DAYS] [--dry-run] [<claude-session-id>]",
		args: []string{"stats|prune|cat", "claude-session-id"}, optionalArgs: 1,
		help: "the transcript archive: its size (stats), remove conversations last archived more than DAYS ago (prune), print one conversation's archived transcript as JSONL (cat)",
		long: "The hooks keep every conversation's transcript, redacted and compressed, in the\n" +
			"store (.transcripts/), so that it outlives Claude Code's own copy. prune takes\n" +
			"out what was last appended to more than --older-than DAYS ago.",
		flags: func(fs *flag.FlagSet) {
			fs.Var(&days, "older-than", "prune: age in days of the last append, 1 to 3650")
			fs.BoolVar(&dryRun, "dry-run", false, "prune: list what would go; remove nothing")
		},
		run: func(ctx context.Context, args []string) (any, error) {
			files := a.store().Derived()
			switch args[0] {
			case "stats":
				return files.Transcripts()
			case "prune":
				if !days.set {
					return nil, cli.Usagef("prune needs --older-than DAYS")
				}
				if err := session.ValidateDays(days.n); err != nil {
					return nil, err
				}
				cutoff := a.store().View().Now().Add(-time.Duration(days.n) * 24 * time.Hour)
				ids, err := files.PruneTranscripts(cutoff, dryRun)
				if err != nil {
					return nil, err
				}
				return struct {
					Pruned          int      `json:"pruned"`
					DryRun          bool     `json:"dry_run"`
					ClaudeSessionID []string `json:"claude_session_ids"`
				}{len(ids), dryRun, ids}, nil
			case "cat":
				if len(args) < 2 {
					return nil, cli.Usagef("cat needs <claude-session-id>")
				}
				return raw(""), a.catTranscript(files, args[1])
			}
			return nil, cli.Usagef("unknown action %q: want stats, prune or cat", args[0])
		},
	})
}

// catTranscript streams a conversation's archived transcript to stdout.
func (a *app) catTranscript(files *derived.Files, cid string) error {
	r, err := files.OpenTranscript(cid)
	if errors.Is(err, fs.ErrNotExist) {
		return &session.Error{Code: session.CodeNotFound, Field: "claude_session_id", Message: fmt.Sprintf("no archived transcript of conversation %q", cid)}
	}
	if err != nil {
		return err
	}
	defer r.Close()
	if _, err := io.Copy(a.stdout, r); err != nil {
		return fmt.Errorf("read the archived transcript of %s: %w", cid, err)
	}
	return nil
}

// archiveSize is the transcript archive's figures as hooks doctor shows them.
func (a *app) archiveSize() (hookconf.ArchiveSize, error) {
	t, err := a.store().Derived().Transcripts()
	return hookconf.ArchiveSize{Conversations: t.Conversations, ArchiveBytes: t.ArchiveBytes, TranscriptBytes: t.SourceBytes,
		TranscriptsOnDisk: t.OnDisk, OnDiskBytes: t.OnDiskBytes}, err
}
