package replica_test

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sess-dev/sess/internal/replica"
	"github.com/sess-dev/sess/internal/storetest"
	"github.com/sess-dev/sess/pkg/store"
	"github.com/sess-dev/sess/pkg/store/derived"
)

// local is a store with its identity and a publisher into shared.
type local struct {
	st  *storetest.Clocked
	m   *derived.Machine
	pub *replica.Publisher
}

func newLocal(t *testing.T, name, shared string) *local {
	t.Helper()
	st := storetest.NewClocked(t)
	m, err := st.Derived().UpdateMachine(name, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &local{st: st, m: m, pub: &replica.Publisher{St: st.Store, Machine: m, Dir: shared, Version: "test", Now: st.View().Now}}
}

func (mc *local) publish(t *testing.T) replica.Published {
	t.Helper()
	res, err := mc.pub.Publish()
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// reader is what machine self reads of shared, its warnings kept.
func reader(shared, self string, warnings *[]string) *replica.Reader {
	return &replica.Reader{Dir: shared, SelfID: self, Now: func() time.Time { return storetest.Epoch.Add(time.Hour) },
		Warnf: func(f string, a ...any) { *warnings = append(*warnings, f) }}
}

func TestPublishCopiesWhatChanged(t *testing.T) {
	shared := t.TempDir()
	a := newLocal(t, "laptop", shared)
	s1 := a.st.MustCreate(t, "web", "first")
	a.st.MustCreate(t, "web", "second")
	res := a.publish(t)
	if res.Copied == 0 || res.Unchanged != 0 {
		t.Fatalf("first publish: %+v", res)
	}
	if again := a.publish(t); again.Copied != 0 || again.Removed != 0 {
		t.Errorf("nothing changed, yet %+v", again)
	}
	a.st.Advance(time.Minute)
	if _, err := a.st.AddEvent(s1.SessionID, "more"); err != nil {
		t.Fatal(err)
	}
	// The session and the index changed; nothing else.
	if res := a.publish(t); res.Copied != 2 || res.Removed != 0 {
		t.Errorf("after an event: %+v, want the session and the index copied", res)
	}
	// Archived: it moves in the part as in the store.
	a.st.Advance(time.Minute)
	if _, err := a.st.CompleteSession(s1.SessionID, store.Completion{Outcome: "done"}); err != nil {
		t.Fatal(err)
	}
	if err := a.st.ArchiveSession(s1.SessionID); err != nil {
		t.Fatal(err)
	}
	if res := a.publish(t); res.Removed != 1 {
		t.Errorf("after the archive: %+v, want the live copy removed", res)
	}
	var warned []string
	others := reader(shared, "", &warned).Others()
	if len(others) != 1 || others[0].Name != "laptop" {
		t.Fatalf("others %+v, warnings %v", others, warned)
	}
	got, err := others[0].Store.View().Session(s1.SessionID)
	if err != nil || got.Status != "completed" {
		t.Errorf("the archived session read from the part: %+v, %v", got, err)
	}
}

func TestOwnPartIsNotAnothers(t *testing.T) {
	shared := t.TempDir()
	a := newLocal(t, "laptop", shared)
	a.st.MustCreate(t, "web", "x")
	a.publish(t)
	var warned []string
	if others := reader(shared, a.m.ID, &warned).Others(); len(others) != 0 {
		t.Errorf("a machine read its own part as another's: %+v", others)
	}
}

// TestReplicatorRealities: what a replicator leaves on the way is skipped
// or shown as stale, with one warning each, never a failure.
func TestReplicatorRealities(t *testing.T) {
	shared := t.TempDir()
	a := newLocal(t, "laptop", shared)
	live := a.st.MustCreate(t, "web", "live one")
	a.publish(t)
	part := replica.PartOf(shared, a.m.ID)
	write := func(rel, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(part, rel), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Syncthing's temporary file, a conflict copy, a session cut short.
	write("sessions/.syncthing."+live.SessionID+".json.tmp", "{")
	write("sessions/"+live.SessionID+".sync-conflict-20261207-101010-ABCDEFG.json", "{}")
	write("sessions/sess_20261207T0101_dead.json", `{"session_id": "sess_20261207T0101_de`)
	var warned []string
	r := reader(shared, "", &warned)
	others := r.Others()
	if len(others) != 1 {
		t.Fatalf("others %+v (warnings %v)", others, warned)
	}
	list, err := others[0].Store.View().List(store.Filter{})
	if err != nil || len(list) != 1 || list[0].SessionID != live.SessionID {
		t.Errorf("list %v, %v: want the live session alone", list, err)
	}

	// Other parts: a symlink, a file, a partition without its manifest, a
	// cut manifest, one of a newer format, one silent for weeks.
	other := func(name string) string { return filepath.Join(shared, "machines", name) }
	os.Symlink(part, other("aaaaaaaaaaaaaaaaaaaaaaaaaa"))
	os.WriteFile(other("bbbbbbbbbbbbbbbbbbbbbbbbbb"), []byte("x"), 0o644)
	os.MkdirAll(other("cccccccccccccccccccccccccc"), 0o755)
	os.MkdirAll(other("dddddddddddddddddddddddddd"), 0o755)
	os.WriteFile(filepath.Join(other("dddddddddddddddddddddddddd"), "manifest.json"), []byte(`{"format": 1, "machine_`), 0o644)
	os.MkdirAll(other("eeeeeeeeeeeeeeeeeeeeeeeeee"), 0o755)
	os.WriteFile(filepath.Join(other("eeeeeeeeeeeeeeeeeeeeeeeeee"), "manifest.json"), []byte(`{"format": 9, "machine_id": "eeeeeeeeeeeeeeeeeeeeeeeeee", "name": "future"}`), 0o644)
	os.MkdirAll(other("ffffffffffffffffffffffffff"), 0o755)
	os.WriteFile(filepath.Join(other("ffffffffffffffffffffffffff"), "manifest.json"), []byte(`{"format": 1, "machine_id": "ffffffffffffffffffffffffff", "name": "old box", "published_at": "2026-01-01T00:00:00Z"}`), 0o644)
	os.MkdirAll(other("not-a-machine.sync-conflict-1"), 0o755)
	warned = nil
	r = reader(shared, "", &warned)
	others = r.Others()
	var names []string
	for _, m := range others {
		names = append(names, m.Name+map[bool]string{true: " (stale)", false: ""}[m.Stale])
	}
	sort.Strings(names)
	if strings.Join(names, ", ") != "laptop, old box (stale)" {
		t.Errorf("read %v, want laptop and old box (stale)", names)
	}
	if len(warned) != 6 {
		t.Errorf("%d warnings, want one for each of the symlink, the file, no manifest, a cut one, a newer format, a stale one:\n%s", len(warned), strings.Join(warned, "\n"))
	}
	// Read again by the same reader: no warning twice.
	n := len(warned)
	r.Others()
	if len(warned) != n {
		t.Errorf("warned again: %v", warned[n:])
	}
}

// TestPartArrivingInAnyOrder copies a part file by file in a random
// order, some cut short first, as a replicator may deliver it: at every
// step a reader reads what is there without failing, and at the end all
// of it.
func TestPartArrivingInAnyOrder(t *testing.T) {
	shared := t.TempDir()
	a := newLocal(t, "laptop", shared)
	for i := range 5 {
		a.st.MustCreate(t, "web", "session "+string(rune('a'+i)))
	}
	a.publish(t)
	src := replica.PartOf(shared, a.m.ID)
	var files []string
	filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(src, p)
			files = append(files, rel)
		}
		return nil
	})
	for seed := range int64(5) {
		dst := t.TempDir()
		part := replica.PartOf(dst, a.m.ID)
		rnd := rand.New(rand.NewSource(seed))
		rnd.Shuffle(len(files), func(i, j int) { files[i], files[j] = files[j], files[i] })
		for _, rel := range files {
			data, _ := os.ReadFile(filepath.Join(src, rel))
			os.MkdirAll(filepath.Dir(filepath.Join(part, rel)), 0o755)
			// Cut short first, then whole: a delivery in progress.
			os.WriteFile(filepath.Join(part, rel), data[:len(data)/2], 0o644)
			read(t, dst)
			os.WriteFile(filepath.Join(part, rel), data, 0o644)
			read(t, dst)
		}
		if n := len(read(t, dst)); n != 5 {
			t.Errorf("seed %d: %d sessions read once all arrived, want 5", seed, n)
		}
	}
}

