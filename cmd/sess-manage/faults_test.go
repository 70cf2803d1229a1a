package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// The fault tests run every state command against a store where the disk
// fills up, or where the process is killed at a system call, and check what
// the next command finds: files, index and project state agree, and the
// command's change is there if and only if the command said it succeeded.

// faultStore is a store to run one command against: sessions made three days
// ago, so that the active ones are stale and the completed ones old.
type faultStore struct {
	active, parked, completed string // one session of each, project web
}

func makeFaultStore(t *testing.T, dir string) faultStore {
	t.Helper()
	past := time.Now().Add(-72 * time.Hour)
	st := store.Open(dir, store.Options{Now: func() time.Time { return past }})
	var fs faultStore
	for i, spec := range []struct {
		project string
		status  session.Status
	}{
		{"web", session.StatusActive}, {"web", session.StatusActive}, {"web", session.StatusParked}, {"web", session.StatusParked},
		{"web", session.StatusCompleted}, {"web", session.StatusCompleted}, {"api", session.StatusActive}, {"api", session.StatusCompleted},
	} {
		sess, err := st.CreateSession(store.NewSession{Project: spec.project, Intent: fmt.Sprintf("work %d", i)})
		if err != nil {
			t.Fatal(err)
		}
		id := sess.SessionID
		if _, err := st.AddEvent(id, "started"); err != nil {
			t.Fatal(err)
		}
		switch spec.status {
		case session.StatusParked:
			_, err = st.ParkSession(id, "later", []string{"next"})
		case session.StatusCompleted:
			_, err = st.CompleteSession(id, store.Completion{Outcome: "done"})
		}
		if err != nil {
			t.Fatal(err)
		}
		if spec.project == "web" {
			switch spec.status {
			case session.StatusActive:
				fs.active = id
			case session.StatusParked:
				fs.parked = id
			case session.StatusCompleted:
				fs.completed = id
			}
		}
	}
	return fs
}

// faultCommands are the state commands and batches under test.
func faultCommands(fs faultStore) [][]string {
	return [][]string{
		{"create-session", "--project", "web", "--intent", "new work"},
		{"add-event", fs.active, "--message", "an event"},
		{"add-commit", fs.active, "--sha", "abc1234", "--message", "a commit"},
		{"add-decision", fs.active, "--decision", "a decision"},
		{"add-tasks", fs.active, "--subjects", "one", "two"},
		{"update-session", fs.active, "--current-activity", "busy"},
		{"request-action", fs.active},
		{"heartbeat", fs.active},
		{"heartbeat-project", "web"},
		{"park-session", fs.active, "--reason", "lunch"},
		{"complete-session", fs.active, "--outcome", "finished"},
		{"resume-session", fs.parked},
		{"archive", "--session-id", fs.completed},
		{"archive", "--days", "1"},
		{"cleanup-stale"},
		{"register-launch", "--claude-session-id", "c-1", "--project", "web"},
		{"update-project-state", "web", "--current-phase", "beta"},
	}
}

// storeSnapshot is every session file of the store (live and archived) and the
// project states' roadmap fields, by name.
func storeSnapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	snap := make(map[string]string)
	for _, pattern := range []string{"sessions/sess_*.json", "sessions/archive/sess_*.json"} {
		paths, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(dir, p)
			snap[rel] = string(data)
		}
	}
	paths, _ := filepath.Glob(filepath.Join(dir, "projects", "*.json"))
	for _, p := range paths {
		var ps session.ProjectState
		data, _ := os.ReadFile(p)
		json.Unmarshal(data, &ps)
		snap[filepath.Base(p)] = ps.CurrentPhase
	}
	return snap
}

