// Package session holds the records sess keeps: a session with its events,
// commits and tasks, a project's derived state, a registered project and
// the settings; their statuses and a session's live state (what its hooks
// last reported); the one validation table (every limit and pattern), the
// one timestamp format, and the one error type, whose codes map to the
// command line's JSON errors and to HTTP statuses.
//
// A record's fields, their order and their JSON names are the original's
// schema 4, plus fields of sess's own that the original ignores.
//
// It does no I/O, keeps no clock (now is passed in) and imports only the
// standard library. It knows where a record is stored only by name, in
// comments: pkg/store reads and writes these records on disk and builds
// every path, pkg/export formats them, and the tools print them.
package session
