package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sess-dev/sess/internal/cli"
	"github.com/sess-dev/sess/internal/notify"
	"github.com/sess-dev/sess/pkg/session"
)

// TestCheckNotifyPush: check-notify pushes a conversation's wait to the
// ntfy topic config.json names, once, through sess-cleanup; a bad webhook
// URL beside it is a warning in the JSON and exit 0, and config.json is
// left as it was.
func TestCheckNotifyPush(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, r.URL.Path+" "+string(b))
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	out, _, _ := runInProcess(t, dir, "create-session", "--project", "web", "--intent", "ship it with password=hunter2")
	var s struct {
		SessionID string `json:"session_id"`
	}
	json.Unmarshal([]byte(out), &s)
	// The wait began long ago: the request is older than the threshold
	// when its heartbeat is (a command's wait has no state of its own).
	if _, _, code := runInProcess(t, dir, "request-action", s.SessionID, "--reason", "approve the deploy"); code != 0 {
		t.Fatal("request-action failed")
	}
	cfg := `{"version": 1, "projects": {}, "settings": {"notifications_enabled": true}}`
	own := `{"waiting_notify_minutes": 1, "notify_ntfy_url": "` + srv.URL + `/sess-topic", "notify_webhook_url": "hooks.example/x"}`
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "sess.json"), []byte(own), 0o600); err != nil {
		t.Fatal(err)
	}
	backdate(t, dir, s.SessionID)

	for run, want := range []string{`"pushed": 1`, `"status": "checked"`} {
		var stdout, stderr bytes.Buffer
		a := &app{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, notifier: func() notify.Notifier { return nil }, getenv: os.Getenv,
			// The pushes go through sess-cleanup, as run sets up; TestMain
			// puts one on PATH.
			pusher: notify.Handoff(func() (string, error) { return findTool("sess-cleanup") }, 0)}
		err := a.run(context.Background(), []string{"--dashboard-dir", dir, "check-notify"})
		if cli.ExitCode(err) != 0 || !strings.Contains(stdout.String(), want) {
			t.Fatalf("run %d: exit %d, stdout %s, stderr %s", run, cli.ExitCode(err), stdout.String(), stderr.String())
		}
		if !strings.Contains(stdout.String(), "settings.notify_webhook_url: the URL has no scheme") {
			t.Errorf("run %d: the bad webhook URL is not warned about:\n%s", run, stdout.String())
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if want := `/sess-topic web: "ship it with password=[REDACTED:credential]" — approve the deploy`; len(bodies) != 1 || bodies[0] != want {
		t.Errorf("pushes: want [%s], have %q", want, bodies)
	}
	if have, _ := os.ReadFile(filepath.Join(dir, "config.json")); string(have) != cfg {
		t.Errorf("config.json changed: %s", have)
	}
}

// backdate moves the session's heartbeat (where a wait set by
// request-action begins) an hour back.
func backdate(t *testing.T, dir, id string) {
	t.Helper()
	path := filepath.Join(dir, "sessions", id+".json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(data, &m)
	m["last_heartbeat"] = session.FormatTime(time.Now().Add(-time.Hour))
	data, _ = json.MarshalIndent(m, "", "  ")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestNoNetworkCode: sess-manage links no network or TLS code (with net it
// links libc and starts 0.8 ms slower on every command); its pushes go
// through sess-cleanup, as serve goes through sess-serve.
func TestNoNetworkCode(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	deps := map[string]bool{}
	for _, d := range strings.Fields(string(out)) {
		deps[d] = true
	}
	for _, bad := range []string{"net", "net/http", "crypto/tls", "github.com/sess-dev/sess/internal/notify/httppush"} {
		if deps[bad] {
			t.Errorf("sess-manage links %s", bad)
		}
	}
}
