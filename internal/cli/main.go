package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/sess-dev/sess/pkg/store"
)

// RunFunc is a tool's whole work, testable in-process with buffers.
type RunFunc func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error

// Main runs a short-lived tool with the process's streams and exits with
// the status of its error (Exit), naming the tool as it was called.
//
// Such a tool lives for milliseconds: collecting garbage would be wasted
// work (and, on a large store, a third of a command's time), so the
// collector waits for the memory limit instead of running on heap growth.
func Main(run RunFunc) {
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(512 << 20)
	err := run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	os.Exit(Exit(filepath.Base(os.Args[0]), os.Stderr, err))
}

// Exit is the exit status of a tool's run, and the one place that tells a
// person on stderr what failed: a failed operation, whose JSON is on stdout
// for scripts (and may be piped away into jq), is also one plain line
// "name: message" on stderr. Usage errors were printed with the usage.
func Exit(name string, stderr io.Writer, err error) int {
	code := ExitCode(err)
	if code == 1 {
		msg := strings.Join(strings.Fields(err.Error()), " ")
		fmt.Fprintf(stderr, "%s: %s\n", name, msg)
	}
	return code
}

// DashboardDir is the store folder a tool uses: dir when given (by flag or
// SESS_DASHBOARD_DIR), else ~/.claude/dashboard.
func DashboardDir(dir string) (string, error) {
	if dir != "" {
		return dir, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no store: set SESS_DASHBOARD_DIR or --dashboard-dir (%w)", err)
	}
	return store.DefaultDir(home), nil
}

// ErrVersion is what parsing returns when --version was asked for (and
// printed): the tool does nothing else and exits 0.
var ErrVersion = errors.New("version asked for")

// answered reports whether err is help or the version, asked for and
// printed.
func answered(err error) bool {
	return errors.Is(err, flag.ErrHelp) || errors.Is(err, ErrVersion)
}

// LongRunning turns the collector back on for work that reads far more
// than it keeps (an import, an archive's append): its memory then stays
// flat instead of growing to the limit Main sets. It returns what puts
// Main's setting back.
func LongRunning() (restore func()) {
	old := debug.SetGCPercent(100)
	return func() { debug.SetGCPercent(old) }
}
