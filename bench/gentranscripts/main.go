// Command gentranscripts writes a Claude Code projects folder of generated
// transcripts, of the shapes Claude Code writes (a prompt, a file read
// back, an edit, a TodoWrite now and then, a git commit now and then, an
// answer with a thinking block), to a given total size: what
// bench/import.sh imports. Deterministic for a seed; it streams each file,
// so its memory stays small whatever the size.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gentranscripts:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("gentranscripts", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "the projects folder to write (required; must not exist)")
	mb := fs.Int("mb", 1024, "total size of the transcripts, in MiB")
	turns := fs.Int("turns", 200, "turns per conversation")
	projects := fs.Int("projects", 4, "project folders")
	seed := fs.Uint64("seed", 1, "seed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("give -o")
	}
	if _, err := os.Stat(*out); err == nil {
		return fmt.Errorf("%s exists", *out)
	}
	g := &gen{rnd: rand.New(rand.NewPCG(*seed, 2)), start: time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)}
	var total int64
	for c := 0; total < int64(*mb)<<20; c++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		cwd := fmt.Sprintf("/home/dev/src/project-%d", c%*projects)
		id := fmt.Sprintf("%08x-0000-4000-8000-%012d", g.rnd.Uint32(), c)
		path := filepath.Join(*out, strings.NewReplacer("/", "-", ".", "-").Replace(cwd), id+".jsonl")
		n, err := g.conversation(path, id, cwd, *turns)
		if err != nil {
			return err
		}
		total += n
	}
	fmt.Fprintf(stdout, "%d MiB of transcripts in %s\n", total>>20, *out)
	return nil
}

// gen is the generator's state: its randomness and clock.
type gen struct {
	rnd   *rand.Rand
	start time.Time
}

// conversation writes one transcript of turns turns and returns its size.
func (g *gen) conversation(path, id, cwd string, turns int) (int64, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return 0, err
	}
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	w := &writer{bw: bufio.NewWriterSize(f, 1<<16), id: id, cwd: cwd, t: g.start}
	g.start = g.start.Add(3 * time.Hour)
	for i := range turns {
		g.turn(w, i)
	}
	if err := w.bw.Flush(); err != nil {
		f.Close()
		return 0, err
	}
	old := g.start.Add(-time.Hour)
	if err := f.Close(); err != nil {
		return 0, err
	}
	return w.n, os.Chtimes(path, old, old)
}

// turn writes a prompt, the tool calls of the answer and the answer.
func (g *gen) turn(w *writer, i int) {
	w.row("user", map[string]any{"message": map[string]any{"role": "user", "content": fmt.Sprintf("Step %d: make the handler check its input and add a test", i)}})
	file := fmt.Sprintf("%s/internal/pkg%d/file%d.go", w.cwd, i%7, g.rnd.IntN(40))
	body := strings.Repeat("\tif err := check(input); err != nil {\n\t\treturn fmt.Errorf(\"check: %w\", err)\n\t}\n", 20+g.rnd.IntN(60))
	w.tool("Read", map[string]any{"file_path": file}, body)
	w.tool("Edit", map[string]any{"file_path": file, "old_string": "return nil", "new_string": "return check(input)"}, "The file has been updated.")
	if i%10 == 0 {
		w.tool("TodoWrite", map[string]any{"todos": []any{
			map[string]any{"content": fmt.Sprintf("Check the input of step %d", i), "status": "completed", "activeForm": "Checking"},
			map[string]any{"content": fmt.Sprintf("Test step %d", i), "status": "in_progress", "activeForm": "Testing"}}}, "Todos have been modified successfully.")
	}
	if i%25 == 24 {
		w.tool("Bash", map[string]any{"command": fmt.Sprintf("git commit -am 'step %d: check the input'", i)},
			fmt.Sprintf("[main %07x] step %d: check the input\n 1 file changed, 3 insertions(+)", g.rnd.Uint32()&0xfffffff, i))
	}
	w.row("assistant", map[string]any{"message": map[string]any{"id": fmt.Sprintf("msg_%s_%d", w.id[:8], i), "role": "assistant", "model": "claude-sonnet-4-5",
		"content": []any{map[string]any{"type": "thinking", "thinking": "The handler needs the check first.", "signature": "sig"},
			map[string]any{"type": "text", "text": fmt.Sprintf("Done: step %d checks its input, and a test covers it. Next, the error messages.", i)}},
		"usage": map[string]any{"input_tokens": 12, "output_tokens": 340, "cache_read_input_tokens": 42000, "cache_creation_input_tokens": 1200}}})
}

// writer writes one transcript's rows, chained by uuid.
type writer struct {
	bw      *bufio.Writer
	id, cwd string
	t       time.Time
	n       int64
	seq     int
	parent  string
}

func (w *writer) row(typ string, extra map[string]any) {
	w.seq++
	w.t = w.t.Add(7 * time.Second)
	uuid := fmt.Sprintf("%s-%06d", w.id[:8], w.seq)
	row := map[string]any{"type": typ, "uuid": uuid, "sessionId": w.id, "timestamp": w.t.Format("2006-01-02T15:04:05.000Z"),
		"cwd": w.cwd, "gitBranch": "main", "version": "2.1.12", "isSidechain": false, "userType": "external", "parentUuid": nil}
	if w.parent != "" {
		row["parentUuid"] = w.parent
	}
	w.parent = uuid
	for k, v := range extra {
		row[k] = v
	}
	data, _ := json.Marshal(row)
	w.bw.Write(data)
	w.bw.WriteByte('\n')
	w.n += int64(len(data) + 1)
}

// tool writes a tool call and its result.
func (w *writer) tool(name string, input any, result string) {
	id := fmt.Sprintf("toolu_%s_%d", w.id[:8], w.seq)
	w.row("assistant", map[string]any{"message": map[string]any{"role": "assistant", "content": []any{
		map[string]any{"type": "tool_use", "id": id, "name": name, "input": input}}}})
	w.row("user", map[string]any{"message": map[string]any{"role": "user", "content": []any{
		map[string]any{"type": "tool_result", "tool_use_id": id, "content": result}}}, "toolUseResult": map[string]any{"stdout": result}})
}
