package server

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// The payloads of the XSS tests: each must show as literal text and run
// nothing.
const (
	xssImg    = `<img src=x onerror="document.title='pwned'">`
	xssScript = `"'><script>document.title='pwned'</script>`
	xssURL    = `javascript:document.title='pwned'`
)

// browser starts Debian's chromium headless, or skips; with
// SESS_REQUIRE_BROWSER set (CI sets it) a missing browser fails the test.
func browser(t testing.TB) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("the browser tests are long: make test runs them")
	}
	path := ""
	for _, p := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if lp, err := exec.LookPath(p); err == nil {
			path = lp
			break
		}
	}
	if path == "" {
		if os.Getenv("SESS_REQUIRE_BROWSER") != "" {
			t.Fatal("no chromium found, and SESS_REQUIRE_BROWSER is set")
		}
		t.Skip("no chromium: the browser tests need it (apt install chromium)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.WindowSize(1280, 1200))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel)
	// A dialog (alert, confirm) is a payload that ran.
	chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			t.Errorf("a dialog opened: %q", e.Message)
		}
	})
	return ctx
}

// serve runs a server over dir on a free loopback port and returns its URL.
func serve(t *testing.T, dir string) string {
	t.Helper()
	return serveStore(t, store.Open(dir, store.Options{ReadOnly: true}))
}

// serveStore runs a server over st on a free loopback port and returns its
// URL.
func serveStore(t *testing.T, st *store.Store) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	srv, err := New(st, "127.0.0.1:"+port, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go srv.events.run(ctx)
	hs := &http.Server{Handler: srv}
	go hs.Serve(ln)
	t.Cleanup(func() { cancel(); srv.events.close(); hs.Close() })
	return "http://localhost:" + port + "/"
}

