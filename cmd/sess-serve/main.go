// Command sess-serve is the sess dashboard: a read-only web page on
// localhost over the store, updated live, with what Claude Code's
// conversations cost (read from the projects folders sess-manage usage
// reads: CLAUDE_CONFIG_DIR's, else ~/.config/claude's and ~/.claude's).
// It changes no session; a search brings the store's search index up to
// date, as sess-manage search does, and the money keeps the store's
// summaries of the transcripts up to date, as sess-manage usage does.
package main

import "github.com/sess-dev/sess/internal/cli"

func main() {
	cli.Main(run)
}
