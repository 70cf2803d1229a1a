package transcriptgen

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// small is a tree with the whole tour and some conversations drawn at
// random.
var small = Options{Seed: 7, Conversations: 24}

// generate writes the tree of opt into a new folder.
func generate(t testing.TB, opt Options) (string, Stats) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "projects")
	st, err := Generate(dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	return dir, st
}

// digest is the tree's files (paths relative to dir) and a hash of each.
func digest(t testing.TB, dir string) map[string][32]byte {
	t.Helper()
	out := map[string][32]byte{}
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		out[rel] = sha256.Sum256(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		a, b Options
		same bool
	}{
		{"same options", small, small, true},
		{"by size", Options{Seed: 3, Bytes: 1 << 20, Turns: 30}, Options{Seed: 3, Bytes: 1 << 20, Turns: 30}, true},
		{"another seed", small, Options{Seed: 8, Conversations: 24}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			da, sa := generate(t, c.a)
			db, sb := generate(t, c.b)
			ha, hb := digest(t, da), digest(t, db)
			same := len(ha) == len(hb)
			for path, h := range ha {
				same = same && hb[path] == h
			}
			if want, have := c.same, same; want != have {
				t.Errorf("same bytes: want %v, have %v (%d and %d files)", want, have, len(ha), len(hb))
			}
			if c.same && (sa.Bytes != sb.Bytes || sa.Rows != sb.Rows) {
				t.Errorf("stats differ: %+v and %+v", sa, sb)
			}
		})
	}
}

func TestOptions(t *testing.T) {
	t.Parallel()
	if _, err := Generate(t.TempDir(), Options{Seed: 1}); err == nil {
		t.Error("a tree without Conversations or Bytes: want an error, have none")
	}
	_, st := generate(t, Options{Seed: 2, Bytes: 3 << 20, Turns: 20})
	if st.Bytes < 3<<20 {
		t.Errorf("bytes: want at least %d, have %d", 3<<20, st.Bytes)
	}
	_, st = generate(t, Options{Seed: 2, Conversations: 5, Turns: 2})
	if want, have := 5, st.Conversations; want != have {
		t.Errorf("conversations: want %d, have %d", want, have)
	}
}

// line is what the checks read of a row.
type line struct {
	Type        string `json:"type"`
	SessionID   string `json:"sessionId"`
	IsSidechain bool   `json:"isSidechain"`
	AgentID     string `json:"agentId"`
	RequestID   string `json:"requestId"`
	Timestamp   string `json:"timestamp"`
	UUID        string `json:"uuid"`
	Message     struct {
		ID    string          `json:"id"`
		Model string          `json:"model"`
		Usage json.RawMessage `json:"usage"`
	} `json:"message"`
}

// transcript is one file of a tree, read.
type transcriptFile struct {
	rel  string // its path under the projects folder
	rows []line
	cut  bool // its last line does not end
}

// readTree reads every transcript of the tree at dir.
func readTree(t *testing.T, dir string) []transcriptFile {
	t.Helper()
	var out []transcriptFile
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f := transcriptFile{rel: strings.TrimPrefix(path, dir+string(filepath.Separator))}
		lines := bytes.SplitAfter(data, []byte("\n"))
		if last := lines[len(lines)-1]; len(last) > 0 {
			f.cut = true
			if json.Valid(last) {
				t.Errorf("%s: its last line has no newline but is whole", f.rel)
			}
		}
		for _, l := range lines[:len(lines)-1] {
			var r line
			if err := json.Unmarshal(l, &r); err != nil {
				t.Errorf("%s: %v", f.rel, err)
			}
			f.rows = append(f.rows, r)
		}
		out = append(out, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestShapes reads trees back and checks that the shapes the package
// promises are there, in the form Claude Code writes them: in the small
// tree, and in the tree internal/usage's ccusage goldens were made from.
func TestShapes(t *testing.T) {
	t.Parallel()
	trees := []struct {
		name string
		opt  Options
	}{{"small", small}}
	if data, err := os.ReadFile("../usage/testdata/tree.json"); err == nil {
		var golden Options
		if err := json.Unmarshal(data, &golden); err != nil {
			t.Fatal(err)
		}
		trees = append(trees, struct {
			name string
			opt  Options
		}{"golden", golden})
	}
	for _, c := range trees {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			checkShapes(t, c.opt)
		})
	}
}

