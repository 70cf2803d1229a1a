package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
)

// TestResponseCache: the caps hold after every put, the least recently used
// answer goes first, a body over the byte cap is not kept, and a new
// fingerprint drops the answers of the old one.
func TestResponseCache(t *testing.T) {
	t.Parallel()
	type op struct {
		get       bool // a get (which refreshes the entry) instead of a put
		key, fp   string
		size      int
		wantFound bool
	}
	for _, tc := range []struct {
		name                 string
		maxEntries, maxBytes int
		ops                  []op
		wantKeys             []string // kept, most recently used first
	}{
		{"entry cap evicts the oldest", 2, 1 << 10, []op{
			{key: "a", size: 10}, {key: "b", size: 10}, {key: "c", size: 10},
		}, []string{"c", "b"}},
		{"a get keeps an entry young", 2, 1 << 10, []op{
			{key: "a", size: 10}, {key: "b", size: 10}, {get: true, key: "a", wantFound: true}, {key: "c", size: 10},
		}, []string{"c", "a"}},
		{"byte cap evicts until it holds", 10, 100, []op{
			{key: "a", size: 40}, {key: "b", size: 40}, {key: "c", size: 40},
		}, []string{"c", "b"}},
		{"a body over the byte cap is not kept", 10, 100, []op{
			{key: "a", size: 40}, {key: "big", size: 101}, {get: true, key: "big"},
		}, []string{"a"}},
		{"a body of exactly the cap is kept alone", 10, 100, []op{
			{key: "a", size: 40}, {key: "b", size: 100},
		}, []string{"b"}},
		{"a put replaces its key", 10, 100, []op{
			{key: "a", size: 40}, {key: "a", size: 50}, {key: "b", size: 50},
		}, []string{"b", "a"}},
		{"another fingerprint misses", 10, 100, []op{
			{key: "a", fp: "1", size: 10}, {get: true, key: "a", fp: "2"}, {get: true, key: "a", fp: "1", wantFound: true},
		}, []string{"a"}},
		{"a new fingerprint drops the old answers", 10, 100, []op{
			{key: "a", fp: "1", size: 10}, {key: "b", fp: "1", size: 10}, {key: "c", fp: "2", size: 10},
		}, []string{"c"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newResponseCache(tc.maxEntries, tc.maxBytes)
			for i, o := range tc.ops {
				if o.get {
					if _, found := c.get(o.key, o.fp); found != o.wantFound {
						t.Errorf("op %d: get %s at %q: want found %v, have %v", i, o.key, o.fp, o.wantFound, found)
					}
					continue
				}
				c.put(o.key, cached{fingerprint: o.fp, body: make([]byte, o.size)})
				if n, b := c.size(); n > tc.maxEntries || b > tc.maxBytes {
					t.Fatalf("op %d: %d entries and %d bytes, over the caps %d and %d", i, n, b, tc.maxEntries, tc.maxBytes)
				}
			}
			if want, have := tc.wantKeys, cacheKeys(c); !slices.Equal(want, have) {
				t.Errorf("kept: want %v, have %v", want, have)
			}
		})
	}
}

// cacheKeys lists the kept keys, most recently used first, and checks that
// the byte count is the sum of the kept bodies.
func cacheKeys(c *responseCache) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var keys []string
	sum := 0
	for e := c.order.Front(); e != nil; e = e.Next() {
		ent := e.Value.(*cacheEntry)
		keys = append(keys, ent.key)
		sum += len(ent.val.body)
	}
	if sum != c.bytes || len(c.byKey) != c.order.Len() {
		return append(keys, fmt.Sprintf("(bytes %d for %d, %d keys for %d entries)", c.bytes, sum, len(c.byKey), c.order.Len()))
	}
	return keys
}

// newLimitedFixture is the fixture's store served with other limits.
func newLimitedFixture(t *testing.T, lim limits) *fixture {
	t.Helper()
	f := newFixture(t)
	srv, err := newServer(f.st, addr, io.Discard, lim)
	if err != nil {
		t.Fatal(err)
	}
	f.srv = srv
	return f
}

