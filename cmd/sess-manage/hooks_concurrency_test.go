package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// settingsWriter is another tool editing the settings file as editors and
// Claude Code do: read it, add a key "k<N>", write a new file and rename
// it in, over and over until the file named by its second argument
// exists. It prints "started" after its first write and the number of
// keys it wrote at the end.
func settingsWriter() {
	path, stop := os.Args[1], os.Args[2]
	n := 0
	for {
		if _, err := os.Stat(stop); err == nil {
			fmt.Println(n)
			os.Exit(0)
		}
		var v map[string]json.RawMessage
		b, err := os.ReadFile(path)
		if err == nil {
			err = json.Unmarshal(b, &v)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "settings-writer:", err)
			os.Exit(1)
		}
		v["k"+strconv.Itoa(n)] = json.RawMessage(strconv.Itoa(n))
		b, _ = json.MarshalIndent(v, "", "  ")
		if err := os.WriteFile(path+".writer", b, 0o600); err != nil {
			os.Exit(1)
		}
		if err := os.Rename(path+".writer", path); err != nil {
			os.Exit(1)
		}
		if n++; n == 1 {
			fmt.Println("started")
		}
		// A pace of a thousand writes a second: far above any tool's, and
		// slow enough that sess's edits get through between them.
		time.Sleep(time.Millisecond)
	}
}

// TestHooksConcurrentWriter: install and uninstall run many times while
// another process keeps adding keys to the settings file: no key of
// theirs is lost. An edit refused because the file never held still is
// allowed; one that drops a key is not.
func TestHooksConcurrentWriter(t *testing.T) {
	if testing.Short() {
		t.Skip("runs sess-manage 60 times")
	}
	dir := t.TempDir()
	settings := filepath.Join(dir, "settings.json")
	bin := filepath.Join(dir, "bin")
	os.Mkdir(bin, 0o700)
	if err := os.WriteFile(filepath.Join(bin, "sess-hook"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(settings, []byte(`{"model": "opus"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	stop := filepath.Join(dir, "stop")
	writer := exec.Command("settings-writer", settings, stop)
	out, err := writer.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	writer.Stderr = os.Stderr
	if err := writer.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	if !lines.Scan() || lines.Text() != "started" {
		t.Fatalf("the writer did not start: %q", lines.Text())
	}
	written := 0
	for i := 0; i < 60; i++ {
		action := []string{"install", "uninstall"}[i%2]
		b, err := sessManage(dir, "hooks", action, "--settings", settings, "--bin-dir", bin).Output()
		var res struct{ Code string }
		json.Unmarshal(b, &res)
		if err != nil && res.Code != "CONFLICT" {
			t.Fatalf("hooks %s: %v\n%s", action, err, b)
		}
		if err == nil {
			written++
		}
	}
	os.WriteFile(stop, nil, 0o600)
	if !lines.Scan() {
		t.Fatal("the writer said nothing at the end")
	}
	n, _ := strconv.Atoi(lines.Text())
	if err := writer.Wait(); err != nil {
		t.Fatal(err)
	}
	var v map[string]json.RawMessage
	b, _ := os.ReadFile(settings)
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	lost := 0
	for k := 0; k < n; k++ {
		if _, ok := v["k"+strconv.Itoa(k)]; !ok {
			lost++
		}
	}
	if lost > 0 || written == 0 || v["model"] == nil {
		t.Errorf("%d of the writer's %d keys lost; %d of 60 edits written", lost, n, written)
	}
	t.Logf("%d keys written, %d of 60 edits", n, written)
}
