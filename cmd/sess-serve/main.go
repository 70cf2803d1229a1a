// Command sess-serve is the sess dashboard: a read-only web page on
// localhost over the store, updated live. It changes no session; a search
// brings the store's search index up to date, as sess-manage search does.
package main

import "github.com/sess-dev/sess/internal/cli"

func main() {
	cli.Main(run)
}
