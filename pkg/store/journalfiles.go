package store

import (
	"path/filepath"
	"strings"
	"time"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/internal/disk"
)

// JournalFile is a file of the store's journal as a copy of it needs it: a
// machine's part of a journal several machines share is a store folder of
// these files (see internal/replica), read by other machines as a
// read-only store.
type JournalFile struct {
	Rel     string // its place in a store folder, slash-separated
	Path    string // where it is in this store
	Size    int64
	ModTime time.Time
	Session bool // a session's file, live or archived
}

// journalFolders are the folders of a store the journal's files are in,
// as JournalFile.Rel names them ("" the store's own).
var journalFolders = []string{"sessions", "sessions/archive", "projects", ""}

// JournalFolders are the folders of a store folder that hold the journal's
// files, slash-separated: what a copy of the journal may have to tidy.
func JournalFolders() []string { return journalFolders[:3] }

// IsJournalName reports whether name, in the journal folder folder, is a
// journal file's (a session's, the index, a project's state, config.json),
// and so one a copy of the journal holds.
func IsJournalName(folder, name string) bool {
	stem, ok := strings.CutSuffix(name, ".json")
	if !ok {
		return false
	}
	switch folder {
	case "sessions":
		return name == "_index.json" || session.ValidateSessionID(stem) == nil
	case "sessions/archive":
		return session.ValidateSessionID(stem) == nil
	case "projects":
		return session.ValidateSlug(stem) == nil
	case "":
		return name == "config.json"
	}
	return false
}

// journalFiles lists the files a copy of the journal holds: the sessions,
// live and archived, the index, the projects' states and config.json;
// regular files only (a symlink, a FIFO or a device is left out), and no
// lock, marker, temp or derived file.
func (s *Store) journalFiles() ([]JournalFile, error) {
	var out []JournalFile
	for _, folder := range journalFolders {
		dir := filepath.Join(s.dir, filepath.FromSlash(folder))
		names, err := readDirNames(dir)
		if err != nil && !isNotExist(err) {
			return nil, err
		}
		prefix := strings.TrimPrefix(folder+"/", "/")
		for _, n := range names {
			if !IsJournalName(folder, n) {
				continue
			}
			p := filepath.Join(dir, n)
			size, mtime, ok := disk.Regular(p)
			if !ok || size > MaxFileSize {
				continue
			}
			out = append(out, JournalFile{Rel: prefix + n, Path: p, Size: size, ModTime: mtime,
				Session: folder != "projects" && folder != "" && n != "_index.json"})
		}
	}
	return out, nil
}
