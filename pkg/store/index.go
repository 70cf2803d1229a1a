package store

import (
	"fmt"
	"strings"
	"sync"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/internal/disk"
	"github.com/sess-dev/sess/pkg/store/internal/index"
)

// The index, sessions/_index.json, maps every session id outside the archive
// to an session.IndexEntry. Queries decode it to choose which session files to read.
// Writers change one entry without decoding the rest: a byte scan finds the
// entry's span and the new entry is spliced in, so a write costs a read and a
// write of the file rather than a decode and encode of every entry.

// setIndexEntries updates the index alone (a nil entry removes one): the
// repairs of entries that no longer match their files.
func (s *Store) setIndexEntries(changes map[string]*session.IndexEntry) error {
	return s.withLocks(func(h *held) error { return s.apply(h, changeSet{index: changes}) })
}

// writeIndex writes a whole index; the caller holds the index lock.
func (s *Store) writeIndex(entries map[string]session.IndexEntry) error {
	data, err := index.Encode(entries)
	if err != nil {
		return err
	}
	if err := s.ensureDirs(); err != nil {
		return err
	}
	var t disk.Txn
	if err := s.stageIndex(&t, -1, data); err != nil {
		return err
	}
	_, err = t.Commit()
	return err
}

// scanSessionFiles reads every session file outside the archive into index
// entries, skipping (with a warning) any it cannot use.
func (s *Store) scanSessionFiles() (map[string]session.IndexEntry, error) {
	entries := make(map[string]session.IndexEntry)
	names, err := readDirNames(s.sessionsDir())
	if err != nil {
		if isNotExist(err) {
			return entries, nil
		}
		return nil, fmt.Errorf("read sessions folder: %w", err)
	}
	var ids []string
	for _, n := range names {
		id, ok := strings.CutSuffix(n, ".json")
		if ok && session.ValidateSessionID(id) == nil {
			ids = append(ids, id)
		}
	}
	// Only the entries are kept: each core reads into a buffer of its own,
	// used again for the next file, and copies the entry out.
	found := make([]*session.IndexEntry, len(ids))
	buffers := sync.Pool{New: func() any { return new([]byte) }}
	parallel(len(ids), func(i int) {
		buf := buffers.Get().(*[]byte)
		defer buffers.Put(buf)
		path := s.sessionPath(ids[i])
		data, err := readFileInto(path, *buf)
		if err == nil {
			*buf = data
			var sess *session.Session
			if sess, err = decodeSessionFile(path, data); err == nil {
				e := index.Clone(sess.Entry())
				found[i] = &e
			}
		}
		if err != nil && !isNotExist(err) {
			s.warnf("skipping session file %v", err)
		}
	})
	for i, e := range found {
		if e != nil {
			entries[ids[i]] = *e
		}
	}
	return entries, nil
}

// RebuildIndex rewrites the index from the session files and returns the
// number of entries.
func (s *Store) RebuildIndex() (int, error) {
	s.mend()
	n := 0
	err := s.withLocks(func(h *held) error {
		if err := h.take(kindIndex, ""); err != nil {
			return err
		}
		entries, err := s.scanSessionFiles()
		if err != nil {
			return err
		}
		n = len(entries)
		return s.writeIndex(entries)
	})
	return n, err
}

// loadIndex decodes the index for a query. A missing index is built from the
// session files; a corrupt one is rebuilt, with a warning.
func (s *Store) loadIndex() (map[string]session.IndexEntry, error) {
	data, err := disk.ReadFile(s.indexPath(), MaxIndexSize)
	if err == nil {
		var entries map[string]session.IndexEntry
		if entries, err = index.Decode(data); err == nil {
			return entries, nil
		}
		s.warnf("session index is corrupt (%v); rebuilding it from the session files", err)
	} else if !isNotExist(err) {
		s.warnf("session index is unreadable (%v); rebuilding it from the session files", err)
	} else if !exists(s.sessionsDir()) {
		return map[string]session.IndexEntry{}, nil
	}
	if s.readOnly {
		return s.scanSessionFiles()
	}
	var entries map[string]session.IndexEntry
	locked := false
	err = s.withLocks(func(h *held) error {
		if err := h.take(kindIndex, ""); err != nil {
			return err
		}
		locked = true
		var err error
		if entries, err = s.scanSessionFiles(); err != nil {
			return err
		}
		if werr := s.writeIndex(entries); werr != nil {
			s.warnf("could not write the rebuilt index: %v", werr)
		}
		return nil
	})
	if !locked {
		// A store we cannot write: answer from the files.
		return s.scanSessionFiles()
	}
	return entries, err
}

// syncIndexEntry sets the index entry of id from its file (removing it when
// the file is gone or archived) and returns the session's project slug.
func (s *Store) syncIndexEntry(id string) (string, error) {
	sess, err := s.readSessionFile(s.sessionPath(id))
	switch {
	case err == nil:
		e := sess.Entry()
		return sess.ProjectSlug, s.setIndexEntries(map[string]*session.IndexEntry{id: &e})
	case isNotExist(err):
		slug := ""
		if a, aerr := s.readSessionFile(s.archivedPath(id)); aerr == nil {
			slug = a.ProjectSlug
		}
		return slug, s.setIndexEntries(map[string]*session.IndexEntry{id: nil})
	default:
		return "", err
	}
}

// loadProjectIndex is loadIndex cut down to one project's entries, for
// queries that name a project.
func (s *Store) loadProjectIndex(slug string) (map[string]session.IndexEntry, error) {
	return s.loadIndexWith("project_slug", slug)
}

// loadIndexWith is loadIndex cut down to the entries whose field
// (project_slug or status) has value: the index is mapped, and only the
// entries that can match are decoded. A missing, unreadable or corrupt
// index goes to loadIndex, which warns and rebuilds it.
func (s *Store) loadIndexWith(field, value string) (map[string]session.IndexEntry, error) {
	data, release, err := disk.Map(s.indexPath(), MaxIndexSize)
	if err != nil {
		return s.loadIndex()
	}
	var idx map[string]session.IndexEntry
	err = disk.Guarded(func() (err error) {
		idx, err = index.DecodeWith(data, field, value)
		return err
	})
	release()
	if err != nil {
		return s.loadIndex()
	}
	return idx, nil
}
