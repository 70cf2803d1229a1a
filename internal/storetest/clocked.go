package storetest

import (
	"bytes"
	"math/rand"
	"sync"
	"testing"
	"time"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// Epoch is when a Clocked store's clock starts.
var Epoch = time.Date(2026, 2, 10, 14, 30, 5, 123456000, time.UTC)

// Clocked is a store in a temp folder with a settable clock and its
// warnings kept, as pkg/store's own tests make theirs: what the tests of
// the packages above the store (its read models, its writer) make their
// sessions in.
type Clocked struct {
	*store.Store
	dir      string
	clock    *clock
	warnings *SyncBuffer
}

// NewClocked is an empty Clocked store. Its ids are drawn from a source
// seeded by the test's name, so a test draws the same ones every run.
func NewClocked(t testing.TB) *Clocked {
	t.Helper()
	c := &clock{t: Epoch}
	w := &SyncBuffer{}
	dir := t.TempDir()
	return &Clocked{
		dir:      dir,
		Store:    store.Open(dir, store.Options{Now: c.now, Warnings: w, Rand: rand.New(rand.NewSource(int64(len(t.Name()))))}),
		clock:    c,
		warnings: w,
	}
}

// Dir is the store's folder, for tests that look at its files.
func (s *Clocked) Dir() string { return s.dir }

// Advance moves the store's clock on by d.
func (s *Clocked) Advance(d time.Duration) { s.clock.add(d) }

// Warnings is what the store warned of so far.
func (s *Clocked) Warnings() string { return s.warnings.String() }

// MustCreate creates an active session of project, or fails the test.
func (s *Clocked) MustCreate(t testing.TB, project, intent string) *session.Session {
	t.Helper()
	sess, err := s.CreateSession(store.NewSession{Project: project, Intent: intent})
	if err != nil {
		t.Fatalf("create session: %v", err)
	}
	return sess
}

// clock is a settable clock.
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

// SyncBuffer is a buffer several goroutines may write into while a test
// reads it: the store's parallel readers warning, a server logging.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
