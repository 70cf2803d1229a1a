package session

import "strings"

// Lookups in a session's lists that both the store's commands and the
// hooks' journal make, so that a commit or a task counts as the same one
// whichever of them records it.

// HasCommit reports whether commits holds sha, by its first seven hex
// digits in any case (the original's short sha).
func HasCommit(commits []Commit, sha string) bool {
	short := shortSHA(sha)
	for _, c := range commits {
		if shortSHA(c.SHA) == short {
			return true
		}
	}
	return false
}

func shortSHA(sha string) string {
	if len(sha) > 7 {
		sha = sha[:7]
	}
	return strings.ToLower(sha)
}

// HasTaskSubject reports whether a task other than exceptID has subject.
func HasTaskSubject(tasks []Task, subject, exceptID string) bool {
	for _, t := range tasks {
		if t.Subject == subject && t.ID != exceptID {
			return true
		}
	}
	return false
}
