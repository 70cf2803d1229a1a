package archive

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sess-dev/sess/pkg/store"
	"github.com/sess-dev/sess/pkg/store/derived/transcripts"
)

// TestAppend: a transcript's rows are archived redacted, each still JSON;
// a path that is not an absolute .jsonl is refused before anything opens.
func TestAppend(t *testing.T) {
	t.Parallel()
	st := store.Open(t.TempDir(), store.Options{})
	src := filepath.Join(t.TempDir(), "c.jsonl")
	os.WriteFile(src, []byte(`{"type":"user","message":{"content":"mail ann@example.org, token ghp_Zr8Kq2Lm4Np6Qs8Tu0Vw2Xy4Za6Bc8De0Fg2"}}`+"\n"), 0o600)
	added, err := Append(st, "c", src)
	if err != nil {
		t.Fatal(err)
	}
	if want, have := int64(109), added.Bytes; want != have {
		t.Errorf("bytes: want %d, have %d", want, have)
	}
	r, err := transcripts.Of(st).Open("c")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	data, _ := io.ReadAll(r)
	if want, have := `{"type":"user","message":{"content":"mail [REDACTED:email], token [REDACTED:github-pat]"}}`+"\n", string(data); want != have {
		t.Errorf("want %s, have %s", want, have)
	}
	for _, bad := range []string{"c.jsonl", src + ".txt", "/etc/hostname"} {
		if _, err := Append(st, "d", bad); err == nil || !strings.Contains(err.Error(), "not a transcript's path") {
			t.Errorf("%s: want refused, have %v", bad, err)
		}
	}
}
