package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"testing"

	"github.com/sess-dev/sess/internal/hookconf"
)

// A Claude Code window is one long-lived process that starts its hooks as
// its children: /clear and compaction stay in it, a new launch (also a
// resume from the shell) is a new one. The replays model a window as such
// a process: this test binary, started with windowSettings naming a
// settings file, reads one event a line on stdin, runs the hooks the
// settings give it (through sh -c, in parallel, as claudeCode.run does),
// and writes what they did as a JSON line on stdout.

// windowSettings is the variable that makes this binary a window.
const windowSettings = "SESS_TEST_WINDOW_SETTINGS"

// runWindow is a window's main loop; it ends with its stdin.
func runWindow(settingsFile string) int {
	data, err := os.ReadFile(settingsFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	var settings struct{ Hooks map[string][]hookconf.Group }
	if err := json.Unmarshal(data, &settings); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	c := &claudeCode{hooks: settings.Hooks, env: os.Environ()}
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(nil, 4<<20)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		if err := out.Encode(c.run(in.Bytes())); err != nil {
			return 1
		}
	}
	return 0
}

// windowProc is a window process, seen from the test.
type windowProc struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *json.Decoder
}

// window is the window process named name, started on first use. A name
// is a letter and a generation: "Y2" is a new launch in the terminal of
// "Y" and "Y1", which ends them.
func (c *claudeCode) window(t *testing.T, name string) *windowProc {
	t.Helper()
	if w := c.windows[name]; w != nil {
		return w
	}
	if c.windows == nil {
		c.windows = map[string]*windowProc{}
	}
	for other, w := range c.windows {
		if other[:1] == name[:1] {
			w.close(t)
			delete(c.windows, other)
		}
	}
	settings := t.TempDir() + "/settings.json"
	if err := os.WriteFile(settings, c.settings, 0o600); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	w := &windowProc{cmd: exec.Command(exe)}
	w.cmd.Env = append(c.env, windowSettings+"="+settings)
	w.cmd.Stderr = os.Stderr
	if w.in, err = w.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	stdout, err := w.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	w.out = json.NewDecoder(stdout)
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.close(t) })
	c.windows[name] = w
	return w
}

// fire sends an event to the window and returns what its hooks did.
func (w *windowProc) fire(t *testing.T, payload []byte) fired {
	t.Helper()
	var compact []byte
	var v any
	if err := json.Unmarshal(payload, &v); err != nil {
		t.Fatalf("%v: %s", err, payload)
	}
	compact, _ = json.Marshal(v)
	if _, err := w.in.Write(append(compact, '\n')); err != nil {
		t.Fatal(err)
	}
	var res fired
	if err := w.out.Decode(&res); err != nil {
		t.Fatalf("the window's answer: %v", err)
	}
	return res
}

// close ends the window: its stdin closes, it exits.
func (w *windowProc) close(t *testing.T) {
	if w.in == nil {
		return
	}
	w.in.Close()
	w.in = nil
	if err := w.cmd.Wait(); err != nil {
		t.Errorf("window: %v", err)
	}
}
