// Command sess-serve is the sess dashboard: a read-only web page on
// localhost over the store, updated live.
package main

import "github.com/sess-dev/sess/internal/cli"

func main() {
	cli.Main(run)
}
