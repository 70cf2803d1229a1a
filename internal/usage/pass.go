package usage

import (
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/sess-dev/sess/internal/usage/prices"
)

// Mode is where a request's cost comes from, as ccusage's --mode says.
type Mode string

const (
	Auto      Mode = "auto"      // the row's costUSD when it has one, else the price table's
	Calculate Mode = "calculate" // always the price table's
	Display   Mode = "display"   // the row's costUSD, else nothing
)

// ParseMode reads a --mode value.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case Auto, Calculate, Display:
		return m, nil
	case "":
		return Auto, nil
	}
	return "", fmt.Errorf("mode %q: one of auto, calculate, display", s)
}

// Counted is a request that counts, with its cost and where it was read.
type Counted struct {
	Entry
	Cost     float64
	Folder   string // the project folder of the transcript it was read from
	Machine  string // the machine it was made on, "" for this one
	Unpriced bool   // its model has no price: Cost is its costUSD or nothing
}

// Stats say what a pass read and what it could not price.
type Stats struct {
	Sources  int              // transcripts and archived conversations taken
	Archived int              // of which read from the archive
	Read     int              // read now (not from a summary)
	Bytes    int64            // bytes read now
	Failed   int              // sources that could not be read
	Unpriced map[string]int64 // models without a price, and their tokens
}

// Options of a pass.
type Options struct {
	Mode    Mode
	Sources []Source
	Cache   *Cache // nil: every source read whole, nothing kept
	Warnf   func(format string, args ...any)
	price   func(Entry, Mode) (float64, bool) // costOf, unless a test prices otherwise
}

// read is what the first phase of a pass keeps of a source: its first
// time and its unfinished line's entries; its summary's entries too when
// there is no cache to read them back from.
type read struct {
	ok      bool
	first   time.Time
	entries []Entry
	tail    []Entry
	cached  bool
}

// Each calls fn with every request that counts, transcripts taken in the
// order of their first timestamp (ccusage's), each request once. With a
// cache it holds one transcript's requests at a time: what it read is
// kept in the summaries, and read back in that order.
func Each(opt Options, fn func(Counted)) (Stats, error) {
	st := Stats{Unpriced: map[string]int64{}}
	reads := readAll(opt, &st)
	order := make([]int, len(reads))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return earlier(reads[order[a]], reads[order[b]]) })
	seen := map[uint64]struct{}{}
	price := opt.price
	if price == nil {
		price = costOf
	}
	for _, i := range order {
		r, src := reads[i], opt.Sources[i]
		if !r.ok {
			continue
		}
		entries := r.entries
		if r.cached {
			entries = opt.Cache.entries(src)
		}
		for _, list := range [][]Entry{entries, r.tail} {
			for _, e := range list {
				if e.Key != 0 {
					if _, dup := seen[e.Key]; dup {
						continue
					}
					seen[e.Key] = struct{}{}
				}
				cost, unpriced := price(e, opt.Mode)
				if unpriced {
					st.Unpriced[priceName(e)] += e.Tokens.Input + e.Tokens.Output + CacheWrites(e.Tokens) + e.Tokens.CacheRead
				}
				if e.Conversation == "" {
					e.Conversation = src.Conversation
				}
				fn(Counted{Entry: e, Cost: cost, Folder: src.Folder, Machine: src.Machine, Unpriced: unpriced})
			}
		}
	}
	return st, nil
}

// earlier orders two sources by their first timestamp, those without one
// last; a tie keeps the sources' order.
func earlier(a, b read) bool {
	switch {
	case !a.ok || a.first.IsZero():
		return false
	case !b.ok || b.first.IsZero():
		return true
	}
	return a.first.Before(b.first)
}

// readAll reads every source, a reader per core; one that cannot be read
// is a warning and left out.
func readAll(opt Options, st *Stats) []read {
	reads := make([]read, len(opt.Sources))
	var mu sync.Mutex
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				r, n, err := readOne(opt, opt.Sources[i])
				mu.Lock()
				if err != nil {
					st.Failed++
					if opt.Warnf != nil {
						opt.Warnf("usage: %s: %v", opt.Sources[i].Path, err)
					}
				} else {
					reads[i] = r
					if n > 0 {
						st.Read++
						st.Bytes += n
					}
				}
				mu.Unlock()
			}
		})
	}
	for i := range opt.Sources {
		next <- i
	}
	close(next)
	wg.Wait()
	st.Sources = len(opt.Sources)
	for _, s := range opt.Sources {
		if s.Archived {
			st.Archived++
		}
	}
	return reads
}

// readOne brings a source's summary up to date, or reads it whole when
// there is no cache; n is the bytes it read.
func readOne(opt Options, src Source) (r read, n int64, err error) {
	if src.summaryFile != "" && opt.Cache == nil {
		s, err := loadSummaryFile(src.summaryFile)
		if err != nil {
			return read{}, 0, err
		}
		return read{ok: true, first: s.First, entries: s.Entries}, 0, nil
	}
	if opt.Cache == nil {
		s, tail, n, err := readWhole(src)
		if err != nil {
			return read{}, 0, err
		}
		return read{ok: true, first: s.First, entries: s.Entries, tail: tail}, n, nil
	}
	s, tail, n, err := opt.Cache.Refresh(src)
	if err != nil {
		return read{}, 0, err
	}
	r = read{ok: true, first: s.First, tail: tail, cached: !opt.Cache.isOff()}
	if !r.cached {
		r.entries = s.Entries
	}
	return r, n, nil
}

// costOf is a request's cost in the mode; unpriced when the price table
// does not know its model.
func costOf(e Entry, mode Mode) (cost float64, unpriced bool) {
	if mode == Display || (mode == Auto && e.HasCostUSD) {
		return e.CostUSD, false
	}
	model := priceName(e)
	if model == "" || model == Synthetic {
		return 0, false
	}
	r, ok := prices.Lookup(model)
	if !ok {
		return 0, true
	}
	return r.Cost(e.Tokens, e.Fast), false
}

// dateIn is a time's day in loc, as ccusage writes it.
func dateIn(t time.Time, loc *time.Location) string { return t.In(loc).Format(time.DateOnly) }

// priceName is the model a request is priced as: its own, without the
// "-fast" it is shown with.
func priceName(e Entry) string {
	if e.Fast {
		return strings.TrimSuffix(e.Model, "-fast")
	}
	return e.Model
}
