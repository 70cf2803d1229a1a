package index

import (
	"bytes"
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"unsafe"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/internal/codec"
)

// EncodeEntry encodes an index entry as a member value at nesting level 1,
// as encoding/json's indenting encoder does.
func EncodeEntry(e session.IndexEntry) ([]byte, error) {
	w := codec.NewListWriter(256, 1)
	codec.WriteEntry(w, &e)
	return w.Bytes(), nil
}

// Encode writes a whole index, ordered by session id.
func Encode(entries map[string]session.IndexEntry) ([]byte, error) {
	ids := make([]string, 0, len(entries))
	for id := range entries {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	if len(ids) == 0 {
		return []byte("{}\n"), nil
	}
	w := codec.NewWriter(400 * len(ids))
	w.Open('{')
	for _, id := range ids {
		e := entries[id]
		w.Key(id)
		codec.WriteEntry(w, &e)
	}
	w.Close('}')
	return append(w.Bytes(), '\n'), nil
}

// Apply makes changes to decoded entries (a nil entry removes one);
// given a project, entries of other projects are left out.
func Apply(entries map[string]session.IndexEntry, changes map[string]*session.IndexEntry, project string) {
	for id, e := range changes {
		if e == nil || project != "" && e.ProjectSlug != project {
			delete(entries, id)
		} else {
			entries[id] = *e
		}
	}
}

// SpliceAll applies several changes in one pass over the index: every
// member is copied as it is, replaced or left out, and new entries follow,
// joined the way the index is laid out.
func SpliceAll(data []byte, changes map[string]*session.IndexEntry) ([]byte, bool, error) {
	members, open, close, err := codec.ScanObject(data)
	if err != nil {
		return nil, false, err
	}
	last := make(map[string]int, len(changes)) // the member a decode keeps
	for i, m := range members {
		if _, ok := changes[m.Key]; ok {
			last[m.Key] = i
		}
	}
	out := make([]byte, 0, len(data)+512*len(changes))
	out = append(out, data[:open]...)
	out = append(out, '{')
	n, changed := 0, false
	put := func(member ...[]byte) {
		if n > 0 {
			out = append(out, ',')
		}
		out = append(out, "\n  "...)
		for _, b := range member {
			out = append(out, b...)
		}
		n++
	}
	for i, m := range members {
		e, ok := changes[m.Key]
		if !ok {
			put(data[m.Start:m.End])
			continue
		}
		if last[m.Key] != i || e == nil {
			changed = true // an earlier duplicate, or a removal
			continue
		}
		val, err := EncodeEntry(*e)
		if err != nil {
			return nil, false, err
		}
		changed = changed || !bytes.Equal(val, data[m.ValStart:m.ValEnd])
		put(data[m.Start:m.ValStart], val)
	}
	ids := make([]string, 0, len(changes))
	for id, e := range changes {
		if _, found := last[id]; !found && e != nil {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		val, err := EncodeEntry(*changes[id])
		if err != nil {
			return nil, false, err
		}
		key, _ := json.Marshal(id)
		put(key, []byte(": "), val)
		changed = true
	}
	if n > 0 {
		out = append(out, '\n')
	}
	out = append(out, '}')
	out = append(out, data[close+1:]...)
	return out, changed, nil
}

// A write changes one or two entries of an index of thousands. When the
// index is laid out as the tools write it (two-space indent, one member per
// line start, flat entries), the member of an id is found with one search
// for "\n  \"<id>\": ", which can only match at a line start: a newline
// inside a JSON string is escaped. QuickSplice does that and checks the
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

// QuickSplice returns the pieces of the index with changes applied (slices
// of data and new entries; a nil entry removes one), and whether anything
// changed. ok is false when the quick search cannot be trusted for this file
// or change — a duplicate key, a layout of another writer, a removal among
// other changes or of the only entry — and the caller must scan.
func QuickSplice(data []byte, changes map[string]*session.IndexEntry) (parts [][]byte, changed, ok bool, err error) {
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
		ve, err := codec.ScanValue(data, vs)
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
		val, err := EncodeEntry(*e)
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
	parts, err = applyEdits(data, end, edits, added, changes)
	return parts, err == nil, true, err
}

// applyEdits cuts data (whose last member ends at end) into the pieces of
// the new index: edits in place, then the added entries.
func applyEdits(data []byte, end int, edits []indexEdit, added []string, changes map[string]*session.IndexEntry) ([][]byte, error) {
	slices.SortFunc(edits, func(a, b indexEdit) int { return a.from - b.from })
	var parts [][]byte
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
		val, err := EncodeEntry(*changes[id])
		if err != nil {
			return nil, err
		}
		parts = append(parts, []byte(",\n  \""+id+"\": "), val)
	}
	return append(parts, data[end:]), nil
}

// DecodeWith decodes the entries whose field, project_slug or
// status, has value, into memory of their own: data may be a mapping about
// to be released. Entries whose bytes cannot hold the value are skipped
// undecoded, and unchecked: a full read finds a corrupt index and rebuilds
// it.
func DecodeWith(data []byte, field, value string) (map[string]session.IndexEntry, error) {
	if idx, ok := quickEntriesWith(data, field, value); ok {
		return idx, nil
	}
	needle := []byte(`"` + value + `"`)
	idx := make(map[string]session.IndexEntry)
	r := codec.NewReader(data, 0)
	ok := r.Object(nil, func(id string) bool {
		r.WS()
		if value != "" && r.Pos() < len(data) && data[r.Pos()] == '{' { // ("" is every missing field)
			if end, flat := codec.SkipFlatObject(data, r.Pos()); flat && !bytes.Contains(data[r.Pos():end], needle) {
				r.Seek(end)
				delete(idx, id) // a later duplicate wins
				return true
			}
		}
		var e session.IndexEntry
		if !r.Null() && !codec.ReadEntry(r, &e) {
			return false
		}
		if Has(e, field, value) {
			idx[strings.Clone(id)] = Clone(e)
		} else {
			delete(idx, id) // a later duplicate wins
		}
		return true
	})
	if ok && r.End() {
		return idx, nil
	}
	all, err := Decode(data)
	if err != nil {
		return nil, err
	}
	clear(idx)
	for id, e := range all {
		if Has(e, field, value) {
			idx[strings.Clone(id)] = Clone(e)
		}
	}
	return idx, nil
}

// Has tells whether the entry's field (project_slug or status) is value.
func Has(e session.IndexEntry, field, value string) bool {
	if field == "status" {
		return string(e.Status) == value
	}
	return e.ProjectSlug == value
}

// quickEntriesWith is DecodeWith for an index in the layout
// QuickSplice handles: it searches for the field with its value, at the
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
		if Has(e, field, value) {
			idx[id] = Clone(e)
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
	r := codec.NewReader(data, k+q+len(`": `))
	if !codec.ReadEntry(r, &e) {
		return e, "", 0, false
	}
	return e, id, r.Pos(), true
}

// Clone returns e with strings of its own, in one allocation; the common
// statuses are shared.
func Clone(e session.IndexEntry) session.IndexEntry {
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

// Decode decodes the index, through the fast reader when the file has
// the index's own shape, else through encoding/json, which also reports
// errors. The strings it returns may share memory with data.
func Decode(data []byte) (map[string]session.IndexEntry, error) {
	if idx, ok := DecodeFast(data); ok {
		return idx, nil
	}
	var idx map[string]session.IndexEntry
	if err := json.Unmarshal(data, &idx); err != nil {
		return nil, err
	}
	if idx == nil {
		return nil, codec.ErrSyntax
	}
	return idx, nil
}

func DecodeFast(data []byte) (map[string]session.IndexEntry, bool) {
	r := codec.NewReader(data, 0)
	idx := make(map[string]session.IndexEntry, len(data)/300) // an entry takes ~300 bytes
	// One entry to decode into, used again for each: the field table's
	// reader would make every entry a heap value of its own.
	e := new(session.IndexEntry)
	ok := r.Object(nil, func(id string) bool {
		*e = session.IndexEntry{} // a repeated key replaces the earlier entry, as in encoding/json
		if r.Null() {
			idx[id] = *e
			return true
		}
		ok := codec.ReadEntry(r, e)
		idx[id] = *e
		return ok
	})
	if !ok || !r.End() {
		return nil, false
	}
	return idx, true
}

// Member is one id of the index and its entry as written, from Members.
type Member struct {
	ID    string
	Entry []byte // the entry's JSON, as the index holds it
}

// Members lists the index's ids with their entries as written, without
// decoding them; a repeated key keeps its last entry, as Decode does. The
// ids and entries share memory with data. Each entry must be an object or
// null.
func Members(data []byte) ([]Member, error) {
	members, _, _, err := codec.ScanObject(data)
	if err != nil {
		return nil, err
	}
	out := make([]Member, 0, len(members))
	sorted := true // as the tools write it: then no key repeats
	for i, m := range members {
		v := data[m.ValStart:m.ValEnd]
		if v[0] != '{' && string(v) != "null" {
			return nil, codec.ErrSyntax
		}
		sorted = sorted && (i == 0 || members[i-1].Key < m.Key)
		out = append(out, Member{m.Key, v})
	}
	if sorted {
		return out, nil
	}
	at := make(map[string]int, len(out))
	n := 0
	for _, m := range out {
		if i, ok := at[m.ID]; ok {
			out[i].Entry = m.Entry
			continue
		}
		at[m.ID] = n
		out[n] = m
		n++
	}
	return out[:n], nil
}

// A Field is the start of a string field of an entry as the tools lay it
// out (`"key": "`), for Peek.
type Field []byte

// FieldOf is the Field of key.
func FieldOf(key string) Field { return Field(`"` + key + `": "`) }

// Peek finds a string field of an entry (a flat object) without decoding
// it; ok is false when it is not there as the tools lay it out, or its
// value holds an escape. (The field cannot match inside a string, where a
// quote is escaped.)
func Peek(entry []byte, f Field) (value []byte, ok bool) {
	return peekAt(entry, f, bytes.Index(entry, f))
}

// PeekLast is Peek of a field near the entry's end (the last heartbeat, as
// the tools write it), found from the end.
func PeekLast(entry []byte, f Field) (value []byte, ok bool) {
	// The last field first: the value's quotes from the end, and the key
	// before them.
	n := len(entry) - 1
	for n > 0 && (entry[n] == '}' || entry[n] == ' ' || entry[n] == '\n' || entry[n] == '\r' || entry[n] == '\t') {
		n--
	}
	if body := entry[:n+1]; n > 0 && body[n] == '"' {
		if q := bytes.LastIndexByte(body[:n], '"'); q >= 0 && bytes.HasSuffix(body[:q+1], f) {
			if v := body[q+1 : n]; bytes.IndexByte(v, '\\') < 0 {
				return v, true
			}
		}
	}
	return peekAt(entry, f, bytes.LastIndex(entry, f))
}

func peekAt(entry []byte, f Field, i int) (value []byte, ok bool) {
	if i < 0 {
		return nil, false
	}
	v := entry[i+len(f):]
	end := bytes.IndexByte(v, '"')
	if end < 0 || bytes.IndexByte(v[:end], '\\') >= 0 {
		return nil, false
	}
	return v[:end], true
}
