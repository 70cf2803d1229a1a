package transcripts

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testEpoch is the tests' now.
var testEpoch = time.Date(2026, 2, 10, 14, 30, 5, 123456000, time.UTC)

// newTestFiles is the archive of an empty store folder, at testEpoch.
func newTestFiles(t *testing.T) *Archive {
	t.Helper()
	return New(filepath.Join(t.TempDir(), ".transcripts"), func() time.Time { return testEpoch }, nil)
}

// upper is a redaction the tests can see: it upper-cases every line.
func upper(line []byte) []byte { return bytes.ToUpper(line) }

// readArchive is the conversation's archived stream.
func readArchive(t *testing.T, f *Archive, cid string) string {
	t.Helper()
	r, err := f.Open(cid)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("read the archive: %v", err)
	}
	return string(data)
}

func appendTo(t *testing.T, path, text string) {
	t.Helper()
	file, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	file.WriteString(text)
	file.Close()
}

// TestArchiveTranscript: appends take the new complete lines, each
// through the redaction, and the stream reads them back in order; a line
// not yet finished waits for the next append.
func TestArchiveTranscript(t *testing.T) {
	t.Parallel()
	f := newTestFiles(t)
	src := filepath.Join(t.TempDir(), "c1.jsonl")
	steps := []struct {
		add       string
		wantBytes int64
		want      string
	}{
		{add: "{\"a\":1}\n{\"b\":2}\n", wantBytes: 16, want: "{\"A\":1}\n{\"B\":2}\n"},
		{add: "{\"c\":3}\n{\"d\"", wantBytes: 8, want: "{\"A\":1}\n{\"B\":2}\n{\"C\":3}\n"},
		{add: "", wantBytes: 0, want: "{\"A\":1}\n{\"B\":2}\n{\"C\":3}\n"},
		{add: ":4}\n\n", wantBytes: 9, want: "{\"A\":1}\n{\"B\":2}\n{\"C\":3}\n{\"D\":4}\n\n"},
	}
	if f.Archived("c1") {
		t.Errorf("archived before any append")
	}
	for i, s := range steps {
		appendTo(t, src, s.add)
		got, err := f.Append("c1", src, upper)
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if want, have := s.wantBytes, got.Bytes; want != have {
			t.Errorf("step %d: bytes: want %d, have %d", i, want, have)
		}
		if want, have := s.want, readArchive(t, f, "c1"); want != have {
			t.Errorf("step %d: want %q, have %q", i, want, have)
		}
	}
	if !f.Archived("c1") {
		t.Errorf("not archived")
	}
	tot, err := f.Totals()
	if err != nil {
		t.Fatal(err)
	}
	if want, have := (Totals{Conversations: 1, SourceBytes: 33, OnDisk: 1, OnDiskBytes: 33}), tot; want.Conversations != have.Conversations || want.SourceBytes != have.SourceBytes || want.OnDisk != have.OnDisk || want.OnDiskBytes != have.OnDiskBytes || have.ArchiveBytes == 0 {
		t.Errorf("totals: want %+v, have %+v", want, have)
	}
}

// TestArchiveTranscriptSource: a source that is copied over goes on where
// it was read to; one that shrank or holds other bytes is a new part,
// after what is kept.
func TestArchiveTranscriptSource(t *testing.T) {
	t.Parallel()
	ident := func(b []byte) []byte { return b }
	for name, c := range map[string]struct {
		replace  string
		want     string
		wantPart uint32
	}{
		"copied and grown": {replace: "one\ntwo\nthree\n", want: "one\ntwo\nthree\n", wantPart: 0},
		"shrank":           {replace: "x\n", want: "one\ntwo\nx\n", wantPart: 1},
		"other bytes":      {replace: "uno\ndos\ntres\n", want: "one\ntwo\nuno\ndos\ntres\n", wantPart: 1},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newTestFiles(t)
			src := filepath.Join(t.TempDir(), "c.jsonl")
			appendTo(t, src, "one\ntwo\n")
			if _, err := f.Append("c", src, ident); err != nil {
				t.Fatal(err)
			}
			tmp := src + ".new"
			os.WriteFile(tmp, []byte(c.replace), 0o600)
			os.Rename(tmp, src)
			got, err := f.Append("c", src, ident)
			if err != nil {
				t.Fatal(err)
			}
			if want, have := c.wantPart, got.Part; want != have {
				t.Errorf("part: want %d, have %d", want, have)
			}
			if want, have := c.want, readArchive(t, f, "c"); want != have {
				t.Errorf("want %q, have %q", want, have)
			}
		})
	}
}

// TestArchiveTornAppend: bytes after the last commit (an append killed
// before it committed) are not read, and the next append cuts them and
// archives those lines once.
func TestArchiveTornAppend(t *testing.T) {
	t.Parallel()
	for _, cut := range []int{1, 9, 40, -1} {
		t.Run(fmt.Sprint(cut), func(t *testing.T) {
			t.Parallel()
			f := newTestFiles(t)
			src := filepath.Join(t.TempDir(), "c.jsonl")
			appendTo(t, src, "one\n")
			f.Append("c", src, upper)
			p := f.path("c")
			before, _ := os.ReadFile(p)
			appendTo(t, src, "two\nthree\n")
			f.Append("c", src, upper)
			after, _ := os.ReadFile(p)
			// The second append, torn: cut bytes short of its end (-1: only
			// its frame, no commit).
			keep := len(after) - cut
			if cut < 0 {
				keep = len(before) + (len(after)-len(before))/2
			}
			os.WriteFile(p, after[:keep], 0o600)
			if want, have := "ONE\n", readArchive(t, f, "c"); want != have {
				t.Errorf("torn: want %q, have %q", want, have)
			}
			if _, err := f.Append("c", src, upper); err != nil {
				t.Fatal(err)
			}
			if want, have := "ONE\nTWO\nTHREE\n", readArchive(t, f, "c"); want != have {
				t.Errorf("after the next append: want %q, have %q", want, have)
			}
		})
	}
}

