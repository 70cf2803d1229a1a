package cli

import "testing"

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
