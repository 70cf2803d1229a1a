package store

import (
	"path/filepath"
	"strings"
	"time"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/journalfile"
)

// View is a read of the store: what the files say at each call, without
// locks and without a snapshot (a session file is replaced whole, never
// seen half written; a listing may see a change that lands meanwhile, as
// the original's does). Every read of the store from outside goes through
// one, so that it keeps the store's checks: no symlink, no FIFO or device,
// nothing over MaxFileSize, a bad file skipped with a warning. A View is
// cheap and may be kept: it holds nothing but the store.
type View struct{ s *Store }

// View is a read of the store. The first of a process mends what an
// interrupted write left (unless the Store is read-only).
func (s *Store) View() *View {
	s.mend()
	return &View{s: s}
}

// Now is the store's clock.
func (v *View) Now() time.Time { return v.s.now() }

// Exists reports whether the store's folder is there: a read never makes
// it.
func (v *View) Exists() bool { return v.s.dirExists() }

// Config is the store's configuration (config.json, with sess.json's own settings over it).
func (v *View) Config() *Config { return v.s.loadConfig() }

// Session is a session by id, archived ones too.
func (v *View) Session(id string) (*session.Session, error) { return v.s.sessionByID(id) }

// List is the sessions a filter chooses, newest first.
func (v *View) List(f Filter) ([]*session.Session, error) { return v.s.listSessions(f) }

// Entries are the index's entries of the live sessions, by id.
func (v *View) Entries() (map[string]session.IndexEntry, error) { return v.s.indexEntries() }

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
	return v.s.projectStateFor(slug)
}

// Stale are the active sessions whose heartbeat is older than the
// threshold.
func (v *View) Stale(thresholdHours int) ([]*session.Session, error) {
	return v.s.staleSessions(thresholdHours)
}

// FreshForWorktree are the active and parked sessions of a work tree,
// newest first.
func (v *View) FreshForWorktree(path string) ([]*session.Session, error) {
	return v.s.freshForWorktree(path)
}

// StoredSessions lists every session file, live and archived (see
// StoredRef).
func (v *View) StoredSessions() ([]StoredRef, error) { return v.s.storedSessions() }

// LiveEntries lists the live sessions of the index by their entries as
// written (LiveEntry), without decoding them or looking at their files.
func (v *View) LiveEntries() ([]LiveEntry, error) { return v.s.liveEntries() }

// LookAt sets each ref's ModTime: when its file last changed, zero when it
// cannot be looked at.
func (v *View) LookAt(refs []StoredRef) { v.s.lookAt(refs) }

// JournalFiles are the files of the journal, for a copy of it.
func (v *View) JournalFiles() ([]journalfile.File, error) { return v.s.journalFiles() }

// JournalFilesOf are the journal files of sessions ids (where each is now,
// live or archived) and the index's, the projects' and config.json: what a
// copy needs after those sessions changed.
func (v *View) JournalFilesOf(ids []string) []journalfile.File { return v.s.sessionJournalFiles(ids) }

// ReadStored reads the session a ref names.
func (v *View) ReadStored(r StoredRef) (*session.Session, error) { return v.s.readStored(r) }

// Locate finds a session's file by id: live, else archived.
func (v *View) Locate(id string) (StoredRef, bool) { return v.s.locate(id) }

// Fingerprint changes whenever the store does, at the cost of a few stats:
// a reader can tell cheaply whether what it computed still holds.
func (v *View) Fingerprint() string { return v.s.fingerprint() }

// Incidental reports whether a file of the store's folders is one whose
// coming and going is no change: a lock, a temp file, a pending marker,
// the hooks' derived files. The rename that ends a write is what counts.
func (v *View) Incidental(path string) bool {
	base := filepath.Base(path)
	return strings.HasSuffix(base, ".lock") || strings.HasSuffix(base, tmpExt) || strings.HasPrefix(base, ".pending.") || strings.HasPrefix(base, ".throttle")
}

// Folders are the folders a watcher of the store watches.
func (v *View) Folders() []string { return v.s.folders() }

// ArchiveFolder is the folder archived sessions are kept in; a file is
// renamed or linked into it when a session is archived.
func (v *View) ArchiveFolder() string { return v.s.archiveDir() }

// OwnSettingsInConfig are the settings only sess has that config.json
// holds, which the original stops on (see OwnSettingsFile).
func (v *View) OwnSettingsInConfig() []string { return v.s.ownSettingsInConfig() }

// PathOf is the file a ref names, for people and tools to open (a search
// hit's path); readers of the store go through ReadStored.
func (v *View) PathOf(r StoredRef) string { return v.s.refPath(r) }

// ConfigFile is config.json alone, as read (sess.json aside): a missing
// one is an error that wraps fs.ErrNotExist, a corrupt one ErrCorrupt. A
// reader that falls back in its own way when the registry is unreadable
// (the overview) reads it so, and warns itself.
func (v *View) ConfigFile() (*Config, error) { return v.s.readConfig() }

// ProjectStateFile is projects/<slug>.json as read: a missing one is an
// error that wraps fs.ErrNotExist. The slug is not checked: the caller
// has it from the config or the index, where slugs are checked.
func (v *View) ProjectStateFile(slug string) (*session.ProjectState, error) {
	return v.s.readProjectState(slug)
}

// Warnf writes one warning line where the store writes its own.
func (v *View) Warnf(format string, args ...any) { v.s.warnf(format, args...) }

// Select is the ids of entries (the index's) that f passes, newest started
// first, cut to f.Limit: the order every listing of the store has.
func Select(entries map[string]session.IndexEntry, f Filter) []string { return selectIDs(entries, f) }

// Matches reports whether a session's entry passes f.
func (f Filter) Matches(e session.IndexEntry) bool { return f.matches(e) }
