package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sess-dev/sess/internal/archive"
	"github.com/sess-dev/sess/internal/journal"
	"github.com/sess-dev/sess/internal/transcript"
	"github.com/sess-dev/sess/pkg/store"
)

const (
	convID     = "cccccccc-0000-4000-8000-000000000003"
	convSecret = "ghp_R8x2Kq9LmZ4vT7nB3wY6pJ1sD5fH0gC2eA8u"
)

// convStore is a store with a session of conversation convID whose
// transcript is under $HOME/.claude/projects (HOME is set for the test).
func convStore(t *testing.T) (dir, id, live string) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	dir = filepath.Join(home, "dashboard")
	repo := filepath.Join(home, "src", "app")
	sess, _, err := journal.RegisterLaunch(store.Open(dir, store.Options{}), journal.Launch{ClaudeSessionID: convID, Project: "app", WorktreeRoot: &repo})
	if err != nil {
		t.Fatal(err)
	}
	live = filepath.Join(home, ".claude", "projects", transcript.Folder(repo), convID+".jsonl")
	os.MkdirAll(filepath.Dir(live), 0o755)
	lines := `{"type":"user","uuid":"u1","timestamp":"2026-03-02T09:00:00Z","message":{"role":"user","content":"Fix the login bug"}}
{"type":"assistant","uuid":"u2","timestamp":"2026-03-02T09:00:01Z","message":{"role":"assistant","content":[{"type":"text","text":"token ` + convSecret + ` works"}]}}
`
	if err := os.WriteFile(live, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, sess.SessionID, live
}

func TestExportConversation(t *testing.T) {
	dir, id, live := convStore(t)
	out, stderr, code := runIn(t, dir, "--conversation", id)
	if code != 0 || !strings.HasPrefix(out, "# Conversation:") || !strings.Contains(out, "Fix the login bug") || !strings.Contains(out, "| Source | live |") {
		t.Fatalf("exit %d: %s %s", code, out, stderr)
	}
	if strings.Contains(out, convSecret) {
		t.Error("the secret of the live transcript reached the export")
	}
	// Claude Code's projects folder deleted after the archive took it: the
	// export reads the archive.
	if _, err := archive.Append(store.Open(dir, store.Options{}), convID, live); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(filepath.Join(os.Getenv("HOME"), ".claude", "projects"))
	file := filepath.Join(t.TempDir(), "conv.md")
	out, stderr, code = runIn(t, dir, "--conversation", id, "-o", file)
	var res map[string]string
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || res["file"] != file {
		t.Fatalf("-o: exit %d: %s %s", code, out, stderr)
	}
	md, _ := os.ReadFile(file)
	if !strings.Contains(string(md), "Fix the login bug") || !strings.Contains(string(md), "| Source | archive |") {
		t.Errorf("the file:\n%s", md)
	}
}

func TestExportConversationErrors(t *testing.T) {
	dir, id, live := convStore(t)
	os.Remove(live)
	file := filepath.Join(t.TempDir(), "conv.md")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--conversation", id}, 1, `"NOT_FOUND"`},
		{[]string{"--conversation", id, "-o", file}, 1, `"NOT_FOUND"`},
		{[]string{"--conversation", "sess_20260101T0000_abcd"}, 1, `"NOT_FOUND"`},
		{[]string{"--conversation", "../etc"}, 1, `"VALIDATION_ERROR"`},
		{[]string{"--conversation", id, "other"}, 2, ""},
	} {
		out, _, code := runIn(t, dir, tc.args...)
		if code != tc.code || !strings.Contains(out, tc.want) {
			t.Errorf("%v: exit %d %s, want %d %s", tc.args, code, out, tc.code, tc.want)
		}
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("a failed export left %s: %v", file, err)
	}
}
