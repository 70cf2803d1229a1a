package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"unsafe"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/internal/disk"
)

// The index, sessions/_index.json, maps every session id outside the archive
// to an session.IndexEntry. Queries decode it to choose which session files to read.
// Writers change one entry without decoding the rest: a byte scan finds the
// entry's span and the new entry is spliced in, so a write costs a read and a
// write of the file rather than a decode and encode of every entry.

// member is one key/value pair of a JSON object, by byte offsets into it.
type member struct {
	key              string
	start, end       int // the member: from the key's opening quote to the value's end
	valStart, valEnd int
}

var errIndexSyntax = errors.New("index is not a JSON object")

// scanObject lists the members of the JSON object in data. It checks the
// structure (strings, nesting, separators), not the values' literals; a
// full decode does that.
func scanObject(data []byte) (members []member, open, close int, err error) {
	i := skipWS(data, 0)
	if i >= len(data) || data[i] != '{' {
		return nil, 0, 0, errIndexSyntax
	}
	open = i
	members = make([]member, 0, len(data)/256)
	i = skipWS(data, i+1)
	if i < len(data) && data[i] == '}' {
		if skipWS(data, i+1) != len(data) {
			return nil, 0, 0, errIndexSyntax
		}
		return nil, open, i, nil
	}
	for {
		if i >= len(data) || data[i] != '"' {
			return nil, 0, 0, errIndexSyntax
		}
		ks := i
		ke, err := scanString(data, i)
		if err != nil {
			return nil, 0, 0, err
		}
		var key string
		if raw := data[ks+1 : ke-1]; len(raw) > 0 && bytes.IndexByte(raw, '\\') < 0 {
			key = unsafe.String(&raw[0], len(raw)) // data is never written to
		} else if err := json.Unmarshal(data[ks:ke], &key); err != nil {
			return nil, 0, 0, errIndexSyntax
		}
		i = skipWS(data, ke)
		if i >= len(data) || data[i] != ':' {
			return nil, 0, 0, errIndexSyntax
		}
		vs := skipWS(data, i+1)
		ve, err := scanValue(data, vs)
		if err != nil {
			return nil, 0, 0, err
		}
		members = append(members, member{key: key, start: ks, end: ve, valStart: vs, valEnd: ve})
		i = skipWS(data, ve)
		if i >= len(data) {
			return nil, 0, 0, errIndexSyntax
		}
		if data[i] == '}' {
			if skipWS(data, i+1) != len(data) {
				return nil, 0, 0, errIndexSyntax
			}
			return members, open, i, nil
		}
		if data[i] != ',' {
			return nil, 0, 0, errIndexSyntax
		}
		i = skipWS(data, i+1)
	}
}

func skipWS(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\n' || data[i] == '\t' || data[i] == '\r') {
		i++
	}
	return i
}

// scanString returns the offset just past the string starting at data[i].
// It jumps from quote to quote; a quote after an odd run of backslashes is
// escaped. (Control characters inside are left for the decoders to refuse.)
func scanString(data []byte, i int) (int, error) {
	j := i + 1
	for {
		n := bytes.IndexByte(data[j:], '"')
		if n < 0 {
			return 0, errIndexSyntax
		}
		q := j + n
		bs := 0
		for k := q - 1; k > i && data[k] == '\\'; k-- {
			bs++
		}
		if bs%2 == 0 {
			return q + 1, nil
		}
		j = q + 1
	}
}

// skipFlatObject skips an object that holds no object, list or escape, the
// shape of every index entry, with a few passes of fast byte searches: the
// first '}' ends it if the quotes before it pair up.
func skipFlatObject(data []byte, i int) (int, bool) {
	n := bytes.IndexByte(data[i+1:], '}')
	if n < 0 {
		return 0, false
	}
	seg := data[i+1 : i+1+n]
	if bytes.IndexByte(seg, '\\') >= 0 || bytes.IndexByte(seg, '{') >= 0 || bytes.IndexByte(seg, '[') >= 0 || bytes.Count(seg, []byte{'"'})%2 != 0 {
		return 0, false
	}
	return i + n + 2, true
}

// structural marks the bytes scanValue stops at.
var structural = [256]bool{'"': true, '{': true, '}': true, '[': true, ']': true}

