package replica_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sess-dev/sess/internal/replica"
	"github.com/sess-dev/sess/internal/replica/syncthingtest"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// replicated bounds each wait for Syncthing to carry a change across: it
// takes a few seconds when it works.
const replicated = 60 * time.Second

// TestSyncthing: two machines, each a HOME with its own store, share one
// journal through two real Syncthing daemons on 127.0.0.1, using
// sess-manage as a user would. Each machine lists the other, reads its
// sessions as published and its later changes, and neither writes into
// the other's part: each part holds only its own machine's sessions (the
// desktop has one of its own to be found in the wrong place) and, once
// Syncthing is done, is the same on both disks.
func TestSyncthing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds sess-manage and runs two syncthing daemons")
	}
	syncthingtest.SkipIfMissing(t)
	bin := buildSessManage(t)
	laptop, desktop := newMachine(t, bin, "laptop"), newMachine(t, bin, "desktop")
	began := time.Now()
	took := func(what string) { t.Logf("%s after %.1fs", what, time.Since(began).Seconds()) }
	syncthingtest.Start(t, 2).Share(t, "sess-journal", laptop.shared, desktop.shared)
	took("daemons connected")

	finished := laptop.createSession(t, "finished on the laptop")
	laptop.sessManage(t, "complete-session", finished, "--outcome", "done")
	active := laptop.createSession(t, "still going on the laptop")
	laptop.join(t)
	own := desktop.createSession(t, "on the desktop")
	desktop.join(t)
	parts := partsOf{laptop, desktop, map[string]*machine{finished: laptop, active: laptop, own: desktop}}

	parts.waitListed(t, desktop, laptop)
	parts.waitListed(t, laptop, desktop)
	took("each lists the other")
	parts.waitDelivered(t, laptop, desktop, "sessions/"+finished+".json", "sessions/"+active+".json")
	parts.waitDelivered(t, desktop, laptop, "sessions/"+own+".json")
	took("sessions delivered")

	laptop.sessManage(t, "add-event", active, "--message", "carried to the desktop")
	laptop.sync(t)
	parts.waitDelivered(t, laptop, desktop, "sessions/"+active+".json")
	took("the event delivered")
	if s := desktop.othersSession(t, laptop, active); len(s.Events) != 1 || s.Events[0].Message != "carried to the desktop" {
		t.Errorf("the desktop reads the laptop's session %s with events %+v, want the one added on the laptop", active, s.Events)
	}
	if want, have := session.StatusCompleted, desktop.othersSession(t, laptop, finished).Status; want != have {
		t.Errorf("the desktop reads the laptop's finished session as %s, want %s", have, want)
	}

	worked := laptop.hookDay(t)
	laptop.sync(t)
	parts.waitDelivered(t, laptop, desktop, "sessions/"+worked+".json")
	took("a day of hook events delivered")
	desktop.waitReads(t, worked)
	took("the desktop's overview, search and page show it")
	carried := desktop.carryOn(t, laptop, parts, worked)
	took("the thread goes on on the desktop, and the laptop sees it")
	parts.owner[worked], parts.owner[carried] = laptop, desktop

	parts.waitMirrored(t)
	took("parts the same on both disks")
	for _, m := range []*machine{laptop, desktop} {
		m.checkPublishedOnly(t)
		checkMachines(t, m, laptop, desktop)
		checkManifest(t, m, laptop)
		checkManifest(t, m, desktop)
	}
}

// machine is one machine's HOME: its store, its copy of the shared
// folder, and the sess-manage it runs.
type machine struct {
	name, home, store, shared, bin string
	id                             string // machine.json's, once joined
}

func newMachine(t *testing.T, bin, name string) *machine {
	home := t.TempDir()
	return &machine{name: name, home: home, bin: bin,
		store: filepath.Join(home, ".claude", "dashboard"), shared: filepath.Join(home, "shared")}
}

// sessManage runs sess-manage on the machine's store, with its HOME and
// nothing of the test's environment but PATH, and returns its stdout; a
// failure fails the test. Its warnings are logged.
func (m *machine) sessManage(t *testing.T, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(m.bin, append([]string{"--dashboard-dir", m.store}, args...)...)
	cmd.Env = []string{"HOME=" + m.home, "PATH=" + os.Getenv("PATH")}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: sess-manage %s: %v\nstdout: %s\nstderr: %s", m.name, strings.Join(args, " "), err, stdout.Bytes(), stderr.Bytes())
	}
	if stderr.Len() > 0 {
		t.Logf("%s: sess-manage %s: %s", m.name, args[0], bytes.TrimSpace(stderr.Bytes()))
	}
	return stdout.Bytes()
}

