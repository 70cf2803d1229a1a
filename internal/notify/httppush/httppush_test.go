package httppush

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/sess-dev/sess/internal/journal"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sess-dev/sess/internal/notify"
	"github.com/sess-dev/sess/pkg/store"
	"github.com/sess-dev/sess/pkg/store/derived"
)

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

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// check is notify.Check with this package's Sender: the tests below run
// the pushes end to end, from the store to httptest servers.
func check(st *store.Store, n notify.Notifier, opts notify.Options) (*notify.Result, error) {
	if opts.Pusher == nil {
		opts.Pusher = New(0)
	}
	return notify.Check(context.Background(), st, n, opts)
}

// Secrets of the kinds the push must not carry, made at test time so that
// no scanner flags this file.
var (
	githubToken  = "ghp_" + strings.Repeat("R8xk2LmQ9vTz", 3)
	secretIntent = "deploy with " + githubToken
	secretReason = "Claude needs your permission to use Bash: Authorization: Bearer abc123xyz789, password=hunter2"
)

// What the push says of that wait, redacted.
const (
	pushedIntent = "deploy with [REDACTED:github-pat]"
	pushedReason = "Claude needs your permission to use Bash: Authorization: Bearer [REDACTED:auth-header], password=[REDACTED:credential]"
	pushedText   = `web: "` + pushedIntent + `" — ` + pushedReason
)

// received is what an endpoint received.
type received struct {
	method, path string
	header       http.Header
	body         string
}

// testEndpoint is an httptest server that records what it is sent and answers
// with status (200 when 0).
type testEndpoint struct {
	*httptest.Server
	mu     sync.Mutex
	got    []received
	status atomic.Int32
}

func newTestEndpoint(t *testing.T) *testEndpoint {
	t.Helper()
	e := &testEndpoint{}
	e.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		e.mu.Lock()
		e.got = append(e.got, received{r.Method, r.URL.Path, r.Header.Clone(), string(body)})
		e.mu.Unlock()
		if s := e.status.Load(); s != 0 {
			w.WriteHeader(int(s))
			io.WriteString(w, `{"code":50001,"error":"try again"}`)
		}
	}))
	t.Cleanup(e.Close)
	return e
}

func (e *testEndpoint) requests() []received {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]received(nil), e.got...)
}

