package server

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sess-dev/sess/pkg/store"
)

// serveCost runs a server over f's store and projects folder, at
// costNow, on a free loopback port.
func serveCost(t *testing.T, f *costFixture) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	srv, err := New(store.Open(f.dir, store.Options{ReadOnly: true, Now: func() time.Time { return costNow }}), "127.0.0.1:"+port, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	srv.transcripts = f.projects
	ctx, cancel := context.WithCancel(context.Background())
	go srv.events.run(ctx)
	hs := &http.Server{Handler: srv}
	go hs.Serve(ln)
	t.Cleanup(func() { cancel(); srv.events.close(); hs.Close() })
	return "http://localhost:" + port + "/"
}

// TestBrowserCost: the header shows today's and this month's spend, the
// switch redraws the activity picture in dollars in the projects' same
// colours, and a session shows its cost and its thread's; desktop and
// phone screenshots are kept.
func TestBrowserCost(t *testing.T) {
	ctx := browser(t)
	f := newCostFixture(t)
	url := serveCost(t, f)
	zone := eval[string](t, ctx, `Intl.DateTimeFormat().resolvedOptions().timeZone`)
	u := getJSON[usageJSON](t, f.srv, "/api/usage?tz="+zone)

	load(t, ctx, url)
	wait(t, ctx, `!document.querySelector('#spend').hidden`, "the spend in the header")
	if want, have := fmt.Sprintf("$%.2f today · $%.2f this month", u.Today.USD, u.Month.USD), eval[string](t, ctx, `document.querySelector('#spend').textContent`); want != have {
		t.Errorf("the header: want %q, have %q", want, have)
	}
	wait(t, ctx, `document.querySelector('#activity').dataset.unit === 'hours'`, "the hours")
	webColour := `[...document.querySelectorAll('#activity .legend span')].find((s) => s.textContent.startsWith('web')).querySelector('i').style.background`
	hoursColour := eval[string](t, ctx, webColour)

	if err := chromedp.Do(ctx, chromedp.Click(`.unit-switch [data-unit="dollars"]`)); err != nil {
		t.Fatal(err)
	}
	wait(t, ctx, `document.querySelector('#activity').dataset.unit === 'dollars'`, "the dollars")
	for _, c := range []struct{ what, expr, want string }{
		{"title", `document.querySelector('#activity h3').textContent`, "Dollars per day, last 30 days"},
		{"pressed", `document.querySelector('.unit-switch [aria-pressed="true"]').dataset.unit`, "dollars"},
		{"focus", `document.activeElement.dataset.unit || ''`, "dollars"},
		{"picture", `document.querySelector('#activity svg').getAttribute('aria-label')`, "dollars per day, last 30 days"},
		{"colour", webColour, hoursColour},
	} {
		if have := eval[string](t, ctx, c.expr); have != c.want {
			t.Errorf("in dollars, the %s: want %q, have %q", c.what, c.want, have)
		}
	}
	tips := eval[[]string](t, ctx, `[...document.querySelectorAll('#activity svg rect title')].map((t) => t.textContent)`)
	if len(tips) == 0 || !strings.Contains(strings.Join(tips, "\n"), ": $") {
		t.Errorf("the dollars' bars: %q", tips)
	}
	screenShot(t, ctx, "cost-desktop")
	sizes[1].set(t, ctx)
	js(t, ctx, `window.dispatchEvent(new Event('resize'))`)
	wait(t, ctx, `document.querySelector('#activity svg').getAttribute('width') < 400`, "the picture at a phone's width")
	if eval[bool](t, ctx, `document.documentElement.scrollWidth > window.innerWidth + 1`) {
		t.Error("the page in dollars is wider than a phone's screen")
	}
	screenShot(t, ctx, "cost-phone")
	sizes[0].set(t, ctx)

	// The choice holds for the next visit; the session shows its part and
	// its thread's, each session of the thread its own.
	load(t, ctx, url+"#/session/"+f.sec)
	wait(t, ctx, `!document.querySelector('#cost').hidden && document.querySelectorAll('#thread .thread-cost').length === 2`, "the session's cost")
	c := getJSON[sessionCostJSON](t, f.srv, "/api/session/"+f.sec+"/cost")
	text := eval[string](t, ctx, `document.querySelector('#cost').innerText`)
	for _, want := range []string{fmt.Sprintf("$%.2f this session", c.Cost.USD), fmt.Sprintf("$%.2f the thread's 2 sessions", c.Total.USD), "No price known for claude-foo-9"} {
		if !strings.Contains(text, want) {
			t.Errorf("the session's cost lacks %q: %q", want, text)
		}
	}
	load(t, ctx, url)
	wait(t, ctx, `document.querySelector('#activity').dataset.unit === 'dollars'`, "the dollars kept")
}

// TestBrowserNoUsage: a store whose conversations cost nothing that can
// be read shows neither a spend nor a switch.
func TestBrowserNoUsage(t *testing.T) {
	ctx := browser(t)
	f := newCostFixture(t)
	f.projects = t.TempDir() // Claude Code's folder, empty
	load(t, ctx, serveCost(t, f))
	wait(t, ctx, `state.usage !== null && document.querySelector('#activity').dataset.unit === 'hours'`, "the usage and the hours")
	if !eval[bool](t, ctx, `document.querySelector('#spend').hidden`) || count(t, ctx, ".unit-switch, #cost") != 0 {
		t.Error("money shown without usage")
	}
}
