package index

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/internal/codec"
)

func decodeIndexT(t *testing.T, data []byte) map[string]session.IndexEntry {
	t.Helper()
	var m map[string]session.IndexEntry
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("index does not decode: %v\n%s", err, data)
	}
	return m
}

// spliceIndex is spliceAll of one change.
func spliceIndex(data []byte, id string, entry *session.IndexEntry) ([]byte, bool, error) {
	return SpliceAll(data, map[string]*session.IndexEntry{id: entry})
}

func TestSpliceIndex(t *testing.T) {
	t.Parallel()
	e := func(intent string) session.IndexEntry {
		return session.IndexEntry{ProjectSlug: "p", Status: session.StatusActive, Intent: intent, StartedAt: "s", LastHeartbeat: "h"}
	}
	base := map[string]session.IndexEntry{"sess_20260101T0000_aaaa": e("a"), "sess_20260101T0000_bbbb": e("b"), "sess_20260101T0000_cccc": e("c")}
	canonical, err := Encode(base)
	if err != nil {
		t.Fatal(err)
	}
	compact, _ := json.Marshal(base)
	pythonish := []byte("{\n  \"sess_20260101T0000_aaaa\": {\"project_slug\": \"p\", \"status\": \"active\", \"intent\": \"a\", \"started_at\": \"s\", \"ended_at\": null, \"last_heartbeat\": \"h\"},\n  \"sess_20260101T0000_bbbb\": {\"project_slug\": \"p\", \"status\": \"active\", \"intent\": \"b \\\"q\\\" \\u00e9 }{\", \"started_at\": \"s\", \"ended_at\": null, \"last_heartbeat\": \"h\"},\n  \"sess_20260101T0000_cccc\": {\"project_slug\": \"p\", \"status\": \"active\", \"intent\": \"c\", \"started_at\": \"s\", \"ended_at\": null, \"last_heartbeat\": \"h\"}\n}")
	for name, data := range map[string][]byte{"canonical": canonical, "compact": compact, "python": pythonish, "empty": []byte("{}"), "empty-ws": []byte(" {\n}\n")} {
		for _, id := range []string{"sess_20260101T0000_aaaa", "sess_20260101T0000_bbbb", "sess_20260101T0000_cccc", "sess_20260101T0000_dddd"} {
			want := decodeIndexT(t, data)
			// Set.
			ne := e("new <&> \"x\"")
			out, _, err := spliceIndex(data, id, &ne)
			if err != nil {
				t.Fatalf("%s: set %s: %v", name, id, err)
			}
			want[id] = ne
			if have := decodeIndexT(t, out); !reflect.DeepEqual(want, have) {
				t.Errorf("%s: set %s: want %v, have %v", name, id, want, have)
			}
			// Remove.
			out, _, err = spliceIndex(out, id, nil)
			if err != nil {
				t.Fatalf("%s: remove %s: %v", name, id, err)
			}
			delete(want, id)
			if have := decodeIndexT(t, out); !reflect.DeepEqual(want, have) {
				t.Errorf("%s: remove %s: want %v, have %v\n%s", name, id, want, have, out)
			}
		}
	}
	// Unchanged entries are not rewritten.
	ea := e("a")
	if _, changed, _ := spliceIndex(canonical, "sess_20260101T0000_aaaa", &ea); changed {
		t.Error("setting an equal entry must report no change")
	}
}

func TestSpliceIndexCanonical(t *testing.T) {
	t.Parallel()
	// Adding to an index written by encodeIndex keeps its exact layout.
	a := session.IndexEntry{ProjectSlug: "p", Status: session.StatusActive, Intent: "a"}
	b := session.IndexEntry{ProjectSlug: "p", Status: session.StatusParked, Intent: "b", EndedAt: strp("x")}
	one, _ := Encode(map[string]session.IndexEntry{"sess_20260101T0000_aaaa": a})
	two, _ := Encode(map[string]session.IndexEntry{"sess_20260101T0000_aaaa": a, "sess_20260101T0000_bbbb": b})
	out, _, err := spliceIndex(one, "sess_20260101T0000_bbbb", &b)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != string(two) {
		t.Errorf("want\n%s\nhave\n%s", two, out)
	}
}

