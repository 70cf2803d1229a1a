package window

import (
	"os"
	"strconv"
	"strings"
)

// Current is the window of this process: its parent, or the nearest
// ancestor above it that is not a shell.
func Current() ID { return of(current(), os.Getppid()) }

// Of is the window of process pid: pid itself, or the nearest ancestor that
// is not a shell.
func Of(pid int) ID { return of(current(), pid) }

// Alive reports whether window id still runs on this machine.
func Alive(id ID) bool { return alive(current(), id) }

func current() system { return procfs{} }

// procfs reads /proc.
type procfs struct{}

// boot is the first 8 characters of the boot's random id: a start time in
// clock ticks since boot names a process only within one boot.
func (procfs) boot() string {
	data, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil || len(data) < 8 {
		return ""
	}
	return string(data[:8])
}

// proc reads /proc/PID/stat: "pid (comm) state ppid …", the start time the
// 22nd field. comm may hold spaces and parentheses: it ends at the last ')'.
func (procfs) proc(pid int) (proc, bool) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return proc{}, false
	}
	s := string(data)
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || end < open {
		return proc{}, false
	}
	f := strings.Fields(s[end+1:])
	// f[0] is the state (field 3): ppid is field 4, starttime field 22.
	if len(f) < 20 {
		return proc{}, false
	}
	ppid, err := strconv.Atoi(f[1])
	if err != nil {
		return proc{}, false
	}
	return proc{name: s[open+1 : end], ppid: ppid, start: f[19]}, true
}
