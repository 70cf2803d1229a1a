// Command sess-manage changes and queries the sess store: every state
// command of the original manage.py, with the same invocations, printing
// JSON on stdout.
package main

import "github.com/sess-dev/sess/internal/cli"

// version is set at build time by the Makefile (-X main.version).
var version string

func main() {
	cli.Main(run)
}
