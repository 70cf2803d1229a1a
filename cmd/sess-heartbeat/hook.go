package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/sess-dev/sess/internal/cli/usage"
	"github.com/sess-dev/sess/internal/hookio"
	"github.com/sess-dev/sess/internal/journal"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// DefaultInterval is how often a project's heartbeat is refreshed at most.
const DefaultInterval = 15 * time.Minute

// hook is one run of the Stop hook, with the environment and the clock
// passed in.
type hook struct {
	getenv func(string) string
	now    func() time.Time
}

// run does the work. The throttled path reads the environment and stats one
// file: no config, no JSON, no read of the store's records.
func (h *hook) run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sess-heartbeat", flag.ContinueOnError)
	interval := fs.Duration("interval", DefaultInterval, "refresh at most once per this long (e.g. 900s, 15m)")
	d, done, err := usage.ParseHook(fs, args, stdout, usage.Doc{
		Description: "The Claude Code Stop hook of sess.",
		Usage:       []string{"sess-heartbeat [--interval 15m] [--dashboard-dir DIR]"},
		Help: "Refreshes the heartbeat of the conversation's session (by the hook's session_id;\n" +
			"a conversation without one, the project's newest session no conversation owns)\n" +
			"at most once per interval. Always exits 0, as a hook must not block Claude\n" +
			"Code; a problem is one line on stderr.",
	}, version)
	if done || err != nil {
		return err
	}
	dir := &d
	if *dir, err = hookio.StoreDir(*dir, h.getenv); err != nil {
		return err
	}

	// The key: the project of $CLAUDE_PROJECT_DIR, else of the hook's cwd,
	// else of the working directory.
	var in *hookio.Input
	project := h.getenv("CLAUDE_PROJECT_DIR")
	if project == "" {
		read := hookio.Read(stdin)
		in = &read
		project = in.Cwd
	}
	if project == "" {
		wd, err := os.Getwd()
		if err != nil {
			return fmt.Errorf("no project: %w", err)
		}
		project = wd
	}
	slug := session.SlugOf(project)
	if session.ValidateSlug(slug) != nil {
		return fmt.Errorf("no valid project slug from %q", project)
	}
	// Open does no I/O: the throttled path stats one file of the store's
	// derived ones.
	st := store.Open(*dir, store.Options{Now: h.now, Warnings: stderr})
	if st.Derived().HeartbeatThrottled(slug, *interval) {
		return nil // the throttled path
	}

	// Due: find the session and refresh it.
	if fi, err := os.Stat(*dir); err != nil || !fi.IsDir() {
		return fmt.Errorf("no store at %s", *dir)
	}
	if in == nil {
		read := hookio.Read(stdin)
		in = &read
	}
	if err := heartbeat(st, slug, in.SessionID); err != nil {
		return err
	}
	return st.Derived().MarkHeartbeat(slug)
}

// heartbeat refreshes the active session of the hook's Claude Code session.
// A conversation whose session is parked or completed refreshes nothing; one
// with no session at all refreshes the project's newest active session that
// belongs to no conversation, never another window's.
func heartbeat(st *store.Store, slug, claudeID string) error {
	if claudeID != "" {
		sess, err := journal.ActiveByClaudeID(st, claudeID, slug)
		if err != nil {
			return err
		}
		if sess != nil {
			_, err := st.Heartbeat(sess.SessionID)
			return err
		}
		if known, err := journal.ClaudeSessionKnown(st, claudeID, slug); err != nil || known {
			return err
		}
	}
	_, err := journal.HeartbeatUnclaimed(st, slug)
	return err
}