// TestCacheKeys: URLs that ask the same share one entry and one ETag; only
// the parameters a route reads, parsed, make its key.
func TestCacheKeys(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name                   string
		urls                   []string
		wantEntries, wantETags int
	}{
		{"overview reads no parameter", []string{"/api/overview", "/api/overview?cb=1", "/api/overview?cb=2&days=7", "/api/overview?x"}, 1, 1},
		{"days is parsed", []string{"/api/activity?days=30", "/api/activity?days=030", "/api/activity?days=+30", "/api/activity?cb=9&days=30", "/api/activity?days=30&days=7"}, 1, 1},
		{"days defaults to 30", []string{"/api/activity", "/api/activity?days=30", "/api/activity?days=", "/api/activity?day=7"}, 1, 1},
		{"other days are other answers", []string{"/api/activity?days=7", "/api/activity?days=30", "/api/activity?days=007"}, 2, 2},
		{"errors are not kept", []string{"/api/activity?days=0", "/api/activity?days=x", "/api/activity?days=367"}, 0, 0},
		{"sessions and exports are not kept", []string{"/api/session/sess_20200101T0000_abcd", "/api/export/project/web?limit=2"}, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newLimitedFixture(t, defaultLimits())
			etags := map[string]bool{}
			for _, u := range tc.urls {
				if w := f.get(t, u); w.Code == http.StatusOK {
					etags[w.Header().Get("ETag")] = true
				}
			}
			if want, have := tc.wantEntries, entries(f.srv); want != have {
				t.Errorf("entries: want %d, have %d", want, have)
			}
			if want, have := tc.wantETags, len(etags); want != have {
				t.Errorf("ETags of 200 answers: want %d, have %d", want, have)
			}
		})
	}
}

func entries(s *Server) int {
	n, _ := s.cache.size()
	return n
}

// TestCacheBounded: however many distinct query strings arrive, the cache
// stays within its caps, and every request is still answered.
func TestCacheBounded(t *testing.T) {
	t.Parallel()
	f0 := newFixture(t)
	overview := f0.get(t, "/api/overview").Body.Len()
	year := f0.get(t, "/api/activity?days=366").Body.Len() // the biggest activity
	for _, tc := range []struct {
		name        string
		lim         limits
		wantEntries func(n int) bool
	}{
		{"the entry cap binds", limits{cacheEntries: 4, cacheBytes: 1 << 30, streams: 1, renders: 2}, func(n int) bool { return n == 4 }},
		{"the byte cap binds", limits{cacheEntries: 1000, cacheBytes: overview + 2*year, streams: 1, renders: 2}, func(n int) bool { return n > 2 && n < 100 }},
		{"nothing fits", limits{cacheEntries: 1000, cacheBytes: 100, streams: 1, renders: 2}, func(n int) bool { return n == 0 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newLimitedFixture(t, tc.lim)
			for i := range 500 {
				u := fmt.Sprintf("/api/overview?cb=%d", i)
				if i%2 == 1 {
					u = fmt.Sprintf("/api/activity?days=%d&cb=%d", 1+i%366, i)
				}
				if w := f.get(t, u); w.Code != http.StatusOK {
					t.Fatalf("%s: want 200, have %d", u, w.Code)
				}
				if n, b := f.srv.cache.size(); n > tc.lim.cacheEntries || b > tc.lim.cacheBytes {
					t.Fatalf("after %s: %d entries and %d bytes, over the caps %d and %d", u, n, b, tc.lim.cacheEntries, tc.lim.cacheBytes)
				}
			}
			if n := entries(f.srv); !tc.wantEntries(n) {
				t.Errorf("%d entries at the end", n)
			}
		})
	}
}

// TestAnswerWaits: requests for an answer being computed wait for it
// instead of computing it again.
func TestAnswerWaits(t *testing.T) {
	t.Parallel()
	f := newLimitedFixture(t, limits{cacheEntries: 4, cacheBytes: 1 << 20, streams: 1, renders: 1})
	var computed atomic.Int32
	entered, release := make(chan struct{}), make(chan struct{})
	compute := func() (any, error) {
		if computed.Add(1) == 1 {
			close(entered)
			<-release
		}
		return map[string]int{"n": 1}, nil
	}
	var wg sync.WaitGroup
	bodies := make([]string, 8)
	for i := range bodies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := f.srv.answer(context.Background(), "same", compute)
			if err != nil {
				t.Errorf("answer %d: %v", i, err)
			}
			bodies[i] = string(c.body)
		}()
		if i == 0 {
			<-entered // the others arrive while the first computes
		}
	}
	close(release)
	wg.Wait()
	if want, have := int32(1), computed.Load(); want != have {
		t.Errorf("computations: want %d, have %d", want, have)
	}
	for i, b := range bodies {
		if b != bodies[0] || b == "" {
			t.Errorf("answer %d: %q, want %q", i, b, bodies[0])
		}
	}
}
