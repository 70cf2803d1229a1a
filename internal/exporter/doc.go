// Package exporter writes exports: one session or project to a writer or a
// file, and every parked or completed session to its own Markdown file for a
// searchable archive. sess-export, `sess-manage export` and `sess-manage
// export-all` all run it; the formatting itself is pkg/export's.
//
// The rule it keeps: sessions are read through the store only (with its
// checks: no symlink, no FIFO, nothing over store.MaxFileSize), a path never
// leaves the output folder (ids and slugs are validated again, symlinked
// folders are refused), every file is written whole (temp file and rename;
// only a device or pipe named by -o is written as it is, never replaced),
// and a failure on one session is reported while the others are still
// exported.
//
// It owns only the files it writes in the output folder the user names,
// and removes there only the temp files of its own killed runs. It reads
// the store through its View and saves the conversation highlights it
// made through pkg/store/derived (for the search); it builds no path
// inside the store.
package exporter
