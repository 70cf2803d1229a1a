package window

import (
	"strconv"
	"strings"
)

// ID is a window's identity: "w", the boot, the process id and its start
// time, e.g. "w1f2e3d4c-4242-98765". It is a safe file name.
type ID string

// maxDepth bounds the walk up through shells and wrappers.
const maxDepth = 8

// transparent are the programs between a window and its hooks that are not
// the window: shells, and wrappers a hook command may start with.
var transparent = map[string]bool{
	"sh": true, "bash": true, "dash": true, "zsh": true, "fish": true, "ksh": true, "mksh": true,
	"ash": true, "busybox": true, "tcsh": true, "csh": true, "nu": true, "pwsh": true,
	"env": true, "nohup": true, "timeout": true, "nice": true, "ionice": true, "stdbuf": true,
	"time": true, "setsid": true, "chrt": true, "taskset": true, "strace": true, "ltrace": true,
}

// isShell reports whether a process of this name stands between a window
// and its hooks (a login shell's name starts with "-").
func isShell(name string) bool {
	return transparent[strings.TrimPrefix(name, "-")]
}

// proc is what the system says of a process.
type proc struct {
	name  string
	ppid  int
	start string // when it started, in the system's own unit
}

// system reads processes: /proc on Linux, sysctl on the BSDs and macOS.
type system interface {
	boot() string
	proc(pid int) (proc, bool)
}

// of is the window of a process whose parent is ppid: the nearest ancestor
// that is not a shell; "" when the system does not say.
func of(sys system, ppid int) ID {
	boot := sys.boot()
	if boot == "" {
		return ""
	}
	pid := ppid
	for range maxDepth {
		if pid <= 1 {
			return ""
		}
		p, ok := sys.proc(pid)
		if !ok {
			return ""
		}
		if !isShell(p.name) {
			return ID("w" + boot + "-" + strconv.Itoa(pid) + "-" + p.start)
		}
		pid = p.ppid
	}
	return ""
}

// alive reports whether the window id names still runs: the same boot,
// and a process of its id that started at its time.
func alive(sys system, id ID) bool {
	rest, ok := strings.CutPrefix(string(id), "w")
	if !ok {
		return false
	}
	boot, rest, ok1 := strings.Cut(rest, "-")
	pidText, start, ok2 := strings.Cut(rest, "-")
	pid, err := strconv.Atoi(pidText)
	if !ok1 || !ok2 || err != nil || pid <= 1 || boot != sys.boot() {
		return false
	}
	p, ok := sys.proc(pid)
	return ok && p.start == start
}
