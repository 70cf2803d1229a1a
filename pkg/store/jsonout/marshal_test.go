package jsonout

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/sess-dev/sess/internal/journal"
	"github.com/sess-dev/sess/internal/storetest"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
	"github.com/sess-dev/sess/pkg/store/internal/codec"
	"github.com/sess-dev/sess/pkg/store/overview"
)

func strp(s string) *string { return &s }

func richSession() *session.Session {
	s := &session.Session{
		SessionID: "sess_20260101T0000_abcd", ProjectSlug: "web", Status: session.StatusParked,
		Intent: "Fix <b>\"login\"</b> & é \u2028 \x01 \t\n", RoadmapRef: strp("R1"), StartedAt: "a", LastHeartbeat: "b",
		EndedAt: strp("c"), Outcome: nil, ParkedReason: strp("bad \xff utf8"), GitBranch: "main",
		Events:       []session.Event{{Timestamp: "t", Message: "m\r\n\b\f\\"}},
		FilesChanged: []string{"a.go"}, Commits: []session.Commit{{SHA: "abc1234", Message: "m"}}, Decisions: []string{},
		OpenQuestions: nil, NextSteps: []string{"x", "y"},
		Tasks: []session.Task{{ID: "t1", Subject: "s", Status: session.TaskCompleted, AddedAt: "a", UpdatedAt: "u"}}, SchemaVersion: 4,
	}
	return s
}

func TestFastMarshalMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	st := storetest.NewClocked(t)
	st.RegisterProject("Web", "/x/web")
	a := st.MustCreate(t, "web", "one <&>")
	st.AddTasks(a.SessionID, []string{"t1", "t2"})
	b := st.MustCreate(t, "web", "two")
	st.ParkSession(b.SessionID, "r", []string{"n"})
	c := st.MustCreate(t, "web", "three")
	st.CompleteSession(c.SessionID, store.Completion{Outcome: "done"})
	d, _, _ := journal.RegisterLaunch(st.Store, journal.Launch{ClaudeSessionID: "c-d", Project: "web", Hooked: true, Title: "Title"})
	journal.Waiting(st.Store, d.SessionID, "Claude needs your permission")
	journal.RegisterLaunch(st.Store, journal.Launch{ClaudeSessionID: "c-e", Project: "web", Hooked: true})
	st.Advance(30 * time.Minute)
	ov, err := overview.Read(st.Store)
	if err != nil {
		t.Fatal(err)
	}
	empty := &overview.Overview{Timestamp: "x", Projects: []overview.Project{{Slug: "p"}}}
	settings := &overview.Overview{Timestamp: "x", Projects: []overview.Project{}, Settings: session.Settings{BriefMaxChars: 3000, WaitingNotifyMinutes: 5}}
	hooked := richSession()
	hooked.Title, hooked.Continues, hooked.ContinuedBy = strp("t"), strp("sess_20260101T0000_aaaa"), strp("sess_20260101T0000_bbbb")
	hooked.State, hooked.StateSince, hooked.StateReason = strp("waiting"), strp("s"), strp("r")
	for name, v := range map[string]any{
		"rich":     richSession(),
		"bare":     &session.Session{},
		"list":     []*session.Session{richSession(), {SessionID: "x"}},
		"empty":    []*session.Session{},
		"overview": ov,
		"nil-ish":  empty,
		"settings": settings,
		"hooked":   hooked,
	} {
		fast, ok := fastMarshal(v)
		if !ok {
			t.Fatalf("%s: no fast path", name)
		}
		slow, err := codec.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(fast, slow) {
			t.Errorf("%s: fast and encoding/json differ:\nfast %s\nslow %s", name, fast, slow)
		}
	}
}

// FuzzFastMarshal: for any session the fast writer writes what
// encoding/json writes.
func FuzzFastMarshal(f *testing.F) {
	data, _ := json.Marshal(richSession())
	f.Add(data)
	f.Add([]byte(`{"intent": "\u2029\u0000<>&", "events": [], "tasks": null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var s session.Session
		if json.Unmarshal(data, &s) != nil {
			return
		}
		fast, _ := fastMarshal(&s)
		slow, err := codec.Marshal(&s)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(fast, slow) {
			t.Fatalf("differ:\nfast %s\nslow %s", fast, slow)
		}
	})
}

func TestAppendMember(t *testing.T) {
	obj, _ := Marshal(map[string]any{"a": 1})
	got, err := AppendMember(obj, "cost", map[string]any{"usd": 1.5, "models": []string{"x"}})
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"a\": 1,\n  \"cost\": {\n    \"models\": [\n      \"x\"\n    ],\n    \"usd\": 1.5\n  }\n}\n"
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	empty, _ := AppendMember([]byte("{}\n"), "k", 1)
	if string(empty) != "{\n  \"k\": 1\n}\n" {
		t.Errorf("into {}: %q", empty)
	}
}
