package cli

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"testing"

	"github.com/sess-dev/sess/pkg/session"
)

func TestSuggest(t *testing.T) {
	t.Parallel()
	names := []string{"create-session", "register-launch", "register-project", "list-sessions", "list-projects", "rebuild-index", "heartbeat", "heartbeat-project", "export", "export-all", "version"}
	for _, tc := range []struct{ in, want string }{
		{"craete-session", "create-session"},
		{"create-sesion", "create-session"},
		{"Create-Session", "create-session"},
		{"list-session", "list-sessions"},
		{"rebuild", "rebuild-index"},
		{"verison", "version"},
		{"hearbeat", "heartbeat"},
		{"register", ""}, // a prefix of two
		{"frobnicate", ""},
		{"x", ""},
		{"", ""},
	} {
		if have := Suggest(tc.in, names); have != tc.want {
			t.Errorf("Suggest(%q): want %q, have %q", tc.in, tc.want, have)
		}
	}
}

func TestChoice(t *testing.T) {
	t.Parallel()
	c := &Choice{Allowed: []string{"json", "markdown"}, Value: "json"}
	if err := c.Set("html"); err == nil || c.Value != "json" {
		t.Errorf("Set(html): %v, value %q", err, c.Value)
	}
	if err := c.Set("markdown"); err != nil || c.Value != "markdown" {
		t.Errorf("Set(markdown): %v, value %q", err, c.Value)
	}
}

// TestExit: the exit status of every outcome, and the one plain line on
// stderr that a failed operation gets.
func TestExit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err        error
		code       int
		wantStderr string
	}{
		{nil, 0, ""},
		{flag.ErrHelp, 0, ""},
		{ErrVersion, 0, ""},
		{Usagef("bad"), 2, ""},
		{&Reported{Err: session.NotFound("session %s not found", "sess_x")}, 1, "tool: session sess_x not found\n"},
		{errors.New("write /dev/full: no space left\non device"), 1, "tool: write /dev/full: no space left on device\n"},
		{fmt.Errorf("wrapped: %w", &Reported{Err: session.Conflict("busy")}), 1, "tool: wrapped: busy\n"},
	} {
		var b strings.Builder
		if code := Exit("tool", &b, tc.err); code != tc.code || b.String() != tc.wantStderr {
			t.Errorf("%v: want %d %q, have %d %q", tc.err, tc.code, tc.wantStderr, code, b.String())
		}
	}
}
