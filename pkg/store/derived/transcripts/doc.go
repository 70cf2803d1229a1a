// Package transcripts is the transcript archive: it keeps every Claude
// Code conversation after Claude Code deletes its transcript. One file per
// conversation (named by its id, derived.SafeName ids only) in the folder
// derived.Files.Transcripts names; each append adds the transcript's new
// complete lines, through the caller's redaction, as one zstd frame and a
// commit (format.go), and syncs them. The file is its own state: the
// commit says how far the source was read, which file it was and when,
// so a kill at any point leaves an archive that reads as before the
// append or after it, and the next append cuts a torn tail away and goes
// on from the last commit, never losing or doubling a line. Appends of
// one conversation take its lock in turn.
//
// It owns the files of that folder and no other; it redacts nothing itself
// and builds no path of the store but through derived.Files.Transcripts.
// It reads a transcript in bounded pieces (a frame at most 4 MiB of source,
// a run at most 256 MiB, a line over 32 MiB kept as a stub), never whole,
// and opens a source only if it is a regular file (no FIFO). It is apart
// from package derived so that the store's other users (sess-heartbeat,
// sess-hook) link no compressor.
package transcripts
