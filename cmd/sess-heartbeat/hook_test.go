package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// TestMain makes this test binary double as sess-heartbeat on $PATH, so the
// tests run the real command as a process of its own.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"sess-heartbeat": main})
}

type fixture struct {
	dir     string
	st      *store.Store
	project string // the project folder; its slug is "web"
}

func newFixture(t *testing.T, age time.Duration) *fixture {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "dashboard")
	past := time.Now().Add(-age)
	f := &fixture{dir: dir, project: filepath.Join(t.TempDir(), "web")}
	f.st = store.Open(dir, store.Options{Now: func() time.Time { return past }})
	return f
}

func (f *fixture) create(t *testing.T, claudeID string) *session.Session {
	t.Helper()
	p := store.NewSession{Project: "web", Intent: "work"}
	if claudeID != "" {
		p.ClaudeSessionID = &claudeID
	}
	s, err := f.st.CreateSession(p)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (f *fixture) get(t *testing.T, id string) *session.Session {
	t.Helper()
	s, err := store.Open(f.dir, store.Options{}).View().Session(id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// hookRun runs the real sess-heartbeat as Claude Code would.
func (f *fixture) hookRun(t *testing.T, stdin string, env ...string) (stderr string) {
	t.Helper()
	cmd := exec.Command("sess-heartbeat", "--dashboard-dir", f.dir)
	cmd.Env = append(os.Environ(), "SESS_DASHBOARD_DIR=", "CLAUDE_PROJECT_DIR="+f.project)
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdin = strings.NewReader(stdin)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("sess-heartbeat must exit 0, have %v: %s", err, errb.String())
	}
	if len(out) != 0 {
		t.Errorf("sess-heartbeat printed on stdout: %q", out)
	}
	return errb.String()
}

func (f *fixture) throttle() string { return filepath.Join(f.dir, ".throttle", "web") }

func TestThrottled(t *testing.T) {
	f := newFixture(t, time.Hour)
	s := f.create(t, "")
	if err := touch(f.throttle(), time.Now().Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(f.dir, "sessions", s.SessionID+".json"))
	fi, _ := os.Stat(f.throttle())
	if stderr := f.hookRun(t, `{"session_id": "x"}`); stderr != "" {
		t.Errorf("stderr: %s", stderr)
	}
	after, _ := os.ReadFile(filepath.Join(f.dir, "sessions", s.SessionID+".json"))
	if !bytes.Equal(before, after) {
		t.Error("a throttled run wrote the session")
	}
	if fi2, _ := os.Stat(f.throttle()); !fi2.ModTime().Equal(fi.ModTime()) {
		t.Error("a throttled run touched the throttle file")
	}
}

func TestDue(t *testing.T) {
	f := newFixture(t, time.Hour)
	s := f.create(t, "")
	touch(f.throttle(), time.Now().Add(-16*time.Minute))
	start := time.Now()
	if stderr := f.hookRun(t, ``); stderr != "" {
		t.Errorf("stderr: %s", stderr)
	}
	hb, _ := session.ParseTime(f.get(t, s.SessionID).LastHeartbeat)
	if hb.Before(start.Add(-time.Second)) {
		t.Errorf("heartbeat not refreshed: %v", hb)
	}
	if fi, _ := os.Stat(f.throttle()); fi.ModTime().Before(start.Add(-time.Second)) {
		t.Error("the throttle file was not touched")
	}
	// --interval: a longer one throttles this run.
	again := f.get(t, s.SessionID).LastHeartbeat
	cmd := exec.Command("sess-heartbeat", "--dashboard-dir", f.dir, "--interval", "1h")
	cmd.Env = append(os.Environ(), "CLAUDE_PROJECT_DIR="+f.project)
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	if f.get(t, s.SessionID).LastHeartbeat != again {
		t.Error("--interval 1h must throttle a run a moment after the last")
	}
}

func TestHookSessionID(t *testing.T) {
	f := newFixture(t, time.Hour)
	mine := f.create(t, "claude-abc")
	newer := f.create(t, "claude-other") // the project's most recent: must be left alone
	f.hookRun(t, `{"session_id": "claude-abc", "cwd": "/elsewhere", "hook_event_name": "Stop", "stop_hook_active": false}`)
	if f.get(t, mine.SessionID).LastHeartbeat == mine.LastHeartbeat {
		t.Error("the hook's own session was not heartbeated")
	}
	if f.get(t, newer.SessionID).LastHeartbeat != newer.LastHeartbeat {
		t.Error("another active session of the project was heartbeated")
	}
}

func TestBadInputAndStores(t *testing.T) {
	// Garbage, empty or wrongly typed stdin: still exit 0, and the project's
	// newest active session is heartbeated.
	for _, stdin := range []string{"", "garbage{", `{"session_id": 5}`, "\x00\xff", strings.Repeat("x", 3<<20)} {
		f := newFixture(t, time.Hour)
		s := f.create(t, "")
		f.hookRun(t, stdin)
		if f.get(t, s.SessionID).LastHeartbeat == s.LastHeartbeat {
			t.Errorf("stdin %.20q: not heartbeated", stdin)
		}
	}
	// No CLAUDE_PROJECT_DIR: the project comes from the hook's cwd.
	f := newFixture(t, time.Hour)
	s := f.create(t, "")
	f.hookRun(t, `{"cwd": "/home/u/Web"}`, "CLAUDE_PROJECT_DIR=")
	if f.get(t, s.SessionID).LastHeartbeat == s.LastHeartbeat {
		t.Error("the hook's cwd was not used")
	}

	// A missing store: one line, exit 0, nothing created.
	missing := newFixture(t, 0)
	if stderr := missing.hookRun(t, "{}"); strings.Count(stderr, "\n") != 1 {
		t.Errorf("missing store: want one stderr line, have %q", stderr)
	}
	if _, err := os.Stat(missing.dir); !os.IsNotExist(err) {
		t.Error("a hook run must not create a store")
	}
}

// TestReadOnlyStore: a store the hook can read but not write still exits 0,
// with one line on stderr.
func TestReadOnlyStore(t *testing.T) {
	f := newFixture(t, time.Hour)
	f.create(t, "")
	readOnly := func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if fi.IsDir() {
			return os.Chmod(p, 0o555)
		}
		return os.Chmod(p, 0o444)
	}
	if err := filepath.Walk(f.dir, readOnly); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		filepath.Walk(f.dir, func(p string, fi os.FileInfo, err error) error {
			if err == nil && fi.IsDir() {
				os.Chmod(p, 0o700)
			}
			return nil
		})
	})
	bin, err := exec.LookPath("sess-heartbeat")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--dashboard-dir", f.dir)
	cmd.Env = append(os.Environ(), "CLAUDE_PROJECT_DIR="+f.project)
	if os.Getuid() == 0 {
		// Root ignores permission bits: run the hook as nobody, who may
		// reach the binary and the store but write neither.
		for _, p := range []string{filepath.Dir(bin), filepath.Dir(filepath.Dir(bin)), filepath.Dir(f.dir), filepath.Dir(filepath.Dir(f.dir))} {
			os.Chmod(p, 0o755)
		}
		os.Chmod(bin, 0o755)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		// Nobody cannot write go test -cover's folder either: this child
		// writes its coverage into one of its own.
		if os.Getenv("GOCOVERDIR") != "" {
			cover := t.TempDir()
			os.Chmod(cover, 0o777)
			cmd.Env = append(cmd.Env, "GOCOVERDIR="+cover)
		}
	}
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("want exit 0, have %v (%s)", err, errb.String())
	}
	if !strings.HasPrefix(errb.String(), "sess-heartbeat: ") || strings.Count(errb.String(), "\n") != 1 {
		t.Errorf("want one line on stderr, have %q", errb.String())
	}
}

