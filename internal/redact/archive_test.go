package redact

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sess-dev/sess/pkg/store/derived/transcripts"
)

// TestCorpusNotArchived puts every fake secret of the corpus into a
// transcript (a prompt, a tool's result, a tool's input each) and archives
// it as the hooks do, row by row through JSONLine, in two appends: none
// of it is in the archive's file, compressed, nor in what it reads back.
// The corpus is made at test time, so it is tested here, where it is.
func TestCorpusNotArchived(t *testing.T) {
	t.Parallel()
	store := t.TempDir()
	files := transcripts.New(filepath.Join(store, ".transcripts"), nil, nil)
	src := filepath.Join(t.TempDir(), "c.jsonl")
	redactRow := func(line []byte) []byte { out, _ := JSONLine(line); return out }
	cases := corpusSecrets()
	for half, part := range [][]corpusSecret{cases[:len(cases)/2], cases[len(cases)/2:]} {
		var rows strings.Builder
		for _, c := range part {
			for _, row := range transcriptRows(strings.ReplaceAll(c.line, "{S}", c.secret)) {
				rows.Write(row)
				rows.WriteByte('\n')
			}
		}
		f, err := os.OpenFile(src, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString(rows.String())
		f.Close()
		if _, err := files.Append("c", src, redactRow); err != nil {
			t.Fatalf("append %d: %v", half, err)
		}
	}
	r, err := files.Open("c")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	archived, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if want, have := 3*len(cases), strings.Count(string(archived), "\n"); want != have {
		t.Errorf("rows: want %d, have %d", want, have)
	}
	// zstd keeps what it finds no match for as it is: a secret the
	// redaction missed would be in the file too.
	var raw []byte
	paths, _ := filepath.Glob(filepath.Join(store, ".*", "c.*"))
	for _, p := range paths {
		data, _ := os.ReadFile(p)
		raw = append(raw, data...)
	}
	if len(raw) == 0 {
		t.Fatalf("no archive file in %s", store)
	}
	for _, c := range cases {
		for _, p := range corpusParts(c.secret) {
			if strings.Contains(string(archived), p) || strings.Contains(string(raw), p) {
				t.Errorf("%s (rule %s): in the archive", c.name, c.rule)
				break
			}
		}
	}
}
