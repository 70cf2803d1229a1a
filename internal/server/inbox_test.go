package server

import (
	"context"
	"github.com/sess-dev/sess/internal/journal"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sess-dev/sess/pkg/store"
)

// TestInbox opens the page on conversations in every live state: the inbox
// lists those that wait first (longest first, with the reason), then the
// rate-limited, working and idle ones, leaves out the ended one, and
// follows a change of state within a second.
func TestInbox(t *testing.T) {
	ctx := browser(t)
	dir := filepath.Join(t.TempDir(), "dashboard")
	// Each write a second after the last (ending now), so that the waits
	// are apart in time: the older is listed first.
	at := time.Now().Add(-time.Minute)
	w := store.Open(dir, store.Options{Now: func() time.Time { at = at.Add(time.Second); return at }})
	launch := func(cid, intent string) string {
		s, _, err := journal.RegisterLaunch(w, journal.Launch{ClaudeSessionID: cid, Project: "api", Hooked: true, Source: journal.SourceStartup})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := journal.PromptSubmitted(w, s.SessionID, intent); err != nil {
			t.Fatal(err)
		}
		return s.SessionID
	}
	idle, working, limited := launch("c1", "idle one"), launch("c2", "working one"), launch("c3", "limited one")
	waitLong, waitShort, ended := launch("c4", "waiting long"), launch("c5", "waiting short"), launch("c6", "ended one")
	journal.TurnEnded(w, idle, "Done for now.", "")
	journal.TurnFailed(w, limited, "rate_limit")
	journal.Waiting(w, waitLong, "Claude needs your permission to use Bash")
	journal.Waiting(w, waitShort, "Claude is waiting for your input")
	journal.ConversationEnded(w, ended, "prompt_input_exit")
	// A thread: /clear carried "first part" on, in the same window.
	wt := "/src/api"
	first, _, _ := journal.RegisterLaunch(w, journal.Launch{ClaudeSessionID: "t1", Project: "api", WorktreeRoot: &wt, Hooked: true, Source: journal.SourceStartup, Window: "wtest-1-1"})
	journal.PromptSubmitted(w, first.SessionID, "first part")
	journal.ToolUsed(w, first.SessionID, journal.ToolUse{Tasks: []journal.TaskUpdate{{Key: "1", Subject: "carry me over", Status: "pending"}}})
	journal.ConversationEnded(w, first.SessionID, "clear")
	second, _, _ := journal.RegisterLaunch(w, journal.Launch{ClaudeSessionID: "t2", Project: "api", WorktreeRoot: &wt, Hooked: true, Source: journal.SourceClear, Window: "wtest-1-1"})
	journal.TurnEnded(w, second.SessionID, "Carried on.", "Which task first?")
	url := serve(t, dir)

	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(`#inbox .inbox-row`)); err != nil {
		t.Fatal(err)
	}
	order, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#inbox .inbox-row')].map((r) => r.dataset.id)`))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{waitLong, waitShort, limited, working, idle, second.SessionID}; strings.Join(order, " ") != strings.Join(want, " ") {
		t.Errorf("inbox order:\nhave %v\nwant %v", order, want)
	}
	text, _ := chromedp.Run(ctx, chromedp.Text(`#inbox`))
	for _, want := range []string{"2 conversations wait for you", "Claude needs your permission to use Bash", "for under a minute", "Rate limit reached"} {
		if !strings.Contains(text, want) {
			t.Errorf("the inbox lacks %q:\n%s", want, text)
		}
	}
	// The answer to a wait moves it within a second.
	if _, err := journal.PromptSubmitted(w, waitLong, "yes"); err != nil {
		t.Fatal(err)
	}
	soon, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if _, err := chromedp.Run(soon, chromedp.Poll[bool](`document.querySelector('#inbox .inbox-row[data-id="`+waitLong+`"]').dataset.state === 'working'`)); err != nil {
		t.Errorf("the answered session did not turn to working within a second: %v", err)
	}
	// The detail view of the second session shows its thread and the
	// thread's open task.
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"#/session/"+second.SessionID), chromedp.WaitVisible(`.thread-list`)); err != nil {
		t.Fatal(err)
	}
	if body, _ := chromedp.Run(ctx, chromedp.Text(`body`)); !strings.Contains(body, "Which task first?") {
		t.Errorf("the detail view does not show the question the last answer asked:\n%s", body)
	}
	thread, _ := chromedp.Run(ctx, chromedp.Text(`#thread`))
	for _, want := range []string{"Thread (2 sessions)", "first part", "[pending] carry me over"} {
		if !strings.Contains(thread, want) {
			t.Errorf("the thread lacks %q:\n%s", want, thread)
		}
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err == nil {
		os.WriteFile(filepath.Join(artifactDir(t), "inbox.png"), shot, 0o644)
	}
}
