package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime/debug"
	"strconv"
	"syscall"

	"github.com/sess-dev/sess/internal/cli"
	"github.com/sess-dev/sess/internal/cli/usage"
	"github.com/sess-dev/sess/internal/exporter"
	"github.com/sess-dev/sess/internal/server"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// version is set at build time by the Makefile (-X main.version).
var version string

// The process-wide runtime settings of sess-serve, set here and nowhere
// else. cli.Main turns the collector off until 512 MiB for the tools that
// live for milliseconds; a server lives long, so it collects as usual, and a
// soft memory limit makes the collector work harder before the heap passes
// it. With the server's own bounds (internal/server's limits) the process
// stays under 60 MiB of RSS on a 10,000-session store (bench/serve-rss.sh);
// a bigger store whose live data passes the limit costs collector time, not
// a crash.
const (
	gcPercent   = 100
	memoryLimit = 40 << 20
)

// tuneProcess applies the settings above and returns what puts the previous
// ones back, so that a test running run in-process leaves its process as it
// was.
func tuneProcess() (restore func()) {
	gc := debug.SetGCPercent(gcPercent)
	limit := debug.SetMemoryLimit(memoryLimit)
	return func() {
		debug.SetGCPercent(gc)
		debug.SetMemoryLimit(limit)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	t := cli.NewTool("sess-serve", stdout, stderr)
	t.Version = version
	t.Doc = usage.Doc{
		Description: "The sess dashboard: a read-only web page over the store, updated live.",
		Usage:       []string{"sess-serve [--addr 127.0.0.1:9000] [--dashboard-dir DIR] [--sync-dir DIR]"},
		Help: "Serves the dashboard of the store on localhost until interrupted.\n" +
			"With a shared folder it shows every machine's sessions, and publishes this\n" +
			"machine's part of it on every change, as sess-manage sync --watch does.\n" +
			"A non-loopback --addr is your explicit choice: the page has no login.\n" +
			"Exit status: 0 stopped, 1 failed ({\"error\",\"code\"} on stdout), 2 bad usage.",
	}
	fs := t.Flags
	var (
		dir     = fs.String("dashboard-dir", "", "store folder (default $SESS_DASHBOARD_DIR or ~/.claude/dashboard)")
		addr    = fs.String("addr", "", "address to listen on (default 127.0.0.1 and config.json's dashboard_port)")
		syncDir = fs.String("sync-dir", "", "folder shared with your other machines (default $SESS_SYNC_DIR, else machine.json's, which sess-manage sync init sets)")
	)
	if err := t.Parse(args); err != nil {
		return err
	}
	var err error
	if *dir, err = cli.DashboardDir(*dir); err != nil {
		return cli.Fail(stdout, err)
	}
	st := store.Open(*dir, store.Options{Warnings: stderr, ReadOnly: true})
	if *addr == "" {
		*addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(st.View().Config().Settings.DashboardPort))
	}
	defer tuneProcess()()
	home, _ := os.UserHomeDir()
	if err := server.Run(ctx, st, *addr, stderr, stderr, server.Options{
		Transcripts: exporter.DefaultTranscripts(home),
		Getenv:      os.Getenv,
		SyncDir:     *syncDir,
		Version:     cli.Version(version),
	}); err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			err = &session.Error{Code: session.CodeAddressInUse, Message: fmt.Sprintf("address %s is in use (another sess-serve, or another program, listens there); stop it or choose another with --addr", *addr)}
		}
		return cli.Fail(stdout, err)
	}
	return nil
}
