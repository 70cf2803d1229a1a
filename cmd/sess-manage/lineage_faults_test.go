package main

import (
	"fmt"
	"github.com/sess-dev/sess/internal/journal"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sess-dev/sess/internal/window"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// The one write that changes two sessions at once outside resume-session:
// a conversation that /clear began carries the ended one on (a new session
// that continues it, the old one completed naming it). At a full disk or
// killed at any system call, it is all there or none of it is.

// makeClearedStore is a store in which conversation conv-old, working in
// folder wt, has just been ended by /clear; it returns the old session's id.
func makeClearedStore(t *testing.T, dir, wt string) string {
	t.Helper()
	st := store.Open(dir, store.Options{})
	// The window of the hooks this test starts (see clearHook): this process.
	win := string(window.Of(os.Getpid()))
	old, _, err := journal.RegisterLaunch(st, journal.Launch{ClaudeSessionID: "conv-old", Project: wt, WorktreeRoot: &wt, Source: journal.SourceStartup, Hooked: true, Window: win})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := journal.ConversationEnded(st, old.SessionID, "clear"); err != nil {
		t.Fatal(err)
	}
	return old.SessionID
}

// clearHook is SessionStart of the conversation /clear began, as sess-manage
// register-launch --from-hook runs it.
func clearHook(dir, wt string) *exec.Cmd {
	cmd := sessManage(dir, "register-launch", "--from-hook")
	cmd.Stdin = strings.NewReader(fmt.Sprintf(`{"session_id": "conv-new", "cwd": %q, "hook_event_name": "SessionStart", "source": "clear"}`, wt))
	return cmd
}

// checkCarriedOn asserts the all-or-nothing of carrying old on: either no
// new session and old as it was, or a new one that continues old, and old
// completed naming it. It reports whether the change is there.
func checkCarriedOn(t *testing.T, dir, old string) bool {
	t.Helper()
	st := store.Open(dir, store.Options{})
	o, err := st.View().Session(old)
	if err != nil {
		t.Fatal(err)
	}
	next := session.Deref(o.ContinuedBy)
	if next == "" {
		if o.Status != session.StatusActive || o.Outcome != nil {
			t.Errorf("old changed without a successor: %s %q", o.Status, session.Deref(o.Outcome))
		}
		if s, _ := journal.ActiveByClaudeID(st, "conv-new", ""); s != nil && s.Continues != nil {
			t.Errorf("a successor %s that old does not name", s.SessionID)
		}
		return false
	}
	n, err := st.View().Session(next)
	if err != nil {
		t.Fatalf("old names %s, which is not there: %v", next, err)
	}
	if session.Deref(n.Continues) != old || o.Status != session.StatusCompleted || session.Deref(o.Outcome) != journal.ContinuedOutcome(next) {
		t.Errorf("half a change: new continues %q; old %s %q", session.Deref(n.Continues), o.Status, session.Deref(o.Outcome))
	}
	return true
}

func TestLineageFullDisk(t *testing.T) {
	mnt := mountTmpfs(t, 4<<20)
	base, wt := t.TempDir(), filepath.Join(t.TempDir(), "web")
	os.Mkdir(wt, 0o700)
	old := makeClearedStore(t, base, wt)
	carried := 0
	for pages := int64(0); carried < 2 && pages < 64; pages++ {
		dir := filepath.Join(mnt, "store")
		os.RemoveAll(dir)
		os.Remove(filepath.Join(mnt, "filler"))
		if out, err := exec.Command("cp", "-a", base, dir).CombinedOutput(); err != nil {
			t.Fatalf("copy: %v: %s", err, out)
		}
		fill(t, mnt, pages*4096)
		out, err := clearHook(dir, wt).CombinedOutput() // a hook: exit 0 always
		os.Remove(filepath.Join(mnt, "filler"))
		if err != nil {
			t.Fatalf("%d pages free: %v: %s", pages, err, out)
		}
		mustRun(t, dir, "list-sessions", "--limit", "10000")
		checkAgree(t, dir)
		if checkCarriedOn(t, dir, old) {
			carried++
		}
		// A retry after the failure carries it on once.
		if _, err := clearHook(dir, wt).CombinedOutput(); err != nil {
			t.Fatal(err)
		}
		if !checkCarriedOn(t, dir, old) {
			t.Errorf("%d pages free: the retry with room did not carry it on", pages)
		}
		if t.Failed() {
			t.Fatalf("%d pages free: %s", pages, out)
		}
	}
	if carried < 2 {
		t.Error("it never carried the session on")
	}
}

func TestLineageKillAtSyscall(t *testing.T) {
	strace := straceOrSkip(t)
	base, wt := t.TempDir(), filepath.Join(t.TempDir(), "web")
	os.Mkdir(wt, 0o700)
	old := makeClearedStore(t, base, wt)
	killAtEach(t, strace, base, func(dir string) *exec.Cmd { return clearHook(dir, wt) },
		func(t *testing.T, dir string) { checkCarriedOn(t, dir, old) })
}
