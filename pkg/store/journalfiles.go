package store

import (
	"path/filepath"
	"strings"

	"github.com/sess-dev/sess/pkg/store/internal/disk"
	"github.com/sess-dev/sess/pkg/store/journalfile"
)

// journalFiles lists the files a copy of the journal holds (see package
// journalfile); regular files only (a symlink, a FIFO or a device is left
// out), and no lock, marker, temp or derived file.
func (s *Store) journalFiles() ([]journalfile.File, error) {
	return s.journalFilesIn(journalfile.All())
}

func (s *Store) journalFilesIn(folders []string) ([]journalfile.File, error) {
	var out []journalfile.File
	for _, folder := range folders {
		names, err := readDirNames(filepath.Join(s.dir, filepath.FromSlash(folder)))
		if err != nil && !isNotExist(err) {
			return nil, err
		}
		for _, n := range names {
			if f, ok := s.journalFile(folder, n); ok {
				out = append(out, f)
			}
		}
	}
	return out, nil
}

// journalFile is the journal file name in folder, if there is one.
func (s *Store) journalFile(folder, name string) (journalfile.File, bool) {
	p := filepath.Join(s.dir, filepath.FromSlash(folder), name)
	size, mtime, ok := disk.Regular(p)
	if !ok || size > MaxFileSize || !journalfile.IsName(folder, name) {
		return journalfile.File{}, false
	}
	return journalfile.File{Rel: strings.TrimPrefix(folder+"/"+name, "/"), Path: p, Size: size, ModTime: mtime,
		Session: journalfile.IsSession(folder, name)}, true
}

// sessionJournalFiles are the journal files of sessions ids (each live or
// archived, where it is now) and those of the index, projects and config.
func (s *Store) sessionJournalFiles(ids []string) []journalfile.File {
	out, _ := s.journalFilesIn(journalfile.Others())
	if f, ok := s.journalFile(journalfile.Index()); ok {
		out = append(out, f)
	}
	for _, id := range ids {
		for _, place := range journalfile.SessionPlaces(id) {
			if f, ok := s.journalFile(place[0], place[1]); ok {
				out = append(out, f)
			}
		}
	}
	return out
}