// pushStore is a store whose config.json enables notifications with the
// given extra settings, and a session of project web that has waited 11
// minutes with a secret in its intent and its reason.
func pushStore(t *testing.T, settings map[string]any) (*store.Store, *clock, string, string) {
	t.Helper()
	dir := t.TempDir()
	c := &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	st := store.Open(dir, store.Options{Now: c.now})
	// The original's settings in config.json, sess's own in sess.json.
	all, own := map[string]any{"notifications_enabled": true, "notify_cooldown_hours": 12, "custom_thing": "kept"}, map[string]any{}
	for k, v := range settings {
		if store.IsOwnSetting(k) {
			own[k] = v
		} else {
			all[k] = v
		}
	}
	cfg, _ := json.MarshalIndent(map[string]any{"version": 1, "projects": map[string]any{}, "settings": all}, "", "  ")
	if err := os.WriteFile(filepath.Join(dir, "config.json"), cfg, 0o600); err != nil {
		t.Fatal(err)
	}
	ownData, _ := json.Marshal(own)
	if err := os.WriteFile(filepath.Join(dir, store.OwnSettingsFile), ownData, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := st.CreateSession(store.NewSession{Project: "web", Intent: secretIntent})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := journal.Waiting(st, s.SessionID, secretReason); err != nil {
		t.Fatal(err)
	}
	c.t = c.t.Add(11 * time.Minute)
	return st, c, dir, s.SessionID
}

func notifyState(t *testing.T, st *store.Store) map[string]derived.NotifyEntry {
	t.Helper()
	var state map[string]derived.NotifyEntry
	st.Derived().UpdateNotifyState(true, func(s map[string]derived.NotifyEntry) error { state = s; return nil })
	return state
}

// TestPushRequest: ntfy gets the message as its body with Title, Tags and
// Priority headers; a webhook gets JSON; both exactly, and redacted: the
// token, the bearer token and the password in the intent and the reason
// never reach an endpoint, and nothing but the project, the intent and the
// reason does.
func TestPushRequest(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, key, path string
		userinfo        string // user:password@ in the URL, for a server with access control
		wantHeader      map[string]string
		wantBody        string
	}{
		{"ntfy", "notify_ntfy_url", "/sess-topic", "", map[string]string{
			"Content-Type": "text/plain; charset=utf-8", "Title": "Claude Code waits for you",
			"Tags": "hourglass_flowing_sand", "Priority": "high", "User-Agent": "sess", "Authorization": "",
		}, pushedText},
		{"ntfy with a user", "notify_ntfy_url", "/sess-topic", "phone:pw1@", map[string]string{
			"Title": "Claude Code waits for you", "Authorization": "Basic cGhvbmU6cHcx",
		}, pushedText},
		{"webhook", "notify_webhook_url", "/hooks/abc", "", map[string]string{
			"Content-Type": "application/json", "User-Agent": "sess",
		}, `{"event":"waiting","project":"web","intent":"` + pushedIntent + `","reason":"` + pushedReason + `","text":"web: \"` + pushedIntent + `\" — ` + pushedReason + `"}` + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEndpoint(t)
			u := strings.Replace(e.URL, "://", "://"+tc.userinfo, 1) + tc.path
			st, _, _, _ := pushStore(t, map[string]any{tc.key: u})
			desk := &fakeNotifier{}
			res, err := check(st, desk, notify.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if want, have := 1, res.Pushed; want != have || res.WaitingNotified != 1 || len(res.Undelivered) != 0 {
				t.Fatalf("pushed: want %d, have %d (%+v)", want, have, res)
			}
			got := e.requests()
			if len(got) != 1 {
				t.Fatalf("requests: want 1, have %d", len(got))
			}
			r := got[0]
			if r.method != http.MethodPost || r.path != tc.path {
				t.Errorf("request: want POST %s, have %s %s", tc.path, r.method, r.path)
			}
			for k, want := range tc.wantHeader {
				if have := r.header.Get(k); want != have {
					t.Errorf("header %s: want %q, have %q", k, want, have)
				}
			}
			if want, have := tc.wantBody, r.body; want != have {
				t.Errorf("body:\nwant %s\nhave %s", want, have)
			}
			for _, secret := range []string{githubToken, "abc123xyz789", "hunter2", "sess_", "/tmp"} {
				if strings.Contains(r.body, secret) || strings.Contains(desk.sent[0], secret) {
					t.Errorf("%q went out: push %s, desktop %s", secret, r.body, desk.sent[0])
				}
			}
		})
	}
}

// TestPushOncePerWait: a wait is pushed once to each target however many
// runs see it, even runs side by side; a new wait after the user answered
// is pushed again. config.json is read, never written.
func TestPushOncePerWait(t *testing.T) {
	t.Parallel()
	ntfy, hook := newTestEndpoint(t), newTestEndpoint(t)
	st, c, dir, id := pushStore(t, map[string]any{"notify_ntfy_url": ntfy.URL + "/topic", "notify_webhook_url": hook.URL})
	cfgBefore, _ := os.ReadFile(filepath.Join(dir, "config.json"))
	desk := &fakeNotifier{}

	// Eight runs at once, each with its own Store as separate processes
	// would: one of them tells, the others see it told.
	var wg sync.WaitGroup
	results := make([]*notify.Result, 8)
	for i := range results {
		wg.Go(func() {
			other := store.Open(dir, store.Options{Now: c.now})
			results[i], _ = check(other, desk, notify.Options{})
		})
	}
	wg.Wait()
	pushed, told := 0, 0
	for _, r := range results {
		pushed += r.Pushed
		told += r.WaitingNotified
	}
	if pushed != 2 || told != 1 || len(ntfy.requests()) != 1 || len(hook.requests()) != 1 || len(desk.sent) != 1 {
		t.Fatalf("concurrent runs: pushed %d, told %d, ntfy %d, webhook %d, desktop %d", pushed, told, len(ntfy.requests()), len(hook.requests()), len(desk.sent))
	}
	if want, have := []string{notify.TargetDesktop, notify.TargetNtfy, notify.TargetWebhook}, notifyState(t, st)[id].Told; !reflect.DeepEqual(want, have) {
		t.Errorf("told: want %v, have %v", want, have)
	}
	// A later run: the same wait, nothing again.
	c.t = c.t.Add(30 * time.Minute)
	if res, _ := check(st, desk, notify.Options{}); res.Pushed != 0 || len(ntfy.requests()) != 1 {
		t.Errorf("the same wait was pushed twice: %+v", res)
	}
	// The user answers; a new wait, long enough, is pushed again.
	journal.PromptSubmitted(st, id, "yes")
	c.t = c.t.Add(time.Minute)
	journal.Waiting(st, id, "Claude is waiting for your input")
	c.t = c.t.Add(11 * time.Minute)
	res, _ := check(st, desk, notify.Options{})
	if res.Pushed != 2 || res.WaitingNotified != 1 || len(ntfy.requests()) != 2 || len(hook.requests()) != 2 {
		t.Errorf("a new wait: %+v, ntfy %d, webhook %d", res, len(ntfy.requests()), len(hook.requests()))
	}
	if have := ntfy.requests()[1].body; have != `web: "`+pushedIntent+`" — Claude is waiting for your input` {
		t.Errorf("the new wait's push: %s", have)
	}
	if cfgAfter, _ := os.ReadFile(filepath.Join(dir, "config.json")); !bytes.Equal(cfgBefore, cfgAfter) {
		t.Errorf("config.json changed:\n%s\n%s", cfgBefore, cfgAfter)
	}
}

