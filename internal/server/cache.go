package server

import (
	"container/list"
	"sync"
)

// cached is one rendered answer: its body and ETag, the store fingerprint it
// was made at, and its content type.
type cached struct {
	fingerprint string
	body        []byte
	etag        string
	ctype       string
}

// responseCache keeps rendered answers by key, at most maxEntries of them
// and maxBytes of bodies in all, dropping the least recently used first, so
// that what it holds does not grow with what clients ask. An answer larger
// than maxBytes is not kept: it is served, and made again next time.
//
// Every entry carries the store fingerprint it was made at. A get at another
// fingerprint misses, and a put drops the entries of other fingerprints: the
// store has moved on, so they would only hold memory until evicted.
type responseCache struct {
	maxEntries int
	maxBytes   int

	mu    sync.Mutex
	bytes int                      // sum of the kept bodies' lengths
	order *list.List               // of *cacheEntry, most recently used first
	byKey map[string]*list.Element // into order
}

type cacheEntry struct {
	key string
	val cached
}

func newResponseCache(maxEntries, maxBytes int) *responseCache {
	return &responseCache{maxEntries: maxEntries, maxBytes: maxBytes, order: list.New(), byKey: map[string]*list.Element{}}
}

// get returns the answer kept for key if it was made at fingerprint fp.
func (c *responseCache) get(key, fp string) (cached, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[key]
	if !ok {
		return cached{}, false
	}
	ent := e.Value.(*cacheEntry)
	if ent.val.fingerprint != fp {
		return cached{}, false
	}
	c.order.MoveToFront(e)
	return ent.val, true
}

// put keeps v under key, then evicts until both caps hold again.
func (c *responseCache) put(key string, v cached) {
	if c.maxEntries < 1 || len(v.body) > c.maxBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for e := c.order.Front(); e != nil; {
		next := e.Next()
		if ent := e.Value.(*cacheEntry); ent.key == key || ent.val.fingerprint != v.fingerprint {
			c.remove(e)
		}
		e = next
	}
	c.byKey[key] = c.order.PushFront(&cacheEntry{key: key, val: v})
	c.bytes += len(v.body)
	for c.order.Len() > c.maxEntries || c.bytes > c.maxBytes {
		c.remove(c.order.Back())
	}
}

// remove drops one entry; the caller holds mu.
func (c *responseCache) remove(e *list.Element) {
	ent := c.order.Remove(e).(*cacheEntry)
	delete(c.byKey, ent.key)
	c.bytes -= len(ent.val.body)
}

// size is how many answers the cache keeps and their bodies' bytes.
func (c *responseCache) size() (entries, bytes int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len(), c.bytes
}
