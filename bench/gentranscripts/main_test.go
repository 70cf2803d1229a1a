package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sess-dev/sess/internal/transcriptgen"
)

func TestRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	exists := filepath.Join(dir, "exists")
	if err := os.Mkdir(exists, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name       string
		args       []string
		wantErr    string // in the error; "" for none
		wantStdout string
		wantStderr string
	}{
		{"help", []string{"-h"}, "help requested", "-conversations", ""},
		{"unknown flag", []string{"-x"}, "bad usage", "", "flag provided but not defined: -x"},
		{"no folder", []string{"-mb", "1"}, "bad usage", "", "usage: gentranscripts -o <folder>"},
		{"no end", []string{"-o", filepath.Join(dir, "never"), "-mb", "0"}, "bad usage", "", "usage:"},
		{"the folder exists", []string{"-o", exists}, "exists; give a new folder", "", ""},
		{"a small tree", []string{"-o", filepath.Join(dir, "small"), "-mb", "0", "-conversations", "3", "-turns", "2"}, "",
			"0 MiB of transcripts in " + filepath.Join(dir, "small") + "\n", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), c.args, &stdout, &stderr)
			if have := errString(err); !strings.Contains(have, c.wantErr) || (c.wantErr == "") != (err == nil) {
				t.Errorf("error: want %q, have %q", c.wantErr, have)
			}
			if want, have := c.wantStdout, stdout.String(); !strings.Contains(have, want) || want == "" && have != "" {
				t.Errorf("stdout: want %q, have %q", want, have)
			}
			if want, have := c.wantStderr, stderr.String(); !strings.Contains(have, want) || want == "" && have != "" {
				t.Errorf("stderr: want %q, have %q", want, have)
			}
		})
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// golden is where internal/usage keeps the ccusage goldens and the tree
// they were made from.
const golden = "../../internal/usage/testdata"

// TestGoldenTree checks that generate.sh's flags and tree.json say the
// same tree, and that transcriptgen.Generate makes from tree.json the
// bytes this command makes from the flags: so that a test can make the
// goldens' tree again without node.
func TestGoldenTree(t *testing.T) {
	t.Parallel()
	script, err := os.ReadFile(filepath.Join(golden, "generate.sh"))
	if err != nil {
		t.Skip("no golden tree:", err)
	}
	m := regexp.MustCompile(`(?m)^flags="([^"]*)"`).FindSubmatch(script)
	if m == nil {
		t.Fatal(`generate.sh has no flags="..." line`)
	}
	flags := strings.Fields(string(m[1]))
	data, err := os.ReadFile(filepath.Join(golden, "tree.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fromJSON transcriptgen.Options
	if err := json.Unmarshal(data, &fromJSON); err != nil {
		t.Fatal(err)
	}
	_, fromFlags, err := parse(append([]string{"-o", "x"}, flags...), io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if want, have := fromFlags, fromJSON; want != have {
		t.Fatalf("tree.json: want the options of generate.sh's flags %+v, have %+v", want, have)
	}

	dir := t.TempDir()
	byFlags, byJSON := filepath.Join(dir, "flags"), filepath.Join(dir, "json")
	if err := run(context.Background(), append([]string{"-o", byFlags}, flags...), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if _, err := transcriptgen.Generate(byJSON, fromJSON); err != nil {
		t.Fatal(err)
	}
	a, b := digest(t, byFlags), digest(t, byJSON)
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("files: %d by the flags, %d by tree.json", len(a), len(b))
	}
	for path, h := range a {
		if b[path] != h {
			t.Errorf("%s differs", path)
		}
	}
}

// digest is the tree's files (paths relative to dir) and a hash of each.
func digest(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	out := map[string][32]byte{}
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		out[rel] = sha256.Sum256(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
