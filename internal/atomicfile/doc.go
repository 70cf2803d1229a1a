// Package atomicfile writes a file whole, for the files sess can always
// make again: the files the store derives (the search index, a
// conversation's pointer and marks, highlights) and the exports. The new
// bytes go to a temp file of their own beside the target (so that two
// writers never share one), mode 0600, renamed over the target: a reader
// sees the old file or the new one. Nothing is fsynced, since losing such a
// file costs only its making again.
//
// It owns no file and no path: the caller names the target, and TempOf
// recognises the temp file a writer killed before its rename leaves
// behind. It calls package os itself and knows nothing of sess. It is
// never the way a session, the index or a project state is written: those
// go in through pkg/store's transactions (pkg/store/internal/disk), which
// fsync.
package atomicfile
