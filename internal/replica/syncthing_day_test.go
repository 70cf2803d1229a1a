package replica_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sess-dev/sess/internal/replica/syncthingtest"
)

// hookDay replays a day of Claude Code's hook events on the machine, in a
// repository of its own, as Claude Code spawns sess-hook: a window starts,
// prompts and answers, and stops. It returns the session the hooks made.
func (m *machine) hookDay(t *testing.T) string {
	t.Helper()
	repo := filepath.Join(m.home, "src", "parser")
	if err := os.MkdirAll(repo, 0o755); err != nil {
		t.Fatal(err)
	}
	m.sessManage(t, "register-project", "--name", "parser", "--path", repo)
	cid := "conv-" + m.name
	for _, ev := range []map[string]string{
		{"hook_event_name": "SessionStart", "source": "startup"},
		{"hook_event_name": "UserPromptSubmit", "prompt": "Fix the tokenizer bug in the parser"},
		{"hook_event_name": "Stop", "last_assistant_message": "Fixed: the tokenizer now keeps escaped quotes."},
		{"hook_event_name": "UserPromptSubmit", "prompt": "Add a test for escaped quotes"},
		{"hook_event_name": "Stop", "last_assistant_message": "Added a table test of escaped quotes."},
	} {
		ev["session_id"], ev["cwd"] = cid, repo
		m.hook(t, ev)
	}
	var list []struct {
		SessionID string `json:"session_id"`
		Intent    string `json:"intent"`
	}
	decode(t, m.sessManage(t, "active-sessions", "--project", "parser"), &list)
	if len(list) != 1 || !strings.Contains(list[0].Intent, "tokenizer") {
		t.Fatalf("%s: the hooks' session: %+v", m.name, list)
	}
	return list[0].SessionID
}

// hook runs sess-hook with one event on stdin, as Claude Code does.
func (m *machine) hook(t *testing.T, ev map[string]string) {
	t.Helper()
	data, _ := json.Marshal(ev)
	cmd := exec.Command(filepath.Join(filepath.Dir(m.bin), "sess-hook"), "--dashboard-dir", m.store)
	cmd.Env = []string{"HOME=" + m.home, "PATH=" + os.Getenv("PATH"), "SESS_TRANSCRIPT_ARCHIVE=off"}
	cmd.Stdin = bytes.NewReader(data)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: sess-hook %s: %v\n%s", m.name, ev["hook_event_name"], err, out)
	}
}

// waitReads waits until the machine's overview, search and page show the
// other machine's session id, marked with that machine.
func (m *machine) waitReads(t *testing.T, id string) {
	t.Helper()
	syncthingtest.WaitFor(t, replicated, m.name+"'s overview to show "+id, func() bool {
		return bytes.Contains(m.sessManage(t, "overview"), []byte(id))
	})
	var found struct {
		Results []struct {
			SessionID string `json:"session_id"`
			Machine   string `json:"machine"`
		} `json:"results"`
	}
	decode(t, m.sessManage(t, "search", "tokenizer"), &found)
	if len(found.Results) == 0 || found.Results[0].SessionID != id || found.Results[0].Machine == "" {
		t.Errorf("%s: search tokenizer: %+v, want %s first, marked with its machine", m.name, found.Results, id)
	}
	page := m.serve(t)
	body := get(t, page+"/api/overview")
	if !strings.Contains(body, id) || !strings.Contains(body, `"machine"`) {
		t.Errorf("%s: the page's overview does not show %s marked with its machine", m.name, id)
	}
}

// serve starts the machine's sess-serve on a free port, stopped at the
// end, and returns its address once it answers.
func (m *machine) serve(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(filepath.Join(filepath.Dir(m.bin), "sess-serve"), "--dashboard-dir", m.store, "--addr", addr)
	cmd.Env = []string{"HOME=" + m.home, "PATH=" + os.Getenv("PATH")}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	url := "http://" + addr
	syncthingtest.WaitFor(t, replicated, m.name+"'s sess-serve to answer", func() bool {
		resp, err := http.Get(url + "/api/overview")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil && resp.StatusCode == http.StatusOK
	})
	return url
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s\n%s", url, resp.Status, body)
	}
	return string(body)
}

// carryOn parks the other machine's session there, carries it on here
// (resume-session of another machine's session), and waits until the
// other machine's thread of it shows the session that carries it on. It
// returns that session.
func (m *machine) carryOn(t *testing.T, other *machine, parts partsOf, id string) string {
	t.Helper()
	other.sessManage(t, "park-session", id, "--reason", "going home", "--next-steps", "run the fuzzer")
	other.sync(t)
	syncthingtest.WaitFor(t, replicated, m.name+" to read "+id+" parked", func() bool {
		return other.id != "" && m.othersSession(t, other, id).Status == "parked"
	})
	var carried struct {
		SessionID string `json:"session_id"`
		Continues string `json:"continues"`
	}
	decode(t, m.sessManage(t, "resume-session", id), &carried)
	if carried.Continues != id {
		t.Fatalf("%s: resume-session %s made %+v, want a session that continues it", m.name, id, carried)
	}
	if brief := string(m.sessManage(t, "brief", carried.SessionID)); !strings.Contains(brief, "run the fuzzer") {
		t.Errorf("%s: the brief of the carried-on thread lacks the laptop's next step:\n%s", m.name, brief)
	}
	m.sync(t)
	parts.waitDelivered(t, m, other, "sessions/"+carried.SessionID+".json")
	var thread struct {
		Sessions []struct {
			SessionID string `json:"session_id"`
		} `json:"sessions"`
	}
	decode(t, other.sessManage(t, "thread", id), &thread)
	if got := fmt.Sprint(thread.Sessions); !strings.Contains(got, carried.SessionID) {
		t.Errorf("%s: thread %s is %s, want it to go on in %s", other.name, id, got, carried.SessionID)
	}
	return carried.SessionID
}
