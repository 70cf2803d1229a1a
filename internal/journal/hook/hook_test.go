package hook

import "testing"

func TestIsGitCommit(t *testing.T) {
	t.Parallel()
	for cmd, want := range map[string]bool{
		`git commit -m "fix"`:                   true,
		`cd /src/app && git commit -am "x"`:     true,
		`git -C sub -c user.name=x commit -m y`: true,
		`git add . && git commit -F- <<'EOF'`:   true,
		`(git commit --amend --no-edit)`:        true,
		`git log --grep commit`:                 false,
		`echo git commit`:                       false,
		`git status`:                            false,
		`grep -r "commit" .`:                    false,
	} {
		if have := isGitCommit(cmd); have != want {
			t.Errorf("isGitCommit(%q): want %v, have %v", cmd, want, have)
		}
	}
}
