package transcripts

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sess-dev/sess/internal/redact"
)

// realisticTranscript writes a Claude Code transcript of about size bytes
// (at most what the repository holds) as a working day makes one:
// prompts, answers, tool calls and their results, which are mostly files
// read and commands' output (this repository's Go and Markdown files stand
// in for them, each read once, so that no repeat flatters the
// compression), each row with the metadata Claude Code stamps on it. It
// returns the path.
func realisticTranscript(tb testing.TB, size int) string {
	tb.Helper()
	var sources []string
	filepath.WalkDir("../../../..", func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && strings.HasPrefix(d.Name(), ".") && p != "../../../.." {
			return filepath.SkipDir
		}
		if err == nil && (strings.HasSuffix(p, ".go") || strings.HasSuffix(p, ".md")) {
			if data, err := os.ReadFile(p); err == nil {
				sources = append(sources, string(data))
			}
		}
		return nil
	})
	if len(sources) == 0 {
		tb.Skip("no source files to make a transcript of")
	}
	path := filepath.Join(tb.TempDir(), "c.jsonl")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	written := 0
	row := func(kind string, message any, i int) {
		m, _ := json.Marshal(message)
		n, _ := fmt.Fprintf(f, `{"parentUuid":"%08d-1111-4111-8111-111111111111","isSidechain":false,"userType":"external","cwd":"/home/dev/src/sess","sessionId":"5f1c2a9e-8b3d-4e7a-9c21-0d6b7e4f3a10","version":"2.1.3","gitBranch":"main","type":"%s","message":%s,"uuid":"%08d-2222-4222-8222-222222222222","timestamp":"2026-12-06T10:%02d:%02d.%03dZ"}`+"\n",
			i, kind, m, i, i/60%60, i%60, i%1000)
		written += n
	}
	for i := 0; written < size && i < len(sources); i++ {
		src := sources[i]
		if len(src) > 24000 {
			src = src[:24000]
		}
		row("user", map[string]any{"role": "user", "content": fmt.Sprintf("Step %d: look at the next file and tell me what it does", i)}, 4*i)
		row("assistant", map[string]any{"role": "assistant", "model": "claude-opus-4", "content": []any{
			map[string]any{"type": "text", "text": "I'll read the file first."},
			map[string]any{"type": "tool_use", "id": fmt.Sprintf("toolu_%d", i), "name": "Read", "input": map[string]any{"file_path": fmt.Sprintf("/home/dev/src/sess/f%d.go", i)}}},
			"usage": map[string]any{"input_tokens": 1200 + i, "output_tokens": 300, "cache_read_input_tokens": 40000}}, 4*i+1)
		row("user", map[string]any{"role": "user", "content": []any{map[string]any{"type": "tool_result", "tool_use_id": fmt.Sprintf("toolu_%d", i), "content": src}}}, 4*i+2)
		row("assistant", map[string]any{"role": "assistant", "model": "claude-opus-4", "content": []any{
			map[string]any{"type": "text", "text": "It keeps the store's files: " + src[:min(len(src), 600)]}}}, 4*i+3)
	}
	return path
}

// BenchmarkArchiveTranscript appends a realistic transcript of 1 MB to an
// empty archive, every row redacted as the hooks redact it, and reports
// the compression: the transcript's bytes for one of the archive's.
func BenchmarkArchiveTranscript(b *testing.B) {
	src := realisticTranscript(b, 1<<20)
	fi, _ := os.Stat(src)
	redactRow := func(line []byte) []byte { out, _ := redact.JSONLine(line); return out }
	b.SetBytes(fi.Size())
	var archived int64
	for b.Loop() {
		b.StopTimer()
		f := New(b.TempDir(), nil, nil)
		b.StartTimer()
		if _, err := f.Append("c", src, redactRow); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		afi, _ := os.Stat(f.path("c"))
		archived = afi.Size()
		b.StartTimer()
	}
	b.ReportMetric(float64(fi.Size())/float64(archived), "ratio")
}

// BenchmarkReadTranscript streams an archived realistic transcript back.
func BenchmarkReadTranscript(b *testing.B) {
	src := realisticTranscript(b, 1<<20)
	fi, _ := os.Stat(src)
	f := New(b.TempDir(), nil, nil)
	if _, err := f.Append("c", src, func(l []byte) []byte { return l }); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(fi.Size())
	for b.Loop() {
		r, err := f.Open("c")
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, r)
		r.Close()
	}
}
