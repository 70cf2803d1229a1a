package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"gopkg.in/yaml.v3"

	"github.com/sess-dev/sess/internal/cli"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"sess-export": main})
}

// store copies the store the original wrote: 3 completed, 1 parked, 4
// active sessions and 1 archived one.
func newStore(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "dashboard")
	src := "../../testdata/original-store"
	err := filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if fi.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o700)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), data, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func runIn(t *testing.T, store string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), append([]string{"--dashboard-dir", store}, args...), strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), cli.ExitCode(err)
}

type result struct {
	Exported, Skipped int
	Errors            []string
	OutputDir         string `json:"output_dir"`
}

func exportAll(t *testing.T, store string, args ...string) result {
	t.Helper()
	out, stderr, code := runIn(t, store, append([]string{"--all"}, args...)...)
	if code != 0 {
		t.Fatalf("--all %v: exit %d: %s %s", args, code, out, stderr)
	}
	if stderr != "" {
		t.Errorf("--all piped must print nothing on stderr, have %q", stderr)
	}
	var r result
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	return r
}

func TestTargets(t *testing.T) {
	store := newStore(t)
	out, _, code := runIn(t, store, "sess_20261125T0917_674d", "--format", "markdown")
	if code != 0 || !strings.HasPrefix(out, "# Session: Fix flaky CI\n") {
		t.Errorf("markdown to stdout: %d %q", code, out)
	}
	out, _, code = runIn(t, store, "--format", "json", "alpha-service")
	if code != 0 || !strings.Contains(out, `"project": "alpha-service"`) || !strings.Contains(out, `"task_summary"`) {
		t.Errorf("project JSON: %d %s", code, out)
	}
	file := filepath.Join(t.TempDir(), "out.md")
	out, _, code = runIn(t, store, "web-app", "--format", "markdown", "-o", file, "--include-archived")
	if code != 0 || !strings.Contains(out, `"status": "exported"`) {
		t.Fatalf("to a file: %d %s", code, out)
	}
	data, _ := os.ReadFile(file)
	if fi, _ := os.Stat(file); !strings.HasPrefix(string(data), "# Project: web-app") || fi.Mode().Perm() != 0o600 || strings.Count(string(data), "## Session: ") != 2 {
		t.Errorf("export file: %v\n%s", fi.Mode(), data)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"sess_20200101T0000_abcd"}, 1, `"code": "NOT_FOUND"`},
		{[]string{"no-such-project"}, 1, `"code": "NOT_FOUND"`},
		{[]string{"../etc"}, 1, `"code": "VALIDATION_ERROR"`},
		{[]string{"web-app", "--format", "html"}, 1, `"code": "VALIDATION_ERROR"`},
		{nil, 2, ""},
		{[]string{"a", "b"}, 2, ""},
	} {
		out, _, code := runIn(t, store, tc.args...)
		if code != tc.code || !strings.Contains(out, tc.want) {
			t.Errorf("%v: want exit %d with %q, have %d %s", tc.args, tc.code, tc.want, code, out)
		}
	}
}

