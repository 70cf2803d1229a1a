package server

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the page's times are checked in Amsterdam's

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// The page at the two sizes it is made for: a desktop window and a phone
// held upright (390 CSS pixels wide, as an iPhone 12 to 15).
type size struct {
	name   string
	w, h   int64
	mobile bool
}

var sizes = []size{{"desktop", 1280, 900, false}, {"phone", 390, 844, true}}

func (sz size) set(t *testing.T, ctx context.Context) {
	t.Helper()
	var opts []chromedp.EmulateViewportOption
	if sz.mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait, chromedp.EmulateScale(2))
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(sz.w, sz.h, opts...)); err != nil {
		t.Fatal(err)
	}
}

// load opens url afresh (a new document even when only the fragment
// differs) and waits until the page has drawn its lists.
func load(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank"), chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	wait(t, ctx, `document.querySelector('#projects').children.length > 0 || !document.querySelector('#detail-view').hidden || !document.querySelector('#error-banner').hidden`, "the page to draw")
}

// eval evaluates expr in the page.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// wait polls expr until it is true, for at most five seconds.
func wait(t *testing.T, ctx context.Context, expr, what string) {
	t.Helper()
	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	for {
		_, err := chromedp.Run(wctx, chromedp.Poll[bool](expr))
		if err == nil {
			return
		}
		// A poll begun as a document replaced another finds its context
		// gone: poll again in the new one.
		if strings.Contains(err.Error(), "Cannot find context") && wctx.Err() == nil {
			time.Sleep(20 * time.Millisecond)
			continue
		}
		t.Fatalf("waiting for %s (%s): %v\npage: %.2000s", what, expr, err, eval[string](t, ctx, `document.body.innerText`))
	}
}

// shot saves a screenshot of the whole page as artifacts/<name>.png.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(artifactDir(t), name+".png")
	if err := os.WriteFile(out, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", out)
}

// noBadWords fails when the page shows null, undefined, NaN or an invalid
// date anywhere: in its text, rendered or not (SVG tooltips included), or in
// an attribute.
func noBadWords(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	hits := eval[[]string](t, ctx, `(() => {
		const bad = /\b(null|undefined|NaN|Invalid Date)\b/;
		const hits = [];
		for (const text of [document.body.innerText, document.body.textContent]) {
			const m = new RegExp('.{0,40}' + bad.source + '.{0,40}').exec(text);
			if (m) hits.push('text: ' + m[0]);
		}
		for (const e of document.querySelectorAll('*')) {
			for (const a of e.attributes) if (bad.test(a.value)) hits.push(e.tagName + ' ' + a.name + '="' + a.value + '"');
		}
		return hits;
	})()`)
	for _, h := range hits {
		t.Errorf("%s: %s", where, h)
	}
}

// fits fails when the page scrolls sideways at its size.
func fits(t *testing.T, ctx context.Context, sz size, where string) {
	t.Helper()
	w := eval[[]int](t, ctx, `[document.scrollingElement.scrollWidth, window.innerWidth]`)
	if w[0] > w[1] || w[0] > int(sz.w) {
		wide := eval[[]string](t, ctx, `[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5).slice(0, 5).map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))`)
		t.Errorf("%s at %s: scrolls sideways: scrollWidth %d, innerWidth %d, viewport %d; too wide: %v", where, sz.name, w[0], w[1], sz.w, wide)
	}
}

func click(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Click(sel)); err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
}

// setValue sets a control's value as a person would, firing its event.
func setValue(t *testing.T, ctx context.Context, sel, value, event string) {
	t.Helper()
	eval[bool](t, ctx, `(() => { const e = document.querySelector(`+strconv.Quote(sel)+`); e.value = `+strconv.Quote(value)+`; e.dispatchEvent(new Event(`+strconv.Quote(event)+`)); return true; })()`)
}

