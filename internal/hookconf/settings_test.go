package hookconf

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

const other = `{
    "model": "opus",
    "hooks": {
        "PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "guard"}]}],
        "Stop": [
            {"matcher": "", "hooks": [{"type": "command", "command": "other-tool stop"}]},
            {"matcher": "", "hooks": [{"type": "command", "command": "/usr/local/bin/sess-heartbeat"}]}
        ],
        "SessionStart": [{"hooks": [{"type": "command", "command": "sess-manage register-launch --from-hook"}, {"type": "command", "command": "direnv export"}]}]
    },
    "env": {"A": "<b>"}
}`

func TestMerge(t *testing.T) {
	t.Parallel()
	groups := Groups("/opt/sess/bin/sess-hook")
	for name, tc := range map[string]struct {
		in              string
		removed         int
		order           []string // substrings in the order they must appear
		keepsOtherTools bool
	}{
		"empty":       {in: "", order: []string{`"SessionStart"`, `"UserPromptSubmit"`, `"PostToolUse"`, `"Bash"`, `"Bash(git commit *)"`, `"SessionEnd"`}},
		"blank":       {in: " \n", order: []string{`"SessionStart"`}},
		"no hooks":    {in: `{"model": "opus"}`, order: []string{`"model"`, `"hooks"`}},
		"other tools": {in: other, removed: 2, keepsOtherTools: true, order: []string{`"model"`, `"hooks"`, `"PreToolUse"`, `"Stop"`, `other-tool stop`, `/opt/sess/bin/sess-hook`, `"SessionStart"`, `direnv export`, `/opt/sess/bin/sess-hook`, `"env"`}},
	} {
		t.Run(name, func(t *testing.T) {
			first, err := Merge([]byte(tc.in), groups)
			if err != nil {
				t.Fatal(err)
			}
			if !first.Changed || first.Removed != tc.removed {
				t.Errorf("changed %v, removed %d (want %d)", first.Changed, first.Removed, tc.removed)
			}
			got := string(first.Settings)
			at := 0
			for _, want := range tc.order {
				i := strings.Index(got[at:], want)
				if i < 0 {
					t.Fatalf("%q missing or out of order in\n%s", want, got)
				}
				at += i + len(want)
			}
			if strings.Count(got, "/opt/sess/bin/sess-hook") != len(Entries) || strings.Contains(got, "sess-heartbeat") || strings.Contains(got, "register-launch") {
				t.Errorf("want each entry once and no earlier ones:\n%s", got)
			}
			if tc.keepsOtherTools && (!strings.Contains(got, `"guard"`) || !strings.Contains(got, `"<b>"`)) {
				t.Errorf("other settings lost or escaped:\n%s", got)
			}
			again, err := Merge(first.Settings, groups)
			if err != nil || again.Changed || string(again.Settings) != got {
				t.Errorf("a second merge changed the file (%v):\n%s", err, again.Settings)
			}
			back, err := Remove(first.Settings)
			if err != nil || !back.Changed || back.Removed != len(Entries) {
				t.Fatalf("remove: %v, %+v", err, back)
			}
			if strings.Contains(string(back.Settings), "sess-hook") {
				t.Errorf("remove left ours:\n%s", back.Settings)
			}
			if tc.keepsOtherTools {
				var v map[string]map[string][]json.RawMessage
				json.Unmarshal(back.Settings, &v)
				if len(v["hooks"]["Stop"]) != 1 || len(v["hooks"]["SessionStart"]) != 1 || len(v["hooks"]["PreToolUse"]) != 1 || v["hooks"]["PostToolUse"] != nil {
					t.Errorf("remove took more or less than ours:\n%s", back.Settings)
				}
			}
		})
	}
}

