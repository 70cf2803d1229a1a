package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"testing"

	"github.com/sess-dev/sess/internal/server"
	"github.com/sess-dev/sess/internal/storetest"
	"github.com/sess-dev/sess/pkg/store"
)

// found is a search's answer reduced to what both ends must agree on: the
// sessions in their order, each with its snippet.
type found struct {
	ids      []string
	snippets []string
}

// cliSearch runs `sess-manage search QUERY --limit 10` in-process.
func cliSearch(t *testing.T, dir, q string) found {
	t.Helper()
	stdout, stderr, code := runInProcess(t, dir, "search", q, "--limit", "10")
	if code != 0 {
		t.Fatalf("search %q: exit %d: %s", q, code, stderr)
	}
	var out searchOutput
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("search %q: not JSON: %v", q, err)
	}
	var f found
	for _, r := range out.Results {
		f.ids = append(f.ids, r.SessionID)
		f.snippets = append(f.snippets, r.Snippet)
	}
	return f
}

// pageSearch asks /api/search what the page asks when q is typed in its
// search box on the "all" tab, a page of 10.
func pageSearch(t *testing.T, srv http.Handler, q string) found {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, "/api/search?"+url.Values{"q": {q}, "status": {"all"}, "limit": {"10"}}.Encode(), nil)
	r.Host = "localhost:9000"
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		t.Fatalf("/api/search %q: %d %s", q, w.Code, w.Body.String())
	}
	var page struct {
		Sessions []struct {
			SessionID string `json:"session_id"`
			Match     *struct {
				Text string `json:"text"`
			} `json:"match"`
		} `json:"sessions"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil {
		t.Fatalf("/api/search %q: not JSON: %v", q, err)
	}
	var f found
	for _, s := range page.Sessions {
		f.ids = append(f.ids, s.SessionID)
		if s.Match == nil {
			f.snippets = append(f.snippets, "")
			continue
		}
		f.snippets = append(f.snippets, s.Match.Text)
	}
	return f
}

// TestSearchSameOnPage: the dashboard's search (/api/search, as the page
// asks it) finds what `sess-manage search` finds for the same words: the
// same sessions, best first in the same order, with the same snippets;
// and nothing where the command line finds nothing.
func TestSearchSameOnPage(t *testing.T) {
	t.Parallel()
	dir, ids := storetest.Searchable(t)
	srv, err := server.New(store.Open(dir, store.Options{ReadOnly: true}), "127.0.0.1:9000", io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		q    string
		want []string // the sessions the command line finds, by name, in any order
	}{
		{"tax belgium", []string{"tax", "belgium"}},                 // no session has both words: each has one
		{"invoices belgium", []string{"belgium"}},                   // both, in its intent and an event
		{"belgium invoices", []string{"belgium"}},                   // in any order
		{"Belg", []string{"belgium", "archived"}},                   // a part of "Belgium" and "Belgian"
		{"invoice", []string{"invoice-page", "belgium"}},            // in intents, an outcome, a file, a task
		{"dutch rules tax", []string{"tax"}},                        // a decision, not as typed
		{"vat", []string{"tax", "checkout", "belgium", "archived"}}, // two projects in turn
		{"ledger", []string{"archived"}},                            // only in the archive
		{"elgiu", nil},                                              // inside a word: the command line finds nothing
	} {
		cli := cliSearch(t, dir, tc.q)
		var want []string
		for _, name := range tc.want {
			want = append(want, ids[name])
		}
		if have := slices.Sorted(slices.Values(cli.ids)); !slices.Equal(slices.Sorted(slices.Values(want)), have) {
			t.Errorf("%q: the command line: want %v, have %v", tc.q, tc.want, cli.ids)
		}
		page := pageSearch(t, srv, tc.q)
		if !slices.Equal(cli.ids, page.ids) {
			t.Errorf("%q: the page: want the command line's %v, have %v", tc.q, cli.ids, page.ids)
			continue
		}
		for i := range cli.snippets {
			if want, have := cli.snippets[i], page.snippets[i]; want == "" || want != have {
				t.Errorf("%q: %s's snippet: want %q, have %q", tc.q, cli.ids[i], want, have)
			}
		}
	}
}
