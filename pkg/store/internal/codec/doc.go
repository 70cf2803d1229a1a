// Package codec reads and writes the store's JSON without reflection: a
// reader for the store's own shapes that gives up (for encoding/json to
// decode instead) at anything it does not handle exactly as encoding/json
// would, a writer that produces encoding/json's indented bytes exactly, a
// scanner that takes an object apart by byte offsets, and one field table
// per record (records.go) that drives both, so that a field is named once.
// Fuzz tests (here, in package index and in pkg/store) hold all of it to
// encoding/json.
//
// It is bytes in, bytes out: no I/O, and it never decides what a file
// holds or where it is; pkg/store and package index call it on bytes they
// read or are about to write. It imports only pkg/session and the standard
// library. Strings it reads share memory with the input (unsafe.String,
// not a copy): the caller keeps those bytes unchanged, and alive, for as
// long as it keeps the strings.
package codec
