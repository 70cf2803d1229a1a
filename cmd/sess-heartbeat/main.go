// Command sess-heartbeat is the Claude Code Stop hook of sess: after a turn
// it refreshes the heartbeat of the conversation's session, at most once per
// interval. When the interval has not passed, which is nearly every turn, it
// costs one stat of a throttle file. It never fails the hook: whatever goes
// wrong is one line on stderr and exit status 0.
package main

import (
	"context"
	"fmt"
	"os"
	"time"
)

// version is set at build time by the Makefile (-X main.version).
var version string

func main() {
	h := &hook{getenv: os.Getenv, now: time.Now}
	if err := h.run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "sess-heartbeat:", err)
	}
	os.Exit(0) // a tracking hook never blocks Claude Code
}
