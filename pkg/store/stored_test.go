package store

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sess-dev/sess/pkg/store/internal/index"
)

// TestLiveEntry: a session is open unless its entry says it is parked or
// completed and its last heartbeat, in UTC, is older than OpenFor; an
// entry laid out otherwise is open; the digest follows the entry's bytes.
func TestLiveEntry(t *testing.T) {
	since := "2026-12-06T10:00:00"
	entry := func(status, hb string) []byte {
		return []byte(`{
    "project_slug": "web",
    "status": "` + status + `",
    "intent": "x \"status\": \"completed\"",
    "started_at": "2026-12-01T10:00:00.000000+00:00",
    "ended_at": null,
    "last_heartbeat": "` + hb + `"
  }`)
	}
	for _, tc := range []struct {
		name  string
		entry []byte
		open  bool
	}{
		{"active, old", entry("active", "2026-01-01T00:00:00.000000+00:00"), true},
		{"parked, old", entry("parked", "2026-01-01T00:00:00.000000+00:00"), false},
		{"parked, recent", entry("parked", "2026-12-06T10:00:00.000000+00:00"), true},
		{"unknown status, old", entry("paused", "2026-01-01T00:00:00.000000+00:00"), true},
		{"completed, old", entry("completed", "2026-12-06T09:59:59.999999+00:00"), false},
		{"completed, Z", entry("completed", "2026-12-06T09:59:59Z"), false},
		{"completed, recent", entry("completed", "2026-12-06T10:00:00.000001+00:00"), true},
		{"completed, another zone", entry("completed", "2026-12-01T10:00:00+02:00"), true},
		{"completed, no heartbeat", entry("completed", ""), true},
		{"completed, heartbeat escaped", entry("completed", `2026-01-01T00:00:00\u002b00:00`), true},
		{"laid out otherwise", []byte(`{"status":"completed","last_heartbeat":"2026-01-01T00:00:00+00:00"}`), true},
		{"null", []byte("null"), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := index.LiveOf("sess_x", tc.entry, since)
			if e.Open != tc.open {
				t.Errorf("open: want %v, have %v", tc.open, e.Open)
			}
			if e.Digest == 0 {
				t.Error("a digest of 0")
			}
			other := index.LiveOf("sess_x", append(bytes.Clone(tc.entry), ' '), since)
			if other.Digest == e.Digest {
				t.Error("the digest did not change with the entry")
			}
		})
	}
}

// TestLiveEntries: the live sessions of the index, each entry's digest
// changed by a write of its session and by no other's, the last of a
// repeated key kept; an index that does not read goes to the rebuild, and
// the digests then are those of the index written again.
func TestLiveEntries(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	a := mustCreate(t, s, "web", "a")
	b := mustCreate(t, s, "web", "b")
	c := mustCreate(t, s, "api", "c")
	if _, err := s.CompleteSession(c.SessionID, Completion{Outcome: "done"}); err != nil {
		t.Fatal(err)
	}
	entries := func() map[string]LiveEntry {
		t.Helper()
		list, err := s.View().LiveEntries()
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]LiveEntry{}
		for _, e := range list {
			if _, dup := out[e.ID]; dup {
				t.Errorf("%s listed twice", e.ID)
			}
			out[e.ID] = e
		}
		return out
	}
	first := entries()
	if len(first) != 3 || !first[a.SessionID].Open || !first[c.SessionID].Open {
		t.Fatalf("entries: %+v", first)
	}
	s.clock.add(OpenFor + time.Second)
	if later := entries(); later[c.SessionID].Open || !later[a.SessionID].Open {
		t.Errorf("a day on, completed and active: %+v", later)
	}
	if _, err := s.AddEvent(b.SessionID, "changed"); err != nil {
		t.Fatal(err)
	}
	second := entries()
	if second[b.SessionID].Digest == first[b.SessionID].Digest {
		t.Error("b's write left its digest as it was")
	}
	for _, id := range []string{a.SessionID, c.SessionID} {
		if second[id].Digest != first[id].Digest {
			t.Errorf("b's write changed %s's digest", id)
		}
	}

	// A repeated key: the last entry is the one; a key that is no session
	// id is not listed.
	data, err := os.ReadFile(s.indexPath())
	if err != nil {
		t.Fatal(err)
	}
	dup := strings.Replace(string(data), "{\n", "{\n  \""+a.SessionID+"\": null,\n  \"../x\": null,\n", 1)
	if err := os.WriteFile(s.indexPath(), []byte(dup), 0o600); err != nil {
		t.Fatal(err)
	}
	if have := entries(); have[a.SessionID].Digest != second[a.SessionID].Digest || len(have) != 3 {
		t.Errorf("a repeated key and a bad one: %+v", have)
	}

	// A corrupt index is rebuilt, with a warning.
	if err := os.WriteFile(s.indexPath(), []byte(`{"x": [`), 0o600); err != nil {
		t.Fatal(err)
	}
	rebuilt := entries()
	if len(rebuilt) != 3 || !strings.Contains(s.warnings.String(), "corrupt") {
		t.Fatalf("after the damage: %+v, warnings %q", rebuilt, s.warnings.String())
	}
	if again := entries(); again[b.SessionID] != rebuilt[b.SessionID] {
		t.Errorf("the rebuilt index's digests differ from those given while rebuilding: %+v, %+v", again[b.SessionID], rebuilt[b.SessionID])
	}
}
