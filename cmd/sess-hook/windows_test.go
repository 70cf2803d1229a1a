package main

import (
	"encoding/json"
	"github.com/sess-dev/sess/internal/journal"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sess-dev/sess/internal/transcript"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// TestReplayWindows replays a day of two Claude Code windows in one
// repository, each window a long-lived process of its own that starts its
// hooks: /session-end then /clear in each, a prompt in one window while
// the other clears, a rate limit, a compaction, a relaunch that resumes,
// a resume under a new id and a fork from new processes. Each window's
// thread is its own, no live window's session is closed by another, and
// every SessionStart's brief is its own thread's.
func TestReplayWindows(t *testing.T) {
	base := t.TempDir()
	api := filepath.Join(base, "api")
	gitRepo(t, api)
	os.MkdirAll(filepath.Join(api, "src"), 0o700)
	cc, dir := installed(t, base, map[string]string{"API": api})
	st := store.Open(dir, store.Options{})
	projects := filepath.Join(base, ".claude", "projects", transcript.Folder(api))
	event := func(cid, name string, fields map[string]any) []byte {
		ev := map[string]any{"session_id": cid, "transcript_path": filepath.Join(projects, cid+".jsonl"), "cwd": api,
			"permission_mode": "default", "hook_event_name": name}
		for k, v := range fields {
			ev[k] = v
		}
		data, _ := json.Marshal(ev)
		return data
	}
	start := func(cid, source string) []byte {
		return event(cid, "SessionStart", map[string]any{"source": source, "model": "claude-opus-5"})
	}
	prompt := func(cid, text string) []byte { return event(cid, "UserPromptSubmit", map[string]any{"prompt": text}) }
	stop := func(cid, answer string) []byte {
		return event(cid, "Stop", map[string]any{"stop_hook_active": false, "last_assistant_message": answer})
	}
	end := func(cid, reason string) []byte { return event(cid, "SessionEnd", map[string]any{"reason": reason}) }
	byCID := func(cid string) *session.Session {
		t.Helper()
		list, err := st.View().List(store.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range list {
			if session.Deref(s.ClaudeSessionID) == cid {
				return s
			}
		}
		t.Fatalf("no session of %s", cid)
		return nil
	}
	complete := func(cid, outcome string) { // the /session-end skill
		if _, err := st.CompleteSession(byCID(cid).SessionID, store.Completion{Outcome: outcome}); err != nil {
			t.Errorf("/session-end in %s: %v", cid, err)
		}
	}
	briefs := map[string]string{}
	steps := []struct {
		win     string // the window process; a new generation is a new launch
		payload []byte
		do      func()
		brief   string // a name for what SessionStart answered
	}{
		{win: "X", payload: start("x1", "startup")},
		{win: "X", payload: prompt("x1", "Add OAuth login")},
		{win: "Y", payload: start("y1", "startup")},
		{win: "Y", payload: prompt("y1", "Update the README")},
		{win: "X", payload: event("x1", "PostToolUse", map[string]any{"tool_name": "Edit", "tool_use_id": "t1",
			"tool_input": map[string]any{"file_path": filepath.Join(api, "src", "oauth.go")}, "tool_response": map[string]any{}})},
		{win: "X", payload: stop("x1", "The login flow is in place. Shall I add the token refresh too?")},
		{win: "Y", payload: stop("y1", "The README now documents the flags.")},
		{do: func() { complete("y1", "README updated") }},
		{win: "Y", payload: end("y1", "clear")},
		{win: "Y", payload: start("y2", "clear"), brief: "Y after /clear"},
		{win: "Y", payload: prompt("y2", "Now the CHANGELOG")},
		{win: "X", payload: prompt("x1", "Yes, add the refresh")},
		{win: "X", payload: stop("x1", "The refresh is in. Want me to write the tests now?")},
		{do: func() { complete("x1", "OAuth login done") }},
		{win: "X", payload: end("x1", "clear")},
		{win: "X", payload: start("x2", "clear"), brief: "X after /clear"},
		{win: "X", payload: prompt("x2", "Write the tests for the refresh")},
		// Claude Code 2.1.198's notifications pass the installed matcher.
		{win: "X", payload: event("x2", "Notification", map[string]any{"notification_type": "agent_needs_input", "message": "Claude needs your input on the test names"})},
		{do: func() {
			if a := session.Deref(byCID("x2").AwaitingAction); a != "Claude needs your input on the test names" {
				t.Errorf("agent_needs_input: awaiting %q", a)
			}
		}},
		{win: "X", payload: event("x2", "Notification", map[string]any{"notification_type": "agent_completed", "message": "Done"})},
		{do: func() {
			if s := byCID("x2"); s.AwaitingAction != nil || session.Deref(s.State) != session.StateIdle {
				t.Errorf("agent_completed: awaiting %q, state %q", session.Deref(s.AwaitingAction), session.Deref(s.State))
			}
		}},
		{win: "Y", payload: event("y2", "StopFailure", map[string]any{"error": "rate_limit", "error_details": "429"})},
		{win: "X", payload: event("x2", "PostCompact", map[string]any{"trigger": "auto", "compact_summary": "Refresh tests half written."})},
		{win: "X", payload: start("x2", "compact"), brief: "X compacted"},
		{win: "Y", payload: end("y2", "prompt_input_exit")},
		{win: "Y2", payload: start("y2", "resume"), brief: "Y relaunched"},
		{win: "Y2", payload: stop("y2", "The CHANGELOG is updated.")},
		{win: "Y2", payload: end("y2", "prompt_input_exit")},
		{do: func() {
			writeTranscript(t, projects, "y2", "y2", "")
			writeTranscript(t, projects, "r1", "y2", "") // copied rows, the new id stamped
			writeTranscript(t, projects, "x2", "x2", "")
			writeTranscript(t, projects, "f1", "f1", "x2") // /branch marks its copies
		}},
		{win: "Y3", payload: start("r1", "resume"), brief: "Y resumed under a new id"},
		{win: "F", payload: start("f1", "fork"), brief: "fork of X"},
		// claude --resume x2 --fork-session, as Claude Code 2.1 runs it: its
		// SessionStart names the parent, its own id comes with the prompt.
		{win: "G", payload: start("x2", "resume")},
		{do: func() { writeTranscript(t, projects, "g1", "x2", "") }},
		{win: "G", payload: prompt("g1", "Try another token store")},
		{win: "X", payload: stop("x2", "Tests written.")},
	}
	for _, s := range steps {
		if s.do != nil {
			s.do()
			continue
		}
		out := cc.fire(t, s.win, s.payload)
		if s.brief != "" {
			briefs[s.brief] = contextOf(t, out)
		}
	}

	for name, c := range map[string]struct{ want, not []string }{
		"Y after /clear": {want: []string{"Intent: Update the README", "Outcome so far: README updated", "Last answer: The README now documents the flags."},
			not: []string{"OAuth", "refresh"}},
		"X after /clear": {want: []string{"Intent: Add OAuth login", "Outcome so far: OAuth login done", "Last answer: The refresh is in.",
			"Open question (the last answer asked, not answered yet): Want me to write the tests now?", "Files touched lately:\n- src/oauth.go"},
			not: []string{"README", "CHANGELOG"}},
		"X compacted":              {want: []string{"Intent: Write the tests for the refresh", "Conversation compacted: Refresh tests half written."}, not: []string{"README", "CHANGELOG"}},
		"Y relaunched":             {want: []string{"Intent: Now the CHANGELOG"}, not: []string{"OAuth"}},
		"Y resumed under a new id": {want: []string{"Intent: Now the CHANGELOG", "Last answer: The CHANGELOG is updated.", "(2 earlier sessions;"}, not: []string{"OAuth"}},
		"fork of X":                {want: []string{"Intent: Write the tests for the refresh", "(2 earlier sessions;"}, not: []string{"README", "CHANGELOG"}},
	} {
		got := briefs[name]
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: the brief lacks %q:\n%s", name, w, got)
			}
		}
		for _, n := range c.not {
			if strings.Contains(got, n) {
				t.Errorf("%s: the brief tells another window's story (%q):\n%s", name, n, got)
			}
		}
	}

	x1, x2, y1, y2, r1, f1, g1 := byCID("x1"), byCID("x2"), byCID("y1"), byCID("y2"), byCID("r1"), byCID("f1"), byCID("g1")
	for _, c := range []struct {
		what       string
		have, want any
	}{
		{"x1: the prompt and Stop while Y cleared", session.Deref(x1.CurrentActivity), "The refresh is in."},
		{"x1's status", x1.Status, session.StatusCompleted},
		{"x1's outcome, its own", session.Deref(x1.Outcome), "OAuth login done"},
		{"x2 carries on x1", session.Deref(x2.Continues), x1.SessionID},
		{"x2 runs on", x2.Status, session.StatusActive},
		{"x2's last answer", session.Deref(x2.CurrentActivity), "Tests written."},
		{"x2 is not closed by the fork", x2.ContinuedBy, (*string)(nil)},
		{"y1's outcome, its own", session.Deref(y1.Outcome), "README updated"},
		{"y2 carries on y1", session.Deref(y2.Continues), y1.SessionID},
		{"y2's rate limit", eventsOf(y2), "Turn failed: rate_limit | Conversation ended (prompt_input_exit) | Conversation ended (prompt_input_exit)"},
		{"y2 carried on by the resume", session.Deref(y2.ContinuedBy), r1.SessionID},
		{"r1 carries on y2", session.Deref(r1.Continues), y2.SessionID},
		{"f1 branches off x2", session.Deref(f1.Continues), x2.SessionID},
		{"f1 runs", f1.Status, session.StatusActive},
		{"g1, registered at its prompt, branches off x2", session.Deref(g1.Continues), x2.SessionID},
		{"g1's intent", g1.Intent, "Try another token store"},
		{"x2 stays in X's window", session.Deref(x2.Window), session.Deref(x1.Window)},
		{"g1 runs in another", session.Deref(g1.Window) != session.Deref(x2.Window) && session.Deref(g1.Window) != "", true},
	} {
		if !equalJSON(c.have, c.want) {
			t.Errorf("%s: have %v, want %v", c.what, c.have, c.want)
		}
	}
	for _, c := range []struct {
		id   string
		want []string
	}{
		{f1.SessionID, []string{x1.SessionID, x2.SessionID, f1.SessionID}},
		{x2.SessionID, []string{x1.SessionID, x2.SessionID}},
		{g1.SessionID, []string{x1.SessionID, x2.SessionID, g1.SessionID}},
		{r1.SessionID, []string{y1.SessionID, y2.SessionID, r1.SessionID}},
	} {
		thread, err := journal.Thread(st, c.id)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, s := range thread {
			ids = append(ids, s.SessionID)
		}
		if strings.Join(ids, " ") != strings.Join(c.want, " ") {
			t.Errorf("thread of %s: %v, want %v", c.id, ids, c.want)
		}
	}
}

