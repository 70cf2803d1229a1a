package store

import (
	"testing"
	"time"
)

func TestTimingCreate(t *testing.T) {
	dir := copyStore(t, benchStore(t, 10000))
	s := openBench(dir)
	slug := s.Config().Projects[0].Slug
	for i := 0; i < 5; i++ {
		t0 := time.Now()
		sess, l, err := s.createLocked(NewSession{Project: slug, Intent: "x", GitBranch: "main"})
		if err != nil {
			t.Fatal(err)
		}
		t1 := time.Now()
		idx, _ := s.loadIndex()
		t2 := time.Now()
		pl, _ := s.lockFor(kindProject, slug)
		t3 := time.Now()
		s.refreshProjectStateLocked(sess.ProjectSlug, idx)
		t4 := time.Now()
		pl.unlock()
		l.unlock()
		t.Logf("create+index %v, loadIndex %v, lock %v refresh %v", t1.Sub(t0), t2.Sub(t1), t3.Sub(t2), t4.Sub(t3))
	}
	for i := 0; i < 3; i++ {
		t0 := time.Now()
		s.List(Filter{Limit: 20})
		t1 := time.Now()
		idx, _ := s.loadIndex()
		t2 := time.Now()
		selectIDs(idx, Filter{})
		t3 := time.Now()
		t.Logf("list %v: index %v select %v", t1.Sub(t0), t2.Sub(t1), t3.Sub(t2))
	}
}
