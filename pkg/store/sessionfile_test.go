package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/sess-dev/sess/pkg/session"
)

func TestDecodeSessionRejects(t *testing.T) {
	t.Parallel()
	for name, data := range map[string]string{
		"not json":      `{`,
		"array":         `[]`,
		"null":          `null`,
		"no id":         `{"project_slug": "p", "status": "active", "intent": "i"}`,
		"traversal id":  `{"session_id": "../x", "project_slug": "p", "status": "active", "intent": "i"}`,
		"bad slug":      `{"session_id": "sess_20260101T0000_abcd", "project_slug": "../p", "status": "active", "intent": "i"}`,
		"bad status":    `{"session_id": "sess_20260101T0000_abcd", "project_slug": "p", "status": "done", "intent": "i"}`,
		"events string": `{"session_id": "sess_20260101T0000_abcd", "project_slug": "p", "status": "active", "intent": "i", "events": "x"}`,
		"intent number": `{"session_id": "sess_20260101T0000_abcd", "project_slug": "p", "status": "active", "intent": 1}`,
		"task as list":  `{"session_id": "sess_20260101T0000_abcd", "project_slug": "p", "status": "active", "intent": "i", "tasks": [[1]]}`,
	} {
		if _, err := DecodeSession([]byte(data)); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: want ErrCorrupt, have %v", name, err)
		}
	}
}

// FuzzDecodeSession: the decoder never panics, and whatever it accepts
// encodes to a file that decodes to the same record (the write path cannot
// turn a readable session into an unreadable one).
func FuzzDecodeSession(f *testing.F) {
	for _, dir := range []string{"../../testdata/original-store/sessions", "../../testdata/schemas"} {
		files, _ := filepath.Glob(filepath.Join(dir, "sess_*.json"))
		for _, p := range files {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
	}
	f.Add([]byte(`{"session_id": "sess_20260101T0000_abcd", "project_slug": "p", "status": "active", "intent": "i", "events": null, "tasks": [{"id": 1}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sess, err := DecodeSession(data)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error without ErrCorrupt: %v", err)
			}
			return
		}
		out, err := encodeSessionFile(sess)
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		if !json.Valid(out) || !bytes.HasSuffix(out, []byte("\n")) {
			t.Fatalf("bad file written:\n%s", out)
		}
		back, err := DecodeSession(out)
		if err != nil {
			t.Fatalf("re-decode: %v\n%s", err, out)
		}
		a, _ := json.Marshal(sess)
		b, _ := json.Marshal(back)
		if !bytes.Equal(a, b) {
			t.Fatalf("round trip changed the record:\n%s\n%s", a, b)
		}
	})
}

// FuzzDecodeSessionFast: the fast reader decodes exactly what encoding/json
// does, and gives up on everything encoding/json would refuse.
func FuzzDecodeSessionFast(f *testing.F) {
	for _, dir := range []string{"../../testdata/original-store/sessions", "../../testdata/schemas"} {
		files, _ := filepath.Glob(filepath.Join(dir, "sess_*.json"))
		for _, p := range files {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
	}
	f.Add([]byte(`{"events": [{"timestamp": "a", "message": "m"}], "events": [{"message": "x"}], "tasks": null, "schema_version": 4}`))
	f.Add([]byte(`{"intent": "a\u00e9\n", "Intent": "b", "x": {"y": [1, 2.5e3, true]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fast, ok := decodeSessionFast(data)
		if !ok {
			return
		}
		var slow session.Session
		if err := json.Unmarshal(data, &slow); err != nil {
			t.Fatalf("fast path accepted what encoding/json refuses (%v): %q", err, data)
		}
		a, _ := json.Marshal(fast)
		b, _ := json.Marshal(&slow)
		if !bytes.Equal(a, b) {
			t.Fatalf("for %q\nfast %s\nslow %s", data, a, b)
		}
	})
}
