package derived

// usageDir is the folder of the usage summaries.
const usageDir = ".usage"

// Usage is the folder where internal/usage keeps a summary of each
// transcript it has read (the requests it counted and how far it read),
// so that a report reads only what was appended since. Its files are
// internal/usage's to name and keep; any of them may be deleted, and is
// made again from its transcript.
func (f *Files) Usage() string { return f.path(usageDir) }