// scanValue returns the offset just past the value starting at data[i].
func scanValue(data []byte, i int) (int, error) {
	if i >= len(data) {
		return 0, errIndexSyntax
	}
	switch data[i] {
	case '"':
		return scanString(data, i)
	case '{', '[':
		if data[i] == '{' {
			if end, ok := skipFlatObject(data, i); ok {
				return end, nil
			}
		}
		var stack []byte
		for j := i; j < len(data); j++ {
			// Most bytes of an index are inside strings or white space;
			// skip to the next one that matters.
			for j < len(data) && !structural[data[j]] {
				j++
			}
			if j >= len(data) {
				break
			}
			switch c := data[j]; c {
			case '"':
				e, err := scanString(data, j)
				if err != nil {
					return 0, err
				}
				j = e - 1
			case '{', '[':
				stack = append(stack, c)
			case '}', ']':
				if len(stack) == 0 || (c == '}') != (stack[len(stack)-1] == '{') {
					return 0, errIndexSyntax
				}
				stack = stack[:len(stack)-1]
				if len(stack) == 0 {
					return j + 1, nil
				}
			}
		}
		return 0, errIndexSyntax
	default:
		j := i
		for j < len(data) && strings.IndexByte(",}] \n\t\r", data[j]) < 0 {
			j++
		}
		if j == i {
			return 0, errIndexSyntax
		}
		return j, nil
	}
}

// encodeEntry encodes an index entry as a member value at nesting level 1,
// as encoding/json's indenting encoder does.
func encodeEntry(e session.IndexEntry) ([]byte, error) {
	w := &jsonWriter{b: make([]byte, 0, 256)}
	w.entry(e)
	return w.b, nil
}

// entry writes an index entry as the value of a member of the index.
func (w *jsonWriter) entry(e session.IndexEntry) {
	if len(w.counts) == 0 {
		w.counts = []int{1}
		defer func() { w.counts = w.counts[:0] }()
	}
	indexRecord.write(w, &e)
}

