package server

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sess-dev/sess/pkg/store"
)

// TestManyTabs: ten tabs of the page load, show the store, and follow a
// change within two seconds. With a stream per tab, the browser's six
// connections per server would be taken by the first six, and the others
// would wait for ever.
func TestManyTabs(t *testing.T) {
	ctx := browser(t)
	dir := filepath.Join(t.TempDir(), "dashboard")
	w := store.Open(dir, store.Options{})
	if _, err := w.CreateSession(store.NewSession{Project: "api", Intent: "first"}); err != nil {
		t.Fatal(err)
	}
	url := serve(t, dir)
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil { // the browser itself
		t.Fatal(err)
	}
	var tabs []context.Context
	for i := range 10 {
		tab, cancel := chromedp.NewContext(ctx)
		t.Cleanup(cancel)
		// The tab belongs to the context it first runs in: tab, not a
		// shorter one, which would close it.
		if err := chromedp.Do(tab, chromedp.Navigate("about:blank")); err != nil {
			t.Fatal(err)
		}
		load, stop := context.WithTimeout(tab, 10*time.Second)
		if err := chromedp.Do(load, chromedp.Navigate(url), chromedp.WaitVisible(`.session-card`)); err != nil {
			stop()
			t.Fatalf("tab %d did not load: %v", i+1, err)
		}
		stop()
		tabs = append(tabs, tab)
	}
	fresh, err := w.CreateSession(store.NewSession{Project: "api", Intent: "seen by every tab"})
	if err != nil {
		t.Fatal(err)
	}
	for i, tab := range tabs {
		soon, stop := context.WithTimeout(tab, 2*time.Second)
		if err := chromedp.Do(soon, chromedp.WaitVisible(`.session-card[data-id="`+fresh.SessionID+`"]`)); err != nil {
			t.Errorf("tab %d did not show the new session within 2 s: %v", i+1, err)
		}
		stop()
	}
}