// TestOpenPipe: a stdin pipe that is never closed does not hold the hook.
func TestOpenPipe(t *testing.T) {
	f := newFixture(t, time.Hour)
	f.create(t, "")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	cmd := exec.Command("sess-heartbeat", "--dashboard-dir", f.dir)
	cmd.Env = append(os.Environ(), "CLAUDE_PROJECT_DIR="+f.project)
	cmd.Stdin = r
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
}

// TestInProcess runs the hook's run with buffers, as the other binaries'
// tests do: usage errors, too, are one line and no failure.
func TestInProcess(t *testing.T) {
	f := newFixture(t, time.Hour)
	f.create(t, "")
	h := &hook{getenv: func(k string) string {
		return map[string]string{"CLAUDE_PROJECT_DIR": f.project, "HOME": "/nonexistent"}[k]
	}, now: time.Now}
	var out, errb bytes.Buffer
	if err := h.run(context.Background(), []string{"--bogus"}, strings.NewReader(""), &out, &errb); err == nil {
		t.Error("an unknown flag must be reported")
	}
	if err := h.run(context.Background(), []string{"--dashboard-dir", f.dir}, strings.NewReader("{}"), &out, &errb); err != nil {
		t.Errorf("due run: %v", err)
	}
}

// TestDependencies keeps the throttled path's binary lean: no network,
// templates or regular expressions linked into sess-heartbeat.
func TestDependencies(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	deps := map[string]bool{}
	for _, d := range strings.Fields(string(out)) {
		deps[d] = true
	}
	for _, bad := range []string{"net", "net/http", "html/template", "text/template", "regexp", "crypto/tls", "github.com/peterbourgon/ff/v3", "os/exec", "github.com/klauspost/compress/zstd"} {
		if deps[bad] {
			t.Errorf("sess-heartbeat links %s", bad)
		}
	}
}

