// Command sess-cleanup is the scheduled job of sess (cron, launchd, a
// systemd timer): it closes stale sessions, removes orphaned locks, archives
// old completed sessions and sends the stale and long-parked notifications,
// then prints one JSON summary.
package main

import "github.com/sess-dev/sess/internal/cli"

func main() {
	cli.Main(run)
}