func TestMergeRefuses(t *testing.T) {
	t.Parallel()
	for _, in := range []string{`[]`, `{"hooks": []}`, `{"hooks": {"Stop": {"x": 1}}}`, `{"a": 1} {"b": 2}`, `{"a": `} {
		if _, err := Merge([]byte(in), Groups("sess-hook")); err == nil {
			t.Errorf("Merge(%s): want an error", in)
		}
	}
	// Another tool's event in a shape sess does not read is left alone.
	res, err := Merge([]byte(`{"hooks": {"Custom": {"x": 1}}}`), Groups("sess-hook"))
	if err != nil || !strings.Contains(string(res.Settings), `"x": 1`) {
		t.Errorf("%v\n%s", err, res.Settings)
	}
}

func TestOurs(t *testing.T) {
	t.Parallel()
	for cmd, want := range map[string]bool{
		"sess-hook":                true,
		"/home/u/go/bin/sess-hook": true,
		"'/Users/a b/go/bin/sess-hook' --dashboard-dir x": true,
		"sess-heartbeat --interval 5m":                    true,
		"sess-manage register-launch --from-hook":         true,
		"sess-manage add-event x":                         false,
		"$HOME/.claude/dashboard/heartbeat.sh":            false,
		"my-sess-hook-wrapper":                            false,
		"guard":                                           false,
	} {
		if Ours(cmd) != want {
			t.Errorf("Ours(%q): want %v", cmd, want)
		}
	}
	if got := Command("/Users/a b/go/bin/sess-hook"); got != "'/Users/a b/go/bin/sess-hook'" {
		t.Errorf("Command: %s", got)
	}
	if got := Command("/home/u/go/bin/sess-hook"); got != "/home/u/go/bin/sess-hook" {
		t.Errorf("Command: %s", got)
	}
}

// TestQuotedPath: a path with a quote in it is written quoted for the
// shell and read back as sess's, so a second install changes nothing and
// uninstall takes it out.
func TestQuotedPath(t *testing.T) {
	t.Parallel()
	for _, p := range []string{"/Users/o'brien/go/bin/sess-hook", "/home/a b/bin/sess-hook", `/x/"q"/sess-hook`} {
		cmd := Command(p)
		if prog, _ := firstWord(cmd); prog != p {
			t.Errorf("%s: read back as %q", cmd, prog)
		}
		first, _ := Merge(nil, Groups(cmd))
		again, _ := Merge(first.Settings, Groups(cmd))
		if again.Changed {
			t.Errorf("%s: a second install changed the file", p)
		}
		if back, _ := Remove(first.Settings); back.Removed != len(Entries) {
			t.Errorf("%s: uninstall removed %d", p, back.Removed)
		}
	}
}

// TestDuplicateEvent: an event given twice keeps the other tool's copy;
// ours go into the last copy, the one Claude Code reads.
func TestDuplicateEvent(t *testing.T) {
	t.Parallel()
	in := `{"hooks":{"Stop":[{"hooks":[{"type":"command","command":"sess-hook"}]}],"Stop":[{"hooks":[{"type":"command","command":"my-own-stop.sh"}]}]}}`
	back, err := Remove([]byte(in))
	if err != nil || !strings.Contains(string(back.Settings), "my-own-stop.sh") || back.Removed != 1 {
		t.Errorf("uninstall: %v %s", err, back.Settings)
	}
	res, err := Merge([]byte(in), Groups("/bin/sess-hook"))
	if err != nil || !strings.Contains(string(res.Settings), "my-own-stop.sh") {
		t.Fatalf("install: %v %s", err, res.Settings)
	}
	var last struct{ Hooks map[string][]Group } // encoding/json keeps the last copy, as Claude Code
	json.Unmarshal(res.Settings, &last)
	if stop := last.Hooks["Stop"]; len(stop) != 2 {
		t.Errorf("the last Stop: %+v", stop)
	}
}

