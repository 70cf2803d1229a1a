// Command sess-serve is the sess dashboard: a read-only web page on
// localhost over the store, updated live, with what Claude Code's
// conversations cost (read from the projects folders sess-manage usage
// reads: CLAUDE_CONFIG_DIR's, else ~/.config/claude's and ~/.claude's).
// It changes no session; a search brings the store's search index up to
// date, as sess-manage search does, and the money keeps the store's
// summaries of the transcripts up to date, as sess-manage usage does.
//
// One journal across machines: with a folder shared with the user's other
// machines (--sync-dir, $SESS_SYNC_DIR, else the one `sess-manage sync
// init` set), the page shows every machine's sessions, each of another
// machine's marked with its name, and updates when the replicator
// (Syncthing) delivers one. While it runs, sess-serve publishes this
// machine's part of the folder on every change of the store, within a
// second, as `sess-manage sync --watch` does: there is no need to run
// both (the units in systemd/ and launchd/ run sync --watch for those who
// do not keep sess-serve running). A failure to publish is logged once per
// distinct error and tried again; it never stops the dashboard.
package main

import "github.com/sess-dev/sess/internal/cli"

func main() {
	cli.Main(run)
}
