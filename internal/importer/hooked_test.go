package importer

import (
	"bytes"
	"path/filepath"
	"testing"
	"time"

	"github.com/sess-dev/sess/internal/hookio"
	"github.com/sess-dev/sess/internal/journal/hook"
	"github.com/sess-dev/sess/internal/window"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// TestImportBesideHooks: a store the hooks filled as A1 and A2 ran (their
// payloads, in one window, at the rows' times), then imported twice:
// nothing doubles; what the hooks could not record (A1's commit: the hook
// asks git, and the repository has none) is added once.
func TestImportBesideHooks(t *testing.T) {
	t.Parallel()
	tr := genTree(t)
	dir := filepath.Join(t.TempDir(), "dashboard")
	clk := &clock{now: func() time.Time { return tr.now }}
	st := store.Open(dir, store.Options{Now: clk.Now})
	var warnings bytes.Buffer
	h := hook.New(st, func(string) string { return "" }, &warnings, "sess-hook")
	h.FindWindow = func() window.ID { return "w1" }
	h.Alive = func(window.ID) bool { return false }
	fire := func(when string, in hookio.Input) {
		t.Helper()
		ts, err := time.Parse(time.RFC3339, when)
		if err != nil {
			t.Fatal(err)
		}
		clk.set(ts)
		if in.Cwd == "" {
			in.Cwd = tr.repo
		}
		h.Handle(in)
	}
	edit := hookio.ToolInput{FilePath: filepath.Join(tr.repo, "src", "login.go")}
	fire(at(0, 0), hookio.Input{SessionID: convA1, HookEventName: "SessionStart", Source: "startup"})
	fire(at(0, 1), hookio.Input{SessionID: convA1, HookEventName: "UserPromptSubmit", Prompt: "Fix the login redirect loop"})
	fire(at(1, 0), hookio.Input{SessionID: convA1, HookEventName: "PostToolUse", ToolName: "Edit", ToolInput: edit})
	fire(at(3, 0), hookio.Input{SessionID: convA1, HookEventName: "PostToolUse", ToolName: "Bash", ToolInput: hookio.ToolInput{Command: "git commit -m 'Fix login loop'"}})
	fire(at(4, 0), hookio.Input{SessionID: convA1, HookEventName: "Stop", LastAssistantMessage: "Fixed the loop."})
	fire(at(5, 0), hookio.Input{SessionID: convA1, HookEventName: "SessionEnd", Reason: "clear"})
	fire(at(5, 0), hookio.Input{SessionID: convA2, HookEventName: "SessionStart", Source: "clear"})
	fire(at(5, 30), hookio.Input{SessionID: convA2, HookEventName: "UserPromptSubmit", Prompt: "Now add a test for the cookie"})
	fire(at(6, 0), hookio.Input{SessionID: convA2, HookEventName: "PostToolUse", ToolName: "TaskCreate", ToolInput: hookio.ToolInput{Subject: "Write the cookie test"}, CreatedTaskID: "1"})
	fire(at(7, 0), hookio.Input{SessionID: convA2, HookEventName: "PostToolUse", ToolName: "TaskUpdate", ToolInput: hookio.ToolInput{TaskID: "1", Status: "completed"}})
	fire(at(8, 0), hookio.Input{SessionID: convA2, HookEventName: "Stop", LastAssistantMessage: "The test passes."})
	hooked := byConversation(t, dir)
	if len(hooked) != 2 || len(hooked[convA1].Commits) != 0 {
		t.Fatalf("the hooks recorded %d sessions, A1 with commits %v (%s)", len(hooked), hooked[convA1].Commits, warnings.String())
	}

	sum := runImport(t, dir, tr, false)
	if sum.Imported != 3 || sum.Enriched != 1 || sum.Skipped != 1 { // A2 lacks nothing
		t.Errorf("import beside the hooks: %+v", sum)
	}
	got := byConversation(t, dir)
	if want, have := 5, len(got); want != have {
		t.Fatalf("sessions: want %d, have %d", want, have)
	}
	a1, a2 := got[convA1], got[convA2]
	if a1.SessionID != hooked[convA1].SessionID || a2.SessionID != hooked[convA2].SessionID {
		t.Error("the hooks' sessions were replaced")
	}
	if len(a1.Commits) != 1 || a1.Commits[0].SHA != "1a2b3c4" || len(a1.FilesChanged) != 1 || len(a1.Tasks) != 2 {
		t.Errorf("A1 enriched: commits %v, files %v, tasks %v", a1.Commits, a1.FilesChanged, a1.Tasks)
	}
	if len(a2.Tasks) != 1 || session.Deref(a2.Continues) != a1.SessionID {
		t.Errorf("A2: tasks %v, continues %q", a2.Tasks, session.Deref(a2.Continues))
	}
	if want, have := session.StateIdle, session.Deref(a2.State); want != have {
		t.Errorf("A2's live state: want %s, have %s", want, have)
	}
	before := storeFiles(t, dir)
	if sum := runImport(t, dir, tr, false); sum.Imported != 0 || sum.Enriched != 0 {
		t.Errorf("second import: %+v", sum)
	}
	after := storeFiles(t, dir)
	for name, data := range before {
		if after[name] != data {
			t.Errorf("%s changed on the second import", name)
		}
	}
}
