package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/sess-dev/sess/internal/hookconf"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
	"github.com/sess-dev/sess/pkg/store/derived/transcripts"
)

// TestMain makes the test binary sess-hook when it runs under that name:
// the replay below starts it, as Claude Code would, from the settings.
func TestMain(m *testing.M) {
	if filepath.Base(os.Args[0]) == hookconf.Program {
		main()
	}
	if filepath.Base(os.Args[0]) == "sess-manage" {
		manageStandIn()
	}
	if settings := os.Getenv(windowSettings); settings != "" {
		os.Exit(runWindow(settings))
	}
	os.Exit(m.Run())
}

// claudeCode is a stand-in for Claude Code's hook runner: it starts the
// commands of the settings' hooks whose matcher and `if` rule take an
// event, in parallel, with the event on stdin.
type claudeCode struct {
	hooks   map[string][]hookconf.Group
	env     []string
	vars    map[string]string // what $NAME in a payload stands for
	started int
	printed map[string]string // by step: what the hooks printed
	// settings are the settings file's bytes; windows the window
	// processes that run, by name (see window).
	settings []byte
	windows  map[string]*windowProc
}

// fire runs the hooks an event starts in the window of its step (see
// replay), fails the test if one fails, and returns what they printed.
func (c *claudeCode) fire(t *testing.T, win string, payload []byte) string {
	t.Helper()
	res := c.window(t, win).fire(t, payload)
	if res.Err != "" {
		t.Errorf("%s", res.Err)
	}
	c.started += res.Started
	return res.Out
}

// fired is what the hooks of an event did: what they printed, what went
// wrong, how many processes started.
type fired struct {
	Out, Err string
	Started  int
}

