package derived

// transcriptsDir is the transcript archive's folder.
const transcriptsDir = ".transcripts"

// Transcripts is the folder of the transcript archive, whose files (a
// compressed transcript and a lock per conversation) are
// pkg/store/derived/transcripts' to name and keep: the archive links a
// compressor every other user of the store can do without.
func (f *Files) Transcripts() string { return f.path(transcriptsDir) }