// checkAgree asserts that the index, the project states and a rebuilt index
// agree with the session files, besides checkStore's invariants.
func checkAgree(t *testing.T, dir string) {
	t.Helper()
	ids := checkStore(t, dir)
	// The total is of the sessions not archived, as the original counts
	// them, but archive --session-id leaves the project's state as it was:
	// it may still count the archived ones, never fewer than the live ones.
	type counts struct{ active, parked, total, archived int }
	want := make(map[string]*counts)
	of := func(slug string) *counts {
		if want[slug] == nil {
			want[slug] = &counts{}
		}
		return want[slug]
	}
	archived, _ := filepath.Glob(filepath.Join(dir, "sessions", "archive", "sess_*.json"))
	for _, p := range archived {
		data, _ := os.ReadFile(p)
		if sess, err := store.DecodeSession(data); err == nil {
			of(sess.ProjectSlug).archived++
		}
	}
	for _, id := range ids {
		data, _ := os.ReadFile(filepath.Join(dir, "sessions", id+".json"))
		sess, err := store.DecodeSession(data)
		if err != nil {
			continue
		}
		c := of(sess.ProjectSlug)
		c.total++
		switch sess.Status {
		case session.StatusActive:
			c.active++
		case session.StatusParked:
			c.parked++
		}
	}
	for slug, c := range want {
		var ps session.ProjectState
		data, err := os.ReadFile(filepath.Join(dir, "projects", slug+".json"))
		if err != nil {
			t.Errorf("project %s: %v", slug, err)
			continue
		}
		json.Unmarshal(data, &ps)
		if ps.ActiveSessions != c.active || ps.ParkedSessions != c.parked || ps.TotalSessions < c.total || ps.TotalSessions > c.total+c.archived {
			t.Errorf("project state of %s counts %d/%d/%d (active/parked/total); the files %d/%d/%d, and %d archived",
				slug, ps.ActiveSessions, ps.ParkedSessions, ps.TotalSessions, c.active, c.parked, c.total, c.archived)
		}
	}
	index := filepath.Join(dir, "sessions", "_index.json")
	before, _ := os.ReadFile(index)
	mustRun(t, dir, "rebuild-index")
	after, _ := os.ReadFile(index)
	var b, a map[string]session.IndexEntry
	json.Unmarshal(before, &b)
	json.Unmarshal(after, &a)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("rebuild-index changed the index:\n%s\n---\n%s", before, after)
	}
}

// mountTmpfs mounts a tmpfs of size bytes, or skips the test where that is
// not allowed.
func mountTmpfs(t *testing.T, size int) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("skipping: mounting a small tmpfs to fill needs root (CI runs as root)")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d,mode=0700", size), "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("skipping: cannot mount a tmpfs here: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

// fill takes all free space of the file system at dir but leave bytes.
func fill(t *testing.T, dir string, leave int64) {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	for {
		if _, err := f.Write(buf); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			break
		}
	}
	fi, _ := f.Stat()
	if err := f.Truncate(max(0, fi.Size()-leave)); err != nil {
		t.Fatal(err)
	}
}

// TestFullDisk runs every state command with the disk full, and with a
// page more free space each time until it succeeds twice; after the space
// is back, the next command finds the store whole, and the change there if
// and only if the command said it succeeded.
func TestFullDisk(t *testing.T) {
	mnt := mountTmpfs(t, 4<<20)
	base := t.TempDir()
	fs := makeFaultStore(t, base)
	for _, args := range faultCommands(fs) {
		t.Run(strings.Join(args[:1], " ")+fmt.Sprint(len(args)), func(t *testing.T) {
			oks, fails := 0, 0
			for pages := int64(0); oks < 2 && pages < 64; pages++ {
				dir := filepath.Join(mnt, "store")
				os.RemoveAll(dir)
				os.Remove(filepath.Join(mnt, "filler"))
				if out, err := exec.Command("cp", "-a", base, dir).CombinedOutput(); err != nil {
					t.Fatalf("copy: %v: %s", err, out)
				}
				before := storeSnapshot(t, dir)
				fill(t, mnt, pages*4096)
				out, err := sessManage(dir, args...).Output()
				os.Remove(filepath.Join(mnt, "filler"))
				var exit *exec.ExitError
				if err != nil && !errors.As(err, &exit) {
					t.Fatal(err)
				}
				mustRun(t, dir, "list-sessions", "--limit", "10000") // the next command, which repairs
				after := storeSnapshot(t, dir)
				changed := fmt.Sprint(before) != fmt.Sprint(after)
				switch {
				case err == nil && !changed:
					t.Errorf("%d pages free: exit 0, but no change is in the store: %s", pages, out)
				case err != nil && changed:
					t.Errorf("%d pages free: exit %d (%s), but the change is in the store", pages, exit.ExitCode(), bytes.TrimSpace(out))
				}
				if err == nil {
					oks++
				} else {
					fails++
				}
				checkAgree(t, dir)
				if t.Failed() {
					return
				}
			}
			if oks < 2 {
				t.Errorf("the command never succeeded")
			}
			t.Logf("failed with %d pages or less free, whole", fails-1)
		})
	}
}

