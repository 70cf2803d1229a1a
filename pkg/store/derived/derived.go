// Package derived owns the files of a store that sess derives and can
// always make again, apart from the sessions, the index and the project
// states (pkg/store's): what the hooks keep per conversation and window
// (pointers, Stop marks, window files: conversations.go) with the launch
// lock and sess-heartbeat's mark per project, the conversation highlights,
// the search index's folder, the notifier's state, and later the usage
// summaries and the transcript archive. It alone names them; every other
// package asks it. What a file means to the hooks (which session a pointer
// leads to, when a Stop is due) is internal/journal's; this package only
// keeps the files.
//
// A derived file is written whole (internal/atomicfile), never fsynced,
// and read as untrusted: regular files only, never blocking, bounded in
// size. Losing one costs its making again, never a session.
package derived

import (
	"path/filepath"
	"time"
)

// Files is the derived part of one store folder. It holds no open files.
type Files struct {
	dir   string // the store's folder
	now   func() time.Time
	warnf func(format string, args ...any)
}

// New is the derived part of the store in dir, with the store's clock and
// warnings (pkg/store makes it: see Store.Derived).
func New(dir string, now func() time.Time, warnf func(format string, args ...any)) *Files {
	if now == nil {
		now = time.Now
	}
	if warnf == nil {
		warnf = func(string, ...any) {}
	}
	return &Files{dir: dir, now: now, warnf: warnf}
}

// path is a derived file's place in the store.
func (f *Files) path(parts ...string) string {
	return filepath.Join(append([]string{f.dir}, parts...)...)
}
