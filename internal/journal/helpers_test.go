package journal

import (
	"bytes"
	"math/rand"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// clock is a settable clock for tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

var testEpoch = time.Date(2026, 2, 10, 14, 30, 5, 123456000, time.UTC)

// testStore is a store in a temp folder with a fake clock and a buffer that
// collects warnings; the journal's functions are its methods here, so that
// the tests read as the store's did when they were its.
type testStore struct {
	*store.Store
	clock    *clock
	warnings *syncBuffer
}

func newTestStore(t *testing.T) *testStore {
	t.Helper()
	c := &clock{t: testEpoch}
	w := &syncBuffer{}
	dir := t.TempDir()
	return &testStore{
		Store:    store.Open(dir, store.Options{Now: c.now, Warnings: w, Rand: rand.New(rand.NewSource(int64(len(t.Name()))))}),
		clock:    c,
		warnings: w,
	}
}

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
