// Package journalfile names the files of a store's journal as a copy of it
// holds them (a machine's part of a journal several machines share, see
// internal/replica): which folders, which names. It knows the store's
// layout so that no package outside pkg/store has to; it reads no file.
package journalfile
