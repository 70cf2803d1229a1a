// Package store reads and writes the sess store: a folder of JSON files
// (config.json, sessions/<id>.json with its index, projects/<slug>.json) that
// stays readable by the original Python claude-sessions-dashboard, schema 4.
//
// The rule it keeps: no session is ever lost or half-written. Every change is
// a read-modify-write under the session's sidecar lock, written to a temp file
// in the same folder, fsynced and renamed over the target, and followed by an
// update of the index under the index lock. A process killed in between leaves
// a pending marker in the store folder that the next command on the store
// sees and mends. Every input is validated before anything is written, and a
// bad file on disk is skipped with a warning instead of stopping the others.
package store
