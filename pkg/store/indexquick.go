package store

import (
	"bytes"
	"slices"
	"strings"
	"unsafe"

	"github.com/sess-dev/sess/pkg/session"
)

// A write changes one or two entries of an index of thousands. When the
// index is laid out as the tools write it (two-space indent, one member per
// line start, flat entries), the member of an id is found with one search
// for "\n  \"<id>\": ", which can only match at a line start: a newline
// inside a JSON string is escaped. quickSplice does that and checks the
// layout around what it found; anything else goes to the full scan.

// indentedEnd tells whether the index is laid out as the tools write it, as
// far as its ends show: it opens with its first member at indent 2 and ends
// with the last entry's closing brace at indent 2. end is just past the
// last member.
func indentedEnd(data []byte) (end int, ok bool) {
	body := bytes.TrimRight(data, " \t\r\n")
	if !bytes.HasPrefix(body, []byte("{\n  \"")) || !bytes.HasSuffix(body, []byte("\n  }\n}")) {
		return 0, false
	}
	return len(body) - len("\n}"), true
}

// indexEdit replaces data[from:to] with val.
type indexEdit struct {
	from, to int
	val      []byte
}

// quickSplice returns the pieces of the index with changes applied (slices
// of data and new entries; a nil entry removes one), and whether anything
// changed. ok is false when the quick search cannot be trusted for this file
// or change — a duplicate key, a layout of another writer, a removal among
// other changes or of the only entry — and the caller must scan.
func quickSplice(data []byte, changes map[string]*session.IndexEntry) (parts [][]byte, changed, ok bool, err error) {
	end, laidOut := indentedEnd(data)
	if !laidOut {
		return nil, false, false, nil
	}
	var edits []indexEdit
	var added []string
	for id, e := range changes {
		if e == nil && len(changes) > 1 {
			return nil, false, false, nil // removals next to each other share a comma
		}
		if session.ValidateSessionID(id) != nil {
			return nil, false, false, nil // not a plain key
		}
		// One pass: the member, then no second one after it. (A key the
		// search cannot see, written some other way, is left alone: the
		// entry added for it comes later, and the later of two wins in
		// every decoder, this store's and Python's.)
		pat := []byte("\n  \"" + id + "\": ")
		n := bytes.Index(data, pat)
		if n < 0 {
			if e == nil {
				return nil, false, false, nil // absent, or written another way
			}
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
		if e == nil {
			// The member goes with the comma after it, or, if it is the
			// last, the comma before it; the only one leaves "{}" to the
			// full pass.
			switch {
			case ve < end:
				edits = append(edits, indexEdit{n, ve + 1, nil})
			case n > 1:
				edits = append(edits, indexEdit{n - 1, ve, nil})
			default:
				return nil, false, false, nil
			}
			continue
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
		parts = append(parts, data[at:ed.from])
		if ed.val != nil {
			parts = append(parts, ed.val)
		}
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

// decodeEntriesWith decodes the entries whose field, project_slug or
// status, has value, into memory of their own: data may be a mapping about
// to be released. Entries whose bytes cannot hold the value are skipped
// undecoded, and unchecked: a full read finds a corrupt index and rebuilds
// it.
func decodeEntriesWith(data []byte, field, value string) (map[string]session.IndexEntry, error) {
	if idx, ok := quickEntriesWith(data, field, value); ok {
		return idx, nil
	}
	needle := []byte(`"` + value + `"`)
	idx := make(map[string]session.IndexEntry)
	r := &jsonReader{data: data}
	ok := r.object(nil, func(id string) bool {
		r.ws()
		if value != "" && r.i < len(data) && data[r.i] == '{' { // ("" is every missing field)
			if end, flat := skipFlatObject(data, r.i); flat && !bytes.Contains(data[r.i:end], needle) {
				r.i = end
				delete(idx, id) // a later duplicate wins
				return true
			}
		}
		var e session.IndexEntry
		if !r.null() && !indexRecord.read(r, &e) {
			return false
		}
		if hasValue(e, field, value) {
			idx[strings.Clone(id)] = cloneEntry(e)
		} else {
			delete(idx, id) // a later duplicate wins
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
		if hasValue(e, field, value) {
			idx[strings.Clone(id)] = cloneEntry(e)
		}
	}
	return idx, nil
}

// hasValue tells whether the entry's field (project_slug or status) is value.
func hasValue(e session.IndexEntry, field, value string) bool {
	if field == "status" {
		return string(e.Status) == value
	}
	return e.ProjectSlug == value
}

// quickEntriesWith is decodeEntriesWith for an index in the layout
// quickSplice handles: it searches for the field with its value, at the
// indent of an entry's fields, and decodes only the entries around the hits
// (a tenth of the file for one project of ten). ok is false when anything
// does not fit that layout. (A key given twice is not looked for: no writer
// makes one, and a rebuild drops it.)
func quickEntriesWith(data []byte, field, value string) (idx map[string]session.IndexEntry, ok bool) {
	if _, laidOut := indentedEnd(data); !laidOut || session.ValidateSlug(value) != nil {
		return nil, false // (a status is a valid slug too)
	}
	// Every mention of the field's name is looked at: a key written any
	// other way than as an entry's field line (compact, by hand) would hide
	// its entry, so it sends the caller to the full decode.
	name := []byte(field + `"`)
	tail := []byte(`": "` + value + `"`)
	fieldStart := []byte("\n    \"")
	idx = make(map[string]session.IndexEntry, len(data)/3000) // a tenth of the entries
	// Entries before done are decoded.
	done := 0
	for at := 0; ; {
		n := bytes.Index(data[at:], name)
		if n < 0 {
			return idx, true
		}
		hit := at + n
		at = hit + len(name)
		if hit == 0 || data[hit-1] != '"' || !isKey(data, at) {
			continue // the end of a string value, not a key
		}
		if hit < done+len(fieldStart) || !bytes.Equal(data[hit-len(fieldStart):hit], fieldStart) || !bytes.HasPrefix(data[at-1:], []byte(`": `)) {
			return nil, false
		}
		if !bytes.HasPrefix(data[at-1:], tail) {
			continue // another value
		}
		e, id, end, ok := entryAround(data, done, hit)
		if !ok || end < at {
			return nil, false
		}
		if hasValue(e, field, value) {
			idx[id] = cloneEntry(e)
		}
		done, at = end, end
	}
}

// isKey reports whether the string that ends just before data[i] is a key:
// a colon follows it.
func isKey(data []byte, i int) bool {
	for ; i < len(data); i++ {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			continue
		case ':':
			return true
		}
		return false
	}
	return false
}

// entryAround decodes the laid-out entry whose field line is at hit, the
// first entry after done: its key line is the last one before hit.
func entryAround(data []byte, done, hit int) (e session.IndexEntry, id string, end int, ok bool) {
	keyStart := []byte("\n  \"")
	k := bytes.LastIndex(data[done:hit], keyStart)
	if k < 0 {
		return e, "", 0, false
	}
	k += done + len(keyStart)
	q := bytes.IndexByte(data[k:hit], '"')
	if q < 0 {
		return e, "", 0, false
	}
	id = string(data[k : k+q])
	if session.ValidateSessionID(id) != nil || !bytes.HasPrefix(data[k+q:], []byte(`": {`)) {
		return e, "", 0, false
	}
	r := &jsonReader{data: data, i: k + q + len(`": `)}
	if !indexRecord.read(r, &e) {
		return e, "", 0, false
	}
	return e, id, r.i, true
}

// cloneEntry returns e with strings of its own, in one allocation; the common
// statuses are shared.
func cloneEntry(e session.IndexEntry) session.IndexEntry {
	n := len(e.ProjectSlug) + len(e.Status) + len(e.Intent) + len(e.StartedAt) + len(e.LastHeartbeat)
	if e.EndedAt != nil {
		n += len(*e.EndedAt)
	}
	buf := make([]byte, 0, n)
	own := func(s string) string {
		if s == "" {
			return ""
		}
		start := len(buf)
		buf = append(buf, s...)
		return unsafe.String(&buf[start], len(s))
	}
	c := session.IndexEntry{
		ProjectSlug:   own(e.ProjectSlug),
		Intent:        own(e.Intent),
		StartedAt:     own(e.StartedAt),
		LastHeartbeat: own(e.LastHeartbeat),
	}
	switch e.Status {
	case session.StatusActive:
		c.Status = session.StatusActive
	case session.StatusParked:
		c.Status = session.StatusParked
	case session.StatusCompleted:
		c.Status = session.StatusCompleted
	default:
		c.Status = session.Status(own(string(e.Status)))
	}
	if e.EndedAt != nil {
		s := own(*e.EndedAt)
		c.EndedAt = &s
	}
	return c
}
