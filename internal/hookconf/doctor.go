package hookconf

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Check is one finding of Doctor.
type Check struct {
	Name   string `json:"check"`
	Status string `json:"status"` // ok, warn or fail
	Detail string `json:"detail"`
}

// Report is what Doctor found; OK unless a check failed.
type Report struct {
	Settings string  `json:"settings"`
	OK       bool    `json:"ok"`
	Checks   []Check `json:"checks"`
	// TranscriptArchive is the size of the store's transcript archive,
	// when the caller gave it.
	TranscriptArchive *ArchiveSize `json:"transcript_archive,omitempty"`
}

// ArchiveSize is the transcript archive's size: how many conversations,
// its bytes against the transcripts' bytes they stand for, and how many of
// those transcripts Claude Code still has (their bytes now).
type ArchiveSize struct {
	Conversations     int   `json:"conversations"`
	ArchiveBytes      int64 `json:"archive_bytes"`
	TranscriptBytes   int64 `json:"transcript_bytes"`
	TranscriptsOnDisk int   `json:"transcripts_on_disk"`
	OnDiskBytes       int64 `json:"transcripts_on_disk_bytes"`
}

// Failure is nil when every check passed or only warns.
func (r *Report) Failure() error {
	if r.OK {
		return nil
	}
	var failed []string
	for _, c := range r.Checks {
		if c.Status == "fail" {
			failed = append(failed, c.Name)
		}
	}
	return fmt.Errorf("hooks doctor: %s failed", strings.Join(failed, ", "))
}

// Doctor checks an installation: the settings file, sess's entries in it,
// the programs they run and their versions, the store, and whether Claude
// Code will send tasks at all.
type Doctor struct {
	Settings string              // the settings file
	Store    string              // the store folder
	Version  string              // the version the programs should report
	Getenv   func(string) string // for CLAUDE_CODE_ENABLE_TODO_TOOLS
	// OwnInConfig are the settings only sess has that config.json holds
	// (store.OwnSettingsFile says why they belong elsewhere).
	OwnInConfig []string
	// Archive is the transcript archive's size (nil: not reported); the
	// store's to measure, the report's to show.
	Archive func() (ArchiveSize, error)
}

// Run makes the report.
func (d *Doctor) Run(ctx context.Context) *Report {
	r := &Report{Settings: d.Settings}
	add := func(name, status, format string, args ...any) {
		r.Checks = append(r.Checks, Check{name, status, fmt.Sprintf(format, args...)})
	}
	data, err := os.ReadFile(d.Settings)
	var hooks map[string][]Group
	var env map[string]any
	if err == nil {
		var s struct {
			Hooks json.RawMessage `json:"hooks"`
			Env   map[string]any  `json:"env"`
		}
		if err = json.Unmarshal(data, &s); err == nil {
			hooks, env = lenientHooks(s.Hooks), s.Env
		}
	}
	if err != nil {
		add("settings", "fail", "%v; 'sess-manage hooks install' writes it", err)
	} else {
		add("settings", "ok", "%s reads", d.Settings)
	}
	programs := d.entries(hooks, add)
	d.programs(ctx, programs, add)
	d.store(add)
	if len(d.OwnInConfig) > 0 {
		add("config", "warn", "config.json's settings hold %s, which only sess has: the original stops on a setting it does not know; sess moves them to sess.json when it next writes config.json (or move them there yourself)", strings.Join(d.OwnInConfig, ", "))
	}
	d.taskTools(env, add)
	if d.Archive != nil {
		r.TranscriptArchive = d.archive(add)
		d.archiver(programs, add)
	}
	r.OK = true
	for _, c := range r.Checks {
		if c.Status == "fail" {
			r.OK = false
		}
	}
	return r
}

// lenientHooks reads the hooks of a settings file as far as it can: a
// group or a command of another shape (another tool's, a timeout of 2.5)
// is passed over, not a reason to read nothing.
func lenientHooks(raw json.RawMessage) map[string][]Group {
	var events map[string]json.RawMessage
	json.Unmarshal(raw, &events)
	out := map[string][]Group{}
	for event, list := range events {
		var groups []json.RawMessage
		json.Unmarshal(list, &groups)
		for _, g := range groups {
			var group struct {
				Matcher string            `json:"matcher"`
				Hooks   []json.RawMessage `json:"hooks"`
			}
			json.Unmarshal(g, &group)
			var handlers []Handler
			for _, h := range group.Hooks {
				var handler struct {
					Type    string `json:"type"`
					Command string `json:"command"`
					If      string `json:"if"`
				}
				if json.Unmarshal(h, &handler) == nil {
					handlers = append(handlers, Handler{Type: handler.Type, Command: handler.Command, If: handler.If})
				}
			}
			out[event] = append(out[event], Group{Matcher: group.Matcher, Hooks: handlers})
		}
	}
	return out
}

