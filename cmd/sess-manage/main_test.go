package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sess-dev/sess/internal/storetest"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/sess-dev/sess/internal/archive"
	"github.com/sess-dev/sess/internal/cli"
	"github.com/sess-dev/sess/internal/notify"
	"github.com/sess-dev/sess/internal/notify/httppush"
	"github.com/sess-dev/sess/pkg/store"
)

// TestMain makes this test binary double as sess-manage: testscript puts a
// copy of it on $PATH under that name, so scripts and the multi-process
// tests below run the real command as a process of its own.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"sess-manage": func() {
			os.Exit(cli.Exit("sess-manage", os.Stderr, run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr)))
		},
		// The one thing of sess-cleanup that sess-manage runs: sending
		// check-notify's pushes.
		"sess-cleanup": func() {
			if len(os.Args) != 2 || os.Args[1] != notify.HandoffFlag {
				os.Exit(2)
			}
			os.Exit(cli.Exit("sess-cleanup", os.Stderr, httppush.Serve(context.Background(), os.Stdin, os.Stdout)))
		},
		// Another tool that edits the settings file (see TestHooksConcurrentWriter).
		"settings-writer": settingsWriter,
	})
}

// TestScripts runs the end-to-end scripts in testdata/script: each gets an
// empty store at $SESS_DASHBOARD_DIR and a home of its own.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("HOME", filepath.Join(env.WorkDir, "home"))
			env.Setenv("SESS_DASHBOARD_DIR", filepath.Join(env.WorkDir, "store"))
			env.Setenv("ORIGINAL_STORE", originalStore(t))
			// SOON is a time a transcript's row may have to be this
			// month's and after a session the script starts.
			env.Setenv("SOON", time.Now().UTC().Add(time.Minute).Format("2006-01-02T15:04:05.000Z"))
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"json":      cmdJSON,
			"setjson":   cmdSetJSON,
			"cpdir":     cmdCopyDir,
			"filecount": cmdFileCount,
			"expandenv": cmdExpandEnv,
			"archive":   cmdArchive,
		},
	})
}

func originalStore(t *testing.T) string {
	p, err := filepath.Abs("../../testdata/original-store")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// jsonPath walks a decoded JSON value along a dotted path: object keys,
// list indexes, "len" for a length.
func jsonPath(v any, path string) (any, error) {
	if path == "." {
		return v, nil
	}
	for _, p := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			if p == "len" {
				v = float64(len(x))
				continue
			}
			var ok bool
			if v, ok = x[p]; !ok {
				return nil, fmt.Errorf("no key %q", p)
			}
		case []any:
			if p == "len" {
				v = float64(len(x))
				continue
			}
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(x) {
				return nil, fmt.Errorf("no index %q in a list of %d", p, len(x))
			}
			v = x[i]
		default:
			return nil, fmt.Errorf("cannot take %q of %v", p, v)
		}
	}
	return v, nil
}

func scalar(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return "null"
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

func lastStdout(ts *testscript.TestScript) any {
	var v any
	if err := json.Unmarshal([]byte(ts.ReadFile("stdout")), &v); err != nil {
		ts.Fatalf("stdout is not JSON: %v\n%s", err, ts.ReadFile("stdout"))
	}
	return v
}

// json PATH VALUE: the last stdout is JSON and holds VALUE at PATH.
func cmdJSON(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: json PATH VALUE")
	}
	v, err := jsonPath(lastStdout(ts), args[0])
	if err != nil {
		if neg {
			return
		}
		ts.Fatalf("json %s: %v", args[0], err)
	}
	if have := scalar(v); (have == args[1]) == neg {
		ts.Fatalf("json %s: want %s%q, have %q", args[0], map[bool]string{true: "not ", false: ""}[neg], args[1], have)
	}
}

// setjson VAR PATH: set $VAR to the value at PATH of the last stdout.
func cmdSetJSON(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: setjson VAR PATH")
	}
	v, err := jsonPath(lastStdout(ts), args[1])
	if err != nil {
		ts.Fatalf("setjson %s: %v", args[1], err)
	}
	ts.Setenv(args[0], scalar(v))
}

// expandenv FILE: replace $VAR in the file with the script's environment.
func cmdExpandEnv(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: expandenv FILE")
	}
	p := ts.MkAbs(args[0])
	data, err := os.ReadFile(p)
	if err != nil {
		ts.Fatalf("%v", err)
	}
	if err := os.WriteFile(p, []byte(os.Expand(string(data), ts.Getenv)), 0o644); err != nil {
		ts.Fatalf("%v", err)
	}
}

// cpdir SRC DST: copy a folder tree.
func cmdCopyDir(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: cpdir SRC DST")
	}
	if err := storetest.CopyTree(ts.MkAbs(args[0]), ts.MkAbs(args[1])); err != nil {
		ts.Fatalf("cpdir: %v", err)
	}
}

// filecount DIR GLOB N: DIR holds N entries matching GLOB.
func cmdFileCount(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 3 {
		ts.Fatalf("usage: filecount DIR GLOB N")
	}
	m, _ := filepath.Glob(filepath.Join(ts.MkAbs(args[0]), args[1]))
	if have := strconv.Itoa(len(m)); (have == args[2]) == neg {
		ts.Fatalf("filecount %s %s: want %s, have %s", args[0], args[1], args[2], have)
	}
}

// runInProcess runs sess-manage in this process with buffers.
func runInProcess(t *testing.T, dir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), append([]string{"--dashboard-dir", dir}, args...), strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), cli.ExitCode(err)
}

// cmdArchive appends a transcript's new rows to the store's archive, as a
// hook's archive child does: archive CLAUDE_ID FILE [DAYS_AGO] (the
// append's time that many days back).
func cmdArchive(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 {
		ts.Fatalf("usage: archive CLAUDE_ID FILE [DAYS_AGO]")
	}
	now := time.Now()
	if len(args) == 3 {
		days, err := strconv.Atoi(args[2])
		ts.Check(err)
		now = now.AddDate(0, 0, -days)
	}
	st := store.Open(ts.Getenv("SESS_DASHBOARD_DIR"), store.Options{Now: func() time.Time { return now }})
	_, err := archive.Append(st, args[0], ts.MkAbs(args[1]))
	if neg != (err != nil) {
		ts.Fatalf("archive: %v", err)
	}
}