// encodeIndex writes a whole index, ordered by session id.
func encodeIndex(entries map[string]session.IndexEntry) ([]byte, error) {
	ids := make([]string, 0, len(entries))
	for id := range entries {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	if len(ids) == 0 {
		return []byte("{}\n"), nil
	}
	w := &jsonWriter{b: make([]byte, 0, 400*len(ids))}
	w.open('{')
	for _, id := range ids {
		w.key(id)
		w.entry(entries[id])
	}
	w.close('}')
	return append(w.b, '\n'), nil
}

// setIndexEntries updates the index alone (a nil entry removes one): the
// repairs of entries that no longer match their files.
func (s *Store) setIndexEntries(changes map[string]*session.IndexEntry) error {
	return s.withLocks(func(h *held) error { return s.apply(h, changeSet{index: changes}) })
}

// applyIndexChanges makes changes to decoded entries (a nil entry removes one);
// given a project, entries of other projects are left out.
func applyIndexChanges(entries map[string]session.IndexEntry, changes map[string]*session.IndexEntry, project string) {
	for id, e := range changes {
		if e == nil || project != "" && e.ProjectSlug != project {
			delete(entries, id)
		} else {
			entries[id] = *e
		}
	}
}

// spliceAll applies several changes in one pass over the index: every
// member is copied as it is, replaced or left out, and new entries follow,
// joined the way the index is laid out.
func spliceAll(data []byte, changes map[string]*session.IndexEntry) ([]byte, bool, error) {
	members, open, close, err := scanObject(data)
	if err != nil {
		return nil, false, err
	}
	last := make(map[string]int, len(changes)) // the member a decode keeps
	for i, m := range members {
		if _, ok := changes[m.key]; ok {
			last[m.key] = i
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
		e, ok := changes[m.key]
		if !ok {
			put(data[m.start:m.end])
			continue
		}
		if last[m.key] != i || e == nil {
			changed = true // an earlier duplicate, or a removal
			continue
		}
		val, err := encodeEntry(*e)
		if err != nil {
			return nil, false, err
		}
		changed = changed || !bytes.Equal(val, data[m.valStart:m.valEnd])
		put(data[m.start:m.valStart], val)
	}
	ids := make([]string, 0, len(changes))
	for id, e := range changes {
		if _, found := last[id]; !found && e != nil {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		val, err := encodeEntry(*changes[id])
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

// writeIndex writes a whole index; the caller holds the index lock.
func (s *Store) writeIndex(entries map[string]session.IndexEntry) error {
	data, err := encodeIndex(entries)
	if err != nil {
		return err
	}
	if err := s.ensureDirs(); err != nil {
		return err
	}
	var t disk.Txn
	if err := s.stageIndex(&t, -1, data); err != nil {
		return err
	}
	_, err = t.Commit()
	return err
}

// scanSessionFiles reads every session file outside the archive into index
// entries, skipping (with a warning) any it cannot use.
func (s *Store) scanSessionFiles() (map[string]session.IndexEntry, error) {
	entries := make(map[string]session.IndexEntry)
	names, err := readDirNames(s.sessionsDir())
	if err != nil {
		if isNotExist(err) {
			return entries, nil
		}
		return nil, fmt.Errorf("read sessions folder: %w", err)
	}
	var ids []string
	for _, n := range names {
		id, ok := strings.CutSuffix(n, ".json")
		if ok && session.ValidateSessionID(id) == nil {
			ids = append(ids, id)
		}
	}
	// Only the entries are kept: each core reads into a buffer of its own,
	// used again for the next file, and copies the entry out.
	found := make([]*session.IndexEntry, len(ids))
	buffers := sync.Pool{New: func() any { return new([]byte) }}
	parallel(len(ids), func(i int) {
		buf := buffers.Get().(*[]byte)
		defer buffers.Put(buf)
		path := s.sessionPath(ids[i])
		data, err := readFileInto(path, *buf)
		if err == nil {
			*buf = data
			var sess *session.Session
			if sess, err = decodeSessionFile(path, data); err == nil {
				e := cloneEntry(sess.Entry())
				found[i] = &e
			}
		}
		if err != nil && !isNotExist(err) {
			s.warnf("skipping session file %v", err)
		}
	})
	for i, e := range found {
		if e != nil {
			entries[ids[i]] = *e
		}
	}
	return entries, nil
}

// RebuildIndex rewrites the index from the session files and returns the
// number of entries.
func (s *Store) RebuildIndex() (int, error) {
	s.mend()
	n := 0
	err := s.withLocks(func(h *held) error {
		if err := h.take(kindIndex, ""); err != nil {
			return err
		}
		entries, err := s.scanSessionFiles()
		if err != nil {
			return err
		}
		n = len(entries)
		return s.writeIndex(entries)
	})
	return n, err
}

// loadIndex decodes the index for a query. A missing index is built from the
// session files; a corrupt one is rebuilt, with a warning.
func (s *Store) loadIndex() (map[string]session.IndexEntry, error) {
	data, err := disk.ReadFile(s.indexPath(), MaxIndexSize)
	if err == nil {
		var entries map[string]session.IndexEntry
		if entries, err = decodeIndex(data); err == nil {
			return entries, nil
		}
		s.warnf("session index is corrupt (%v); rebuilding it from the session files", err)
	} else if !isNotExist(err) {
		s.warnf("session index is unreadable (%v); rebuilding it from the session files", err)
	} else if !exists(s.sessionsDir()) {
		return map[string]session.IndexEntry{}, nil
	}
	if s.readOnly {
		return s.scanSessionFiles()
	}
	var entries map[string]session.IndexEntry
	locked := false
	err = s.withLocks(func(h *held) error {
		if err := h.take(kindIndex, ""); err != nil {
			return err
		}
		locked = true
		var err error
		if entries, err = s.scanSessionFiles(); err != nil {
			return err
		}
		if werr := s.writeIndex(entries); werr != nil {
			s.warnf("could not write the rebuilt index: %v", werr)
		}
		return nil
	})
	if !locked {
		// A store we cannot write: answer from the files.
		return s.scanSessionFiles()
	}
	return entries, err
}

// syncIndexEntry sets the index entry of id from its file (removing it when
// the file is gone or archived) and returns the session's project slug.
func (s *Store) syncIndexEntry(id string) (string, error) {
	sess, err := s.readSessionFile(s.sessionPath(id))
	switch {
	case err == nil:
		e := sess.Entry()
		return sess.ProjectSlug, s.setIndexEntries(map[string]*session.IndexEntry{id: &e})
	case isNotExist(err):
		slug := ""
		if a, aerr := s.readSessionFile(s.archivedPath(id)); aerr == nil {
			slug = a.ProjectSlug
		}
		return slug, s.setIndexEntries(map[string]*session.IndexEntry{id: nil})
	default:
		return "", err
	}
}
