// Package session holds the records sess keeps: a session with its events,
// commits and tasks, a project's derived state, a registered project and
// the settings; their statuses; the one validation table (every limit and
// pattern), the one timestamp format, and the one error type, whose codes
// map to the command line's JSON errors and to HTTP statuses.
//
// It does no I/O. pkg/store reads and writes these records on disk,
// pkg/export formats them, and the tools print them.
package session
