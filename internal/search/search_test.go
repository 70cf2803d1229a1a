package search

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// corpus is a small store whose sessions are worded unlike the queries that
// should find them.
func corpus(t *testing.T) (*store.Store, map[string]string) {
	t.Helper()
	return corpusIn(t, t.TempDir())
}

// corpusIn is the corpus in the store folder dir, for the tests that write
// its files as another tool would.
func corpusIn(t *testing.T, dir string) (*store.Store, map[string]string) {
	t.Helper()
	st := store.Open(dir, store.Options{})
	ids := map[string]string{}
	mk := func(key, project, intent string, fill func(id string)) {
		s, err := st.CreateSession(store.NewSession{Project: project, Intent: intent})
		if err != nil {
			t.Fatal(err)
		}
		ids[key] = s.SessionID
		if fill != nil {
			fill(s.SessionID)
		}
	}
	mk("auth", "web", "Make signing in work with Google accounts", func(id string) {
		st.AddDecision(id, "Use the OAuth device flow, not passwords")
		st.CompleteSession(id, store.Completion{Outcome: "Authentication through Google works; tokens refresh"})
	})
	mk("parser", "api", "Refactoring the config parser", func(id string) {
		st.AddEvent(id, "Split the tokenizer out of the parser")
	})
	mk("perf", "api", "Make the overview faster", func(id string) {
		st.AddEvent(id, "Profiled: JSON decoding is the floor")
	})
	mk("order", "web", "Dark mode toggle for the settings page", nil)
	mk("noise1", "web", "Write the changelog", func(id string) { st.AddEvent(id, "Listed the fixes of the week") })
	mk("noise2", "api", "Update dependencies", func(id string) { st.AddEvent(id, "Bumped the parser library") })
	mk("archived", "api", "Migrate the billing tables to Postgres", func(id string) {
		st.CompleteSession(id, store.Completion{Outcome: "done"})
	})
	if err := st.ArchiveSession(ids["archived"]); err != nil {
		t.Fatal(err)
	}
	return st, ids
}

