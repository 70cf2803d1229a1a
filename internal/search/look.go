package search

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// When another tool wrote (the change feed does not account for every
// change), a search looks at the session files to find what changed. The
// original writes live sessions only, and each of its writes renames a
// file into the live folder; the archive changes when sessions are
// archived, which renames a file into it too, moving the folder's time.
// So a look takes the archive folder's stamp before it looks at the
// archived files, and the next look, finding the folder as it was, takes
// the archived sessions as indexed and looks at the live files alone:
// 5,500 of a store's 10,000 after a cleanup, not all of them. A stamp is
// not trusted when the folder changed too short a time before it was
// taken (a file system's clock ticks coarsely; a rename in the same tick
// would leave the time as it was, git's "racy clean" case), nor past
// rescanEvery since every file was last looked at.

// racyWithin is how recent a folder's time may be for its stamp to be
// trusted: more than a tick of any file system's clock (FAT's is 2 s).
const racyWithin = 3 * time.Second

// lookAgain re-indexes what changed since the index last looked at the
// store's files, by looking at them again; named are the sessions the
// change feed names, taken in whatever their times say (their highlights
// may have changed).
func (ix *Index) lookAgain(b, o *base, cur state, named []string) (*view, error) {
	start := ix.startChanges()
	archive := ix.archiveStamp(b, o) // before the files are looked at
	if archive == "" || archive != cur.archive || ix.now().Sub(time.Unix(cur.scanned, 0)) >= rescanEvery {
		refs, err := ix.v.StoredSessions()
		if err != nil {
			return nil, err
		}
		return ix.refresh(b, o, refs, nil, named, state{start, ix.now().Unix(), baseID(b), archive}, listEvery)
	}
	refs, err := ix.liveRefs()
	if err != nil {
		return nil, err
	}
	return ix.refresh(b, o, refs, nil, named, state{start, cur.scanned, baseID(b), archive}, listEveryLive)
}

// archiveStamp names the state of the archive folder (its time and size),
// "" when it cannot be trusted: it changed within racyWithin, cannot be
// looked at, or no archived session is indexed to say where it is (then
// there is nothing to spare).
func (ix *Index) archiveStamp(b, o *base) string {
	id := ""
	for _, part := range []*base{o, b} {
		if part == nil {
			continue
		}
		for i := range part.docs {
			if part.docs[i].Archived {
				id = part.docs[i].ID
				break
			}
		}
		if id != "" {
			break
		}
	}
	if id == "" {
		return ""
	}
	// The folder the store keeps archived sessions in: the one of an
	// archived session's file.
	fi, err := os.Stat(filepath.Dir(ix.v.PathOf(store.StoredRef{ID: id, Archived: true})))
	if err != nil || !fi.IsDir() || ix.now().Sub(fi.ModTime()) < racyWithin {
		return ""
	}
	return strconv.FormatInt(fi.ModTime().UnixNano(), 10) + "." + strconv.FormatInt(fi.Size(), 10)
}

// liveRefs are the live sessions of the store's index, each file's time
// looked at (lstat, not read): View.StoredSessions without the archived.
func (ix *Index) liveRefs() ([]store.StoredRef, error) {
	idx, err := ix.v.Entries()
	if err != nil {
		return nil, err
	}
	refs := make([]store.StoredRef, 0, len(idx))
	for id := range idx {
		if session.ValidateSessionID(id) == nil {
			refs = append(refs, store.StoredRef{ID: id})
		}
	}
	// A thread per CPU: the calls are most of a look's time, and on a
	// machine whose cores are taken two threads get more of them.
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(refs); i += workers {
				if fi, err := os.Lstat(ix.v.PathOf(refs[i])); err == nil {
					refs[i].ModTime = fi.ModTime()
				}
			}
		})
	}
	wg.Wait()
	return refs, nil
}