// entries checks that every entry is there, once, and returns the programs
// sess's commands run.
func (d *Doctor) entries(hooks map[string][]Group, add func(name, status, format string, args ...any)) []string {
	var missing, twice, old, programs []string
	for _, e := range Entries {
		n := 0
		for _, g := range hooks[e.Event] {
			for _, h := range g.Hooks {
				prog, _ := firstWord(h.Command)
				if filepath.Base(prog) == Program && g.Matcher == e.Matcher && h.If == e.If {
					n++
				}
			}
		}
		what := e.Event
		if e.Matcher != "" {
			what += " (" + e.Matcher + ")"
		}
		switch {
		case n == 0:
			missing = append(missing, what)
		case n > 1:
			twice = append(twice, what)
		}
	}
	for event, groups := range hooks {
		for _, g := range groups {
			for _, h := range g.Hooks {
				if !Ours(h.Command) {
					if strings.Contains(h.Command, "dashboard/heartbeat.sh") {
						add("original", "warn", "the original's heartbeat.sh runs at %s too: harmless, but a process more per turn", event)
					}
					continue
				}
				prog, _ := firstWord(h.Command)
				if filepath.Base(prog) != Program {
					old = append(old, event+": "+h.Command)
				}
				if !slices.Contains(programs, prog) {
					programs = append(programs, prog)
				}
			}
		}
	}
	switch {
	case len(missing) > 0:
		add("entries", "fail", "missing: %s; 'sess-manage hooks install' adds them", strings.Join(missing, ", "))
	case len(twice) > 0:
		add("entries", "warn", "more than once (each event is recorded once per entry): %s", strings.Join(twice, ", "))
	default:
		add("entries", "ok", "all %d entries", len(Entries))
	}
	if len(old) > 0 {
		add("earlier install", "warn", "%s; 'sess-manage hooks install' replaces them", strings.Join(old, "; "))
	}
	return programs
}

// programs checks that each program runs and is of this version.
func (d *Doctor) programs(ctx context.Context, programs []string, add func(name, status, format string, args ...any)) {
	for _, prog := range programs {
		path := prog
		if !strings.Contains(prog, "/") {
			if p, err := exec.LookPath(prog); err == nil {
				path = p
			}
		}
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		out, err := exec.CommandContext(ctx, path, "--version").Output()
		cancel()
		var v struct {
			Version string `json:"version"`
		}
		switch {
		case err != nil:
			add("program", "fail", "%s does not run: %v; 'go install ./cmd/...' puts it in ~/go/bin", prog, err)
		case json.Unmarshal(out, &v) != nil:
			add("program", "fail", "%s --version: not sess's answer: %.80q", prog, out)
		case d.Version != "" && v.Version != d.Version:
			add("program", "warn", "%s is version %s, sess-manage %s: install both from one build", path, v.Version, d.Version)
		default:
			add("program", "ok", "%s %s", path, v.Version)
		}
	}
}

// store checks that the hooks can write the store.
func (d *Doctor) store(add func(name, status, format string, args ...any)) {
	fi, err := os.Stat(d.Store)
	switch {
	case os.IsNotExist(err):
		add("store", "warn", "%s does not exist yet; the first SessionStart creates it", d.Store)
		return
	case err != nil:
		add("store", "fail", "%v", err)
		return
	case !fi.IsDir():
		add("store", "fail", "%s is not a folder", d.Store)
		return
	}
	f, err := os.CreateTemp(d.Store, ".doctor-*.tmp")
	if err != nil {
		add("store", "fail", "%s is not writable: %v", d.Store, err)
		return
	}
	f.Close()
	os.Remove(f.Name())
	add("store", "ok", "%s is writable", d.Store)
}

// taskTools warns when Claude Code may not send tasks: recent builds turn
// the task tools off for the newest models unless the variable is set.
func (d *Doctor) taskTools(env map[string]any, add func(name, status, format string, args ...any)) {
	const name = "CLAUDE_CODE_ENABLE_TODO_TOOLS"
	if d.Getenv(name) == "1" || fmt.Sprint(env[name]) == "1" {
		add("task tools", "ok", "%s=1", name)
		return
	}
	add("task tools", "warn", "recent Claude Code turns its task tools off for the newest models, so tasks may never reach the journal; set %s=1 (in the settings' \"env\") to keep them", name)
}

// archive reports the transcript archive's size: a warning when it cannot
// be read, never a failure (the hooks record without it).
func (d *Doctor) archive(add func(name, status, format string, args ...any)) *ArchiveSize {
	size, err := d.Archive()
	if err != nil {
		add("transcript archive", "warn", "%v", err)
		return nil
	}
	ratio := 0.0
	if size.ArchiveBytes > 0 {
		ratio = float64(size.TranscriptBytes) / float64(size.ArchiveBytes)
	}
	add("transcript archive", "ok", "%d conversations: %s for %s of transcript (%.1fx smaller); Claude Code still has %d of them (%s)",
		size.Conversations, bytesize(size.ArchiveBytes), bytesize(size.TranscriptBytes), ratio, size.TranscriptsOnDisk, bytesize(size.OnDiskBytes))
	return &size
}

// ArchiveProgram is what a hook starts to archive a transcript, beside
// the hook's program or on PATH.
const ArchiveProgram = "sess-manage"

// archiver warns when a hook would not find the program that archives
// transcripts: each Stop would then say so on stderr, and nothing would be
// archived.
func (d *Doctor) archiver(programs []string, add func(name, status, format string, args ...any)) {
	for _, prog := range programs {
		if filepath.Base(prog) != Program {
			continue
		}
		if strings.Contains(prog, "/") {
			if fi, err := os.Stat(filepath.Join(filepath.Dir(prog), ArchiveProgram)); err == nil && !fi.IsDir() {
				continue
			}
		}
		if _, err := exec.LookPath(ArchiveProgram); err == nil {
			continue
		}
		add("transcript archiver", "warn", "%s is neither beside %s nor on PATH: no transcript is archived, and every Stop says so; install it there (go install ./cmd/...)", ArchiveProgram, prog)
	}
}

// bytesize is n for people: 812 B, 45.3 kB, 1.2 GB.
func bytesize(n int64) string {
	if n < 1000 {
		return fmt.Sprintf("%d B", n)
	}
	f, units := float64(n)/1000, "kMGT"
	for i := range units {
		if f < 1000 || i == len(units)-1 {
			return fmt.Sprintf("%.1f %cB", f, units[i])
		}
		f /= 1000
	}
	return ""
}