// read lists every session of the other machines' parts under shared.
func read(t *testing.T, shared string) []string {
	t.Helper()
	var warned []string
	var ids []string
	for _, m := range reader(shared, "", &warned).Others() {
		list, err := m.Store.View().List(store.Filter{IncludeArchived: true})
		if err != nil {
			t.Fatalf("a part being delivered failed a listing: %v", err)
		}
		for _, s := range list {
			ids = append(ids, s.SessionID)
		}
	}
	return ids
}

func TestNormalizeRemote(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"git@github.com:acme/web.git", "github.com/acme/web"},
		{"https://github.com/acme/web", "github.com/acme/web"},
		{"https://GitHub.com/acme/web.git/", "github.com/acme/web"},
		{"ssh://git@github.com/acme/web.git", "github.com/acme/web"},
		{"https://user:token@gitlab.example.com/group/sub/web.git", "gitlab.example.com/group/sub/web"},
		{"github.com:acme/web", "github.com/acme/web"},
		{"", ""},
	} {
		if got := replica.NormalizeRemote(tc.in); got != tc.want {
			t.Errorf("NormalizeRemote(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestPublishFollowsTheChangeFeed: after its first publish, a publisher
// copies what the change feed names; a write the feed lacks (another
// tool's) makes it look at every file again.
func TestPublishFollowsTheChangeFeed(t *testing.T) {
	shared := t.TempDir()
	a := newLocal(t, "laptop", shared)
	s1 := a.st.MustCreate(t, "web", "first")
	a.publish(t)
	a.st.Advance(time.Minute)
	a.st.AddEvent(s1.SessionID, "noted in the feed")
	if res := a.publish(t); res.Copied != 2 || res.Unchanged > 10 {
		t.Errorf("after a noted change: %+v, want 2 copied and few looked at", res)
	}
	// Another tool rewrites the session file: not in the feed.
	path := a.st.View().PathOf(store.StoredRef{ID: s1.SessionID})
	data, _ := os.ReadFile(path)
	os.WriteFile(path+".x", append(data[:len(data)-2], []byte(" \n}\n")...), 0o600)
	os.Rename(path+".x", path)
	if res := a.publish(t); res.Copied != 1 {
		t.Errorf("after another tool's write: %+v, want the session copied", res)
	}
}

// TestRenameReachesTheOthers: a machine renamed is named so in its
// manifest at its next publish, though nothing else changed.
func TestRenameReachesTheOthers(t *testing.T) {
	shared := t.TempDir()
	a := newLocal(t, "laptop", shared)
	a.st.MustCreate(t, "web", "x")
	a.publish(t)
	if _, err := a.st.Derived().UpdateMachine("", func(m *derived.Machine) error { m.Name = "work laptop"; return nil }); err != nil {
		t.Fatal(err)
	}
	a.publish(t)
	var warned []string
	if others := reader(shared, "", &warned).Others(); len(others) != 1 || others[0].Name != "work laptop" {
		t.Errorf("others %+v", others)
	}
}

// TestListAcrossMachines: a listing of every machine is the newest
// sessions of all, in order, cut to the limit, another's marked; a
// session whose file no longer agrees with its index is listed as its
// file says.
func TestListAcrossMachines(t *testing.T) {
	shared := t.TempDir()
	a, b := newLocal(t, "laptop", shared), newLocal(t, "desktop", shared)
	var want []string
	for i := range 6 {
		m := a
		if i%2 == 1 {
			m = b
		}
		a.st.Advance(time.Minute)
		b.st.Advance(time.Minute)
		want = append([]string{m.st.MustCreate(t, "web", fmt.Sprintf("session %d", i)).SessionID}, want...)
	}
	a.publish(t)
	var warned []string
	j := &replica.Journal{Local: b.st.Store, Others: reader(shared, b.m.ID, &warned).Others()}
	got, err := j.List(store.Filter{Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range got {
		ids = append(ids, s.SessionID)
		if s.Machine != nil != (s.Intent == "session 4" || s.Intent == "session 2" || s.Intent == "session 0") {
			t.Errorf("%s (%s) marked %v", s.SessionID, s.Intent, s.Machine)
		}
	}
	if strings.Join(ids, " ") != strings.Join(want[:3], " ") {
		t.Errorf("List(limit 3) = %v, want %v", ids, want[:3])
	}
	// The desktop completes a session behind its index's back: an active
	// listing leaves it out, as a listing of its store alone does.
	newest := want[0]
	path := b.st.View().PathOf(store.StoredRef{ID: newest})
	data, _ := os.ReadFile(path)
	os.WriteFile(path, []byte(strings.Replace(string(data), `"status": "active"`, `"status": "completed"`, 1)), 0o600)
	got, err = j.List(store.Filter{Status: "active", Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range got {
		if s.SessionID == newest {
			t.Errorf("%s listed as active, its file says completed", newest)
		}
	}
	if len(got) != 3 {
		t.Errorf("%d listed, want 3", len(got))
	}
}

// TestPublishRetriesAfterAFailure: a publish that fails part way (the
// shared folder refuses writes: a full disk, a lost mount; here a file
// where its folder should be) copies the rest at the next try, its cursor
// not moved past what it did not copy.
func TestPublishRetriesAfterAFailure(t *testing.T) {
	shared := t.TempDir()
	a := newLocal(t, "laptop", shared)
	s1 := a.st.MustCreate(t, "web", "first")
	a.publish(t)
	a.st.Advance(time.Minute)
	a.st.AddEvent(s1.SessionID, "while the folder was read-only")
	sessions := filepath.Join(replica.PartOf(shared, a.m.ID), "sessions")
	os.Rename(sessions, sessions+".away")
	os.WriteFile(sessions, nil, 0o644)
	if _, err := a.pub.Publish(); err == nil {
		t.Fatal("a publish with a file in its folder's place did not fail")
	}
	os.Remove(sessions)
	os.Rename(sessions+".away", sessions)
	if res := a.publish(t); res.Copied != 2 {
		t.Errorf("the retry: %+v, want the session and the index copied", res)
	}
}
