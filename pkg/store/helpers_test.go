package store

import (
	"bytes"
	"math/rand"
	"sync"
	"testing"
	"time"

	"github.com/sess-dev/sess/pkg/session"
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

// testStore is a store in a temp folder with a fake clock and a buffer that
// collects warnings.
type testStore struct {
	*Store
	clock    *clock
	warnings *syncBuffer
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

func newTestStore(t *testing.T) *testStore {
	t.Helper()
	return openTestStore(t, t.TempDir())
}

func openTestStore(t *testing.T, dir string) *testStore {
	c := &clock{t: testEpoch}
	w := &syncBuffer{}
	return &testStore{
		Store:    Open(dir, Options{Now: c.now, Warnings: w, Rand: rand.New(rand.NewSource(int64(len(t.Name()))))}),
		clock:    c,
		warnings: w,
	}
}

func mustCreate(t *testing.T, s *testStore, project, intent string) *session.Session {
	t.Helper()
	sess, err := s.CreateSession(NewSession{Project: project, Intent: intent})
	if err != nil {
		t.Fatalf("create session: %v", err)
	}
	return sess
}

func strp(s string) *string { return &s }
