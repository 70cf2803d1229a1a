package main

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/sess-dev/sess/internal/journal"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/sess-dev/sess/internal/cli"
	"github.com/sess-dev/sess/internal/notify"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"sess-cleanup": main})
}

type fakeNotifier struct {
	mu   sync.Mutex
	sent []string
}

func (f *fakeNotifier) Notify(ctx context.Context, title, message string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, title+": "+message)
	return nil
}

type world struct {
	dir                       string
	stale, fresh, old, parked string
}

// newWorld makes a store with a stale session, a fresh one, a completed one
// that ended 40 days ago, a session parked three days ago, and an orphaned
// lock.
func newWorld(t *testing.T, notifications bool) *world {
	t.Helper()
	w := &world{dir: filepath.Join(t.TempDir(), "dashboard")}
	at := func(ago time.Duration) *store.Store {
		now := time.Now().Add(-ago)
		return store.Open(w.dir, store.Options{Now: func() time.Time { return now }})
	}
	mk := func(st *store.Store, intent string) string {
		s, err := st.CreateSession(store.NewSession{Project: "web", Intent: intent})
		if err != nil {
			t.Fatal(err)
		}
		return s.SessionID
	}
	w.old = mk(at(41*24*time.Hour), "old")
	if _, err := at(40*24*time.Hour).CompleteSession(w.old, store.Completion{Outcome: "done"}); err != nil {
		t.Fatal(err)
	}
	w.parked = mk(at(80*time.Hour), "parked")
	if _, err := at(72*time.Hour).ParkSession(w.parked, "later", nil); err != nil {
		t.Fatal(err)
	}
	w.stale = mk(at(30*time.Hour), "stale")
	w.fresh = mk(at(time.Hour), "fresh")
	os.WriteFile(filepath.Join(w.dir, "sessions", "sess_20200101T0000_dead.lock"), nil, 0o600)
	cfg := `{"version": 1, "projects": {}, "settings": {"notifications_enabled": ` + map[bool]string{true: "true", false: "false"}[notifications] + `}}`
	os.WriteFile(filepath.Join(w.dir, "config.json"), []byte(cfg), 0o600)
	return w
}

func (w *world) run(t *testing.T, n notify.Notifier, args ...string) (*Summary, string) {
	t.Helper()
	var out, errb bytes.Buffer
	err := runWith(context.Background(), append([]string{"--dashboard-dir", w.dir}, args...), strings.NewReader(""), &out, &errb, func() notify.Notifier { return n })
	if code := cli.ExitCode(err); code != 0 {
		t.Fatalf("exit %d: %v\n%s\n%s", code, err, out.String(), errb.String())
	}
	var sum Summary
	if err := json.Unmarshal(out.Bytes(), &sum); err != nil {
		t.Fatalf("summary: %v\n%s", err, out.String())
	}
	return &sum, errb.String()
}

func (w *world) status(t *testing.T, id string) session.Status {
	s, err := store.Open(w.dir, store.Options{}).View().Session(id)
	if err != nil {
		t.Fatal(err)
	}
	return s.Status
}

// snapshot is every path of a tree with its content and mtime.
func snapshot(t *testing.T, dir string) map[string]string {
	snap := map[string]string{}
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return nil
		}
		data := ""
		if !fi.IsDir() {
			b, _ := os.ReadFile(p)
			data = string(b)
		}
		snap[p] = fi.ModTime().String() + "|" + fi.Mode().String() + "|" + data
		return nil
	})
	return snap
}

func TestDryRunChangesNothing(t *testing.T) {
	w := newWorld(t, true)
	n := &fakeNotifier{}
	before := snapshot(t, w.dir)
	sum, _ := w.run(t, n, "--dry-run")
	after := snapshot(t, w.dir)
	if len(before) != len(after) {
		t.Errorf("dry run: %d paths before, %d after", len(before), len(after))
	}
	for p, v := range before {
		if after[p] != v {
			t.Errorf("dry run changed %s", p)
		}
	}
	if !sum.DryRun || sum.StaleClosed.Count != 1 || sum.LocksRemoved.Count != 1 || sum.Archived.Count != 1 || len(n.sent) != 0 {
		t.Errorf("dry run summary: %+v, sent %v", sum, n.sent)
	}
	if sum.Notifications == nil || len(sum.Notifications.Undelivered) != 2 {
		t.Errorf("dry run lists the due notifications: %+v", sum.Notifications)
	}
}

