package notify

import (
	"context"
	"errors"
	"github.com/sess-dev/sess/internal/journal"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/sess-dev/sess/pkg/store"
	"github.com/sess-dev/sess/pkg/store/derived"
)

type fakeNotifier struct {
	mu   sync.Mutex
	sent []string
	fail bool
}

func (f *fakeNotifier) Notify(ctx context.Context, title, message string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail {
		return errors.New("no display")
	}
	f.sent = append(f.sent, title+": "+message)
	return nil
}

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func setup(t *testing.T, enabled bool) (*store.Store, *clock, string) {
	t.Helper()
	dir := t.TempDir()
	c := &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	st := store.Open(dir, store.Options{Now: c.now})
	cfg := `{"version": 1, "projects": {}, "settings": {"notifications_enabled": ` + map[bool]string{true: "true", false: "false"}[enabled] + `, "notify_cooldown_hours": 12}}`
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return st, c, dir
}

func TestCheck(t *testing.T) {
	t.Parallel()
	st, c, dir := setup(t, true)
	stale, _ := st.CreateSession(store.NewSession{Project: "web", Intent: "goes stale"})
	parked, _ := st.CreateSession(store.NewSession{Project: "web", Intent: "parked long"})
	fresh, _ := st.CreateSession(store.NewSession{Project: "api", Intent: "fresh"})
	if _, err := st.ParkSession(parked.SessionID, "later", nil); err != nil {
		t.Fatal(err)
	}
	c.t = c.t.Add(50 * time.Hour)
	if _, err := st.Heartbeat(fresh.SessionID); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	n := &fakeNotifier{}

	// Dry run: nothing sent, nothing written, both reported.
	res, err := Check(ctx, st, n, Options{DryRun: true})
	if err != nil || len(res.Undelivered) != 2 || len(n.sent) != 0 {
		t.Fatalf("dry run: %+v %v %v", res, err, n.sent)
	}
	if _, err := os.Stat(filepath.Join(dir, "notify_state.json")); !os.IsNotExist(err) {
		t.Error("a dry run must not write notify_state.json")
	}

	res, err = Check(ctx, st, n, Options{})
	if err != nil || res.Status != "checked" || res.StaleNotified != 1 || res.ParkedNotified != 1 || len(n.sent) != 2 {
		t.Fatalf("first check: %+v %v %v", res, err, n.sent)
	}
	// Within the cooldown: nothing again.
	c.t = c.t.Add(11 * time.Hour)
	st.Heartbeat(fresh.SessionID)
	res, _ = Check(ctx, st, n, Options{})
	if res.StaleNotified+res.ParkedNotified != 0 || len(n.sent) != 2 {
		t.Errorf("within the cooldown: %+v", res)
	}
	// After it: again.
	c.t = c.t.Add(2 * time.Hour)
	st.Heartbeat(fresh.SessionID)
	res, _ = Check(ctx, st, n, Options{})
	if res.StaleNotified != 1 || res.ParkedNotified != 1 {
		t.Errorf("after the cooldown: %+v", res)
	}
	// A session that is no longer stale is forgotten; when it goes stale
	// again it is told at once.
	st.Heartbeat(stale.SessionID)
	st.Heartbeat(fresh.SessionID)
	Check(ctx, st, n, Options{})
	state := map[string]derived.NotifyEntry{}
	st.Derived().UpdateNotifyState(true, func(s map[string]derived.NotifyEntry) error { state = s; return nil })
	if _, ok := state[stale.SessionID]; ok || len(state) != 1 {
		t.Errorf("state after the stale session came back: %v", state)
	}

	// A failing notifier: reported, not recorded.
	c.t = c.t.Add(30 * time.Hour)
	failing := &fakeNotifier{fail: true}
	res, _ = Check(ctx, st, failing, Options{})
	if len(res.Undelivered) == 0 || res.StaleNotified != 0 {
		t.Errorf("failing notifier: %+v", res)
	}
	res, _ = Check(ctx, st, nil, Options{})
	if len(res.Undelivered) == 0 {
		t.Errorf("no notifier: want the notices reported, have %+v", res)
	}
}

