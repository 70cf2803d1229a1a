package store

import (
	"strings"
	"time"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/internal/disk"
	"github.com/sess-dev/sess/pkg/store/internal/index"
)

// StoredRef names one session file of the store as a listing found it:
// live (with its index entry) or archived, and when the file last changed.
// Readers outside the store (the exporter, the server) go through these
// and ReadStored, never through paths, so that every read keeps the
// store's checks: no symlink, no FIFO or device, nothing over MaxFileSize.
type StoredRef struct {
	ID       string
	Archived bool
	Entry    *session.IndexEntry // the index entry of a live session; nil if archived
	ModTime  time.Time           // zero when the file could not be looked at
}

// storedSessions lists every session file: the live ones of the index, then
// the archived ones that are not also live. The files are looked at (lstat),
// not read.
func (s *Store) storedSessions() ([]StoredRef, error) {
	idx, err := s.indexEntries()
	if err != nil {
		return nil, err
	}
	refs := make([]StoredRef, 0, len(idx))
	for id, e := range idx {
		if session.ValidateSessionID(id) != nil {
			continue
		}
		e := e
		refs = append(refs, StoredRef{ID: id, Entry: &e})
	}
	names, _ := readDirNames(s.archiveDir())
	for _, n := range names {
		id, ok := strings.CutSuffix(n, ".json")
		if !ok || session.ValidateSessionID(id) != nil {
			continue
		}
		if _, live := idx[id]; live {
			continue
		}
		refs = append(refs, StoredRef{ID: id, Archived: true})
	}
	s.lookAt(refs)
	return refs, nil
}

// LiveEntry is a live session as the index lists it (index.Live: its id,
// its entry's digest, whether it is open), for a reader that asks which
// sessions another tool may have changed without looking at every file
// (a search after the original wrote).
type LiveEntry = index.Live

// OpenFor is how recent a parked or completed session's last heartbeat
// makes it open (LiveEntry.Open): one just parked or ended may still be
// written to.
const OpenFor = 24 * time.Hour

// liveEntries lists the live sessions of the index (LiveEntry): its
// entries as written, hashed, not decoded, from the index mapped, as
// loadIndexWith does. An index that does not read as one goes to
// loadIndex, which warns and rebuilds it.
func (s *Store) liveEntries() ([]LiveEntry, error) {
	s.mend()
	since := s.now().Add(-OpenFor).UTC().Format("2006-01-02T15:04:05")
	if data, release, err := disk.Map(s.indexPath(), MaxIndexSize); err == nil {
		var out []LiveEntry
		err := disk.Guarded(func() (err error) {
			out, err = index.Lives(data, since)
			return err
		})
		release()
		if err == nil {
			return out, nil
		}
	}
	idx, err := s.loadIndex()
	if err != nil {
		return nil, err
	}
	out := make([]LiveEntry, 0, len(idx))
	for id, e := range idx {
		if session.ValidateSessionID(id) == nil {
			// As the index is written again: what its bytes will be.
			data, _ := index.EncodeEntry(e)
			out = append(out, index.LiveOf(id, data, since))
		}
	}
	return out, nil
}

// lookAt sets each ref's ModTime (zero when its file cannot be looked
// at), the live files' and the archived files' each looked at relative to
// their folder.
func (s *Store) lookAt(refs []StoredRef) {
	for _, archived := range []bool{false, true} {
		var at []int
		var names []string
		for i, r := range refs {
			if r.Archived == archived {
				at = append(at, i)
				names = append(names, r.ID+".json")
			}
		}
		dir := s.sessionsDir()
		if archived {
			dir = s.archiveDir()
		}
		times := make([]time.Time, len(names))
		disk.ModTimes(dir, names, times)
		for j, i := range at {
			refs[i].ModTime = times[j]
		}
	}
}

// readStored reads the session a ref names, with the checks of every store
// read. A file that is not a regular file, is a symlink or is too large is
// an error wrapping ErrCorrupt; one that has gone is fs.ErrNotExist.
func (s *Store) readStored(r StoredRef) (*session.Session, error) {
	if err := session.ValidateSessionID(r.ID); err != nil {
		return nil, err
	}
	return s.readSessionFile(s.refPath(r))
}

// locate is where session id's file is now: live, else archived, with
// when it last changed; false when it is in neither folder.
func (s *Store) locate(id string) (StoredRef, bool) {
	if session.ValidateSessionID(id) != nil {
		return StoredRef{}, false
	}
	for _, archived := range []bool{false, true} {
		r := StoredRef{ID: id, Archived: archived}
		if t, ok := disk.ModTime(s.refPath(r)); ok {
			r.ModTime = t
			return r, true
		}
	}
	return StoredRef{}, false
}

// refPath is the file a ref names (see View.PathOf).
func (s *Store) refPath(r StoredRef) string {
	if r.Archived {
		return s.archivedPath(r.ID)
	}
	return s.sessionPath(r.ID)
}

// folders are the store's folders: every write renames or links a file
// into one of them. A watcher of the store watches these (View.Folders).
func (s *Store) folders() []string {
	return []string{s.dir, s.sessionsDir(), s.archiveDir(), s.projectsDir()}
}

// fingerprint changes whenever the store does: every write moves the mtime
// of one of its folders, or replaces config.json or the index. It costs six
// stats, so a reader can tell cheaply whether what it computed still holds.
func (s *Store) fingerprint() string {
	return disk.Stamp(append(s.folders(), s.configPath(), s.indexPath())...)
}
