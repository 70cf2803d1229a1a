package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/sess-dev/sess/internal/hookconf"
	"github.com/sess-dev/sess/pkg/store"
)

// TestParallelHooks starts many sess-hook processes at once for one
// conversation, as Claude Code does when hooks match together (a tool call's
// PostToolUse beside TaskCreated, or the plugin beside an installed entry):
// every edit and every task arrives, none twice, and a doubled SessionStart
// makes one session.
func TestParallelHooks(t *testing.T) {
	base := t.TempDir()
	dir, cwd, bin := filepath.Join(base, "dashboard"), filepath.Join(base, "proj"), filepath.Join(base, "bin")
	os.Mkdir(cwd, 0o700)
	os.Mkdir(bin, 0o700)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	hook := filepath.Join(bin, hookconf.Program)
	if err := os.Symlink(exe, hook); err != nil {
		t.Fatal(err)
	}
	fire := func(events []map[string]any) {
		var wg sync.WaitGroup
		for _, ev := range events {
			ev["session_id"], ev["cwd"] = "conv-P", cwd
			data, _ := json.Marshal(ev)
			cmd := exec.Command(hook)
			cmd.Env = append(os.Environ(), "SESS_DASHBOARD_DIR="+dir)
			cmd.Stdin = bytes.NewReader(data)
			wg.Add(1)
			go func() {
				defer wg.Done()
				if out, err := cmd.CombinedOutput(); err != nil || (len(out) > 0 && ev["hook_event_name"] != "SessionStart") {
					t.Errorf("%v: %v %s", ev["hook_event_name"], err, out)
				}
			}()
		}
		wg.Wait()
	}
	start := map[string]any{"hook_event_name": "SessionStart", "source": "startup"}
	fire([]map[string]any{start, {"hook_event_name": "SessionStart", "source": "startup"}, {"hook_event_name": "SessionStart", "source": "startup"}})
	var events []map[string]any
	const n = 12
	for i := range n {
		events = append(events,
			map[string]any{"hook_event_name": "PostToolUse", "tool_name": "Write", "tool_input": map[string]any{"file_path": filepath.Join(cwd, fmt.Sprintf("f%02d.go", i))}},
			map[string]any{"hook_event_name": "TaskCreated", "task_id": fmt.Sprint(i), "task_subject": fmt.Sprintf("Task %02d", i)},
			map[string]any{"hook_event_name": "PostToolUse", "tool_name": "TaskCreate", "tool_input": map[string]any{"subject": fmt.Sprintf("Task %02d", i)}, "tool_response": map[string]any{"task": map[string]any{"id": fmt.Sprint(i)}}},
		)
	}
	fire(events)
	st := store.Open(dir, store.Options{})
	all, err := st.View().List(store.Filter{})
	if err != nil || len(all) != 1 {
		t.Fatalf("three parallel SessionStarts of one conversation: %d sessions (%v)", len(all), err)
	}
	s := own(t, st, "conv-P")
	if len(s.FilesChanged) != n || len(s.Tasks) != n {
		t.Errorf("%d files and %d tasks, want %d each: %q %s", len(s.FilesChanged), len(s.Tasks), n, s.FilesChanged, tasksOf(s))
	}
}