func checkShapes(t *testing.T, opt Options) {
	dir, st := generate(t, opt)
	files := readTree(t, dir)

	if want, have := st.Files, len(files); want != have {
		t.Errorf("files: stats say %d, the tree has %d", want, have)
	}
	for _, c := range []struct {
		what string
		n    int
	}{
		{"resumed conversations", st.Resumed}, {"copied rows", st.CopiedRows},
		{"subagents in <id>/subagents", st.Subagents}, {"subagents beside", st.OldSubagents},
		{"compactions", st.Compactions}, {"cut lines", st.CutLines}, {"split replies' rows", st.SplitRows},
		{"fast requests", st.Fast}, {"1-hour cache writes", st.Cache1h}, {"usage without cache split", st.NoCacheSplit},
		{"requests without requestId", st.NoRequestID}, {"costUSD", st.CostUSD}, {"synthetic rows", st.Synthetic},
		{"unknown model", st.UnknownModel},
	} {
		if c.n == 0 {
			t.Errorf("no %s", c.what)
		}
	}
	for _, m := range []string{opus45, opus46, opus41, sonnet45, sonnet4, haiku45, unknown} {
		if st.Models[m] == 0 {
			t.Errorf("no request of %s", m)
		}
	}
	if st.MaxInput > maxInput {
		t.Errorf("a request's input is %d tokens, over %d", st.MaxInput, maxInput)
	}

	usages := map[string]string{} // message id + request id: its usage
	var conversations, cut, days, months, folders = 0, 0, map[string]bool{}, map[string]bool{}, map[string]bool{}
	crossesMidnight := false
	for _, f := range files {
		folders[strings.Split(f.rel, string(filepath.Separator))[0]] = true
		if f.cut {
			cut++
		}
		base := filepath.Base(f.rel)
		agent := strings.HasPrefix(base, "agent-")
		if !agent {
			conversations++
		}
		first, last := "", ""
		for _, r := range f.rows {
			if r.Timestamp == "" {
				continue
			}
			if first == "" {
				first = r.Timestamp
			}
			last = max(last, r.Timestamp)
			days[r.Timestamp[:10]] = true
			months[r.Timestamp[:7]] = true
			if agent {
				checkSubagentRow(t, f.rel, r)
			}
			if r.Message.Usage == nil || r.Message.Model == synthetic {
				continue
			}
			if r.RequestID == "" {
				continue
			}
			key := r.Message.ID + ":" + r.RequestID
			if u, ok := usages[key]; ok && u != string(r.Message.Usage) {
				t.Errorf("%s: the rows of request %s differ in usage", f.rel, key)
			}
			usages[key] = string(r.Message.Usage)
		}
		if !agent && first != "" && first[:10] != last[:10] {
			crossesMidnight = true
		}
	}
	if want, have := st.Conversations, conversations; want != have {
		t.Errorf("conversations: stats say %d, the tree has %d", want, have)
	}
	if want, have := st.CutLines, cut; want != have {
		t.Errorf("cut lines: stats say %d, the tree has %d", want, have)
	}
	if len(folders) < 3 || len(months) < 2 || len(days) < 14 || !crossesMidnight {
		t.Errorf("want 3 folders, 2 months, 14 days and a conversation over midnight; have %d, %d, %d, %v",
			len(folders), len(months), len(days), crossesMidnight)
	}
	if st.First.Month() != time.September || st.Last.Month() != time.October {
		t.Errorf("rows from %v to %v, want September to October", st.First, st.Last)
	}
	checkResumed(t, files)
}

// checkSubagentRow checks a row of a subagent's transcript: a sidechain of
// its conversation, with the agent's id, which names the file.
func checkSubagentRow(t *testing.T, rel string, r line) {
	t.Helper()
	parts := strings.Split(rel, string(filepath.Separator))
	if !r.IsSidechain || "agent-"+r.AgentID+".jsonl" != parts[len(parts)-1] {
		t.Errorf("%s: a subagent's row: isSidechain %v, agentId %q", rel, r.IsSidechain, r.AgentID)
	}
	if len(parts) == 4 && r.SessionID != parts[1] { // <folder>/<conversation>/subagents/agent-<id>.jsonl
		t.Errorf("%s: a subagent's row says conversation %s", rel, r.SessionID)
	}
}

// checkResumed checks that resumed conversations start with rows of
// another conversation's file: some copied with the old conversation id,
// some stamped with the new one (each file's rows then carry its own id).
func checkResumed(t *testing.T, files []transcriptFile) {
	t.Helper()
	own := map[string][]bool{} // a row's uuid: in each file that has it, whether with the file's own id
	for _, f := range files {
		id := strings.TrimSuffix(filepath.Base(f.rel), ".jsonl")
		for _, r := range f.rows {
			if r.UUID != "" {
				own[r.UUID] = append(own[r.UUID], r.SessionID == id)
			}
		}
	}
	kept, stamped := 0, 0
	for _, o := range own {
		switch {
		case len(o) < 2:
		case slices.Contains(o, false):
			kept++
		default:
			stamped++
		}
	}
	if kept == 0 || stamped == 0 {
		t.Errorf("copied rows: %d with the old id, %d stamped with the new; want some of both", kept, stamped)
	}
}

func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		dir := filepath.Join(b.TempDir(), "projects")
		st, err := Generate(dir, Options{Seed: 1, Bytes: 64 << 20, Turns: 200})
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(st.Bytes)
	}
}
