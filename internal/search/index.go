package search

import (
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/sess-dev/sess/internal/atomicfile"
	"github.com/sess-dev/sess/pkg/store"
	"github.com/sess-dev/sess/pkg/store/derived"
)

// maxOverlay is how many changed sessions the overlay takes before the base
// is built again.
const maxOverlay = 300

// Index is the search index of a store.
type Index struct {
	v          *store.View    // the sessions, read
	files      *derived.Files // the change feed and highlights
	dir        string         // the index's folder (files.Search)
	warn       io.Writer
	maxOverlay int
	// parallelFrom is how many sessions a build shares among the CPUs.
	parallelFrom int
	now          func() time.Time
	mu           sync.Mutex
	releases     []func() // the mappings of the index files read, for Close
	// inMemory says the index's files cannot be kept (the store does not
	// exist, or its .search folder cannot be made): searches work from an
	// index built for each, said once.
	inMemory bool
}

// Open opens the index of a store; warnings (an index built again) go to
// warn. A long-lived process closes it when done with its results.
func Open(st *store.Store, warn io.Writer) *Index {
	files := st.Derived()
	return &Index{v: st.View(), files: files, dir: files.Search(), warn: warn, maxOverlay: maxOverlay, parallelFrom: minParallelBuild, now: time.Now}
}

// view is the index as a search sees it: the base, minus what the overlay
// replaces, plus the overlay.
type view struct {
	base, overlay *base
}

// load brings the index up to date with the store and returns it.
func (ix *Index) load() (*view, error) {
	b, err := ix.readFile("base")
	if err != nil {
		switch {
		case !ix.keepable(): // said why
		case errors.Is(err, fs.ErrNotExist):
			fmt.Fprintf(ix.warn, "sess: warning: no search index yet; building it from every session\n")
		default:
			fmt.Fprintf(ix.warn, "sess: warning: %v; building it again\n", err)
		}
		return ix.rebuild()
	}
	o, err := ix.readFile("overlay")
	switch {
	case errors.Is(err, fs.ErrNotExist):
		o = nil
	case err != nil:
		fmt.Fprintf(ix.warn, "sess: warning: %v; looking at every session again\n", err)
		o = nil
	}
	cur := parseState(b.fingerprint)
	if o != nil {
		oc := parseState(o.fingerprint)
		if oc.base != baseID(b) {
			// An overlay made on another base (a rebuild raced this
			// search's reading): not this base's; look at every file.
			o, cur.scanned = nil, 0
		} else {
			cur = oc
		}
	}
	ids, next, complete := ix.files.Changes(cur.changes)
	if next == cur.changes && cur.scanned != 0 {
		return &view{b, o}, nil // nothing written since, by sess or another
	}
	// Sessions changed. If sess's own writes did all of it, the change
	// feed names them; else the files are looked at (lookAgain), those the
	// feed names taken in whatever their times say (their highlights
	// changed).
	if complete && ix.now().Sub(time.Unix(cur.scanned, 0)) < rescanEvery {
		refs, gone := ix.refsOf(ids)
		return ix.refresh(b, o, nil, refs, gone, ids, state{next, cur.scanned, baseID(b), cur.archive}, listNamed, nil)
	}
	return ix.lookAgain(b, o, cur, ids)
}

// Close lets go of the index files this Index mapped: a process that
// searches again and again (sess-serve) would otherwise keep every mapping
// it ever made. The results of its searches must not be used after.
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, release := range ix.releases {
		release()
	}
	ix.releases = nil
	return nil
}

// baseID names a base, for the overlays made on it.
func baseID(b *base) string {
	h := fnv.New64a()
	h.Write([]byte(b.fingerprint))
	return strconv.FormatUint(h.Sum64(), 36)
}