// run runs the hooks an event starts, as children of this process.
func (c *claudeCode) run(payload []byte) fired {
	var ev struct {
		Event     string          `json:"hook_event_name"`
		Source    string          `json:"source"`
		Tool      string          `json:"tool_name"`
		Type      string          `json:"notification_type"`
		Error     string          `json:"error"`
		ToolInput json.RawMessage `json:"tool_input"`
		Cwd       string          `json:"cwd"`
	}
	if err := json.Unmarshal(payload, &ev); err != nil {
		return fired{Err: err.Error()}
	}
	var subject string
	switch ev.Event {
	case "PreToolUse", "PostToolUse", "PostToolUseFailure":
		subject = ev.Tool
	case "SessionStart":
		subject = ev.Source
	case "Notification":
		subject = ev.Type
	case "StopFailure":
		subject = ev.Error
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var out, errs strings.Builder
	started := 0
	for _, g := range c.hooks[ev.Event] {
		if !matches(g.Matcher, subject) {
			continue
		}
		for _, h := range g.Hooks {
			if h.If != "" && !permits(h.If, ev.Tool, ev.ToolInput) {
				continue
			}
			started++
			wg.Add(1)
			go func() {
				defer wg.Done()
				cmd := exec.Command("sh", "-c", h.Command)
				cmd.Dir, cmd.Env, cmd.Stdin = ev.Cwd, c.env, bytes.NewReader(payload)
				var stdout, stderr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				err := cmd.Run()
				mu.Lock()
				defer mu.Unlock()
				if err != nil || stderr.Len() > 0 {
					fmt.Fprintf(&errs, "%s: %v %s\n", ev.Event, err, stderr.String())
				}
				out.Write(stdout.Bytes())
			}()
		}
	}
	wg.Wait()
	return fired{out.String(), errs.String(), started}
}

// matches is Claude Code's matcher: empty or * takes all, a list of plain
// names takes exactly those, anything else is an unanchored regex.
func matches(matcher, subject string) bool {
	if matcher == "" || matcher == "*" {
		return true
	}
	if regexp.MustCompile(`^[A-Za-z0-9_|]+$`).MatchString(matcher) {
		for _, name := range strings.Split(matcher, "|") {
			if name == subject {
				return true
			}
		}
		return false
	}
	return regexp.MustCompile(matcher).MatchString(subject)
}

// permits is a permission rule such as Bash(git commit *) applied to a tool
// call: the tool, and a command of which one part (between &&, ||, ; and
// |) matches the pattern, where * is anything and a trailing " *" may
// match nothing.
func permits(rule, tool string, input json.RawMessage) bool {
	name, pattern, ok := strings.Cut(strings.TrimSuffix(rule, ")"), "(")
	if !ok || name != tool {
		return false
	}
	var in struct{ Command string }
	json.Unmarshal(input, &in)
	quoted := regexp.QuoteMeta(pattern)
	if strings.HasSuffix(quoted, ` \*`) {
		quoted = strings.TrimSuffix(quoted, ` \*`) + `( .*)?`
	}
	re := regexp.MustCompile("^" + strings.ReplaceAll(quoted, `\*`, ".*") + "$")
	for _, part := range regexp.MustCompile(`&&|\|\||;|\|`).Split(in.Command, -1) {
		if re.MatchString(strings.TrimSpace(part)) {
			return true
		}
	}
	return false
}

// TestReplayDay replays a day of two windows' hook payloads
// (testdata/day, as Claude Code sends them) through the settings that
// hooks install writes, with sess-hook as a process of its own.
func TestReplayDay(t *testing.T) {
	base := t.TempDir()
	api, web := filepath.Join(base, "api"), filepath.Join(base, "web")
	gitRepo(t, api)
	gitRepo(t, web)
	os.MkdirAll(filepath.Join(api, "src"), 0o700)
	cc, dir := installed(t, base, map[string]string{"API": api, "WEB": web})
	steps := cc.replay(t, "testdata/day")
	// Read, go test, the failed commit, SubagentStop and auth_success start
	// no process; a .sh step is not an event.
	payloads := 0
	for _, s := range steps {
		if strings.HasSuffix(s, ".json") {
			payloads++
		}
	}
	if want := payloads - 5; cc.started != want {
		t.Errorf("started %d processes, want %d", cc.started, want)
	}
	checkDay(t, store.Open(dir, store.Options{}), api)
	checkArchived(t, store.Open(dir, store.Options{}))
}

// checkArchived: A's Stop and SessionEnd archived its transcript's
// complete rows, redacted, once each; B's, which Claude Code never wrote,
// is not archived.
func checkArchived(t *testing.T, st *store.Store) {
	t.Helper()
	arc := transcripts.Of(st)
	r, err := arc.Open("5f1c2a9e-8b3d-4e7a-9c21-0d6b7e4f3a10")
	if err != nil {
		t.Fatalf("A's transcript is not archived: %v", err)
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if want, have := 3, len(rows); want != have {
		t.Errorf("A's archive: want %d rows, have %d:\n%s", want, have, data)
	}
	for _, secret := range []string{"ghp_Zr8Kq2Lm4Np6Qs8Tu0Vw2Xy4Za6Bc8De0Fg2", "ann@example.org"} {
		if strings.Contains(string(data), secret) {
			t.Errorf("A's archive keeps %s:\n%s", secret, data)
		}
	}
	for _, row := range rows {
		if !json.Valid([]byte(row)) {
			t.Errorf("not JSON: %s", row)
		}
	}
	if arc.Archived("c0de1234-aaaa-4bbb-8ccc-1234567890ab") {
		t.Errorf("B's transcript, never written, is archived")
	}
}

// installed is Claude Code with the settings hooks install writes, running
// this test binary as sess-hook against a store in base.
func installed(t *testing.T, base string, vars map[string]string) (*claudeCode, string) {
	t.Helper()
	dir, bin := filepath.Join(base, "dashboard"), filepath.Join(base, "bin")
	os.Mkdir(bin, 0o700)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{hookconf.Program, "sess-manage"} {
		if err := os.Symlink(exe, filepath.Join(bin, name)); err != nil {
			t.Fatal(err)
		}
	}
	res, err := hookconf.Merge(nil, hookconf.Groups(hookconf.Command(filepath.Join(bin, hookconf.Program))))
	if err != nil {
		t.Fatal(err)
	}
	var settings struct{ Hooks map[string][]hookconf.Group }
	if err := json.Unmarshal(res.Settings, &settings); err != nil {
		t.Fatal(err)
	}
	vars["HOME"] = base
	// The archive's append runs in the hook, so that the test knows when
	// it is done (a detached one outlives the hook).
	env := append(os.Environ(), "SESS_DASHBOARD_DIR="+dir, "HOME="+base, archiveModeVar+"=inline",
		"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	for k, v := range vars {
		env = append(env, k+"="+v)
	}
	return &claudeCode{hooks: settings.Hooks, env: env, vars: vars, settings: res.Settings}, dir
}

// replay fires the payloads of a folder in name order (a .sh step runs as
// a shell script) and returns the steps and, by step, what the hooks
// printed. A step is named NN-W-what: W names the window (a process of
// its own) that sends it.
func (c *claudeCode) replay(t *testing.T, folder string) []string {
	t.Helper()
	steps, _ := filepath.Glob(folder + "/*")
	c.printed = map[string]string{}
	for _, step := range steps {
		data, err := os.ReadFile(step)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(step, ".sh") {
			cmd := exec.Command("sh", step)
			cmd.Env = c.env
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", step, err, out)
			}
			continue
		}
		win := strings.Split(filepath.Base(step), "-")[1]
		c.printed[filepath.Base(step)] = c.fire(t, win, []byte(os.Expand(string(data), func(k string) string { return c.vars[k] })))
	}
	return steps
}

func checkDay(t *testing.T, st *store.Store, api string) {
	a := own(t, st, "5f1c2a9e-8b3d-4e7a-9c21-0d6b7e4f3a10")
	b := own(t, st, "c0de1234-aaaa-4bbb-8ccc-1234567890ab")
	head, _ := exec.Command("git", "-C", api, "rev-parse", "HEAD").Output()
	var commit session.Commit
	if len(a.Commits) > 0 {
		commit = a.Commits[0]
		if commit.Timestamp == nil {
			t.Errorf("a commit the hook saw has no time")
		}
		commit.Timestamp = nil
	}
	for _, c := range []struct {
		what       string
		have, want any
	}{
		{"A's project", a.ProjectSlug, "api"},
		{"A's branch", a.GitBranch, "master"},
		{"A's intent", a.Intent, "Add rate limiting to the login endpoint"},
		{"A's tasks", tasksOf(a), "Write the token bucket=completed, Wire it into the login handler=completed, Add a load test=skipped"},
		{"A's files", strings.Join(a.FilesChanged, ","), "src/ratelimit.go"},
		{"A's commits", len(a.Commits), 1},
		{"A's commit", commit, session.Commit{SHA: strings.TrimSpace(string(head)), Message: "feat: rate limit the login endpoint"}},
		{"A waits", a.AwaitingAction, (*string)(nil)},
		{"A's activity", session.Deref(a.CurrentActivity), "Rate limiting is in place for the login endpoint."},
		{"A's events", len(a.Events), 2},
		{"B's project", b.ProjectSlug, "web"},
		{"B's intent", b.Intent, "Fix the dark mode toggle"},
		{"B's tasks", tasksOf(b), "Find the toggle=completed, Fix the CSS variable=in_progress"},
		{"B waits", session.Deref(b.AwaitingAction), "Claude is waiting for your input"},
		{"B's activity", session.Deref(b.CurrentActivity), "The toggle now reads the CSS variable!"},
		{"B's files, commits, events", len(b.FilesChanged) + len(b.Commits) + len(b.Events), 0},
	} {
		if !equalJSON(c.have, c.want) {
			t.Errorf("%s: have %v, want %v", c.what, c.have, c.want)
		}
	}
	if len(a.Events) != 2 || !strings.HasPrefix(a.Events[0].Message, "Conversation compacted: Added a token bucket") || a.Events[1].Message != "Conversation ended (prompt_input_exit)" {
		t.Errorf("A's events: %+v", a.Events)
	}
}

func tasksOf(s *session.Session) string {
	var out []string
	for _, t := range s.Tasks {
		out = append(out, t.Subject+"="+string(t.Status))
	}
	return strings.Join(out, ", ")
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}
