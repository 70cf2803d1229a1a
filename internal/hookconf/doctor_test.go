package hookconf

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDoctorArchive: the report carries the archive's size, and warns
// when the hooks' sess-hook would not find sess-manage to archive with.
func TestDoctorArchive(t *testing.T) {
	bin := t.TempDir()
	hook := filepath.Join(bin, Program)
	os.WriteFile(hook, []byte("#!/bin/sh\n"), 0o755)
	settings := filepath.Join(t.TempDir(), "settings.json")
	res, err := Merge(nil, Groups(Command(hook)))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(settings, res.Settings, 0o600)
	t.Setenv("PATH", t.TempDir()) // no sess-manage on it
	d := &Doctor{Settings: settings, Store: t.TempDir(), Getenv: os.Getenv,
		Archive: func() (ArchiveSize, error) {
			return ArchiveSize{Conversations: 2, ArchiveBytes: 1000, TranscriptBytes: 5400}, nil
		}}
	warned := func(r *Report) bool {
		for _, c := range r.Checks {
			if c.Name == "transcript archiver" && strings.Contains(c.Detail, "sess-manage is neither beside") {
				return true
			}
		}
		return false
	}
	r := d.Run(context.Background())
	if r.TranscriptArchive == nil || r.TranscriptArchive.Conversations != 2 {
		t.Errorf("archive size: %+v", r.TranscriptArchive)
	}
	if !warned(r) {
		t.Errorf("no warning of a missing sess-manage: %+v", r.Checks)
	}
	os.WriteFile(filepath.Join(bin, ArchiveProgram), []byte("#!/bin/sh\n"), 0o755)
	if r := d.Run(context.Background()); warned(r) {
		t.Errorf("a warning with sess-manage beside sess-hook: %+v", r.Checks)
	}
}