// refresh re-indexes the sessions of refs whose files changed (or moved
// to the archive) since they were indexed, and those the change feed names
// (forced: their highlights may have changed), into a new overlay; gone are
// sessions that no longer are. l says what refs lists, and so which
// sessions it lacks are gone too. known is indexedOf(b, o), nil to make
// it; digests are the live sessions' entries' (store.LiveEntry.Digest) as
// they were before their files were looked at, nil when not read.
func (ix *Index) refresh(b, o *base, known *indexed, refs []store.StoredRef, gone, forced []string, st state, l listing, digests map[string]uint64) (*view, error) {
	if known == nil {
		known = indexedOf(b, o)
	}
	changed, drop := changedOf(known, refs, gone, forced, l)
	g := &segment{}
	if o != nil {
		g = o.segmentOf(func(d docInfo) bool { return !drop[d.ID] })
	}
	if len(g.Docs)+len(changed) > ix.maxOverlay {
		return ix.rebuild()
	}
	removed := map[string]bool{}
	for _, id := range g.Removed {
		removed[id] = true
	}
	for _, d := range b.docs {
		if drop[d.ID] {
			removed[d.ID] = true
		}
	}
	g.Removed = g.Removed[:0]
	for id := range removed {
		g.Removed = append(g.Removed, id)
	}
	ix.addAll(g, changed, func(id string) uint64 {
		if d, ok := digests[id]; ok {
			return d
		}
		// Re-indexed for a write of sess's: the entry as last seen stays
		// the mark, and the next look that finds the entry changed
		// re-indexes the session once more (see lookAgain).
		if d := known.of(id); d != nil {
			return d.Entry
		}
		return 0
	})
	data := g.encode(st.String())
	if err := ix.writeFile("overlay", data); err != nil {
		fmt.Fprintf(ix.warn, "sess: warning: could not save the search index: %v\n", err)
	}
	nb, err := decodeChecked(data) // made just now: no checksum to read
	if err != nil {
		return nil, err
	}
	return &view{b, nb}, nil
}

// listing is what the refs a refresh is given list.
type listing int

const (
	listNamed     listing = iota // the sessions the change feed names
	listEvery                    // every session: those it lacks are gone
	listEveryLive                // every live session: the archived ones are as indexed
)

// indexed is every session as indexed, by the newest part: the overlay's
// document, else the base's unless the overlay removed it.
type indexed struct {
	at     map[string]int
	docs   []*docInfo
	listed []bool // changedOf's: whether refs list the document
}

func indexedOf(b, o *base) *indexed {
	n := len(b.docs)
	if o != nil {
		n += len(o.docs)
	}
	k := &indexed{at: make(map[string]int, n), docs: make([]*docInfo, 0, n)}
	add := func(d *docInfo) {
		if i, ok := k.at[d.ID]; ok {
			k.docs[i] = d
			return
		}
		k.at[d.ID] = len(k.docs)
		k.docs = append(k.docs, d)
	}
	for i := range b.docs {
		if o == nil || !o.removed[b.docs[i].ID] {
			add(&b.docs[i])
		}
	}
	if o != nil {
		for i := range o.docs {
			add(&o.docs[i])
		}
	}
	k.listed = make([]bool, len(k.docs))
	return k
}

// of is the document of session id, nil when it is not indexed.
func (k *indexed) of(id string) *docInfo {
	if i, ok := k.at[id]; ok {
		return k.docs[i]
	}
	return nil
}

// changedOf are the sessions of refs to index again, and those to drop
// from the index's parts (changed or gone).
func changedOf(known *indexed, refs []store.StoredRef, gone, forced []string, l listing) (changed []store.StoredRef, drop map[string]bool) {
	force := make(map[string]bool, len(forced))
	for _, id := range forced {
		force[id] = true
	}
	drop = map[string]bool{}
	for _, id := range gone {
		drop[id] = true
	}
	for _, r := range refs {
		i, ok := known.at[r.ID]
		if ok {
			known.listed[i] = true
		}
		// Archiving links the file as it is: its time stays, its place
		// does not.
		if !ok || known.docs[i].ModTime != r.ModTime.UnixNano() || known.docs[i].Archived != r.Archived || force[r.ID] {
			changed = append(changed, r)
			drop[r.ID] = true
		}
	}
	if l != listNamed {
		for i, d := range known.docs {
			if !known.listed[i] && (l == listEvery || !d.Archived) {
				drop[d.ID] = true
			}
		}
	}
	return changed, drop
}

