package main

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// sessManage runs the real sess-manage (this test binary under that name,
// put on $PATH by TestMain) against dir.
func sessManage(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command("sess-manage", append([]string{"--dashboard-dir", dir}, args...)...)
	cmd.Env = append(os.Environ(), "SESS_DASHBOARD_DIR=")
	return cmd
}

func mustRun(t *testing.T, dir string, args ...string) []byte {
	t.Helper()
	out, err := sessManage(dir, args...).Output()
	if err != nil {
		t.Fatalf("sess-manage %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func createID(t *testing.T, dir, project string) string {
	t.Helper()
	var s struct {
		SessionID string `json:"session_id"`
	}
	if err := json.Unmarshal(mustRun(t, dir, "create-session", "--project", project, "--intent", "work"), &s); err != nil {
		t.Fatal(err)
	}
	return s.SessionID
}

// parallel runs procs workers, each calling fn n times.
func parallel(procs, n int, fn func(p, i int) error) []error {
	var wg sync.WaitGroup
	errs := make([]error, procs)
	for p := 0; p < procs; p++ {
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			for i := 0; i < n; i++ {
				if err := fn(p, i); err != nil && errs[p] == nil {
					errs[p] = err
				}
			}
		}(p)
	}
	wg.Wait()
	return errs
}

func TestNoLostUpdate(t *testing.T) {
	dir := t.TempDir()
	id := createID(t, dir, "web")
	const procs, each = 16, 50
	errs := parallel(procs, each, func(p, i int) error {
		out, err := sessManage(dir, "add-event", id, "--message", fmt.Sprintf("p%d-%d", p, i)).CombinedOutput()
		if err != nil {
			return fmt.Errorf("%v: %s", err, out)
		}
		return nil
	})
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var sess session.Session
	json.Unmarshal(mustRun(t, dir, "get-session", id), &sess)
	if want, have := procs*each, len(sess.Events); want != have {
		t.Fatalf("want %d events, have %d", want, have)
	}
	seen := map[string]bool{}
	for _, e := range sess.Events {
		seen[e.Message] = true
	}
	if len(seen) != procs*each {
		t.Errorf("want %d distinct events, have %d", procs*each, len(seen))
	}
	checkStore(t, dir)
}

func TestConcurrentCreate(t *testing.T) {
	dir := t.TempDir()
	const procs, each = 8, 50
	var mu sync.Mutex
	ids := map[string]bool{}
	errs := parallel(procs, each, func(p, i int) error {
		out, err := sessManage(dir, "create-session", "--project", fmt.Sprintf("p%d", p%3), "--intent", fmt.Sprintf("s%d-%d", p, i)).Output()
		if err != nil {
			return fmt.Errorf("%v: %s", err, out)
		}
		var s struct {
			SessionID string `json:"session_id"`
		}
		if err := json.Unmarshal(out, &s); err != nil {
			return err
		}
		mu.Lock()
		ids[s.SessionID] = true
		mu.Unlock()
		return nil
	})
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if want, have := procs*each, len(ids); want != have {
		t.Fatalf("want %d distinct sessions, have %d", want, have)
	}
	files := checkStore(t, dir)
	if len(files) != procs*each {
		t.Errorf("want %d session files, have %d", procs*each, len(files))
	}
	// Project states count every session.
	total := 0
	for p := 0; p < 3; p++ {
		var ps session.ProjectState
		json.Unmarshal(mustRun(t, dir, "project-state", fmt.Sprintf("p%d", p)), &ps)
		total += ps.TotalSessions
	}
	if total != procs*each {
		t.Errorf("project states count %d sessions, want %d", total, procs*each)
	}
}

// checkStore asserts the store's invariants: every file parses, no temp
// file or pending marker is left, and the index equals the session files.
// It returns the session ids.
func checkStore(t *testing.T, dir string) []string {
	t.Helper()
	var ids []string
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		name := fi.Name()
		switch {
		case fi.IsDir():
		case strings.Contains(p, string(filepath.Separator)+".throttle"+string(filepath.Separator)):
			// Throttle marks and conversation pointers only save time; a
			// killed writer's temp file there goes with the week-old ones
			// (sess-cleanup).
		case strings.HasSuffix(name, ".tmp") || strings.HasPrefix(name, ".pending."):
			t.Errorf("stray file %s", p)
		case strings.HasSuffix(name, ".json"):
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if !json.Valid(data) {
				t.Errorf("%s does not parse", p)
			}
			if filepath.Base(filepath.Dir(p)) == "sessions" && strings.HasPrefix(name, "sess_") {
				if _, err := store.DecodeSession(data); err != nil {
					t.Errorf("%s: %v", p, err)
				}
				ids = append(ids, strings.TrimSuffix(name, ".json"))
			}
		case strings.HasSuffix(name, ".lock"):
		default:
			t.Errorf("unexpected file %s", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var idx map[string]session.IndexEntry
	data, err := os.ReadFile(filepath.Join(dir, "sessions", "_index.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &idx); err != nil {
		t.Fatalf("index: %v", err)
	}
	var keys []string
	for k := range idx {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	sort.Strings(ids)
	if strings.Join(keys, ",") != strings.Join(ids, ",") {
		t.Errorf("index (%d entries) differs from the files (%d)", len(keys), len(ids))
	}
	for _, id := range ids {
		data, _ := os.ReadFile(filepath.Join(dir, "sessions", id+".json"))
		s, err := store.DecodeSession(data)
		if err != nil {
			continue
		}
		e := idx[id]
		if e.Status != s.Status || e.LastHeartbeat != s.LastHeartbeat || e.Intent != s.Intent || session.Deref(e.EndedAt) != session.Deref(s.EndedAt) {
			t.Errorf("index entry of %s differs from its file: %+v vs %s %s", id, e, s.Status, s.LastHeartbeat)
		}
	}
	return ids
}

// TestCrashSafety kills writer processes at random moments, then checks
// that the next command finds a whole store: every file parses, nothing
// stray is left, and the index equals the files.
func TestCrashSafety(t *testing.T) {
	dir := t.TempDir()
	base := []string{createID(t, dir, "web"), createID(t, dir, "api")}
	mustRun(t, dir, "park-session", base[1], "--reason", "r")
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	deadline := time.Now().Add(4 * time.Second)
	if testing.Short() {
		deadline = time.Now().Add(time.Second)
	}
	killed := 0
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(seed int64) {
			defer wg.Done()
			r := rand.New(rand.NewSource(seed))
			for time.Now().Before(deadline) {
				var args []string
				switch r.Intn(6) {
				case 0:
					args = []string{"create-session", "--project", "web", "--intent", "crash"}
				case 1, 2:
					args = []string{"add-event", base[0], "--message", "e"}
				case 3:
					args = []string{"add-tasks", base[0], "--subjects", fmt.Sprint(r.Int())}
				case 4:
					args = []string{"update-project-state", "web", "--current-phase", "p"}
				case 5:
					args = []string{"heartbeat-project", "web"}
				}
				cmd := sessManage(dir, args...)
				if err := cmd.Start(); err != nil {
					t.Error(err)
					return
				}
				time.Sleep(time.Duration(r.Intn(20000)) * time.Microsecond) // the moment of the kill, not a wait for an outcome
				cmd.Process.Signal(syscall.SIGKILL)
				if err := cmd.Wait(); err != nil {
					mu.Lock()
					killed++
					mu.Unlock()
				}
			}
		}(rng.Int63())
	}
	wg.Wait()
	// The next command on the store mends what the killed ones left.
	pending, _ := filepath.Glob(filepath.Join(dir, ".pending.*"))
	temps, _ := filepath.Glob(filepath.Join(dir, "*", "*.tmp"))
	list := sessManage(dir, "list-sessions", "--limit", "10000")
	var stderr strings.Builder
	list.Stderr = &stderr
	if out, err := list.Output(); err != nil {
		t.Fatalf("list after the kills: %v\n%s", err, out)
	}
	t.Logf("%d kills left %d pending markers and %d temp files; the next listing said:\n%s", killed, len(pending), len(temps), stderr.String())
	checkStore(t, dir)
	var sess session.Session
	json.Unmarshal(mustRun(t, dir, "get-session", base[0]), &sess)
	if sess.SessionID != base[0] {
		t.Error("a session was lost")
	}
}