// TestKillAtSyscall kills create, complete, resume, archive and cleanup at
// each of their renames, links, unlinks and syncs (strace fault injection),
// then checks that the next command finds the store whole, and a resumed
// session's successor there if the old one says "Resumed as".
func TestKillAtSyscall(t *testing.T) {
	strace := straceOrSkip(t)
	self, err := exec.LookPath("sess-manage")
	if err != nil {
		t.Fatal(err)
	}
	base := t.TempDir()
	fs := makeFaultStore(t, base)
	commands := [][]string{
		{"create-session", "--project", "web", "--intent", "new work"},
		{"complete-session", fs.active, "--outcome", "finished"},
		{"resume-session", fs.parked},
		{"archive", "--days", "1"},
		{"cleanup-stale"},
	}
	for _, args := range commands {
		t.Run(args[0], func(t *testing.T) {
			killAtEach(t, strace, base, func(dir string) *exec.Cmd {
				cmd := exec.Command(self, append([]string{"--dashboard-dir", dir}, args...)...)
				cmd.Env = append(os.Environ(), "SESS_DASHBOARD_DIR=")
				return cmd
			}, checkResumed)
		})
	}
}

// straceOrSkip is strace, or skips the test where it cannot inject faults.
func straceOrSkip(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("skipping: a few hundred processes under strace; run without -short")
	}
	strace, err := exec.LookPath("strace")
	if err != nil {
		t.Skip("skipping: strace is not installed (.ci/run installs it)")
	}
	if out, err := exec.Command(strace, "-f", "-qq", "-e", "inject=getpid:error=EPERM", "true").CombinedOutput(); err != nil {
		t.Skipf("skipping: strace cannot trace here: %v: %s", err, out)
	}
	return strace
}

// killAtEach runs the command cmd makes, on a copy of the store at base, and
// kills it (strace fault injection) at its first, second, … rename, link,
// unlink, fdatasync and fsync, until it gets past all of them; after each
// kill the next command must find the store whole (checkAgree) and check
// must hold.
func killAtEach(t *testing.T, strace, base string, cmd func(dir string) *exec.Cmd, check func(t *testing.T, dir string)) {
	for _, call := range []string{"rename", "link", "unlink", "fdatasync", "fsync"} {
		t.Run(call, func(t *testing.T) {
			for n := 1; n < 40; n++ {
				dir := filepath.Join(t.TempDir(), "store")
				if out, err := exec.Command("cp", "-a", base, dir).CombinedOutput(); err != nil {
					t.Fatalf("copy: %v: %s", err, out)
				}
				inject := fmt.Sprintf("inject=%s,%sat:signal=KILL:when=%d", call, call, n)
				if call == "fdatasync" || call == "fsync" {
					inject = fmt.Sprintf("inject=%s:signal=KILL:when=%d", call, n)
				}
				c := cmd(dir)
				traced := exec.Command(strace, append([]string{"-f", "-qq", "-o", "/dev/null", "-e", "trace=" + strings.TrimPrefix(strings.SplitN(inject, ":", 2)[0], "inject="), "-e", inject}, c.Args...)...)
				traced.Env, traced.Stdin = c.Env, c.Stdin
				out, err := traced.CombinedOutput()
				killed := err != nil
				mustRun(t, dir, "list-sessions", "--limit", "10000")
				checkAgree(t, dir)
				check(t, dir)
				if t.Failed() {
					t.Fatalf("after a kill at %s #%d: %s", call, n, out)
				}
				if !killed {
					t.Logf("killed at each of %d calls", n-1)
					return // the command got past every such call
				}
			}
		})
	}
}

