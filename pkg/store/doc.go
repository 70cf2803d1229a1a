// Package store reads and writes the sess store: a folder of JSON files
// (config.json, sessions/<id>.json with its index, projects/<slug>.json) that
// stays readable by the original Python claude-sessions-dashboard, schema 4.
// The records themselves are pkg/session's.
//
// The rule it keeps: no session is ever lost, half-written or doubled. A
// command's whole change (session files, index, project states) is staged
// beside its targets and put in place together (commit.go), under sidecar
// locks taken and released by one helper (lock.go). A process killed in
// between leaves a pending marker that the next command repairs. Every input
// is validated before anything is written, a write that would make a file
// unreadable is refused, and a bad file on disk is skipped with a warning
// instead of stopping the others. The system calls are in internal/disk.
//
// The engine is public: Store.Update runs a change (a Tx) that reads the
// sessions it locked, creates and puts sessions and names the projects
// whose state follows, all of it or none; Store.View reads (tx.go). The
// hooks' journal (internal/journal: launches, turns, threads) is built on
// them, and the store's own commands are moving onto them.
package store
