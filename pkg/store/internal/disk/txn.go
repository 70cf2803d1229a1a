package disk

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// Txn is a change to several files that goes in whole or not at all.
//
// Each file is staged first: its new bytes are written to a temp file
// beside it and synced, or a hard link is made. Staging is where a full
// disk fails, and a failure there leaves every file as it was. Commit then
// puts the staged files in place with renames, links and removals, which
// need no new space.
//
// Files are of two sorts. The record files (truth) are the change itself;
// they go in first, and the first of them is the point of no return: if a
// record cannot go in, the records already in are taken back where that is
// possible (a created file is removed), and the whole change is dropped.
// The derived files (an index, a summary) follow; one that fails to go in
// leaves the change made, and the caller's repair marker brings it in line
// later. The caller holds the locks of all the files.
type Txn struct {
	mu    sync.Mutex
	ops   []*op
	links map[string]bool // folders of staged links, synced before Commit
}

type opKind int

const (
	opReplace opKind = iota // rename tmp over path
	opCreate                // link tmp to path, which must not exist
	opLink                  // path was linked at staging; nothing to do
	opRemove                // remove path
)

type op struct {
	kind      opKind
	path, tmp string
	truth     bool
	done      bool
}

func (t *Txn) add(o *op) {
	t.mu.Lock()
	t.ops = append(t.ops, o)
	t.mu.Unlock()
}

// Replace stages new contents of path. It may be called from several
// goroutines at once.
func (t *Txn) Replace(path string, truth bool, parts ...[]byte) error {
	tmp, err := writeTemp(path, parts...)
	if err != nil {
		return fmt.Errorf("write %s: %w", base(path), err)
	}
	t.add(&op{kind: opReplace, path: path, tmp: tmp, truth: truth})
	return nil
}

// Create stages a new record file at path, which never replaces an
// existing one: Commit fails with ErrExists if path is taken by then.
func (t *Txn) Create(path string, data []byte) error {
	tmp, err := writeTemp(path, data)
	if err != nil {
		return fmt.Errorf("create %s: %w", base(path), err)
	}
	t.add(&op{kind: opCreate, path: path, tmp: tmp, truth: true})
	return nil
}

// Link links src to dst now (dst must not exist); Abort removes dst again.
// With a later Remove of src it moves a file between folders.
func (t *Txn) Link(src, dst string) error {
	if err := os.Link(src, dst); err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("link %s: %w", base(dst), ErrExists)
		}
		return fmt.Errorf("link %s: %w", base(dst), err)
	}
	t.mu.Lock()
	if t.links == nil {
		t.links = make(map[string]bool)
	}
	t.links[filepath.Dir(dst)] = true
	t.mu.Unlock()
	t.add(&op{kind: opLink, path: dst, truth: true})
	return nil
}

// Remove stages the removal of a record file.
func (t *Txn) Remove(path string) {
	t.add(&op{kind: opRemove, path: path, truth: true})
}

// Abort drops every staged change that has not gone in.
func (t *Txn) Abort() {
	for _, o := range t.ops {
		if o.done {
			continue
		}
		switch o.kind {
		case opReplace, opCreate:
			os.Remove(o.tmp)
		case opLink:
			os.Remove(o.path)
		}
	}
	t.ops = nil
}

// Commit puts the staged files in place: the records in the order staged,
// then the derived files. committed reports whether the change was made;
// with committed and an error, a derived file (or the durability of a
// folder) failed and the caller must keep its repair markers. Without
// committed, nothing changed.
func (t *Txn) Commit() (committed bool, err error) {
	dirs := make(map[string]bool)
	for d := range t.links {
		if err := SyncDir(d); err != nil {
			t.Abort()
			return false, err
		}
	}
	for _, o := range t.ops {
		if !o.truth {
			continue
		}
		if err := o.commit(); err != nil {
			if t.takeBack() {
				t.Abort()
				return false, err
			}
			t.Abort()
			return true, errors.Join(err, t.sync(dirs))
		}
		dirs[filepath.Dir(o.path)] = true
	}
	var first error
	for _, o := range t.ops {
		if o.truth {
			continue
		}
		if err := o.commit(); err != nil {
			os.Remove(o.tmp)
			first = cmp(first, err)
			continue
		}
		dirs[filepath.Dir(o.path)] = true
	}
	return true, cmp(first, t.sync(dirs))
}

// takeBack undoes the records that went in, if all of them can be: created
// and linked files are removed; a replaced or removed file cannot come back.
func (t *Txn) takeBack() bool {
	for _, o := range t.ops {
		if o.done && (o.kind == opReplace || o.kind == opRemove) {
			return false
		}
	}
	for _, o := range t.ops {
		if o.done && (o.kind == opCreate || o.kind == opLink) {
			os.Remove(o.path)
			o.done = true // nothing left for Abort to do
		}
	}
	return true
}

func (t *Txn) sync(dirs map[string]bool) error {
	var first error
	for d := range dirs {
		first = cmp(first, SyncDir(d))
	}
	return first
}

func (o *op) commit() error {
	var err error
	switch o.kind {
	case opReplace:
		err = os.Rename(o.tmp, o.path)
	case opCreate:
		err = os.Link(o.tmp, o.path)
		if err == nil || errors.Is(err, os.ErrExist) {
			os.Remove(o.tmp)
		}
		if errors.Is(err, os.ErrExist) {
			err = ErrExists
		}
	case opLink:
		// linked at staging
	case opRemove:
		err = os.Remove(o.path)
	}
	if err != nil {
		return fmt.Errorf("put %s in place: %w", base(o.path), err)
	}
	o.done = true
	return nil
}

func cmp(first, err error) error {
	if first != nil {
		return first
	}
	return err
}

// DropDerived drops the derived files staged so far, to stage them anew.
func (t *Txn) DropDerived() {
	t.mu.Lock()
	defer t.mu.Unlock()
	kept := t.ops[:0]
	for _, o := range t.ops {
		if o.truth {
			kept = append(kept, o)
		} else {
			os.Remove(o.tmp)
		}
	}
	t.ops = kept
}

// Records reports whether the change has record files.
func (t *Txn) Records() bool {
	for _, o := range t.ops {
		if o.truth {
			return true
		}
	}
	return false
}