// FuzzSpliceIndex checks that a splice of anything scanObject accepts either
// fails or yields an object in which exactly the spliced key changed.
func FuzzSpliceIndex(f *testing.F) {
	f.Add([]byte(`{"sess_20260101T0000_aaaa": {"status": "active"}, "x": [1, {"y": "}"}]}`), "sess_20260101T0000_aaaa", true)
	f.Add([]byte(`{}`), "k", false)
	f.Fuzz(func(t *testing.T, data []byte, key string, remove bool) {
		var before map[string]json.RawMessage
		if json.Unmarshal(data, &before) != nil || before == nil || !utf8.ValidString(key) {
			return
		}
		var entry *session.IndexEntry
		if !remove {
			entry = &session.IndexEntry{Intent: "new"}
		}
		out, _, err := spliceIndex(data, key, entry)
		if err != nil {
			return
		}
		var after map[string]json.RawMessage
		if err := json.Unmarshal(out, &after); err != nil {
			t.Fatalf("splice of %q made invalid JSON: %v\n%s", data, err, out)
		}
		if remove {
			if _, ok := after[key]; ok {
				t.Fatalf("key %q still there", key)
			}
		} else if _, ok := after[key]; !ok {
			t.Fatalf("key %q missing", key)
		}
		for k, v := range before {
			if k == key {
				continue
			}
			if w, ok := after[k]; !ok || string(w) != string(v) {
				t.Fatalf("key %q changed: %s -> %s", k, v, w)
			}
		}
		_, had := before[key]
		want := len(before)
		if remove && had {
			want--
		}
		if !remove && !had {
			want++
		}
		if len(after) != want {
			t.Fatalf("size %d -> %d, want %d", len(before), len(after), want)
		}
	})
}