// rebuild builds the base from every session, and drops the overlay.
func (ix *Index) rebuild() (*view, error) {
	start := ix.startChanges()
	archive := ix.archiveStamp() // before the files are looked at, as lookAgain
	digests := ix.digests()
	refs, err := ix.v.StoredSessions()
	if err != nil {
		return nil, err
	}
	g := &segment{}
	ix.addAll(g, refs, func(id string) uint64 { return digests[id] })
	data := g.encode(state{start, ix.now().Unix(), "", archive}.String())
	if err := ix.writeFile("base", data); err != nil {
		fmt.Fprintf(ix.warn, "sess: warning: could not save the search index: %v\n", err)
	}
	if !ix.inMemory {
		os.Remove(filepath.Join(ix.dir, "overlay"))
	}
	b, err := decodeChecked(data) // made just now: no checksum to read
	if err != nil {
		return nil, err
	}
	return &view{base: b}, nil
}

// addAll indexes the sessions refs names; one that cannot be read is left
// out (the store warns of it). Many are shared among the CPUs: each indexes
// a run of them into a segment of its own, and the runs are joined in
// order. On a machine whose cores are taken, two threads of a build get
// more of them than one.
func (ix *Index) addAll(g *segment, refs []store.StoredRef, digest func(id string) uint64) {
	workers := runtime.GOMAXPROCS(0)
	if workers < 2 || len(refs) < ix.parallelFrom {
		ix.addEach(g, refs, digest)
		return
	}
	parts := make([]segment, workers)
	var wg sync.WaitGroup
	for w := range parts {
		run := refs[len(refs)*w/workers : len(refs)*(w+1)/workers]
		wg.Go(func() { ix.addEach(&parts[w], run, digest) })
	}
	wg.Wait()
	for w := range parts {
		g.join(&parts[w])
	}
}

// minParallelBuild is how many sessions are worth a second thread.
const minParallelBuild = 200

// addEach indexes the sessions refs names, one after the other; digest
// is a live session's entry's (docInfo.Entry).
func (ix *Index) addEach(g *segment, refs []store.StoredRef, digest func(id string) uint64) {
	for _, r := range refs {
		s, err := ix.v.ReadStored(r)
		if err != nil {
			continue
		}
		d := docInfo{ID: s.SessionID, Project: s.ProjectSlug, Intent: s.Intent, Started: s.StartedAt, Archived: r.Archived, ModTime: r.ModTime.UnixNano()}
		if !r.Archived {
			d.Entry = digest(r.ID)
		}
		fields := fieldsOf(s)
		withDerived(&fields, ix.files, s)
		g.add(d, fields)
	}
}

// state is what an index part was made from: how far it read the change
// feed (with the session folders as they were then), when it last looked
// at every file, for an overlay the base it was made on, and the archive
// folder's stamp when its files were last looked at (see lookAgain).
type state struct {
	changes derived.Cursor
	scanned int64  // when every file was last looked at, Unix seconds
	base    string // an overlay's: the base it was made on (baseID)
	archive string // the archive folder's stamp, "" when not trusted
}

// String is the state as an index file keeps it: the cursor's string, then
// the search's fields, which hold no "|"; the archive's stamp last, marked
// with an "A" (an index made before it had none: it is not trusted).
func (s state) String() string {
	return s.changes.String() + "|" + strconv.FormatInt(s.scanned, 10) + "|" + s.base + "|A" + s.archive
}

func parseState(s string) state {
	var archive string
	if rest, last, ok := cutLast(s, "|"); ok && strings.HasPrefix(last, "A") {
		s, archive = rest, last[1:]
	}
	rest, base, ok := cutLast(s, "|")
	if !ok {
		return state{changes: derived.ParseCursor(s)}
	}
	cursor, scanned, ok := cutLast(rest, "|")
	if !ok {
		return state{changes: derived.ParseCursor(s)}
	}
	n, _ := strconv.ParseInt(scanned, 10, 64)
	return state{derived.ParseCursor(cursor), n, base, archive}
}

// cutLast is strings.Cut at the last sep.
func cutLast(s, sep string) (before, after string, found bool) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return s, "", false
}

// rescanEvery is how long the change feed is trusted: a write of another
// tool in the same clock tick as one of sess's leaves the folders' stamp
// where sess noted it, and only a look at every file finds it.
const rescanEvery = 10 * time.Minute

