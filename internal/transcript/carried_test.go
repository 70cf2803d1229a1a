package transcript

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The rows below are shaped as Claude Code writes them (see carried.go for
// the builds): a row copied by a 2.0 build keeps its conversation's id, a
// 2.1 build stamps the new id and keeps the uuid, /branch adds forkedFrom,
// and a copy that starts at a compaction opens with its boundary.
const (
	rowOld      = `{"parentUuid":null,"isSidechain":false,"type":"user","message":{"role":"user","content":"Port the parser"},"uuid":"0b1c2d3e-0000-4000-8000-000000000001","timestamp":"2026-12-01T10:00:00.000Z","sessionId":"old-conv","version":"2.0.43"}`
	rowStamped  = `{"parentUuid":null,"isSidechain":false,"type":"user","message":{"role":"user","content":"Port the parser"},"uuid":"0b1c2d3e-0000-4000-8000-000000000001","timestamp":"2026-12-01T10:00:00.000Z","sessionId":"new-conv","version":"2.1.219"}`
	rowBranch   = `{"parentUuid":null,"type":"user","message":{"role":"user","content":"Port the parser"},"uuid":"0b1c2d3e-0000-4000-8000-000000000001","sessionId":"new-conv","version":"2.1.123","forkedFrom":{"sessionId":"old-conv","messageUuid":"0b1c2d3e-0000-4000-8000-000000000001"}}`
	rowBoundary = `{"parentUuid":null,"logicalParentUuid":"0b1c2d3e-0000-4000-8000-000000000009","type":"system","subtype":"compact_boundary","content":"Conversation compacted","uuid":"aaaa0000-0000-4000-8000-000000000077","sessionId":"new-conv"}`
	rowMode     = `{"type":"mode","mode":"normal","sessionId":"new-conv"}`
	rowSummary  = `{"type":"summary","summary":"Another conversation","leafUuid":"ffff0000-0000-4000-8000-000000000001"}`
)

func writeRows(t *testing.T, path string, rows ...string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(strings.Join(rows, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

// afterBirth returns once a file made now is born after the file at path:
// the file system's clock is coarser than the process's.
func afterBirth(t *testing.T, path string) {
	t.Helper()
	b, ok := born(path)
	if !ok {
		return
	}
	probe := filepath.Join(filepath.Dir(path), ".probe")
	for {
		writeRows(t, probe, "")
		p, _ := born(probe)
		os.Remove(probe)
		if p > b {
			return
		}
	}
}

func TestCarried(t *testing.T) {
	t.Parallel()
	oldFile := `{"type":"user","uuid":"0b1c2d3e-0000-4000-8000-000000000001","sessionId":"old-conv"}` + "\n" +
		`{"type":"assistant","uuid":"0b1c2d3e-0000-4000-8000-000000000009","sessionId":"old-conv"}`
	for _, c := range []struct {
		name string
		rows []string
		old  string // the earlier conversation's file, when there is one
		want []string
	}{
		{"a 2.0 build's copy keeps the old id", []string{rowSummary, rowOld}, "", []string{"old-conv"}},
		{"/branch says forkedFrom", []string{rowMode, rowBranch}, "", []string{"old-conv"}},
		{"a 2.1 copy: the uuid in the older file", []string{rowMode, rowStamped}, oldFile, []string{"old-conv"}},
		{"a copy from a compaction: its logical parent", []string{rowBoundary}, oldFile, []string{"old-conv"}},
		{"a 2.1 copy whose source is gone", []string{rowStamped}, "", nil},
		{"a summary alone is no evidence", []string{rowSummary, `{"type":"user","uuid":"99999999-0000-4000-8000-000000000001","sessionId":"new-conv"}`}, oldFile, nil},
		{"broken lines and unknown rows are skipped", []string{"{not json", `{"type":"newkind","sessionId":7}`, strings.Repeat("x", 100), rowOld}, "", []string{"old-conv"}},
		{"an empty file", nil, oldFile, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if c.old != "" {
				writeRows(t, filepath.Join(dir, "old-conv.jsonl"), c.old)
				afterBirth(t, filepath.Join(dir, "old-conv.jsonl"))
			}
			writeRows(t, filepath.Join(dir, "other.jsonl"), `{"type":"user","uuid":"12121212-0000-4000-8000-000000000001","sessionId":"other"}`)
			path := filepath.Join(dir, "new-conv.jsonl")
			writeRows(t, path, c.rows...)
			if got := Carried(path, "new-conv"); !slices.Equal(got, c.want) {
				t.Errorf("Carried = %v, want %v", got, c.want)
			}
		})
	}
	if got := Carried(filepath.Join(t.TempDir(), "missing.jsonl"), "missing"); got != nil {
		t.Errorf("a missing file: %v", got)
	}
}

// TestCarriedNotAFork: a file made after this one that holds its rows is
// a copy of it (a fork of this conversation), not what it carries on.
func TestCarriedNotAFork(t *testing.T) {
	dir := t.TempDir()
	mine := filepath.Join(dir, "new-conv.jsonl")
	writeRows(t, mine, rowStamped)
	if _, ok := born(mine); !ok {
		t.Skip("this file system does not say when a file was made")
	}
	afterBirth(t, mine)
	writeRows(t, filepath.Join(dir, "later-fork.jsonl"), strings.Replace(rowStamped, "new-conv", "later-fork", 1))
	if got := Carried(mine, "new-conv"); got != nil {
		t.Errorf("Carried = %v: a later fork taken for the source", got)
	}
}

// FuzzCarried: any transcript gives an answer, never a panic, and never
// the conversation itself.
func FuzzCarried(f *testing.F) {
	for _, r := range []string{rowOld, rowStamped, rowBranch, rowBoundary, rowMode, rowSummary} {
		f.Add(r)
	}
	f.Fuzz(func(t *testing.T, data string) {
		dir := t.TempDir()
		path := filepath.Join(dir, "new-conv.jsonl")
		os.WriteFile(path, []byte(data), 0o600)
		writeRows(t, filepath.Join(dir, "old-conv.jsonl"), rowOld)
		if slices.Contains(Carried(path, "new-conv"), "new-conv") {
			t.Errorf("the conversation carries itself over")
		}
	})
}

// TestCarriedDeep: the row is found past the heads that are read first,
// and across the reads of a file.
func TestCarriedDeep(t *testing.T) {
	dir := t.TempDir()
	pad := `{"type":"assistant","uuid":"pad","sessionId":"old-conv","message":{"content":"` + strings.Repeat("x", 1000) + `"}}`
	rows := []string{}
	for range 1100 { // past 1 MiB: the row straddles two reads somewhere
		rows = append(rows, pad)
	}
	for i := range 40 {
		rows = append(rows, pad[:len(pad)-3]+strings.Repeat("y", i)+`"}}`)
	}
	rows = append(rows, `{"type":"assistant","uuid":"0b1c2d3e-0000-4000-8000-000000000009","sessionId":"old-conv"}`)
	writeRows(t, filepath.Join(dir, "old-conv.jsonl"), rows...)
	afterBirth(t, filepath.Join(dir, "old-conv.jsonl"))
	path := filepath.Join(dir, "new-conv.jsonl")
	writeRows(t, path, rowBoundary)
	if got := Carried(path, "new-conv"); !slices.Equal(got, []string{"old-conv"}) {
		t.Errorf("Carried = %v", got)
	}
	for _, at := range []int{0, 1<<20 - 10, 1<<20 - 1, 1 << 20, 3<<20 + 7} {
		f := filepath.Join(dir, "straddle")
		data := []byte(strings.Repeat("z", at) + `"uuid":"needle"` + "\n")
		os.WriteFile(f, data, 0o600)
		if found, _ := contains(f, []byte(`"uuid":"needle"`), 8<<20, make([]byte, 1<<20)); !found {
			t.Errorf("needle at %d not found", at)
		}
		if found, _ := contains(f, []byte(`"uuid":"needle"`), int64(at), make([]byte, 100)); found && at > 1<<20 {
			t.Errorf("needle at %d found past the limit", at)
		}
	}
}
