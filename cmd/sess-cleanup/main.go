// Command sess-cleanup is the scheduled job of sess (cron, launchd, a
// systemd timer): it closes stale sessions, removes orphaned locks, drops
// the hooks' week-old per-conversation files, archives old completed
// sessions and sends the notifications of check-notify (stale, long-parked,
// waiting), then prints one JSON summary. The store changes only through
// pkg/store. It is the one tool that sends pushes over HTTP
// (internal/notify/httppush), sess-manage's too (--send-pushes).
package main

import "github.com/sess-dev/sess/internal/cli"

func main() {
	cli.Main(run)
}
