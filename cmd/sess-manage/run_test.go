package main

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// snapshot records every file of a store with its content and mtime.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	snap := map[string]string{}
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return nil // a folder's mtime moves with the lock markers; its entries are compared
		}
		data, _ := os.ReadFile(p)
		snap[p] = fi.ModTime().String() + "|" + string(data)
		return nil
	})
	return snap
}

func seedStore(t *testing.T) (dir, id, taskID string) {
	t.Helper()
	dir = t.TempDir()
	out, _, code := runInProcess(t, dir, "create-session", "--project", "web", "--intent", "seed")
	if code != 0 {
		t.Fatalf("create: %s", out)
	}
	var s struct {
		SessionID string `json:"session_id"`
	}
	json.Unmarshal([]byte(out), &s)
	out, _, _ = runInProcess(t, dir, "add-task", s.SessionID, "--subject", "t")
	var withTask struct {
		Tasks []struct{ ID string } `json:"tasks"`
	}
	json.Unmarshal([]byte(out), &withTask)
	return dir, s.SessionID, withTask.Tasks[0].ID
}

// TestBadInput: every bad input is a JSON error with its code and exit 1,
// and leaves every file of the store as it was.
func TestBadInput(t *testing.T) {
	t.Parallel()
	dir, id, _ := seedStore(t)
	long := func(n int) string { return strings.Repeat("x", n) }
	for _, tc := range []struct {
		name string
		args []string
		code string
	}{
		{"traversal id", []string{"add-event", "../../etc/passwd", "--message", "m"}, "VALIDATION_ERROR"},
		{"traversal id suffix", []string{"get-session", id + "/../../x"}, "VALIDATION_ERROR"},
		{"id with newline", []string{"add-event", id + "\n", "--message", "m"}, "VALIDATION_ERROR"},
		{"id with NUL", []string{"heartbeat", id + "\x00"}, "VALIDATION_ERROR"},
		{"unknown id", []string{"add-event", "sess_20200101T0000_abcd", "--message", "m"}, "NOT_FOUND"},
		{"empty intent", []string{"create-session", "--project", "web", "--intent", ""}, "VALIDATION_ERROR"},
		{"blank message", []string{"add-event", id, "--message", "  \t "}, "VALIDATION_ERROR"},
		{"overlong intent", []string{"create-session", "--project", "web", "--intent", long(501)}, "VALIDATION_ERROR"},
		{"overlong message", []string{"add-event", id, "--message", long(2001)}, "VALIDATION_ERROR"},
		{"overlong outcome", []string{"complete-session", id, "--outcome", long(1001)}, "VALIDATION_ERROR"},
		{"overlong subject", []string{"add-tasks", id, "--subjects", "ok", long(301)}, "VALIDATION_ERROR"},
		{"overlong next step", []string{"park-session", id, "--reason", "r", "--next-steps", long(501)}, "VALIDATION_ERROR"},
		{"NUL in message", []string{"add-event", id, "--message", "a\x00b"}, "VALIDATION_ERROR"},
		{"NUL in decision", []string{"add-decision", id, "--decision", "a\x00b"}, "VALIDATION_ERROR"},
		{"newline in intent", []string{"update-session", id, "--intent", "a\nb"}, "VALIDATION_ERROR"},
		{"newline in activity", []string{"update-session", id, "--current-activity", "a\nb"}, "VALIDATION_ERROR"},
		{"newline in task subject", []string{"add-task", id, "--subject", "a\nb"}, "VALIDATION_ERROR"},
		{"escape in message", []string{"add-event", id, "--message", "a\x1b[31mb"}, "VALIDATION_ERROR"},
		{"invalid utf-8", []string{"add-event", id, "--message", "a\xffb"}, "VALIDATION_ERROR"},
		{"bad slug", []string{"create-session", "--project", "Bad Slug", "--intent", "i"}, "VALIDATION_ERROR"},
		{"traversal slug", []string{"update-project-state", "../x", "--current-phase", "p"}, "VALIDATION_ERROR"},
		{"slug with newline", []string{"heartbeat-project", "web\n"}, "VALIDATION_ERROR"},
		{"bad branch", []string{"create-session", "--project", "web", "--intent", "i", "--git-branch", "-rf"}, "VALIDATION_ERROR"},
		{"branch with newline", []string{"create-session", "--project", "web", "--intent", "i", "--git-branch", "main\n"}, "VALIDATION_ERROR"},
		{"bad sha", []string{"add-commit", id, "--sha", "xyz", "--message", "m"}, "VALIDATION_ERROR"},
		{"sha with newline", []string{"add-commit", id, "--sha", "abcd123\n", "--message", "m"}, "VALIDATION_ERROR"},
		{"unknown task", []string{"update-task", id, "t00000000", "--status", "completed"}, "NOT_FOUND"},
		{"commits not JSON", []string{"complete-session", id, "--outcome", "o", "--commits", "not json"}, "VALIDATION_ERROR"},
		{"commits not a list", []string{"complete-session", id, "--outcome", "o", "--commits", `{"sha": "abcd"}`}, "VALIDATION_ERROR"},
		{"commit sha of wrong type", []string{"complete-session", id, "--outcome", "o", "--commits", `[{"sha": 1234, "message": "m"}]`}, "VALIDATION_ERROR"},
		{"commit without message", []string{"complete-session", id, "--outcome", "o", "--commits", `[{"sha": "abcd"}]`}, "VALIDATION_ERROR"},
		{"commit bad sha", []string{"complete-session", id, "--outcome", "o", "--commits", `[{"sha": "zz", "message": "m"}]`}, "VALIDATION_ERROR"},
		{"negative limit", []string{"list-sessions", "--limit", "-1"}, "VALIDATION_ERROR"},
		{"days 0 via flag", []string{"archive", "--days", "-1"}, "VALIDATION_ERROR"},
		{"days 0", []string{"archive", "--days", "0"}, "VALIDATION_ERROR"},
		{"days too big", []string{"archive", "--days", "3651"}, "VALIDATION_ERROR"},
		{"bad since", []string{"list-sessions", "--since", "yesterday"}, "VALIDATION_ERROR"},
		{"relative project path", []string{"register-project", "--name", "n", "--path", "rel/x"}, "VALIDATION_ERROR"},
		{"dotdot project path", []string{"register-project", "--name", "n", "--path", "/a/../etc"}, "VALIDATION_ERROR"},
		{"empty project name", []string{"register-project", "--name", " ", "--path", "/a/b"}, "VALIDATION_ERROR"},
		{"resume an active session", []string{"resume-session", id}, "CONFLICT"},
		{"archive an active session", []string{"archive", "--session-id", id}, "CONFLICT"},
	} {
		before := snapshot(t, dir)
		stdout, stderr, code := runInProcess(t, dir, tc.args...)
		if code != 1 {
			t.Errorf("%s: want exit 1, have %d\nstdout: %s\nstderr: %s", tc.name, code, stdout, stderr)
			continue
		}
		var e struct{ Error, Code string }
		if err := json.Unmarshal([]byte(stdout), &e); err != nil || e.Error == "" {
			t.Errorf("%s: stdout is not a JSON error: %q", tc.name, stdout)
		}
		if e.Code != tc.code {
			t.Errorf("%s: want code %s, have %s (%s)", tc.name, tc.code, e.Code, e.Error)
		}
		after := snapshot(t, dir)
		for p, v := range after {
			if before[p] != v {
				t.Errorf("%s: %s was written", tc.name, p)
			}
		}
		if len(after) != len(before) {
			t.Errorf("%s: %d files before, %d after", tc.name, len(before), len(after))
		}
	}
}

