// Command sess-hook is sess's one entry point for Claude Code's hooks: it
// reads an event's JSON on stdin and records it in the conversation's own
// session (see internal/journal). A hook must never block Claude Code: it
// always exits 0, and whatever goes wrong is one line on stderr.
package main

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"
)

// version is set at build time by the Makefile (-X main.version).
var version string

func main() {
	// A hook lives for milliseconds: no garbage collection until the memory
	// limit, as for every short-lived sess tool (see cli.Main).
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(512 << 20)
	if err := run(context.Background(), os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "sess-hook:", err)
	}
	os.Exit(0)
}