// TestRanking: queries in other words than the sessions (synonyms, other
// word order, parts of words, other forms) find them first.
func TestRanking(t *testing.T) {
	st, ids := corpus(t)
	ix := Open(st, &bytes.Buffer{})
	for _, tc := range []struct {
		query, project, want string
	}{
		{"login with google", "", "auth"},           // synonym: signing in / authentication
		{"authenticate", "", "auth"},                // another form of "authentication"
		{"parser refactor", "", "parser"},           // other form, other order
		{"refact", "", "parser"},                    // part of a word
		{"toggle dark mode", "", "order"},           // other word order
		{"performance of the overview", "", "perf"}, // synonym: faster
		{"postgres migration", "", "archived"},      // only in the archive
		{"parser", "web", ""},                       // project filter: no web session mentions it
		{"settings dark", "web", "order"},
	} {
		res, err := ix.Search(Query{Text: tc.query, Project: tc.project, Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		if tc.want == "" {
			if len(res.Hits) != 0 {
				t.Errorf("%q in %s: want nothing, have %s", tc.query, tc.project, res.Hits[0].Intent)
			}
			continue
		}
		if len(res.Hits) == 0 || res.Hits[0].SessionID != ids[tc.want] {
			var got []string
			for _, h := range res.Hits {
				got = append(got, h.Intent)
			}
			t.Errorf("%q: want %q first, have %q", tc.query, tc.want, got)
		}
	}
	res, _ := ix.Search(Query{Text: "postgres", Limit: 1})
	if len(res.Hits) != 1 || !res.Hits[0].Archived {
		t.Errorf("archived hit: %+v", res.Hits)
	}
	if res.Indexed != 7 || res.Projects != 2 {
		t.Errorf("indexed %d sessions of %d projects", res.Indexed, res.Projects)
	}
	all, _ := ix.Search(Query{Text: "the parser tables postgres google dark changelog dependencies overview", Limit: 20})
	openEvery(t, all.Hits)
}

// openEvery opens every hit's path: it is the session's file, where it is.
func openEvery(t *testing.T, hits []Hit) {
	t.Helper()
	if len(hits) == 0 {
		t.Fatal("no hits to open")
	}
	for _, h := range hits {
		data, err := os.ReadFile(h.Path)
		if err != nil || !strings.Contains(string(data), h.SessionID) {
			t.Errorf("hit %s (archived %v): its path %s does not open to it: %v", h.SessionID, h.Archived, h.Path, err)
		}
	}
}

// TestArchivedHighlights: highlights saved for an archived session (an
// export-all) are found by the next search, and the session with them.
func TestArchivedHighlights(t *testing.T) {
	st, ids := corpus(t)
	ix := Open(st, &bytes.Buffer{})
	if res, _ := ix.Search(Query{Text: "postgres", Limit: 5}); len(res.Hits) != 1 {
		t.Fatalf("before: %+v", res.Hits)
	}
	if err := st.Derived().SaveHighlights(ids["archived"], "we chose pgloader for the zebra migration"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"postgres", "pgloader zebra"} {
		res, err := ix.Search(Query{Text: q, Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) != 1 || res.Hits[0].SessionID != ids["archived"] {
			t.Errorf("%q after the highlights: %+v", q, res.Hits)
			continue
		}
		openEvery(t, res.Hits)
	}
}

// TestSnippet: the words around the match, in the field that matched.
func TestSnippet(t *testing.T) {
	st, _ := corpus(t)
	res, err := Open(st, &bytes.Buffer{}).Search(Query{Text: "tokens refresh", Limit: 1})
	if err != nil || len(res.Hits) != 1 {
		t.Fatalf("%v %+v", err, res)
	}
	if h := res.Hits[0]; h.Field != "outcome" || !strings.Contains(h.Snippet, "tokens refresh") {
		t.Errorf("field %q, snippet %q", h.Field, h.Snippet)
	}
}

// TestSnippetAfter: a caller that searches without snippets and asks
// Result.Snippet for the hits it shows (the dashboard) gets the snippets a
// search with them gives (the command line), parts of words and synonyms
// included.
func TestSnippetAfter(t *testing.T) {
	t.Parallel()
	st, _ := corpus(t)
	ix := Open(st, &bytes.Buffer{})
	for _, q := range []string{"tokens refresh", "refact", "login with google", "parser", "postgres migration", "faster overview"} {
		with, err := ix.Search(Query{Text: q, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		without, err := ix.Search(Query{Text: q, Limit: 10, NoSnippets: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(with.Hits) == 0 || len(with.Hits) != len(without.Hits) {
			t.Fatalf("%q: %d hits with snippets, %d without", q, len(with.Hits), len(without.Hits))
		}
		for i, h := range without.Hits {
			if h.Snippet != "" {
				t.Errorf("%q: a snippet asked not to be made: %q", q, h.Snippet)
			}
			s, err := st.View().Session(h.SessionID)
			if err != nil {
				t.Fatal(err)
			}
			if want, have := with.Hits[i].Snippet, without.Snippet(s, h); want == "" || want != have {
				t.Errorf("%q: %s: want %q, have %q", q, h.Intent, want, have)
			}
		}
	}
}

// TestFresh: a change shows in the next search, whether sess wrote it (the
// change feed) or another tool did (a look at every file); a session gone from
// the store is gone from the results.
func TestFresh(t *testing.T) {
	dir := t.TempDir()
	st, ids := corpusIn(t, dir)
	var warn bytes.Buffer
	ix := Open(st, &warn)
	find := func(q string) []string {
		t.Helper()
		res, err := ix.Search(Query{Text: q, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, h := range res.Hits {
			out = append(out, h.SessionID)
		}
		return out
	}
	if got := find("kubernetes"); len(got) != 0 {
		t.Fatalf("found %v", got)
	}
	if !strings.Contains(warn.String(), "no search index yet") {
		t.Errorf("the first build says nothing: %q", warn.String())
	}
	st.AddEvent(ids["perf"], "Moved the service to Kubernetes")
	if got := find("kubernetes"); len(got) != 1 || got[0] != ids["perf"] {
		t.Errorf("after a sess write: %v", got)
	}
	feed, _ := os.ReadFile(filepath.Join(st.Derived().Search(), "changes"))
	if !strings.Contains(string(feed), ids["perf"]) {
		t.Errorf("the change feed lacks the write: %q", feed)
	}
	// Another tool rewrites a session file (as the original does): no
	// change feed line, so every file is looked at.
	p := filepath.Join(dir, "sessions", ids["noise1"]+".json")
	data, _ := os.ReadFile(p)
	os.WriteFile(p+".tmp", bytes.Replace(data, []byte("Write the changelog"), []byte("Write the kubernetes changelog"), 1), 0o600)
	os.Rename(p+".tmp", p)
	if got := find("kubernetes"); len(got) != 2 {
		t.Errorf("after a foreign write: %v", got)
	}
	// Past maxOverlay changed sessions the base is built again, and
	// nothing is lost.
	ix.maxOverlay = 3
	base := filepath.Join(st.Derived().Search(), "base")
	before, _ := os.Stat(base)
	for range 2 {
		for _, k := range []string{"auth", "parser", "order", "noise2"} {
			if _, err := st.AddEvent(ids[k], "kubernetes again"); err != nil && session.ErrorCode(err) != session.CodeConflict {
				t.Fatal(err)
			}
		}
	}
	if got := find("kubernetes"); len(got) != 6 {
		t.Errorf("after many writes: %d sessions", len(got))
	}
	if after, _ := os.Stat(base); os.SameFile(before, after) {
		t.Error("the base was not built again")
	}
	if _, err := os.Stat(filepath.Join(st.Derived().Search(), "overlay")); err == nil {
		t.Error("a new base left the overlay")
	}
}

// TestCorrupt: a corrupt index file is built again, with a warning.
func TestCorrupt(t *testing.T) {
	st, ids := corpus(t)
	var warn bytes.Buffer
	ix := Open(st, &warn)
	ix.Search(Query{Text: "x", Limit: 1})
	for _, name := range []string{"base", "overlay"} {
		st.AddEvent(ids["order"], "touch "+name)
		ix.Search(Query{Text: "x", Limit: 1})
		warn.Reset()
		p := filepath.Join(st.Derived().Search(), name)
		data, _ := os.ReadFile(p)
		os.WriteFile(p, data[:len(data)/2], 0o600)
		res, err := ix.Search(Query{Text: "dark mode", Limit: 1})
		if err != nil || len(res.Hits) != 1 || res.Hits[0].SessionID != ids["order"] {
			t.Errorf("%s cut in half: %v %+v", name, err, res)
		}
		if !strings.Contains(warn.String(), "corrupt") {
			t.Errorf("%s cut in half: no warning: %q", name, warn.String())
		}
	}
}

// TestHighlights: a session found only through its conversation's
// highlights, which an export kept; the snippet comes from them.
func TestHighlights(t *testing.T) {
	st, ids := corpus(t)
	ix := Open(st, &bytes.Buffer{})
	if res, _ := ix.Search(Query{Text: "samesite cookie", Limit: 3}); len(res.Hits) != 0 {
		t.Fatalf("found before the export: %+v", res.Hits)
	}
	if err := st.Derived().SaveHighlights(ids["auth"], "**Claude:** The cookie lacked SameSite, so Safari dropped it."); err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(Query{Text: "samesite cookie", Limit: 3})
	if err != nil || len(res.Hits) != 1 || res.Hits[0].SessionID != ids["auth"] {
		t.Fatalf("%v %+v", err, res)
	}
	if h := res.Hits[0]; h.Field != "highlights" || !strings.Contains(h.Snippet, "lacked SameSite") {
		t.Errorf("field %q, snippet %q", h.Field, h.Snippet)
	}
}

// TestConversation: a session found only through what was said in its
// conversation (the archive's text, noted in the change feed as the
// archive notes it), the hit's field "conversation", the snippet from it;
// the highlights weigh more.
func TestConversation(t *testing.T) {
	st, _ := corpus(t)
	cid := "conv-1"
	s, err := st.CreateSession(store.NewSession{Project: "web", Intent: "Tidy the footer", ClaudeSessionID: &cid})
	if err != nil {
		t.Fatal(err)
	}
	ix := Open(st, &bytes.Buffer{})
	if res, _ := ix.Search(Query{Text: "zeppelin", Limit: 3}); len(res.Hits) != 0 {
		t.Fatalf("found before it was said: %+v", res.Hits)
	}
	files := st.Derived()
	if err := files.AppendConversationText(cid, "the logo looks like a zeppelin now"); err != nil {
		t.Fatal(err)
	}
	files.NoteChanged(s.SessionID)
	res, err := ix.Search(Query{Text: "zeppelin", Limit: 3})
	if err != nil || len(res.Hits) != 1 || res.Hits[0].SessionID != s.SessionID {
		t.Fatalf("%v %+v", err, res)
	}
	if h := res.Hits[0]; h.Field != "conversation" || !strings.Contains(h.Snippet, "like a zeppelin") {
		t.Errorf("field %q, snippet %q", h.Field, h.Snippet)
	}
	if err := files.SaveHighlights(s.SessionID, "**User:** a zeppelin"); err != nil {
		t.Fatal(err)
	}
	if res, _ := ix.Search(Query{Text: "zeppelin", Limit: 3}); len(res.Hits) != 1 || res.Hits[0].Field != "highlights" {
		t.Errorf("with highlights too: %+v", res.Hits)
	}
	// A base built afresh has it too.
	fresh := Open(st, &bytes.Buffer{})
	if err := os.RemoveAll(files.Search()); err != nil {
		t.Fatal(err)
	}
	if res, _ := fresh.Search(Query{Text: "zeppelin", Limit: 3}); len(res.Hits) != 1 {
		t.Errorf("after a rebuild: %+v", res.Hits)
	}
}

// TestTop: the one-pass selection of a page gives what a full sort gives.
func TestTop(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 50 {
		n := r.IntN(200)
		scores := make([]scored, n)
		for i := range scores {
			scores[i] = scored{doc: i, score: float64(r.IntN(20)), key: strconv.Itoa(r.IntN(5))}
		}
		better := func(a, b *scored) bool {
			if a.score != b.score {
				return a.score > b.score
			}
			if a.key != b.key {
				return a.key > b.key
			}
			return a.doc > b.doc
		}
		k := 1 + r.IntN(12)
		got := top(slices.Clone(scores), k, better)
		sort.Slice(scores, func(i, j int) bool { return better(&scores[i], &scores[j]) })
		if want := scores[:min(k, n)]; !slices.Equal(got, want) {
			t.Fatalf("k %d of %d: have %v, want %v", k, n, got, want)
		}
	}
}

// TestRescan: past the time the change feed is trusted, a look at every file
// still takes in what the change feed names (highlights, whose session file
// did not change) and a session moved to the archive (linked, its time
// the same).
func TestRescan(t *testing.T) {
	st, ids := corpus(t)
	ix := Open(st, &bytes.Buffer{})
	ix.Search(Query{Text: "x", Limit: 1})
	later := time.Now().Add(time.Hour)
	ix.now = func() time.Time { return later }
	st.Derived().SaveHighlights(ids["perf"], "**User:** the flamegraph shows decoding")
	st.CompleteSession(ids["order"], store.Completion{Outcome: "shipped"})
	st.ArchiveSession(ids["order"])
	res, err := ix.Search(Query{Text: "flamegraph", Limit: 3})
	if err != nil || len(res.Hits) != 1 || res.Hits[0].SessionID != ids["perf"] {
		t.Errorf("highlights after a rescan: %v %+v", err, res)
	}
	res, _ = ix.Search(Query{Text: "dark mode toggle", Limit: 1})
	if len(res.Hits) != 1 || !res.Hits[0].Archived {
		t.Errorf("archived after a rescan: %+v", res.Hits)
	} else {
		openEvery(t, res.Hits)
	}
}

// TestRaces: an overlay made on another base is not laid on this one (no
// session twice), and a change feed line that arrives after the search that
// read the stamp it names is still read.
func TestRaces(t *testing.T) {
	dir := t.TempDir()
	st, ids := corpusIn(t, dir)
	ix := Open(st, &bytes.Buffer{})
	ix.Search(Query{Text: "x", Limit: 1})
	st.AddEvent(ids["perf"], "zeppelin")
	ix.Search(Query{Text: "x", Limit: 1}) // an overlay, on the first base
	overlay := filepath.Join(st.Derived().Search(), "overlay")
	old, err := os.ReadFile(overlay)
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(st.Derived().Search(), "base"))
	ix.Search(Query{Text: "x", Limit: 1}) // a new base
	os.WriteFile(overlay, old, 0o600)     // the old overlay, written late by another search
	res, _ := ix.Search(Query{Text: "zeppelin", Limit: 10})
	if len(res.Hits) != 1 || res.Indexed != 7 {
		t.Errorf("an old overlay on a new base: %d hits, %d indexed", len(res.Hits), res.Indexed)
	}
	// A write whose note comes after another's: the folders' stamp is the
	// one the search saw, but the change feed grew.
	p := filepath.Join(dir, "sessions", ids["noise1"]+".json")
	data, _ := os.ReadFile(p)
	os.WriteFile(p, bytes.Replace(data, []byte("Write the changelog"), []byte("Write the quokka changelog"), 1), 0o600)
	st.Derived().NoteChanged(ids["noise1"])
	if res, _ := ix.Search(Query{Text: "quokka", Limit: 3}); len(res.Hits) != 1 {
		t.Errorf("a late change feed line: %+v", res.Hits)
	}
}

// TestFIFOs: FIFOs where the index's files go hold up no search: the index
// is built again over them.
func TestFIFOs(t *testing.T) {
	for _, name := range []string{"base", "overlay", "changes"} {
		t.Run(name, func(t *testing.T) {
			st, _ := corpus(t)
			ix := Open(st, &bytes.Buffer{})
			ix.Search(Query{Text: "parser", Limit: 1})
			p := filepath.Join(st.Derived().Search(), name)
			os.Remove(p)
			if err := syscall.Mkfifo(p, 0o600); err != nil {
				t.Skip(err)
			}
			done := make(chan int, 1)
			go func() {
				res, _ := Open(st, &bytes.Buffer{}).Search(Query{Text: "parser", Limit: 5})
				done <- len(res.Hits)
			}()
			select {
			case n := <-done:
				if n == 0 {
					t.Errorf("no hits with a FIFO at %s", name)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("the search hangs on a FIFO at %s", name)
			}
		})
	}
}

// TestCannotKeep: a store that is not there is not made by a search, and
// one whose .search cannot be made (a file in its place) is searched from
// memory, with one warning.
func TestCannotKeep(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nothing", "dashboard")
	var warn bytes.Buffer
	if _, err := Open(store.Open(missing, store.Options{}), &warn).Search(Query{Text: "x", Limit: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Dir(missing)); !os.IsNotExist(err) {
		t.Errorf("a search made %s (%v)", missing, err)
	}
	st, _ := corpus(t)
	if err := os.WriteFile(st.Derived().Search(), []byte("not a folder"), 0o600); err != nil {
		t.Fatal(err)
	}
	warn.Reset()
	res, err := Open(st, &warn).Search(Query{Text: "parser", Limit: 5})
	if err != nil || len(res.Hits) == 0 {
		t.Fatalf("with a file at .search: %v, %d hits", err, len(res.Hits))
	}
	if n := strings.Count(warn.String(), "warning"); n != 1 {
		t.Errorf("%d warnings:\n%s", n, warn.String())
	}
}

// TestCorruptBase: a base damaged past its header is found out by its
// checksum, said once, and built again: the search's answer is right.
func TestCorruptBase(t *testing.T) {
	st, ids := corpus(t)
	Open(st, &bytes.Buffer{}).Search(Query{Text: "parser", Limit: 1})
	p := filepath.Join(st.Derived().Search(), "base")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	// Flip the postings' last byte, which no other check reads.
	data[len(data)-2] ^= 0x5a
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	var warn bytes.Buffer
	res, err := Open(st, &warn).Search(Query{Text: "tokenizer", Limit: 5})
	if err != nil || len(res.Hits) == 0 || res.Hits[0].SessionID != ids["parser"] {
		t.Fatalf("after the damage: %v %+v", err, res)
	}
	if !strings.Contains(warn.String(), "corrupt") {
		t.Errorf("no warning of the damage: %q", warn.String())
	}
}

// TestParallelBuild: a build shared among threads makes the index one
// thread makes, byte for byte.
func TestParallelBuild(t *testing.T) {
	st, _ := corpus(t)
	ix := Open(st, &bytes.Buffer{})
	refs, err := st.View().StoredSessions()
	if err != nil {
		t.Fatal(err)
	}
	var one, shared segment
	digests := ix.digests()
	digest := func(id string) uint64 { return digests[id] }
	ix.addEach(&one, refs, digest)
	ix.parallelFrom = 2
	ix.addAll(&shared, refs, digest)
	if want, have := one.encode("x"), shared.encode("x"); !bytes.Equal(want, have) {
		t.Errorf("a build in parallel differs: want %d bytes, have %d", len(want), len(have))
	}
	if len(one.Docs) != len(refs) {
		t.Errorf("documents: want %d, have %d", len(refs), len(one.Docs))
	}
}

// TestOtherVersion: an index another version of sess made is built again,
// and the warning says so rather than that it is corrupt.
func TestOtherVersion(t *testing.T) {
	st, ids := corpus(t)
	if _, err := Open(st, &bytes.Buffer{}).Search(Query{Text: "x"}); err != nil {
		t.Fatal(err)
	}
	base := filepath.Join(st.Derived().Search(), "base")
	data, err := os.ReadFile(base)
	if err != nil {
		t.Fatal(err)
	}
	copy(data, "SESSIDX5")
	if err := os.WriteFile(base, data, 0o600); err != nil {
		t.Fatal(err)
	}
	var warn bytes.Buffer
	res, err := Open(st, &warn).Search(Query{Text: "tokenizer", Limit: 5})
	if err != nil || len(res.Hits) == 0 || res.Hits[0].SessionID != ids["parser"] {
		t.Fatalf("after the other version's index: %v %+v", err, res)
	}
	if !strings.Contains(warn.String(), "another version of sess; building it again") {
		t.Errorf("the warning: %q", warn.String())
	}
}