// TestDoctorLenient: another tool's entry of another shape (a timeout of
// 2.5, a group that is a string) does not make the doctor miss sess's.
func TestDoctorLenient(t *testing.T) {
	t.Parallel()
	res, _ := Merge([]byte(`{"hooks":{"Stop":[{"hooks":[{"type":"command","command":"x","timeout":2.5}]},"odd"]}}`), Groups("sess-hook"))
	hooks := lenientHooks(json.RawMessage(mustHooks(t, res.Settings)))
	n := 0
	for _, groups := range hooks {
		for _, g := range groups {
			for _, h := range g.Hooks {
				if h.Command == "sess-hook" {
					n++
				}
			}
		}
	}
	if n != len(Entries) {
		t.Errorf("read %d of sess's %d entries", n, len(Entries))
	}
}

func mustHooks(t *testing.T, settings []byte) []byte {
	t.Helper()
	var s struct{ Hooks json.RawMessage }
	if err := json.Unmarshal(settings, &s); err != nil {
		t.Fatal(err)
	}
	return s.Hooks
}

// TestAmbiguousHooks: a "hooks" given twice at the top (Claude Code reads
// the last) is not guessed at: install and uninstall refuse it, since
// editing one copy and dropping the other took another tool's hook away.
func TestAmbiguousHooks(t *testing.T) {
	t.Parallel()
	in := `{"hooks":{"Stop":[{"hooks":[{"type":"command","command":"sess-hook"}]}]},"model":"opus","hooks":{"Stop":[{"hooks":[{"type":"command","command":"my-own-stop.sh"}]}]}}`
	for name, edit := range map[string]func([]byte) (Result, error){
		"install":   func(b []byte) (Result, error) { return Merge(b, Groups("/bin/sess-hook")) },
		"uninstall": Remove,
	} {
		_, err := edit([]byte(in))
		if !errors.Is(err, ErrAmbiguous) {
			t.Errorf("%s: want ErrAmbiguous, have %v", name, err)
		}
	}
}

// TestMixedCommand: a command that runs sess's program together with
// something else is not purely sess's: install and uninstall leave it as
// it is and warn about it; a purely sess command with a redirection is
// still sess's.
func TestMixedCommand(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		command  string
		removed  int
		warnings int
	}{
		"then a script":       {command: "sess-heartbeat --interval 5m; backup-notes.sh", warnings: 1},
		"and a script":        {command: "/opt/bin/sess-hook && backup-notes.sh", warnings: 1},
		"after cd":            {command: "cd /x && sess-hook", warnings: 1},
		"piped":               {command: "sess-hook | tee log", warnings: 1},
		"substitution":        {command: "sess-hook --dashboard-dir $(cat dir)", warnings: 1},
		"backgrounded":        {command: "sess-hook & other", warnings: 1},
		"redirected":          {command: "sess-hook 2>&1 >/dev/null", removed: 1},
		"quoted separator":    {command: "sess-hook --note 'a; b'", removed: 1},
		"another tool's only": {command: "backup-notes.sh; other"},
	} {
		t.Run(name, func(t *testing.T) {
			in := `{"hooks":{"Stop":[{"hooks":[{"type":"command","command":` + string(marshal(tc.command)) + `}]}]}}`
			back, err := Remove([]byte(in))
			if err != nil {
				t.Fatal(err)
			}
			if want, have := tc.removed, back.Removed; want != have {
				t.Errorf("removed: want %d, have %d", want, have)
			}
			if want, have := tc.warnings, len(back.Warnings); want != have {
				t.Errorf("warnings: want %d, have %d %q", want, have, back.Warnings)
			}
			if tc.removed == 0 && !strings.Contains(string(back.Settings), string(marshal(tc.command))) {
				t.Errorf("the command was changed:\n%s", back.Settings)
			}
			res, err := Merge([]byte(in), Groups("/bin/sess-hook"))
			if err != nil {
				t.Fatal(err)
			}
			if want, have := tc.warnings, len(res.Warnings); want != have {
				t.Errorf("install warnings: want %d, have %d", want, have)
			}
		})
	}
}
