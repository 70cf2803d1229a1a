package store

import "time"

// What the tests of package store_test need of this package's test
// helpers: they check the store through the readers above it (the
// overview), which import the store and so cannot be tested from inside it.

// TestStore is a store with a settable clock and its warnings kept.
type TestStore = testStore

// NewTestStore, MustCreate and WriteBad are newTestStore, mustCreate and
// writeBad.
var (
	NewTestStore = newTestStore
	MustCreate   = mustCreate
	WriteBad     = writeBad
)

// Advance moves the store's clock on by d.
func (s *testStore) Advance(d time.Duration) { s.clock.add(d) }

// Warnings is what the store warned of so far.
func (s *testStore) Warnings() string { return s.warnings.String() }
