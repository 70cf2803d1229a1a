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
	Cost   float64
	Folder string // the project folder of the transcript it was read from
}

// Stats say what a pass read and what it could not price.
type Stats struct {
	Sources  int              // transcripts and archived conversations taken
	Archived int              // of which read from the archive
	Read     int              // read now (not from a summary)
	Bytes    int64            // bytes read now
	Long     int              // lines skipped for their length
	Failed   int              // sources that could not be read
	Unpriced map[string]int64 // models without a price, and their tokens
}

// Options of a pass.
type Options struct {
	Mode    Mode
	Sources []Source
	Warnf   func(format string, args ...any)
}

// Each calls fn with every request that counts, transcripts taken in the
// order of their first timestamp (ccusage's), each request once.
func Each(opt Options, fn func(Counted)) (Stats, error) {
	st := Stats{Unpriced: map[string]int64{}}
	scans := readAll(opt, &st)
	order := make([]int, len(scans))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return earlier(scans[order[a]], scans[order[b]]) })
	seen := map[uint64]bool{}
	for _, i := range order {
		s := scans[i]
		if s == nil {
			continue
		}
		for _, list := range [][]Entry{s.Entries, s.Tail} {
			for _, e := range list {
				if e.Key != 0 {
					if seen[e.Key] {
						continue
					}
					seen[e.Key] = true
				}
				cost, unpriced := costOf(e, opt.Mode)
				if unpriced {
					st.Unpriced[priceName(e)] += e.Tokens.Input + e.Tokens.Output + CacheWrites(e.Tokens) + e.Tokens.CacheRead
				}
				if e.Conversation == "" {
					e.Conversation = opt.Sources[i].Conversation
				}
				fn(Counted{Entry: e, Cost: cost, Folder: opt.Sources[i].Folder})
			}
		}
	}
	return st, nil
}

// earlier orders two scans by their first timestamp, those without one
// last; a tie keeps the sources' order.
func earlier(a, b *Scan) bool {
	switch {
	case a == nil || a.First.IsZero():
		return false
	case b == nil || b.First.IsZero():
		return true
	}
	return a.First.Before(b.First)
}

// readAll reads every source, a reader per core; one that cannot be read
// is a warning and nil.
func readAll(opt Options, st *Stats) []*Scan {
	scans := make([]*Scan, len(opt.Sources))
	var mu sync.Mutex
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				s, err := readSource(opt.Sources[i])
				mu.Lock()
				if err != nil {
					st.Failed++
					if opt.Warnf != nil {
						opt.Warnf("usage: %s: %v", opt.Sources[i].Path, err)
					}
				} else {
					scans[i] = s
					st.Read++
					st.Bytes += opt.Sources[i].Size
					st.Long += s.Long
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
	return scans
}

func readSource(src Source) (*Scan, error) {
	r, err := src.Open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	s, err := Read(r, 0)
	if err != nil {
		return nil, err
	}
	return &s, nil
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