// TestUsage: bad command lines exit 2 with what is wrong on stderr and
// nothing on stdout; -h and --help print the usage on stdout and exit 0.
func TestUsage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, tc := range []struct {
		args       []string
		code       int
		wantStdout string // for help, else stdout must be empty
		wantStderr string
	}{
		{nil, 2, "", "USAGE"},
		{[]string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{[]string{"-h"}, 0, "COMMANDS", ""},
		{[]string{"--help"}, 0, "COMMANDS", ""},
		{[]string{"help"}, 0, "COMMANDS", ""},
		{[]string{"help", "add-event"}, 0, "sess-manage add-event <session-id> --message TEXT", ""},
		{[]string{"help", "frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{[]string{"-v"}, 0, `"version":`, ""},
		{[]string{"add-event", "-h"}, 0, "sess-manage add-event <session-id> --message TEXT", ""},
		{[]string{"add-event", "--help"}, 0, "sess-manage add-event <session-id> --message TEXT", ""},
		{[]string{"check-notify", "-h"}, 0, "  notify_ntfy_url         also push waits to this ntfy topic", ""},
		{[]string{"add-event"}, 2, "", "missing argument <session-id>"},
		{[]string{"add-event", "sess_20260101T0000_abcd"}, 2, "", "missing required flag --message"},
		{[]string{"add-event", "sess_20260101T0000_abcd", "--message"}, 2, "", "needs a value"},
		{[]string{"add-event", "sess_20260101T0000_abcd", "--bogus", "x"}, 2, "", "unknown flag --bogus"},
		{[]string{"add-event", "a", "b", "--message", "m"}, 2, "", `unexpected argument "b"`},
		{[]string{"update-project-state", "web", "--c", "x"}, 2, "", "ambiguous flag --c could be --completed, --current-phase"},
		{[]string{"list-sessions", "--limit", "many"}, 2, "", "invalid value"},
		{[]string{"add-tasks", "sess_20260101T0000_abcd", "--subjects"}, 2, "", "at least 1"},
		{[]string{"update-task", "sess_20260101T0000_abcd", "--status", "completed"}, 2, "", "missing task id"},
		// Issue 11: a bad flag value is bad usage that names the flag (the
		// original's argparse choices and types, exit 2).
		{[]string{"list-sessions", "--limit", "abc"}, 2, "", `sess-manage list-sessions: invalid value "abc" for --limit: want a whole number`},
		{[]string{"list-sessions", "--status", "bogus"}, 2, "", `sess-manage list-sessions: invalid value "bogus" for --status: want one of active, parked, completed`},
		{[]string{"list-sessions", "--status", "done"}, 2, "", "invalid value \"done\" for --status"},
		{[]string{"update-task", "sess_20260101T0000_abcd", "t1", "--status", "done"}, 2, "", `invalid value "done" for --status: want one of pending, in_progress, completed, skipped`},
		{[]string{"archive", "--days", "soon"}, 2, "", `invalid value "soon" for --days: want a whole number`},
		{[]string{"export", "sess_20260101T0000_abcd", "--format", "html"}, 2, "", `invalid value "html" for --format: want one of json, markdown`},
		{[]string{"serve", "--port", "http"}, 2, "", `invalid value "http" for --port: want a whole number`},
	} {
		stdout, stderr, code := runInProcess(t, dir, tc.args...)
		if code != tc.code {
			t.Errorf("%q: want exit %d, have %d (%s)", tc.args, tc.code, code, stderr)
		}
		if !strings.Contains(stderr, tc.wantStderr) {
			t.Errorf("%q: stderr lacks %q:\n%s", tc.args, tc.wantStderr, stderr)
		}
		if tc.wantStdout == "" && stdout != "" {
			t.Errorf("%q: want nothing on stdout, have %q", tc.args, stdout)
		}
		if tc.wantStdout != "" && (!strings.Contains(stdout, tc.wantStdout) || stderr != "") {
			t.Errorf("%q: want the usage on stdout and nothing on stderr, have stdout %q, stderr %q", tc.args, stdout, stderr)
		}
		if strings.Contains(stderr, "for flag -") || strings.Contains(stderr, "parse error") {
			t.Errorf("%q: Go's flag wording on stderr: %s", tc.args, stderr)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("usage errors wrote to the store")
	}
}

// TestArgparseForms: the invocation forms argparse accepts all work.
func TestArgparseForms(t *testing.T) {
	t.Parallel()
	dir, id, _ := seedStore(t)
	for _, args := range [][]string{
		{"add-event", id, "--message", "a"},
		{"add-event", "--message", "b", id},
		{"add-event", "--message=c", id},
		{"add-event", id, "--mess", "d"},
		{"--dashboard-dir", dir, "add-event", id, "--message", "e"},
		{"add-event", "--", id, "--message"}, // after --, all positional: a usage error
	} {
		_, stderr, code := runInProcess(t, dir, args...)
		want := 0
		if args[1] == "--" {
			want = 2
		}
		if code != want {
			t.Errorf("%q: want exit %d, have %d: %s", args, want, code, stderr)
		}
	}
	out, _, _ := runInProcess(t, dir, "get-session", id)
	for _, m := range []string{`"a"`, `"b"`, `"c"`, `"d"`, `"e"`} {
		if !strings.Contains(out, `"message": `+m) {
			t.Errorf("event %s missing", m)
		}
	}
	// Multi-value flags run until the next --flag; a repeat replaces.
	out, _, code := runInProcess(t, dir, "park-session", id, "--next-steps", "x", "-y", "z", "--reason", "r")
	if code != 0 || !strings.Contains(out, `"-y"`) || !strings.Contains(out, `"parked_reason": "r"`) {
		t.Errorf("multi-value then flag: %d %s", code, out)
	}
	out, _, _ = runInProcess(t, dir, "update-project-state", "web", "--completed", "a", "--completed", "b", "c")
	var ps struct {
		Roadmap struct{ Completed []string } `json:"roadmap_summary"`
	}
	json.Unmarshal([]byte(out), &ps)
	if strings.Join(ps.Roadmap.Completed, ",") != "b,c" {
		t.Errorf("repeated multi-value flag: want b,c, have %v", ps.Roadmap.Completed)
	}
	out, _, _ = runInProcess(t, dir, "update-project-state", "web", "--completed")
	json.Unmarshal([]byte(out), &ps)
	if ps.Roadmap.Completed == nil || len(ps.Roadmap.Completed) != 0 {
		t.Errorf("a list flag without items clears it: %v", ps.Roadmap.Completed)
	}
}

func TestEnvironment(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("SESS_DASHBOARD_DIR", dir)
	var out, errb strings.Builder
	if err := run(t.Context(), []string{"create-session", "--project", "web", "--intent", "env"}, strings.NewReader(""), &out, &errb); err != nil {
		t.Fatalf("%v %s", err, errb.String())
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "sessions", "sess_*.json")); len(m) != 1 {
		t.Errorf("SESS_DASHBOARD_DIR not used: %v", m)
	}
	other := t.TempDir()
	out.Reset()
	if err := run(t.Context(), []string{"list-sessions", "--dashboard-dir", other}, strings.NewReader(""), &out, &errb); err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(out.String()) != "[]" {
		t.Errorf("the flag must win over the environment: %s", out.String())
	}
}

// TestServeWithoutSessServe: with no sess-serve to run, serve says where it
// looked.
func TestServeWithoutSessServe(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	stdout, _, code := runInProcess(t, t.TempDir(), "serve")
	if code == 0 || !strings.Contains(stdout, "sess-serve is not next to sess-manage nor on PATH") {
		t.Fatalf("exit %d, stdout %s", code, stdout)
	}
}

// TestReadmeUsage: the README's usage block is what sess-manage -h prints,
// so that it lists every command there is.
func TestReadmeUsage(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(readme), "$ sess-manage -h\n")
	block, _, ok2 := strings.Cut(block, "```")
	if !ok || !ok2 {
		t.Fatal("the README has no sess-manage -h block")
	}
	stdout, _, _ := runInProcess(t, t.TempDir(), "-h")
	if block != stdout {
		t.Errorf("the README's usage block differs from sess-manage -h; put this in it:\n%s", stdout)
	}
}

// TestServeBusyPort: a port in use is named by the flag of the command
// that was run.
func TestServeBusyPort(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Skip(err)
	}
	defer l.Close()
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	stdout, _, code := runInProcess(t, t.TempDir(), "serve", "--port", port)
	if code != 1 || !strings.Contains(stdout, "choose another with --port") || !strings.Contains(stdout, "ADDRESS_IN_USE") {
		t.Errorf("exit %d: %s", code, stdout)
	}
}
