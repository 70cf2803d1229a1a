package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"github.com/sess-dev/sess/internal/storetest"
	"net"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/sess-dev/sess/internal/cli"
	"github.com/sess-dev/sess/internal/replica"
	"github.com/sess-dev/sess/pkg/store"
)

func TestRunFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"--bogus"}, 2, ""},
		{[]string{"extra"}, 2, ""},
		{[]string{"--version"}, 0, `"version"`},
		{[]string{"--addr"}, 2, ""},
	} {
		var out, errb bytes.Buffer
		err := run(context.Background(), tc.args, strings.NewReader(""), &out, &errb)
		if cli.ExitCode(err) != tc.code || !strings.Contains(out.String(), tc.out) {
			t.Errorf("%v: exit %d %q", tc.args, cli.ExitCode(err), out.String())
		}
	}
	// Help asked for goes to stdout (issue 11; it went to stderr).
	for _, h := range []string{"-h", "--help"} {
		var out, errb bytes.Buffer
		if err := run(context.Background(), []string{h}, nil, &out, &errb); !errors.Is(err, flag.ErrHelp) || cli.ExitCode(err) != 0 || !strings.Contains(out.String(), "USAGE") || errb.Len() != 0 {
			t.Errorf("%s: %v stdout %q stderr %q", h, err, out.String(), errb.String())
		}
	}
	// A busy port: exit 1 with a JSON error of its own code, and one line
	// on stderr that says so.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var out, errb bytes.Buffer
	addr := ln.Addr().String()
	err = run(context.Background(), []string{"--dashboard-dir", t.TempDir(), "--addr", addr}, nil, &out, &errb)
	if cli.ExitCode(err) != 1 || !strings.Contains(out.String(), `"code": "ADDRESS_IN_USE"`) || !strings.Contains(out.String(), "address "+addr+" is in use") {
		t.Errorf("busy port: exit %d %q", cli.ExitCode(err), out.String())
	}
	errb.Reset()
	if code := cli.Exit("sess-serve", &errb, err); code != 1 || !strings.HasPrefix(errb.String(), "sess-serve: address "+addr+" is in use") || strings.Count(errb.String(), "\n") != 1 {
		t.Errorf("busy port on stderr: exit %d %q", code, errb.String())
	}
}

// TestTuneProcess: run's process settings apply while it serves and are put
// back after, so that an in-process test leaves the test binary as it was.
func TestTuneProcess(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	restore := tuneProcess()
	for _, tc := range []struct {
		name       string
		want, have int64
	}{
		{"memory limit", memoryLimit, debug.SetMemoryLimit(-1)},
		{"GC percent", gcPercent, int64(debug.SetGCPercent(gcPercent))},
	} {
		if tc.want != tc.have {
			t.Errorf("%s: want %d, have %d", tc.name, tc.want, tc.have)
		}
	}
	restore()
	if want, have := before, debug.SetMemoryLimit(-1); want != have {
		t.Errorf("memory limit after restore: want %d, have %d", want, have)
	}
}

// TestRunPublishes: with a shared folder, sess-serve publishes this
// machine's part while it runs (making the machine's identity, as
// sess-manage sync does, when the store has none), and a change of the
// store is in the part within a second.
func TestRunPublishes(t *testing.T) {
	dir, shared := filepath.Join(t.TempDir(), "dashboard"), filepath.Join(t.TempDir(), "shared")
	w := store.Open(dir, store.Options{})
	if _, err := w.RegisterProject("web", "/x/web"); err != nil {
		t.Fatal(err)
	}
	first, err := w.CreateSession(store.NewSession{Project: "web", Intent: "published"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var out, errb storetest.SyncBuffer
	go func() {
		done <- run(ctx, []string{"--dashboard-dir", dir, "--addr", "127.0.0.1:0", "--sync-dir", shared}, nil, &out, &errb)
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v\n%s", err, errb.String())
		}
	}()
	published := func(id string) bool {
		m, err := w.Derived().Machine()
		if err != nil || m == nil {
			return false
		}
		_, err = os.Stat(filepath.Join(replica.PartOf(shared, m.ID), "sessions", id+".json"))
		return err == nil
	}
	waitFor(t, 2*time.Second, "the session published", func() bool { return published(first.SessionID) })
	second, err := w.CreateSession(store.NewSession{Project: "web", Intent: "published next"})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	waitFor(t, time.Second, "a new session published", func() bool { return published(second.SessionID) })
	t.Logf("a new session was in the part %v after it was made", time.Since(start).Round(time.Millisecond))
	if !strings.Contains(errb.String(), "sess-serve: publishing this machine's journal") {
		t.Errorf("stderr does not say where it publishes: %q", errb.String())
	}
}

// waitFor polls cond until it holds, failing the test after d.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, d)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
