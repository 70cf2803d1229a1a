package store

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/sess-dev/sess/pkg/session"
)

// applyChanges is what a decoder must see after changes: the index decoded
// as raw values, with the changes made.
func applyChanges(t *testing.T, data []byte, changes map[string]*session.IndexEntry) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("index does not decode: %v", err)
	}
	for id, e := range changes {
		if e == nil {
			delete(m, id)
		} else {
			v, _ := json.Marshal(e)
			m[id] = v
		}
	}
	return m
}

// sameIndex compares decoded indexes value by value, whatever the layout.
func sameIndex(t *testing.T, want map[string]json.RawMessage, have []byte) bool {
	t.Helper()
	var h map[string]json.RawMessage
	if err := json.Unmarshal(have, &h); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, have)
	}
	wj, _ := json.Marshal(want)
	hj, _ := json.Marshal(h)
	return bytes.Equal(wj, hj)
}

func TestQuickSplice(t *testing.T) {
	t.Parallel()
	e := func(intent string) *session.IndexEntry {
		return &session.IndexEntry{ProjectSlug: "p", Status: session.StatusActive, Intent: intent, StartedAt: "s", LastHeartbeat: "h"}
	}
	const a, b, c, d = "sess_20260101T0000_aaaa", "sess_20260101T0000_bbbb", "sess_20260101T0000_cccc", "sess_20260101T0000_dddd"
	canonical, _ := encodeIndex(map[string]session.IndexEntry{a: *e("a"), b: *e("b\n  \"" + c + "\": {"), c: *e("c")})
	one, _ := encodeIndex(map[string]session.IndexEntry{a: *e("a")})
	compact, _ := json.Marshal(map[string]session.IndexEntry{a: *e("a")})
	pythonish := []byte("{\n  \"" + a + "\": {\n    \"intent\": \"a\"\n  },\n  \"" + b + "\": {\n    \"intent\": \"b\"\n  }\n}")
	dup := append(bytes.Clone(bytes.TrimSuffix(canonical, []byte("\n}\n"))), []byte(",\n  \""+a+"\": {\n    \"intent\": \"later\"\n  }\n}\n")...)
	withNull := []byte("{\n  \"" + a + "\": null,\n  \"" + b + "\": {\n    \"intent\": \"b\"\n  }\n}\n")

	tests := []struct {
		name    string
		data    []byte
		changes map[string]*session.IndexEntry
		ok      bool
	}{
		{"replace first", canonical, map[string]*session.IndexEntry{a: e("A")}, true},
		{"replace middle", canonical, map[string]*session.IndexEntry{b: e("B")}, true},
		{"replace last", canonical, map[string]*session.IndexEntry{c: e("C")}, true},
		{"add", canonical, map[string]*session.IndexEntry{d: e("D")}, true},
		{"replace and add", canonical, map[string]*session.IndexEntry{d: e("D"), a: e("A")}, true},
		{"replace two", canonical, map[string]*session.IndexEntry{c: e("C"), a: e("A")}, true},
		{"unchanged", canonical, map[string]*session.IndexEntry{b: e("b\n  \"" + c + "\": {")}, true},
		{"one entry", one, map[string]*session.IndexEntry{a: e("A"), d: e("D")}, true},
		{"python layout", pythonish, map[string]*session.IndexEntry{b: e("B"), c: e("C")}, true},
		{"remove first", canonical, map[string]*session.IndexEntry{a: nil}, true},
		{"remove middle", canonical, map[string]*session.IndexEntry{b: nil}, true},
		{"remove last", canonical, map[string]*session.IndexEntry{c: nil}, true},
		{"remove from python layout", pythonish, map[string]*session.IndexEntry{b: nil}, true},
		{"remove the only one", one, map[string]*session.IndexEntry{a: nil}, false},
		{"remove an absent one", canonical, map[string]*session.IndexEntry{d: nil}, false},
		{"remove among others", canonical, map[string]*session.IndexEntry{a: nil, b: e("B")}, false},
		{"duplicate key", dup, map[string]*session.IndexEntry{a: e("A")}, false},
		{"compact", compact, map[string]*session.IndexEntry{a: e("A")}, false},
		{"empty", []byte("{}\n"), map[string]*session.IndexEntry{a: e("A")}, false},
		{"null entry", withNull, map[string]*session.IndexEntry{a: e("A")}, false},
		{"not an id", canonical, map[string]*session.IndexEntry{"x\"y": e("A")}, false},
	}
	for _, tt := range tests {
		parts, changed, ok, err := quickSplice(tt.data, tt.changes)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if ok != tt.ok {
			t.Errorf("%s: ok = %v, want %v", tt.name, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		want, _, err := spliceAll(tt.data, tt.changes)
		if err != nil {
			t.Fatal(err)
		}
		if !changed {
			if !bytes.Equal(want, tt.data) {
				t.Errorf("%s: reported unchanged, but the change makes\n%s", tt.name, want)
			}
			continue
		}
		have := bytes.Join(parts, nil)
		// On the layout this store writes, the bytes are exactly what the
		// full pass writes; on any layout, the data is.
		if !bytes.Equal(have, want) && (bytes.Equal(tt.data, canonical) || !sameIndex(t, applyChanges(t, tt.data, tt.changes), have)) {
			t.Errorf("%s:\nwant\n%s\nhave\n%s", tt.name, want, have)
		}
	}
}

// FuzzQuickSplice: whenever the quick splice takes a valid index, decoders
// see exactly the change, and every other entry as it was.
func FuzzQuickSplice(f *testing.F) {
	f.Add([]byte("{\n  \"sess_20260101T0000_aaaa\": {\n    \"intent\": \"a\"\n  }\n}\n"), "sess_20260101T0000_aaaa", "sess_20260101T0000_bbbb")
	f.Add([]byte("{\n  \"sess_20260101T0000_aaaa\": {\n    \"x\": \"\\n  \\\"sess_20260101T0000_bbbb\\\": {\"\n  },\n  \"sess_20260101T0000_bbbb\": {\n    \"intent\": \"b\"\n  }\n}"), "sess_20260101T0000_bbbb", "sess_20260101T0000_aaaa")
	f.Add([]byte("{\n  \"sess_20260101T0000_aaaa\": {\n    \"intent\": \"a\"\n  },\n  \"sess_20260101T0000_bbbb\": {\n    \"intent\": \"b\"\n  }\n}"), "sess_20260101T0000_bbbb", "sess_20260101T0000_bbbb")
	f.Fuzz(func(t *testing.T, data []byte, id1, id2 string) {
		var before map[string]json.RawMessage
		if json.Unmarshal(data, &before) != nil || before == nil || !utf8.ValidString(id1) || !utf8.ValidString(id2) {
			return
		}
		changes := map[string]*session.IndexEntry{id1: {Intent: "one"}, id2: {Intent: "two", Status: session.StatusParked}}
		if id1 == id2 {
			changes[id1] = nil // a removal
		}
		parts, changed, ok, err := quickSplice(data, changes)
		if !ok || err != nil {
			return
		}
		want := applyChanges(t, data, changes)
		have := data
		if changed {
			have = bytes.Join(parts, nil)
		}
		if !sameIndex(t, want, have) {
			t.Fatalf("quick splice of %q with %v:\n%s", data, changes, have)
		}
	})
}

// FuzzDecodeEntriesWith: one project's entries, or one status's, are what a
// full decode gives for it, and share no memory with the bytes. (Entries it skips are
// not checked, so it may take an index a full decode refuses.)
func FuzzDecodeEntriesWith(f *testing.F) {
	f.Add([]byte(`{"a": {"project_slug": "p", "intent": "x"}, "b": {"project_slug": "q"}, "a": {"project_slug": "q"}}`), "p")
	f.Add([]byte(`{"a": {"project_slug": "p", "intent": "\"p\""}, "b": null}`), "p")
	canonical, _ := encodeIndex(map[string]session.IndexEntry{
		"sess_20260101T0000_aaaa": {ProjectSlug: "p", Status: session.StatusActive, Intent: `"project_slug": "p"`},
		"sess_20260101T0000_bbbb": {ProjectSlug: "q", Status: session.StatusParked, EndedAt: strp("e")},
		"sess_20260101T0000_cccc": {ProjectSlug: "p", Status: "odd", Intent: "é\n  \"x"},
	})
	f.Add(canonical, "p")
	f.Add(canonical, "active")
	f.Fuzz(func(t *testing.T, data []byte, value string) {
		all, err := decodeIndex(data)
		if err != nil {
			return
		}
		if members, _, _, err := scanObject(data); err == nil {
			seen := map[string]bool{}
			for _, m := range members {
				if seen[m.key] {
					return // a key given twice: see quickEntriesWith
				}
				seen[m.key] = true
			}
		}
		canonical, err := encodeIndex(all)
		if err != nil {
			t.Fatal(err)
		}
		for _, field := range []string{"project_slug", "status"} {
			want := map[string]session.IndexEntry{}
			for id, e := range all {
				if hasValue(e, field, value) {
					want[id] = e
				}
			}
			for _, in := range [][]byte{data, canonical} {
				buf := bytes.Clone(in)
				have, err := decodeEntriesWith(buf, field, value)
				if err != nil {
					t.Fatal(err)
				}
				for i := range buf {
					buf[i] = 'X' // nothing returned may change with the bytes
				}
				if !reflect.DeepEqual(want, have) {
					t.Fatalf("%s %q in %q:\nwant %v\nhave %v", field, value, in, want, have)
				}
			}
		}
	})
}