func TestCheckDisabled(t *testing.T) {
	t.Parallel()
	st, _, _ := setup(t, false)
	n := &fakeNotifier{}
	res, err := Check(context.Background(), st, n, Options{})
	if err != nil || res.Status != "disabled" || len(n.sent) != 0 {
		t.Errorf("disabled: %+v %v", res, err)
	}
	res, err = Check(context.Background(), st, n, Options{Force: true})
	if err != nil || res.Status != "checked" {
		t.Errorf("forced: %+v %v", res, err)
	}
}

func TestAppleString(t *testing.T) {
	t.Parallel()
	if want, have := `"a \"b\" \\ c d"`, appleString("a \"b\" \\ c\nd"); want != have {
		t.Errorf("want %s, have %s", want, have)
	}
}

// TestCheckWaiting: a conversation that waits for the user longer than
// waiting_notify_minutes is told of once per wait; a new wait is told of
// again; one that waits briefly, or no longer, is not.
func TestCheckWaiting(t *testing.T) {
	t.Parallel()
	st, c, _ := setup(t, true)
	ctx := context.Background()
	long, _, _ := journal.RegisterLaunch(st, journal.Launch{ClaudeSessionID: "c1", Project: "web", Hooked: true})
	brief, _, _ := journal.RegisterLaunch(st, journal.Launch{ClaudeSessionID: "c2", Project: "web", Hooked: true})
	journal.Waiting(st, long.SessionID, "Claude needs your permission to use Bash")
	c.t = c.t.Add(9 * time.Minute)
	journal.Waiting(st, brief.SessionID, "Claude is waiting for your input")
	c.t = c.t.Add(2 * time.Minute) // long waits 11 min, brief 2
	f := &fakeNotifier{}
	res, err := Check(ctx, st, f, Options{})
	if err != nil || res.WaitingNotified != 1 || len(f.sent) != 1 {
		t.Fatalf("first check: %+v, sent %q (%v)", res, f.sent, err)
	}
	if want := `Claude Code waits for you: web: "(launch — sessie-start volgt)" — Claude needs your permission to use Bash (for 11 min)`; f.sent[0] != want {
		t.Errorf("notice:\nhave %s\nwant %s", f.sent[0], want)
	}
	if res, _ := Check(ctx, st, f, Options{}); res.WaitingNotified != 0 {
		t.Errorf("the same wait was told of twice")
	}
	journal.PromptSubmitted(st, long.SessionID, "yes")
	c.t = c.t.Add(time.Minute)
	journal.Waiting(st, long.SessionID, "Claude needs your permission to use Write")
	c.t = c.t.Add(15 * time.Minute)
	res, _ = Check(ctx, st, f, Options{})
	if res.WaitingNotified != 2 { // long's new wait, and brief's (17 min by now)
		t.Errorf("after a new wait: %+v, sent %q", res, f.sent)
	}
}

// TestPushWithoutPusher: a program that cannot send pushes reports each
// due push undelivered, and still tells the desktop; a bad URL is not even
// handed on. The HTTP side is tested in package httppush.
func TestPushWithoutPusher(t *testing.T) {
	t.Parallel()
	st, c, dir := setup(t, true)
	cfg := `{"version": 1, "projects": {}, "settings": {"notifications_enabled": true, "notify_ntfy_url": "https://ntfy.example/t", "notify_webhook_url": "mailto:x"}}`
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	s, _ := st.CreateSession(store.NewSession{Project: "web", Intent: "i"})
	journal.Waiting(st, s.SessionID, "Claude is waiting for your input")
	c.t = c.t.Add(11 * time.Minute)
	f := &fakeNotifier{}
	res, err := Check(context.Background(), st, f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var have []string
	for _, u := range res.Undelivered {
		have = append(have, u.Target+": "+u.Error)
	}
	want := []string{"ntfy: " + errNoPusher.Error(), `webhook: config.json: settings.notify_webhook_url: want an http:// or https:// URL, not "mailto:"`}
	if !reflect.DeepEqual(want, have) || len(f.sent) != 1 || res.WaitingNotified != 1 {
		t.Errorf("undelivered:\nwant %q\nhave %q (%+v)", want, have, res)
	}
}
