// Package configfile reads and edits config.json's bytes: the registered
// projects and the settings, as the original writes and reads them. It is
// pure (no I/O): pkg/store reads the file, takes its lock and writes it
// whole; this package only says what the bytes hold and what they become
// with one more project, keeping every key it does not know, and their
// order, as they are.
package configfile
