package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sess-dev/sess/internal/storetest"

	"github.com/rogpeppe/go-internal/testscript"
	"golang.org/x/sys/unix"
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
	return storetest.CopyOriginal(t)
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
		{[]string{"web-app", "--format", "html"}, 2, ""}, // a usage error since issue 11, as in the original's argparse
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

// TestOutputTargets: -o replaces a regular file whole, and writes a device
// or a pipe as it is, never replacing it; a write error is exit 1.
func TestOutputTargets(t *testing.T) {
	store := newStore(t)
	const id = "sess_20261125T0917_674d"
	const wantDoc = "# Session: Fix flaky CI\n"
	for _, tc := range []struct {
		name   string
		binary bool // run the real binary with its stdout a pipe, else run()
		// target makes what -o names and returns it, with a check of what
		// is there after the export and of what was printed.
		target   func(t *testing.T) (string, func(t *testing.T, stdout string))
		wantCode int
		wantOut  string
	}{
		{"regular file, replaced whole", false, func(t *testing.T) (string, func(t *testing.T, stdout string)) {
			file := filepath.Join(t.TempDir(), "out.md")
			os.WriteFile(file, []byte("old\n"), 0o600)
			old := file + ".old"
			os.Link(file, old) // a rename leaves this name's content alone
			return file, func(t *testing.T, _ string) {
				data, _ := os.ReadFile(file)
				kept, _ := os.ReadFile(old)
				if !strings.HasPrefix(string(data), wantDoc) || string(kept) != "old\n" {
					t.Errorf("want the export in a new file and the old one untouched, have %q and %q", data, kept)
				}
			}
		}, 0, `"status": "exported"`},
		{"/dev/stdout, a pipe", true, devStdout(wantDoc), 0, `"status": "exported"`},
		{"/proc/self/fd/N, a pipe in this process", false, func(t *testing.T) (string, func(t *testing.T, stdout string)) {
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { r.Close(); w.Close() })
			path := "/proc/self/fd/" + strconv.Itoa(int(w.Fd()))
			return path, func(t *testing.T, _ string) {
				w.Close()
				got, _ := io.ReadAll(r)
				if !strings.HasPrefix(string(got), wantDoc) {
					t.Errorf("read from the pipe: %q", got)
				}
			}
		}, 0, `"status": "exported"`},
		{"/dev/full, a write error", false, devFull, 1, "no space left on device"},
		{"a folder that is not there: an error, nothing made", false, func(t *testing.T) (string, func(t *testing.T, stdout string)) {
			base := t.TempDir()
			missing := filepath.Join(base, "missing")
			return filepath.Join(missing, "out.json"), func(t *testing.T, stdout string) {
				var v struct{ Error, Code string }
				if err := json.Unmarshal([]byte(stdout), &v); err != nil || !strings.Contains(v.Error, "does not exist") {
					t.Errorf("want a JSON error, have %q", stdout)
				}
				if _, err := os.Lstat(missing); err == nil {
					t.Errorf("the export made %s", missing)
				}
			}
		}, 1, "does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			target, check := tc.target(t)
			args := []string{"--dashboard-dir", store, id, "--format", "markdown", "-o", target}
			var out string
			var code int
			if tc.binary {
				var stdout bytes.Buffer // exec gives the binary a pipe to it
				cmd := exec.Command("sess-export", args...)
				cmd.Stdout = &stdout
				err := cmd.Run()
				out, code = stdout.String(), cmd.ProcessState.ExitCode()
				if err != nil && code == 0 {
					t.Fatal(err)
				}
			} else {
				out, _, code = runIn(t, store, args[2:]...)
			}
			if code != tc.wantCode || !strings.Contains(out, tc.wantOut) {
				t.Errorf("-o %s: want exit %d with %q, have %d %q", target, tc.wantCode, tc.wantOut, code, out)
			}
			check(t, out)
		})
	}
}

// devStdout is /dev/stdout, a symlink to the binary's stdout, a pipe: the
// export comes first on it, then the status line, and the symlink stays.
func devStdout(wantDoc string) func(t *testing.T) (string, func(t *testing.T, stdout string)) {
	return func(t *testing.T) (string, func(t *testing.T, stdout string)) {
		restoreSymlink(t, "/dev/stdout")
		return "/dev/stdout", func(t *testing.T, stdout string) {
			if !strings.HasPrefix(stdout, wantDoc) {
				t.Errorf("want the export on stdout, have %q", stdout)
			}
			if fi, err := os.Lstat("/dev/stdout"); err != nil || fi.Mode().Type() != os.ModeSymlink {
				t.Errorf("/dev/stdout: want the symlink still there, have %v, %v", fi, err)
			}
		}
	}
}

// devFull is /dev/full, which takes no data: the export must fail, and the
// device must still be there. It matters as root, who could replace the
// device with a file; the test restores it if that happens.
func devFull(t *testing.T) (string, func(t *testing.T, stdout string)) {
	if os.Getuid() != 0 {
		t.Skip("needs root: only root could replace /dev/full, which is what this guards against")
	}
	var before unix.Stat_t
	if err := unix.Lstat("/dev/full", &before); err != nil || before.Mode&unix.S_IFMT != unix.S_IFCHR {
		t.Skip("no /dev/full character device here")
	}
	t.Cleanup(func() {
		var now unix.Stat_t
		if unix.Lstat("/dev/full", &now) == nil && now.Mode&unix.S_IFMT == unix.S_IFCHR && now.Rdev == before.Rdev {
			return
		}
		os.Remove("/dev/full")
		// Mknod's mode passes the umask: set it, and the owner, after.
		err := unix.Mknod("/dev/full", unix.S_IFCHR|before.Mode&0o7777, int(before.Rdev))
		if err == nil {
			err = os.Chmod("/dev/full", os.FileMode(before.Mode&0o777))
		}
		if err == nil {
			err = os.Lchown("/dev/full", int(before.Uid), int(before.Gid))
		}
		if err != nil {
			t.Errorf("could not restore /dev/full: %v", err)
		}
	})
	return "/dev/full", func(t *testing.T, _ string) {
		fi, err := os.Lstat("/dev/full")
		if err != nil || fi.Mode().Type() != os.ModeDevice|os.ModeCharDevice {
			t.Errorf("/dev/full: want a character device, have %v, %v", fi, err)
		}
	}
}

// restoreSymlink puts the symlink at path back if the test replaced it: as
// root, the rename of the old -o turned /dev/stdout into a regular file for
// the whole machine.
func restoreSymlink(t *testing.T, path string) {
	t.Helper()
	orig, err := os.Readlink(path)
	if err != nil {
		t.Skipf("%s is not a symlink here: %v", path, err)
	}
	t.Cleanup(func() {
		if fi, err := os.Lstat(path); err == nil && fi.Mode().Type() == os.ModeSymlink {
			return
		}
		os.Remove(path)
		if err := os.Symlink(orig, path); err != nil {
			t.Errorf("could not restore %s -> %s: %v", path, orig, err)
		}
	})
}
