package conversation

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sess-dev/sess/internal/archive"
	"github.com/sess-dev/sess/internal/journal"
	"github.com/sess-dev/sess/internal/storetest"
	"github.com/sess-dev/sess/internal/transcript"
)

// bigTranscript is a transcript of about size bytes of a realistic mix:
// a prompt, an answer, a tool call whose result is a few kilobytes.
func bigTranscript(cwd string, size int) []byte {
	var b bytes.Buffer
	out := strings.Repeat("some output of a tool, a line of a file read back\\n", 80)
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, `{"type":"user","message":{"role":"user","content":"Do step %d of the plan"},"uuid":"u%d","sessionId":"s","timestamp":"2026-03-02T09:00:00.000Z","cwd":%q}`+"\n", i, i, cwd)
		fmt.Fprintf(&b, `{"type":"assistant","message":{"role":"assistant","content":[{"type":"text","text":"I will read the file first."},{"type":"tool_use","id":"toolu_%d","name":"Read","input":{"file_path":"/home/u/src/app/main.go"}}]},"uuid":"a%d","sessionId":"s","timestamp":"2026-03-02T09:00:01.000Z"}`+"\n", i, i)
		fmt.Fprintf(&b, `{"type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_%d","content":"%s"}]},"toolUseResult":{"type":"text","file":{"filePath":"/home/u/src/app/main.go","content":"%s"}},"uuid":"r%d","sessionId":"s","timestamp":"2026-03-02T09:00:02.000Z"}`+"\n", i, out, out, i)
	}
	return b.Bytes()
}

// BenchmarkFirstPage50MB opens the first page (50 entries) of a 50 MB
// transcript, live and from the archive; Last is the last page,
// which reads through the whole file.
func BenchmarkFirstPage50MB(b *testing.B) {
	st := storetest.NewClocked(b)
	dir := b.TempDir()
	repo := filepath.Join(dir, "src", "app")
	sess, _, err := journal.RegisterLaunch(st.Store, journal.Launch{ClaudeSessionID: cid, Project: "app", WorktreeRoot: &repo})
	if err != nil {
		b.Fatal(err)
	}
	projects := filepath.Join(dir, "projects")
	live := filepath.Join(projects, transcript.Folder(repo), cid+".jsonl")
	os.MkdirAll(filepath.Dir(live), 0o755)
	if err := os.WriteFile(live, bigTranscript(repo, 50<<20), 0o644); err != nil {
		b.Fatal(err)
	}
	if _, err := archive.Append(st.Store, cid, live); err != nil {
		b.Fatal(err)
	}
	end, err := Read(st.Store, projects, sess.SessionID, 1<<30, 1)
	if err != nil || end.Total == nil {
		b.Fatal(err)
	}
	deep := *end.Total - DefaultLimit
	for _, bc := range []struct {
		name     string
		projects string
		offset   int
	}{{"live", projects, 0}, {"archive", "", 0}, {"live-last", projects, deep}, {"archive-last", "", deep}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				pg, err := Read(st.Store, bc.projects, sess.SessionID, bc.offset, DefaultLimit)
				if err != nil || len(pg.Entries) != DefaultLimit {
					b.Fatalf("%d entries: %v", len(pg.Entries), err)
				}
			}
		})
	}
}