// contextOf is the context a SessionStart's answer hands the model.
func contextOf(t *testing.T, out string) string {
	t.Helper()
	var v struct {
		HookSpecificOutput struct{ AdditionalContext string }
	}
	if json.Unmarshal([]byte(out), &v) != nil {
		return out
	}
	return v.HookSpecificOutput.AdditionalContext
}

// writeTranscript writes conversation cid's transcript: two rows of
// conversation from (their uuids are from's), stamped with cid, and, for
// a /branch, marked as forked from forkedFrom.
func writeTranscript(t *testing.T, dir, cid, from, forkedFrom string) {
	t.Helper()
	os.MkdirAll(dir, 0o700)
	var b strings.Builder
	for i, typ := range []string{"user", "assistant"} {
		row := map[string]any{"type": typ, "uuid": from + "-row-" + string(rune('a'+i)), "sessionId": cid, "timestamp": "2026-12-06T10:00:00.000Z",
			"message": map[string]any{"role": typ, "content": "text"}}
		if forkedFrom != "" {
			row["forkedFrom"] = map[string]any{"sessionId": forkedFrom, "messageUuid": row["uuid"]}
		}
		data, _ := json.Marshal(row)
		b.Write(append(data, '\n'))
	}
	path := filepath.Join(dir, cid+".jsonl")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	// The next file is made later, as Claude Code makes them, by the file
	// system's clock, which is coarser than the process's.
	fi, _ := os.Stat(path)
	probe := filepath.Join(dir, ".probe")
	for {
		os.WriteFile(probe, nil, 0o600)
		p, _ := os.Stat(probe)
		os.Remove(probe)
		if p.ModTime().After(fi.ModTime()) {
			return
		}
	}
}