// expandAll opens every row's chevron.
func expandAll(t *testing.T, ctx context.Context) {
	t.Helper()
	eval[bool](t, ctx, `(() => { for (let i = 0; i < 1000; i++) { const b = document.querySelector('.card-chevron[aria-expanded="false"]'); if (!b) break; b.click(); } return true; })()`)
}

func cardIDs(t *testing.T, ctx context.Context) []string {
	t.Helper()
	return eval[[]string](t, ctx, `[...document.querySelectorAll('.session-card')].map((c) => c.dataset.id)`)
}

// openSession opens a session by its URL, as a link or a bookmark does.
func openSession(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	eval[bool](t, ctx, `(location.hash = '#/session/`+id+`', true)`)
	wait(t, ctx, `!document.querySelector('#detail-view').hidden && document.querySelector('#detail-view').textContent.includes('`+id+`')`, "the detail of "+id)
}

// nullStore holds sessions with every optional field null or empty: made
// by the commands (nothing set), and written by hand as another tool might
// (testdata/nulls.json: nulls where the schema has lists and strings,
// times that do not parse), in a registered project, one that is not, and
// the archive.
func nullStore(t *testing.T) (string, []string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "dashboard")
	w := store.Open(dir, store.Options{})
	if _, err := w.RegisterProject("Bare", "/src/bare"); err != nil {
		t.Fatal(err)
	}
	var ids []string
	add := func(s *session.Session, err error) *session.Session {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	quiet := add(w.CreateSession(store.NewSession{Project: "bare", Intent: "quiet session"}))
	parked := add(w.CreateSession(store.NewSession{Project: "bare", Intent: "parked without steps"}))
	add(w.ParkSession(parked.SessionID, "paused", nil))
	done := add(w.CreateSession(store.NewSession{Project: "bare", Intent: "completed without anything"}))
	add(w.CompleteSession(done.SessionID, store.Completion{Outcome: "ok"}))
	archived := add(w.CreateSession(store.NewSession{Project: "bare", Intent: "archived without anything"}))
	add(w.CompleteSession(archived.SessionID, store.Completion{Outcome: "ok"}))
	if err := w.ArchiveSession(archived.SessionID); err != nil {
		t.Fatal(err)
	}
	loose := add(w.CreateSession(store.NewSession{Project: "nowhere", Intent: "launched in a loose folder"}))
	ids = append(ids, quiet.SessionID, parked.SessionID, done.SessionID, archived.SessionID, loose.SessionID)
	raw, err := os.ReadFile(filepath.Join("testdata", "nulls.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []struct{ id, project, status string }{
		{"sess_20261101T0900_0a0a", "bare", "completed"},
		{"sess_20261101T0900_0b0b", "bare", "active"},
		{"sess_20261101T0900_0c0c", "bare", "parked"},
		{"sess_20261101T0900_0d0d", "nowhere", "active"},
	} {
		text := strings.NewReplacer(`"sess_20261101T0900_0a0a"`, strconv.Quote(v.id), `"project_slug": "bare"`, `"project_slug": "`+v.project+`"`,
			`"status": "completed"`, `"status": "`+v.status+`"`).Replace(string(raw))
		if err := os.WriteFile(filepath.Join(dir, "sessions", v.id+".json"), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, v.id)
	}
	if _, err := w.RebuildIndex(); err != nil {
		t.Fatal(err)
	}
	return dir, ids
}

// TestPageNoNullText: sessions with every optional field null or empty show
// no null, undefined or NaN, in the list, the rows opened, every detail
// view, every tab, a project's history and a search; a detail view leaves
// out the sections it has nothing for.
func TestPageNoNullText(t *testing.T) {
	ctx := browser(t)
	dir, ids := nullStore(t)
	url := serve(t, dir)
	for _, sz := range sizes {
		sz.set(t, ctx)
		load(t, ctx, url)
		wait(t, ctx, `document.querySelectorAll('.session-card').length === 8`, "the open sessions and the newest completed ones")
		noBadWords(t, ctx, sz.name+" list")
		expandAll(t, ctx)
		noBadWords(t, ctx, sz.name+" rows opened")
		for _, id := range ids {
			openSession(t, ctx, id)
			noBadWords(t, ctx, sz.name+" detail of "+id)
			if id == ids[0] {
				if n := count(t, ctx, "#detail-view h3"); n != 0 {
					t.Errorf("%s: the detail of a session with nothing recorded has %d sections: %s", sz.name, n, eval[string](t, ctx, `document.querySelector('#detail-view').innerText`))
				}
			}
			if id == "sess_20261101T0900_0a0a" && sz.mobile {
				shot(t, ctx, "nulls-detail-"+sz.name)
			}
			eval[bool](t, ctx, `(history.back(), true)`)
			wait(t, ctx, `!document.querySelector('#list-view').hidden`, "the list")
		}
		for _, f := range []string{"active", "parked", "completed", "stale", "all"} {
			click(t, ctx, `[data-filter="`+f+`"]`)
			noBadWords(t, ctx, sz.name+" tab "+f)
		}
		setValue(t, ctx, "#project-select", "bare", "change")
		wait(t, ctx, `document.querySelectorAll('.session-card').length === 7`, "bare's whole history")
		expandAll(t, ctx)
		noBadWords(t, ctx, sz.name+" history of bare")
		setValue(t, ctx, "#search", "event", "input")
		wait(t, ctx, `/\d+ sessions? match(es)? “event” in Bare/.test(document.querySelector('.list-note').textContent)`, "the search")
		expandAll(t, ctx)
		noBadWords(t, ctx, sz.name+" search")
		if sz.mobile {
			shot(t, ctx, "nulls-search-"+sz.name)
		}
		setValue(t, ctx, "#search", "", "input")
	}
}

// longStore holds what stretches a row: a long intent of ordinary words, an
// intent that is one long word, a long branch, a long wait for action and
// activity, many tasks, long file names.
func longStore(t *testing.T) (string, []string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "dashboard")
	w := store.Open(dir, store.Options{})
	if _, err := w.RegisterProject("A project with a rather long name for a phone", "/src/long"); err != nil {
		t.Fatal(err)
	}
	must := func(s *session.Session, err error) *session.Session {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	words := must(w.CreateSession(store.NewSession{Project: "long", GitBranch: "feature/a-very-long-branch-name-that-goes-on-and-on-and-on",
		Intent: "Refactor the session store so that every write is staged beside its target and committed atomically together with the index"}))
	must(w.UpdateSession(words.SessionID, store.SessionPatch{CurrentActivity: strp("Reading " + strings.Repeat("internal/server/history.go ", 8))}))
	must(w.RequestAction(words.SessionID, strp("Please review the plan for the change of the index format before I go on with the migration of the stored sessions")))
	var tasks []string
	for i := range 12 {
		tasks = append(tasks, fmt.Sprintf("task number %d with a subject of some length", i))
	}
	must(w.AddTasks(words.SessionID, tasks))
	must(w.AddEvent(words.SessionID, "An event whose message is long enough to wrap over several lines on a phone held upright in one hand"))
	must(w.AddEvent(words.SessionID, "https://example.com/"+strings.Repeat("a-path-without-spaces/", 8)))
	one := must(w.CreateSession(store.NewSession{Project: "long", Intent: "https://example.com/" + strings.Repeat("averylongwordwithoutanyspaces", 5)}))
	must(w.ParkSession(one.SessionID, strings.Repeat("because-", 30), []string{strings.Repeat("step-", 40)}))
	done := must(w.CreateSession(store.NewSession{Project: "long", Intent: "Finished the long one"}))
	must(w.CompleteSession(done.SessionID, store.Completion{Outcome: "Shipped it", FilesChanged: []string{strings.Repeat("very/deep/folder/", 10) + "file.go"},
		Decisions: []string{strings.Repeat("decided ", 30)}}))
	return dir, []string{words.SessionID, one.SessionID, done.SessionID}
}

// wrapsByWords lists the words of intents that are broken over two lines.
const wrapsByWords = `(() => {
	const broken = [];
	for (const a of document.querySelectorAll('.card-intent')) {
		const node = a.firstChild;
		if (!node || node.nodeType !== Node.TEXT_NODE) continue;
		let i = 0;
		for (const w of node.data.split(' ')) {
			if (w.length > 0 && w.length < 25) {
				const r = document.createRange();
				r.setStart(node, i);
				r.setEnd(node, i + w.length);
				const tops = new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top)));
				if (tops.size > 1) broken.push(w);
			}
			i += w.length + 1;
		}
	}
	return broken;
})()`

// TestPageFits: at a phone's width nothing scrolls sideways, in the list,
// with rows opened, in every tab, a search, a project's history and every
// detail view; intents wrap between words, and take most of the row.
func TestPageFits(t *testing.T) {
	ctx := browser(t)
	dir, ids := longStore(t)
	url := serve(t, dir)
	for _, sz := range sizes {
		sz.set(t, ctx)
		load(t, ctx, url)
		wait(t, ctx, `document.querySelectorAll('.session-card').length === 3`, "the rows")
		fits(t, ctx, sz, "list")
		if broken := eval[[]string](t, ctx, wrapsByWords); len(broken) > 0 {
			t.Errorf("%s: words broken over lines: %q", sz.name, broken)
		}
		if ratio := eval[float64](t, ctx, `(() => { const a = document.querySelector('.session-card[data-id="`+ids[0]+`"] .card-intent'); return a.getBoundingClientRect().width / a.closest('.session-card').clientWidth; })()`); ratio < 0.5 {
			t.Errorf("%s: the intent has %.0f%% of its row", sz.name, 100*ratio)
		}
		shot(t, ctx, "long-list-"+sz.name)
		expandAll(t, ctx)
		fits(t, ctx, sz, "rows opened")
		for _, f := range []string{"active", "parked", "completed", "all"} {
			click(t, ctx, `[data-filter="`+f+`"]`)
			fits(t, ctx, sz, "tab "+f)
		}
		for _, id := range ids {
			openSession(t, ctx, id)
			fits(t, ctx, sz, "detail of "+id)
			if id == ids[0] {
				shot(t, ctx, "long-detail-"+sz.name)
			}
			eval[bool](t, ctx, `(history.back(), true)`)
			wait(t, ctx, `!document.querySelector('#list-view').hidden`, "the list")
		}
		setValue(t, ctx, "#search", "migration", "input")
		wait(t, ctx, `document.querySelector('.list-note').textContent.includes('1 session matches')`, "the search")
		fits(t, ctx, sz, "search")
		setValue(t, ctx, "#search", "", "input")
		setValue(t, ctx, "#project-select", "long", "change")
		wait(t, ctx, `document.querySelectorAll('.session-card').length === 3 && location.hash === '#/project/long'`, "the project's history")
		fits(t, ctx, sz, "history")
		setValue(t, ctx, "#project-select", "", "change")
	}
}

// TestPageHistory: every session of a project is reached from the overview,
// page by page, the archived ones included; the search finds what only an
// archived session holds.
func TestPageHistory(t *testing.T) {
	ctx := browser(t)
	h := newHistory(t)
	url := serveStore(t, h.store())
	for _, sz := range sizes {
		sz.set(t, ctx)
		load(t, ctx, url)
		wait(t, ctx, `document.querySelector('.project[data-slug="web"] .project-all') !== null`, "the way to web's whole history")
		if n := count(t, ctx, `.project[data-slug="web"] .session-card`); n != 8 {
			t.Errorf("%s: the overview shows %d of web's sessions, want its 3 open and 5 newest completed", sz.name, n)
		}
		if text := eval[string](t, ctx, `document.querySelector('.project[data-slug="web"] .project-all').textContent`); !strings.Contains(text, "All 33 sessions") {
			t.Errorf("%s: the way to the history says %q", sz.name, text)
		}
		click(t, ctx, `.project[data-slug="web"] .project-all`)
		wait(t, ctx, `location.hash === '#/project/web' && document.querySelectorAll('.session-card').length === 25`, "the first page")
		if text := eval[string](t, ctx, `document.querySelector('.pager').textContent`); !strings.Contains(text, "Showing 25 of 33") {
			t.Errorf("%s: pager says %q", sz.name, text)
		}
		if sz.mobile {
			shot(t, ctx, "history-"+sz.name)
		}
		click(t, ctx, `.more-btn`)
		wait(t, ctx, `document.querySelectorAll('.session-card').length === 33`, "the second page")
		if have := cardIDs(t, ctx); !slices.Equal(h.web, have) {
			t.Errorf("%s: history: want\n%v\nhave\n%v", sz.name, h.web, have)
		}
		if n := count(t, ctx, `.session-card .tag`); n != 10 {
			t.Errorf("%s: %d rows say archived, want 10", sz.name, n)
		}
		if count(t, ctx, ".pager") != 0 {
			t.Errorf("%s: a pager after the last page", sz.name)
		}
		click(t, ctx, `[data-filter="completed"]`)
		wait(t, ctx, `document.querySelectorAll('.session-card').length === 25 && document.querySelector('.pager').textContent.includes('of 30')`, "the completed ones")
		if text := eval[string](t, ctx, `document.querySelector('[data-filter="completed"]').textContent`); !strings.Contains(text, "(30)") {
			t.Errorf("%s: completed tab says %q", sz.name, text)
		}
		click(t, ctx, `[data-filter="all"]`)
		// Back leaves the project for the overview.
		eval[bool](t, ctx, `(history.back(), true)`)
		wait(t, ctx, `location.hash === '' && document.querySelector('#project-select').value === '' && document.querySelector('.project[data-slug="elsewhere"]') !== null`, "the overview again")

		setValue(t, ctx, "#search", "HIDDEN needle", "input")
		needle := h.web[len(h.web)-1-3]
		wait(t, ctx, `document.querySelector('.session-card[data-id="`+needle+`"] .card-match') !== null`, "the archived session found")
		if ids := cardIDs(t, ctx); len(ids) != 1 {
			t.Errorf("%s: search shows %v", sz.name, ids)
		}
		if text := eval[string](t, ctx, `document.querySelector('.card-match').textContent`); text != "event: common event of session 03 The Hidden Needle lives in the archive" {
			t.Errorf("%s: match says %q, want the words around it as sess-manage search has them", sz.name, text)
		}
		if sz.mobile {
			shot(t, ctx, "search-"+sz.name)
		}
		setValue(t, ctx, "#search", "walrus", "input")
		wait(t, ctx, `document.querySelectorAll('.session-card').length === 25 && document.querySelector('.pager') !== null`, "a first page of matches")
		click(t, ctx, `.more-btn`)
		wait(t, ctx, `document.querySelectorAll('.session-card').length === 30 && document.querySelector('.pager') === null`, "every match")
		setValue(t, ctx, "#search", "", "input")
	}
}

// TestPageDeepLinks: a session's URL opens it, opening one gives it its
// URL, and Back and Forward move between the list and it.
func TestPageDeepLinks(t *testing.T) {
	ctx := browser(t)
	h := newHistory(t)
	url := serveStore(t, h.store())
	detailShown := `!document.querySelector('#detail-view').hidden && document.querySelector('#list-view').hidden`
	listShown := `document.querySelector('#detail-view').hidden && !document.querySelector('#list-view').hidden`
	for _, sz := range sizes {
		sz.set(t, ctx)
		load(t, ctx, url)
		wait(t, ctx, `document.querySelector('.session-card[data-id="`+h.ids["active"]+`"]') !== null`, "the rows")
		click(t, ctx, `.session-card[data-id="`+h.ids["active"]+`"] .card-intent`)
		wait(t, ctx, detailShown+` && location.hash === '#/session/`+h.ids["active"]+`'`, "the detail and its URL")
		if text := eval[string](t, ctx, `document.querySelector('#detail-view h2').textContent`); text != "fresh work" {
			t.Errorf("%s: detail of %q", sz.name, text)
		}
		eval[bool](t, ctx, `(history.back(), true)`)
		wait(t, ctx, listShown+` && location.hash === ''`, "the list after Back")
		eval[bool](t, ctx, `(history.forward(), true)`)
		wait(t, ctx, detailShown+` && document.querySelector('#detail-view h2').textContent === 'fresh work'`, "the detail after Forward")
		click(t, ctx, `.detail-back`)
		wait(t, ctx, listShown+` && location.hash === ''`, "the list after the back button")

		// A link to a session the overview does not show: archived.
		load(t, ctx, url+"#/session/"+h.ids["archived0"])
		wait(t, ctx, detailShown+` && document.querySelector('#detail-view h2').textContent === 'completed number 09'`, "the archived session from its URL")
		if sz.mobile {
			shot(t, ctx, "deeplink-"+sz.name)
		}
		click(t, ctx, `.detail-back`)
		wait(t, ctx, listShown+` && location.href === `+strconv.Quote(url), "the list, with the URL of the list")

		// A link to a project's history.
		load(t, ctx, url+"#/project/elsewhere")
		wait(t, ctx, `document.querySelectorAll('.session-card').length === 2 && document.querySelector('#project-select').value === 'elsewhere'`, "the project from its URL")

		// A link to a session that is not there says so and shows the list.
		load(t, ctx, url+"#/session/sess_20200101T0000_abcd")
		wait(t, ctx, `!document.querySelector('#error-banner').hidden && document.querySelector('#error-banner').textContent.includes('not found')`, "the error")
		wait(t, ctx, listShown, "the list under the error")
	}
}

// TestPageUnregistered: the sessions of a project that config.json does not
// list show in the list, under their project's slug, and a project whose
// sessions are all archived is in the project choice.
func TestPageUnregistered(t *testing.T) {
	ctx := browser(t)
	h := newHistory(t)
	url := serveStore(t, h.store())
	for _, sz := range sizes {
		sz.set(t, ctx)
		load(t, ctx, url)
		box := `.project[data-slug="elsewhere"]`
		wait(t, ctx, `document.querySelector('`+box+`') !== null`, "the unregistered project")
		for _, id := range []string{h.ids["elsewhere"], h.ids["elsewhere-done"]} {
			if count(t, ctx, box+` .session-card[data-id="`+id+`"]`) != 1 {
				t.Errorf("%s: session %s of elsewhere is not in the list", sz.name, id)
			}
		}
		if text := eval[string](t, ctx, `document.querySelector('`+box+` .project-head').textContent`); !strings.Contains(text, "elsewhere") || !strings.Contains(text, "not registered") {
			t.Errorf("%s: head says %q", sz.name, text)
		}
		opts := eval[[]string](t, ctx, `[...document.querySelectorAll('#project-select option')].map((o) => o.value)`)
		for _, want := range []string{"web", "elsewhere", "gone"} {
			if !slices.Contains(opts, want) {
				t.Errorf("%s: project choice lacks %s: %v", sz.name, want, opts)
			}
		}
		setValue(t, ctx, "#project-select", "gone", "change")
		wait(t, ctx, `document.querySelector('.session-card[data-id="`+h.ids["gone"]+`"]') !== null`, "the archived-only project")
		setValue(t, ctx, "#project-select", "", "change")
	}
}

// orderStore has four projects registered in this order: quiet (a completed
// session), idle (a parked one), busy (an active one) and waits (an active
// one waiting for the user).
func orderStore(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "dashboard")
	w := store.Open(dir, store.Options{})
	for _, p := range []string{"quiet", "idle", "busy", "waits"} {
		if _, err := w.RegisterProject(p, "/src/"+p); err != nil {
			t.Fatal(err)
		}
	}
	create := func(project string) string {
		s, err := w.CreateSession(store.NewSession{Project: project, Intent: project + " work"})
		if err != nil {
			t.Fatal(err)
		}
		return s.SessionID
	}
	if _, err := w.CompleteSession(create("quiet"), store.Completion{Outcome: "ok"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.ParkSession(create("idle"), "later", nil); err != nil {
		t.Fatal(err)
	}
	create("busy")
	if _, err := w.RequestAction(create("waits"), strp("approve the plan")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestPageOrder: projects with work waiting for the user come first, then
// those at work, then those with parked work, then the rest.
func TestPageOrder(t *testing.T) {
	ctx := browser(t)
	url := serve(t, orderStore(t))
	for _, sz := range sizes {
		sz.set(t, ctx)
		load(t, ctx, url)
		wait(t, ctx, `document.querySelectorAll('.project').length === 4`, "the projects")
		have := eval[[]string](t, ctx, `[...document.querySelectorAll('.project')].map((p) => p.dataset.slug)`)
		if want := []string{"waits", "busy", "idle", "quiet"}; !slices.Equal(want, have) {
			t.Errorf("%s: order: want %v, have %v", sz.name, want, have)
		}
	}
}

// clockText is a time as the page shows it in local time: "Tue 14:05"
// within a week of now, with the day and month further away, and the year
// when it is not this one.
func clockText(at, now time.Time) string {
	out := at.Format("Mon")
	if d := now.Sub(at); d > 6*24*time.Hour || d < -6*24*time.Hour {
		out += " " + at.Format("2 Jan")
		if at.Year() != now.Year() {
			out += " " + at.Format("2006")
		}
	}
	return out + " " + at.Format("15:04")
}

// TestPageTimes: the detail view shows times in local time with durations,
// never the stored ISO text.
func TestPageTimes(t *testing.T) {
	ctx := browser(t)
	h := newHistory(t)
	url := serveStore(t, h.store())
	const zone = "Europe/Amsterdam"
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: zone})
		return err
	})); err != nil {
		t.Fatal(err)
	}
	st := store.Open(h.dir, store.Options{ReadOnly: true})
	done, err := st.View().Session(h.web[3]) // the newest completed: ran 2 h 10 min
	if err != nil {
		t.Fatal(err)
	}
	start, _ := session.ParseTime(done.StartedAt)
	end, _ := session.ParseTime(session.Deref(done.EndedAt))
	now := time.Now().In(loc)
	for _, sz := range sizes {
		sz.set(t, ctx)
		load(t, ctx, url+"#/session/"+done.SessionID)
		wait(t, ctx, `document.querySelector('#detail-view .fields') !== null && document.querySelector('#detail-view').textContent.includes('Walrus')`, "the detail")
		text := eval[string](t, ctx, `document.querySelector('#detail-view').innerText`)
		for _, want := range []string{
			"Started\n" + clockText(start.In(loc), now),
			"Ended\n" + clockText(end.In(loc), now) + " (2 h 10 min)",
		} {
			if !strings.Contains(text, want) && !strings.Contains(text, strings.Replace(want, "\n", "\t", 1)) {
				t.Errorf("%s: detail lacks %q:\n%s", sz.name, want, text)
			}
		}
		if iso := eval[string](t, ctx, `(/\d{4}-\d\d-\d\d[T ]\d\d:\d\d/.exec(document.querySelector('#detail-view').innerText) || [''])[0]`); iso != "" {
			t.Errorf("%s: detail shows a stored timestamp: %q", sz.name, iso)
		}
		if sz.mobile {
			shot(t, ctx, "times-"+sz.name)
		}
		openSession(t, ctx, h.ids["stale"])
		if text := eval[string](t, ctx, `document.querySelector('#detail-view .fields').innerText`); !strings.Contains(text, "stale: no heartbeat for") {
			t.Errorf("%s: the stale session's detail: %s", sz.name, text)
		}
		openSession(t, ctx, h.ids["active"])
		if text := eval[string](t, ctx, `document.querySelector('#detail-view .fields').innerText`); strings.Contains(text, "stale") || !strings.Contains(text, " ago)") {
			t.Errorf("%s: the fresh session's detail: %s", sz.name, text)
		}
	}
}
