package journal

import (
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// AddCommits records several commits in one write, skipping shas already
// recorded, and returns the session and how many it added.
func AddCommits(st *store.Store, id string, commits []session.Commit) (*session.Session, int, error) {
	commits, err := store.CleanCommits(commits)
	if err != nil {
		return nil, 0, err
	}
	added := 0
	sess, err := update(st, id, false, func(sess *session.Session, now string) error {
		added = 0
		for _, c := range commits {
			if session.HasCommit(sess.Commits, c.SHA) {
				continue
			}
			if len(sess.Commits) >= session.MaxCommits {
				break
			}
			sess.Commits = append(sess.Commits, c)
			added++
		}
		if added == 0 {
			return errUnchanged
		}
		sess.LastHeartbeat = now
		return nil
	})
	return sess, added, err
}