// refsOf looks the sessions up by id: where each file is now, or that it
// is gone.
func (ix *Index) refsOf(ids []string) (refs []store.StoredRef, gone []string) {
	for _, id := range ids {
		if r, ok := ix.v.Locate(id); ok {
			refs = append(refs, r)
		} else {
			gone = append(gone, id)
		}
	}
	return refs, gone
}

// keepable reports whether the index's files can be kept, and says once
// why not: the store is not there (no search makes one), or its folder for
// them cannot be made (a read-only store, a file in its place).
func (ix *Index) keepable() bool {
	if ix.inMemory {
		return false
	}
	if !ix.storeExists() {
		ix.inMemory = true
		return false
	}
	if err := os.MkdirAll(ix.dir, 0o700); err != nil {
		ix.noKeep(err)
		return false
	}
	return true
}

// noKeep says once that the index cannot be kept, and why: from then on
// the search goes on from an index in memory.
func (ix *Index) noKeep(err error) {
	if !ix.inMemory {
		fmt.Fprintf(ix.warn, "sess: warning: the search index cannot be kept (%v); searching without it\n", err)
	}
	ix.inMemory = true
}

// storeExists reports whether the store's folder is there.
func (ix *Index) storeExists() bool {
	return ix.v.Exists()
}

// startChanges starts the change feed anew, before the files it stands
// for are looked at: a write from then on is noted in it. When the index
// cannot be kept, the search goes on from memory, with a cursor of no
// feed.
func (ix *Index) startChanges() derived.Cursor {
	if !ix.keepable() {
		return derived.Cursor{}
	}
	c, err := ix.files.StartChanges()
	if err != nil {
		ix.noKeep(err)
		return derived.Cursor{}
	}
	return c
}

// maxIndexFile bounds what is read of an index file.
const maxIndexFile = 1 << 30

// readFile maps an index file and decodes it; the mapping stays until
// Close (a command never closes: it ends), so strings decoded from it are
// copies and its postings are read in place.
func (ix *Index) readFile(name string) (*base, error) {
	p := filepath.Join(ix.dir, name)
	// Never blocking: opening a FIFO put there would wait for a writer.
	f, err := os.OpenFile(p, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() || fi.Size() > maxIndexFile {
		return nil, fmt.Errorf("search index %s: %w", name, errCorrupt)
	}
	data, release, err := mapFile(f, fi.Size())
	if err != nil {
		return nil, err
	}
	ix.mu.Lock()
	ix.releases = append(ix.releases, release)
	ix.mu.Unlock()
	// The checksum reads the whole file: the base's (megabytes, where a
	// search reads the pages of its terms) is checked once per version of
	// the file, which a note of the file's identity remembers.
	if bytes.HasPrefix(data, []byte(magic[:len(magic)-1])) && !bytes.HasPrefix(data, []byte(magic)) {
		return nil, fmt.Errorf("search index %s: %w", name, errOtherVersion)
	}
	id := fmt.Sprintf("%s %d %d %d", name, inode(fi), fi.ModTime().UnixNano(), fi.Size())
	checked := name == "base" && ix.readNote("checked") == id
	if !checked && !checksumOK(data) {
		return nil, fmt.Errorf("search index %s: %w", name, errCorrupt)
	}
	b, err := decodeChecked(data)
	if err != nil {
		return nil, fmt.Errorf("search index %s: %w", name, err)
	}
	if name == "base" && !checked {
		ix.writeFile("checked", []byte(id))
	}
	return b, nil
}

// readNote is a small file of the index's (a note), "" when it is not a
// regular file that can be read.
func (ix *Index) readNote(name string) string {
	f, err := os.OpenFile(filepath.Join(ix.dir, name), os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		return ""
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() || fi.Size() > 4096 {
		return ""
	}
	data, err := io.ReadAll(io.LimitReader(f, 4096))
	if err != nil {
		return ""
	}
	return string(data)
}

// writeFile replaces an index file; a reader sees the old one or the new.
func (ix *Index) writeFile(name string, data []byte) error {
	if ix.inMemory {
		return nil
	}
	return atomicfile.WriteFile(filepath.Join(ix.dir, name), data)
}
