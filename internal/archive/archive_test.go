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

// TestAppendSaid: what was said (prompts and answers, redacted) goes to
// the conversation's searchable text, tool calls, their output, injected
// rows and a subagent's not; the conversation's session is noted in the
// change feed; the next append adds only the new rows' words.
func TestAppendSaid(t *testing.T) {
	t.Parallel()
	st := store.Open(t.TempDir(), store.Options{})
	files := st.Derived()
	const sid = "sess_20260101T0000_ab12"
	files.PointTo("c", sid)
	start, err := files.StartChanges()
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "c.jsonl")
	rows := []string{
		`{"type":"user","message":{"role":"user","content":"why is the flamegraph flat? ask ann@example.org"}}`,
		`{"type":"assistant","message":{"role":"assistant","content":[{"type":"thinking","thinking":"pondering"},{"type":"text","text":"The sampler runs at 1 Hz."},{"type":"tool_use","id":"t1","name":"Bash","input":{"command":"grepcommand"}}]}}`,
		`{"type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"tooloutput"}]}}`,
		`{"type":"user","isMeta":true,"message":{"role":"user","content":"injectedtext"}}`,
		`{"type":"assistant","isSidechain":true,"message":{"role":"assistant","content":"subagenttext"}}`,
	}
	os.WriteFile(src, []byte(strings.Join(rows, "\n")+"\n"), 0o600)
	if _, err := Append(st, "c", src); err != nil {
		t.Fatal(err)
	}
	want := "why is the flamegraph flat? ask [REDACTED:email]\nThe sampler runs at 1 Hz."
	if have := files.ConversationText("c"); want != have {
		t.Errorf("want %q, have %q", want, have)
	}
	if ids, _, _ := files.Changes(start); len(ids) != 1 || ids[0] != sid {
		t.Errorf("the change feed: want [%s], have %v", sid, ids)
	}
	f, _ := os.OpenFile(src, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"type":"user","message":{"role":"user","content":"and now?"}}` + "\n")
	f.Close()
	if _, err := Append(st, "c", src); err != nil {
		t.Fatal(err)
	}
	if have := files.ConversationText("c"); want+"\nand now?" != have {
		t.Errorf("after a second append: %q", have)
	}
}
