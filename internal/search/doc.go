// Package search finds sessions by what they are about: a ranked full-text
// search (BM25F over the fields of a session, with stems, prefixes and a
// few synonyms) over every session of the store, archived ones included.
//
// The index is derived from the store and kept in the folder the store's
// derived files give it (derived.Files.Search, .search/): a base built from
// every session, and an overlay of the sessions changed since. It owns
// the files it names there (base, overlay, checked) and nothing else of
// the store: sessions are read through pkg/store (View, StoredRef), a
// hit's path is the store's (View.PathOf), and the change feed, the
// highlights and a conversation's text (what was said in it, kept by the
// transcript archive: a field of its own, weighed below the highlights)
// are package derived's. Each search reads the change feed from
// where its index last did: when sess's own writes account for every
// change, it re-indexes just the sessions they name; else (another tool
// wrote, or the feed cannot be trusted) it looks at the files' times: the
// live sessions' always, the archived ones' only when the archive folder
// moved since they were last looked at, or every rescanEvery (look.go).
// Past a few hundred changes the base is built again. A missing or
// corrupt index is built again with a warning; a search never makes a
// store, and one whose index cannot be kept searches from memory. The
// session files stay the truth; the index can always go.
package search