// FuzzDecodeIndex: the fast path decodes exactly what encoding/json does,
// and gives up on everything encoding/json would refuse.
func FuzzDecodeIndex(f *testing.F) {
	f.Add([]byte(`{"sess_20260101T0000_aaaa": {"project_slug": "p", "status": "active", "intent": "a \"q\" é \u00e9", "started_at": "s", "ended_at": null, "last_heartbeat": "h"}}`))
	f.Add([]byte(" {}\n"))
	f.Add([]byte(`{"a": {"ended_at": "x", "other": "y"}, "a": {}}`))
	f.Add([]byte(`{"a": {"intent": "\xff"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fast, ok := DecodeFast(data)
		if !ok {
			return
		}
		var slow map[string]session.IndexEntry
		if err := json.Unmarshal(data, &slow); err != nil {
			t.Fatalf("fast path accepted what encoding/json refuses (%v): %q", err, data)
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("fast %v != slow %v for %q", fast, slow, data)
		}
	})
}

// TestSpliceAll: several changes in one pass give what the changes one by
// one give, as decoded data.
func TestSpliceAll(t *testing.T) {
	t.Parallel()
	e := func(intent string) *session.IndexEntry {
		return &session.IndexEntry{ProjectSlug: "p", Status: session.StatusActive, Intent: intent}
	}
	base := map[string]session.IndexEntry{"sess_20260101T0000_aaaa": *e("a"), "sess_20260101T0000_bbbb": *e("b"), "sess_20260101T0000_cccc": *e("c")}
	canonical, _ := Encode(base)
	compact, _ := json.Marshal(base)
	for name, data := range map[string][]byte{"canonical": canonical, "compact": compact, "empty": []byte("{}\n"), "dup": []byte(`{"sess_20260101T0000_aaaa": {"intent": "old"}, "x": 1, "sess_20260101T0000_aaaa": {"intent": "a"}}`)} {
		for _, changes := range []map[string]*session.IndexEntry{
			{"sess_20260101T0000_aaaa": e("A"), "sess_20260101T0000_dddd": e("D")},
			{"sess_20260101T0000_aaaa": nil, "sess_20260101T0000_cccc": nil},
			{"sess_20260101T0000_bbbb": nil, "sess_20260101T0000_eeee": e("E"), "sess_20260101T0000_cccc": e("C")},
			{"sess_20260101T0000_aaaa": nil, "sess_20260101T0000_bbbb": nil, "sess_20260101T0000_cccc": nil},
		} {
			var w, h map[string]json.RawMessage
			json.Unmarshal(data, &w)
			for id, c := range changes {
				if c == nil {
					delete(w, id)
				} else {
					v, _ := json.Marshal(c)
					w[id] = v
				}
			}
			have, _, err := SpliceAll(data, changes)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if err := json.Unmarshal(have, &h); err != nil {
				t.Fatalf("%s: invalid JSON: %v\n%s", name, err, have)
			}
			wj, _ := json.Marshal(w)
			hj, _ := json.Marshal(h)
			if string(wj) != string(hj) {
				t.Errorf("%s %v:\nwant %s\nhave %s", name, changes, wj, hj)
			}
		}
	}
}

// FuzzEncodeEntry: an index entry is written as encoding/json's indenting
// encoder writes it at nesting level 1.
func FuzzEncodeEntry(f *testing.F) {
	f.Add("p", "active", "fix <b> & \"q\" \u2028 é \x00", "s", "e", "h", true)
	f.Fuzz(func(t *testing.T, slug, status, intent, started, ended, hb string, hasEnd bool) {
		e := session.IndexEntry{ProjectSlug: slug, Status: session.Status(status), Intent: intent, StartedAt: started, LastHeartbeat: hb}
		if hasEnd {
			e.EndedAt = &ended
		}
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.SetIndent("  ", "  ")
		if err := enc.Encode(e); err != nil {
			t.Fatal(err)
		}
		want := bytes.TrimRight(b.Bytes(), "\n")
		have, _ := EncodeEntry(e)
		if !bytes.Equal(have, want) {
			t.Fatalf("have %s\nwant %s", have, want)
		}
	})
}

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
	canonical, _ := Encode(map[string]session.IndexEntry{a: *e("a"), b: *e("b\n  \"" + c + "\": {"), c: *e("c")})
	one, _ := Encode(map[string]session.IndexEntry{a: *e("a")})
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
		parts, changed, ok, err := QuickSplice(tt.data, tt.changes)
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
		want, _, err := SpliceAll(tt.data, tt.changes)
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
		parts, changed, ok, err := QuickSplice(data, changes)
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
	canonical, _ := Encode(map[string]session.IndexEntry{
		"sess_20260101T0000_aaaa": {ProjectSlug: "p", Status: session.StatusActive, Intent: `"project_slug": "p"`},
		"sess_20260101T0000_bbbb": {ProjectSlug: "q", Status: session.StatusParked, EndedAt: strp("e")},
		"sess_20260101T0000_cccc": {ProjectSlug: "p", Status: "odd", Intent: "é\n  \"x"},
	})
	f.Add(canonical, "p")
	f.Add(canonical, "active")
	f.Fuzz(func(t *testing.T, data []byte, value string) {
		all, err := Decode(data)
		if err != nil {
			return
		}
		if members, _, _, err := codec.ScanObject(data); err == nil {
			seen := map[string]bool{}
			for _, m := range members {
				if seen[m.Key] {
					return // a key given twice: see quickEntriesWith
				}
				seen[m.Key] = true
			}
		}
		canonical, err := Encode(all)
		if err != nil {
			t.Fatal(err)
		}
		for _, field := range []string{"project_slug", "status"} {
			want := map[string]session.IndexEntry{}
			for id, e := range all {
				if Has(e, field, value) {
					want[id] = e
				}
			}
			for _, in := range [][]byte{data, canonical} {
				buf := bytes.Clone(in)
				have, err := DecodeWith(buf, field, value)
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

func strp(s string) *string { return &s }

// FuzzMembers: whatever Decode takes, Members lists its ids once each,
// with the entry Decode keeps (the last of a repeated key). (Not in
// invalid UTF-8, whose keys Decode changes: no session id is.)
func FuzzMembers(f *testing.F) {
	f.Add([]byte(`{"sess_20260101T0000_aaaa": {"project_slug": "p", "status": "active"}, "b": null}`))
	f.Add([]byte(`{"b": {"intent": "1"}, "a": {}, "b": {"intent": "2"}}`))
	f.Add([]byte(`{"a\u0062": {}, "ab": {"intent": "x"}}`))
	f.Add([]byte(" {}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		want, err := Decode(data)
		if err != nil || !utf8.Valid(data) {
			return
		}
		members, err := Members(data)
		if err != nil {
			return // an entry that is not an object: the caller decodes
		}
		if len(members) != len(want) {
			t.Fatalf("%d members, %d entries: %q", len(members), len(want), data)
		}
		for _, m := range members {
			e, ok := want[m.ID]
			if !ok {
				t.Fatalf("member %q is no entry of %q", m.ID, data)
			}
			var have session.IndexEntry
			if string(m.Entry) != "null" {
				if err := json.Unmarshal(m.Entry, &have); err != nil {
					t.Fatalf("member %q: %v", m.ID, err)
				}
			}
			if have != e {
				t.Fatalf("member %q: entry %s, decoded %+v", m.ID, m.Entry, e)
			}
		}
	})
}

// TestPeek: a field is found where the tools write it, first or last, and
// never inside another field's text; one written otherwise is not found.
func TestPeek(t *testing.T) {
	hb := FieldOf("last_heartbeat")
	for _, tc := range []struct {
		entry, want string
		ok          bool
	}{
		{"{\n    \"status\": \"active\",\n    \"last_heartbeat\": \"2026-12-01T10:00:00+00:00\"\n  }", "2026-12-01T10:00:00+00:00", true},
		{`{"last_heartbeat": "h1", "status": "x"}`, "h1", true},                              // not last
		{`{"intent": "say \"last_heartbeat\": \"no\"", "last_heartbeat": "h2"}`, "h2", true}, // in a text first
		{`{"last_heartbeat": "h3", "intent": "\"last_heartbeat\": \"no\""}`, "h3", true},     // in a text last
		{`{"intent": "a", "last_heartbeat": "h\u0034"}`, "", false},                          // an escape
		{`{"intent": "\"last_heartbeat\": \"no\""}`, "", false},                              // only in a text
		{`{"last_heartbeat":"h5"}`, "", false},                                               // laid out otherwise
		{`{"last_heartbeat": null}`, "", false},
	} {
		for name, peek := range map[string]func([]byte, Field) ([]byte, bool){"Peek": Peek, "PeekLast": PeekLast} {
			v, ok := peek([]byte(tc.entry), hb)
			if ok != tc.ok || string(v) != tc.want {
				t.Errorf("%s(%s): want %q %v, have %q %v", name, tc.entry, tc.want, tc.ok, v, ok)
			}
		}
	}
}

// FuzzPeek: what Peek and PeekLast find of a field of a flat object (an
// entry's kind) without repeated keys is its value.
func FuzzPeek(f *testing.F) {
	f.Add([]byte(`{"status": "active", "last_heartbeat": "h"}`))
	f.Add([]byte(`{"intent": "\"status\": \"x\"", "status": "y"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var obj map[string]json.RawMessage
		if json.Unmarshal(data, &obj) != nil || !utf8.Valid(data) {
			return
		}
		members, _, _, err := codec.ScanObject(data)
		if err != nil || len(members) != len(obj) {
			return // a repeated key
		}
		for _, v := range obj {
			if v[0] == '{' || v[0] == '[' {
				return // not flat
			}
		}
		for _, key := range []string{"status", "last_heartbeat"} {
			var want string
			isString := json.Unmarshal(obj[key], &want) == nil && obj[key] != nil
			for name, peek := range map[string]func([]byte, Field) ([]byte, bool){"Peek": Peek, "PeekLast": PeekLast} {
				if v, ok := peek(data, FieldOf(key)); ok && (!isString || string(v) != want) {
					t.Fatalf("%s %s of %q: %q, the value is %s", name, key, data, v, obj[key])
				}
			}
		}
	})
}
