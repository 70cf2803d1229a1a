package search

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sess-dev/sess/pkg/store"
)

// TestLookAgain: after another tool's write (one the change feed lacks),
// the next search finds it, whether it renamed a live session's file into
// place, as the original does, or a file into the archive; the archive is
// spared only while its folder is as it was, its stamp was not taken in
// the tick of a change, and every file was looked at within rescanEvery.
func TestLookAgain(t *testing.T) {
	dir := t.TempDir()
	st, ids := corpusIn(t, dir)
	ix := Open(st, &bytes.Buffer{})
	clock := time.Now()
	ix.now = func() time.Time { return clock }
	v := st.View()
	liveDir := filepath.Dir(v.PathOf(store.StoredRef{ID: ids["perf"]}))
	archiveDir := filepath.Dir(v.PathOf(store.StoredRef{ID: ids["archived"], Archived: true}))
	step := 0
	// touch sets a folder's time, each step's its own: the folder's stamp
	// moves whatever the file system's clock tick.
	touch := func(folder string, at time.Time) {
		t.Helper()
		if err := os.Chtimes(folder, at, at); err != nil {
			t.Fatal(err)
		}
	}
	// rewrite replaces old by new in a session's file: renamed into place
	// (as the original writes), or in place.
	rewrite := func(r store.StoredRef, old, new string, inPlace bool) {
		t.Helper()
		p := v.PathOf(r)
		data, err := os.ReadFile(p)
		if err != nil || !bytes.Contains(data, []byte(old)) {
			t.Fatalf("%s lacks %q: %v", p, old, err)
		}
		data = bytes.Replace(data, []byte(old), []byte(new), 1)
		if inPlace {
			err = os.WriteFile(p, data, 0o600)
		} else if err = os.WriteFile(p+".tmp", data, 0o600); err == nil {
			err = os.Rename(p+".tmp", p)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	// foreign writes the word into a live session as the original would,
	// and moves the clock on.
	foreign := func(key, old, word string) {
		t.Helper()
		step++
		rewrite(store.StoredRef{ID: ids[key]}, old, old+" "+word, false)
		touch(liveDir, clock.Add(-time.Hour+time.Duration(step)*time.Second))
		clock = clock.Add(time.Minute)
	}
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
		slices.Sort(out)
		return out
	}
	scanned := func() int64 {
		t.Helper()
		o, err := ix.readFile("overlay")
		if err != nil {
			t.Fatal(err)
		}
		return parseState(o.fingerprint).scanned
	}
	want := func(q string, keys ...string) {
		t.Helper()
		var w []string
		for _, k := range keys {
			w = append(w, ids[k])
		}
		slices.Sort(w)
		if have := find(q); !slices.Equal(w, have) {
			t.Errorf("%q: want %v, have %v", q, w, have)
		}
	}

	find("x") // the first build
	touch(archiveDir, clock.Add(-time.Hour))
	foreign("perf", "Make the overview faster", "zebra")
	want("zebra", "perf") // a look at every file, the archive's stamp kept
	full := scanned()
	foreign("parser", "Refactoring the config parser", "zebra")
	want("zebra", "perf", "parser")
	if have := scanned(); have != full {
		t.Errorf("a live write looked at the archive too: scanned %d, was %d", have, full)
	}
	want("billing", "archived") // the archive as indexed

	// A file renamed into the archive moves its folder: looked at again.
	rewrite(store.StoredRef{ID: ids["archived"], Archived: true}, "Migrate the billing tables", "Migrate the okapi billing tables", false)
	touch(archiveDir, clock.Add(-30*time.Minute))
	foreign("noise1", "Write the changelog", "yak")
	want("okapi", "archived")
	if have := scanned(); have == full {
		t.Error("a write into the archive did not have every file looked at")
	}

	// A stamp taken in the tick of a change is not trusted: a change in
	// place with the folder's time as it was is still found.
	archivedAt := clock.Add(time.Minute) // the search's clock, below
	touch(archiveDir, archivedAt)
	foreign("noise2", "Update dependencies", "yak")
	want("yak", "noise1", "noise2")
	rewrite(store.StoredRef{ID: ids["archived"], Archived: true}, "okapi", "okapi lemur", true)
	touch(archiveDir, archivedAt) // as it was at the look
	foreign("order", "Dark mode toggle", "yak")
	want("lemur", "archived") // the stamp, no longer racy, is kept now

	// Past rescanEvery every file is looked at, the archive's too.
	foreign("auth", "Make signing in work", "gnu")
	want("gnu", "auth")
	rewrite(store.StoredRef{ID: ids["archived"], Archived: true}, "lemur", "lemur ibex", true)
	touch(archiveDir, archivedAt) // as it was
	foreign("perf", "zebra", "gnu")
	want("ibex") // not looked at: the folder is as it was
	clock = clock.Add(rescanEvery)
	foreign("parser", "zebra", "gnu")
	want("ibex", "archived")
}

// TestLookByEntries: between two looks at every file, a look after another
// tool wrote goes by the store's index. A write that changes a session's
// entry (every write of the original but update-session's of the current
// activity) is found, whatever the session; one that changes only the file
// is found in an open session at once, in a completed one a day after its
// last heartbeat at the next look at every file.
func TestLookByEntries(t *testing.T) {
	dir := t.TempDir()
	corpusIn(t, dir)
	clock := time.Now().Add(store.OpenFor + time.Hour) // "auth", completed, is a day old
	st := store.Open(dir, store.Options{Now: func() time.Time { return clock }})
	all, err := st.View().List(store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var auth, perf string
	for _, s := range all {
		switch {
		case strings.HasPrefix(s.Intent, "Make the overview"):
			perf = s.SessionID
		case strings.HasPrefix(s.Intent, "Make signing"):
			auth = s.SessionID
		}
	}
	ix := Open(st, &bytes.Buffer{})
	ix.now = func() time.Time { return clock }
	v := st.View()
	liveDir := filepath.Dir(v.PathOf(store.StoredRef{ID: perf}))
	indexPath := filepath.Join(liveDir, "_index.json")
	step := 0
	// write changes a session's file as the original does, and its entry
	// in the index when asked (a new heartbeat), each renamed into place.
	write := func(id, old, new string, entry bool) {
		t.Helper()
		step++
		replace := func(p, old, new string) {
			data, err := os.ReadFile(p)
			if err != nil || !bytes.Contains(data, []byte(old)) {
				t.Fatalf("%s lacks %q: %v", p, old, err)
			}
			data = bytes.Replace(data, []byte(old), []byte(new), 1)
			if err := os.WriteFile(p+".tmp", data, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(p+".tmp", p); err != nil {
				t.Fatal(err)
			}
		}
		replace(v.PathOf(store.StoredRef{ID: id}), old, new)
		if entry {
			s, err := v.Session(id)
			if err != nil {
				t.Fatal(err)
			}
			replace(indexPath, `"last_heartbeat": "`+s.LastHeartbeat+`"`, fmt.Sprintf(`"last_heartbeat": "2020-01-01T00:00:%02d.000000+00:00"`, step))
		}
		at := clock.Add(-time.Hour + time.Duration(step)*time.Second)
		if err := os.Chtimes(liveDir, at, at); err != nil {
			t.Fatal(err)
		}
	}
	found := func(q, id string) bool {
		t.Helper()
		res, err := ix.Search(Query{Text: q, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		return slices.ContainsFunc(res.Hits, func(h Hit) bool { return h.SessionID == id })
	}
	found("x", "") // the first build
	write(perf, "Make the overview faster", "Make the overview faster yak", false)
	if !found("yak", perf) {
		t.Fatal("an open session's file alone: not found")
	}

	write(auth, "Make signing in work", "Make signing in work quokka", false)
	if found("quokka", auth) {
		t.Error("a completed session's file alone: found before the look at every file (the test no longer tests the look by entries)")
	}
	write(perf, "yak", "yak wombat", false)
	if !found("wombat", perf) {
		t.Error("an open session's file alone: not found")
	}
	write(auth, "quokka", "quokka numbat", true)
	if !found("numbat", auth) {
		t.Error("a completed session written with its entry: not found")
	}
	write(auth, "numbat", "numbat dingo", false)
	clock = clock.Add(rescanEvery)
	write(perf, "wombat", "wombat emu", false)
	if !found("dingo", auth) {
		t.Error("past rescanEvery, a completed session's file alone: not found")
	}
}
