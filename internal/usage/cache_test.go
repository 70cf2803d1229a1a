package usage

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// pass counts root's transcripts with cache and returns the tally of
// all and the stats.
func pass(t *testing.T, root string, cache *Cache) (Tally, Stats) {
	t.Helper()
	srcs := Transcripts([]string{root})
	if cache != nil {
		srcs = append(srcs, cache.Orphans(srcs)...)
	}
	var total Tally
	st, err := Each(Options{Mode: Calculate, Sources: srcs, Cache: cache}, func(c Counted) { total.Add(c.Entry, c.Cost) })
	if err != nil {
		t.Fatal(err)
	}
	return total, st
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func appendFile(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}

func msg(n string) string { return reply(`"msg_1"`, `"msg_`+n+`"`) }

func TestCacheReadsOnlyWhatWasAppended(t *testing.T) {
	root := filepath.Join(t.TempDir(), "projects")
	tr := filepath.Join(root, "-home-u-web", "c1.jsonl")
	writeFile(t, tr, msg("1")+"\n"+msg("1")+"\n")
	cache := NewCache(filepath.Join(t.TempDir(), ".usage"), t.Logf)

	got, st := pass(t, root, cache)
	if got.Output != 200 || st.Read != 1 {
		t.Fatalf("first pass: output %d (one reply, written twice), read %d", got.Output, st.Read)
	}
	got, st = pass(t, root, cache)
	if got.Output != 200 || st.Read != 0 || st.Bytes != 0 {
		t.Fatalf("nothing changed: output %d, read %d sources, %d bytes", got.Output, st.Read, st.Bytes)
	}
	// An unfinished line counts (ccusage reads it) and is read again
	// once finished, counted once.
	line := msg("2")
	appendFile(t, tr, line[:len(line)-1])
	if got, _ = pass(t, root, cache); got.Output != 200 {
		t.Fatalf("a cut line counted: output %d", got.Output)
	}
	appendFile(t, tr, line[len(line)-1:])
	if got, _ = pass(t, root, cache); got.Output != 400 {
		t.Fatalf("the whole unterminated line: output %d, want 400", got.Output)
	}
	appendFile(t, tr, "\n"+msg("3")+"\n")
	got, st = pass(t, root, cache)
	// From the end of the last newline: the line that had none, and the new one.
	if want := int64(len(line) + len(msg("3")) + 2); got.Output != 600 || st.Bytes != want {
		t.Fatalf("appended: output %d, read %d bytes, want 600 and %d", got.Output, st.Bytes, want)
	}
}

func TestCacheRewrittenTranscript(t *testing.T) {
	root := filepath.Join(t.TempDir(), "projects")
	tr := filepath.Join(root, "-home-u-web", "c1.jsonl")
	writeFile(t, tr, msg("1")+"\n"+msg("2")+"\n")
	cache := NewCache(filepath.Join(t.TempDir(), ".usage"), t.Logf)
	pass(t, root, cache)
	// The same length, other bytes before the end: read again whole.
	writeFile(t, tr, msg("1")+"\n"+strings.Replace(msg("2"), `"output_tokens":200`, `"output_tokens":700`, 1)+"\n"+msg("3")+"\n")
	if got, _ := pass(t, root, cache); got.Output != 1100 {
		t.Errorf("rewritten: output %d, want 1100", got.Output)
	}
}

func TestCacheCorruptOrOdd(t *testing.T) {
	root := filepath.Join(t.TempDir(), "projects")
	writeFile(t, filepath.Join(root, "-home-u-web", "c1.jsonl"), msg("1")+"\n")
	dir := filepath.Join(t.TempDir(), ".usage")
	cache := NewCache(dir, t.Logf)
	pass(t, root, cache)
	files, _ := filepath.Glob(filepath.Join(dir, "*.sum"))
	if len(files) != 1 {
		t.Fatalf("summaries %v", files)
	}
	data, _ := os.ReadFile(files[0])
	data[len(data)/2] ^= 0xff
	os.WriteFile(files[0], data, 0o600)
	if got, st := pass(t, root, cache); got.Output != 200 || st.Read != 1 {
		t.Errorf("corrupt summary: output %d, read %d; want it read again", got.Output, st.Read)
	}
	// A FIFO in a summary's place does not hang the report.
	os.Remove(files[0])
	if err := syscall.Mkfifo(files[0], 0o600); err != nil {
		t.Skip(err)
	}
	if got, _ := pass(t, root, cache); got.Output != 200 {
		t.Errorf("FIFO: output %d", got.Output)
	}
}

func TestCacheUnwritable(t *testing.T) {
	root := filepath.Join(t.TempDir(), "projects")
	writeFile(t, filepath.Join(root, "-home-u-web", "c1.jsonl"), msg("1")+"\n"+msg("2")+"\n")
	blocker := filepath.Join(t.TempDir(), "file")
	writeFile(t, blocker, "")
	var warned []string
	cache := NewCache(filepath.Join(blocker, ".usage"), func(f string, a ...any) { warned = append(warned, f) })
	if got, _ := pass(t, root, cache); got.Output != 400 || len(warned) != 1 {
		t.Errorf("unwritable cache: output %d, warnings %v", got.Output, warned)
	}
}

func TestOrphanSummaryKeepsUsage(t *testing.T) {
	root := filepath.Join(t.TempDir(), "projects")
	tr := filepath.Join(root, "-home-u-web", "c1.jsonl")
	sub := filepath.Join(root, "-home-u-web", "c1", "subagents", "agent-a.jsonl")
	writeFile(t, tr, msg("1")+"\n")
	writeFile(t, sub, msg("2")+"\n")
	cache := NewCache(filepath.Join(t.TempDir(), ".usage"), t.Logf)
	pass(t, root, cache)
	os.RemoveAll(filepath.Join(root, "-home-u-web"))
	got, _ := pass(t, root, cache)
	if got.Output != 400 {
		t.Errorf("Claude Code deleted the transcripts: output %d, want the 400 their summaries keep", got.Output)
	}
}

func FuzzDecodeSummary(f *testing.F) {
	e, _ := ParseLine([]byte(reply()))
	s := &Summary{Path: "/p/c1.jsonl", Folder: "-p", Conv: "c1", Size: 10, End: 9, Entries: []Entry{e}}
	f.Add(s.Encode())
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := DecodeSummary(b)
		if err != nil {
			return
		}
		again, err := DecodeSummary(s.Encode())
		if err != nil || len(again.Entries) != len(s.Entries) {
			t.Errorf("a decoded summary does not decode again the same: %v", err)
		}
	})
}
