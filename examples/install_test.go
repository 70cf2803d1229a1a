package examples

import (
	"encoding/json"
	"encoding/xml"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The files a user installs sess with: the skills here, and ../hooks,
// ../launchd and ../systemd.

func TestSkills(t *testing.T) {
	for _, name := range []string{"session-start", "session-end"} {
		data, err := fs.ReadFile(Skills, "skills/"+name+"/SKILL.md")
		if err != nil {
			t.Fatal(err)
		}
		s := string(data)
		if !strings.HasPrefix(s, "---\nname: "+name+"\ndescription: ") || !strings.Contains(s, "sess-manage ") || strings.Contains(s, "manage.py") {
			t.Errorf("%s: not a sess skill with front matter", name)
		}
	}
}

// plistValue is a node of a property list.
type plistValue struct {
	XMLName xml.Name
	Text    string       `xml:",chardata"`
	Items   []plistValue `xml:",any"`
}

// parsePlist reads a plist's top dict into key -> value node.
func parsePlist(t *testing.T, path string) map[string]plistValue {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var root plistValue
	if err := xml.Unmarshal(data, &root); err != nil {
		t.Fatalf("%s: not XML: %v", path, err)
	}
	if root.XMLName.Local != "plist" || len(root.Items) != 1 || root.Items[0].XMLName.Local != "dict" {
		t.Fatalf("%s: want <plist><dict>", path)
	}
	dict := root.Items[0].Items
	out := map[string]plistValue{}
	if len(dict)%2 != 0 {
		t.Fatalf("%s: a dict holds key/value pairs", path)
	}
	for i := 0; i < len(dict); i += 2 {
		if dict[i].XMLName.Local != "key" {
			t.Fatalf("%s: want <key> at %d, have <%s>", path, i, dict[i].XMLName.Local)
		}
		switch dict[i+1].XMLName.Local {
		case "string", "integer", "true", "false", "array", "dict":
		default:
			t.Fatalf("%s: unknown value <%s>", path, dict[i+1].XMLName.Local)
		}
		out[dict[i].Text] = dict[i+1]
	}
	return out
}

func TestLaunchdPlists(t *testing.T) {
	for file, want := range map[string]map[string]string{
		"../launchd/com.sess.serve.plist":   {"Label": "com.sess.serve", "KeepAlive": "true", "RunAtLoad": "true"},
		"../launchd/com.sess.cleanup.plist": {"Label": "com.sess.cleanup", "StartInterval": "3600", "RunAtLoad": "true"},
		"../launchd/com.sess.sync.plist":    {"Label": "com.sess.sync", "KeepAlive": "true", "RunAtLoad": "true", "ThrottleInterval": "30"},
	} {
		d := parsePlist(t, file)
		for k, v := range want {
			got, ok := d[k]
			if !ok {
				t.Errorf("%s: no %s", file, k)
				continue
			}
			if have := strings.TrimSpace(got.Text); got.XMLName.Local == "true" && v == "true" || have == v {
				continue
			}
			t.Errorf("%s: %s: want %s, have <%s>%s", file, k, v, got.XMLName.Local, got.Text)
		}
		args := d["ProgramArguments"]
		name := strings.TrimPrefix(strings.TrimSuffix(filepath.Base(file), ".plist"), "com.sess.")
		// sync runs sess-manage sync --watch; the others their own tool.
		want := map[string][]string{"sync": {"/sess-manage", "sync", "--watch"}}[name]
		if want == nil {
			want = []string{"/sess-" + name}
		}
		var have []string
		for _, a := range args.Items {
			have = append(have, a.Text)
		}
		if args.XMLName.Local != "array" || len(have) != len(want) || !strings.HasSuffix(have[0], want[0]) || strings.Join(have[1:], " ") != strings.Join(want[1:], " ") {
			t.Errorf("%s: ProgramArguments: want …%s, have %q", file, strings.Join(want, " "), have)
		}
	}
}

// TestSystemdUnits runs systemd-analyze verify on the units, with their
// programs pointed at stand-ins. CI installs systemd and sets
// SESS_REQUIRE_SYSTEMD, which turns a missing systemd-analyze into a failure.
func TestSystemdUnits(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		if os.Getenv("SESS_REQUIRE_SYSTEMD") != "" {
			t.Fatal("systemd-analyze is required here")
		}
		t.Skip("systemd-analyze not installed")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	os.Mkdir(bin, 0o755)
	for _, b := range []string{"sess-serve", "sess-cleanup", "sess-manage"} {
		os.WriteFile(filepath.Join(bin, b), []byte("#!/bin/sh\n"), 0o755)
	}
	var units []string
	for _, u := range []string{"sess-serve.service", "sess-cleanup.service", "sess-cleanup.timer", "sess-sync.service"} {
		data, err := os.ReadFile(filepath.Join("..", "systemd", u))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), "%h/go/bin/") && strings.HasSuffix(u, ".service") {
			t.Errorf("%s: the program should be %%h/go/bin/<name>, where go install puts it", u)
		}
		p := filepath.Join(dir, u)
		os.WriteFile(p, []byte(strings.ReplaceAll(string(data), "%h/go/bin", bin)), 0o644)
		units = append(units, p)
	}
	out, err := exec.Command(analyze, append([]string{"verify", "--man=no"}, units...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
	if len(out) != 0 {
		t.Errorf("systemd-analyze verify warns:\n%s", out)
	}
}

// TestPlugin checks the Claude Code plugin folder (the repository): its
// manifest, the skills it names and the hooks file Claude Code finds.
func TestPlugin(t *testing.T) {
	data, err := os.ReadFile("../.claude-plugin/plugin.json")
	if err != nil {
		t.Fatal(err)
	}
	var manifest struct {
		Name   string `json:"name"`
		Skills string `json:"skills"` // the folder of the skills' folders
	}
	if err := json.Unmarshal(data, &manifest); err != nil {
		t.Fatalf("plugin.json: %v", err)
	}
	if manifest.Name != "sess" || !strings.HasPrefix(manifest.Skills, "./") {
		t.Errorf("plugin.json: %+v", manifest)
	}
	for _, name := range []string{"session-start", "session-end"} {
		if _, err := os.Stat(filepath.Join("..", manifest.Skills, name, "SKILL.md")); err != nil {
			t.Errorf("plugin.json's skills folder lacks %s: %v", name, err)
		}
	}
	var hooks struct {
		Hooks map[string][]struct {
			Hooks []struct{ Command string } `json:"hooks"`
		} `json:"hooks"`
	}
	data, _ = os.ReadFile("../hooks/hooks.json")
	if err := json.Unmarshal(data, &hooks); err != nil || hooks.Hooks["SessionStart"][0].Hooks[0].Command != "sess-hook" {
		t.Errorf("hooks/hooks.json: %v %+v", err, hooks)
	}
	script, _ := os.ReadFile("../hooks/install.sh")
	if !strings.Contains(string(script), "exec sess-manage hooks install") {
		t.Errorf("hooks/install.sh should hand over to sess-manage hooks install:\n%s", script)
	}
}
