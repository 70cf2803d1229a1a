package cli

import (
	"context"
	"io"
	"os"
	"runtime/debug"
)

// RunFunc is a tool's whole work, testable in-process with buffers.
type RunFunc func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error

// Main runs a short-lived tool with the process's streams and exits with
// the status of its error.
//
// Such a tool lives for milliseconds: collecting garbage would be wasted
// work (and, on a large store, a third of a command's time), so the
// collector waits for the memory limit instead of running on heap growth.
func Main(run RunFunc) {
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(512 << 20)
	err := run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	os.Exit(ExitCode(err))
}
