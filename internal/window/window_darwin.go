package window

import (
	"bytes"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// Current is the window of this process: its parent, or the nearest
// ancestor above it that is not a shell.
func Current() ID { return of(current(), os.Getppid()) }

// Of is the window of process pid: pid itself, or the nearest ancestor that
// is not a shell.
func Of(pid int) ID { return of(current(), pid) }

// Alive reports whether window id still runs on this machine.
func Alive(id ID) bool { return alive(current(), id) }

func current() system { return sysctl{} }

// sysctl reads kern.proc.pid.
type sysctl struct{}

// boot is the boot time in seconds: start times are absolute here, the
// boot only keeps ids of two machines' clocks apart.
func (sysctl) boot() string {
	tv, err := unix.SysctlTimeval("kern.boottime")
	if err != nil {
		return ""
	}
	return strconv.FormatInt(int64(tv.Sec), 36)
}

// proc reads a process's name, parent and start time (seconds and
// microseconds since the epoch).
func (sysctl) proc(pid int) (proc, bool) {
	k, err := unix.SysctlKinfoProc("kern.proc.pid", pid)
	if err != nil || k == nil || int(k.Proc.P_pid) != pid {
		return proc{}, false
	}
	name := k.Proc.P_comm[:]
	if i := bytes.IndexByte(name, 0); i >= 0 {
		name = name[:i]
	}
	start := strconv.FormatInt(int64(k.Proc.P_starttime.Sec), 36) + "_" + strconv.FormatInt(int64(k.Proc.P_starttime.Usec), 36)
	return proc{name: string(name), ppid: int(k.Eproc.Ppid), start: start}, true
}
