package window

import (
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// fake is a process table.
type fake struct {
	bootID string
	procs  map[int]proc
}

func (f fake) boot() string { return f.bootID }
func (f fake) proc(pid int) (proc, bool) {
	p, ok := f.procs[pid]
	return p, ok
}

func TestOf(t *testing.T) {
	sys := fake{bootID: "b00t", procs: map[int]proc{
		100: {name: "claude", ppid: 50, start: "777"},
		200: {name: "sh", ppid: 100, start: "800"},
		300: {name: "-bash", ppid: 200, start: "801"},
		400: {name: "timeout", ppid: 300, start: "802"},
		500: {name: "sh", ppid: 1, start: "5"},
		600: {name: "sh", ppid: 601, start: "5"},
		601: {name: "sh", ppid: 600, start: "5"}, // a loop
	}}
	for _, c := range []struct {
		ppid int
		want ID
	}{
		{100, "wb00t-100-777"}, // the hook's parent is the window
		{200, "wb00t-100-777"}, // through sh -c
		{400, "wb00t-100-777"}, // through wrappers and a login shell
		{500, ""},              // shells up to init: no window
		{999, ""},              // gone
		{600, ""},              // a loop ends
		{1, ""},
	} {
		if got := of(sys, c.ppid); got != c.want {
			t.Errorf("of(%d) = %q, want %q", c.ppid, got, c.want)
		}
	}
	if got := of(fake{procs: sys.procs}, 100); got != "" {
		t.Errorf("without a boot: %q", got)
	}
}

func TestAlive(t *testing.T) {
	sys := fake{bootID: "b00t", procs: map[int]proc{100: {name: "claude", ppid: 50, start: "777"}}}
	for id, want := range map[ID]bool{
		"wb00t-100-777":  true,
		"wb00t-100-778":  false, // the id reused by a later process
		"wother-100-777": false, // another boot
		"wb00t-101-777":  false, // gone
		"b00t-100-777":   false,
		"wb00t-x-777":    false,
		"":               false,
		"wb00t-1-777":    false,
	} {
		if got := alive(sys, id); got != want {
			t.Errorf("alive(%q) = %v, want %v", id, got, want)
		}
	}
}

// TestMain prints this process's window when asked to, so that the test
// below can run it under a shell as Claude Code runs a hook.
func TestMain(m *testing.M) {
	if os.Getenv("WINDOW_TEST_PRINT") == "1" {
		os.Stdout.WriteString(string(Current()))
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestCurrent runs this test binary as a hook under sh -c: its window is
// this process, alive while it runs; a process that ended is not alive.
func TestCurrent(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skip("no window identity on " + runtime.GOOS)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	me := Of(os.Getpid())
	var cmd *exec.Cmd
	// A shell that stays the hook's parent, and one that execs the hook.
	for _, script := range []string{"'" + exe + "' -test.run=^$; true", "exec '" + exe + "' -test.run=^$"} {
		cmd = exec.Command("sh", "-c", script)
		cmd.Env = append(os.Environ(), "WINDOW_TEST_PRINT=1")
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		if got := ID(out); got == "" || got != me {
			t.Fatalf("%s: the hook's window is %q, want this process, %q", script, got, me)
		}
	}
	if !Alive(me) {
		t.Errorf("%s runs but is not alive", me)
	}
	// A window that ended: the sh -c above, seen as the window of a child.
	dead := ID(strings.Replace(string(me), "-"+strconv.Itoa(os.Getpid())+"-", "-"+strconv.Itoa(cmd.Process.Pid)+"-", 1))
	if Alive(dead) {
		t.Errorf("%s ended but is alive", dead)
	}
}
