package store

import "time"

// Dir is the store folder, for the tests of this folder's packages, which
// look at the files themselves: outside the store, callers use the folder
// they opened.
func (s *Store) Dir() string { return s.dir }

// ChangesFile is where the search's change feed is, for the tests that put
// something else there (package derived names it).
const ChangesFile = ".search/changes"

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
