// Package codec reads and writes the store's JSON without reflection: a
// reader for the store's own shapes that gives up (for encoding/json to
// decode instead) at anything it does not handle exactly as encoding/json
// would, a writer that produces encoding/json's indented bytes exactly, a
// scanner that takes an object apart by byte offsets, and one field table
// per record (records.go) that drives both, so that a field is named once.
// Fuzz tests hold all of it to encoding/json.
package codec
