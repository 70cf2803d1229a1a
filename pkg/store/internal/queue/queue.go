package queue

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/internal/disk"
)

// Entry is one session's index entry as a change left it queued.
type Entry struct {
	ID    string              `json:"id"`
	File  disk.FileID         `json:"file"`  // the session file the entry was made from
	Entry *session.IndexEntry `json:"entry"` // nil: removed
}

// Prefix begins an item's name.
const Prefix = "q."

// Queue is the queue in a folder.
type Queue string

// Put leaves a change's entries in the queue and returns its item. Not
// synced: a crash may lose it, and the writer's marker then has the
// entries set by the repair.
func (q Queue) Put(entries []Entry) (item string, err error) {
	data, err := json.Marshal(entries)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(string(q), disk.DirPerm); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(string(q), "."+Prefix+"*")
	if errors.Is(err, fs.ErrNotExist) {
		// Another removed the folder as it emptied it.
		if err = os.MkdirAll(string(q), disk.DirPerm); err == nil {
			f, err = os.CreateTemp(string(q), "."+Prefix+"*")
		}
	}
	if err != nil {
		return "", err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	item = filepath.Join(string(q), strings.TrimPrefix(filepath.Base(tmp), "."))
	if err == nil {
		err = os.Rename(tmp, item)
	}
	if err != nil {
		os.Remove(tmp)
		return "", err
	}
	return item, nil
}

// Has reports whether an item is still queued.
func (q Queue) Has(item string) bool { return disk.Exists(item) }

// Read lists every item but skip and reads them: the items, and their
// entries by session. An item that cannot be read stays queued for its
// writer, who has its entries and writes them when it finds it still
// there; one older than Orphaned, whose writer is gone (its marker has
// the entries repaired), is listed to be done with, its error in damaged.
func (q Queue) Read(skip string) (items []string, bySession map[string][]Entry, damaged []error, err error) {
	names, err := disk.ReadDirNames(string(q))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil, err
	}
	bySession = map[string][]Entry{}
	for _, n := range names {
		p := filepath.Join(string(q), n)
		if !strings.HasPrefix(n, Prefix) || p == skip {
			continue // one being written, or the caller's
		}
		var entries []Entry
		data, err := disk.ReadFile(p, maxItem)
		if err == nil {
			err = json.Unmarshal(data, &entries)
		}
		if err != nil {
			if _, mtime, ok := disk.Regular(p); ok && time.Since(mtime) < Orphaned {
				continue
			}
			damaged = append(damaged, err)
		}
		items = append(items, p)
		for _, e := range entries {
			if session.ValidateSessionID(e.ID) == nil {
				bySession[e.ID] = append(bySession[e.ID], e)
			}
		}
	}
	return items, bySession, damaged, nil
}

// Orphaned is how old an item that cannot be read must be to be dropped
// by another than its writer: no writer waits that long for the index.
const Orphaned = 10 * time.Minute

// maxItem bounds what is read of an item: a change's entries, some
// hundred bytes each.
const maxItem = 64 << 20

// Done removes items, and the folder when nothing else is in it (a writer
// that finds it gone makes it again).
func (q Queue) Done(items []string) {
	for _, p := range items {
		disk.Remove(p)
	}
	disk.Remove(string(q))
}

// Pending reports whether the folder is there: it holds items, ones
// being written or left half-written, or nothing (left by a writer that
// made it as another emptied it).
func (q Queue) Pending() bool { return disk.IsDir(string(q)) }

// DropPartial removes the items being written or left half-written: for
// the holder of the index lock, when no writer is waiting for it. A writer
// whose item is removed before it is whole writes its entries alone.
func (q Queue) DropPartial() {
	names, _ := disk.ReadDirNames(string(q))
	for _, n := range names {
		if strings.HasPrefix(n, "."+Prefix) {
			disk.Remove(filepath.Join(string(q), n))
		}
	}
}
