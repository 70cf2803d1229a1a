package derived

import (
	"path/filepath"
	"time"
)

// Files is the derived part of one store folder. It holds no open files.
type Files struct {
	dir            string // the store's folder
	sessionFolders []string
	now            func() time.Time
	warnf          func(format string, args ...any)
}

// New is the derived part of the store in dir, with the store's clock and
// warnings (pkg/store makes it: see Store.Derived). sessionFolders are the
// store's folders of session files, which the store names: a write of a
// session renames a file into one, and the change feed's stamp is of them.
func New(dir string, now func() time.Time, warnf func(format string, args ...any), sessionFolders ...string) *Files {
	if now == nil {
		now = time.Now
	}
	if warnf == nil {
		warnf = func(string, ...any) {}
	}
	return &Files{dir: dir, sessionFolders: sessionFolders, now: now, warnf: warnf}
}

// path is a derived file's place in the store.
func (f *Files) path(parts ...string) string {
	return filepath.Join(append([]string{f.dir}, parts...)...)
}