// seed fills a store: two projects, sessions in every state, and the XSS
// payloads in every text a page shows.
func seed(t *testing.T, dir string) map[string]string {
	t.Helper()
	w := store.Open(dir, store.Options{})
	must := func(s *session.Session, err error) *session.Session {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	w.RegisterProject(xssImg, "/src/web")
	w.RegisterProject("API", "/src/api")
	ids := map[string]string{}
	a := must(w.CreateSession(store.NewSession{Project: "web", Intent: xssImg, GitBranch: "feature/x"}))
	must(w.UpdateSession(a.SessionID, store.SessionPatch{CurrentActivity: strp(xssScript)}))
	must(w.AddEvent(a.SessionID, xssURL))
	must(w.AddTasks(a.SessionID, []string{xssImg, "plain task"}))
	must(w.AddDecision(a.SessionID, xssScript))
	must(w.AddCommit(a.SessionID, "abc1234", xssImg))
	must(w.RequestAction(a.SessionID, strp("approve "+xssImg)))
	ids["xss"] = a.SessionID
	b := must(w.CreateSession(store.NewSession{Project: "web", Intent: "parked work"}))
	must(w.ParkSession(b.SessionID, xssImg, []string{"step one", xssScript}))
	ids["parked"] = b.SessionID
	c := must(w.CreateSession(store.NewSession{Project: "api", Intent: "finished api work"}))
	must(w.CompleteSession(c.SessionID, store.Completion{Outcome: xssScript, FilesChanged: []string{"a.go"}}))
	ids["completed"] = c.SessionID
	d := must(w.CreateSession(store.NewSession{Project: "api", Intent: "searchable needle"}))
	ids["needle"] = d.SessionID
	// A branch no command accepts, as another tool might write it.
	p := filepath.Join(dir, "sessions", d.SessionID+".json")
	data, _ := os.ReadFile(p)
	os.WriteFile(p, []byte(strings.Replace(string(data), `"git_branch": "main"`, `"git_branch": "<img src=x onerror=alert(1)>"`, 1)), 0o600)
	return ids
}

func strp(s string) *string { return &s }

// js runs a statement in the page.
func js(t *testing.T, ctx context.Context, expr string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(`+expr+`, true)`)); err != nil {
		t.Fatal(err)
	}
}

func count(t *testing.T, ctx context.Context, sel string) int {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+strconv.Quote(sel)+`).length`))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestBrowser(t *testing.T) {
	ctx := browser(t)
	dir := filepath.Join(t.TempDir(), "dashboard")
	ids := seed(t, dir)
	url := serve(t, dir)

	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(`.session-card`)); err != nil {
		t.Fatal(err)
	}
	if n := count(t, ctx, ".session-card"); n != 4 {
		t.Errorf("want 4 session cards, have %d", n)
	}

	// Filters, search and the project dropdown narrow the list.
	for _, f := range []struct {
		filter string
		want   int
	}{{"active", 2}, {"parked", 1}, {"completed", 1}, {"stale", 0}, {"all", 4}} {
		filter, want := f.filter, f.want
		if err := chromedp.Do(ctx, chromedp.Click(`[data-filter="`+filter+`"]`)); err != nil {
			t.Fatal(err)
		}
		if n := count(t, ctx, ".session-card"); n != want {
			t.Errorf("filter %s: want %d cards, have %d", filter, want, n)
		}
		if n := count(t, ctx, `[data-filter="`+filter+`"].active`); n != 1 {
			t.Errorf("filter %s is not marked chosen", filter)
		}
	}
	// The search is the server's: its answer is in when the note names the
	// words.
	if err := chromedp.Do(ctx, chromedp.SendKeys(`#search`, "needle")); err != nil {
		t.Fatal(err)
	}
	wait(t, ctx, `document.querySelector('.list-note').textContent.includes('“needle”')`, "the search for needle")
	if n := count(t, ctx, `.session-card[data-id="`+ids["needle"]+`"]`); n != 1 || count(t, ctx, ".session-card") != 1 {
		t.Errorf("search: want only the needle, have %d cards", count(t, ctx, ".session-card"))
	}
	setValue(t, ctx, "#search", "nothing-matches", "input")
	wait(t, ctx, `document.querySelector('.list-note').textContent.includes('“nothing-matches”')`, "the search for nothing")
	if count(t, ctx, ".empty-msg") != 1 || count(t, ctx, ".session-card") != 0 {
		t.Error("no .empty-msg for an empty list")
	}
	js(t, ctx, `(() => { const s = document.querySelector('#search'); s.value = ''; s.dispatchEvent(new Event('input')); })()`)
	js(t, ctx, `(() => { const p = document.querySelector('#project-select'); p.value = 'api'; p.dispatchEvent(new Event('change')); })()`)
	if n := count(t, ctx, ".session-card"); n != 2 {
		t.Errorf("project api: want 2 cards, have %d", n)
	}
	js(t, ctx, `(() => { const p = document.querySelector('#project-select'); p.value = ''; p.dispatchEvent(new Event('change')); })()`)

	// The detail view, with every section.
	if err := chromedp.Do(ctx, chromedp.Click(`.session-card[data-id="`+ids["xss"]+`"] .card-intent`), chromedp.WaitVisible(`.detail-back`)); err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(`#detail-view`))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Timeline (1)", "Tasks", "Commits", "Decisions", "Next steps", "Download JSON", "Download Markdown", xssImg, xssScript, xssURL} {
		if want == "Next steps" {
			continue // this session has none; the parked one is checked below
		}
		if !strings.Contains(text, want) {
			t.Errorf("detail view lacks %q", want)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Click(`.detail-back`), chromedp.WaitVisible(`#list-view`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(`.session-card[data-id="`+ids["parked"]+`"] .card-intent`), chromedp.WaitVisible(`.detail-back`)); err != nil {
		t.Fatal(err)
	}
	if text, _ := chromedp.Run(ctx, chromedp.Text(`#detail-view`)); !strings.Contains(text, "Next steps") || !strings.Contains(text, "Parked because") {
		t.Errorf("parked detail: %s", text)
	}
	if err := chromedp.Do(ctx, chromedp.Click(`.detail-back`), chromedp.WaitVisible(`.card-chevron`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(`.session-card[data-id="`+ids["xss"]+`"] .card-chevron`)); err != nil {
		t.Fatal(err)
	}

	// Every payload is text: no element the payloads name exists, nothing
	// ran, and the text shows literally.
	if n := count(t, ctx, "img, script:not([src='/app.js']), iframe"); n != 0 {
		t.Errorf("payloads became %d elements", n)
	}
	title, _ := chromedp.Run(ctx, chromedp.Title())
	if title == "pwned" {
		t.Error("a payload ran")
	}
	body, _ := chromedp.Run(ctx, chromedp.Text(`body`))
	for _, p := range []string{xssImg, xssScript, "<img src=x onerror=alert(1)>"} {
		if !strings.Contains(body, p) {
			t.Errorf("payload %q does not show as text", p)
		}
	}
	if n := count(t, ctx, `a[href^="javascript:"]`); n != 0 {
		t.Errorf("%d javascript: links", n)
	}

	// A change in the store shows within 2 s, without a reload: an event
	// added as `sess-manage add-event` adds it (the card is expanded), and a
	// new session.
	w := store.Open(dir, store.Options{})
	if _, err := w.AddEvent(ids["xss"], "arrived live"); err != nil {
		t.Fatal(err)
	}
	live, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if _, err := chromedp.Run(live, chromedp.Poll[bool](`document.body.innerText.includes('arrived live')`)); err != nil {
		t.Errorf("the new event did not appear within 2 s: %v", err)
	}
	fresh, err := w.CreateSession(store.NewSession{Project: "api", Intent: "new live session"})
	if err != nil {
		t.Fatal(err)
	}
	live2, cancel2 := context.WithTimeout(ctx, 2*time.Second)
	defer cancel2()
	if err := chromedp.Do(live2, chromedp.WaitVisible(`.session-card[data-id="`+fresh.SessionID+`"]`)); err != nil {
		t.Errorf("the new session did not appear within 2 s: %v", err)
	}

	// The screenshot, kept as an artifact.
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(artifactDir(t), "dashboard.png")
	if err := os.WriteFile(out, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", out)
}

// artifactDir is where tests leave files for people: $SESS_ARTIFACTS, else
// artifacts/ at the top of the repository.
func artifactDir(t *testing.T) string {
	dir := os.Getenv("SESS_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("..", "..", "artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
