// Command sess-manage changes and queries the sess store: every state
// command of the original manage.py, with the same invocations, printing
// JSON on stdout, and sess's own (search, thread, brief, export,
// check-notify, hooks, setup). The store changes only through pkg/store.
// Outside it, it writes Claude Code's settings file (hooks install and
// uninstall) and a project's .claude/skills (setup); it sends nothing over
// the network: check-notify hands its pushes to sess-cleanup, and serve
// runs sess-serve.
package main

import "github.com/sess-dev/sess/internal/cli"

// version is set at build time by the Makefile (-X main.version).
var version string

func main() {
	cli.Main(run)
}