// TestArchiveLongLine: a line over maxLine is kept as a stub, and the
// lines around it as they are.
func TestArchiveLongLine(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("writes 33 MB")
	}
	f := newTestFiles(t)
	src := filepath.Join(t.TempDir(), "c.jsonl")
	long := strings.Repeat("x", maxLine+10)
	appendTo(t, src, "a\n"+long+"\nb\n")
	if _, err := f.Append("c", src, upper); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("A\n{\"type\":\"sess-archive-omitted\",\"bytes\":%d}\nB\n", maxLine+10)
	if have := readArchive(t, f, "c"); want != have {
		t.Errorf("want %q, have %.200q", want, have)
	}
}

// TestArchiveRefuses: no FIFO (it would block the hook), no id that is
// not a file name, no archive for a conversation never appended.
func TestArchiveRefuses(t *testing.T) {
	t.Parallel()
	f := newTestFiles(t)
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := mkfifo(fifo); err == nil {
		if _, err := f.Append("c", fifo, upper); err == nil {
			t.Errorf("a FIFO archived")
		}
	}
	if _, err := f.Append("../x", "/etc/hostname", upper); err == nil {
		t.Errorf("a bad id archived")
	}
	if _, err := f.Open("none"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("no archive: want ErrNotExist, have %v", err)
	}
}

// TestPruneTranscripts: an archive last appended to before the cutoff
// goes, a newer one stays; a dry run removes nothing.
func TestPruneTranscripts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	now := testEpoch
	f := New(dir, func() time.Time { return now }, nil)
	src := filepath.Join(t.TempDir(), "c.jsonl")
	appendTo(t, src, "a\n")
	f.Append("old", src, upper)
	now = now.Add(48 * time.Hour)
	f.Append("new", src, upper)
	cutoff := testEpoch.Add(24 * time.Hour)
	for _, dry := range []bool{true, false} {
		ids, err := f.Prune(cutoff, dry)
		if err != nil {
			t.Fatal(err)
		}
		if want, have := "[old]", fmt.Sprint(ids); want != have {
			t.Errorf("dry %v: want %s, have %s", dry, want, have)
		}
		if want, have := dry, f.Archived("old"); want != have {
			t.Errorf("dry %v: old archived: want %v, have %v", dry, want, have)
		}
	}
	if !f.Archived("new") {
		t.Errorf("the new archive pruned")
	}
}

// FuzzArchiveReader: any bytes as an archive read to an end or an error,
// never a panic or a hang; a whole archive with bytes added after it
// reads as it was.
func FuzzArchiveReader(f *testing.F) {
	files := New(f.TempDir(), nil, nil)
	src := filepath.Join(f.TempDir(), "c.jsonl")
	whole := []byte{}
	for i := range 3 {
		appendTo(&testing.T{}, src, fmt.Sprintf("{\"n\":%d}\n", i))
		files.Append("c", src, upper)
		whole, _ = os.ReadFile(files.path("c"))
		f.Add(whole, []byte{})
		f.Add(whole[:len(whole)-5], []byte("x"))
	}
	f.Add([]byte("random bytes"), []byte{0x28, 0xb5, 0x2f, 0xfd})
	f.Fuzz(func(t *testing.T, archive, tail []byte) {
		data := append(append([]byte{}, archive...), tail...)
		c, err := lastCommit(bytes.NewReader(data), int64(len(data)))
		if err == nil && (c.end <= 0 || c.end > int64(len(data))) {
			t.Fatalf("commit end %d in %d bytes", c.end, len(data))
		}
		r, err := newArchiveReader(io.NewSectionReader(bytes.NewReader(data), 0, c.end), io.NopCloser(nil))
		if err != nil {
			return
		}
		defer r.Close()
		io.Copy(io.Discard, io.LimitReader(r, 64<<20))
		// The archive made above, torn anywhere: the commits before the
		// tear read back as they were.
		if len(whole) > 0 && len(archive) > 0 {
			cut := int(archive[0]) * len(whole) / 256
			torn := append(append([]byte{}, whole[:cut]...), tail...)
			if c, err := lastCommit(bytes.NewReader(torn), int64(len(torn))); err == nil && c.end > int64(cut) && len(tail) == 0 {
				t.Fatalf("a commit past the tear: %d > %d", c.end, cut)
			}
		}
	})
}

// TestArchiveConcurrent: appends that run at once, as the children of
// Stops in quick succession do, while the transcript grows, archive every
// line once, in order.
func TestArchiveConcurrent(t *testing.T) {
	t.Parallel()
	f := newTestFiles(t)
	src := filepath.Join(t.TempDir(), "c.jsonl")
	var want strings.Builder
	done := make(chan error)
	for i := range 20 {
		line := fmt.Sprintf("{\"n\":%d}\n", i)
		want.WriteString(line)
		appendTo(t, src, line)
		go func() {
			_, err := f.Append("c", src, func(b []byte) []byte { return b })
			done <- err
		}()
	}
	for range 20 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if have := readArchive(t, f, "c"); want.String() != have {
		t.Errorf("want %q, have %q", want.String(), have)
	}
}
