package store

import (
	"encoding/json"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/internal/disk"
)

// decodeIndex decodes the index, through the fast reader when the file has
// the index's own shape, else through encoding/json, which also reports
// errors. The strings it returns may share memory with data.
func decodeIndex(data []byte) (map[string]session.IndexEntry, error) {
	if idx, ok := decodeIndexFast(data); ok {
		return idx, nil
	}
	var idx map[string]session.IndexEntry
	if err := json.Unmarshal(data, &idx); err != nil {
		return nil, err
	}
	if idx == nil {
		return nil, errIndexSyntax
	}
	return idx, nil
}

func decodeIndexFast(data []byte) (map[string]session.IndexEntry, bool) {
	r := &jsonReader{data: data}
	idx := make(map[string]session.IndexEntry, len(data)/300) // an entry takes ~300 bytes
	// One entry to decode into, used again for each: the field table's
	// reader would make every entry a heap value of its own.
	e := new(session.IndexEntry)
	ok := r.object(nil, func(id string) bool {
		*e = session.IndexEntry{} // a repeated key replaces the earlier entry, as in encoding/json
		if r.null() {
			idx[id] = *e
			return true
		}
		ok := indexRecord.read(r, e)
		idx[id] = *e
		return ok
	})
	if !ok || !r.end() {
		return nil, false
	}
	return idx, true
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
		idx, err = decodeEntriesWith(data, field, value)
		return err
	})
	release()
	if err != nil {
		return s.loadIndex()
	}
	return idx, nil
}