// TestHelpAndVersion: -h and --help print the usage on stdout, --version
// the version, and a bad flag is one line; all exit 0 and touch no store.
func TestHelpAndVersion(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "dashboard")
	h := &hook{getenv: func(k string) string { return map[string]string{"SESS_DASHBOARD_DIR": dir}[k] }, now: time.Now}
	for _, tc := range []struct {
		args       []string
		wantStdout string
		wantErr    string
	}{
		{[]string{"-h"}, "  --interval DURATION", ""},
		{[]string{"--help"}, "USAGE\n  sess-heartbeat [--interval 15m] [--dashboard-dir DIR]\n", ""},
		{[]string{"--version"}, `"version": "`, ""},
		{[]string{"--interval", "abc"}, "", `invalid value "abc" for --interval: want a duration`},
		{[]string{"-interval=-"}, "", `for --interval`},
		{[]string{"--bogus"}, "", "unknown flag --bogus"},
	} {
		var out, errb bytes.Buffer
		err := h.run(context.Background(), tc.args, strings.NewReader("{}"), &out, &errb)
		if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr) || strings.Contains(err.Error(), "\n")) {
			t.Errorf("%q: want error %q, have %v", tc.args, tc.wantErr, err)
		}
		if !strings.Contains(out.String(), tc.wantStdout) || tc.wantStdout == "" && out.Len() != 0 || errb.Len() != 0 {
			t.Errorf("%q: stdout %q, stderr %q", tc.args, out.String(), errb.String())
		}
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Error("help and version must not touch the store")
	}
	// As Claude Code runs it: exit 0.
	for _, arg := range []string{"-h", "--help", "--version", "--interval=abc"} {
		if err := exec.Command("sess-heartbeat", arg).Run(); err != nil {
			t.Errorf("sess-heartbeat %s: %v", arg, err)
		}
	}
}

// TestOnlyItsOwnSession: a conversation whose session is completed
// refreshes no other window's session; one with no session at all refreshes
// the project's newest session that belongs to no conversation.
func TestOnlyItsOwnSession(t *testing.T) {
	f := newFixture(t, time.Hour)
	done := f.create(t, "claude-done")
	if _, err := f.st.CompleteSession(done.SessionID, store.Completion{Outcome: "ok"}); err != nil {
		t.Fatal(err)
	}
	unowned := f.create(t, "")
	other := f.create(t, "claude-other") // the project's newest, another window's
	f.hookRun(t, `{"session_id": "claude-done", "hook_event_name": "Stop"}`)
	for _, s := range []*session.Session{unowned, other} {
		if f.get(t, s.SessionID).LastHeartbeat != s.LastHeartbeat {
			t.Errorf("a completed conversation's Stop refreshed %s", s.SessionID)
		}
	}
	os.RemoveAll(filepath.Join(f.dir, ".throttle"))
	f.hookRun(t, `{"session_id": "claude-new", "hook_event_name": "Stop"}`)
	if f.get(t, other.SessionID).LastHeartbeat != other.LastHeartbeat {
		t.Error("a conversation without a session refreshed another window's")
	}
	if f.get(t, unowned.SessionID).LastHeartbeat == unowned.LastHeartbeat {
		t.Error("a conversation without a session refreshed nothing")
	}
}
