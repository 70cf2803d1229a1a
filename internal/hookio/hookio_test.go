package hookio

import (
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	t.Parallel()
	in := Read(strings.NewReader(`{"session_id": "s", "cwd": "/x", "hook_event_name": "Stop", "last_assistant_message": "done", "agent_id": 7, "extra": {"a": 1}}`))
	if in.SessionID != "s" || in.Cwd != "/x" || in.HookEventName != "Stop" || in.LastAssistantMessage != "done" || in.AgentID != "" {
		t.Errorf("%+v", in)
	}
}

// FuzzRead: any input gives an Input (fields of the wrong type empty),
// never a panic, and a field is only what the JSON said.
func FuzzRead(f *testing.F) {
	f.Add(`{"session_id": "s", "prompt": "hi"}`)
	f.Add(`{"session_id": 1}`)
	f.Add(`[`)
	f.Add(``)
	f.Fuzz(func(t *testing.T, s string) {
		in := Read(strings.NewReader(s))
		if in.SessionID != "" && !strings.Contains(s, "session_id") {
			t.Fatalf("a session id from nowhere: %+v", in)
		}
	})
}

func TestOneLine(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{
		{"\n  first  \nsecond", 10, "first"},
		{"héllo wörld", 5, "héllo"},
		{"", 5, ""},
	} {
		if have := OneLine(tc.in, tc.max); have != tc.want {
			t.Errorf("OneLine(%q, %d): want %q, have %q", tc.in, tc.max, tc.want, have)
		}
	}
}