func TestCleanup(t *testing.T) {
	w := newWorld(t, true)
	n := &fakeNotifier{}
	sum, stderr := w.run(t, n)
	if stderr != "" {
		t.Errorf("stderr: %s", stderr)
	}
	if sum.StaleClosed.Count != 1 || sum.StaleClosed.SessionIDs[0] != w.stale {
		t.Errorf("stale closed: %+v", sum.StaleClosed)
	}
	if w.status(t, w.stale) != session.StatusCompleted || w.status(t, w.fresh) != session.StatusActive {
		t.Error("the stale session must be closed and the fresh one kept")
	}
	if sum.LocksRemoved.Count != 1 || sum.LocksRemoved.Files[0] != "sess_20200101T0000_dead.lock" {
		t.Errorf("locks: %+v", sum.LocksRemoved)
	}
	if sum.Archived.Count != 1 || sum.Archived.SessionIDs[0] != w.old {
		t.Errorf("archived: %+v", sum.Archived)
	}
	if _, err := os.Stat(filepath.Join(w.dir, "sessions", "archive", w.old+".json")); err != nil {
		t.Errorf("the old session is not in the archive: %v", err)
	}
	// The stale session was just closed (not archived: it ended now); the
	// parked one is long-parked: one parked notification, and the stale one
	// is no longer stale.
	if sum.Notifications.ParkedNotified != 1 || len(n.sent) != 1 || !strings.Contains(n.sent[0], "parked") {
		t.Errorf("notifications: %+v %v", sum.Notifications, n.sent)
	}
	// Cooldown: a second run sends nothing and closes nothing.
	sum, _ = w.run(t, n)
	if sum.StaleClosed.Count != 0 || sum.Archived.Count != 0 || sum.Notifications.ParkedNotified != 0 || len(n.sent) != 1 {
		t.Errorf("second run: %+v, sent %v", sum, n.sent)
	}
	// Flags: --no-archive, --threshold-hours.
	w2 := newWorld(t, false)
	sum, _ = w2.run(t, nil, "--no-archive", "--threshold-hours", "100")
	if sum.Archived.Count != 0 || sum.StaleClosed.Count != 0 || sum.Notifications.Status != "disabled" {
		t.Errorf("--no-archive --threshold-hours 100: %+v", sum)
	}
	sum, _ = w2.run(t, nil, "--archive-days", "50", "--notify")
	if sum.Archived.Count != 0 || sum.StaleClosed.Count != 1 || sum.Notifications.Status != "checked" || len(sum.Notifications.Undelivered) == 0 {
		t.Errorf("--archive-days 50 --notify without a notifier: %+v %+v", sum, sum.Notifications)
	}
}

func TestUsageAndMissingStore(t *testing.T) {
	var out, errb bytes.Buffer
	err := runWith(context.Background(), []string{"--bogus"}, strings.NewReader(""), &out, &errb, func() notify.Notifier { return nil })
	if cli.ExitCode(err) != 2 || out.Len() != 0 {
		t.Errorf("unknown flag: exit %d, stdout %q", cli.ExitCode(err), out.String())
	}
	out.Reset()
	none := filepath.Join(t.TempDir(), "none")
	err = runWith(context.Background(), []string{"--dashboard-dir", none}, strings.NewReader(""), &out, &errb, func() notify.Notifier { return nil })
	if err != nil || !strings.Contains(out.String(), `"count": 0`) {
		t.Errorf("a missing store is nothing to do: %v %s", err, out.String())
	}
	if _, serr := os.Stat(none); serr == nil {
		t.Error("cleanup must not create a store")
	}
	out.Reset()
	err = runWith(context.Background(), []string{"--archive-days", "99999"}, strings.NewReader(""), &out, &errb, func() notify.Notifier { return nil })
	if cli.ExitCode(err) != 1 || !strings.Contains(out.String(), "VALIDATION_ERROR") {
		t.Errorf("bad --archive-days: exit %d %s", cli.ExitCode(err), out.String())
	}
}

