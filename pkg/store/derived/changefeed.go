package derived

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/sess-dev/sess/internal/atomicfile"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/internal/disk"
)

// The change feed tells the search which sessions sess changed since it
// last looked, so that it re-indexes just those. Every write of a session
// file (and every save of highlights) appends "<id> <stamp>\n", the stamp
// of the session folders right after the rename, if the feed is there: a
// store that was never searched has none, and a write pays one failed
// open. When the folders' stamp now is the last one noted, sess's writes
// account for every change; a write the feed lacks (the original's, which
// knows nothing of it) moves the stamp past it, and the reader then looks
// at every file.
const changeFeed = searchDir + "/changes"

// maxFeedRead bounds what is read of the change feed at once: past it the
// reader looks at every file instead.
const maxFeedRead = 4 << 20

// Cursor is how far a reader has read the change feed: which feed (its
// inode: a new feed is a new file), up to where, and the folders' stamp it
// had then. Cursors compare with ==. String and ParseCursor keep one in a
// file; the zero Cursor is a feed never read, which is never complete.
type Cursor struct {
	stamp string
	ino   uint64
	off   int64
}

// String is the cursor as ParseCursor reads it.
func (c Cursor) String() string {
	return c.stamp + "|" + strconv.FormatUint(c.ino, 10) + "|" + strconv.FormatInt(c.off, 10)
}

// ParseCursor reads a cursor String wrote; anything else is a cursor no
// feed matches (its reader looks at every file).
func ParseCursor(s string) Cursor {
	parts := strings.Split(s, "|")
	if len(parts) != 3 {
		return Cursor{stamp: s}
	}
	ino, _ := strconv.ParseUint(parts[1], 10, 64)
	off, _ := strconv.ParseInt(parts[2], 10, 64)
	return Cursor{parts[0], ino, off}
}

// StartChanges starts an empty change feed, before the files it stands for
// are looked at, and returns its start: a write from then on is noted in
// it. It never makes the store: with no store folder it is an error
// wrapping fs.ErrNotExist, and the cursor is one that is never complete.
func (f *Files) StartChanges() (Cursor, error) {
	if fi, err := os.Stat(f.dir); err != nil || !fi.IsDir() {
		return Cursor{}, fmt.Errorf("start the change feed: no store at %s: %w", f.dir, fs.ErrNotExist)
	}
	p := f.path(changeFeed)
	err := atomicfile.WriteFile(p, nil)
	var fi os.FileInfo
	if err == nil {
		fi, err = os.Stat(p)
	}
	if err != nil {
		return Cursor{}, fmt.Errorf("start the change feed: %w", err)
	}
	return Cursor{stamp: f.foldersStamp(), ino: disk.Inode(fi)}, nil
}

// ChangesNow is where the change feed is now, for a second reader (a
// publisher beside the search): the feed there is read on from its end,
// and one is started when there is none. Taken before the files it stands
// for are looked at.
func (f *Files) ChangesNow() (Cursor, error) {
	stamp := f.foldersStamp() // before the feed's end: a write in between is then not complete
	fi, err := os.Lstat(f.path(changeFeed))
	if err != nil || !fi.Mode().IsRegular() || disk.Inode(fi) == 0 {
		return f.StartChanges()
	}
	return Cursor{stamp: stamp, ino: disk.Inode(fi), off: fi.Size()}, nil
}

// Changes are the sessions noted in the change feed since a cursor, each
// once, and whether they account for every change: the feed is the one
// the cursor read, and its last line noted the folders as they are now.
// next is where the feed ends, with the folders' stamp now; it equals
// since when nothing was noted and the folders did not move. A feed that
// cannot be read (gone, not a regular file, another feed, too much to
// read) is not complete, and next is since with the stamp now.
func (f *Files) Changes(since Cursor) (ids []string, next Cursor, complete bool) {
	now := f.foldersStamp() // before the feed: a write in between is then not complete
	next = since
	next.stamp = now
	// Never blocking, and regular files only: a FIFO put there must not
	// hold up a search.
	fd, err := os.OpenFile(f.path(changeFeed), os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, next, false
	}
	defer fd.Close()
	fi, err := fd.Stat()
	// Without inodes (not Unix), one feed cannot be told from the next:
	// it is not trusted, and every search looks at every file.
	if err != nil || !fi.Mode().IsRegular() || disk.Inode(fi) == 0 || disk.Inode(fi) != since.ino || fi.Size() < since.off || fi.Size()-since.off > maxFeedRead {
		return nil, next, false
	}
	if fi.Size() == since.off {
		return nil, next, now == since.stamp
	}
	buf := make([]byte, fi.Size()-since.off)
	if _, err := fd.ReadAt(buf, since.off); err != nil && !errors.Is(err, io.EOF) {
		return nil, next, false
	}
	// A write still appending leaves a last line without its newline: it
	// is read next time.
	end := strings.LastIndexByte(string(buf), '\n') + 1
	seen := map[string]bool{}
	last := since.stamp
	for _, line := range strings.Split(string(buf[:end]), "\n") {
		id, stamp, _ := strings.Cut(line, " ")
		if id == "" || session.ValidateSessionID(id) != nil {
			continue
		}
		last = stamp
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	next.off = since.off + int64(end)
	return ids, next, last == now
}

// NoteChanged appends ids to the change feed, each with the folders'
// stamp, in one write, if there is a feed. The store calls it once a
// change's files are in place (and SaveHighlights once they are saved);
// nothing else writes session files through sess.
func (f *Files) NoteChanged(ids ...string) {
	if len(ids) == 0 {
		return
	}
	// Never blocking, and regular files only: a FIFO put there must not
	// hold up every write (opening one to write waits for a reader).
	fd, err := os.OpenFile(f.path(changeFeed), os.O_WRONLY|os.O_APPEND|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		return
	}
	defer fd.Close()
	if fi, err := fd.Stat(); err != nil || !fi.Mode().IsRegular() {
		return
	}
	stamp := f.foldersStamp()
	var b []byte
	for _, id := range ids {
		b = append(b, id...)
		b = append(b, ' ')
		b = append(b, stamp...)
		b = append(b, '\n')
	}
	fd.Write(b)
}

// foldersStamp names the state of the session folders and of the
// highlights: their mtimes and sizes, which every write of a session file
// or of highlights moves (it renames a file into one of them).
func (f *Files) foldersStamp() string {
	return disk.Stamp(append(f.sessionFolders[:len(f.sessionFolders):len(f.sessionFolders)], f.path(highlightsDir))...)
}
