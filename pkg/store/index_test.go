package store

import (
	"reflect"
	"testing"

	"github.com/sess-dev/sess/pkg/session"
)

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
