package store

import (
	"bytes"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
)

// A write changes one or two entries of an index of thousands. When the
// index is laid out as the tools write it (two-space indent, one member per
// line start, flat entries), the member of an id is found with one search
// for "\n  \"<id>\": ", which can only match at a line start: a newline
// inside a JSON string is escaped. quickSplice does that and checks the
// layout around what it found; anything else goes to the full scan.

// indexEdit replaces data[from:to] with val.
type indexEdit struct {
	from, to int
	val      []byte
}

// quickSplice returns the pieces of the index with changes applied (slices
// of data and new entries), and whether anything changed. ok is false when
// the quick search cannot be trusted for this file or change — a removal, a
// duplicate key, a layout of another writer — and the caller must scan.
func quickSplice(data []byte, changes map[string]*IndexEntry) (parts [][]byte, changed, ok bool, err error) {
	// The index opens with its first member at indent 2 and ends with the
	// last entry's closing brace at indent 2.
	body := bytes.TrimRight(data, " \t\r\n")
	if !bytes.HasPrefix(body, []byte("{\n  \"")) || !bytes.HasSuffix(body, []byte("\n  }\n}")) {
		return nil, false, false, nil
	}
	end := len(body) - len("\n}") // just past the last member
	var edits []indexEdit
	var added []string
	for id, e := range changes {
		if e == nil {
			return nil, false, false, nil
		}
		if ValidateSessionID(id) != nil {
			return nil, false, false, nil // not a plain key
		}
		// One pass: the member, then no second one after it. (A key the
		// search cannot see, written some other way, is left alone: the
		// entry added for it comes later, and the later of two wins in
		// every decoder, this store's and Python's.)
		pat := []byte("\n  \"" + id + "\": ")
		n := bytes.Index(data, pat)
		if n < 0 {
			added = append(added, id)
			continue
		}
		vs := n + len(pat)
		if bytes.Contains(data[vs:], pat) {
			return nil, false, false, nil // a duplicate key
		}
		if vs >= len(data) || data[vs] != '{' {
			return nil, false, false, nil
		}
		ve, err := scanValue(data, vs)
		if err != nil || ve > end || !bytes.HasSuffix(data[vs:ve], []byte("\n  }")) ||
			!(data[n-1] == '{' && n == 1 || data[n-1] == ',' && data[n-2] == '}') ||
			!(ve == end || bytes.HasPrefix(data[ve:], []byte(",\n  \""))) {
			return nil, false, false, nil
		}
		val, err := encodeEntry(*e)
		if err != nil {
			return nil, false, true, err
		}
		if !bytes.Equal(val, data[vs:ve]) {
			edits = append(edits, indexEdit{vs, ve, val})
		}
	}
	if len(edits) == 0 && len(added) == 0 {
		return nil, false, true, nil
	}
	slices.SortFunc(edits, func(a, b indexEdit) int { return a.from - b.from })
	at := 0
	for _, ed := range edits {
		parts = append(parts, data[at:ed.from], ed.val)
		at = ed.to
	}
	parts = append(parts, data[at:end])
	slices.Sort(added)
	for _, id := range added {
		val, err := encodeEntry(*changes[id])
		if err != nil {
			return nil, false, true, err
		}
		parts = append(parts, []byte(",\n  \""+id+"\": "), val)
	}
	parts = append(parts, data[end:])
	return parts, true, true, nil
}

// decodeProjectEntries decodes the entries of one project from the index,
// into memory of their own: data may be a mapping about to be released.
// Entries whose bytes cannot hold the slug are skipped undecoded, and
// unchecked: a full read finds a corrupt index and rebuilds it.
func decodeProjectEntries(data []byte, slug string) (map[string]IndexEntry, error) {
	needle := []byte(`"` + slug + `"`)
	idx := make(map[string]IndexEntry)
	r := &jsonReader{data: data}
	ok := r.object(nil, func(id string) bool {
		r.ws()
		if r.i < len(data) && data[r.i] == '{' {
			if end, flat := skipFlatObject(data, r.i); flat && !bytes.Contains(data[r.i:end], needle) {
				r.i = end
				delete(idx, id) // a later duplicate of another project wins
				return true
			}
		}
		var e IndexEntry
		if !r.null() && !r.entry(&e) {
			return false
		}
		if e.ProjectSlug == slug {
			idx[strings.Clone(id)] = e.clone()
		} else {
			delete(idx, id) // a later duplicate of another project wins
		}
		return true
	})
	if ok && r.end() {
		return idx, nil
	}
	all, err := decodeIndex(data)
	if err != nil {
		return nil, err
	}
	clear(idx)
	for id, e := range all {
		if e.ProjectSlug == slug {
			idx[strings.Clone(id)] = e.clone()
		}
	}
	return idx, nil
}

// clone returns e with strings of its own.
func (e IndexEntry) clone() IndexEntry {
	c := IndexEntry{
		ProjectSlug:   strings.Clone(e.ProjectSlug),
		Status:        Status(strings.Clone(string(e.Status))),
		Intent:        strings.Clone(e.Intent),
		StartedAt:     strings.Clone(e.StartedAt),
		LastHeartbeat: strings.Clone(e.LastHeartbeat),
	}
	if e.EndedAt != nil {
		s := strings.Clone(*e.EndedAt)
		c.EndedAt = &s
	}
	return c
}

// errMapFault reports a mapped file cut short while it was read.
var errMapFault = fmt.Errorf("index changed in place while mapped")

// guardFault, deferred by a goroutine reading a mapping that it has set up
// with debug.SetPanicOnFault, turns a fault there into errMapFault.
func guardFault(old bool, err *error) {
	debug.SetPanicOnFault(old)
	if r := recover(); r != nil {
		if _, fault := r.(interface{ Addr() uintptr }); !fault {
			panic(r)
		}
		*err = errMapFault
	}
}