// TestPushFailureRetried: an endpoint that fails is reported like an
// undelivered desktop notification, without its path (a topic is a
// secret), the waits after it are not tried in that run, and only it is
// tried again next run: the desktop and the other target are not told
// twice.
func TestPushFailureRetried(t *testing.T) {
	t.Parallel()
	ntfy, hook := newTestEndpoint(t), newTestEndpoint(t)
	ntfy.status.Store(http.StatusInternalServerError)
	st, c, _, first := pushStore(t, map[string]any{"notify_ntfy_url": ntfy.URL + "/secret-topic", "notify_webhook_url": hook.URL})
	second, _ := st.CreateSession(store.NewSession{Project: "api", Intent: "second"})
	journal.Waiting(st, second.SessionID, "Claude is waiting for your input")
	c.t = c.t.Add(11 * time.Minute)
	desk := &fakeNotifier{}

	res, err := check(st, desk, notify.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want, have := 1, len(ntfy.requests()); want != have {
		t.Errorf("ntfy requests after a failure: want %d, have %d", want, have)
	}
	if res.Pushed != 2 || res.WaitingNotified != 2 || len(res.Undelivered) != 2 {
		t.Fatalf("failing ntfy: %+v", res)
	}
	for i, want := range []string{"answered 500 Internal Server Error: {\"code\":50001,\"error\":\"try again\"}", "not tried: the push before it failed"} {
		u := res.Undelivered[i]
		if u.Target != notify.TargetNtfy || !strings.Contains(u.Error, want) || strings.Contains(u.Error, "secret-topic") {
			t.Errorf("undelivered %d: want target ntfy and %q without the topic, have %+v", i, want, u)
		}
	}
	if want, have := []string{notify.TargetDesktop, notify.TargetWebhook}, notifyState(t, st)[first].Told; !reflect.DeepEqual(want, have) {
		t.Errorf("told after the failure: want %v, have %v", want, have)
	}

	ntfy.status.Store(0)
	res, _ = check(st, desk, notify.Options{})
	if res.Pushed != 2 || len(res.Undelivered) != 0 || len(ntfy.requests()) != 3 || len(hook.requests()) != 2 || len(desk.sent) != 2 {
		t.Errorf("retry: %+v; ntfy %d, webhook %d, desktop %d", res, len(ntfy.requests()), len(hook.requests()), len(desk.sent))
	}
	if res, _ = check(st, desk, notify.Options{}); res.Pushed != 0 || len(ntfy.requests()) != 3 {
		t.Errorf("after the retry: %+v", res)
	}
}

// TestPushTimeout: an endpoint that never answers is cut off by the
// timeout; the check goes on (the webhook gets its push), reports it, and
// tries again next run.
func TestPushTimeout(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	var calls atomic.Int32
	hung := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		calls.Add(1)
		<-release // until the test ends
	}))
	t.Cleanup(hung.Close)
	t.Cleanup(func() { close(release) }) // first: Close waits for the handlers
	hook := newTestEndpoint(t)
	st, _, _, _ := pushStore(t, map[string]any{"notify_ntfy_url": hung.URL + "/topic", "notify_webhook_url": hook.URL})

	for run := 1; run <= 2; run++ {
		start := time.Now()
		res, err := check(st, nil, notify.Options{Pusher: New(200 * time.Millisecond)})
		if err != nil {
			t.Fatal(err)
		}
		if took := time.Since(start); took > 3*time.Second {
			t.Errorf("run %d: a hung testEndpoint held the check for %s", run, took)
		}
		if len(res.Undelivered) != 1 || res.Undelivered[0].Target != notify.TargetNtfy || !strings.Contains(res.Undelivered[0].Error, "no answer within 200ms") {
			t.Errorf("run %d: %+v", run, res)
		}
		if want, have := int32(run), calls.Load(); want != have {
			t.Errorf("run %d: want %d tries, have %d", run, want, have)
		}
	}
	if want, have := 1, len(hook.requests()); want != have {
		t.Errorf("webhook: want %d push, have %d", want, have)
	}
}

