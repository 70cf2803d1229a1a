package importer

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sess-dev/sess/internal/transcript"
)

// benchTree writes convs conversations of turns turns each, a realistic
// mix (a prompt, an edit, a file read back of a few kilobytes, an answer),
// and returns the projects folder and its size.
func benchTree(b *testing.B, convs, turns int) (string, int64) {
	dir := b.TempDir()
	projects := filepath.Join(dir, "projects")
	cwd := filepath.Join(dir, "gone", "app")
	var size int64
	old := base.Add(time.Hour)
	out := fmt.Sprintf("%4000s", "a line of a file read back")
	for c := 0; c < convs; c++ {
		id := fmt.Sprintf("cccccccc-0000-4000-8000-%012d", c)
		r := &rows{t: b, id: id, cwd: cwd, branch: "main"}
		for i := 0; i < turns; i++ {
			when := at(c*60+i/10, i%60)
			r.prompt(when, fmt.Sprintf("Do step %d", i))
			r.tool(when, fmt.Sprintf("toolu_r%d", i), "Read", map[string]any{"file_path": cwd + "/main.go"}, out, map[string]any{"file": map[string]any{"content": out}}, false)
			r.tool(when, fmt.Sprintf("toolu_e%d", i), "Edit", map[string]any{"file_path": fmt.Sprintf("%s/f%d.go", cwd, i%30)}, "ok", nil, false)
			r.answer(when, "Done with this step.")
		}
		path := filepath.Join(projects, transcript.Folder(cwd), id+".jsonl")
		r.write(path, old)
		fi, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		size += fi.Size()
	}
	return projects, size
}

// BenchmarkImport imports a tree into a new store: the bytes of
// transcripts a second.
func BenchmarkImport(b *testing.B) {
	projects, size := benchTree(b, 20, 300)
	now := base.Add(48 * time.Hour)
	b.SetBytes(size)
	for b.Loop() {
		b.StopTimer()
		dir := filepath.Join(b.TempDir(), "dashboard")
		b.StartTimer()
		sum, err := Run(context.Background(), dir, Options{Projects: projects, NoArchive: true, Now: func() time.Time { return now }})
		if err != nil || sum.Imported != 20 {
			b.Fatalf("%+v %v", sum, err)
		}
	}
}
