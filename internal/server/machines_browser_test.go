package server

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sess-dev/sess/internal/replica"
	"github.com/sess-dev/sess/pkg/store"
)

// TestPageMachines opens the desktop's page over a folder it shares with
// the laptop, at both sizes: the laptop's sessions are marked "on laptop"
// in the lists, the Now box, the detail view (which exports them, and sends
// to the laptop for the conversation), the thread and the search; the
// desktop's are not; a session the laptop publishes waiting for the user
// is in the Now box within two seconds; a laptop silent for a week is
// marked so. A page of one machine shows no mark.
func TestPageMachines(t *testing.T) {
	ctx := browser(t)
	p := newPair(t)
	parked := mustSession(t)(p.lapW.CreateSession(store.NewSession{Project: "web", Intent: "laptop parked"}))
	mustSession(t)(p.lapW.ParkSession(parked.SessionID, "going home", []string{"finish the parser"}))
	p.publish(t)
	r := &replica.Reader{Dir: p.shared, SelfID: p.deskM.ID}
	carried, err := (&replica.Journal{Local: p.deskW, Others: r.Others()}).ResumeElsewhere(parked.SessionID, nil)
	if err != nil {
		t.Fatal(err)
	}
	url := serveStore(t, store.Open(p.desk, store.Options{ReadOnly: true}))
	badge := func(sel string) string {
		t.Helper()
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const b = document.querySelector(`+strconv.Quote(sel+" .tag.machine")+`); return b ? b.textContent : ''; })()`))
		if err != nil {
			t.Fatal(err)
		}
		return text
	}
	card := func(id string) string { return `#projects .project:not(.inbox) .session-card[data-id="` + id + `"]` }

	for i, sz := range sizes {
		sz.set(t, ctx)
		load(t, ctx, url)
		wait(t, ctx, `document.querySelector('#inbox .inbox-row[data-id="`+p.ids["waiting"]+`"]') !== null`, "the laptop's waiting session in the Now box")
		for _, tc := range []struct {
			name, sel, want string
		}{
			{"the Now box's row", `#inbox .inbox-row[data-id="` + p.ids["waiting"] + `"]`, "on laptop"},
			{"the laptop's completed session", card(p.ids["done"]), "on laptop"},
			{"the laptop's parked session", card(parked.SessionID), "on laptop"},
			{"the desktop's session", card(p.ids["desk"]), ""},
			{"the desktop's carried-on session", card(carried.SessionID), ""},
		} {
			if have := badge(tc.sel); have != tc.want {
				t.Errorf("%s: %s: badge: want %q, have %q", sz.name, tc.name, tc.want, have)
			}
		}
		if text, _ := chromedp.Run(ctx, chromedp.Text(`#inbox`)); !strings.Contains(text, "approve the deploy") {
			t.Errorf("%s: the Now box lacks the laptop's reason:\n%s", sz.name, text)
		}

		// The detail view of a laptop's session: marked, exported, its
		// conversation on the laptop.
		load(t, ctx, url+"#/session/"+p.ids["done"])
		wait(t, ctx, `document.querySelector('#detail-view h2 .tag.machine') !== null`, "the detail view's mark")
		text, _ := chromedp.Run(ctx, chromedp.Text(`#detail-view`))
		for _, want := range []string{"on laptop", "Machine", "read-only here: change it there", "Download JSON", "Download Markdown"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the laptop's session's detail lacks %q:\n%s", sz.name, want, text)
			}
		}
		if n := count(t, ctx, `#detail-view .conv-link`); n != 0 {
			t.Errorf("%s: the detail view links to a conversation that is on the laptop", sz.name)
		}
		status, err := chromedp.Run(ctx, chromedp.Evaluate[string](`Promise.all([...document.querySelectorAll('#detail-view .detail-actions a')].map((a) => fetch(a.href).then((r) => r.status + ' ' + r.headers.get('Content-Type')))).then((l) => l.join(', '))`, chromedp.EvalAwaitPromise))
		if err != nil || strings.Count(status, "200 ") != 2 || !strings.Contains(status, "markdown") {
			t.Errorf("%s: the exports of the laptop's session: %q %v", sz.name, status, err)
		}

		// The thread of the session carried on here marks the laptop's.
		load(t, ctx, url+"#/session/"+carried.SessionID)
		wait(t, ctx, `(() => { const b = document.querySelector('.thread-list li[data-id="`+parked.SessionID+`"] .tag.machine'); return !!b && b.textContent === 'on laptop'; })()`, "the thread's laptop session marked")
		if have := badge(`.thread-list li[data-id="` + carried.SessionID + `"]`); have != "" {
			t.Errorf("%s: the thread's desktop session: badge %q", sz.name, have)
		}

		// A search finds both machines' sessions, the laptop's marked.
		load(t, ctx, url)
		setValue(t, ctx, "#search", "parser", "input")
		wait(t, ctx, `document.querySelector('.list-note').textContent.includes('“parser”')`, "the search")
		if have := badge(card(p.ids["done"])); have != "on laptop" {
			t.Errorf("%s: the search's laptop session: badge %q", sz.name, have)
		}
		if n := count(t, ctx, card(p.ids["desk"])); n != 1 || badge(card(p.ids["desk"])) != "" {
			t.Errorf("%s: the search's desktop session: %d rows, badge %q", sz.name, n, badge(card(p.ids["desk"])))
		}
		setValue(t, ctx, "#search", "", "input")

		// Live: the laptop asks for the user; the desktop's page shows it
		// within two seconds of the publish.
		if i == 0 {
			load(t, ctx, url)
			asks := mustSession(t)(p.lapW.CreateSession(store.NewSession{Project: "web", Intent: "laptop asks live"}))
			mustSession(t)(p.lapW.RequestAction(asks.SessionID, strp("pick the schema")))
			start := time.Now()
			p.publish(t)
			live, cancel := context.WithTimeout(ctx, 2*time.Second)
			_, err := chromedp.Run(live, chromedp.Poll[bool](`(() => { const r = document.querySelector('#inbox .inbox-row[data-id="`+asks.SessionID+`"]'); return !!r && r.textContent.includes('on laptop') && r.textContent.includes('pick the schema'); })()`))
			cancel()
			if err != nil {
				t.Errorf("the laptop's new waiting session was not in the Now box within 2 s: %v", err)
			} else {
				t.Logf("the laptop's waiting session in the Now box %v after the publish", time.Since(start).Round(time.Millisecond))
			}
		}
		shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(90))
		if err == nil {
			os.WriteFile(filepath.Join(artifactDir(t), "machines-"+sz.name+".png"), shot, 0o644)
		}
	}

	// The laptop goes silent for a week: where its sessions show, it is
	// marked so, within two seconds of its (old) manifest's arrival.
	load(t, ctx, url)
	p.lapNow = func() time.Time { return time.Now().Add(-8 * 24 * time.Hour) }
	os.Remove(filepath.Join(p.lapPID, "manifest.json"))
	p.publish(t)
	stale, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if _, err := chromedp.Run(stale, chromedp.Poll[bool](`(() => { const b = document.querySelector('#inbox .inbox-row[data-id="`+p.ids["waiting"]+`"] .tag.machine.stale'); return !!b && b.textContent.startsWith('on laptop · silent 8 d'); })()`)); err != nil {
		have := badge(`#inbox .inbox-row[data-id="` + p.ids["waiting"] + `"]`)
		t.Errorf("the stale laptop is not marked so within 2 s: badge %q: %v", have, err)
	}

	// One machine: no mark anywhere.
	dir := filepath.Join(t.TempDir(), "dashboard")
	seed(t, dir)
	load(t, ctx, serve(t, dir))
	if n := count(t, ctx, ".tag.machine"); n != 0 {
		t.Errorf("a page of one machine shows %d machine marks", n)
	}
}
