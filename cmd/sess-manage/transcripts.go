package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"syscall"
	"time"

	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/sess-dev/sess/internal/archive"
	"github.com/sess-dev/sess/internal/cli"
	"github.com/sess-dev/sess/internal/hookconf"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/derived/transcripts"
)

// transcripts is the transcript archive's command: its figures, a
// conversation's archived transcript, and pruning by age.
func (a *app) transcripts() *ffcli.Command {
	days := optInt{}
	var dryRun bool
	var transcript string
	return a.command(spec{
		name: "transcripts", usage: "stats|prune|cat|append [--older-than DAYS] [--dry-run] [--transcript FILE] [<claude-session-id>]",
		args: []string{"stats|prune|cat|append", "claude-session-id"}, optionalArgs: 1,
		help: "the transcript archive: its size (stats), remove conversations last archived more than DAYS ago (prune), print one conversation's archived transcript as JSONL (cat), archive a transcript's new rows (append)",
		long: "The hooks keep every conversation's transcript, redacted and compressed, in the\n" +
			"store (.transcripts/), so that it outlives Claude Code's own copy: at a due Stop,\n" +
			"PreCompact and SessionEnd sess-hook starts 'transcripts append', which adds\n" +
			"the rows written since the last append. prune takes out what was last\n" +
			"appended to more than --older-than DAYS ago.",
		flags: func(fs *flag.FlagSet) {
			fs.Var(&days, "older-than", "prune: age in days of the last append, 1 to 3650")
			fs.BoolVar(&dryRun, "dry-run", false, "prune: list what would go; remove nothing")
			fs.StringVar(&transcript, "transcript", "", "append: the conversation's transcript, an absolute path to its .jsonl")
		},
		run: func(ctx context.Context, args []string) (any, error) {
			arc := transcripts.Of(a.store())
			switch args[0] {
			case "stats":
				return arc.Totals()
			case "append":
				if len(args) < 2 || transcript == "" {
					return nil, cli.Usagef("append needs <claude-session-id> and --transcript FILE")
				}
				defer cli.LongRunning()() // up to 256 MiB read and redacted
				// A hook starts this beside Claude Code and the next hooks: it
				// yields the processor to them.
				syscall.Setpriority(syscall.PRIO_PROCESS, 0, 10)
				added, err := archive.Append(a.store(), args[1], transcript)
				if err != nil {
					return nil, err
				}
				return struct {
					Bytes  int64  `json:"archived_bytes"`
					Frames int    `json:"frames"`
					Part   uint32 `json:"part"`
				}{added.Bytes, added.Frames, added.Part}, nil
			case "prune":
				if !days.set {
					return nil, cli.Usagef("prune needs --older-than DAYS")
				}
				if err := session.ValidateDays(days.n); err != nil {
					return nil, err
				}
				cutoff := a.store().View().Now().Add(-time.Duration(days.n) * 24 * time.Hour)
				ids, err := arc.Prune(cutoff, dryRun)
				if err != nil {
					return nil, err
				}
				if !dryRun {
					for _, cid := range ids {
						if err := a.store().Derived().RemoveConversationText(cid); err != nil {
							return nil, fmt.Errorf("prune the searchable text of %s: %w", cid, err)
						}
					}
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
				return raw(""), a.catTranscript(arc, args[1])
			}
			return nil, cli.Usagef("unknown action %q: want stats, prune, cat or append", args[0])
		},
	})
}

// catTranscript streams a conversation's archived transcript to stdout.
func (a *app) catTranscript(arc *transcripts.Archive, cid string) error {
	r, err := arc.Open(cid)
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
	t, err := transcripts.Of(a.store()).Totals()
	return hookconf.ArchiveSize{Conversations: t.Conversations, ArchiveBytes: t.ArchiveBytes, TranscriptBytes: t.SourceBytes,
		TranscriptsOnDisk: t.OnDisk, OnDiskBytes: t.OnDiskBytes}, err
}
