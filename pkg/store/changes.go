package store

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/sess-dev/sess/internal/atomicfile"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/internal/disk"
)

// ChangesFile is the search index's journal of changed sessions, in the
// store: every write of a session file appends its id, with the session
// folders' stamp (SessionFoldersStamp) right after its rename, if the file
// is there (a store that was never searched has none, and pays one failed
// open). The search reads it to re-index just those sessions: when the
// folders' stamp now is the last one noted, sess's writes account for every
// change; a write it lacks (the original's) moves the stamp past it, and
// the search then looks at every file.
const ChangesFile = ".search/changes"

// SearchDir is the folder of the search index's files (internal/search
// owns what is in it; the store, where it is).
func (s *Store) SearchDir() string { return filepath.Join(s.dir, ".search") }

// ChangesPath is the search index's journal of changed sessions (see
// ChangesFile).
func (s *Store) ChangesPath() string { return filepath.Join(s.dir, ChangesFile) }

// HighlightsDir holds, for the search, the redacted conversation
// highlights the exports wrote, a file per session (<id>.txt): derived,
// like the rest of .search/.
const HighlightsDir = ".search/highlights"

// SessionFoldersStamp names the state of the session folders (and of the
// highlights): their mtimes and sizes, which every write of a session file
// moves (it renames a file into one of them).
func (s *Store) SessionFoldersStamp() string {
	var b strings.Builder
	for _, d := range []string{s.sessionsDir(), s.archiveDir(), filepath.Join(s.dir, HighlightsDir)} {
		if fi, err := os.Stat(d); err == nil {
			b.WriteString(strconv.FormatInt(fi.ModTime().UnixNano(), 10) + "." + strconv.FormatInt(fi.Size(), 10) + ";")
		} else {
			b.WriteString("-;")
		}
	}
	return b.String()
}

// noteChanged appends the ids of a change set's sessions to the journal.
func (s *Store) noteChanged(c changeSet) {
	var ids []string
	for _, list := range [][]*session.Session{c.create, c.replace, c.archive} {
		for _, sess := range list {
			ids = append(ids, sess.SessionID)
		}
	}
	s.note(ids)
}

// note appends ids to the journal, each with the folders' stamp, in one
// write, after their files are in place.
func (s *Store) note(ids []string) {
	if len(ids) == 0 {
		return
	}
	// Never blocking, and regular files only: a FIFO put there must not
	// hold up every write (opening one to write waits for a reader).
	f, err := os.OpenFile(filepath.Join(s.dir, ChangesFile), os.O_WRONLY|os.O_APPEND|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		return
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return
	}
	stamp := s.SessionFoldersStamp()
	var b []byte
	for _, id := range ids {
		b = append(b, id...)
		b = append(b, ' ')
		b = append(b, stamp...)
		b = append(b, '\n')
	}
	f.Write(b)
}

// SaveHighlights keeps a session's conversation highlights (redacted) for
// the search, and notes the session in its journal so that the next search
// takes them in.
func (s *Store) SaveHighlights(id, text string) error {
	if err := session.ValidateSessionID(id); err != nil {
		return err
	}
	if err := atomicfile.WriteFile(filepath.Join(s.dir, HighlightsDir, id+".txt"), []byte(text)); err != nil {
		return err
	}
	s.note([]string{id})
	return nil
}

// Highlights are the conversation highlights kept for a session; "" when
// there are none.
func (s *Store) Highlights(id string) string {
	if session.ValidateSessionID(id) != nil {
		return ""
	}
	data, err := disk.ReadFile(filepath.Join(s.dir, HighlightsDir, id+".txt"), MaxFileSize)
	if err != nil {
		return ""
	}
	return string(data)
}
