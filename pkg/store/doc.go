// Package store reads and writes the sess store: a folder of JSON files
// (config.json, sessions/<id>.json with its index, projects/<slug>.json) that
// stays readable by the original Python claude-sessions-dashboard, schema 4.
// The records themselves are pkg/session's.
//
// The engine is public. Store.Update runs a change (a Tx, tx.go) that reads
// the sessions it locked, creates, puts and archives sessions and names
// the projects whose state follows, all of it or none; Store.View reads
// (view.go). Every change of a session goes through Update: the original's
// commands, which are the rest of *Store's methods (sessions.go,
// cleanup.go, project.go, config.go), and the hooks' journal above it
// (internal/journal). config.json, a project's roadmap and a rebuilt index
// are single files with a lock of their own.
//
// The rule it keeps: no session is ever lost, half-written or doubled. A
// change (session files, index, project states) is staged beside its
// targets and put in place together (commit.go), under sidecar locks taken
// in one order and released by one helper (lock.go). A process killed in
// between leaves a pending marker that the next command repairs. Every
// input is validated before anything is written, a write that would make a
// file unreadable is refused, and a bad file on disk is skipped with a
// warning instead of stopping the others.
//
// What it owns and what it leaves: it alone names the store's files and
// folders (no other package builds a path into the store); the files sess
// derives and can make again (the hooks' pointers and marks, the search's
// folder and change feed, highlights, the notifier's state) are package
// derived's, reached by Store.Derived. Every system call of this package
// goes through internal/disk; config.json's bytes are read and edited by
// internal/configfile; the read models (overview, activity) and the output
// writer are packages overview and jsonout above it. internal/archtest
// holds it to this.
package store
