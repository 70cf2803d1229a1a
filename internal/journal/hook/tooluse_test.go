package hook

import (
	"testing"

	"github.com/sess-dev/sess/internal/hookio"
)

func TestCommitOf(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ out, sha, subject string }{
		{"[main abc1234] Fix the loop\n 1 file changed", "abc1234", "Fix the loop"},
		{"[main (root-commit) 0123456789abcdef0123456789abcdef01234567] First", "0123456789abcdef0123456789abcdef01234567", "First"},
		{"[detached HEAD deadbee] Try", "deadbee", "Try"},
		{"[feature/abc1234 cafebabe] On a branch", "cafebabe", "On a branch"},
		{"On branch main\nnothing to commit, working tree clean", "", ""},
	} {
		sha, subject, err := CommitOf(tc.out)
		if tc.sha == "" {
			if err != ErrNoCommit {
				t.Errorf("%q: want ErrNoCommit, have %v", tc.out, err)
			}
			continue
		}
		if sha != tc.sha || subject != tc.subject || err != nil {
			t.Errorf("%q: want %s %q, have %s %q (%v)", tc.out, tc.sha, tc.subject, sha, subject, err)
		}
	}
}

func TestToolUseOf(t *testing.T) {
	t.Parallel()
	commit := func() (string, string, error) {
		return CommitOf("[main abc1234] token ghp_Zr8Kq2Lm4Np6Qs8Tu0Vw2Xy4Za6Bc8De0Fg2")
	}
	u, err := ToolUseOf(ToolCall{Name: "Bash", Input: hookio.ToolInput{Command: "cd x && git commit -m y"}, Commit: commit})
	if err != nil || u.Commit == nil || u.Commit.SHA != "abc1234" {
		t.Fatalf("commit: %+v %v", u, err)
	}
	if u.Commit.Message == "token ghp_Zr8Kq2Lm4Np6Qs8Tu0Vw2Xy4Za6Bc8De0Fg2" {
		t.Error("the commit's subject is not redacted")
	}
	u, _ = ToolUseOf(ToolCall{Name: "Edit", Input: hookio.ToolInput{FilePath: "/gone/repo/src/a.go"}, Cwd: "/gone/repo", Root: "/gone/repo"})
	if want, have := "src/a.go", u.File; want != have {
		t.Errorf("file in a gone work tree: want %q, have %q", want, have)
	}
	u, _ = ToolUseOf(ToolCall{Name: "TodoWrite", Input: hookio.ToolInput{Todos: []hookio.Todo{{Content: "a", Status: "completed"}, {Content: "b", Status: "pending"}}}})
	if want, have := 2, len(u.Tasks); want != have {
		t.Errorf("todos: want %d, have %d", want, have)
	}
}
