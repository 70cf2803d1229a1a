package server

import (
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sess-dev/sess/internal/search"
	"github.com/sess-dev/sess/internal/storetest"
	"github.com/sess-dev/sess/pkg/store"
)

// TestPageSearch: words typed in the page's search box show the sessions
// `sess-manage search` finds for them (the same call of internal/search,
// with its --limit of 10), best first in its order, each with its snippet
// (left out only where it is the intent the row shows already), at both
// sizes; and nothing where it finds nothing.
func TestPageSearch(t *testing.T) {
	ctx := browser(t)
	dir, _ := storetest.Searchable(t)
	st := store.Open(dir, store.Options{ReadOnly: true})
	url := serveStore(t, st)
	ix := search.Open(st, io.Discard)
	for _, sz := range sizes {
		sz.set(t, ctx)
		load(t, ctx, url)
		for _, tc := range []struct {
			q        string
			hits     int  // how many sessions the command line finds
			rejoined bool // a project's hits come again after another's
		}{
			{"tax belgium", 2, false}, // no session has both words
			{"invoices belgium", 1, false},
			{"Belg", 2, false},
			{"invoice", 2, false},
			{"vat", 4, true}, // finance, web, then finance again: best first, not by project
			{"elgiu", 0, false},
		} {
			res, err := ix.Search(search.Query{Text: tc.q, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) != tc.hits || rejoined(res.Hits) != tc.rejoined {
				t.Fatalf("%q: the command line finds %d sessions (a project again after another: %v), want %d (%v)", tc.q, len(res.Hits), rejoined(res.Hits), tc.hits, tc.rejoined)
			}
			setValue(t, ctx, "#search", "", "input")
			if err := chromedp.Do(ctx, chromedp.SendKeys(`#search`, tc.q)); err != nil {
				t.Fatal(err)
			}
			// The server has answered when the note names the words.
			wait(t, ctx, `document.querySelector('.list-note').textContent.includes(`+strconv.Quote("“"+tc.q+"”")+`)`, "the search for "+tc.q)
			var wantIDs, wantSnippets []string
			for _, h := range res.Hits {
				wantIDs = append(wantIDs, h.SessionID)
				if h.Snippet == h.Intent {
					wantSnippets = append(wantSnippets, "")
				} else {
					wantSnippets = append(wantSnippets, h.Snippet)
				}
			}
			if have := cardIDs(t, ctx); !slices.Equal(wantIDs, have) {
				t.Errorf("%s %q: want the command line's %v, have %v", sz.name, tc.q, wantIDs, have)
			}
			have := eval[[]string](t, ctx, `[...document.querySelectorAll('.session-card')].map((c) => { const m = c.querySelector('.card-match span:last-child'); return m ? m.textContent : ''; })`)
			if !slices.Equal(wantSnippets, have) {
				t.Errorf("%s %q: snippets: want %q, have %q", sz.name, tc.q, wantSnippets, have)
			}
			if tc.hits == 0 && count(t, ctx, ".empty-msg") != 1 {
				t.Errorf("%s %q: no .empty-msg for no match", sz.name, tc.q)
			}
			fits(t, ctx, sz, "search "+tc.q)
			if tc.q == "tax belgium" || tc.rejoined {
				shot(t, ctx, "search-"+strings.ReplaceAll(tc.q, " ", "-")+"-"+sz.name)
			}
		}
		setValue(t, ctx, "#search", "", "input")
	}
}

// rejoined says whether a project's hits come again after another
// project's: the page must then not gather them under one head.
func rejoined(hits []search.Hit) bool {
	seen := map[string]bool{}
	for i, h := range hits {
		if i > 0 && h.Project != hits[i-1].Project && seen[h.Project] {
			return true
		}
		seen[h.Project] = true
	}
	return false
}

// TestSearchMappings: many searches (distinct queries, so none is answered
// from the cache) leave no mapping of the index behind; each one mapped
// the index files and kept them before.
func TestSearchMappings(t *testing.T) {
	f := newFixture(t)
	maps := func() int { // this store's index files mapped
		data, err := os.ReadFile("/proc/self/maps")
		if err != nil {
			t.Skip("no /proc/self/maps here")
		}
		return strings.Count(string(data), f.dir+"/.search/")
	}
	f.get(t, "/api/search?q=first")
	before := maps()
	for i := range 200 {
		if w := f.get(t, "/api/search?q=done"+strconv.Itoa(i)); w.Code != 200 {
			t.Fatalf("search %d: %d %s", i, w.Code, w.Body)
		}
	}
	if after := maps(); after > before+2 {
		t.Errorf("%d mappings of the index before 200 searches, %d after", before, after)
	}
}
