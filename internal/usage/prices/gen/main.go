// Command gen turns LiteLLM's price file (model_prices_and_context_window.json,
// BerriAI/litellm, MIT licensed: LICENSE.litellm) into Go source, so that
// sess prices Claude models offline, without parsing JSON or asking the
// network at run time. It keeps only Anthropic's own Claude entries (see
// claude). Run by go generate in internal/usage/prices:
//
//	go run ./gen gen/claude_prices.json > table.go
//
// To take a newer LiteLLM file, filter it into the committed snapshot first
// (entries and their fields as LiteLLM wrote them), then generate:
//
//	go run ./gen -snapshot model_prices_and_context_window.json > gen/claude_prices.json
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	snapshot := fs.Bool("snapshot", false, "write the Claude entries of the file as JSON, not Go")
	fs.Usage = func() {} // printed below: to stdout when asked for
	const usage = "usage: gen [-snapshot] model_prices.json > out"
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, usage)
			return 0
		}
		fmt.Fprintln(stderr, usage)
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	src, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "gen:", err)
		return 1
	}
	var out []byte
	if *snapshot {
		out, err = Snapshot(src)
	} else {
		out, err = Generate(src)
	}
	if err != nil {
		fmt.Fprintln(stderr, "gen:", err)
		return 1
	}
	if _, err := stdout.Write(out); err != nil {
		fmt.Fprintln(stderr, "gen:", err)
		return 1
	}
	return 0
}