// TestPushBadURL: a setting that is no URL to push to is a warning in the
// result and on the wait (never an error of the check, never a crash); the
// desktop is still told, and the URL is never echoed.
func TestPushBadURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		key   string
		value any
		want  string // in the result's warning; "" for none
		store string // in the store's warnings
	}{
		{"ftp", "notify_ntfy_url", "ftp://files.example/secret1", `want an http:// or https:// URL, not "ftp:"`, ""},
		{"no scheme", "notify_ntfy_url", "ntfy.sh/secret1", "the URL has no scheme", ""},
		{"no host", "notify_webhook_url", "https:///secret1", "the URL names no host", ""},
		{"no topic", "notify_ntfy_url", "https://ntfy.sh/", "the URL names no topic", ""},
		{"space", "notify_ntfy_url", "https://ntfy.sh/secret1 x", "has a space", ""},
		{"newline", "notify_webhook_url", "https://hooks.example/secret1\n", "has a space or a control character", ""},
		{"bad host", "notify_webhook_url", "http://[::1/secret1", "not a URL", ""},
		{"too long", "notify_webhook_url", "https://hooks.example/secret1" + strings.Repeat("a", 2000), "longer than 2000", ""},
		{"not a string", "notify_ntfy_url", 42, "", "notify_ntfy_url must be a string"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			st, _, dir, _ := pushStore(t, map[string]any{tc.key: tc.value})
			var warn bytes.Buffer
			st = store.Open(dir, store.Options{Now: st.View().Now, Warnings: &warn})
			desk := &fakeNotifier{}
			res, err := check(st, desk, notify.Options{})
			if err != nil {
				t.Fatalf("a bad setting failed the check: %v", err)
			}
			if len(desk.sent) != 1 || res.WaitingNotified != 1 {
				t.Errorf("the desktop was not told: %+v", res)
			}
			all := strings.Join(res.Warnings, "\n")
			for _, u := range res.Undelivered {
				all += "\n" + u.Error
			}
			if strings.Contains(all+warn.String(), "secret1") {
				t.Errorf("the URL was echoed: %s %s", all, warn.String())
			}
			if tc.want == "" {
				if len(res.Warnings) != 0 || len(res.Undelivered) != 0 || !strings.Contains(warn.String(), tc.store) {
					t.Errorf("want no push and the store's warning %q, have %+v, %q", tc.store, res, warn.String())
				}
				return
			}
			if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "settings."+tc.key+": "+tc.want) {
				t.Errorf("warnings: want %q, have %q", tc.want, res.Warnings)
			}
			if len(res.Undelivered) != 1 || res.Undelivered[0].Target == notify.TargetDesktop || !strings.Contains(res.Undelivered[0].Error, tc.want) {
				t.Errorf("the wait is not reported undelivered to the bad target: %+v", res.Undelivered)
			}
		})
	}
}

