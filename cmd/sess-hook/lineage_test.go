package main

import (
	"encoding/json"
	"github.com/sess-dev/sess/internal/journal"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// TestReplayLineage replays a day of one piece of work across
// conversations (testdata/lineage): /clear, a rate limit, a compaction, a
// resume with the same id and one with a new id, beside another window in
// the same repository; then checks the sessions, the thread and each
// brief SessionStart handed Claude Code.
func TestReplayLineage(t *testing.T) {
	base := t.TempDir()
	api := filepath.Join(base, "api")
	gitRepo(t, api)
	cc, dir := installed(t, base, map[string]string{"API": api})
	cc.replay(t, "testdata/lineage")
	st := store.Open(dir, store.Options{})

	brief := func(step string) string {
		t.Helper()
		out := strings.TrimSpace(cc.printed[step])
		var v struct {
			HookSpecificOutput struct{ HookEventName, AdditionalContext string }
		}
		if !strings.HasPrefix(out, "{") {
			return "" // the one line, no brief
		}
		if err := json.Unmarshal([]byte(out), &v); err != nil || v.HookSpecificOutput.HookEventName != "SessionStart" {
			t.Fatalf("%s: %v %s", step, err, out)
		}
		if n := len([]rune(v.HookSpecificOutput.AdditionalContext)); n > 2000 {
			t.Errorf("%s: %d characters of context, over brief_max_chars", step, n)
		}
		return v.HookSpecificOutput.AdditionalContext
	}
	for step, want := range map[string][]string{
		"01-A-start.json":       nil, // nothing to say yet
		"06-B-start.json":       nil, // another window: not A's thread
		"10-A-start-clear.json": {"Intent: Add OAuth login", "Continues: sess_", "- [in_progress] Callback handler", "- [pending] Token refresh"},
		"15-A-start-compact.json": {"Intent: Now the token refresh", "Conversation compacted: Token refresh: loop written, tests pending.",
			"Last answer: The callback handler is in place."},
		"18-A2-resume-same-id.json": {"Intent: Now the token refresh"},
		"20-A3-resume-new-id.json":  {"Intent: Now the token refresh", "(2 earlier sessions;"},
	} {
		got := brief(step)
		if want == nil && got != "" {
			t.Errorf("%s: want no brief, have\n%s", step, got)
		}
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: brief lacks %q:\n%s", step, w, got)
			}
		}
		if strings.Contains(got, "Turn failed") {
			t.Errorf("%s: a failed turn that was retried is not in the brief:\n%s", step, got)
		}
		if len(got) > 0 && !strings.HasPrefix(got, "sess: session sess_") {
			t.Errorf("%s: the brief should follow the id line:\n%s", step, got)
		}
	}

	a3 := own(t, st, "aaaa3333-0000-4000-8000-000000000003")
	thread, err := journal.Thread(st, a3.SessionID)
	if err != nil || len(thread) != 3 {
		t.Fatalf("thread of A3: %d sessions (%v)", len(thread), err)
	}
	a, a2 := thread[0], thread[1]
	for _, c := range []struct {
		what       string
		have, want any
	}{
		{"A's conversation", session.Deref(a.ClaudeSessionID), "aaaa1111-0000-4000-8000-000000000001"},
		{"A's outcome", session.Deref(a.Outcome), journal.ContinuedOutcome(a2.SessionID)},
		{"A's status", a.Status, session.StatusCompleted},
		{"A2's conversation", session.Deref(a2.ClaudeSessionID), "aaaa2222-0000-4000-8000-000000000002"},
		{"A2's outcome", session.Deref(a2.Outcome), journal.ContinuedOutcome(a3.SessionID)},
		{"A2's intent", a2.Intent, "Now the token refresh"},
		{"A3's intent (a resume keeps it)", a3.Intent, "Now the token refresh"},
		{"A3's state", session.LiveState(a3, st.View().Now(), 24).State, session.StateIdle},
		{"A2's events", eventsOf(a2), "Turn failed: rate_limit | Conversation compacted: Token refresh: loop written, tests pending. | Conversation ended (prompt_input_exit) | Conversation ended (other)"},
	} {
		if !equalJSON(c.have, c.want) {
			t.Errorf("%s: have %v, want %v", c.what, c.have, c.want)
		}
	}
	b := own(t, st, "bbbb1111-0000-4000-8000-00000000000b")
	if b.Continues != nil || b.ContinuedBy != nil || b.Intent != "Update the README" || b.Status != session.StatusActive {
		t.Errorf("the other window was drawn into the thread: %+v", b)
	}
}

func eventsOf(s *session.Session) string {
	var out []string
	for _, e := range s.Events {
		out = append(out, e.Message)
	}
	return strings.Join(out, " | ")
}