// TestHelpVersionAndValues: help on stdout with exit 0, --version, and a
// bad flag value named as the flag it is for.
func TestHelpVersionAndValues(t *testing.T) {
	t.Parallel()
	none := func() notify.Notifier { return nil }
	for _, tc := range []struct {
		args       []string
		code       int
		wantStdout string
		wantStderr string
	}{
		{[]string{"-h"}, 0, "  --threshold-hours N", ""},
		{[]string{"--help"}, 0, "USAGE\n  sess-cleanup ", ""},
		{[]string{"--version"}, 0, `"version": "`, ""},
		{[]string{"--threshold-hours", "abc"}, 2, "", `sess-cleanup: invalid value "abc" for --threshold-hours: want a whole number`},
		{[]string{"--archive-days=x"}, 2, "", `invalid value "x" for --archive-days`},
		{[]string{"--dry-run=maybe"}, 2, "", "--dry-run"},
		{[]string{"extra"}, 2, "", `sess-cleanup: unexpected argument "extra"`},
	} {
		var out, errb bytes.Buffer
		err := runWith(context.Background(), append([]string{"--dashboard-dir", filepath.Join(t.TempDir(), "none")}, tc.args...), strings.NewReader(""), &out, &errb, none)
		if code := cli.ExitCode(err); code != tc.code {
			t.Errorf("%q: want exit %d, have %d", tc.args, tc.code, code)
		}
		if !strings.Contains(out.String(), tc.wantStdout) || tc.wantStdout == "" && out.Len() != 0 {
			t.Errorf("%q: stdout %q", tc.args, out.String())
		}
		if !strings.Contains(errb.String(), tc.wantStderr) || tc.wantStderr == "" && errb.Len() != 0 {
			t.Errorf("%q: stderr %q", tc.args, errb.String())
		}
	}
}

// TestCleanupPushesWaits: the cleanup job pushes a long wait to the ntfy
// topic config.json names, as check-notify does, even without a desktop;
// a dry run pushes nothing and lists the push as due.
func TestCleanupPushesWaits(t *testing.T) {
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, r.Header.Get("Title")+": "+string(b))
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	w := newWorld(t, true)
	os.WriteFile(filepath.Join(w.dir, "config.json"), []byte(`{"version": 1, "projects": {}, "settings": {"notifications_enabled": true}}`), 0o600)
	os.WriteFile(filepath.Join(w.dir, "sess.json"), []byte(`{"notify_ntfy_url": "`+srv.URL+`/t"}`), 0o600)
	halfHourAgo := time.Now().Add(-30 * time.Minute)
	st := store.Open(w.dir, store.Options{Now: func() time.Time { return halfHourAgo }})
	if _, err := journal.Waiting(st, w.fresh, "Claude is waiting for your input"); err != nil {
		t.Fatal(err)
	}
	sum, _ := w.run(t, nil, "--dry-run")
	if n := sum.Notifications; len(got) != 0 || n == nil || !hasTarget(n.Undelivered, notify.TargetNtfy) {
		t.Errorf("dry run: pushed %q, summary %+v", got, n)
	}
	sum, _ = w.run(t, nil)
	if want := `Claude Code waits for you: web: "fresh" — Claude is waiting for your input`; sum.Notifications.Pushed != 1 || len(got) != 1 || got[0] != want {
		t.Errorf("pushes: want [%s], have %q (%+v)", want, got, sum.Notifications)
	}
}

func hasTarget(notices []notify.Notice, target string) bool {
	for _, n := range notices {
		if n.Target == target {
			return true
		}
	}
	return false
}

// TestSendPushes: --send-pushes sends the batch sess-manage check-notify
// hands over on stdin, prints how each push went, and touches no store.
func TestSendPushes(t *testing.T) {
	var got atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Add(1)
		if r.URL.Path == "/down" {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	t.Cleanup(srv.Close)
	for _, tc := range []struct {
		name, stdin string
		code        int
		wantStdout  string
	}{
		{"two pushes", `{"timeout_ms": 1000, "pushes": [{"target": "ntfy", "url": "` + srv.URL + `/t", "project": "web", "intent": "i", "reason": "r"},
			{"target": "webhook", "url": "` + srv.URL + `/down", "project": "web", "intent": "i", "reason": "r"}]}`,
			0, `{"errors":["","webhook push to ` + srv.URL + `: answered 503 Service Unavailable"]}`},
		{"not a batch", `[1, 2]`, 1, `"code"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			none := filepath.Join(t.TempDir(), "none")
			err := runWith(context.Background(), []string{"--dashboard-dir", none, notify.HandoffFlag}, strings.NewReader(tc.stdin), &out, &errb, func() notify.Notifier { return nil })
			if code := cli.ExitCode(err); code != tc.code || !strings.Contains(out.String(), tc.wantStdout) {
				t.Errorf("exit %d, stdout %s; want exit %d and %s", code, out.String(), tc.code, tc.wantStdout)
			}
			if _, err := os.Stat(none); err == nil {
				t.Error("--send-pushes made a store")
			}
		})
	}
	if want, have := int32(2), got.Load(); want != have {
		t.Errorf("requests: want %d, have %d", want, have)
	}
}
