package derived

// searchDir is the search index's folder: the files in it are
// internal/search's to name, apart from the change feed and the
// highlights, which are this package's.
const searchDir = ".search"

// Search is the folder of the search index, where internal/search keeps
// its files (base, overlay, checked). Beside them are the change feed
// (changefeed.go) and the highlights (highlights.go), which only this
// package reads and writes.
func (f *Files) Search() string { return f.path(searchDir) }