func (m *machine) createSession(t *testing.T, intent string) string {
	t.Helper()
	var s struct {
		SessionID string `json:"session_id"`
	}
	decode(t, m.sessManage(t, "create-session", "--project", "web", "--intent", intent), &s)
	return s.SessionID
}

// join names the machine, sets its shared folder and publishes once.
func (m *machine) join(t *testing.T) {
	t.Helper()
	var named struct {
		ID string `json:"id"`
	}
	decode(t, m.sessManage(t, "machine", "name", m.name), &named)
	m.id = named.ID
	m.sessManage(t, "sync", "init", m.shared)
	m.sync(t)
}

type syncOut struct {
	Machine string `json:"machine"`
	Others  []struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"others"`
}

func (m *machine) sync(t *testing.T) syncOut {
	t.Helper()
	var out syncOut
	decode(t, m.sessManage(t, "sync"), &out)
	return out
}

// partOn is owner's part in m's copy of the shared folder.
func (m *machine) partOn(owner *machine) string { return replica.PartOf(m.shared, owner.id) }

// othersSession reads the session id of the machine other as m's reader
// does, from m's copy of other's part.
func (m *machine) othersSession(t *testing.T, other *machine, id string) *session.Session {
	t.Helper()
	r := &replica.Reader{Dir: m.shared, SelfID: m.id, Warnf: func(format string, args ...any) {
		t.Errorf("%s reads the shared folder with a warning: %s", m.name, fmt.Sprintf(format, args...))
	}}
	for _, o := range r.Others() {
		if o.ID == other.id {
			s, err := o.Store.View().Session(id)
			if err != nil {
				t.Fatalf("%s reads %s's session %s: %v", m.name, other.name, id, err)
			}
			return s
		}
	}
	t.Fatalf("%s's reader does not list %s", m.name, other.name)
	return nil
}

// partsOf is the two machines and whose each session is; every wait
// checks that no session is in another machine's part.
type partsOf struct {
	a, b  *machine
	owner map[string]*machine // session id → the machine that made it
}

// checkOwners fails the test when a session file is in the part of a
// machine that did not make it, on either disk.
func (p partsOf) checkOwners(t *testing.T) {
	t.Helper()
	for _, disk := range []*machine{p.a, p.b} {
		for _, part := range []*machine{p.a, p.b} {
			for id, owner := range p.owner {
				rel := "sessions/" + id + ".json"
				if _, err := os.Lstat(filepath.Join(disk.partOn(part), filepath.FromSlash(rel))); owner != part && err == nil {
					t.Fatalf("%s's session %s is in %s's part on %s's disk", owner.name, id, part.name, disk.name)
				}
			}
		}
	}
}

// waitListed waits until reader's sess-manage sync lists other by its id
// and name.
func (p partsOf) waitListed(t *testing.T, reader, other *machine) {
	t.Helper()
	what := fmt.Sprintf("%s's sess-manage sync to list %s (%s) among the others", reader.name, other.name, other.id)
	syncthingtest.WaitFor(t, replicated, what, func() bool {
		p.checkOwners(t)
		for _, o := range reader.sync(t).Others {
			if o.ID == other.id && o.Name == other.name {
				return true
			}
		}
		return false
	})
}

// waitDelivered waits until to's copy of from's part holds the files rels
// as from published them.
func (p partsOf) waitDelivered(t *testing.T, from, to *machine, rels ...string) {
	t.Helper()
	what := fmt.Sprintf("%s's copy of %s's part to hold %s as %s published them", to.name, from.name, strings.Join(rels, ", "), from.name)
	syncthingtest.WaitFor(t, replicated, what, func() bool {
		p.checkOwners(t)
		for _, rel := range rels {
			want, err := os.ReadFile(filepath.Join(from.partOn(from), filepath.FromSlash(rel)))
			if err != nil {
				t.Fatalf("%s did not publish %s: %v", from.name, rel, err)
			}
			have, err := os.ReadFile(filepath.Join(to.partOn(from), filepath.FromSlash(rel)))
			if err != nil || !bytes.Equal(want, have) {
				return false
			}
		}
		return true
	})
}

// waitMirrored waits until each machine's part is the same, file for
// file, on both disks: nothing is left on the way.
func (p partsOf) waitMirrored(t *testing.T) {
	t.Helper()
	for _, owner := range []*machine{p.a, p.b} {
		last := ""
		syncthingtest.WaitFor(t, replicated, owner.name+"'s part to be the same on both disks (the last difference is logged)", func() bool {
			p.checkOwners(t)
			diff := diffFiles(files(t, p.a.partOn(owner)), files(t, p.b.partOn(owner)))
			if diff != last && diff != "" {
				t.Logf("%s's part on %s's disk, against %s's: %s", owner.name, p.b.name, p.a.name, diff)
			}
			last = diff
			return diff == ""
		})
	}
}

// checkPublishedOnly checks that m's part on its own disk holds its
// manifest and its store's journal files as they are, and nothing else.
func (m *machine) checkPublishedOnly(t *testing.T) {
	t.Helper()
	journal, err := store.Open(m.store, store.Options{ReadOnly: true}).View().JournalFiles()
	if err != nil {
		t.Fatal(err)
	}
	have := files(t, m.partOn(m))
	want := map[string]string{"manifest.json": have["manifest.json"]}
	for _, f := range journal {
		data, err := os.ReadFile(f.Path)
		if err != nil {
			t.Fatal(err)
		}
		want[f.Rel] = string(data)
	}
	if diff := diffFiles(want, have); diff != "" {
		t.Errorf("%s's part is not its store's journal and manifest: %s", m.name, diff)
	}
}

// checkMachines checks that disk's copy of the shared folder holds the
// two machines' parts and nothing else beside them, and nothing of
// Syncthing's left on the way (a temporary file, a conflict copy).
func checkMachines(t *testing.T, disk *machine, ms ...*machine) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(disk.shared, "machines"))
	if err != nil {
		t.Fatal(err)
	}
	var have, want []string
	for _, e := range entries {
		have = append(have, e.Name())
	}
	for _, m := range ms {
		want = append(want, m.id)
	}
	sort.Strings(want)
	if fmt.Sprint(want) != fmt.Sprint(have) {
		t.Errorf("%s's machines folder holds %v, want the parts %v", disk.name, have, want)
	}
	for rel := range files(t, disk.shared) {
		if name := filepath.Base(rel); strings.HasPrefix(name, ".syncthing.") || strings.Contains(name, ".sync-conflict-") {
			t.Errorf("%s's shared folder keeps %s after Syncthing finished", disk.name, rel)
		}
	}
}

// checkManifest checks that owner's manifest on disk names owner.
func checkManifest(t *testing.T, disk, owner *machine) {
	t.Helper()
	var m replica.Manifest
	data, err := os.ReadFile(filepath.Join(disk.partOn(owner), "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	decode(t, data, &m)
	if m.MachineID != owner.id || m.Name != owner.name {
		t.Errorf("%s's manifest on %s's disk names %s (%s), want %s (%s)", owner.name, disk.name, m.Name, m.MachineID, owner.name, owner.id)
	}
}

// files are the regular files under dir, by slash-separated path, with
// their content; .stfolder, Syncthing's marker, is a folder and has none.
func files(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(data)
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatalf("list %s: %v", dir, err)
	}
	return out
}

// diffFiles says which files differ between want and have, "" when none.
func diffFiles(want, have map[string]string) string {
	var diffs []string
	for rel, w := range want {
		if h, ok := have[rel]; !ok {
			diffs = append(diffs, "missing "+rel)
		} else if h != w {
			diffs = append(diffs, "changed "+rel)
		}
	}
	for rel := range have {
		if _, ok := want[rel]; !ok {
			diffs = append(diffs, "extra "+rel)
		}
	}
	sort.Strings(diffs)
	return strings.Join(diffs, ", ")
}

// buildSessManage builds sess-manage into the test's temp folder, to be
// run as a user runs it.
func buildSessManage(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build sess-manage with")
	}
	dir := t.TempDir()
	// sess-hook and sess-serve beside it, as go install puts them.
	build := exec.Command(goBin, "build", "-o", dir, "./cmd/sess-manage", "./cmd/sess-hook", "./cmd/sess-serve")
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/sess-manage ./cmd/sess-hook ./cmd/sess-serve: %v\n%s", err, out)
	}
	return filepath.Join(dir, "sess-manage")
}

func decode(t *testing.T, data []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("decode %s: %v", data, err)
	}
}
