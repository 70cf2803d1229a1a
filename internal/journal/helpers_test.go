package journal

import (
	"os"
	"testing"
	"time"

	"github.com/sess-dev/sess/internal/storetest"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// testStore is a store in a temp folder with a settable clock and its
// warnings kept (storetest.Clocked); the journal's functions are its
// methods here, so that the tests read as the store's did when they were
// its.
type testStore struct{ *storetest.Clocked }

func newTestStore(t *testing.T) *testStore { return &testStore{storetest.NewClocked(t)} }

func (s *testStore) RegisterLaunch(l Launch) (*session.Session, bool, error) {
	return RegisterLaunch(s.Store, l)
}
func (s *testStore) PromptSubmitted(id, prompt string) (*session.Session, error) {
	return PromptSubmitted(s.Store, id, prompt)
}
func (s *testStore) TurnEnded(id, answer, question string) (*session.Session, error) {
	return TurnEnded(s.Store, id, answer, question)
}
func (s *testStore) Idle(id string) (*session.Session, error) { return Idle(s.Store, id) }
func (s *testStore) Waiting(id, reason string) (*session.Session, error) {
	return Waiting(s.Store, id, reason)
}
func (s *testStore) TurnFailed(id, kind string) (*session.Session, error) {
	return TurnFailed(s.Store, id, kind)
}
func (s *testStore) ConversationEnded(id, reason string) (*session.Session, error) {
	return ConversationEnded(s.Store, id, reason)
}
func (s *testStore) Noted(id, message string) (*session.Session, error) {
	return Noted(s.Store, id, message)
}
func (s *testStore) ToolUsed(id string, u ToolUse) (*session.Session, error) {
	return ToolUsed(s.Store, id, u)
}
func (s *testStore) ActiveByClaudeID(cid, project string) (*session.Session, error) {
	return ActiveByClaudeID(s.Store, cid, project)
}
func (s *testStore) HeartbeatProject(slug string) ([]string, error) {
	return HeartbeatProject(s.Store, slug)
}
func (s *testStore) Thread(id string) ([]*session.Session, error) { return Thread(s.Store, id) }
func (s *testStore) LatestIn(slug, wt string) (*session.Session, error) {
	return LatestIn(s.Store, slug, wt)
}
func (s *testStore) RanIn(window, cid string)    { s.Derived().RanIn(window, cid) }
func (s *testStore) lastIn(window string) string { return s.Derived().LastIn(window) }
func (s *testStore) PruneConversations(maxAge time.Duration, dryRun bool) int {
	return s.Derived().PruneConversations(maxAge, dryRun)
}

func mustCreate(t *testing.T, s *testStore, project, intent string) *session.Session {
	t.Helper()
	sess, err := s.CreateSession(store.NewSession{Project: project, Intent: intent})
	if err != nil {
		t.Fatalf("create session: %v", err)
	}
	return sess
}

func strp(s string) *string { return &s }

func fileExists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}