// checkResumed asserts that every session completed as "Resumed as X" has X.
func checkResumed(t *testing.T, dir string) {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(dir, "sessions", "sess_*.json"))
	for _, p := range paths {
		data, _ := os.ReadFile(p)
		sess, err := store.DecodeSession(data)
		if err != nil {
			continue
		}
		if next, ok := strings.CutPrefix(session.Deref(sess.Outcome), "Resumed as "); ok {
			if _, err := os.Stat(filepath.Join(dir, "sessions", next+".json")); err != nil {
				t.Errorf("%s says resumed as %s, which is missing", sess.SessionID, next)
			}
		}
	}
}

// TestCleanupLocksRace: cleanup-locks, run over and over, never breaks a
// create that runs at the same time (it once removed a lock a creator was
// waiting on, and a third process then took a new lock of the same name).
func TestCleanupLocksRace(t *testing.T) {
	dir := t.TempDir()
	createID(t, dir, "web")
	done := make(chan struct{})
	cleaned := make(chan int)
	go func() {
		n := 0
		for {
			select {
			case <-done:
				cleaned <- n
				return
			default:
			}
			sessManage(dir, "cleanup-locks").Run()
			n++
		}
	}()
	errs := parallel(4, 40, func(p, i int) error {
		out, err := sessManage(dir, "create-session", "--project", "web", "--intent", "race").CombinedOutput()
		if err != nil {
			return fmt.Errorf("%v: %s", err, out)
		}
		return nil
	})
	close(done)
	t.Logf("cleanup-locks ran %d times beside 160 creates", <-cleaned)
	for _, err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if ids := checkStore(t, dir); len(ids) != 161 {
		t.Errorf("want 161 sessions, have %d", len(ids))
	}
}

// TestFullDiskRetry: a command that failed on a full disk, run again once
// there is space, records its change once: the same as one run on a disk
// with room.
func TestFullDiskRetry(t *testing.T) {
	mnt := mountTmpfs(t, 4<<20)
	base := t.TempDir()
	fs := makeFaultStore(t, base)
	for _, args := range [][]string{
		{"create-session", "--project", "web", "--intent", "new work"},
		{"add-event", fs.active, "--message", "an event"},
		{"add-commit", fs.active, "--sha", "abc1234", "--message", "a commit"},
		{"add-decision", fs.active, "--decision", "a decision"},
		{"add-tasks", fs.active, "--subjects", "one", "two"},
		{"resume-session", fs.parked},
	} {
		t.Run(args[0], func(t *testing.T) {
			dir := filepath.Join(mnt, "store")
			fresh := func() {
				os.RemoveAll(dir)
				os.Remove(filepath.Join(mnt, "filler"))
				if out, err := exec.Command("cp", "-a", base, dir).CombinedOutput(); err != nil {
					t.Fatalf("copy: %v: %s", err, out)
				}
			}
			fresh()
			mustRun(t, dir, args...)
			want := countRecords(t, dir)
			fresh()
			fill(t, mnt, 4096)
			if out, err := sessManage(dir, args...).Output(); err == nil {
				t.Fatalf("the command succeeded with a page free: %s", out)
			}
			os.Remove(filepath.Join(mnt, "filler"))
			mustRun(t, dir, args...)
			if have := countRecords(t, dir); have != want {
				t.Errorf("after a failure and a retry: %v; one run on a disk with room: %v", have, want)
			}
			checkAgree(t, dir)
		})
	}
}

// records counts what commands add: sessions, events, commits, decisions,
// tasks, and sessions by status.
type records struct{ sessions, events, commits, decisions, tasks, active, parked, completed int }

func countRecords(t *testing.T, dir string) records {
	t.Helper()
	var r records
	for _, pattern := range []string{"sessions/sess_*.json", "sessions/archive/sess_*.json"} {
		paths, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, p := range paths {
			data, _ := os.ReadFile(p)
			sess, err := store.DecodeSession(data)
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			r.sessions++
			r.events += len(sess.Events)
			r.commits += len(sess.Commits)
			r.decisions += len(sess.Decisions)
			r.tasks += len(sess.Tasks)
			switch sess.Status {
			case session.StatusActive:
				r.active++
			case session.StatusParked:
				r.parked++
			case session.StatusCompleted:
				r.completed++
			}
		}
	}
	return r
}
