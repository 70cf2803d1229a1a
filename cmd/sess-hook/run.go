package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/sess-dev/sess/internal/cli/usage"
	"github.com/sess-dev/sess/internal/hookio"
	"github.com/sess-dev/sess/internal/journal/hook"
	"github.com/sess-dev/sess/pkg/store"
)

// run handles one hook event. Its error is the one line main prints.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	dir, done, err := usage.ParseHook(flag.NewFlagSet("sess-hook", flag.ContinueOnError), args, stdout, usage.Doc{
		Description: "The Claude Code hook of sess, for every event it records.",
		Usage:       []string{"sess-hook [--dashboard-dir DIR] < EVENT.json"},
		Help: "Reads a hook event on stdin and records it in the conversation's own session:\n" +
			"  SessionStart      registers it (project from the git repository, the real\n" +
			"                    branch, its window), carrying on the thread the evidence\n" +
			"                    names, and answers with the thread's brief\n" +
			"  UserPromptSubmit  the intent from the first prompt; a conversation with no\n" +
			"                    session takes one here\n" +
			"  PostToolUse       edited files (Edit, Write, MultiEdit, NotebookEdit), a\n" +
			"                    git commit (Bash), tasks (TaskCreate, TaskUpdate, TodoWrite)\n" +
			"  TaskCreated, TaskCompleted  tasks and their states\n" +
			"  Notification      what it waits for (permission, idle, elicitation,\n" +
			"                    agent_needs_input); agent_completed: idle\n" +
			"  Stop              the last answer's first sentence as the current activity,\n" +
			"                    and the question it ends with\n" +
			"  StopFailure       the failed turn and its kind\n" +
			"  PostCompact       Claude Code's summary of the conversation\n" +
			"  SessionEnd        the end and its reason\n" +
			"A due Stop, PreCompact and SessionEnd also append the transcript's new rows,\n" +
			"redacted, to the store's transcript archive, in a child process the hook does\n" +
			"not wait for (" + archiveModeVar + "=inline waits, =off keeps no archive).\n" +
			"Subagents' events record nothing. Always exits 0; a problem is one line on\n" +
			"stderr. 'sess-manage hooks install' sets it up.",
	}, version)
	if done || err != nil {
		return err
	}
	if dir, err = hookio.StoreDir(dir, getenv); err != nil {
		return err
	}
	in := hookio.Read(stdin)
	h := hook.New(store.Open(dir, store.Options{Warnings: stderr}), getenv, stderr, "sess-hook")
	h.Archive = archiver(getenv, dir)
	if out := h.Handle(in); out != "" {
		fmt.Fprintln(stdout, out)
	}
	return nil
}