// TestPushDryRun: a dry run pushes nothing and reports each target due.
func TestPushDryRun(t *testing.T) {
	t.Parallel()
	ntfy := newTestEndpoint(t)
	st, _, dir, _ := pushStore(t, map[string]any{"notify_ntfy_url": ntfy.URL + "/topic"})
	res, err := check(st, &fakeNotifier{}, notify.Options{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	var targets []string
	for _, u := range res.Undelivered {
		targets = append(targets, u.Target)
	}
	if want := []string{notify.TargetDesktop, notify.TargetNtfy}; !reflect.DeepEqual(want, targets) || len(ntfy.requests()) != 0 {
		t.Errorf("dry run: want %v undelivered and no request, have %+v, %d requests", want, res, len(ntfy.requests()))
	}
	if _, err := os.Stat(filepath.Join(dir, "notify_state.json")); !os.IsNotExist(err) {
		t.Error("a dry run wrote notify_state.json")
	}
}

// TestOnlyWaitsPushed: stale and long-parked sessions go to the desktop
// alone (see notify.Check for why).
func TestOnlyWaitsPushed(t *testing.T) {
	t.Parallel()
	ntfy := newTestEndpoint(t)
	st, c, _, _ := pushStore(t, map[string]any{"notify_ntfy_url": ntfy.URL + "/topic"})
	parked, _ := st.CreateSession(store.NewSession{Project: "api", Intent: "parked"})
	st.ParkSession(parked.SessionID, "later", nil)
	c.t = c.t.Add(50 * time.Hour) // the wait goes stale, the parked one long-parked
	desk := &fakeNotifier{}
	res, _ := check(st, desk, notify.Options{})
	if res.StaleNotified != 1 || res.ParkedNotified != 1 || len(ntfy.requests()) != 0 {
		t.Errorf("want stale and parked on the desktop only: %+v, %d pushes", res, len(ntfy.requests()))
	}
}

// TestMain lets this test binary stand in for sess-cleanup in the handoff:
// run with SESS_HTTPPUSH_CHILD=1 it serves the batch on its stdin, as
// `sess-cleanup --send-pushes` does.
func TestMain(m *testing.M) {
	if os.Getenv("SESS_HTTPPUSH_CHILD") == "1" {
		if err := Serve(context.Background(), os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestHandoff: sess-manage's pushes go through another process and come
// back as if sent here; a sender that is missing or fails leaves them
// undelivered, with why, and due again.
func TestHandoff(t *testing.T) {
	t.Setenv("SESS_HTTPPUSH_CHILD", "1") // for the child; this process has read it already
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name       string
		find       func() (string, error)
		wantPushed int
		wantErr    string
	}{
		{"sent", func() (string, error) { return self, nil }, 1, ""},
		{"no sess-cleanup", func() (string, error) { return "", errors.New("sess-cleanup is not next to sess-manage nor on PATH") }, 0, "cannot send pushes: sess-cleanup is not next to sess-manage nor on PATH"},
		{"sess-cleanup fails", func() (string, error) { return "/bin/false", nil }, 0, "sess-cleanup --send-pushes: exit status 1"},
		{"another answer", func() (string, error) { return "/bin/true", nil }, 0, "an answer it should not give"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEndpoint(t)
			st, _, _, _ := pushStore(t, map[string]any{"notify_ntfy_url": e.URL + "/topic"})
			res, err := check(st, nil, notify.Options{Pusher: notify.Handoff(tc.find, time.Second)})
			if err != nil {
				t.Fatal(err)
			}
			if want, have := tc.wantPushed, res.Pushed; want != have || len(e.requests()) != want {
				t.Fatalf("pushed: want %d, have %d (%d requests) %+v", want, have, len(e.requests()), res)
			}
			if tc.wantPushed == 1 && e.requests()[0].body != pushedText {
				t.Errorf("body: %s", e.requests()[0].body)
			}
			if tc.wantErr != "" && (len(res.Undelivered) != 1 || !strings.Contains(res.Undelivered[0].Error, tc.wantErr)) {
				t.Errorf("undelivered: want %q, have %+v", tc.wantErr, res.Undelivered)
			}
		})
	}
}
