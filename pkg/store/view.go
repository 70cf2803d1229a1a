package store

import (
	"time"

	"github.com/sess-dev/sess/pkg/session"
)

// View is a read of the store: what the files say now, without locks (a
// session file is replaced whole, never seen half written). Every read of
// the store from outside goes through one, so that it keeps the store's
// checks: no symlink, no FIFO or device, nothing over MaxFileSize, a bad
// file skipped with a warning.
type View struct{ s *Store }

// View runs fn with a read of the store.
func (s *Store) View(fn func(*View) error) error {
	s.mend()
	return fn(&View{s: s})
}

// Now is the store's clock.
func (v *View) Now() time.Time { return v.s.now() }

// Exists reports whether the store's folder is there: a read never makes
// it.
func (v *View) Exists() bool { return v.s.Exists() }

// Config is the store's configuration (see Store.Config).
func (v *View) Config() *Config { return v.s.Config() }

// Session is a session by id, archived ones too.
func (v *View) Session(id string) (*session.Session, error) { return v.s.Session(id) }

// List is the sessions a filter chooses, newest first.
func (v *View) List(f Filter) ([]*session.Session, error) { return v.s.List(f) }

// Entries are the index's entries of the live sessions, by id.
func (v *View) Entries() (map[string]session.IndexEntry, error) { return v.s.Entries() }

// EntriesWhere are the index's entries whose field (a key of the index's
// records, such as "status" or "project_slug") is value: only those are
// decoded, which a hook that reads the index on every event needs.
func (v *View) EntriesWhere(field, value string) (map[string]session.IndexEntry, error) {
	return v.s.loadIndexWith(field, value)
}

// Sessions reads the live sessions ids names, in parallel, in their order;
// one that cannot be read is left out (with a warning).
func (v *View) Sessions(ids []string) []*session.Session {
	return v.s.readSessions(ids, v.s.sessionPath)
}

// ProjectState is a project's state file, as list-sessions' project-state
// shows it.
func (v *View) ProjectState(slug string) (*session.ProjectState, error) {
	return v.s.ProjectState(slug)
}

// Stale are the active sessions whose heartbeat is older than the
// threshold.
func (v *View) Stale(thresholdHours int) ([]*session.Session, error) {
	return v.s.Stale(thresholdHours)
}

// FreshForWorktree are the active and parked sessions of a work tree,
// newest first.
func (v *View) FreshForWorktree(path string) ([]*session.Session, error) {
	return v.s.FreshForWorktree(path)
}

// StoredSessions lists every session file, live and archived (see
// StoredRef).
func (v *View) StoredSessions() ([]StoredRef, error) { return v.s.StoredSessions() }

// ReadStored reads the session a ref names.
func (v *View) ReadStored(r StoredRef) (*session.Session, error) { return v.s.ReadStored(r) }

// Locate finds a session's file by id: live, else archived.
func (v *View) Locate(id string) (StoredRef, bool) { return v.s.Locate(id) }

// Fingerprint changes whenever the store does (see Store.Fingerprint).
func (v *View) Fingerprint() string { return v.s.Fingerprint() }

// Folders are the folders a watcher of the store watches.
func (v *View) Folders() []string { return v.s.Folders() }

// OwnSettingsInConfig are sess's own settings found in config.json (see
// Store.OwnSettingsInConfig).
func (v *View) OwnSettingsInConfig() []string { return v.s.OwnSettingsInConfig() }

// IDs are the ids of idx (entries the View read) that f chooses, newest
// started first, cut to f.Limit: the order every listing of the store has.
func (v *View) IDs(idx map[string]session.IndexEntry, f Filter) []string { return selectIDs(idx, f) }