func TestAll(t *testing.T) {
	store := newStore(t)
	dir := filepath.Join(t.TempDir(), "exports")
	r := exportAll(t, store, "--output-dir", dir)
	if r.Exported != 5 || len(r.Errors) != 0 || r.OutputDir != dir {
		t.Fatalf("first run: %+v", r)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*", "sess_*.md"))
	if len(files) != 5 {
		t.Errorf("want 5 files, have %v", files)
	}
	for _, f := range files {
		fi, _ := os.Stat(f)
		di, _ := os.Stat(filepath.Dir(f))
		if fi.Mode().Perm() != 0o600 || di.Mode().Perm() != 0o700 {
			t.Errorf("%s: modes %v %v", f, fi.Mode(), di.Mode())
		}
		data, _ := os.ReadFile(f)
		parts := strings.SplitN(string(data), "---\n", 3)
		var fm map[string]any
		if len(parts) != 3 || yaml.Unmarshal([]byte(parts[1]), &fm) != nil || fm["session_id"] == nil || fm["intent"] == nil {
			t.Errorf("%s: front matter does not parse: %q", f, parts[1])
		}
	}
	if r := exportAll(t, store, "--output-dir", dir); r.Exported != 0 || r.Skipped != 5 {
		t.Errorf("second run: want 0 exported, have %+v", r)
	}
	if r := exportAll(t, store, "--output-dir", dir, "--force"); r.Exported != 5 {
		t.Errorf("--force: %+v", r)
	}
	// A session changed after its export is exported again.
	changed := filepath.Join(store, "sessions", "sess_20261125T0917_f02b.json")
	now := time.Now().Add(time.Second)
	os.Chtimes(changed, now, now)
	if r := exportAll(t, store, "--output-dir", dir); r.Exported != 1 {
		t.Errorf("after a change: want 1 exported, have %+v", r)
	}
	// --since and --project, --flat.
	flat := filepath.Join(t.TempDir(), "flat")
	if r := exportAll(t, store, "--output-dir", flat, "--flat", "--project", "my-project"); r.Exported != 2 {
		t.Errorf("--flat --project: %+v", r)
	}
	if m, _ := filepath.Glob(filepath.Join(flat, "sess_*.md")); len(m) != 2 {
		t.Errorf("--flat files: %v", m)
	}
	if r := exportAll(t, store, "--output-dir", filepath.Join(t.TempDir(), "s"), "--since", "2026-11-26"); r.Exported != 0 {
		t.Errorf("--since tomorrow: %+v", r)
	}
}

func TestAllBadStores(t *testing.T) {
	store := newStore(t)
	os.WriteFile(filepath.Join(store, "sessions", "sess_20261125T0917_0f1f.json"), []byte("{corrupt"), 0o600)
	r := exportAll(t, store, "--output-dir", filepath.Join(t.TempDir(), "x"))
	if r.Exported != 4 || len(r.Errors) != 1 || !strings.Contains(r.Errors[0], "sess_20261125T0917_0f1f") {
		t.Errorf("a corrupt session among good ones: %+v", r)
	}
	// An output dir that is a symlink, or that cannot be written.
	real := t.TempDir()
	link := filepath.Join(t.TempDir(), "link")
	os.Symlink(real, link)
	out, _, code := runIn(t, store, "--all", "--output-dir", link)
	if code != 1 || !strings.Contains(out, "symlink") {
		t.Errorf("symlinked output dir: %d %s", code, out)
	}
	sub := filepath.Join(t.TempDir(), "out")
	os.MkdirAll(filepath.Join(sub, "web-app"), 0o700)
	os.Symlink(real, filepath.Join(sub, "my-project"))
	r2 := exportAll(t, store, "--output-dir", sub)
	if len(r2.Errors) == 0 || !strings.Contains(strings.Join(r2.Errors, " "), "symlink") {
		t.Errorf("a symlinked project folder must be refused: %+v", r2)
	}
	if entries, _ := os.ReadDir(real); len(entries) != 0 {
		t.Errorf("files were written through a symlink: %v", entries)
	}
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o600)
	if out, _, code := runIn(t, store, "--all", "--output-dir", file); code != 1 || !strings.Contains(out, "not a folder") {
		t.Errorf("output dir that is a file: %d %s", code, out)
	}
	// An output folder that cannot be written: exit 1 with a JSON error.
	ro := t.TempDir()
	cmd := exec.Command("sess-export", "--dashboard-dir", store, "--all", "--output-dir", filepath.Join(ro, "x"))
	if os.Getuid() == 0 {
		// Root writes anywhere: run as nobody, who may read the store.
		filepath.Walk(filepath.Dir(store), func(p string, fi os.FileInfo, err error) error {
			if err == nil {
				os.Chmod(p, map[bool]os.FileMode{true: 0o755, false: 0o644}[fi.IsDir()])
			}
			return nil
		})
		for p := filepath.Dir(filepath.Dir(store)); p != "/" && p != "."; p = filepath.Dir(p) {
			if strings.HasPrefix(p, os.TempDir()) && p != os.TempDir() {
				os.Chmod(p, 0o755)
			}
		}
		os.Chmod(filepath.Dir(ro), 0o755)
		bin, _ := exec.LookPath("sess-export")
		for p := filepath.Dir(bin); p != "/" && strings.HasPrefix(p, os.TempDir()) && p != os.TempDir(); p = filepath.Dir(p) {
			os.Chmod(p, 0o755)
		}
		os.Chmod(bin, 0o755)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	os.Chmod(ro, 0o555)
	roOut, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(string(roOut), `"code"`) {
		t.Errorf("unwritable output dir: %v %s", err, roOut)
	}
}

// TestBinary runs the real binary: exit codes as a script sees them.
func TestBinary(t *testing.T) {
	store := newStore(t)
	cmd := exec.Command("sess-export", "--dashboard-dir", store, "sess_20200101T0000_abcd")
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(string(out), "NOT_FOUND") {
		t.Errorf("missing target: %v %s", err, out)
	}
	cmd = exec.Command("sess-export", "--dashboard-dir", store, "--all", "--output-dir", t.TempDir())
	if out, err := cmd.Output(); err != nil || !strings.Contains(string(out), `"exported": 5`) {
		t.Errorf("--all: %v %s", err, out)
	}
}
