// Command sess-export exports sessions: one session or project to stdout or
// a file, as JSON or Markdown, or every parked and completed session to its
// own Markdown file with YAML front matter, for a searchable archive.
package main

import "github.com/sess-dev/sess/internal/cli"

func main() {
	cli.Main(run)
}
