package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/sess-dev/sess/internal/cli/usage"
	"github.com/sess-dev/sess/internal/hookio"
	"github.com/sess-dev/sess/internal/journal"
	"github.com/sess-dev/sess/pkg/store"
)

// run handles one hook event. Its error is the one line main prints.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	dir, done, err := usage.ParseHook(flag.NewFlagSet("sess-hook", flag.ContinueOnError), args, stdout, usage.Doc{
		Description: "The Claude Code hook of sess, for every event it records.",
		Usage:       []string{"sess-hook [--dashboard-dir DIR] < EVENT.json"},
		Help: "Reads a hook event on stdin and records it in the conversation's own session:\n" +
			"SessionStart registers it (project from the git repository, the real branch),\n" +
			"UserPromptSubmit sets the intent from the first prompt, Notification flags\n" +
			"what it waits for, Stop records the last answer's first sentence as the\n" +
			"current activity. Always exits 0; a problem is one line on stderr.",
	}, version)
	if done || err != nil {
		return err
	}
	if dir, err = hookio.StoreDir(dir, getenv); err != nil {
		return err
	}
	in := hookio.Read(stdin)
	h := journal.New(store.Open(dir, store.Options{Warnings: stderr}), getenv, stderr, "sess-hook")
	if out := h.Handle(in); out != "" {
		fmt.Fprintln(stdout, out)
	}
	return nil
}
