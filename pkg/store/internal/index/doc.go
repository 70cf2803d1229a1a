// Package index reads and writes sessions/_index.json, the map from every
// session id outside the archive to its session.IndexEntry: a whole decode, a
// decode of only the entries whose project or status has a value, and
// writes that splice changed entries into the file's bytes instead of
// encoding every entry again.
//
// It owns the index's format, not its file: it does no I/O, and pkg/store
// maps the file, locks it and puts the result in place. The bytes go
// through package codec, so an entry decoded fast shares memory with the
// file's bytes until Clone copies it. Fuzz tests hold the decoders to
// encoding/json and the splices to a change of exactly the entries named.
package index
