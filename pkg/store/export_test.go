package store

// Dir is the store folder, for the tests of this folder's packages, which
// look at the files themselves: outside the store, callers use the folder
// they opened.
func (s *Store) Dir() string { return s.dir }

// ChangesFile is where the search's change feed is, for the tests that put
// something else there (package derived names it).
const ChangesFile = ".search/changes"
