package main

import (
	"context"
	"fmt"
	"github.com/sess-dev/sess/pkg/store/derived"
	"io"
	"strings"

	"github.com/sess-dev/sess/internal/cli"
	"github.com/sess-dev/sess/internal/cli/usage"
	"github.com/sess-dev/sess/internal/notify"
	"github.com/sess-dev/sess/internal/notify/httppush"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// version is set at build time by the Makefile (-X main.version).
var version string

// Summary is what one run did (or, with --dry-run, would do).
type Summary struct {
	DryRun        bool           `json:"dry_run"`
	StaleClosed   IDs            `json:"stale_closed"`
	LocksRemoved  Files          `json:"locks_removed"`
	Archived      IDs            `json:"archived"`
	Notifications *notify.Result `json:"notifications"`
}

// IDs is a count with the sessions counted.
type IDs struct {
	Count      int      `json:"count"`
	SessionIDs []string `json:"session_ids"`
}

// Files is a count with the files counted.
type Files struct {
	Count int      `json:"count"`
	Files []string `json:"files"`
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	return runWith(ctx, args, stdin, stdout, stderr, notify.System)
}

func runWith(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, notifier func() notify.Notifier) error {
	t := cli.NewTool("sess-cleanup", stdout, stderr)
	t.Version = version
	t.Doc = usage.Doc{
		Description: "The scheduled job of sess (cron, launchd, a systemd timer).",
		Usage: []string{
			"sess-cleanup [--dry-run] [--threshold-hours N] [--archive-days N] [--no-archive] [--notify] [--dashboard-dir DIR]",
			"sess-cleanup --send-pushes < PUSHES.json",
		},
		Help: "Closes stale sessions, removes orphaned locks, archives old completed sessions and\n" +
			"sends the notifications of check-notify (stale, long-parked, waiting; waits also to\n" +
			"notify_ntfy_url and notify_webhook_url); prints one JSON summary.\n" +
			"Exit status: 0 done, 1 failed ({\"error\",\"code\"} on stdout), 2 bad usage.",
	}
	fs := t.Flags
	var (
		dir         = fs.String("dashboard-dir", "", "store folder (default $SESS_DASHBOARD_DIR or ~/.claude/dashboard)")
		dryRun      = fs.Bool("dry-run", false, "change nothing; report what would be done")
		threshold   = fs.Int("threshold-hours", 0, "close active sessions without a heartbeat for this long (default: config stale_threshold_hours)")
		archiveDays = fs.Int("archive-days", 0, "archive completed sessions that ended this many days ago (default: config archive_after_days)")
		noArchive   = fs.Bool("no-archive", false, "do not archive")
		notifyFlag  = fs.Bool("notify", false, "send notifications even if config.json does not enable them")
		sendPushes  = fs.Bool(strings.TrimPrefix(notify.HandoffFlag, "--"), false, "only send the pushes given as JSON on stdin and print how each went (what sess-manage check-notify hands over: it has no network code)")
	)
	if err := t.Parse(args); err != nil {
		return err
	}
	if *sendPushes {
		if err := httppush.Serve(ctx, stdin, stdout); err != nil {
			return cli.Fail(stdout, err)
		}
		return nil
	}
	var err error
	if *dir, err = cli.DashboardDir(*dir); err != nil {
		return cli.Fail(stdout, err)
	}
	if *threshold < 0 || *threshold > 100000 {
		return cli.Fail(stdout, &session.Error{Code: session.CodeValidation, Field: "threshold_hours", Message: "must be between 1 and 100000"})
	}
	if *archiveDays != 0 {
		if err := session.ValidateDays(*archiveDays); err != nil {
			return cli.Fail(stdout, err)
		}
	}
	st := store.Open(*dir, store.Options{Warnings: stderr, ReadOnly: *dryRun})
	sum, err := cleanup(ctx, st, options{
		dryRun: *dryRun, threshold: *threshold, archiveDays: *archiveDays,
		archive: !*noArchive, notify: *notifyFlag, notifier: notifier,
	})
	if err != nil {
		return cli.Fail(stdout, err)
	}
	return cli.WriteJSON(stdout, sum)
}

type options struct {
	dryRun      bool
	threshold   int
	archiveDays int
	archive     bool
	notify      bool
	notifier    func() notify.Notifier
}

// cleanup runs the job's steps in order. A dry run opens the store read-only
// and asks each step only what it would do.
func cleanup(ctx context.Context, st *store.Store, o options) (*Summary, error) {
	sum := &Summary{DryRun: o.dryRun, StaleClosed: IDs{SessionIDs: []string{}}, LocksRemoved: Files{Files: []string{}}, Archived: IDs{SessionIDs: []string{}}}
	if !st.View().Exists() {
		return sum, nil // no store yet: nothing to clean
	}
	closed, err := st.CleanupStale(o.threshold, o.dryRun)
	if err != nil {
		return nil, fmt.Errorf("close stale sessions: %w", err)
	}
	sum.StaleClosed = IDs{len(closed), closed}
	locks, err := st.CleanupLocks(o.dryRun)
	if err != nil {
		return nil, fmt.Errorf("remove orphaned locks: %w", err)
	}
	sum.LocksRemoved = Files{len(locks), locks}
	// The hooks' per-conversation files only save time: a week old, they go.
	st.Derived().PruneConversations(derived.ConversationFilesAge, o.dryRun)
	if o.archive {
		ids, err := st.ArchiveOld(o.archiveDays, o.dryRun)
		if err != nil {
			return nil, fmt.Errorf("archive: %w", err)
		}
		sum.Archived = IDs{len(ids), ids}
	}
	var n notify.Notifier
	if !o.dryRun {
		n = o.notifier()
	}
	res, err := notify.Check(ctx, st, n, notify.Options{Force: o.notify, DryRun: o.dryRun, Pusher: httppush.New(0)})
	if err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	sum.Notifications = res
	return sum, nil
}
