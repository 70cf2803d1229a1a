package store

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/sess-dev/sess/pkg/session"
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
	return spliceAll(data, map[string]*session.IndexEntry{id: entry})
}

func TestSpliceIndex(t *testing.T) {
	t.Parallel()
	e := func(intent string) session.IndexEntry {
		return session.IndexEntry{ProjectSlug: "p", Status: session.StatusActive, Intent: intent, StartedAt: "s", LastHeartbeat: "h"}
	}
	base := map[string]session.IndexEntry{"sess_20260101T0000_aaaa": e("a"), "sess_20260101T0000_bbbb": e("b"), "sess_20260101T0000_cccc": e("c")}
	canonical, err := encodeIndex(base)
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
	one, _ := encodeIndex(map[string]session.IndexEntry{"sess_20260101T0000_aaaa": a})
	two, _ := encodeIndex(map[string]session.IndexEntry{"sess_20260101T0000_aaaa": a, "sess_20260101T0000_bbbb": b})
	out, _, err := spliceIndex(one, "sess_20260101T0000_bbbb", &b)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != string(two) {
		t.Errorf("want\n%s\nhave\n%s", two, out)
	}
}

func TestScanObjectRejects(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"", "[]", "null", "{", `{"a"}`, `{"a":}`, `{"a":1,}`, `{"a":{"b":1}`, `{"a":1} x`, `{"a":"x}`, `{"a":[1,2}}`} {
		if _, _, _, err := scanObject([]byte(bad)); err == nil {
			t.Errorf("scanObject(%q): want an error", bad)
		}
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
		fast, ok := decodeIndexFast(data)
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

func TestPlainASCII(t *testing.T) {
	t.Parallel()
	for c := 0; c < 256; c++ {
		want := c >= 0x20 && c < 0x80 && c != '\\'
		for _, n := range []int{1, 7, 8, 9, 16, 23} {
			for pos := 0; pos < n; pos++ {
				b := bytes.Repeat([]byte("a"), n)
				b[pos] = byte(c)
				if have := plainASCII(b); have != want {
					t.Fatalf("plainASCII with %#x at %d of %d: want %v, have %v", c, pos, n, want, have)
				}
			}
		}
	}
}

func TestLoadProjectIndex(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	for _, p := range [][2]string{{"web", "a"}, {"web-app", "b"}, {"api", "web"}, {"web", `say "web"`}, {"webx", "c"}} {
		mustCreate(t, s, p[0], p[1])
	}
	all, err := s.loadIndex()
	if err != nil {
		t.Fatal(err)
	}
	for _, slug := range []string{"web", "web-app", "api", "none"} {
		have, err := s.loadProjectIndex(slug)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]session.IndexEntry{}
		for id, e := range all {
			if e.ProjectSlug == slug {
				want[id] = e
			}
		}
		if !reflect.DeepEqual(want, have) {
			t.Errorf("%s: want %v, have %v", slug, want, have)
		}
	}
}

// TestSpliceAll: several changes in one pass give what the changes one by
// one give, as decoded data.
func TestSpliceAll(t *testing.T) {
	t.Parallel()
	e := func(intent string) *session.IndexEntry {
		return &session.IndexEntry{ProjectSlug: "p", Status: session.StatusActive, Intent: intent}
	}
	base := map[string]session.IndexEntry{"sess_20260101T0000_aaaa": *e("a"), "sess_20260101T0000_bbbb": *e("b"), "sess_20260101T0000_cccc": *e("c")}
	canonical, _ := encodeIndex(base)
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
			have, _, err := spliceAll(data, changes)
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

// TestIndexBetweenReadAndWrite: a change another writer makes to the index
// between a Store's query and its write is never lost.
func TestIndexBetweenReadAndWrite(t *testing.T) {
	t.Parallel()
	a := newTestStore(t)
	x := mustCreate(t, a, "web", "x")
	if _, err := a.loadProjectIndex("web"); err != nil {
		t.Fatal(err)
	}
	b := openTestStore(t, a.dir)
	y := mustCreate(t, b, "web", "y") // another process changes the index
	if _, err := a.Heartbeat(x.SessionID); err != nil {
		t.Fatal(err)
	}
	idx := map[string]session.IndexEntry{}
	readJSON(t, a.indexPath(), &idx)
	if _, ok := idx[y.SessionID]; !ok || len(idx) != 2 {
		t.Errorf("another writer's entry was lost: %v", idx)
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
		have, _ := encodeEntry(e)
		if !bytes.Equal(have, want) {
			t.Fatalf("have %s\nwant %s", have, want)
		}
	})
}
