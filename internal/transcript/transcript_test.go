package transcript

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRead: the turns people and Claude wrote, in order; tool calls and
// results, harness tags, meta rows, unknown rows and broken lines left out.
func TestRead(t *testing.T) {
	f, err := os.Open("testdata/conversation.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	turns, err := Read(f)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tt := range turns {
		got = append(got, tt.Role[:1]+": "+tt.Text)
	}
	want := []string{
		"u: Fix the login redirect loop on Safari",
		"a: I'll look at the session cookie first.",
		"a: The cookie is set without SameSite, so Safari drops it. That is the root cause of the loop.",
		"u: ok, and deploy with token ghp_Zr8Kq2Lm4Np6Qs8Tu0Vw2Xy4Za6Bc8De0Fg2 please",
		"a: Some chatter about formatting and style that says little.",
		"a: Decision: set SameSite=Lax instead of None, because the login never crosses sites. Fixed and tested.",
		"u: Thanks, mail me at ann@example.org",
		"a: Done: the redirect loop is gone.",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("turns:\n%s", strings.Join(got, "\n"))
	}
}

// TestPick: redacted, and trimmed to the budget keeping the ends and the
// turns with decisions and causes over the chatter.
func TestPick(t *testing.T) {
	f, _ := os.Open("testdata/conversation.jsonl")
	defer f.Close()
	turns, _ := Read(f)
	h := Pick(turns, 60)
	for _, gone := range []string{"ghp_Zr8K", "ann@example.org", "chatter"} {
		if strings.Contains(h.Text, gone) {
			t.Errorf("%q kept:\n%s", gone, h.Text)
		}
	}
	for _, kept := range []string{"**User:** Fix the login redirect loop", "Decision: set SameSite=Lax", "root cause", "**Claude:** Done: the redirect loop is gone."} {
		if !strings.Contains(h.Text, kept) {
			t.Errorf("%q left out:\n%s", kept, h.Text)
		}
	}
	if h.Redactions != 2 || h.Percent <= 0 || h.Percent >= 100 {
		t.Errorf("redactions %d, percent %d", h.Redactions, h.Percent)
	}
	if all := Pick(turns, DefaultBudget); all.Percent != 100 || !strings.Contains(all.Text, "chatter") {
		t.Errorf("within the budget everything stays: %d%%", all.Percent)
	}
}

// TestFind: by the working folder's transcript folder, else anywhere.
func TestFind(t *testing.T) {
	projects := t.TempDir()
	dir := filepath.Join(projects, Folder("/home/alice/src/my_app"))
	os.MkdirAll(dir, 0o700)
	os.WriteFile(filepath.Join(dir, "abc.jsonl"), nil, 0o600)
	if Folder("/home/alice/src/my_app") != "-home-alice-src-my-app" {
		t.Errorf("folder: %s", Folder("/home/alice/src/my_app"))
	}
	if p := Find(projects, "abc", "/elsewhere", "/home/alice/src/my_app"); p != filepath.Join(dir, "abc.jsonl") {
		t.Errorf("by folder: %q", p)
	}
	if p := Find(projects, "abc"); p != filepath.Join(dir, "abc.jsonl") {
		t.Errorf("anywhere: %q", p)
	}
	for _, id := range []string{"", "../abc", "missing"} {
		if p := Find(projects, id); p != "" {
			t.Errorf("%q: %q", id, p)
		}
	}
}

// FuzzRead: any bytes give turns or nothing, never a panic, and what they
// give can be picked from.
func FuzzRead(f *testing.F) {
	data, _ := os.ReadFile("testdata/conversation.jsonl")
	f.Add(data)
	f.Add([]byte(`{"type":"assistant","message":{"content":[{"type":"text","text":null}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		turns, _ := Read(strings.NewReader(string(data)))
		for _, tt := range turns {
			if tt.Text == "" || (tt.Role != "user" && tt.Role != "assistant") {
				t.Fatalf("turn %+v", tt)
			}
		}
		Pick(turns, 50)
	})
}

// TestLongLine: a line over MaxLine is skipped and the turns after it are
// read; a glob or a path is not an id.
func TestLongLine(t *testing.T) {
	in := `{"type":"user","message":{"content":"question"}}` + "\n" +
		`{"type":"user","message":{"content":"` + strings.Repeat("x", MaxLine+10) + `"}}` + "\n" +
		`{"type":"assistant","message":{"content":"answer"}}`
	turns, err := Read(strings.NewReader(in))
	if err != nil || len(turns) != 2 || turns[1].Text != "answer" {
		t.Errorf("%v %d turns", err, len(turns))
	}
	if p := Find(t.TempDir(), "*"); p != "" {
		t.Errorf("a glob found %q", p)
	}
}
