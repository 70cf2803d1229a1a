package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sess-dev/sess/pkg/store"
)

// TestArchiveModes: PreCompact archives the transcript in the hook when
// SESS_TRANSCRIPT_ARCHIVE is inline, keeps none when it is off; the
// archive child (--archive-transcript) archives and says what it did.
func TestArchiveModes(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	dir := filepath.Join(base, "dashboard")
	for _, c := range []struct {
		mode, cid string
		want      bool
	}{
		{"inline", "c-inline", true},
		{"off", "c-off", false},
	} {
		src := filepath.Join(base, c.cid+".jsonl")
		os.WriteFile(src, []byte(`{"type":"user","message":{"content":"mail ann@example.org"}}`+"\n"), 0o600)
		payload, _ := json.Marshal(map[string]any{"session_id": c.cid, "transcript_path": src, "hook_event_name": "PreCompact", "cwd": base, "trigger": "auto"})
		getenv := func(k string) string {
			return map[string]string{"SESS_DASHBOARD_DIR": dir, archiveModeVar: c.mode}[k]
		}
		var out, errb bytes.Buffer
		if err := run(context.Background(), nil, getenv, bytes.NewReader(payload), &out, &errb); err != nil || errb.Len() > 0 {
			t.Fatalf("%s: %v %s", c.mode, err, errb.String())
		}
		if want, have := c.want, store.Open(dir, store.Options{}).Derived().TranscriptArchived(c.cid); want != have {
			t.Errorf("%s: archived: want %v, have %v", c.mode, want, have)
		}
	}
	src := filepath.Join(base, "c-child.jsonl")
	os.WriteFile(src, []byte("{\"a\":1}\n{\"b\":2}\n"), 0o600)
	var out, errb bytes.Buffer
	getenv := func(string) string { return "" }
	if err := run(context.Background(), []string{"--dashboard-dir", dir, "--archive-transcript", "c-child", "--transcript", src}, getenv, strings.NewReader(""), &out, &errb); err != nil {
		t.Fatal(err)
	}
	if want, have := `{"archived_bytes": 16, "frames": 1, "part": 0}`, strings.TrimSpace(out.String()); want != have {
		t.Errorf("child: want %s, have %s (%s)", want, have, errb.String())
	}
	if err := run(context.Background(), []string{"--dashboard-dir", dir, "--archive-transcript", "c-child", "--transcript", "relative.jsonl"}, getenv, strings.NewReader(""), &out, &errb); err == nil {
		t.Errorf("a relative transcript path archived")
	}
}
