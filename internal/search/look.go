package search

import (
	"errors"
	"io/fs"
	"os"
	"strconv"
	"time"

	"github.com/sess-dev/sess/pkg/store"
)

// When another tool wrote (the change feed does not account for every
// change), a search looks at the session files to find what changed. The
// original writes live sessions only, and each of its writes renames a
// file into the live folder; the archive changes when sessions are
// archived, which renames a file into it too, moving the folder's time.
// So a look takes the archive folder's stamp before it looks at the
// archived files, and the next look, finding the folder as it was, takes
// the archived sessions as indexed and looks at the live ones alone (see
// liveRefs). A stamp is not trusted when the folder changed too short a
// time before it was taken (a file system's clock ticks coarsely; a rename
// in the same tick would leave the time as it was, git's "racy clean"
// case), nor past rescanEvery since every file was last looked at.

// racyWithin is how recent a folder's time may be for its stamp to be
// trusted: more than a tick of any file system's clock (FAT's is 2 s).
const racyWithin = 3 * time.Second

// lookAgain re-indexes what changed since the index last looked at the
// store's files, by looking at them again; named are the sessions the
// change feed names, taken in whatever their times say (their highlights
// may have changed).
func (ix *Index) lookAgain(b, o *base, cur state, named []string) (*view, error) {
	start := ix.startChanges()
	archive := ix.archiveStamp() // before the files are looked at
	if archive == "" || archive != cur.archive || ix.now().Sub(time.Unix(cur.scanned, 0)) >= rescanEvery {
		digests := ix.digests()
		refs, err := ix.v.StoredSessions()
		if err != nil {
			return nil, err
		}
		return ix.refresh(b, o, nil, refs, nil, named, state{start, ix.now().Unix(), baseID(b), archive}, listEvery, digests)
	}
	// The index's entries and the search index's documents, each in a
	// thread: a search waits on each in turn otherwise.
	knownc := make(chan *indexed, 1)
	go func() { knownc <- indexedOf(b, o) }()
	entries, err := ix.v.LiveEntries()
	known := <-knownc
	if err != nil {
		return nil, err
	}
	refs, forced, digests := ix.liveRefs(known, entries, named)
	return ix.refresh(b, o, known, refs, nil, append(forced, named...), state{start, cur.scanned, baseID(b), archive}, listEveryLive, digests)
}

// Between two looks at every file, a look after another tool wrote goes
// by the store's index, which the original writes with every session:
// only the files of the sessions whose entries changed, of those still
// open (store.LiveEntry.Open), and of those indexed without an entry's
// digest are looked at, the rest taken as indexed. On a store of 5,500
// live sessions of which 500 are active, that is 5,000 fewer lstats, the
// most of such a search's time. What it misses until the next look at
// every file (rescanEvery) is a change to a session parked or completed,
// its last heartbeat more than a day ago, that leaves its entry as it
// was: the original's update-session of the current activity alone, or a
// hand edit.

// liveRefs are the live sessions of entries, each with its file's time:
// looked at (not read), or as indexed where its entry is as it was then;
// those to index again whatever their times say (their entries changed,
// or were not known: the digest is kept with the document); and the
// digests of the sessions a refresh may index again.
func (ix *Index) liveRefs(known *indexed, entries []store.LiveEntry, named []string) (refs []store.StoredRef, forced []string, digests map[string]uint64) {
	refs = make([]store.StoredRef, len(entries))
	digests = make(map[string]uint64, len(named))
	for _, id := range named {
		digests[id] = 0
	}
	var look []int
	for i, e := range entries {
		refs[i].ID = e.ID
		if _, ok := digests[e.ID]; ok {
			digests[e.ID] = e.Digest
		}
		d := known.of(e.ID)
		switch {
		case d == nil || d.Archived || d.Entry != e.Digest:
			forced = append(forced, e.ID)
			digests[e.ID] = e.Digest
			look = append(look, i)
		case e.Open:
			look = append(look, i)
		default:
			refs[i].ModTime = time.Unix(0, d.ModTime)
		}
	}
	sub := make([]store.StoredRef, len(look))
	for j, i := range look {
		sub[j] = refs[i]
	}
	ix.v.LookAt(sub)
	for j, i := range look {
		refs[i].ModTime = sub[j].ModTime
	}
	return refs, forced, digests
}

// digests are the live sessions' index entries' digests, for a look at
// every file or a build; nil when the index cannot be read (the look
// reports it).
func (ix *Index) digests() map[string]uint64 {
	entries, err := ix.v.LiveEntries()
	if err != nil {
		return nil
	}
	out := make(map[string]uint64, len(entries))
	for _, e := range entries {
		out[e.ID] = e.Digest
	}
	return out
}

// archiveStamp names the state of the archive folder (its time and size;
// "none" while there is none), "" when it cannot be trusted: it changed
// within racyWithin, or cannot be looked at.
func (ix *Index) archiveStamp() string {
	fi, err := os.Stat(ix.v.ArchiveFolder())
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "none"
	case err != nil || !fi.IsDir() || ix.now().Sub(fi.ModTime()) < racyWithin:
		return ""
	}
	return strconv.FormatInt(fi.ModTime().UnixNano(), 10) + "." + strconv.FormatInt(fi.Size(), 10)
}
