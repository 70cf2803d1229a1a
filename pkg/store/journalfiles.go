package store

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sess-dev/sess/pkg/session"
)

// JournalFile is a file of the store's journal as a copy of it needs it: a
// machine's partition of a journal several machines share is a store
// folder of these files (see internal/replica), read by other machines
// as a read-only store.
type JournalFile struct {
	Rel     string // its place in a store folder, slash-separated
	Path    string // where it is in this store
	Size    int64
	ModTime time.Time
}

// journalFiles lists the files a copy of the journal holds: the sessions,
// live and archived, the index, the projects' states and config.json;
// regular files only (a symlink, a FIFO or a device is left out), and no
// lock, marker, temp or derived file.
func (s *Store) journalFiles() ([]JournalFile, error) {
	var out []JournalFile
	add := func(dir, rel string, keep func(name string) bool) error {
		names, err := readDirNames(dir)
		if err != nil && !os.IsNotExist(err) {
			return err
		}
		for _, n := range names {
			if !keep(n) {
				continue
			}
			p := filepath.Join(dir, n)
			fi, err := os.Lstat(p)
			if err != nil || !fi.Mode().IsRegular() || fi.Size() > MaxFileSize {
				continue
			}
			out = append(out, JournalFile{Rel: rel + n, Path: p, Size: fi.Size(), ModTime: fi.ModTime()})
		}
		return nil
	}
	sessionFile := func(n string) bool {
		id, ok := strings.CutSuffix(n, ".json")
		return ok && session.ValidateSessionID(id) == nil
	}
	if err := add(s.sessionsDir(), "sessions/", func(n string) bool { return sessionFile(n) || n == "_index.json" }); err != nil {
		return nil, err
	}
	if err := add(s.archiveDir(), "sessions/archive/", sessionFile); err != nil {
		return nil, err
	}
	if err := add(s.projectsDir(), "projects/", func(n string) bool {
		slug, ok := strings.CutSuffix(n, ".json")
		return ok && session.ValidateSlug(slug) == nil
	}); err != nil {
		return nil, err
	}
	if err := add(s.dir, "", func(n string) bool { return n == "config.json" }); err != nil {
		return nil, err
	}
	return out, nil
}
