package main

import (
	"bytes"
	"context"
	"github.com/sess-dev/sess/pkg/store/derived"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sess-dev/sess/pkg/session"
)

// runAt runs the hook in-process at the given time and fails the test on
// an error or any output.
func (f *fixture) runAt(t *testing.T, now time.Time) {
	t.Helper()
	h := &hook{getenv: func(k string) string {
		return map[string]string{"CLAUDE_PROJECT_DIR": f.project, "HOME": "/nonexistent"}[k]
	}, now: func() time.Time { return now }}
	var out, errb bytes.Buffer
	if err := h.run(context.Background(), []string{"--dashboard-dir", f.dir}, strings.NewReader("{}"), &out, &errb); err != nil {
		t.Fatalf("run: %v", err)
	}
	if out.Len() != 0 || errb.Len() != 0 {
		t.Errorf("run printed: stdout %q, stderr %q", out.String(), errb.String())
	}
}

func (f *fixture) throttleMtime(t *testing.T) time.Time {
	t.Helper()
	fi, err := os.Stat(f.throttle())
	if err != nil {
		t.Fatal(err)
	}
	return fi.ModTime()
}

// TestFutureThrottleIsDue: after the clock went back, the throttle file's
// mtime is in the future. That must not stop the heartbeat until the clock
// catches up (cleanup would close the live session meanwhile): the run is
// due, and it sets the mtime to now so that the next run is throttled.
func TestFutureThrottleIsDue(t *testing.T) {
	t.Parallel()
	f := newFixture(t, time.Hour)
	s := f.create(t, "")
	now := time.Now()
	if err := touch(f.throttle(), now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	f.runAt(t, now)
	refreshed := f.get(t, s.SessionID).LastHeartbeat
	if refreshed == s.LastHeartbeat {
		t.Fatalf("heartbeat not refreshed: still %s", refreshed)
	}
	if want, have := session.FormatTime(now), refreshed; want != have {
		t.Errorf("last_heartbeat: want %s, have %s", want, have)
	}
	if m := f.throttleMtime(t); m.After(now) {
		t.Errorf("throttle mtime: want at most %v, have %v", now, m)
	}
	// The next run, a minute later, is throttled again.
	f.runAt(t, now.Add(time.Minute))
	if want, have := refreshed, f.get(t, s.SessionID).LastHeartbeat; want != have {
		t.Errorf("a run a minute after the refresh must be throttled: want %s, have %s", want, have)
	}
}

// TestThrottledInProcess: a throttle file touched a minute ago skips the
// run, leaving the session and the throttle file as they were.
func TestThrottledInProcess(t *testing.T) {
	t.Parallel()
	f := newFixture(t, time.Hour)
	s := f.create(t, "")
	now := time.Now()
	if err := touch(f.throttle(), now.Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(f.dir, "sessions", s.SessionID+".json")
	before, _ := os.ReadFile(path)
	mtime := f.throttleMtime(t)
	f.runAt(t, now)
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("a throttled run wrote the session")
	}
	if m := f.throttleMtime(t); !m.Equal(mtime) {
		t.Errorf("a throttled run touched the throttle file: %v, was %v", m, mtime)
	}
}

func TestThrottledAge(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, ".throttle", "web")
	mtime := time.Date(2026, 2, 10, 14, 30, 0, 0, time.UTC)
	if err := touch(path, mtime); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		now  time.Time
		want bool
	}{
		{"just touched", mtime, true},
		{"within the interval", mtime.Add(15*time.Minute - time.Second), true},
		{"interval passed", mtime.Add(15 * time.Minute), false},
		{"mtime in the future", mtime.Add(-time.Second), false},
		{"mtime far in the future", mtime.Add(-24 * time.Hour), false},
	} {
		if want, have := tc.want, throttledAt(dir, tc.now); want != have {
			t.Errorf("%s: want %v, have %v", tc.name, want, have)
		}
	}
	if throttledAt(t.TempDir(), mtime) {
		t.Error("a missing throttle file must be due")
	}
}

// throttledAt is whether the project web of the store in dir is throttled
// at now (derived.Files.HeartbeatThrottled).
func throttledAt(dir string, now time.Time) bool {
	return derived.New(dir, func() time.Time { return now }, nil).HeartbeatThrottled("web", DefaultInterval)
}

// touch sets the mtime of a throttle file, making it if needed.
func touch(path string, mtime time.Time) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		return err
	}
	return os.Chtimes(path, mtime, mtime)
}
